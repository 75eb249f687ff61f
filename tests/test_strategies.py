"""The strategy table: each strategy proves what it is for, and only that."""

from __future__ import annotations

from sympy import Derivative, Integer, KroneckerDelta, Ne, Sum, exp, sqrt

from derivs.canonical import Facts, Problem
from derivs.strategies import STRATEGIES, attempt, free_deltas, opaque_sums


def problem(sm, lhs, rhs, *condition, assuming=()):
    return Problem.of(lhs, rhs, sm.context, tuple(condition), tuple(assuming))


def method(sm, lhs, rhs, *condition, assuming=()):
    """The method of the cheap strategies that prove the link, or None."""
    proof = attempt(problem(sm, lhs, rhs, *condition, assuming=assuming), expensive=False).proof
    return proof.method if proof else None


def test_the_table_runs_cheap_strategies_first_and_simplify_last():
    names = [s.name for s in STRATEGIES]
    assert names == [
        "canonical form",
        "rational normal form",
        "hypotheses",
        "case split",
        "simplify",
    ]
    assert [s.expensive for s in STRATEGIES] == [False, False, False, False, True]


def test_canonical_form_proves_the_derivative_of_the_normaliser(sm):
    assert method(sm, Derivative(sm.S, sm.z[sm.j]), exp(sm.z[sm.j])) == "canonical form"


def test_rational_normal_form_proves_field_identities(sm):
    x = sm.z[sm.i]
    # The logistic function two ways: equal only after bringing to a common denominator.
    assert method(sm, 1 / (1 + exp(-x)), exp(x) / (exp(x) + 1)) == "rational normal form"
    # (e^{2x} - 1) / (e^x - 1) = e^x + 1 needs a polynomial division.
    assert method(sm, (exp(2 * x) - 1) / (exp(x) - 1), exp(x) + 1) == "rational normal form"


def test_hypotheses_prove_what_needs_sum_t_equal_one(sm):
    lhs = -sm.t[sm.j] + sm.a[sm.j] * Sum(sm.t[sm.i], (sm.i, 1, sm.K))
    rhs = sm.a[sm.j] - sm.t[sm.j]
    assert method(sm, lhs, rhs, assuming=(sm.t_sums_to_one,)) == "hypotheses (sum_k t_k = 1)"
    assert method(sm, lhs, rhs) is None


def test_a_probability_vector_brings_its_own_hypothesis(sm):
    assert method(sm, Derivative(sm.L, sm.z[sm.j]), sm.a[sm.j] - sm.p[sm.j]) == (
        "hypotheses (p is a probability vector)"
    )


def test_case_split_proves_a_delta_identity_case_by_case(sm):
    # delta_ij z_i = delta_ij z_j holds in both cases, but not by algebra alone.
    lhs = KroneckerDelta(sm.i, sm.j) * sm.z[sm.i]
    rhs = KroneckerDelta(sm.i, sm.j) * sm.z[sm.j]
    found = method(sm, lhs, rhs)
    assert found is not None and found.startswith("case split on delta(i, j)")
    assert "i = j: " in found and "i != j: " in found


def test_case_split_does_not_prove_what_fails_in_one_case(sm):
    assert method(sm, KroneckerDelta(sm.i, sm.j) * sm.z[sm.i], sm.z[sm.j]) is None


def test_the_link_case_is_used_by_every_strategy(sm):
    lhs = Derivative(sm.a[sm.i], sm.z[sm.j])
    assert method(sm, lhs, -sm.a[sm.i] * sm.a[sm.j], Ne(sm.i, sm.j)) == "canonical form"
    assert method(sm, lhs, -sm.a[sm.i] * sm.a[sm.j]) is None


def test_free_deltas_ignore_deltas_bound_inside_sums(sm):
    inside = Sum(KroneckerDelta(sm.k, sm.j) * sm.z[sm.k], (sm.k, 1, sm.K - 1))
    outside = KroneckerDelta(sm.i, sm.j)
    assert free_deltas(inside + outside) == [outside]


def test_simplify_never_sees_a_sum(sm):
    S = Sum(exp(sm.z[sm.k]), (sm.k, 1, sm.K))
    opaque = opaque_sums(sqrt(S**2) + S, Facts.of(sm.context))
    assert not opaque.has(Sum)
    (atom,) = opaque.free_symbols
    assert atom.is_positive


def test_a_sum_of_positive_terms_that_may_be_empty_is_only_nonnegative(sm):
    maybe_empty = Sum(exp(sm.z[sm.k]), (sm.k, sm.i, sm.j))
    (atom,) = opaque_sums(maybe_empty, Facts.of(sm.context)).free_symbols
    assert atom.is_positive is not True
    assert atom.is_nonnegative


def test_simplify_proves_what_only_it_can(sm):
    from sympy import cos, sin

    x = sm.z[sm.i]
    identity = problem(sm, sin(x) ** 2 + cos(x) ** 2, Integer(1))
    assert attempt(identity, expensive=False).proof is None
    proof = attempt(identity, expensive=True).proof
    assert proof is not None and proof.method == "simplify on opaque sums"


def test_an_index_with_a_concrete_range_is_split_value_by_value():
    from sympy import KroneckerDelta as delta

    from derivs import Notation

    n = Notation()
    j = n.index("j", 3)
    x = n.vector("x", 3)
    context = n.context()
    # x_j = sum of x_v delta(j, v) holds for j in 1..3 only: j = 2 / j != 2 cannot show it.
    rhs = x[1] * delta(j, 1) + x[2] * delta(j, 2) + x[3] * delta(j, 3)
    proof = attempt(Problem.of(x[j], rhs, context, (), ()), expensive=False).proof
    assert proof is not None
    assert proof.method.startswith("case split on j in 1..3")
    wrong = x[1] * delta(j, 1) + x[2] * delta(j, 2)
    assert attempt(Problem.of(x[j], wrong, context, (), ()), expensive=False).proof is None
