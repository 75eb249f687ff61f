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

    def _latex(self, printer: object) -> str:
        x, places = (printer._print(arg) for arg in self.args)  # type: ignore[attr-defined]
        return rf"\operatorname{{{self.label}}}_{{{places}}}\left({x}\right)"

    def _derivs_text(self, printer: object) -> str:
        x, places = (printer._print(arg) for arg in self.args)  # type: ignore[attr-defined]
        return f"{self.label}_{places}({x})"

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


class DecimalNumeral(Function):
    """A decimal as a document prints it: ``20.0855369232``, exactly.

    Its value is the exact rational; it prints with the same digits it was
    written with, so a report shows the document's numerals.
    """

    @classmethod
    def eval(cls, value: Expr, places: Expr) -> None:
        if not (value.is_Rational and places.is_Integer and places >= 0):
            raise TypeError("DecimalNumeral takes an exact rational and a number of places")

    @property
    def value(self) -> Rational:
        return self.args[0]

    def numeral(self) -> str:
        places = int(self.args[1])
        with localcontext() as context:
            context.prec = 100
            exact = Decimal(int(self.value.p)) / Decimal(int(self.value.q))
            return str(exact.quantize(Decimal(1).scaleb(-places)))

    def doit(self, deep: bool = True, **hints: object) -> Expr:
        return self.value

    def _eval_evalf(self, precision: int) -> Expr:
        return self.value._eval_evalf(precision)

    def _eval_is_positive(self) -> bool:
        return bool(self.value.is_positive)

    def _eval_is_real(self) -> bool:
        return True

    def _latex(self, printer: object) -> str:
        return self.numeral()

    def _derivs_text(self, printer: object) -> str:
        return self.numeral()

    def _sympystr(self, printer: object) -> str:
        return self.numeral()


def decimal(text: str) -> DecimalNumeral:
    """The printed decimal ``text`` (``"20.0855369232"``): exact, and printed as written."""
    try:
        parsed = Decimal(text)
    except ArithmeticError:
        raise ValueError(f"{text!r} is not a decimal numeral") from None
    if not parsed.is_finite():
        raise ValueError(f"{text!r} is not a finite decimal")
    places = max(0, -int(parsed.as_tuple().exponent))
    sign, digits, exponent = parsed.as_tuple()
    numerator = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    value = Rational(numerator, 1) * Rational(10) ** int(exponent)
    return DecimalNumeral(value, places)


__all__ = ["DecimalNumeral", "decimal", "rounded", "truncated"]
