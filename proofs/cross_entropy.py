"""Cross-entropy and the gradient of softmax with cross-entropy (catalog items 9 to 11).

With a one-hot target (000, 001, 003) the loss is ``-log a_c`` and the
gradient is ``a_j - delta_cj``; with any target whose entries sum to one (002,
004) the chain rule gives ``-t_j + a_j sum_i t_i``, and the last step to
``a_j - t_j`` needs that hypothesis: the links that take it say so, and
without it the checker refutes them.
"""

from __future__ import annotations

from sympy import Eq, KroneckerDelta, Ne, Subs, Sum, exp, log

from derivs import D, Notation, OneHot, Probability, derivation, step, then

from ._softmax import declare_softmax, minus, negated, times
from .sources import DOC_000, DOC_001, DOC_002, DOC_003, DOC_004

# -- document 000: H(p, q), then the loss l of a = softmax(z) against a one-hot y -------

_n0 = Notation()
_s0 = declare_softmax(_n0, classes="n", normaliser=None)
_a0, _z0, _n, _i0, _j0 = _s0.output, _s0.z, _s0.classes, _s0.i, _s0.j
_c0 = _n0.index("c", _n)
_p = _n0.vector("p", _n, kind=OneHot(_c0))
_q = _n0.vector("q", _n, kind=Probability())
_y0 = _n0.vector("y", _n, kind=OneHot(_c0))
_l = _n0.define("l", -Sum(_y0[_i0] * log(_a0[_i0]), (_i0, 1, _n)))

CROSS_ENTROPY_000 = derivation(
    "000-cross-entropy",
    r"Cross-entropy of a one-hot $p$, and $\partial l / \partial a$",
    _n0.context(),
    step(
        -Sum(_p[_i0] * log(_q[_i0]), (_i0, 1, _n)),
        then(-_p[_c0] * log(_q[_c0]), "$p$ is one-hot: only position $c$ is 1", rule="one-hot"),
        then(-log(_q[_c0]), "$p_c = 1$", rule="one-hot"),
        title=r"$H(p, q) = -\sum p_i \log q_i$",
    ),
    step(
        D(_l, _a0[_i0]),
        then(
            -_y0[_i0] / _a0[_i0],
            r"$\partial / \partial a_i$ of $-\sum y_k \log a_k$",
            rule="log derivative",
        ),
    ),
    step(D(_l, _a0[_c0]), then(-1 / _a0[_c0], "the entry at the true class")),
    step(
        D(_l, _a0[_i0]),
        then(0, r"every other entry of $\partial l / \partial a$ is 0"),
        case=Ne(_i0, _c0),
    ),
    sources=(DOC_000,),
    description="The document calls the true class k; here it is c, since k indexes the sums.",
)

GRADIENT_000 = derivation(
    "000-gradient",
    r"$\partial l / \partial z = \partial l / \partial a \; \partial a / \partial z = a - y$",
    _n0.context(),
    step(
        D(_l, _z0[_j0]),
        then(
            Sum(D(_l, _a0[_i0]) * D(_a0[_i0], _z0[_j0]), (_i0, 1, _n)),
            "chain rule",
            rule="chain rule",
        ),
        then(
            -1 / _a0[_c0] * D(_a0[_c0], _z0[_j0]),
            r"only $\partial l / \partial a_c$ is non-zero",
            rule="Kronecker contraction",
        ),
        then(_a0[_j0] - KroneckerDelta(_c0, _j0), "the row $c$ of the Jacobian"),
        then(_a0[_j0] - _y0[_j0], "$= a - y$", rule="one-hot"),
    ),
    step(D(_l, _z0[_c0]), then(_a0[_c0] - 1, "the entry $a_k - 1$ at the true class")),
    step(D(_l, _z0[_j0]), then(_a0[_j0], "every other entry is $a_j$"), case=Ne(_j0, _c0)),
    step(D(_l, _z0[1]), then(_a0[1], "the first entry printed, $a_1$"), case=Ne(_c0, 1)),
    sources=(DOC_000,),
)

# -- document 001: step 6 ---------------------------------------------------------------

_n1 = Notation()
_s1 = declare_softmax(_n1)
_a1, _z1, _K1, _j1, _k1 = _s1.output, _s1.z, _s1.classes, _s1.j, _s1.k
_c1 = _n1.index("c", _K1)
_t1 = _n1.vector("t", _K1, kind=OneHot(_c1))
_L1 = _n1.define("L", -Sum(_t1[_k1] * log(_a1[_k1]), (_k1, 1, _K1)))

