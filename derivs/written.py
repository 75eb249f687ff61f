"""Expressions as the author wrote them: built unevaluated, and laid out by the printers.

SymPy evaluates ``0 * S``, ``S / S`` or ``0 - a_j`` as it builds them; a
derivation keeps such lines with ``evaluate=False`` so that its report reads
like the document.  The reader builds every side so (:func:`times`,
:func:`over`, :func:`plus`, :func:`minus`): SymPy would cancel ``x / x`` to 1
and turn ``e^{z} e^{z}`` into ``e^{2 z}``, hiding what the author wrote from
the reports and from the check of what a side divides by
(:mod:`derivs.definedness`).  Both printers (:mod:`derivs.text` and
:mod:`derivs.latex`) recognise such a written sum or product here and lay
it out term by term, factor by factor, in the author's order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sympy import Add, Basic, Expr, IndexedBase, Mul, Pow, S, Symbol, preorder_traversal


def unevaluated(expr: Expr) -> bool:
    """The sum or product was written with ``evaluate=False``; SymPy would rewrite it.

    One that holds a power of two numbers is taken as written without
    rebuilding it: SymPy would compute ``2 \\cdot 9^{999^{999}}``.
    """
    return holds_number_power(expr) or bool(expr.func(*expr.args) != expr)


def holds_number_power(expr: Basic) -> bool:
    """``expr`` holds a power of two numbers, kept unevaluated (never computed)."""
    return any(
        isinstance(node, Pow) and node.base.is_number and node.exp.is_number
        for node in preorder_traversal(expr)
    )


def as_evaluated(expr: Basic) -> Basic:
    """``expr`` rebuilt bottom-up with SymPy's automatic evaluation.

    A sum, product or power that holds a power of two numbers stays as
    written (``2 \\cdot 10^{10^{10}}`` is never computed).
    """
    if not expr.args or isinstance(expr, (Symbol, IndexedBase)):
        return expr
    args = [as_evaluated(arg) for arg in expr.args]
    if isinstance(expr, (Add, Mul, Pow)):
        written = expr.func(*args, evaluate=False)
        return written if holds_number_power(written) else expr.func(*args)
    if args != list(expr.args):
        return expr.func(*args)
    return expr


@dataclass(frozen=True)
class WrittenProduct:
    """A written product split as an author reads it: sign, then its factors in order.

    ``numerator`` and ``denominator`` split the factors when the author wrote
    a quotient (every reciprocal after the other factors: ``\\frac{a b}{c}``);
    otherwise (``-\\frac{1}{s} \\times s (1 - s)``) :attr:`is_quotient` is
    false and a printer lays out :attr:`factors` in order, a reciprocal as
    ``1/s`` where it stands.
    """

    negative: bool
    factors: tuple[Expr, ...]

    @classmethod
    def of(cls, product: Mul) -> WrittenProduct:
        """The factors of ``product`` and of the plain products inside it, in order.

        A product of products reads the same without its parentheses, and
        each factor -1 is a sign; a quotient inside stays one factor.
        """
        factors = list(_factors(product))
        negative = factors.count(-1) % 2 == 1
        return cls(negative, tuple(f for f in factors if f != -1))

    @property
    def numerator(self) -> tuple[Expr, ...]:
        return tuple(f for f in self.factors if not reciprocal(f))

    @property
    def denominator(self) -> tuple[Expr, ...]:
        return tuple(f.base for f in self.factors if reciprocal(f))

    @property
    def is_quotient(self) -> bool:
        """Every reciprocal comes after the other factors, as in a written fraction."""
        top = len(self.numerator)
        return not any(reciprocal(f) for f in self.factors[:top])


def reciprocal(factor: Expr) -> bool:
    """``x^{-1}``, the way a quotient is written."""
    return isinstance(factor, Pow) and factor.exp == -1


def _factors(product: Mul) -> Iterator[Expr]:
    for factor in product.args:
        signed = isinstance(factor, Mul) and factor.args[0] == -1
        if isinstance(factor, Mul) and (signed or not any(map(reciprocal, factor.args))):
            yield from _factors(factor)
        else:
            yield factor


def joined_terms(terms: Sequence[str]) -> str:
    """Printed terms joined with ``+``, or with ``-`` where a term carries its sign."""
    text = terms[0]
    for term in terms[1:]:
        text += f" - {term[1:].lstrip()}" if term.startswith("-") else f" + {term}"
    return text


# -- building as written --------------------------------------------------------------


def times(left: Expr, right: Expr) -> Expr:
    """``left right`` as written; a product on the left (not a quotient) is extended.

    Extending keeps a long product (and a long sum, :func:`plus`) one level
    deep however many factors it has, as SymPy's own would be.
    """
    if isinstance(left, Mul) and not any(reciprocal(f) for f in left.args):
        return Mul(*left.args, right, evaluate=False)
    return Mul(left, right, evaluate=False)


def over(top: Expr, bottom: Expr) -> Expr:
    """``top / bottom`` as written: ``1 / x`` is ``x^{-1}``."""
    inverse = Pow(bottom, S.NegativeOne, evaluate=False)
    return inverse if top == 1 else Mul(top, inverse, evaluate=False)


def plus(left: Expr, right: Expr, sign: int = 1) -> Expr:
    """``left + right`` (``left - right`` with ``sign`` -1) as written."""
    term = right if sign == 1 else minus(right)
    if isinstance(left, Add):
        return Add(*left.args, term, evaluate=False)
    return Add(left, term, evaluate=False)


def minus(value: Expr) -> Expr:
    """``-value`` as written; a number is negated (``-2`` is the number -2)."""
    return -value if value.is_Number else Mul(S.NegativeOne, value, evaluate=False)
