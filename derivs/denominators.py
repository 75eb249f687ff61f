"""A sum of fractions shown to be zero denominator by denominator.

Over one common denominator a sum of fractions with ``n`` different
denominators multiplies them all out: the derivative of a product of ``n``
sigmoids of one variable, ``sum_m y_m sigma'(x y_m) prod_{k != m} sigma(x y_k)``,
compared with its log-derivative form, holds ``2^n`` terms that way.  Yet it
is zero term group by term group: the terms over ``1 + e^{x y_m}`` add up to
a polynomial, and the polynomials add up to zero.

:func:`vanishes` brings each term to lowest terms, adds the terms that share
a denominator, brings each such sum to lowest terms again (what is left may
have a smaller denominator, or none), and repeats while that changes
something.  Every step rewrites the sum into an equal sum, so when nothing
is left the sum is zero as a rational function of its atoms, as its rational
normal form would show.  When something is left, nothing follows: different
denominators may still cancel each other (``1/x - 1/(x+1) = 1/(x(x+1))``),
and the caller goes on to the common denominator.
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy
from sympy import Add, Expr

#: Rounds of regrouping at most; each round that changes something lowers a denominator.
MAX_ROUNDS = 8


def vanishes(expr: Expr) -> bool:
    """``expr`` (a sum of fractions of atoms) is zero, shown denominator by denominator."""
    groups = _grouped(Add.make_args(expr))
    for _ in range(MAX_ROUNDS):
        if not groups:
            return True
        regrouped = _grouped(
            sympy.cancel(Add(*numerators) / denominator)
            for denominator, numerators in groups.items()
        )
        if regrouped == groups:
            return False
        groups = regrouped
    return not groups


def denominators(expr: Expr) -> int:
    """How many different denominators the terms of ``expr`` have, as written."""
    return len({sympy.fraction(term)[1] for term in Add.make_args(expr)})


def _grouped(terms: Iterable[Expr]) -> dict[Expr, list[Expr]]:
    groups: dict[Expr, list[Expr]] = {}
    for term in terms:
        top, bottom = sympy.fraction(sympy.cancel(term))
        for part in Add.make_args(sympy.expand(top)):
            if part != 0:
                groups.setdefault(bottom, []).append(part)
    return groups
