"""The notation: declarations, validation, definitions that never capture."""

from __future__ import annotations

import pytest
from sympy import Function, IndexedBase, KroneckerDelta, Sum, Symbol

from derivs import DerivsError, Notation, OneHot, Probability
from derivs.context import Definition


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
