"""Readable one-line math for terminals and JSON reports.

``TextPrinter`` is a SymPy ``StrPrinter`` that writes what a note writes:
``∂a_i/∂z_j`` for a derivative, ``δ_ij`` for a Kronecker delta,
``Σ_{k=1}^{K} e^(z_k)`` for a sum, ``ŷ`` and ``σ`` for names that spell them.
Everything else is SymPy's own string form.
"""

from __future__ import annotations

from collections.abc import Sequence

from sympy import Basic, Expr, Indexed, Mul, Sum, Symbol
from sympy.core.function import AppliedUndef
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pretty.pretty_symbology import pretty_symbol
from sympy.printing.str import StrPrinter

from derivs.written import WrittenProduct, joined_terms, unevaluated


class TextPrinter(StrPrinter):
    """SymPy's string printer with the notation of machine-learning notes."""

    printmethod = "_derivs_text"

    def _print_Symbol(self, expr: Symbol) -> str:
        return str(pretty_symbol(expr.name))

    def _print_Function(self, expr: Basic) -> str:
        name = str(pretty_symbol(expr.func.__name__))
        return f"{name}({', '.join(self._print(arg) for arg in expr.args)})"

    def _print_IndexedBase(self, expr: Basic) -> str:
        return self._print(expr.label)

    def _print_Indexed(self, expr: Indexed) -> str:
        indices = [self._print(i) for i in expr.indices]
        base = self._print(expr.base)
        if all(len(i) == 1 for i in indices) and len(indices) <= 2:
            return f"{base}_{''.join(indices)}"
        return f"{base}_{{{','.join(indices)}}}"

    def _print_KroneckerDelta(self, expr: Basic) -> str:
        indices = [self._print(i) for i in expr.args[:2]]
        if all(len(i) == 1 for i in indices):
            return f"δ_{''.join(indices)}"
        return f"δ_{{{','.join(indices)}}}"

    def _print_Derivative(self, expr: Basic) -> str:
        variables = "".join(
            f"∂{self._print(v)}" + (f"^{n}" if n != 1 else "") for v, n in expr.variable_count
        )
        order = sum(n for _, n in expr.variable_count)
        top = "∂" if order == 1 else f"∂^{order}"
        inner = expr.expr
        if isinstance(inner, (Symbol, Indexed, AppliedUndef)):
            return f"{top}{self._print(inner)}/{variables}"
        return f"{top}/{variables} ({self._print(inner)})"

    def _print_Sum(self, expr: Basic) -> str:
        text = self.parenthesize(expr.function, PRECEDENCE["Mul"], strict=True)
        for variable, low, high in expr.limits:
            text = (
                f"Σ_{{{self._print(variable)}={self._print(low)}}}^{{{self._print(high)}}} {text}"
            )
        return text

    def _print_exp(self, expr: Expr) -> str:
        argument = expr.args[0]
        if isinstance(argument, (Symbol, Indexed)) or argument.is_Number:
            return f"e^{self._print(argument)}"
        return f"e^({self._print(argument)})"

    def _print_Pow(self, expr: Expr, rational: bool = False) -> str:
        base, exponent = expr.as_base_exp()
        if exponent == -1:
            return f"1/{self.parenthesize(base, PRECEDENCE['Pow'], strict=True)}"
        if exponent.is_Rational and exponent.q == 2 and exponent.p == 1:
            return f"√({self._print(base)})"
        power = self.parenthesize(exponent, PRECEDENCE["Pow"], strict=True)
        # a^b^c reads a^(b^c): a power as the base keeps its parentheses, (a^b)^c.
        return f"{self.parenthesize(base, PRECEDENCE['Pow'], strict=False)}^{power}"

    def parenthesize(self, item: Basic, level: int, strict: bool = False) -> str:
        # A sum inside a product or a power needs its parentheses: "(Σ_k e^z_k)^2".
        if isinstance(item, Sum) and level >= PRECEDENCE["Mul"]:
            return f"({self._print(item)})"
        return super().parenthesize(item, level, strict)

    def _print_Mul(self, expr: Expr) -> str:
        if isinstance(expr, Mul) and unevaluated(expr):
            written = WrittenProduct.of(expr)
            if not written.is_quotient:
                text = self._factors(written.factors)
            elif written.denominator:
                bottom = written.denominator
                below = self._factors(bottom)
                text = f"{self._factors(written.numerator) or '1'}/"
                text += below if len(bottom) == 1 else f"({below})"
            else:
                text = self._factors(written.numerator)
            return ("-" if written.negative else "") + text
        return super()._print_Mul(expr)

    def _factors(self, factors: Sequence[Expr]) -> str:
        if len(factors) == 1 and isinstance(factors[0], Mul):  # -a/b needs no parentheses
            return str(self._print(factors[0]))
        return "·".join(self.parenthesize(f, PRECEDENCE["Pow"], strict=True) for f in factors)

    def _print_Add(self, expr: Expr, order: str | None = None) -> str:
        if unevaluated(expr):
            return joined_terms([self._print(term) for term in expr.args])
        return super()._print_Add(expr, order)

    def _print_Subs(self, expr: Basic) -> str:
        at = ", ".join(
            f"{self._print(v)}={self._print(p)}"
            for v, p in zip(expr.variables, expr.point, strict=True)
        )
        return f"({self._print(expr.expr)})|_{{{at}}}"


#: The text of each expression printed, by identity: a chain's links share
#: their sides, so a report prints each side once.
_PRINTED: dict[int, tuple[Basic, str]] = {}


def text(expr: Basic) -> str:
    """``expr`` as one line of readable math."""
    known = _PRINTED.get(id(expr))
    if known is not None and known[0] is expr:
        return known[1]
    printed = TextPrinter().doprint(expr)
    remember(expr, printed)
    return printed


def remember(expr: Basic, printed: str) -> None:
    """Let :func:`text` answer ``printed`` for ``expr`` (this very object) without printing.

    For text printed earlier by :func:`text` from the same expression, as the
    verdict cache keeps it: a warm run shows its claims without SymPy's printer.
    """
    if len(_PRINTED) >= 10_000:
        _PRINTED.clear()
    _PRINTED[id(expr)] = (expr, printed)


#: The LaTeX commands that prose uses, as a terminal shows them.
PROSE_COMMANDS: dict[str, str] = {
    r"\operatorname{softmax}": "softmax",
    r"\operatorname{diag}": "diag",
    r"\partial": "∂",
    r"\sigma": "σ",
    r"\Sigma": "Σ",
    r"\delta": "δ",
    r"\epsilon": "ε",
    r"\hat{y}": "ŷ",
    r"\sum": "Σ",
    r"\log": "log",
    r"\max": "max",
    r"\neq": "≠",
    r"\le": "≤",
    r"\top": "ᵀ",
    r"\dots": "...",
    r"\{": "{",
    r"\}": "}",
    r"\;": " ",
}


def plain(prose: str) -> str:
    """An author's prose for a terminal: ``$`` dropped, LaTeX commands as Unicode."""
    pieces = prose.split("$")
    if len(pieces) % 2 == 0:
        return prose
    shown = []
    for position, piece in enumerate(pieces):
        if position % 2:
            for command, glyph in PROSE_COMMANDS.items():
                piece = piece.replace(command, glyph)
        shown.append(piece)
    return "".join(shown)
