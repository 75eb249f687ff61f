"""Einstein's convention: an index repeated in a product is summed over its range.

A document that states the convention (``summation = "einstein"`` in its
notation) writes ``W_{ij} x_j`` for ``\\sum_j W_{ij} x_j``.  In each term of
a side, an index that two factors of the product mention (free in each: not
bound by a sum already) is summed over its declared range; an index that one
factor mentions stays free.  Without the switch nothing is summed that the
document does not write as a sum: a repeated index stays free.
"""

from __future__ import annotations

from collections import Counter

from sympy import Add, Basic, Expr, Mul, Sum

from derivs.context import Context

#: The values the notation's ``summation`` switch takes.
SUMMATIONS = ("explicit", "einstein")


def summed(expr: Expr, context: Context) -> Expr:
    """``expr`` with each index that two factors of a product share summed over its range."""
    if isinstance(expr, Add):
        return Add(*(summed(term, context) for term in expr.args), evaluate=False)
    if not isinstance(expr, Mul):
        return expr
    ranges = context.index_of
    counts: Counter[Basic] = Counter()
    for factor in expr.args:
        counts.update(i for i in factor.free_symbols if i in ranges)
    term: Expr = expr
    for index in sorted((i for i, n in counts.items() if n == 2), key=str):
        declared = ranges[index]
        term = Sum(term, (index, declared.lower, declared.upper))
    return term
