"""Expressions as the author wrote them, for the printers.

SymPy evaluates ``0 * S``, ``S / S`` or ``0 - a_j`` as it builds them; a
derivation keeps such lines with ``evaluate=False`` so that its report reads
like the document.  Both printers (:mod:`derivs.text` and
:mod:`derivs.latex`) recognise such a written sum or product here and lay
it out term by term, factor by factor, in the author's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sympy import Expr, Mul, Pow


def unevaluated(expr: Expr) -> bool:
    """The sum or product was written with ``evaluate=False``; SymPy would rewrite it."""
    return bool(expr.func(*expr.args) != expr)


@dataclass(frozen=True)
class WrittenProduct:
    """A written product split as an author reads it: sign, numerator, denominator."""

    negative: bool
    numerator: tuple[Expr, ...]
    denominator: tuple[Expr, ...]

    @classmethod
    def of(cls, product: Mul) -> WrittenProduct:
        factors = list(product.args)
        negative = bool(factors) and factors[0] == -1
        if negative:
            factors = factors[1:]

        def reciprocal(factor: Expr) -> bool:
            return isinstance(factor, Pow) and factor.exp == -1

        return cls(
            negative,
            tuple(f for f in factors if not reciprocal(f)),
            tuple(f.base for f in factors if reciprocal(f)),
        )


def joined_terms(terms: Sequence[str]) -> str:
    """Printed terms joined with ``+``, or with ``-`` where a term carries its sign."""
    text = terms[0]
    for term in terms[1:]:
        text += f" - {term[1:].lstrip()}" if term.startswith("-") else f" + {term}"
    return text
