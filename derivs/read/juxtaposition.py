"""A juxtaposition: functions applied to what follows them, then a product.

``\\log \\sigma(x) y`` is read left to right: a function takes the group in
parentheses after it (or the next item), a derivative operator
``\\frac{\\partial}{\\partial x}`` the rest of the product, a ``1`` the braces
of an indicator after it; what is left is multiplied in the written order.
:class:`JuxtapositionReader` is the part of the translator that reads it.
"""

from __future__ import annotations

from collections.abc import Sequence

from lark import Token, Tree

from derivs.errors import DerivsError
from derivs.read.operators import as_column, indicator
from derivs.read.parts import Reader
from derivs.read.pieces import (
    Condition,
    DerivativeOperator,
    Function,
    Group,
    One,
    Partial,
    Piece,
)
from derivs.read.shapes import (
    Value,
    multiply,
)
from derivs.read.spelling import merge_words
from derivs.read.tree import (
    Node,
    fail,
    is_partial,
)


class JuxtapositionReader(Reader):
    """Reads juxtapositions."""

    def _read_juxt(self, node: Tree[Token]) -> Piece:
        items = merge_words(list(node.children), self.vocabulary, self.bound)
        if (
            items
            and isinstance(items[0], Tree)
            and items[0].data == "scripted"
            and is_partial(items[0])
        ):
            return Partial(self.juxtaposed(items[1:], node), node)
        return self.fold([self.piece(i) for i in items], items, node)

    def juxtaposed(self, items: Sequence[Node], node: Node) -> Value:
        if not items:
            raise fail(node, "nothing after \\partial")
        return self.settle(self.fold([self.piece(i) for i in items], list(items), node), node)

    def fold(self, pieces: list[Piece], items: Sequence[Node], node: Node) -> Piece:
        """Apply functions to their arguments, then multiply what is left."""
        factors: list[Piece] = []
        n = 0
        while n < len(pieces):
            piece = pieces[n]
            following = pieces[n + 1] if n + 1 < len(pieces) else None
            if isinstance(piece, Function):
                if following is None:
                    raise fail(piece.node, f"{piece.name} is applied to nothing")
                if isinstance(following, Group):
                    arguments: Sequence[Value] = following.items
                elif piece.needs_parens:
                    raise fail(
                        piece.node, f"{piece.name} is written with its arguments in parentheses"
                    )
                else:
                    arguments = (self.settle(following, items[n + 1]),)
                factors.append(piece.apply(arguments, piece.node))
                n += 2
                continue
            if isinstance(piece, DerivativeOperator):
                rest = pieces[n + 1 :]
                if not rest:
                    raise fail(piece.node, "a derivative operator applied to nothing")
                target = self.settle(self.fold(rest, items[n + 1 :], node), node)
                taken = self.derivatives(target, piece.variables, piece.node)
                factors.append(as_column(taken) if piece.gradient else taken)
                break
            if isinstance(piece, One) and isinstance(following, Condition):
                factors.append(indicator(following.relation))
                n += 2
                continue
            if isinstance(piece, Partial):
                raise fail(piece.node, "\\partial in the middle of a product")
            factors.append(piece)
            n += 1
        if len(factors) == 1:
            return factors[0]
        result = self.settle(factors[0], node)
        for factor, item in zip(factors[1:], items[1:], strict=False):
            try:
                result = multiply(result, self.settle(factor, item))
            except DerivsError as error:
                raise fail(item, str(error)) from None
        return result
