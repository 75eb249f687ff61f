"""Softmax is a probability distribution (catalog item 1).

Documents 000, 001, 003 and 004 each define the softmax and say that its
outputs add up to one; 001 also introduces ``S`` as a name for the sum.
"""

from __future__ import annotations

from sympy import Sum, exp

from derivs import Notation, derivation, step, then

from ._softmax import declare_softmax, over
from .sources import DOC_000, DOC_001, DOC_003, DOC_004

_n000 = Notation()
_s000 = declare_softmax(_n000, classes="n", normaliser=None)

SOFTMAX_000 = derivation(
    "000-softmax",
    "Softmax: the definition and the sum of its outputs",
    _n000.context(),
    step(
        _s000.output[_s000.i],
        then(
            exp(_s000.z[_s000.i]) / Sum(exp(_s000.z[_s000.k]), (_s000.k, 1, _s000.classes)),
            r"$a = \operatorname{softmax}(z)$, entry $i$",
            rule="definition",
        ),
    ),
    step(
        Sum(_s000.output[_s000.j], (_s000.j, 1, _s000.classes)),
        then(
            Sum(exp(_s000.z[_s000.j]), (_s000.j, 1, _s000.classes)) / _s000.normaliser,
            "the denominator does not depend on j",
            rule="algebra",
        ),
        then(1, "numerator and denominator are the same sum"),
    ),
    sources=(DOC_000,),
    description="Each output lies in [0, 1] and, as checked here, they add up to 1.",
)

_n001 = Notation()
_s001 = declare_softmax(_n001)
_S, _a, _z, _K = _s001.normaliser, _s001.output, _s001.z, _s001.classes
_i, _j, _k = _s001.i, _s001.j, _s001.k

SOFTMAX_001 = derivation(
    "001-softmax",
    "Step 1: the softmax written with $S$, and its outputs summing to 1",
    _n001.context(),
    step(
        _a[_j],
        then(
            exp(_z[_j]) / Sum(exp(_z[_k]), (_k, 1, _K)),
            r"$a_j = e^{z_j} / (e^{z_1} + \dots + e^{z_K})$",
            rule="definition",
        ),
        then(exp(_z[_j]) / _S, r"let $S = \sum_{k=1}^K e^{z_k}$", rule="definition"),
    ),
    step(
        Sum(_a[_i], (_i, 1, _K)),
        then(Sum(exp(_z[_i]), (_i, 1, _K)) / _S, "S does not depend on i", rule="algebra"),
        then(over(_S, _S), "the numerator is S", rule="definition"),
        then(1, "a K-dimensional probability distribution: the elements sum to 1"),
    ),
    sources=(DOC_001,),
)

_n003 = Notation()
_s003 = declare_softmax(_n003, output="sigma", indices="i j k", normaliser="Sigma")

SOFTMAX_003 = derivation(
    "003-softmax",
    r"The softmax $\sigma_i(z)$ normalises $z$ into a probability distribution",
    _n003.context(),
    step(
        _s003.output[_s003.i],
        then(
            exp(_s003.z[_s003.i]) / Sum(exp(_s003.z[_s003.j]), (_s003.j, 1, _s003.classes)),
            r"$\sigma_i(z) = e^{z_i} / \sum_{j=1}^K e^{z_j}$",
            rule="definition",
        ),
    ),
    step(
        Sum(_s003.output[_s003.i], (_s003.i, 1, _s003.classes)),
        then(1, "all of the inputs will add up to 1"),
    ),
    sources=(DOC_003,),
)

_n004 = Notation()
_s004 = declare_softmax(_n004, classes="m", output="y", indices="i j t", normaliser=None)

SOFTMAX_004 = derivation(
    "004-softmax",
    "Equation (1): the softmax function $y_i$",
    _n004.context(),
    step(
        _s004.output[_s004.i],
        then(
            exp(_s004.z[_s004.i]) / Sum(exp(_s004.z[_s004.k]), (_s004.k, 1, _s004.classes)),
            "(1)",
            rule="definition",
        ),
    ),
    step(Sum(_s004.output[_s004.i], (_s004.i, 1, _s004.classes)), then(1, "a distribution")),
    sources=(DOC_004,),
    description="The document's m is the number of classes (3 in its figure); here m is symbolic.",
)

DERIVATIONS = (SOFTMAX_000, SOFTMAX_001, SOFTMAX_003, SOFTMAX_004)
