"""Vectors and matrices as documents write them, and arithmetic on them.

A derivation in a note mixes scalars (``a_i``) with whole vectors
(``\\mathbf a - \\mathbf y``), gradients (``\\partial l / \\partial \\mathbf z``, a
row), Jacobians (``\\partial \\mathbf a / \\partial \\mathbf z``) and matrices
written out with ellipses.  This module holds those values; an equation
between them becomes scalar claims in :mod:`derivs.read.claims`.

An :class:`Array` is a rule ``(row, column) -> entry`` with a shape; rows
and columns count from 1.  A row times a column is a scalar (``\\hat{y}^\\top
\\log y``).  Vectors are columns unless written as rows.  The derivative of
a scalar by a vector is a row by derivs' layout (numerator layout: a Jacobian's
rows are the entries of what is differentiated), but many authors write the
same gradient as a column (denominator layout): such an array is marked
``gradient``, and only an equation with a gradient on one side may compare a
row with a column of the same length, entry by entry.  Anywhere else a row is
not a column: ``z = z^\\top`` is a shape mismatch, never a proof.
In a sum, a written number beside a vector is added to every entry
(``1 - \\sigma(a)``); beside a matrix only 0 is, as ``A + 1`` may mean the
identity.  A :class:`Written` vector or matrix (``[a_1, a_2, \\cdots, a_n]``) keeps its
cells, :class:`Dots` for an ellipsis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import TypeAlias

from sympy import (
    Basic,
    Dummy,
    Expr,
    IndexedBase,
    Integer,
    Sum,
    Symbol,
)

from derivs.errors import DerivsError
from derivs.written import minus, over, plus, times


def mentioned(expr: Basic) -> set[Symbol]:
    """Every symbol written in ``expr``, bound ones and derivative variables included.

    ``free_symbols`` leaves out the ``j`` of ``d a_r / d z_j``; choosing an
    index by it could capture that ``j``, so avoidance and positions use this.
    """
    return set(expr.atoms(Symbol))


def mentioned_in(value: Value) -> set[Symbol]:
    """Every symbol a value writes: of a scalar, or of an array's entry at a generic place.

    A written matrix is never an argument to compute with, so it mentions nothing here.
    """
    if isinstance(value, Expr):
        return mentioned(value)
    if isinstance(value, Written):
        return set()
    row, col = Dummy("r", integer=True), Dummy("c", integer=True)
    return (
        mentioned(value.at(row, col)) - {row, col}
        | mentioned(value.rows)
        | mentioned(value.columns)
    )


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
    gradient: bool = False

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
        """Entry by entry; a scaled or negated gradient is still a gradient."""
        return Array(
            self.rows,
            self.columns,
            lambda r, c: function(self.at(r, c)),
            gradient=self.gradient,
        )

    def transpose(self) -> Array:
        return Array(self.columns, self.rows, lambda r, c: self.at(c, r), gradient=self.gradient)


def column(length: Expr, entry: Callable[[Expr], Expr], tensor: IndexedBase | None = None) -> Array:
    return Array(length, Integer(1), lambda r, c: entry(r), tensor)


def row(length: Expr, entry: Callable[[Expr], Expr], *, gradient: bool = False) -> Array:
    return Array(Integer(1), length, lambda r, c: entry(c), gradient=gradient)


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
        raise DerivsError(
            f"cannot multiply a {shape_name(left)} by a {shape_name(right)} entry by entry"
        )
    a, b = left, right
    gradient = a.gradient or b.gradient
    return Array(a.rows, a.columns, lambda r, c: times(a.at(r, c), b.at(r, c)), gradient=gradient)


def multiply(left: Value, right: Value) -> Value:
    _refuse_written(left, right)
    if isinstance(left, Array) and isinstance(right, Array):
        if left.columns != right.rows:
            raise DerivsError(
                f"cannot multiply a {shape_name(left)} by a {shape_name(right)}: "
                "the inner sizes differ"
            )
        inner, a, b = left.columns, left, right

        def entry(r: Expr, c: Expr) -> Expr:
            if inner == 1:
                return times(a.at(r, Integer(1)), b.at(Integer(1), c))
            return index_sum(lambda k: times(a.at(r, k), b.at(k, c)), inner)

        if left.rows == 1 and right.columns == 1:
            return entry(Integer(1), Integer(1))
        return Array(left.rows, right.columns, entry, gradient=a.gradient or b.gradient)
    if isinstance(left, Array):
        scale = right
        return left.map(lambda x: times(x, scale))
    if isinstance(right, Array):
        scale = left
        return right.map(lambda x: times(scale, x))
    return times(left, right)


def dot(left: Value, right: Value) -> Value:
    """``w \\cdot x``: of two vectors written alike and of one length, their dot product;
    of anything else, the product :func:`multiply` reads."""
    if (
        isinstance(left, Array)
        and isinstance(right, Array)
        and left.is_vector
        and right.is_vector
        and (left.rows == 1) == (right.rows == 1)
        and left.length == right.length
        and left.length != 1
    ):
        a, b = left, right
        return index_sum(lambda k: times(a.entry(k), b.entry(k)), left.length)
    return multiply(left, right)


def divide(left: Value, right: Value) -> Value:
    _refuse_written(left, right)
    if isinstance(right, Array):
        raise DerivsError(f"cannot divide by a {shape_name(right)}")
    if isinstance(left, Array):
        return left.map(lambda x: over(x, right))
    return over(left, right)


def add(left: Value, right: Value, sign: int = 1) -> Value:
    _refuse_written(left, right)
    if isinstance(left, Array) and isinstance(right, Array):
        if (left.rows, left.columns) != (right.rows, right.columns):
            raise DerivsError(f"cannot add a {shape_name(left)} and a {shape_name(right)}")
        a, b = left, right
        gradient = a.gradient or b.gradient
        return Array(
            a.rows, a.columns, lambda r, c: plus(a.at(r, c), b.at(r, c), sign), gradient=gradient
        )
    if isinstance(left, Array):
        number = spread(right, left)
        return left.map(lambda x: plus(x, number, sign))
    if isinstance(right, Array):
        number = spread(left, right)
        return right.map(lambda x: plus(number, x, sign))
    return plus(left, right, sign)


def spread(value: Expr, array: Array) -> Expr:
    """A written number beside a vector in a sum, added to every entry (``1 - \\sigma(a)``);
    beside a matrix only 0, since ``A + 1`` may mean the identity or a matrix of ones."""
    if not (isinstance(value, Expr) and value.is_number):
        raise DerivsError("cannot add a scalar and a vector or matrix")
    if not array.is_vector and value != 0:
        raise DerivsError(
            f"a number beside a {shape_name(array)} in a sum: write it times the identity "
            "or times a matrix of ones"
        )
    return value


def negate(value: Value) -> Value:
    _refuse_written(value)
    if isinstance(value, Array):
        return value.map(minus)
    return minus(value)


def elementwise(function: Callable[[Expr], Expr], value: Value) -> Value:
    _refuse_written(value)
    return value.map(function) if isinstance(value, Array) else function(value)


def shape_name(value: Array) -> str:
    if value.rows == 1:
        return f"row of {value.columns}"
    if value.columns == 1:
        return f"column of {value.rows}"
    return f"{value.rows} x {value.columns} matrix"
