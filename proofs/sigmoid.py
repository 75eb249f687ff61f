"""The sigmoid is the two-class softmax (catalog item 2).

Document 000 calls softmax "a high-dimension generalization of sigmoid" and
sigmoid "a 2-dim version of softmax function".  Here that is checked: with
K = 2, ``a_1 = sigma(z_1 - z_2)``, so with ``z_2 = 0`` it is ``sigma(z_1)``,
and ``sigma' = sigma (1 - sigma)`` is the K = 2 case of the Jacobian's
diagonal entry ``a_i (1 - a_i)``.  K is concrete here because the document
is about K = 2.
"""

from __future__ import annotations

from sympy import Subs, exp

from derivs import D, Notation, derivation, step, then

from .sources import DOC_000

_n = Notation()
_k = _n.index("k", 2)
_z = _n.vector("z", 2)
_x = _n.scalar("x")
_sigma = _n.define_function("sigma", _x, 1 / (1 + exp(-_x)))
_a = _n.define_vector("a", _k, exp(_z[_k]) / (exp(_z[1]) + exp(_z[2])))

SIGMOID = derivation(
    "000-sigmoid",
    "Sigmoid as the two-class softmax",
    _n.context(),
    step(
        _a[1],
        then(exp(_z[1]) / (exp(_z[1]) + exp(_z[2])), "softmax with $K = 2$", rule="definition"),
        then(1 / (1 + exp(-(_z[1] - _z[2]))), "divide by $e^{z_1}$", rule="algebra"),
        then(_sigma(_z[1] - _z[2]), r"$\sigma(x) = 1 / (1 + e^{-x})$", rule="definition"),
    ),
    step(
        Subs(_a[1], _z[2], 0),
        then(_sigma(_z[1]), r"with $z_2 = 0$ the first output is $\sigma(z_1)$"),
    ),
    step(
        D(_sigma(_x), _x),
        then(exp(-_x) / (1 + exp(-_x)) ** 2, "quotient rule", rule="quotient rule"),
        then(_sigma(_x) * (1 - _sigma(_x)), r"$\sigma' = \sigma (1 - \sigma)$", rule="algebra"),
    ),
    step(
        D(_a[1], _z[1]),
        then(_a[1] * (1 - _a[1]), "the diagonal entry $a_i (1 - a_i)$ with $K = 2$"),
        then(_sigma(_z[1] - _z[2]) * (1 - _sigma(_z[1] - _z[2])), r"$a_1 = \sigma(z_1 - z_2)$"),
    ),
    step(
        Subs(D(_a[1], _z[1]), _z[2], 0),
        then(Subs(D(_sigma(_x), _x), _x, _z[1]), r"at $z_2 = 0$ it is $\sigma'(z_1)$"),
    ),
    sources=(DOC_000,),
)

DERIVATIONS = (SIGMOID,)
