"""The factors two sides of a link share, taken out before the sides are compared.

The derivative of a product of ``n`` factors is a product of ``n`` factors
again: ``d/dx_1 sigma(x_1) ... sigma(x_n)`` is ``sigma'(x_1) sigma(x_2) ...
sigma(x_n)``, and the claim it is compared with shares ``sigma(x_2) ...
sigma(x_n)``.  Brought over one common denominator, such a difference
multiplies out every denominator: ``2^n`` terms.  Taken apart first, it is
``P (A - B)`` with ``P`` the shared factors and ``A - B`` as small as the
part that differs.

What is shared:

- a side's *content*: for a product, its factors; for a sum, the factors
  that every term has (of two integer powers of one base with the same sign,
  the smaller: ``a/(1+e)^2 + b/(1+e)`` is ``1/(1+e)`` times ``a/(1+e) + b``),
  and the sum of what is left, as one factor;
- between the two sides, the factors both contents have, by the same rule,
  and only those that ``keep`` accepts.

Why it is sound: ``lhs = P A`` and ``rhs = P B`` are identities of
expressions (an integer power of a base split in two, a factor distributed
over a sum), so ``A = B`` gives ``lhs = rhs`` whatever ``P`` is; nothing is
divided.  Why it loses nothing: the caller keeps in ``P`` only factors that
are not zero as rational functions of their atoms; in that field
``P (A - B) = 0`` exactly when ``A - B = 0``, so a rational normal form of
``A - B`` decides what the rational normal form of ``lhs - rhs`` decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sympy import Add, Basic, Expr, Integer, Mul, Pow

#: A product as its bases and their exponents, in the order the factors come.
Powers = dict[Basic, Expr]


@dataclass(frozen=True)
class Shared:
    """``lhs = common * rest_lhs`` and ``rhs = common * rest_rhs``, as identities."""

    common: Expr
    rest_lhs: Expr
    rest_rhs: Expr


def shared_factors(lhs: Expr, rhs: Expr, keep: Callable[[Basic], bool]) -> Shared:
    """The factors of ``common`` both sides have, each base one that ``keep`` accepts."""
    left, right = content(lhs), content(rhs)
    common = {base: power for base, power in meet([left, right]).items() if keep(base)}
    if not common:
        return Shared(Integer(1), lhs, rhs)
    return Shared(product(common), product(without(left, common)), product(without(right, common)))


def content(expr: Expr) -> Powers:
    """``expr`` as a product of powers: of its factors, or of what every term has and the rest."""
    if not isinstance(expr, Add):
        return powers_of(expr)
    terms = [powers_of(term) for term in expr.args]
    shared = meet(terms)
    if not shared:
        return {expr: Integer(1)}
    rest = Add(*(product(without(term, shared)) for term in terms))
    found = dict(shared)
    for base, exponent in powers_of(rest).items():
        found[base] = found.get(base, Integer(0)) + exponent
    return found


def powers_of(expr: Expr) -> Powers:
    """The bases of a product and their exponents; an exponent is split off only if whole."""
    powers: Powers = {}
    for factor in Mul.make_args(expr):
        base, exponent = (
            (factor.base, factor.exp)
            if isinstance(factor, Pow) and factor.exp.is_Integer
            else (factor, Integer(1))
        )
        powers[base] = powers.get(base, Integer(0)) + exponent
    return powers


def meet(products: Iterable[Powers]) -> Powers:
    """The powers every product has: a base in all, at the exponent all of them hold."""
    found: Powers | None = None
    for powers in products:
        if found is None:
            found = {b: e for b, e in powers.items() if not b.is_number}
            continue
        found = {
            base: shared
            for base, exponent in found.items()
            if base in powers and (shared := _shared_exponent(exponent, powers[base])) != 0
        }
    return found or {}


def _shared_exponent(a: Expr, b: Expr) -> Expr:
    """What two powers of one base share: the same exponent, or the smaller of two whole ones.

    Whole exponents of opposite signs share nothing (``x^2`` and ``x^-1``); a
    fractional one only itself, since ``x^(1/2)`` is no integer power of anything.
    """
    if a == b:
        return a
    if a.is_Integer and b.is_Integer and (a > 0) == (b > 0):
        return a if abs(a) < abs(b) else b
    return Integer(0)


def without(powers: Powers, taken: Powers) -> Powers:
    """``powers`` divided by ``taken`` (which it holds)."""
    left = {base: exponent - taken.get(base, Integer(0)) for base, exponent in powers.items()}
    return {base: exponent for base, exponent in left.items() if exponent != 0}


def product(powers: Powers) -> Expr:
    return Mul(*(Pow(base, exponent) for base, exponent in powers.items()))
