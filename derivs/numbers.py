"""Decimal rounding and truncation, for checking the numbers a document prints.

A worked example prints values to some number of places: ``e^3 =
20.0855369232``.  To check "every digit the document prints", the rounding
has to be explicit, because documents differ: one rounds, another truncates.
``rounded(x, places)`` and ``truncated(x, places)`` are SymPy functions that
stay unevaluated (so a report shows ``round_10(e^3)``) until the checker asks
for their value with ``doit()``.

The value is computed from an evaluation of ``x`` to ``places + 30`` digits.
If ``x`` lies so close to a rounding boundary that those digits cannot
decide the printed digit, the function stays unevaluated, and the link is
unknown rather than wrongly proved or refuted.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, localcontext

import sympy
from sympy import Expr, Function, Rational

#: Extra digits beyond the printed places used to decide the printed digit.
GUARD_DIGITS = 30


class DecimalPlaces(Function):
    """``x`` to ``places`` decimal places; subclasses say how."""

    mode: str = ROUND_HALF_EVEN
    label: str = ""

    @classmethod
    def eval(cls, x: Expr, places: Expr) -> None:
        if not (places.is_Integer and places >= 0):
            raise TypeError(f"{cls.__name__}: places must be a non-negative integer, not {places}")

    def doit(self, deep: bool = True, **hints: object) -> Expr:
        x, places = self.args
        if deep:
            x = x.doit(deep=True, **hints)
        value = self._decide(x, int(places))
        return value if value is not None else self.func(x, places)

    def _eval_evalf(self, precision: int) -> Expr | None:
        value = self._decide(self.args[0], int(self.args[1]))
        return None if value is None else value._eval_evalf(precision)

    @classmethod
    def _decide(cls, x: Expr, places: int) -> Rational | None:
        if not x.is_number:
            return None
        digits = places + GUARD_DIGITS + max(0, _integer_digits(x))
        approximate = sympy.N(x, digits)
        if not approximate.is_Float:
            return None
        with localcontext() as context:
            context.prec = digits + 10
            exact = Decimal(str(approximate))
            unit = Decimal(1).scaleb(-places)
            low = exact.quantize(unit, rounding=cls.mode)
            margin = Decimal(1).scaleb(-(places + GUARD_DIGITS // 2))
            if cls.mode == ROUND_DOWN:
                edges = (low, low + unit if exact >= 0 else low - unit)
            else:
                edges = (low - unit / 2, low + unit / 2)
            if any(abs(exact - edge) < margin for edge in edges):
                return None
        return Rational(str(low))


def _integer_digits(x: Expr) -> int:
    magnitude = abs(sympy.N(x, 15))
    if magnitude == 0:
        return 1
    return int(sympy.floor(sympy.log(magnitude, 10))) + 1


class rounded(DecimalPlaces):
    """``x`` rounded to ``places`` decimal places (half to even)."""

    mode = ROUND_HALF_EVEN
    label = "round"


class truncated(DecimalPlaces):
    """``x`` truncated (towards zero) to ``places`` decimal places."""

    mode = ROUND_DOWN
    label = "trunc"


def decimal(text: str) -> Rational:
    """The exact value of a printed decimal such as ``"20.0855369232"``."""
    Decimal(text)  # refuses anything that is not a decimal numeral
    return Rational(text)


__all__ = ["decimal", "rounded", "truncated"]
