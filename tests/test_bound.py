"""Bound indices: found wherever they are bound, renamed deterministically, never captured."""

from __future__ import annotations

from sympy import Dummy, IndexedBase, Integral, Lambda, Product, Sum, Symbol, exp

from derivs.bound import bound_variables, fresh_bound, rename_bound


def test_bound_variables_are_those_of_every_binder_and_only_those():
    k, j, t, u = (Symbol(name, integer=True) for name in "kjtu")
    K = Symbol("K", integer=True)
    x = IndexedBase("x")
    expr = Sum(x[k] * Product(x[j], (j, 1, k)), (k, 1, K)) + Integral(t, (t, 0, 1))
    assert bound_variables(expr) == {k, j, t}
    assert bound_variables(Lambda(u, x[u] * x[K])) == {u}
    assert bound_variables(x[k] + K) == set()


def test_fresh_bound_is_a_pure_function_of_the_expression():
    k, j = Symbol("k", integer=True), Symbol("j", integer=True)
    K = Symbol("K", integer=True)
    x = IndexedBase("x")
    body = Sum(x[k] * Sum(x[j], (j, 1, K)), (k, 1, K))
    renamed = fresh_bound(body)
    assert fresh_bound(body) == renamed  # the same dummies every time
    inner = renamed.function.args[1] if isinstance(renamed.function.args[1], Sum) else None
    variables = {renamed.variables[0], *renamed.atoms(Dummy)}
    assert all(isinstance(v, Dummy) for v in variables) and len(variables) == 2
    assert inner is None or inner.variables[0] != renamed.variables[0]
    # Another expression gets other dummies; nothing without a binder is touched.
    other = fresh_bound(Sum(x[k], (k, 1, K)))
    assert other.variables[0] not in variables
    assert fresh_bound(x[k] + 1) == x[k] + 1


def test_fresh_bound_avoids_every_dummy_the_expression_mentions():
    k, K = Symbol("k", integer=True), Symbol("K", integer=True)
    x = IndexedBase("x")
    first = fresh_bound(Sum(x[k], (k, 1, K)))
    (used,) = first.variables
    # The same sum nested with a free occurrence of its own dummy: never captured.
    nested = Sum(x[k] * x[used], (k, 1, K))
    renamed = fresh_bound(nested)
    (bound,) = renamed.variables
    assert bound != used and renamed.function == x[bound] * x[used]


def test_rename_bound_handles_nesting_and_shadowing():
    k, K = Symbol("k", integer=True), Symbol("K", integer=True)
    x = IndexedBase("x")
    inner = Sum(x[k], (k, 1, K))
    outer = Sum(inner * exp(x[k]), (k, 1, K))  # the inner k shadows the outer one
    renamed = rename_bound(outer, lambda old, depth: Symbol(f"d{depth}", integer=True))
    d1, d2 = Symbol("d1", integer=True), Symbol("d2", integer=True)
    assert renamed == Sum(Sum(x[d1], (d1, 1, K)) * exp(x[d2]), (d2, 1, K))


def test_rename_bound_gives_fresh_dummies_when_asked():
    k, K = Symbol("k", integer=True), Symbol("K", integer=True)
    renamed = rename_bound(Sum(k, (k, 1, K)), lambda old, depth: Dummy(old.name))
    assert isinstance(renamed.variables[0], Dummy)
