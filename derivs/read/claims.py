"""An equation between values turned into the scalar claims the engine checks.

The engine proves scalar equalities, so an equation between vectors or
matrices becomes one claim per entry compared (:mod:`derivs.read.shapes`
holds the values):

- two shaped expressions are compared at a generic entry (symbolic row and
  column indices), which proves every entry at once; a written 0 against a
  vector or matrix is the zero array of its shape;
- a :class:`~derivs.read.shapes.Written` vector or matrix is compared cell by
  cell.  A cell's position is counted from the start before the first
  ellipsis and from the end after the last one; a cell between ellipses sits
  at the one index it mentions (``a_k`` is at position ``k``).  Because the
  author wrote the positions as distinct, each claim carries that as its
  case (``k != 1``, ``k != 2``, ``k != n``; ``n >= 3`` for two leading cells
  and one trailing).  An ellipsis cell is a claim that is *skipped*, with
  that reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sympy import Basic, Eq, Expr, Ge, Integer, Ne, S, Symbol
from sympy.core.relational import Relational

from derivs.errors import DerivsError
from derivs.read.shapes import (
    Array,
    Cell,
    Dots,
    Value,
    Written,
    mentioned,
    shape_name,
)


@dataclass(frozen=True)
class Claim:
    """One scalar equation to check, with the case its position implies."""

    lhs: Expr
    rhs: Expr
    label: str = ""
    condition: tuple[Relational, ...] = ()
    skip: str = ""
    notes: tuple[str, ...] = field(default=())
    unread_case: str = ""


def claims(
    left: Value,
    right: Value,
    *,
    entry_indices: Callable[[Expr, Sequence[Basic]], Symbol],
    length_hint: Array | None = None,
) -> list[Claim]:
    """The scalar claims of ``left = right``.

    ``entry_indices(size, sides)`` gives a declared index over ``1..size``
    free in neither side, for comparing generic entries; ``length_hint`` is an
    array of the same chain, which gives the size of two written vectors
    compared with each other.
    """
    if isinstance(left, Written) or isinstance(right, Written):
        return _written_claims(left, right, length_hint)
    if isinstance(left, Array) and _is_zero(right):
        right = left.map(lambda _: S.Zero)
    if isinstance(right, Array) and _is_zero(left):
        left = right.map(lambda _: S.Zero)
    if isinstance(left, Array) and isinstance(right, Array):
        return _array_claims(left, right, entry_indices)
    if isinstance(left, Array) or isinstance(right, Array):
        raise DerivsError("one side is a scalar and the other a vector or matrix")
    return [Claim(left, right)]


def _is_zero(value: Value) -> bool:
    """A written 0 beside a vector or matrix is the zero array of its shape."""
    return isinstance(value, Expr) and value.is_number is True and value == 0


def _array_claims(
    left: Array, right: Array, entry_indices: Callable[[Expr, Sequence[Basic]], Symbol]
) -> list[Claim]:
    if (
        left.is_vector
        and right.is_vector
        and left.length == right.length
        and _same_layout(left, right)
    ):
        position = entry_indices(left.length, ())
        return [Claim(left.entry(position), right.entry(position), f"entry {position}")]
    if (left.rows, left.columns) != (right.rows, right.columns):
        raise DerivsError(f"a {shape_name(left)} is compared with a {shape_name(right)}")
    r = entry_indices(left.rows, ())
    c = entry_indices(left.columns, (r,))
    return [Claim(left.at(r, c), right.at(r, c), f"entry ({r}, {c})")]


def _same_layout(left: Array, right: Array) -> bool:
    """Whether two vectors compare entry by entry: of one orientation, or a gradient
    (whose row or column is the author's layout convention) on one side."""
    return (left.rows == 1) == (right.rows == 1) or left.gradient or right.gradient


@dataclass(frozen=True)
class _Placed:
    """A cell with its position and the case the positions imply."""

    position: Expr
    cell: Cell
    condition: tuple[Relational, ...]


def place(cells: Sequence[Cell], size: Expr, partner: Sequence[Cell] = ()) -> list[_Placed]:
    """Positions of written ``cells`` in a vector of ``size`` entries (see the module doc)."""
    dots = [n for n, cell in enumerate(cells) if isinstance(cell, Dots)]
    if not dots:
        exact = (Eq(size, len(cells)),)
        return [_Placed(Integer(n + 1), cell, exact) for n, cell in enumerate(cells)]
    first, last = dots[0], dots[-1]
    leading, trailing = first, len(cells) - 1 - last
    positions: list[Expr] = []
    middles: list[Expr] = []
    for n, cell in enumerate(cells):
        if n < first:
            positions.append(Integer(n + 1))
        elif n > last:
            positions.append(size - (len(cells) - 1 - n))
        elif isinstance(cell, Dots):
            positions.append(S.NaN)
        else:
            middles.append(_middle_position(cell, partner[n] if n < len(partner) else None))
            positions.append(middles[-1])
    shared: list[Relational] = [Ge(size, leading + trailing)] if leading + trailing > 1 else []
    fixed = [
        p for p, cell in zip(positions, cells, strict=True) if p not in middles and p is not S.NaN
    ]
    for position in middles:
        shared += [Ne(position, other) for other in fixed]
    condition = _unique(tuple(shared))
    return [
        _Placed(position, cell, () if isinstance(cell, Dots) else condition)
        for position, cell in zip(positions, cells, strict=True)
    ]


def _middle_position(cell: Cell, partner: Cell | None) -> Symbol:
    candidates: set[Basic] = set()
    for side in (cell, partner):
        if isinstance(side, Expr):
            candidates |= {s for s in mentioned(side) if s.is_integer}
    if len(candidates) != 1:
        raise DerivsError(
            "cannot tell the position of a cell between two ellipses: "
            "it should mention exactly one index (a_k sits at position k)"
        )
    (position,) = candidates
    return position


def _written_claims(left: Value, right: Value, hint: Array | None) -> list[Claim]:
    if isinstance(left, Written) and isinstance(right, Written):
        return _pairwise(left, right, hint)
    written, other = (left, right) if isinstance(left, Written) else (right, left)
    if not isinstance(other, Array):
        raise DerivsError("a written vector or matrix is compared with a scalar")
    assert isinstance(written, Written)
    flip = written is right
    out: list[Claim] = []
    if written.is_vector and other.is_vector:
        for placed in place(written.cells(), other.length):
            out.append(
                _cell_claim(other.entry(placed.position), placed, f"entry {placed.position}", flip)
            )
        return out
    markers: list[Cell] = [
        Dots("row") if all(isinstance(c, Dots) for c in cells) else Integer(n)
        for n, cells in enumerate(written.rows)
    ]
    for row_place in place(markers, other.rows):
        if isinstance(row_place.cell, Dots):
            out.append(Claim(S.Zero, S.Zero, "a row of ellipses", skip="ellipsis"))
            continue
        cells = written.rows[int(row_place.cell)]
        for col_place in place(cells, other.columns):
            label = f"entry ({row_place.position}, {col_place.position})"
            merged = _Placed(
                col_place.position, col_place.cell, row_place.condition + col_place.condition
            )
            value = (
                other.at(row_place.position, col_place.position)
                if not isinstance(col_place.cell, Dots)
                else S.Zero
            )
            out.append(_cell_claim(value, merged, label, flip))
    return out


def _cell_claim(value: Expr, placed: _Placed, label: str, flip: bool) -> Claim:
    if isinstance(placed.cell, Dots):
        return Claim(
            S.Zero, S.Zero, label.replace("nan", "…"), skip=f"ellipsis {placed.cell.written}"
        )
    lhs, rhs = (placed.cell, value) if flip else (value, placed.cell)
    return Claim(lhs, rhs, label, _unique(placed.condition))


def _pairwise(left: Written, right: Written, hint: Array | None) -> list[Claim]:
    if len(left.rows) != len(right.rows) or any(
        len(a) != len(b) for a, b in zip(left.rows, right.rows, strict=True)
    ):
        raise DerivsError("two written vectors or matrices of different layouts are compared")
    if not (left.is_vector and right.is_vector):
        raise DerivsError(
            "two written matrices are compared: compare each with the matrix they write"
        )
    size = hint.length if hint is not None and hint.is_vector else None
    if size is None:
        raise DerivsError(
            "two written vectors are compared but nothing in the chain gives their length"
        )
    out: list[Claim] = []
    right_cells = right.cells()
    for n, placed in enumerate(place(left.cells(), size, right_cells)):
        other = right_cells[n]
        label = f"entry {placed.position}"
        if isinstance(placed.cell, Dots) or isinstance(other, Dots):
            if not (isinstance(placed.cell, Dots) and isinstance(other, Dots)):
                raise DerivsError("an ellipsis faces an entry in two written vectors")
            out.append(Claim(S.Zero, S.Zero, "entry …", skip="ellipsis"))
            continue
        out.append(Claim(placed.cell, other, label, _unique(placed.condition)))
    return out


def _unique(items: tuple[Relational, ...]) -> tuple[Relational, ...]:
    """The relations once each; a relation that is always true is dropped."""
    seen: list[Relational] = []
    for item in items:
        if item is S.false:
            raise DerivsError("the positions of the written cells contradict each other")
        if item not in seen and item is not S.true:
            seen.append(item)
    return tuple(seen)
