"""The functions every reader knows by name, with their exact meaning.

``\\tanh``, ``\\max(0, x)``, ``\\exp``, ``\\log``, ``\\operatorname{diag}(a)``
and the others below are standard: a document need not declare them, and a
declaration of the same name wins over this table.  Each is built unevaluated, as written
(``\\tanh(0)`` stays ``tanh(0)`` until the checker canonicalises it).  The
same names written in letters (``\\operatorname{tanh}``, ``\\mathrm{max}``,
``tanh``) are the same functions.

A name in letters that is neither declared nor standard
(``\\operatorname{LSE}``, ``\\mathrm{Cost}``, ``\\text{softmax}``) is never
read as prose: :func:`undeclared` is the error that says how to declare it.
Only a phrase of several words (``\\text{cross entropy}``) is prose.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sympy import Expr, KroneckerDelta, Max, Min, Mul, Pow, cos, cosh, exp, log, sin, sinh, tanh

from derivs.read.pieces import Function
from derivs.read.shapes import Array, Value, elementwise
from derivs.read.tree import Node


@dataclass(frozen=True)
class Standard:
    """A standard function: how it is built from its scalar arguments, and how many it takes.

    ``arity`` None means two or more (``\\max(a, b, c)``).
    """

    build: Callable[..., Expr]
    arity: int | None = 1


def _unevaluated(function: Callable[..., Expr]) -> Callable[..., Expr]:
    return lambda *arguments: function(*arguments, evaluate=False)


@dataclass(frozen=True)
class OnVector:
    """A function of a whole vector: ``\\operatorname{diag}(a)``, a softmax."""

    build: Callable[[Array], Value]


def diagonal(vector: Array) -> Array:
    """``\\operatorname{diag}(a)``: the square matrix with ``a`` on its diagonal, 0 elsewhere."""
    return Array(
        vector.length,
        vector.length,
        lambda r, c: Mul(vector.entry(r), KroneckerDelta(r, c), evaluate=False),
    )


STANDARD: dict[str, Standard | OnVector] = {
    "tanh": Standard(_unevaluated(tanh)),
    "sinh": Standard(_unevaluated(sinh)),
    "cosh": Standard(_unevaluated(cosh)),
    "sin": Standard(_unevaluated(sin)),
    "cos": Standard(_unevaluated(cos)),
    "exp": Standard(exp),
    "log": Standard(log),
    "ln": Standard(log),
    "max": Standard(_unevaluated(Max), None),
    "min": Standard(_unevaluated(Min), None),
    "diag": OnVector(diagonal),
}
"""By the word: ``\\tanh``, ``\\text{tanh}`` and ``tanh`` are all ``tanh``."""


def standard_word(key: str) -> str | None:
    """The word of a standard function's key (``\\tanh``, ``\\text{tanh}``, ``tanh``), or None."""
    word = key
    if key.startswith("\\text{") and key.endswith("}"):
        word = key[len("\\text{") : -1].strip()
    elif key.startswith("\\"):
        word = key[1:]
    return word if word in STANDARD else None


def undeclared(key: str) -> str:
    """The message for a function name in letters that nothing declares."""
    word = key[len("\\text{") : -1].strip() if key.startswith("\\text{") else key
    return (
        f"{key} is not declared: declare it as a function (under [functions], {word} = 1) "
        f"or define it (under [definitions], '\\operatorname{{{word}}}(z)' = ...)"
    )


def standard_power(key: str, times: int | None) -> bool:
    """Whether ``key^{times}(x)`` is ``(key(x))^{times}``: a standard function of one
    variable and a whole power of at least 2 (``\\tanh^{-1}`` is an inverse, not read)."""
    word = standard_word(key)
    if word is None or times is None or times < 2:
        return False
    meaning = STANDARD[word]
    return isinstance(meaning, Standard) and meaning.arity == 1


def unread_function_power(name: str) -> str:
    """The message for a script on a function that is not read as a power.

    ``\\tanh^{-1}`` is the inverse, ``f^{(2)}`` a derivative and ``f^2`` a
    power or a composition, by convention: none is guessed.
    """
    return (
        f"a script on the function {name} is not read: {name}^{{-1}} is its inverse, "
        f"{name}^{{(2)}} a derivative, {name}^2 a power or a composition: write "
        f"({name}(x))^2, {name}''(x), or give the inverse a name of its own and define it"
    )


def powered(function: Function, times: int) -> Function:
    """``\\tanh^2``: the function applied, then raised to ``times``, unevaluated."""

    def apply(arguments: Sequence[Value], at: Node) -> Value:
        return elementwise(
            lambda value: Pow(value, times, evaluate=False), function.apply(arguments, at)
        )

    return Function(f"{function.name}^{times}", apply, False, function.node)
