"""The canonical form: unfolding, case, ranges, sums, deltas, dummies."""

from __future__ import annotations

import pytest
from sympy import (
    Derivative,
    Eq,
    Ge,
    IndexedBase,
    Integer,
    KroneckerDelta,
    Ne,
    Piecewise,
    Product,
    Subs,
    Sum,
    Symbol,
    exp,
    log,
)

from derivs import DerivsError, Notation
from derivs.canonical import (
    Facts,
    Normalizer,
    Problem,
    atomize_exp,
    binder_depth,
    canonical_sum,
    expand_terms,
    prepare,
    unfold,
)


def canonical(sm, expr, *condition):
    problem = Problem.of(expr, Integer(0), sm.context, tuple(condition), ())
    return problem.canonical[0]


def test_unfold_replaces_definitions_by_their_bodies(sm):
    unfolded = unfold(prepare(sm.a[sm.j]), sm.context)
    assert unfolded.has(exp(sm.z[sm.j]))
    assert not unfolded.has(sm.S) and not unfolded.has(sm.a[sm.j])


def test_a_derivative_by_a_defined_quantity_keeps_it_as_the_variable(sm):
    # dL/da_i with L = -sum_k p_k log a_k is -p_i / a_i, whatever a is defined as.
    result = canonical(sm, Derivative(sm.L, sm.a[sm.i]))
    expected = canonical(sm, -sm.p[sm.i] / sm.a[sm.i])
    assert result == expected


def test_the_derivative_of_an_arbitrary_function_stays_unevaluated():
    n = Notation()
    x = n.scalar("x")
    u = n.function("u")
    context = n.context()
    assert unfold(Derivative(u(x), x), context) == Derivative(u(x), x)


def test_subs_is_evaluated_after_unfolding(sm):
    expr = Subs(sm.a[sm.i] * sm.z[sm.i], sm.i, sm.j)
    assert canonical(sm, expr) == canonical(sm, sm.a[sm.j] * sm.z[sm.j])


def test_the_normaliser_derivative_leaves_no_range_guard(sm):
    # SymPy's doit gives Piecewise((exp(z_j), K >= j), (0, True)) (issue 13993).
    assert canonical(sm, Derivative(sm.S, sm.z[sm.j])) == exp(sm.z[sm.j])
    guarded = Derivative(Sum(exp(sm.z[sm.k]), (sm.k, 1, sm.K)), sm.z[sm.j]).doit().doit()
    assert isinstance(guarded, Piecewise)
    assert canonical(sm, guarded) == exp(sm.z[sm.j])


def test_a_guard_the_ranges_cannot_decide_is_kept():
    n = Notation()
    K = n.dimension("K")
    M = n.dimension("M")
    j = n.index("j", M)
    context = n.context()
    problem = Problem.of(Piecewise((1, j <= K), (0, True)), Integer(0), context, (), ())
    assert isinstance(problem.canonical[0], Piecewise)


def test_deltas_contract_against_sums_over_the_same_range(sm):
    contracted = canonical(
        sm, Sum(KroneckerDelta(sm.k, sm.c) * log(sm.z[sm.k] ** 2), (sm.k, 1, sm.K))
    )
    assert contracted == log(sm.z[sm.c] ** 2)


def test_a_delta_is_not_contracted_when_the_index_may_lie_outside_the_sum(sm):
    short = Sum(KroneckerDelta(sm.k, sm.j) * sm.z[sm.k], (sm.k, 1, sm.K - 1))
    result = canonical(sm, short)
    assert isinstance(result, Sum)


def test_factors_free_of_the_index_leave_the_sum_and_sums_split(sm):
    expr = Sum(sm.z[sm.j] * (sm.z[sm.k] + 3), (sm.k, 1, sm.K))
    _1 = Symbol("_1", integer=True, positive=True)
    assert canonical(sm, expr) == sm.z[sm.j] * Sum(sm.z[_1], (_1, 1, sm.K)) + 3 * sm.K * sm.z[sm.j]


def test_sums_that_differ_only_in_their_dummy_are_equal(sm):
    first = canonical(sm, Sum(exp(sm.z[sm.k]), (sm.k, 1, sm.K)))
    second = canonical(sm, Sum(exp(sm.z[sm.i]), (sm.i, 1, sm.K)))
    assert first == second


def test_a_sum_over_a_concrete_range_is_written_out(sm):
    assert canonical(sm, Sum(sm.z[sm.k], (sm.k, 1, 3))) == sm.z[1] + sm.z[2] + sm.z[3]
    assert canonical(sm, Sum(sm.z[sm.k], (sm.k, 2, 1))) == 0


def test_the_case_substitutes_equalities_and_zeroes_deltas(sm):
    assert canonical(sm, KroneckerDelta(sm.i, sm.j) * sm.z[sm.j], Eq(sm.i, sm.j)) == sm.z[sm.i]
    assert canonical(sm, KroneckerDelta(sm.i, sm.j) + sm.z[sm.j], Ne(sm.i, sm.j)) == sm.z[sm.j]


def test_an_inequality_case_bounds_a_dimension(sm):
    # delta(K, 2) is 0 when K >= 3, and sum_k delta_{k,2} z_k = z_2 needs K >= 2.
    assert canonical(sm, KroneckerDelta(sm.K, 2), Ge(sm.K, 3)) == 0
    assert canonical(sm, KroneckerDelta(sm.K, 2)) == KroneckerDelta(sm.K, 2)
    contracted = Sum(KroneckerDelta(sm.k, 2) * sm.z[sm.k], (sm.k, 1, sm.K))
    assert canonical(sm, contracted, Ge(sm.K, 2)) == sm.z[2]
    assert isinstance(canonical(sm, contracted), Sum)


