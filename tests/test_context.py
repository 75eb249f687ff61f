"""The notation: declarations, validation, definitions that never capture."""

from __future__ import annotations

import pytest
from sympy import Dummy, Function, IndexedBase, KroneckerDelta, Sum, Symbol, exp

from derivs import DerivsError, Notation, OneHot, Probability
from derivs.context import Definition, fresh_bound, rename_bound


def test_declarations_give_sympy_objects_with_the_declared_facts():
    n = Notation()
    K = n.dimension("K", minimum=2)
    i = n.index("i", K)
    z = n.vector("z", K)
    p = n.vector("p", K, kind=Probability())
    context = n.context()
    assert K.is_integer and K.is_positive
    assert context.dimension_of[K].minimum == 2
    assert context.index_of[i].upper == K and context.index_of[i].lower == 1
    assert z[i].is_real
    assert p[i].is_positive
    assert context.tensor_of[p].shape == (K,)


def test_a_name_declared_twice_is_an_error():
    n = Notation()
    n.dimension("K")
    with pytest.raises(DerivsError, match="'K' is declared twice"):
        n.scalar("K")


def test_text_is_refused_and_never_evaluated():
    n = Notation()
    with pytest.raises(DerivsError, match="text is never evaluated"):
        n.define("S", "__import__('os').system('false')")


def test_one_hot_needs_a_declared_index():
    n = Notation()
    K = n.dimension("K")
    with pytest.raises(DerivsError, match="not a declared index"):
        n.vector("y", K, kind=OneHot(Symbol("c")))


def test_undeclared_names_are_each_reported(sm):
    w = IndexedBase("w")
    f = Function("f")
    problems = sm.context.undeclared(w[sm.i] + Symbol("q") + f(sm.z[sm.i]) + sm.z[sm.i, sm.j])
    assert "symbol q is not declared" in problems
    assert "w is neither a declared vector or matrix nor a definition" in problems
    assert "function f is not declared" in problems
    assert "z takes 1 index(es), written with 2" in problems


def test_declared_names_and_bound_indices_are_not_reported(sm):
    free_k = Symbol("free_k", integer=True)
    expr = sm.a[sm.i] + sm.S + Sum(sm.z[free_k], (free_k, 1, sm.K))
    assert sm.context.undeclared(expr) == []


def test_probability_vectors_imply_that_they_sum_to_one(sm):
    (fact,) = sm.context.implied_hypotheses()
    assert fact.name == "p is a probability vector"
    assert fact.rhs == 1
    assert isinstance(fact.lhs, Sum) and fact.lhs.function.base == sm.p


def test_a_definition_instance_never_captures_its_argument():
    k = Symbol("k", integer=True)
    i = Symbol("i", integer=True)
    K = Symbol("K", integer=True)
    # g_i := sum_k delta_ik; g_k must be 1, not sum_k delta_kk = K.
    g = Definition("g", IndexedBase("g"), (i,), Sum(KroneckerDelta(i, k), (k, 1, K)))
    instance = g.instance((k,))
    (bound,) = instance.variables
    assert bound != k
    assert instance.function == KroneckerDelta(k, bound)


def test_an_instance_at_the_body_s_own_dummy_is_renamed_again():
    k = Symbol("k", integer=True)
    i = Symbol("i", integer=True)
    K = Symbol("K", integer=True)
    g = Definition("g", IndexedBase("g"), (i,), Sum(KroneckerDelta(i, k), (k, 1, K)))
    (own,) = g.instance((i,)).variables
    # An argument that mentions the body's own dummy could be captured by it.
    instance = g.instance((own + 1,))
    (bound,) = instance.variables
    assert bound != own
    assert instance.function == KroneckerDelta(own + 1, bound)


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


def test_an_index_from_zero_is_not_declared_negative():
    n = Notation()
    K = n.dimension("K")
    i = n.index("i", K - 1, lower=0)
    assert i.is_nonnegative and i.is_integer
    assert i.is_positive is None


@pytest.mark.parametrize("name", ["_1", "a b", "2x", ""])
def test_unusable_names_are_refused(name):
    with pytest.raises(DerivsError, match="name"):
        Notation().scalar(name)
