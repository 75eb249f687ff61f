"""Vectors and matrices as documents write them, compared entry by entry.

A derivation in a note mixes scalars (``a_i``) with whole vectors
(``\\mathbf a - \\mathbf y``), gradients (``\\partial l / \\partial \\mathbf z``, a
row), Jacobians (``\\partial \\mathbf a / \\partial \\mathbf z``) and matrices
written out with ellipses.  The engine proves scalar equalities, so a vector
equation is turned into scalar *claims*:

- two shaped expressions are compared at a generic entry (symbolic row and
  column indices), which proves every entry at once;
- an :class:`Written` vector or matrix (``[a_1, a_2, \\cdots, a_n]``) is
  compared cell by cell.  A cell's position is counted from the start before
  the first ellipsis and from the end after the last one; a cell between
  ellipses sits at the one index it mentions (``a_k`` is at position ``k``).
  Because the author wrote the positions as distinct, each claim carries
  that as its case (``k != 1``, ``k != 2``, ``k != n``; ``n >= 3`` for two
  leading cells and one trailing).  An ellipsis cell is a claim that is *skipped*, with that
  reason.

An :class:`Array` is a rule ``(row, column) -> entry`` with a shape; rows
and columns count from 1.  A row times a column is a scalar (``\\hat{y}^\\top
\\log y``).  Vectors are columns unless written as rows; an
equation between a row and a column of the same length compares entries, as
authors use both for the same gradient.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import TypeAlias

from sympy import (
    Basic,
    Dummy,
    Eq,
    Expr,
    Ge,
    IndexedBase,
    Integer,
    Ne,
    S,
    Sum,
    Symbol,
)
from sympy.core.relational import Relational

from derivs.errors import DerivsError
from derivs.written import minus, over, plus, times


def mentioned(expr: Basic) -> set[Symbol]:
    """Every symbol written in ``expr``, bound ones and derivative variables included.

    ``free_symbols`` leaves out the ``j`` of ``d a_r / d z_j``; choosing an
    index by it could capture that ``j``, so avoidance and positions use this.
    """
    return set(expr.atoms(Symbol))


def index_sum(term: Callable[[Expr], Expr], upper: Expr) -> Expr:
    """``sum_{k=1}^{upper} term(k)``, the inner sum of a matrix product.

    The index is named by a pure function of the summand, so a link reads the
    same whatever was read before it: ``_p1``, or the first ``_pN`` that the
    summand and ``upper`` do not mention.  The summand is built first at a
    placeholder (a dummy, unique while the sums inside it are built), so the
    name avoids the indices of those inner sums and every free symbol: no
    capture.  The canonical form renames bound indices again later.
    """
    placeholder = Dummy("p", integer=True, positive=True)
    body = term(placeholder)
    taken = {symbol.name for symbol in mentioned(body) | mentioned(upper)}
    name = next(f"_p{n}" for n in count(1) if f"_p{n}" not in taken)
    index = Symbol(name, integer=True, positive=True)
    return Sum(body.xreplace({placeholder: index}), (index, 1, upper))


@dataclass(frozen=True)
class Array:
    """A rows x columns array given by its entry rule."""

    rows: Expr
    columns: Expr
    at: Callable[[Expr, Expr], Expr]
    tensor: IndexedBase | None = None

    @property
    def is_vector(self) -> bool:
        return self.rows == 1 or self.columns == 1

    @property
    def length(self) -> Expr:
        return self.columns if self.rows == 1 else self.rows

    def entry(self, position: Expr) -> Expr:
        """Entry ``position`` of a vector, whichever way it is written."""
        return self.at(Integer(1), position) if self.rows == 1 else self.at(position, Integer(1))

    def map(self, function: Callable[[Expr], Expr]) -> Array:
        return Array(self.rows, self.columns, lambda r, c: function(self.at(r, c)))

    def transpose(self) -> Array:
        return Array(self.columns, self.rows, lambda r, c: self.at(c, r))


def column(length: Expr, entry: Callable[[Expr], Expr], tensor: IndexedBase | None = None) -> Array:
    return Array(length, Integer(1), lambda r, c: entry(r), tensor)


def row(length: Expr, entry: Callable[[Expr], Expr]) -> Array:
    return Array(Integer(1), length, lambda r, c: entry(c))


@dataclass(frozen=True)
class Dots:
    """An ellipsis cell (``\\cdots``, ``\\vdots``, ``\\ddots``, ``...``)."""

    written: str


Cell: TypeAlias = "Expr | Dots"


@dataclass(frozen=True)
class Written:
    """A vector or matrix written out cell by cell; ``rows`` of cells."""

    rows: tuple[tuple[Cell, ...], ...]

    @property
    def is_vector(self) -> bool:
        return len(self.rows) == 1 or all(len(r) == 1 for r in self.rows)

    def cells(self) -> tuple[Cell, ...]:
        """The cells of a vector in order."""
        return self.rows[0] if len(self.rows) == 1 else tuple(r[0] for r in self.rows)


Value: TypeAlias = "Expr | Array | Written"


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


# -- arithmetic -----------------------------------------------------------------
#
def _refuse_written(*values: Value) -> None:
    if any(isinstance(v, Written) for v in values):
        raise DerivsError(
            "a vector or matrix written out cell by cell can only be compared, not computed with"
        )


def elementwise_product(left: Value, right: Value) -> Value:
    """``a \\odot b``: entry by entry, of two arrays of one shape."""
    _refuse_written(left, right)
    if not (isinstance(left, Array) and isinstance(right, Array)):
        raise DerivsError("\\odot multiplies two vectors or matrices entry by entry")
    if (left.rows, left.columns) != (right.rows, right.columns):
        raise DerivsError(f"cannot multiply a {_shape(left)} by a {_shape(right)} entry by entry")
    a, b = left, right
    return Array(a.rows, a.columns, lambda r, c: times(a.at(r, c), b.at(r, c)))


def multiply(left: Value, right: Value) -> Value:
    _refuse_written(left, right)
    if isinstance(left, Array) and isinstance(right, Array):
        if left.columns != right.rows:
            raise DerivsError(
                f"cannot multiply a {_shape(left)} by a {_shape(right)}: the inner sizes differ"
            )
        inner, a, b = left.columns, left, right

        def entry(r: Expr, c: Expr) -> Expr:
            if inner == 1:
                return times(a.at(r, Integer(1)), b.at(Integer(1), c))
            return index_sum(lambda k: times(a.at(r, k), b.at(k, c)), inner)

        if left.rows == 1 and right.columns == 1:
            return entry(Integer(1), Integer(1))
        return Array(left.rows, right.columns, entry)
    if isinstance(left, Array):
        scale = right
        return left.map(lambda x: times(x, scale))
    if isinstance(right, Array):
        scale = left
        return right.map(lambda x: times(scale, x))
    return times(left, right)


def divide(left: Value, right: Value) -> Value:
    _refuse_written(left, right)
    if isinstance(right, Array):
        raise DerivsError(f"cannot divide by a {_shape(right)}")
    if isinstance(left, Array):
        return left.map(lambda x: over(x, right))
    return over(left, right)


def add(left: Value, right: Value, sign: int = 1) -> Value:
    _refuse_written(left, right)
    if isinstance(left, Array) and isinstance(right, Array):
        if (left.rows, left.columns) != (right.rows, right.columns):
            raise DerivsError(f"cannot add a {_shape(left)} and a {_shape(right)}")
        a, b = left, right
        return Array(a.rows, a.columns, lambda r, c: plus(a.at(r, c), b.at(r, c), sign))
    if isinstance(left, Array) or isinstance(right, Array):
        raise DerivsError("cannot add a scalar and a vector or matrix")
    return plus(left, right, sign)


def negate(value: Value) -> Value:
    _refuse_written(value)
    if isinstance(value, Array):
        return value.map(minus)
    return minus(value)


def elementwise(function: Callable[[Expr], Expr], value: Value) -> Value:
    _refuse_written(value)
    return value.map(function) if isinstance(value, Array) else function(value)


def _shape(value: Array) -> str:
    if value.rows == 1:
        return f"row of {value.columns}"
    if value.columns == 1:
        return f"column of {value.rows}"
    return f"{value.rows} x {value.columns} matrix"


# -- equations --------------------------------------------------------------------


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
    if isinstance(left, Array) and isinstance(right, Array):
        return _array_claims(left, right, entry_indices)
    if isinstance(left, Array) or isinstance(right, Array):
        raise DerivsError("one side is a scalar and the other a vector or matrix")
    return [Claim(left, right)]


def _array_claims(
    left: Array, right: Array, entry_indices: Callable[[Expr, Sequence[Basic]], Symbol]
) -> list[Claim]:
    if left.is_vector and right.is_vector and left.length == right.length:
        position = entry_indices(left.length, ())
        return [Claim(left.entry(position), right.entry(position), f"entry {position}")]
    if (left.rows, left.columns) != (right.rows, right.columns):
        raise DerivsError(f"a {_shape(left)} is compared with a {_shape(right)}")
    r = entry_indices(left.rows, ())
    c = entry_indices(left.columns, (r,))
    return [Claim(left.at(r, c), right.at(r, c), f"entry ({r}, {c})")]


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
