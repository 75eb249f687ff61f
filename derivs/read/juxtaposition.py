"""A juxtaposition: functions applied to what follows them, then a product.

``\\sin x \\cos x`` is read left to right: a function takes the group in
parentheses after it, or else the next item (``\\log \\sigma(x)``: a
function with its parentheses), a derivative operator
``\\frac{\\partial}{\\partial x}`` the rest of the product, a ``1`` the braces
of an indicator after it; what is left is multiplied in the written order.
A function without parentheses before several factors (``\\sin 2x``,
``\\log 2 \\pi``) does not say what it takes: an error, never ``\\sin(2) x``.
:class:`JuxtapositionReader` is the part of the translator that reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from lark import Token, Tree
from sympy import Expr

from derivs.errors import DerivsError
from derivs.read.entries import is_case
from derivs.read.operators import as_column, indicator
from derivs.read.parts import Reader
from derivs.read.pieces import (
    Condition,
    DerivativeOperator,
    Function,
    Group,
    One,
    Ones,
    Partial,
    Piece,
)
from derivs.read.shapes import (
    Array,
    Value,
    multiply,
)
from derivs.read.spelling import merge_words
from derivs.read.tree import (
    Node,
    fail,
    is_partial,
    split_scripts,
)

GRADIENT_OF_A_VECTOR = (
    "\\nabla_w of a vector is the Jacobian in one layout or its transpose in the other "
    "(\\nabla_w (A w) is A or A^\\top): write \\frac{\\partial (A w)}{\\partial w} "
    "or its entries \\frac{\\partial (A w)_i}{\\partial w_j}"
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
        pieces = self.ones_in_product(pieces)
        factors: list[Piece] = []
        n = 0
        while n < len(pieces):
            piece = pieces[n]
            following = pieces[n + 1] if n + 1 < len(pieces) else None
            if isinstance(piece, Function):
                scripted = scripted_arguments(items[n + 1]) if n + 1 < len(items) else None
                if scripted is not None:
                    # \sigma(x)^2 is (\sigma(x))^2, as \sin(x)^2 is \sin^2 x;
                    # \operatorname{softmax}(z)_i the entry i of softmax(z)
                    parens, sub, sup = scripted
                    group = self.piece(parens)
                    assert isinstance(group, Group)
                    applied = piece.apply(group.items, piece.node)
                    if sub is not None:
                        applied = self.entry_of(applied, sub, parens)
                    factors.append(self.power(applied, sup))
                    n += 2
                    continue
                if piece.bare is not None and (
                    following is None or (piece.needs_parens and not isinstance(following, Group))
                ):
                    factors.append(piece.bare())
                    n += 1
                    continue
                if following is None:
                    raise fail(piece.node, f"{piece.name} is applied to nothing")
                if isinstance(following, Group):
                    arguments: Sequence[Value] = following.items
                elif piece.needs_parens:
                    raise fail(
                        piece.node, f"{piece.name} is written with its arguments in parentheses"
                    )
                else:
                    # \log \sigma(x): the function after takes its parentheses first
                    inner = pieces[n + 2] if n + 2 < len(pieces) else None
                    if isinstance(following, Function) and isinstance(inner, Group):
                        applied = following.apply(inner.items, following.node)
                        factors.append(piece.apply((applied,), piece.node))
                        if n + 3 < len(pieces) and is_factor(pieces[n + 3]):
                            raise fail(piece.node, _unparenthesised(piece.name))
                        n += 3
                        continue
                    arguments = (self.settle(following, items[n + 1]),)
                    if n + 2 < len(pieces) and is_factor(pieces[n + 2]):
                        raise fail(piece.node, _unparenthesised(piece.name))
                factors.append(piece.apply(arguments, piece.node))
                n += 2
                continue
            if isinstance(piece, DerivativeOperator):
                rest = pieces[n + 1 :]
                if not rest:
                    raise fail(piece.node, "a derivative operator applied to nothing")
                if piece.unnamed:
                    named = (self.own_variable(rest, piece.node),) * piece.unnamed
                    piece = replace(piece, variables=named)
                target = self.settle(self.fold(rest, items[n + 1 :], node), node)
                by_vector = any(isinstance(v, Array) for v in piece.variables)
                if piece.gradient and by_vector and isinstance(target, Array):
                    raise fail(piece.node, GRADIENT_OF_A_VECTOR)
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
            value = self.settle(factor, item)
            try:
                result = multiply(result, value)
            except DerivsError as error:
                raise fail(item, str(error)) from None
        return result


def is_factor(piece: Piece) -> bool:
    """Whether ``piece`` is a plain value multiplied in (not a function applied or an operator)."""
    return isinstance(piece, (Expr, Array, Ones))


def _unparenthesised(name: str) -> str:
    """``\\sin 2x``: whether the function takes ``2`` or ``2x`` is not written."""
    return (
        f"{name} is followed by several factors without parentheses, so what it is applied to "
        f"is not written: write {name}(...) around its argument (\\sin(2x), \\sin(2) x)"
    )


def scripted_arguments(item: Node) -> tuple[Node, Node | None, Node | None] | None:
    """``(x)^2``, ``(z)_i`` after a function: the parentheses and their scripts, else None."""
    if not (isinstance(item, Tree) and item.data == "scripted" and len(item.children) == 2):
        return None
    primary, scripts = item.children
    sub, sup, primes = split_scripts(scripts)
    if not (isinstance(primary, Tree) and primary.data == "parens") or primes:
        return None
    if sub is not None and is_case(sub):
        return None
    return primary, sub, sup
