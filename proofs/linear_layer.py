"""Through a linear layer: the gradient with respect to weights and bias (catalog item 12).

``z_i = sum_m W_im x_m + b_i`` for K classes and M inputs, both symbolic.
Document 003 writes the chain rule ``dL/dw = dL/dsigma_i  dsigma_i/dz_j
dz_j/dw`` for its one-hot loss (its layer has no bias); document 004 sets up
softmax regression with a bias and stops at ``dH/dz_j``, from which the weight
and bias gradients follow by one more chain rule.
"""

from __future__ import annotations

from sympy import KroneckerDelta, Sum, exp, log

from derivs import D, Notation, OneHot, derivation, step, then

from ._softmax import times
from .sources import DOC_003, DOC_004

# -- document 003: no bias, one-hot label i ------------------------------------------------

_n3 = Notation()
_K3, _M3 = _n3.dimension("K"), _n3.dimension("M")
_i3, _j3, _k3 = _n3.indices("i j k", _K3)
_m3, _q3 = _n3.indices("m q", _M3)
_w = _n3.matrix("w", _K3, _M3)
_x3 = _n3.vector("x", _M3)
_z3 = _n3.define_vector("z", _j3, Sum(_w[_j3, _q3] * _x3[_q3], (_q3, 1, _M3)))
_Sg = _n3.define("Sigma", Sum(exp(_z3[_k3]), (_k3, 1, _K3)))
_sg = _n3.define_vector("sigma", _i3, exp(_z3[_i3]) / _Sg)
_y3 = _n3.vector("y", _K3, kind=OneHot(_i3))
_L3 = _n3.define("L", -log(_sg[_i3]))

WEIGHTS_003 = derivation(
    "003-weights",
    r"$\partial L_i / \partial w$ by the chain rule through $\sigma_i$ and $z_j$",
    _n3.context(),
    step(D(_z3[_j3], _w[_j3, _m3]), then(_x3[_m3], r"$z_j = w_{j1} x_1 + w_{j2} x_2 + \dots$")),
    step(
        D(_L3, _w[_j3, _m3]),
        then(
            D(_L3, _sg[_i3]) * D(_sg[_i3], _z3[_j3]) * D(_z3[_j3], _w[_j3, _m3]),
            "chain rule",
            rule="chain rule",
        ),
        then(
            times(-1 / _sg[_i3], _sg[_i3] * (KroneckerDelta(_i3, _j3) - _sg[_j3]), _x3[_m3]),
            "each factor as derived",
        ),
        then(
            (_sg[_j3] - KroneckerDelta(_i3, _j3)) * _x3[_m3], r"cancel $\sigma_i$", rule="algebra"
        ),
        then((_sg[_j3] - _y3[_j3]) * _x3[_m3], "$y$ is one-hot at the label $i$", rule="one-hot"),
    ),
    sources=(DOC_003,),
)

# -- document 004: softmax regression with a bias ----------------------------------------

_n4 = Notation()
_m4 = _n4.dimension("m")
_M4 = _n4.dimension("M")
_i4, _j4, _t4, _l4 = _n4.indices("i j t l", _m4)
_r4, _q4 = _n4.indices("r q", _M4)
_W = _n4.matrix("W", _m4, _M4)
_x4 = _n4.vector("x", _M4)
_b = _n4.vector("b", _m4)
_z4 = _n4.define_vector("z", _i4, Sum(_W[_i4, _q4] * _x4[_q4], (_q4, 1, _M4)) + _b[_i4])
_y4 = _n4.define_vector("y", _i4, exp(_z4[_i4]) / Sum(exp(_z4[_t4]), (_t4, 1, _m4)))
_yhat = _n4.vector("yhat", _m4)
_H = _n4.define("H", -Sum(_yhat[_t4] * log(_y4[_t4]), (_t4, 1, _m4)))
_sum_yhat = _n4.hypothesis(r"$\sum_i \hat{y}_i = 1$", Sum(_yhat[_i4], (_i4, 1, _m4)), 1)

LAYER_004 = derivation(
    "004-linear-layer",
    r"Softmax regression: $\partial H / \partial W_{ir}$ and $\partial H / \partial b_i$",
    _n4.context(),
    step(
        D(_z4[_l4], _W[_i4, _r4]),
        then(
            KroneckerDelta(_l4, _i4) * _x4[_r4],
            "$z_l = W_l x + b_l$ depends on row $l$ of $W$ only",
        ),
    ),
    step(D(_z4[_i4], _b[_i4]), then(1, "$z_i = W_i x + b_i$")),
    step(
        D(_H, _W[_i4, _r4]),
        then(
            Sum(D(_H, _z4[_l4]) * D(_z4[_l4], _W[_i4, _r4]), (_l4, 1, _m4)),
            "chain rule",
            rule="chain rule",
        ),
        then(
            Sum((_y4[_l4] - _yhat[_l4]) * KroneckerDelta(_l4, _i4) * _x4[_r4], (_l4, 1, _m4)),
            "(7) and the derivative of z",
            assuming=_sum_yhat,
        ),
        then(
            (_y4[_i4] - _yhat[_i4]) * _x4[_r4], "only $l = i$ remains", rule="Kronecker contraction"
        ),
    ),
    step(
        D(_H, _b[_i4]),
        then(
            D(_H, _z4[_i4]) * D(_z4[_i4], _b[_i4]),
            "chain rule: only $z_i$ depends on $b_i$",
            rule="chain rule",
        ),
        then(_y4[_i4] - _yhat[_i4], "(7)", assuming=_sum_yhat),
    ),
    sources=(DOC_004,),
    description=(
        "The document has three inputs and three classes (its Fig. 1); here both are symbolic: "
        "m classes and M inputs."
    ),
)

DERIVATIONS = (WEIGHTS_003, LAYER_004)
