"""The derivative of the normaliser and the quotient rule (catalog items 3 and 4).

Document 001 states the quotient rule for arbitrary functions, computes
``v' = dS/dz_i`` term by term, and instantiates the rule with ``u = e^{z_i}``
and ``v = S``; 003 and 004 write the same instance for a general ``j``.
"""

from __future__ import annotations

from sympy import Eq, KroneckerDelta, Ne, Sum, exp

from derivs import D, Notation, derivation, step, then

from ._softmax import declare_softmax, times
from .sources import DOC_001, DOC_003, DOC_004

_n = Notation()
_x = _n.scalar("x")
_u, _v = _n.function("u"), _n.function("v")

QUOTIENT_RULE = derivation(
    "001-quotient-rule",
    "The quotient rule $(u/v)' = (u'v - uv') / v^2$",
    _n.context(),
    step(
        D(_u(_x) / _v(_x), _x),
        then(
            (D(_u(_x), _x) * _v(_x) - _u(_x) * D(_v(_x), _x)) / _v(_x) ** 2,
            "for differentiable u and v",
            rule="quotient rule",
        ),
    ),
    sources=(DOC_001,),
)

_n1 = Notation()
_s = declare_softmax(_n1)
_S, _a, _z, _K, _i, _j, _k = _s.normaliser, _s.output, _s.z, _s.classes, _s.i, _s.j, _s.k

NORMALISER_001 = derivation(
    "001-normaliser-derivative",
    r"$\partial S/\partial z_j = e^{z_j}$: only one term of the sum depends on $z_j$",
    _n1.context(),
    step(
        D(_S, _z[_i]),
        then(
            D(Sum(exp(_z[_k]), (_k, 1, _K)), _z[_i]),
            r"$S = e^{z_1} + \dots + e^{z_K}$",
            rule="definition",
        ),
        then(
            Sum(D(exp(_z[_k]), _z[_i]), (_k, 1, _K)), "differentiate term by term", rule="sum rule"
        ),
        then(
            Sum(KroneckerDelta(_k, _i) * exp(_z[_k]), (_k, 1, _K)),
            "only the derivative of the term $e^{z_i}$ is non-zero",
            rule="exp derivative",
        ),
        then(exp(_z[_i]), "$v' = e^{z_i}$", rule="Kronecker contraction"),
        title=r"Step 3: $v' = \partial S/\partial z_i$",
    ),
    step(
        D(exp(_z[_i]), _z[_j]),
        then(0, "the numerator $e^{z_i}$ does not contain $z_j$"),
        case=Ne(_i, _j),
        title="Step 4",
    ),
    step(
        D(_S, _z[_j]),
        then(exp(_z[_j]), "$S$ contains $e^{z_j}$"),
        title=r"Step 4: $\partial S/\partial z_j$",
    ),
    sources=(DOC_001,),
)

QUOTIENT_001 = derivation(
    "001-quotient-instance",
    "The quotient rule with $u = e^{z_i}$ and $v = S$",
    _n1.context(),
    step(
        D(_a[_i], _z[_i]),
        then(D(exp(_z[_i]) / _S, _z[_i]), "$a_i = e^{z_i} / S$", rule="definition"),
        then(
            (D(exp(_z[_i]), _z[_i]) * _S - exp(_z[_i]) * D(_S, _z[_i])) / _S**2,
            "$(u/v)' = (u'v - uv') / v^2$",
            rule="quotient rule",
        ),
        then(
            (times(exp(_z[_i]), _S) - times(exp(_z[_i]), exp(_z[_i]))) / _S**2,
            "$u' = e^{z_i}$, $v' = e^{z_i}$",
            rule="exp derivative",
        ),
    ),
    sources=(DOC_001,),
)

_n3 = Notation()
_s3 = declare_softmax(_n3, output="sigma", normaliser="Sigma")

QUOTIENT_003 = derivation(
    "003-quotient-instance",
    r"$\partial \sigma_i / \partial z_j$ by the quotient rule, before the cases",
    _n3.context(),
    step(
        D(_s3.output[_s3.i], _s3.z[_s3.j]),
        then(
            D(exp(_s3.z[_s3.i]) / _s3.normaliser, _s3.z[_s3.j]),
            r"$\Sigma$ denotes $\sum_j e^{z_j}$",
            rule="definition",
        ),
        then(
            (
                times(D(exp(_s3.z[_s3.i]), _s3.z[_s3.j]), _s3.normaliser)
                - times(exp(_s3.z[_s3.i]), D(_s3.normaliser, _s3.z[_s3.j]))
            )
            / _s3.normaliser**2,
            "quotient rule",
            rule="quotient rule",
        ),
    ),
    sources=(DOC_003,),
)

_n4 = Notation()
_s4 = declare_softmax(_n4, classes="m", output="y", indices="i j t", normaliser=None)
_y, _z4, _i4, _j4 = _s4.output, _s4.z, _s4.i, _s4.j

QUOTIENT_004 = derivation(
    "004-quotient-instance",
    "Equation (2) and the derivative of the numerator in each case",
    _n4.context(),
    step(
        D(_y[_i4], _z4[_j4]),
        then(D(exp(_z4[_i4]) / _s4.normaliser, _z4[_j4]), "(2)", rule="definition"),
    ),
    step(D(exp(_z4[_i4]), _z4[_j4]), then(exp(_z4[_i4]), "$i = j$: not 0"), case=Eq(_i4, _j4)),
    step(D(exp(_z4[_i4]), _z4[_j4]), then(0, r"$i \neq j$: 0"), case=Ne(_i4, _j4)),
    sources=(DOC_004,),
)

DERIVATIONS = (QUOTIENT_RULE, NORMALISER_001, QUOTIENT_001, QUOTIENT_003, QUOTIENT_004)
