"""The vector of ones ``\\mathbf{1}``, whose length is the one its neighbours force.

Authors write ``\\mathbf{1}^\\top t`` (the sum of ``t``'s entries),
``z - c\\mathbf{1}`` (``c`` taken from every entry) and ``X W + \\mathbf{1}
b^\\top`` (``b^\\top`` added to every row) without ever writing the length
of ``\\mathbf{1}``: the shapes around it force it.

- In a product, a row ``\\mathbf{1}^\\top`` has as many entries as the rows of
  the factor after it; a column ``\\mathbf{1}`` as many as the columns of the
  factor before it.
- In a sum, ``\\mathbf{1}`` (or a product holding it) takes the shape of the
  other term: a column as long as its rows, a row as long as its columns.

Anywhere else its length is not written, and that is an error: never a
guess, and never the number 1.  :class:`OnesReader` is the part of the
translator that sizes it; :class:`UnsizedOnes` is the error that lets a sum
read its other term first and try again.
"""

from __future__ import annotations

from collections.abc import Callable

from sympy import Expr, Integer

from derivs.read.parts import Reader
from derivs.read.pieces import Condition, One, Ones, Piece
from derivs.read.shapes import Array, Value, column, row
from derivs.read.tex import TexError
from derivs.read.tree import Node, where

BOLD_ONES = frozenset({"\\mathbf{1}", "\\bm{1}", "\\boldsymbol{1}"})


class UnsizedOnes(TexError):
    """A ``\\mathbf{1}`` read where no neighbour gives its length (yet)."""


class OnesReader(Reader):
    """Sizes ``\\mathbf{1}`` by its neighbours in a product and the other term of a sum."""

    #: The (rows, columns) a sum being read forces on its terms, innermost last.
    sum_shapes: list[tuple[Expr, Expr]]

    def sized_ones(self, ones: Ones) -> Array:
        """``ones`` with the length of the sum around it, or :class:`UnsizedOnes`."""
        if not self.sum_shapes:
            raise unsized(ones.node)
        rows, columns = self.sum_shapes[-1]
        if ones.transposed:
            return row(columns, lambda c: Integer(1))
        return column(rows, lambda r: Integer(1))

    def ones_in_product(self, pieces: list[Piece]) -> list[Piece]:
        """Each ``\\mathbf{1}`` of a product sized by the factor beside it, where one does."""
        sized = [_as_ones(piece, pieces[n + 1 : n + 2]) for n, piece in enumerate(pieces)]
        pieces = list(sized)
        for n, piece in enumerate(pieces):
            if not isinstance(piece, Ones):
                continue
            if piece.transposed and n + 1 < len(pieces):
                after = pieces[n + 1]
                if isinstance(after, Array):
                    sized[n] = row(after.rows, lambda c: Integer(1))
            elif not piece.transposed and n > 0:
                before = sized[n - 1]
                if isinstance(before, Array) and before.columns != 1:
                    sized[n] = column(before.columns, lambda r: Integer(1))
        return sized

    def summed(self, left: Node, right: Node, combine: Callable[[Value, Value], Value]) -> Value:
        """``left + right`` (or minus): a term holding an unsized ``\\mathbf{1}`` read last."""
        try:
            first = self.value(left)
        except UnsizedOnes:
            second = self.value(right)
            return combine(self.shaped_by(second, left), second)
        try:
            second = self.value(right)
        except UnsizedOnes:
            second = self.shaped_by(first, right)
        return combine(first, second)

    def shaped_by(self, other: Value, node: Node) -> Value:
        """``node`` read with the shape of ``other`` forced on any ``\\mathbf{1}`` in it."""
        if not isinstance(other, Array):
            raise unsized(node)
        self.sum_shapes.append((other.rows, other.columns))
        try:
            return self.value(node)
        finally:
            self.sum_shapes.pop()


def _as_ones(piece: Piece, following: list[Piece]) -> Piece:
    """A ``\\mathbb{1}`` with no condition after it: the vector of ones."""
    if isinstance(piece, One) and piece.blackboard and not _is_condition(following):
        return Ones(piece.node)
    return piece


def _is_condition(following: list[Piece]) -> bool:
    return bool(following) and isinstance(following[0], Condition)


def unsized(node: Node) -> UnsizedOnes:
    return UnsizedOnes(
        "the length of the vector of ones \\mathbf{1} is not written here: write it beside "
        "a vector it multiplies or is added to (\\mathbf{1}^\\top t, z - c\\mathbf{1})",
        *where(node),
    )
