"""Declaring a softmax in the symbols a document uses.

The documents name the same things differently (``a``, ``y`` or ``sigma`` for
the output; ``K``, ``n`` or ``m`` classes; ``S``, ``Sigma`` or no name for the
normaliser).  Each derivation keeps its document's names, so that its report
and its LaTeX read like the document.
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Add, Expr, IndexedBase, Mul, Pow, Sum, Symbol, exp

from derivs import Notation


@dataclass(frozen=True)
class SoftmaxSymbols:
    """The declared symbols of a softmax over ``classes`` logits."""

    classes: Symbol
    i: Symbol
    j: Symbol
    k: Symbol
    z: IndexedBase
    normaliser: Expr
    output: IndexedBase


def declare_softmax(
    n: Notation,
    *,
    classes: str = "K",
    output: str = "a",
    logits: str = "z",
    indices: str = "i j k",
    normaliser: str | None = "S",
) -> SoftmaxSymbols:
    """Declare classes, indices, logits, the normaliser and the softmax output.

    With ``normaliser=None`` the sum is written out wherever it appears, as
    documents 000 and 004 do.
    """
    K = n.dimension(classes)
    i, j, k = n.indices(indices, K)
    z = n.vector(logits, K)
    total = Sum(exp(z[k]), (k, 1, K))
    S = n.define(normaliser, total) if normaliser else total
    a = n.define_vector(output, i, exp(z[i]) / S)
    return SoftmaxSymbols(K, i, j, k, z, S, a)


def times(*factors: Expr) -> Expr:
    """A product kept as written (``e^{z_i} e^{z_i}``, ``0 \\cdot S``), not simplified."""
    return Mul(*factors, evaluate=False)


def minus(first: Expr, second: Expr) -> Expr:
    """``first - second`` kept as written (``0 - a_j``, ``0 \\cdot S - e^{z_i} e^{z_j}``)."""
    return Add(first, Mul(-1, second, evaluate=False), evaluate=False)


def over(numerator: Expr, denominator: Expr) -> Expr:
    """``numerator / denominator`` kept as written (``S / S``)."""
    return Mul(numerator, Pow(denominator, -1, evaluate=False), evaluate=False)


def negated(expr: Expr) -> Expr:
    """``-(expr)`` kept as written (``-(delta_cj - a_j)``)."""
    return Mul(-1, expr, evaluate=False)
