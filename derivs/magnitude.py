"""How large a number written in a document can be, decided without computing it.

A document may write ``x^{((9^{999})^{999})^{999}}``: 38 bytes whose value has
about 10^9 digits.  Comparing it with a bound (``abs(e) > 1000``) makes SymPy
compute it first, so a bound on what is read is checked here on the
expression's structure instead: :func:`log10_bound` is an upper bound of
``log10 |e|`` from the digits of its integers and the shape of its powers,
products and sums, in floating point, and never evaluates ``e``.
"""

from __future__ import annotations

import math

from sympy import Add, Expr, Integer, Mul, NumberSymbol, Pow, Rational, exp
from sympy.core.numbers import Float, ImaginaryUnit

#: Where an estimate stops: beyond 10^15 no bound of a document is near.
_HUGE = 15.0


def log10_bound(value: Expr) -> float:
    """An upper bound of ``log10 |value|`` (at least 0), or ``inf`` when not cheaply bounded."""
    if isinstance(value, Integer):
        return _digits(int(value))
    if isinstance(value, Rational):
        return _digits(int(value.p))
    if isinstance(value, Float):
        magnitude = abs(float(value))
        return math.log10(magnitude) if magnitude > 1 else 0.0
    if isinstance(value, (NumberSymbol, ImaginaryUnit)):
        return 1.0
    if isinstance(value, Pow):
        base, exponent = value.args
        reach = log10_bound(exponent)
        if reach > _HUGE:
            return math.inf
        # |b^e| <= max(|b|, |1/b|)^|e|, and |1/b| is bounded only for a rational b.
        inverse = _digits(int(base.q)) if isinstance(base, Rational) and base != 0 else math.inf
        if isinstance(base, Integer) and base != 0:
            inverse = 0.0
        return _product(10.0**reach, max(log10_bound(base), inverse))
    if isinstance(value, Mul):
        return sum((log10_bound(a) for a in value.args), 0.0)
    if isinstance(value, Add):
        return max(log10_bound(a) for a in value.args) + math.log10(len(value.args))
    if isinstance(value, exp):
        reach = log10_bound(value.args[0])
        return math.inf if reach > _HUGE else _product(10.0**reach, math.log10(math.e))
    return math.inf


def at_most(value: Expr, bound: int) -> bool:
    """Whether the number ``|value|`` is at most ``bound``, computed only when it is small."""
    if log10_bound(value) > _HUGE:
        return False
    return not bool(abs(value) > bound)


def _digits(number: int) -> float:
    return max(0.0, (abs(number).bit_length()) * math.log10(2))


def _product(times: float, digits: float) -> float:
    if digits == 0:
        return 0.0
    result = times * digits
    return result if math.isfinite(result) else math.inf
