"""The worked example of document 003 (catalog item 13), to every printed digit.

For ``z = (3, 4, 1)`` the document tabulates ``e^{z_i}``, ``sigma_i(z)``, the
fraction for ``sigma_2`` and, with class 2 the correct label, the gradient
row.  The rounding is made explicit: the ``e^{z_i}`` row is *rounded*
(``e^3 = 20.08553692318...`` prints as ``...232``), the ``sigma`` row is
*truncated* (``sigma_2 = 0.705384512698...`` prints as ``...269``), and the
gradient entry for class 2 is ``sigma_2 - 1`` computed from the truncated
``sigma_2``: ``-0.29461548731``, whose last digit is wrong, since
``sigma_2 - 1 = -0.294615487301...``.
"""

from __future__ import annotations

from sympy import Add, KroneckerDelta, Sum, exp, log

from derivs import D, Notation, decimal, derivation, rounded, step, then, truncated

from ._softmax import over
from .sources import DOC_003

_n = Notation()
_i, _j, _k = _n.indices("i j k", 3)
_z = _n.define_vector(
    "z", _i, 3 * KroneckerDelta(_i, 1) + 4 * KroneckerDelta(_i, 2) + KroneckerDelta(_i, 3)
)
_Sg = _n.define("Sigma", Sum(exp(_z[_k]), (_k, 1, 3)))
_sg = _n.define_vector("sigma", _i, exp(_z[_i]) / _Sg)
_L = _n.define("L", -log(_sg[2]))

_E = [decimal("20.0855369232"), decimal("54.5981500331"), decimal("2.71828182846")]

EXAMPLE = derivation(
    "003-worked-example",
    "The example $z = (3, 4, 1)$, digit by digit",
    _n.context(),
    step(_z[1], then(3, "$z_1$")),
    step(_z[2], then(4, "$z_2$")),
    step(_z[3], then(1, "$z_3$")),
    step(
        rounded(exp(_z[1]), 10), then(_E[0], "$e^{z_1}$, rounded to 10 places", rule="evaluation")
    ),
    step(
        rounded(exp(_z[2]), 10), then(_E[1], "$e^{z_2}$, rounded to 10 places", rule="evaluation")
    ),
    step(
        rounded(exp(_z[3]), 11), then(_E[2], "$e^{z_3}$, rounded to 11 places", rule="evaluation")
    ),
    step(
        truncated(_sg[1], 11),
        then(decimal("0.25949646034"), r"$\sigma_1(z)$, truncated", rule="evaluation"),
    ),
    step(
        truncated(_sg[2], 11),
        then(decimal("0.70538451269"), r"$\sigma_2(z)$, truncated", rule="evaluation"),
    ),
    step(
        truncated(_sg[3], 11),
        then(decimal("0.03511902695"), r"$\sigma_3(z)$, truncated", rule="evaluation"),
    ),
    step(
        truncated(over(_E[1], Add(*_E, evaluate=False)), 11),
        then(
            decimal("0.70538451269"),
            r"$\sigma_2$ from the printed $e^{z_i}$, truncated",
            rule="evaluation",
        ),
    ),
    step(D(_L, _z[_j]), then(_sg[_j] - KroneckerDelta(_j, 2), "the second class is the label")),
    step(
        truncated(D(_L, _z[1]), 11),
        then(decimal("0.25949646034"), "partial derivative, $z_1$", rule="evaluation"),
    ),
    step(
        truncated(D(_L, _z[2]), 11),
        then(
            decimal("-0.29461548731"),
            "partial derivative, $z_2$, as printed",
            erratum=r"$\sigma_2 - 1 = -0.294615487301\dots$: the last printed digit is wrong",
        ),
    ),
    step(
        truncated(D(_L, _z[2]), 11), then(decimal("-0.29461548730"), "corrected", rule="evaluation")
    ),
    step(
        decimal("0.70538451269") - 1,
        then(
            decimal("-0.29461548731"),
            r"the printed value: the truncated $\sigma_2$ minus 1",
            rule="evaluation",
        ),
    ),
    step(
        truncated(D(_L, _z[3]), 11),
        then(decimal("0.03511902695"), "partial derivative, $z_3$", rule="evaluation"),
    ),
    step(Sum(D(_L, _z[_j]), (_j, 1, 3)), then(0, "the gradient row sums to zero")),
    sources=(DOC_003,),
)

DERIVATIONS = (EXAMPLE,)
