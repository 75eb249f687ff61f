"""Derivatives: the product rule kept factored, the same values as SymPy's, each taken once."""

from __future__ import annotations

import pytest
import sympy
from sympy import Function, IndexedBase, KroneckerDelta, Mul, Symbol, exp, log, sin

from derivs import derivatives
from derivs.derivatives import derivative

x, y = Symbol("x", real=True), Symbol("y", real=True)
n = Symbol("n", integer=True, positive=True)
j, k = Symbol("j", integer=True), Symbol("k", integer=True)
z = IndexedBase("z")
u = Function("u", real=True)


@pytest.mark.parametrize(
    ("function", "variable", "order"),
    [
        (x * sin(x) * exp(y) * log(x), x, 1),
        (Mul(*(1 / (1 + exp(-x * m)) for m in range(1, 9))), x, 1),
        (x**2 * y * sin(x) + exp(x) * y, x, 3),
        (z[j] * z[k] * exp(z[k]), z[j], 1),  # an entry of the same vector: a delta
        (u(x) * u(y) * x, x, 2),
        (KroneckerDelta(j, k) * x * y, y, 1),
    ],
)
def test_a_derivative_has_sympys_value(function, variable, order):
    ours = derivative(function, variable, order)
    assert sympy.simplify(ours - sympy.diff(function, variable, order)) == 0


def test_the_first_derivative_of_a_product_is_sympys_own_expression():
    product = x * sin(x) * exp(x) * y
    assert derivative(product, x) == sympy.diff(product, x)


def test_a_factor_free_of_the_variable_is_never_differentiated(monkeypatch):
    xs = [Symbol(f"x{m}", real=True) for m in range(1, 41)]
    product = Mul(*(1 / (1 + exp(-v)) for v in xs))
    differentiated = []
    diff = sympy.diff

    def counted(function, *args):
        differentiated.append(function)
        return diff(function, *args)

    monkeypatch.setattr(sympy, "diff", counted)
    monkeypatch.setattr(derivatives, "_DERIVATIVES", {})  # none taken by an earlier test
    assert derivative(product, xs[0]) == diff(product, xs[0])
    assert differentiated == [1 / (1 + exp(-xs[0]))]


def test_each_derivative_is_taken_once_per_process(monkeypatch):
    product = x * exp(x) * sin(y)
    first = derivative(product, x)
    monkeypatch.setattr(derivatives, "_first", lambda *_: pytest.fail("taken again"))
    assert derivative(product, x) is first


def test_an_order_that_is_no_whole_number_is_left_to_sympy():
    assert derivative(u(x), x, n) == sympy.diff(u(x), x, n)
    assert derivative(x**3, x, 0) == x**3
