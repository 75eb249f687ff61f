"""Notations shared by the tests: softmax over K classes, with and without targets."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from sympy import Sum, exp, log

import derivs
from derivs import Notation, OneHot, Probability
from derivs.context import Context

pytest_plugins = ["pytester"]

# pytester's in-process runs put sys.modules back as it was after each run, while
# ``derivs`` keeps each public name it has handed out: the modules behind those
# names are imported here once, so that every run sees the same classes.
for _module, _ in derivs._PUBLIC.values():
    importlib.import_module(_module)


@dataclass(frozen=True)
class Softmax:
    """The symbols of a softmax derivation; ``t`` is real, ``p`` a probability vector."""

    context: Context
    K: Any
    i: Any
    j: Any
    k: Any
    c: Any
    z: Any
    t: Any
    p: Any
    y: Any
    S: Any
    a: Any
    L: Any
    t_sums_to_one: Any


def softmax_notation() -> Softmax:
    n = Notation()
    K = n.dimension("K")
    i, j, k, c = n.indices("i j k c", K)
    z = n.vector("z", K)
    t = n.vector("t", K)
    p = n.vector("p", K, kind=Probability())
    y = n.vector("y", K, kind=OneHot(c))
    S = n.define("S", Sum(exp(z[k]), (k, 1, K)))
    a = n.define_vector("a", i, exp(z[i]) / S)
    L = n.define("L", -Sum(p[k] * log(a[k]), (k, 1, K)))
    t_sums_to_one = n.hypothesis("sum_k t_k = 1", Sum(t[k], (k, 1, K)), 1)
    return Softmax(n.context(), K, i, j, k, c, z, t, p, y, S, a, L, t_sums_to_one)


@dataclass(frozen=True)
class Plain:
    """A dimension K, indices i, j, k over it, a real scalar x and a real vector z."""

    context: Context
    K: Any
    i: Any
    j: Any
    k: Any
    x: Any
    z: Any


def plain_notation() -> Plain:
    n = Notation()
    K = n.dimension("K")
    i, j, k = n.indices("i j k", K)
    x = n.scalar("x")
    z = n.vector("z", K)
    return Plain(n.context(), K, i, j, k, x, z)


@pytest.fixture(scope="session")
def sm() -> Softmax:
    return softmax_notation()