GRADIENT_001 = derivation(
    "001-gradient",
    r"Step 6: $\partial L / \partial z_j = a_j - \delta_{cj}$ for a one-hot target",
    _n1.context(),
    step(
        _L1,
        then(
            -Sum(_t1[_k1] * log(_a1[_k1]), (_k1, 1, _K1)),
            "the cross-entropy loss",
            rule="definition",
        ),
        then(-log(_a1[_c1]), "only $t_c = 1$", rule="one-hot"),
    ),
    step(
        D(-log(_a1[_c1]), _z1[_j1]),
        then(-(1 / _a1[_c1]) * D(_a1[_c1], _z1[_j1]), "chain rule", rule="chain rule"),
        then(
            times(-(1 / _a1[_c1]), _a1[_c1] * (KroneckerDelta(_c1, _j1) - _a1[_j1])),
            r"the softmax gradient $a_c (\delta_{cj} - a_j)$",
        ),
        then(negated(KroneckerDelta(_c1, _j1) - _a1[_j1]), "cancel $a_c$", rule="algebra"),
        then(_a1[_j1] - KroneckerDelta(_c1, _j1), "remarkably simple", rule="algebra"),
    ),
    step(
        _a1[_j1] - KroneckerDelta(_c1, _j1),
        then(_a1[_j1] - 1, "j is the true class"),
        case=Eq(_j1, _c1),
    ),
    step(
        _a1[_j1] - KroneckerDelta(_c1, _j1),
        then(minus(_a1[_j1], 0), "j is not the true class"),
        then(_a1[_j1]),
        case=Ne(_j1, _c1),
    ),
    step(D(_L1, _z1[_j1]), then(_a1[_j1] - _t1[_j1], r"$\partial L / \partial z = a - t$")),
    sources=(DOC_001,),
    description="The document names the true class t, like the target; here the class is c.",
)

# -- document 002: any target t with sum t = 1 -----------------------------------------

_n2 = Notation()
_s2 = declare_softmax(_n2, output="y", indices="k i j")
_y2, _z2, _K2, _k2, _i2 = _s2.output, _s2.z, _s2.classes, _s2.i, _s2.j
_t2 = _n2.vector("t", _K2)
_C = _n2.define("C", -Sum(_t2[_k2] * log(_y2[_k2]), (_k2, 1, _K2)))
_sum_t2 = _n2.hypothesis(r"$\sum_k t_k = 1$", Sum(_t2[_k2], (_k2, 1, _K2)), 1)

GRADIENT_002 = derivation(
    "002-gradient",
    r"$\partial C / \partial z_i = y_i - t_i$, using $\sum_k t_k = 1$",
    _n2.context(),
    step(
        D(_C, _z2[_i2]),
        then(
            -Sum(_t2[_k2] * D(log(_y2[_k2]), _z2[_i2]), (_k2, 1, _K2)),
            "$t_k$ does not depend on $z_i$; differentiate term by term",
            rule="sum rule",
        ),
        then(
            -Sum(_t2[_k2] * (1 / _y2[_k2]) * D(_y2[_k2], _z2[_i2]), (_k2, 1, _K2)),
            "chain rule",
            rule="chain rule",
        ),
        then(
            -Sum(
                _t2[_k2] / _y2[_k2] * _y2[_k2] * (KroneckerDelta(_k2, _i2) - _y2[_i2]),
                (_k2, 1, _K2),
            ),
            r"plug in $\partial y_k / \partial z_i = y_k (1\{k = i\} - y_i)$",
        ),
        then(
            -_t2[_i2] + _y2[_i2] * Sum(_t2[_k2], (_k2, 1, _K2)),
            r"$y_i$ is constant in $k$; $1\{k = i\}$ is non-zero only at $k = i$",
            rule="Kronecker contraction",
        ),
        then(_y2[_i2] - _t2[_i2], "the targets sum to 1", rule="hypothesis", assuming=_sum_t2),
    ),
    sources=(DOC_002,),
)

# -- document 003: one-hot label at i -----------------------------------------------------

_n3 = Notation()
_s3 = declare_softmax(_n3, output="sigma", normaliser="Sigma")
_sg, _z3, _K3, _i3, _j3, _k3 = _s3.output, _s3.z, _s3.classes, _s3.i, _s3.j, _s3.k
_y3 = _n3.vector("y", _K3, kind=OneHot(_i3))
_s_typo = _n3.vector("s", _K3)
_L3 = _n3.define("L", -log(_sg[_i3]))