def test_one_hot_entries_become_deltas(sm):
    assert canonical(sm, Sum(sm.y[sm.k] * sm.z[sm.k], (sm.k, 1, sm.K))) == sm.z[sm.c]


def test_logs_of_positive_products_are_split(sm):
    _1 = Symbol("_1", integer=True, positive=True)
    S = Sum(exp(sm.z[_1]), (_1, 1, sm.K))
    assert canonical(sm, log(sm.a[sm.i])) == sm.z[sm.i] - log(S)


def test_exp_of_a_sum_is_never_turned_into_a_product(sm):
    expr = exp(sm.z[sm.i] + Sum(sm.z[sm.k], (sm.k, 1, sm.K)))
    split = expand_terms(expr)
    assert not split.has(Product)
    assert split == exp(sm.z[sm.i]) * exp(Sum(sm.z[sm.k], (sm.k, 1, sm.K)))


def test_canonical_dummies_never_capture_an_inner_binder():
    k, q, K = (Symbol(s, integer=True, positive=True) for s in "kqK")
    W = IndexedBase("W")
    inner = Product(exp(W[k, q]), (q, 1, K))
    outer = canonical_sum(inner, k, Integer(1), K)
    (variable,) = outer.variables
    assert variable not in outer.function.variables
    assert binder_depth(outer) == 2


def test_canonical_dummies_avoid_names_that_are_free_in_the_body():
    k, K = Symbol("k", integer=True, positive=True), Symbol("K", integer=True, positive=True)
    taken = Symbol("_1", integer=True, positive=True)
    x = IndexedBase("x")
    result = canonical_sum(x[k] * x[taken], k, Integer(1), K)
    assert result.variables[0] != taken and result.function.has(taken)


def test_a_contraction_that_would_be_captured_is_not_made():
    k, m, K = (Symbol(s, integer=True, positive=True) for s in "kmK")
    x = IndexedBase("x")
    facts = Facts({K: Integer(1), m: Integer(1), k: Integer(1)}, {m: K, k: K})
    # sum_k delta(k, m) * (sum_m x_m x_k): substituting m for k would be captured.
    term = KroneckerDelta(k, m) * Sum(x[m] * x[k], (m, 1, K))
    result = Normalizer(facts)._sum_term(term, k, Integer(1), K)
    assert isinstance(result, Sum)


def test_facts_bound_linear_expressions_by_the_declared_ranges(sm):
    facts = Facts.of(sm.context)
    assert facts.lower_bound(sm.K - sm.j) == 0
    assert facts.lower_bound(sm.j - 1) == 0
    assert facts.lower_bound(sm.j - sm.K) is None
    assert facts.within(sm.j, Integer(1), sm.K)
    assert not facts.within(sm.j, Integer(1), sm.K - 1)
    assert facts.decide(Ge(sm.K, sm.j)) is True
    assert facts.decide(Ge(sm.j, sm.K + 1)) is False


def test_bounds_are_remembered_by_the_ranges_they_come_from(sm):
    wide, narrow = Facts.of(sm.context), Facts.of(sm.context, (Ge(sm.j, 3),))
    assert wide.lower_bound(sm.j - 3) == -2
    assert narrow.lower_bound(sm.j - 3) == 0  # other ranges, another answer
    assert Facts.of(sm.context).lower_bound(sm.j - 3) == -2  # equal ranges, the same one


def test_contradictory_cases_are_an_error(sm):
    with pytest.raises(DerivsError, match="contradicts"):
        Facts.of(sm.context, (Eq(sm.i, sm.j), Ne(sm.i, sm.j)))
    with pytest.raises(DerivsError, match="must bound an integer symbol"):
        Facts.of(sm.context, (Ge(sm.z[sm.i], 0),))


def test_exponentials_become_monomials_of_opaque_atoms(sm):
    atomized = atomize_exp(exp(2 * sm.z[sm.i] - sm.z[sm.j]) * exp(sm.z[sm.j]))
    assert not atomized.has(exp)
    assert atomized == atomize_exp(exp(sm.z[sm.i])) ** 2


def test_the_numerator_of_a_true_link_is_zero_and_is_computed_once(sm):
    a = sm.a[sm.i]
    problem = Problem.of(Derivative(a, sm.z[sm.i]), a * (1 - a), sm.context, (), ())
    assert problem.numerator == 0
    assert problem.numerator is problem.numerator


def test_each_distinct_side_is_unfolded_once_per_context(sm):
    side = prepare(Derivative(sm.a[sm.i], sm.z[sm.j]))
    assert prepare(Derivative(sm.a[sm.i], sm.z[sm.j])) is side  # the same dummies, the same object
    first = unfold(side, sm.context)
    assert unfold(side, sm.context) is first
    assert sm.context.unfolded[(side, frozenset())] is first


def test_problems_of_one_context_and_case_share_their_normaliser(sm):
    first = Problem.of(sm.a[sm.i], sm.a[sm.i], sm.context, (Ne(sm.i, sm.j),), ())
    second = Problem.of(sm.a[sm.j], sm.a[sm.j], sm.context, (Ne(sm.i, sm.j),), ())
    other_case = Problem.of(sm.a[sm.i], sm.a[sm.i], sm.context, (Eq(sm.i, sm.j),), ())
    assert first.normalizer is second.normalizer
    assert other_case.normalizer is not first.normalizer
    refined = first.refine(Ge(sm.K, 3))
    assert refined.normalizer is not first.normalizer
    assert refined.normalizer.facts.lower[sm.K] == 3
