"""Beyond the documents: what users derive next.

These derivations use the same engine with nothing special-cased: the
gradient of log-sum-exp is the softmax; the sigmoid with binary
cross-entropy has gradient ``sigma(x) - y``; a temperature ``T`` divides the
softmax cross-entropy gradient by ``T``; label smoothing is cross-entropy
against a smoothed target that still sums to one; and the softmax Jacobian is
symmetric with rows that sum to zero.
"""

from __future__ import annotations

from sympy import Add, KroneckerDelta, Sum, exp, log

from derivs import Between, D, Notation, Positive, Probability, derivation, step, then

from ._softmax import declare_softmax, times

_n = Notation()
_s = declare_softmax(_n)
_S, _a, _z, _K, _i, _j, _k = _s.normaliser, _s.output, _s.z, _s.classes, _s.i, _s.j, _s.k
_lse = _n.define("LSE", log(Sum(exp(_z[_k]), (_k, 1, _K))))

LOG_SUM_EXP = derivation(
    "log-sum-exp-gradient",
    "The gradient of log-sum-exp is the softmax",
    _n.context(),
    step(
        D(_lse, _z[_j]),
        then(D(_S, _z[_j]) / _S, r"$d \log S = dS / S$", rule="log derivative"),
        then(exp(_z[_j]) / _S, r"$\partial S/\partial z_j = e^{z_j}$"),
        then(_a[_j], "definition of $a$", rule="definition"),
    ),
)

JACOBIAN_PROPERTIES = derivation(
    "softmax-jacobian-properties",
    "The softmax Jacobian is symmetric and its rows sum to zero",
    _n.context(),
    step(
        D(_a[_i], _z[_j]),
        then(_a[_i] * (KroneckerDelta(_i, _j) - _a[_j]), "Kronecker form"),
        then(
            _a[_j] * (KroneckerDelta(_j, _i) - _a[_i]),
            "delta and the product are symmetric",
            rule="algebra",
        ),
        then(D(_a[_j], _z[_i]), "Kronecker form, with i and j exchanged"),
    ),
    step(
        Sum(D(_a[_i], _z[_j]), (_j, 1, _K)),
        then(Sum(_a[_i] * (KroneckerDelta(_i, _j) - _a[_j]), (_j, 1, _K)), "Kronecker form"),
        then(
            _a[_i] - _a[_i] * Sum(_a[_j], (_j, 1, _K)),
            "contract the delta",
            rule="Kronecker contraction",
        ),
        then(0, "the softmax sums to 1"),
    ),
)

_nb = Notation()
_x = _nb.scalar("x")
_y = _nb.scalar("y", Between(0, 1))
_sigma = _nb.define_function("sigma", _x, 1 / (1 + exp(-_x)))
_bce = _nb.define("L", -(_y * log(_sigma(_x)) + (1 - _y) * log(1 - _sigma(_x))))

SIGMOID_BCE = derivation(
    "sigmoid-binary-cross-entropy",
    r"Sigmoid with binary cross-entropy: $dL/dx = \sigma(x) - y$",
    _nb.context(),
    step(
        D(_bce, _x),
        then(
            -(_y / _sigma(_x) - (1 - _y) / (1 - _sigma(_x))) * D(_sigma(_x), _x),
            "chain rule",
            rule="chain rule",
        ),
        then(
            -(_y / _sigma(_x) - (1 - _y) / (1 - _sigma(_x))) * _sigma(_x) * (1 - _sigma(_x)),
            r"$\sigma' = \sigma (1 - \sigma)$",
        ),
        then(-(_y * (1 - _sigma(_x)) - (1 - _y) * _sigma(_x)), "cancel", rule="algebra"),
        then(_sigma(_x) - _y, "expand", rule="algebra"),
    ),
)

_nt = Notation()
_KT = _nt.dimension("K")
_iT, _jT, _kT = _nt.indices("i j k", _KT)
_zT = _nt.vector("z", _KT)
_T = _nt.scalar("T", Positive())
_tT = _nt.vector("t", _KT, kind=Probability())
_aT = _nt.define_vector("a", _iT, exp(_zT[_iT] / _T) / Sum(exp(_zT[_kT] / _T), (_kT, 1, _KT)))
_LT = _nt.define("L", -Sum(_tT[_kT] * log(_aT[_kT]), (_kT, 1, _KT)))

TEMPERATURE = derivation(
    "temperature-softmax-cross-entropy",
    r"Temperature-scaled softmax cross-entropy: $\partial L/\partial z_j = (a_j - t_j) / T$",
    _nt.context(),
    step(
        D(_aT[_iT], _zT[_jT]),
        then(_aT[_iT] * (KroneckerDelta(_iT, _jT) - _aT[_jT]) / _T, "the Jacobian gains $1/T$"),
    ),
    step(
        D(_LT, _zT[_jT]),
        then(
            Sum(-_tT[_iT] / _aT[_iT] * D(_aT[_iT], _zT[_jT]), (_iT, 1, _KT)),
            "chain rule",
            rule="chain rule",
        ),
        then(
            (-_tT[_jT] + _aT[_jT] * Sum(_tT[_iT], (_iT, 1, _KT))) / _T,
            "contract the delta",
            rule="Kronecker contraction",
        ),
        then((_aT[_jT] - _tT[_jT]) / _T, "t is a probability vector", rule="hypothesis"),
    ),
)

_nl = Notation()
_KL = _nl.dimension("K")
_iL, _jL, _kL, _cL = _nl.indices("i j k c", _KL)
_zL = _nl.vector("z", _KL)
_eps = _nl.scalar("epsilon", Between(0, 1))
_SL = _nl.define("S", Sum(exp(_zL[_kL]), (_kL, 1, _KL)))
_aL = _nl.define_vector("a", _iL, exp(_zL[_iL]) / _SL)
_q = _nl.define_vector("q", _iL, (1 - _eps) * KroneckerDelta(_iL, _cL) + _eps / _KL)
_LL = _nl.define("L", -Sum(_q[_kL] * log(_aL[_kL]), (_kL, 1, _KL)))

LABEL_SMOOTHING = derivation(
    "label-smoothing",
    r"Label smoothing: the target $(1 - \epsilon)$ one-hot $+ \epsilon/K$, "
    r"and $\partial L/\partial z_j = a_j - q_j$",
    _nl.context(),
    step(
        Sum(_q[_kL], (_kL, 1, _KL)),
        then(
            Add(1 - _eps, times(_KL, _eps / _KL), evaluate=False),
            r"one delta and $K$ copies of $\epsilon/K$",
        ),
        then(1, "the smoothed target is a distribution", rule="algebra"),
    ),
    step(
        D(_LL, _zL[_jL]),
        then(
            -_q[_jL] + _aL[_jL] * Sum(_q[_kL], (_kL, 1, _KL)),
            "chain rule and contraction",
            rule="chain rule",
        ),
        then(_aL[_jL] - _q[_jL], "the target sums to 1"),
        then(
            _aL[_jL] - (1 - _eps) * KroneckerDelta(_jL, _cL) - _eps / _KL,
            "definition of $q$",
            rule="definition",
        ),
    ),
)

DERIVATIONS = (LOG_SUM_EXP, JACOBIAN_PROPERTIES, SIGMOID_BCE, TEMPERATURE, LABEL_SMOOTHING)
