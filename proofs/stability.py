"""Numerical stability (catalog item 14).

Document 004 warns that ``exp`` overflows (``np.exp(800) = inf``) and that a
library rescales before it exponentiates.  The rescaling is sound because the
softmax does not change when a constant is added to every logit, so
implementations subtract the largest logit first; and the log-softmax is best
computed as ``z_i - log S`` with a stable log-sum-exp.
"""

from __future__ import annotations

from sympy import Sum, exp, log

from derivs import Notation, derivation, step, then

from ._softmax import declare_softmax
from .sources import DOC_004

_n = Notation()
_s = declare_softmax(_n)
_c = _n.scalar("c")
_zmax = _n.scalar("zmax")
_S, _a, _z, _K, _i, _k = _s.normaliser, _s.output, _s.z, _s.classes, _s.i, _s.k

SHIFT = derivation(
    "004-stability",
    "Why softmax may subtract max z before exp: shift invariance and log-softmax",
    _n.context(),
    step(
        exp(_z[_i] + _c) / Sum(exp(_z[_k] + _c), (_k, 1, _K)),
        then(
            exp(_c) * exp(_z[_i]) / (exp(_c) * Sum(exp(_z[_k]), (_k, 1, _K))),
            "$e^{x + c} = e^c e^x$",
            rule="algebra",
        ),
        then(exp(_z[_i]) / _S, "cancel $e^c$", rule="algebra"),
        then(_a[_i], "definition of $a$", rule="definition"),
        title=r"$\operatorname{softmax}(z + c) = \operatorname{softmax}(z)$ for any constant $c$",
    ),
    step(
        exp(_z[_i] - _zmax) / Sum(exp(_z[_k] - _zmax), (_k, 1, _K)),
        then(
            _a[_i], r"the case $c = -\max_k z_k$: every exponent is $\le 0$, so exp cannot overflow"
        ),
    ),
    step(
        log(_a[_i]),
        then(log(exp(_z[_i]) / _S), "definition of $a$", rule="definition"),
        then(
            log(exp(_z[_i]), evaluate=False) - log(_S),
            "log of a quotient of positives",
            rule="log laws",
        ),
        then(_z[_i] - log(_S), r"$\log e^x = x$"),
        title=r"$\log a_i = z_i - \log S$",
    ),
    step(
        log(_S),
        then(
            _zmax + log(Sum(exp(_z[_k] - _zmax), (_k, 1, _K))),
            "the stable log-sum-exp",
            rule="log laws",
        ),
    ),
    sources=(DOC_004,),
)

DERIVATIONS = (SHIFT,)
