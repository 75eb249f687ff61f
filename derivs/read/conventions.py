"""Conventional names: what an ML write-up means by a function it names and never defines.

Authors write ``\\operatorname{softmax}(z)``, ``\\mathrm{ReLU}(x)`` or
``\\text{sigmoid}(a)`` without a definition, because every reader of the
field knows them.  Unlike :mod:`derivs.read.standard` (``\\tanh``,
``\\log``: one meaning in all of mathematics), such a name is read in its
conventional meaning only where a notation says so: declared as
``[functions] '\\operatorname{softmax}' = "softmax"``, or inferred for a
document that declares no notation and defines no such name
(:mod:`derivs.read.infer`), which says so in its report and in the notation
it prints.  A refutation of a link that reads one is reported with that
assumption (:mod:`derivs.readings`).

Each meaning is exact and built unevaluated:

- ``sigmoid(x)`` is ``1 / (1 + e^{-x})``, ``relu(x)`` is ``\\max(0, x)``
  (whose derivative at the kink ``x = 0`` is left undefined, never guessed),
  ``softplus(x)`` is ``\\log(1 + e^{x})``; each of one scalar, and of a
  vector entry by entry;
- ``softmax(v)`` is the vector of ``e^{v_i} / \\sum_k e^{v_k}`` and
  ``logsumexp(v)`` (``LSE``) the scalar ``\\log \\sum_k e^{v_k}``: each of a whole
  vector, never of a scalar.

``\\sigma`` is no conventional name: it is as often a standard deviation as
the sigmoid, and stays open unless the document defines it.
"""

from __future__ import annotations

from sympy import Add, Expr, Max, Mul, Pow, exp, log

from derivs.read.shapes import Array, Value, column, index_sum
from derivs.read.standard import OnVector, Standard


def _sigmoid(x: Expr) -> Expr:
    return Pow(Add(1, exp(Mul(-1, x, evaluate=False)), evaluate=False), -1, evaluate=False)


def _softmax(vector: Array) -> Value:
    def entry(position: Expr) -> Expr:
        total = index_sum(lambda k: exp(vector.entry(k)), vector.length)
        return Mul(exp(vector.entry(position)), Pow(total, -1, evaluate=False), evaluate=False)

    return column(vector.length, entry)


def _logsumexp(vector: Array) -> Value:
    return log(index_sum(lambda k: exp(vector.entry(k)), vector.length), evaluate=False)


CONVENTIONS: dict[str, Standard | OnVector] = {
    "sigmoid": Standard(_sigmoid),
    "relu": Standard(lambda x: Max(0, x, evaluate=False)),
    "softplus": Standard(lambda x: log(Add(1, exp(x), evaluate=False), evaluate=False)),
    "softmax": OnVector(_softmax),
    "logsumexp": OnVector(_logsumexp),
}
"""By the convention's name: what each function is."""

SPELLINGS = {"sigmoid": "sigmoid", "relu": "relu", "softplus": "softplus", "softmax": "softmax"}
SPELLINGS |= {"logsumexp": "logsumexp", "lse": "logsumexp"}
"""A name as written, in lower case, and the convention it names (``LSE`` is the log-sum-exp)."""

SHOWN = {
    "sigmoid": "1 / (1 + e^{-x})",
    "relu": "max(0, x)",
    "softplus": "log(1 + e^{x})",
    "softmax": "e^{z_i} / sum_k e^{z_k}",
    "logsumexp": "log sum_k e^{z_k}",
}
"""Each convention as a report shows it."""


def convention_of(key: str) -> str | None:
    """The convention a function's key names (``\\text{ReLU}`` -> ``relu``), or None."""
    word = key[len("\\text{") : -1].strip() if key.startswith("\\text{") else key
    return SPELLINGS.get(word.lower())