GRADIENT_003 = derivation(
    "003-gradient",
    "The loss $L_i$ for a one-hot label $i$ and its derivative, case by case",
    _n3.context(),
    step(
        -Sum(_y3[_i3] * log(_sg[_i3]), (_i3, 1, _K3)),
        then(-log(_sg[_i3]), "one-hot: $y_i = 1$ for the label", rule="one-hot"),
        then(
            -log(exp(_z3[_i3]) / Sum(exp(_z3[_j3]), (_j3, 1, _K3))),
            r"definition of $\sigma_i$",
            rule="definition",
        ),
        title=r"$L_i = -\sum_i y_i \log \sigma_i(z)$, "
        r"written with a bound $i$ as the document does",
    ),
    step(D(_L3, _sg[_i3]), then(-1 / _sg[_i3], "break it down", rule="log derivative")),
    step(
        D(_L3, _sg[_i3]) * D(_sg[_i3], _s_typo[_j3]),
        then(
            times(-1 / _sg[_i3], _sg[_i3] * (1 - _sg[_i3])),
            r"as printed, $\partial / \partial s_j$",
            erratum=r"$\partial \sigma_i / \partial s_j$: $s_j$ is a typo for $z_j$",
        ),
        case=Eq(_i3, _j3),
    ),
    step(
        D(_L3, _sg[_i3]) * D(_sg[_i3], _z3[_j3]),
        then(
            times(-1 / _sg[_i3], _sg[_i3] * (1 - _sg[_i3])), r"corrected: $\partial / \partial z_j$"
        ),
        then(_sg[_i3] - 1, "so that", rule="algebra"),
        case=Eq(_i3, _j3),
        title="same: $i = j$",
    ),
    step(
        D(_L3, _sg[_i3]) * D(_sg[_i3], _z3[_j3]),
        then(times(-1 / _sg[_i3], -_sg[_i3] * _sg[_j3]), r"different: $i \neq j$"),
        then(_sg[_j3], "so that", rule="algebra"),
        case=Ne(_i3, _j3),
    ),
    step(
        D(_L3, _z3[_j3]),
        then(
            D(_L3, _sg[_i3]) * D(_sg[_i3], _z3[_j3]),
            r"chain rule through $\sigma_i$",
            rule="chain rule",
        ),
        then(_sg[_j3] - _y3[_j3], "both cases at once"),
    ),
    sources=(DOC_003,),
    description=(
        "The document writes L_i = -sum_{i=1}^K y_i log sigma_i(z): i is both the label and the "
        "summation index. As a sum the bound i is independent of the label, which is how it is "
        "encoded."
    ),
)

# -- document 004: equations (5) to (7) ------------------------------------------------------

_n4 = Notation()
_s4 = declare_softmax(_n4, classes="m", output="y", indices="i j t", normaliser=None)
_y4, _z4, _m, _i4, _j4, _t4 = _s4.output, _s4.z, _s4.classes, _s4.i, _s4.j, _s4.k
_yhat = _n4.vector("yhat", _m)
_H = _n4.define("H", -Sum(_yhat[_t4] * log(_y4[_t4]), (_t4, 1, _m)))
_sum_yhat = _n4.hypothesis(r"$\sum_i \hat{y}_i = 1$", Sum(_yhat[_i4], (_i4, 1, _m)), 1)
_term = times(-_yhat[_i4] / _y4[_i4], D(_y4[_i4], _z4[_j4]))

GRADIENT_004 = derivation(
    "004-gradient",
    "Equations (5) to (7): softmax and cross-entropy differentiated together",
    _n4.context(),
    step(D(_H, _y4[_i4]), then(-_yhat[_i4] / _y4[_i4], "(6), log base e", rule="log derivative")),
    step(
        D(_H, _z4[_j4]),
        then(
            Sum(D(_H, _y4[_i4]) * D(_y4[_i4], _z4[_j4]), (_i4, 1, _m)),
            "chain rule",
            rule="chain rule",
        ),
        then(Sum(_term, (_i4, 1, _m)), "(6)"),
        then(
            Subs(_term, _i4, _j4)
            + Sum(times(*_term.args, 1 - KroneckerDelta(_i4, _j4)), (_i4, 1, _m)),
            "split off the term $i = j$",
            rule="algebra",
        ),
        then(
            times(-_yhat[_j4] / _y4[_i4], _y4[_i4] * (1 - _y4[_j4]))
            + Sum(
                times(-_yhat[_i4] / _y4[_i4], -_y4[_i4] * _y4[_j4], 1 - KroneckerDelta(_i4, _j4)),
                (_i4, 1, _m),
            ),
            "(3) and (4)",
        ),
        then(
            -_yhat[_j4]
            + _yhat[_j4] * _y4[_j4]
            + Sum(_yhat[_i4] * _y4[_j4] * (1 - KroneckerDelta(_i4, _j4)), (_i4, 1, _m)),
            "expand",
            rule="algebra",
        ),
        then(
            -_yhat[_j4] + _y4[_j4] * Sum(_yhat[_i4], (_i4, 1, _m)),
            "merge the term $i = j$ back into the sum",
            rule="algebra",
        ),
        then(
            _y4[_j4] - _yhat[_j4],
            r"the one-hot $\hat{y}$ sums to 1",
            rule="hypothesis",
            assuming=_sum_yhat,
        ),
    ),
    sources=(DOC_004,),
    description=(
        "The target yhat is one-hot in the document; the derivation uses only that its entries "
        "sum to one, which is the hypothesis of the last step."
    ),
)

DERIVATIONS = (
    CROSS_ENTROPY_000,
    GRADIENT_000,
    GRADIENT_001,
    GRADIENT_002,
    GRADIENT_003,
    GRADIENT_004,
)
