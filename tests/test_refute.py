"""The counterexample search: smallest first, kind-respecting, reproducible."""

from __future__ import annotations

from sympy import Derivative, Eq, Ge, Integer, KroneckerDelta, Max, Ne, Rational, Sum, exp

from derivs import Between, CheckOptions, Notation, Probability, Status, check_link
from derivs.model import link
from derivs.refute import SearchLimits, search

DEFAULT_LIMITS = SearchLimits()


def find(sm, lhs, rhs, *condition, assuming=(), limits=DEFAULT_LIMITS):
    return search(lhs, rhs, sm.context, tuple(condition), tuple(assuming), limits)


def test_the_smallest_dimension_is_reported_first(sm):
    # -a_i a_j for da_i/dz_j without the i != j case fails already at K = 1.
    result = find(sm, Derivative(sm.a[sm.i], sm.z[sm.j]), -sm.a[sm.i] * sm.a[sm.j])
    cx = result.counterexample
    assert cx is not None
    assert cx.dimensions == (("K", 1),)
    assert cx.indices == (("i", 1), ("j", 1))
    assert float(cx.lhs) == 0.0 and float(cx.rhs) == -1.0


def test_the_case_restricts_the_index_assignments(sm):
    result = find(sm, Derivative(sm.a[sm.i], sm.z[sm.j]), sm.a[sm.i] * sm.a[sm.j], Ne(sm.i, sm.j))
    cx = result.counterexample
    assert cx is not None
    assert cx.dimensions == (("K", 2),)
    values = dict(cx.indices)
    assert values["i"] != values["j"]
    assert float(cx.lhs) == -float(cx.rhs)


def test_a_true_link_has_no_counterexample(sm):
    result = find(sm, Derivative(sm.a[sm.i], sm.z[sm.j]), -sm.a[sm.i] * sm.a[sm.j], Ne(sm.i, sm.j))
    assert result.counterexample is None
    assert result.samples > 10


def test_the_search_is_reproducible_and_the_seed_changes_the_draws(sm):
    lhs, rhs = Derivative(sm.a[sm.i], sm.z[sm.i]), sm.a[sm.i] * (1 - sm.a[sm.i] ** 2)
    first = find(sm, lhs, rhs).counterexample
    again = find(sm, lhs, rhs).counterexample
    other = find(sm, lhs, rhs, limits=SearchLimits(seed=7)).counterexample
    assert first == again
    assert first is not None and other is not None and first.values != other.values


def test_entries_of_a_probability_vector_are_on_the_simplex(sm):
    # sum_k p_k = 2 is false; the entries the search shows must sum to 1.
    result = find(sm, Sum(sm.p[sm.k], (sm.k, 1, sm.K)), Integer(2))
    cx = result.counterexample
    assert cx is not None
    entries = [Rational(e.value) for e in cx.values if e.name == "p"]
    assert abs(sum(entries) - 1) < Rational(1, 10**20)
    assert all(e > 0 for e in entries)


def test_a_one_hot_vector_is_one_at_its_index_only(sm):
    result = find(sm, Sum(sm.y[sm.k] * sm.z[sm.k], (sm.k, 1, sm.K)), sm.z[1])
    cx = result.counterexample
    assert cx is not None
    hot = dict(cx.indices)["c"]
    assert {(e.name, e.indices): e.value for e in cx.values}[("y", (str(hot),))] == "1"
    assert hot != 1


def test_hypotheses_of_the_link_are_satisfied_by_the_draws(sm):
    lhs = -sm.t[sm.j] + sm.a[sm.j] * Sum(sm.t[sm.i], (sm.i, 1, sm.K))
    rhs = sm.a[sm.j] - sm.t[sm.j]
    held = find(sm, lhs, rhs, assuming=(sm.t_sums_to_one,))
    assert held.counterexample is None
    assert held.samples > 10
    broken = find(sm, lhs, rhs).counterexample
    assert broken is not None
    # Drawn freely, the t entries of the counterexample do not sum to 1.
    assert sum(Rational(e.value) for e in broken.values if e.name == "t") != 1


def test_a_counterexample_under_a_hypothesis_satisfies_it(sm):
    lhs = Sum(sm.t[sm.k] * sm.z[sm.k], (sm.k, 1, sm.K))
    cx = find(sm, lhs, sm.z[1], assuming=(sm.t_sums_to_one,)).counterexample
    assert cx is not None
    assert sum(Rational(e.value) for e in cx.values if e.name == "t") == 1


def test_inequality_cases_pick_large_enough_dimensions(sm):
    result = find(sm, KroneckerDelta(sm.K, 2), Integer(1), Ge(sm.K, 3))
    cx = result.counterexample
    assert cx is not None and cx.dimensions == (("K", 3),)


def test_arbitrary_functions_are_drawn_as_polynomials_and_shown():
    n = Notation()
    x = n.scalar("x")
    u = n.function("u")
    context = n.context()
    result = search(Derivative(u(x) ** 2, x), 2 * u(x), context, (), (), SearchLimits())
    cx = result.counterexample
    assert cx is not None
    assert any((e.name, e.of, e.label) == ("u", "x", "u(x)") for e in cx.values)


def test_values_are_exact_decimals_and_sides_have_30_digits(sm):
    cx = find(sm, exp(sm.z[sm.i]), exp(2 * sm.z[sm.i])).counterexample
    assert cx is not None
    (entry,) = cx.values
    assert (entry.name, entry.indices, entry.label) == ("z", ("1",), "z[1]")
    assert len(entry.value.split(".")[-1]) <= 3
    assert len(cx.lhs.replace("-", "").replace(".", "").lstrip("0")) >= 29


def test_the_sample_budget_is_respected(sm):
    result = find(sm, sm.z[sm.i], sm.z[sm.i], limits=SearchLimits(max_samples=5))
    assert result.samples == 5 and result.counterexample is None


def test_a_dimension_with_a_minimum_starts_there():
    n = Notation()
    K = n.dimension("K", minimum=3)
    i = n.index("i", K)
    z = n.vector("z", K, kind=Probability())
    context = n.context()
    result = search(z[i], Integer(0), context, (Eq(i, 1),), (), SearchLimits())
    assert result.counterexample is not None
    assert result.counterexample.dimensions == (("K", 3),)


def test_indices_of_the_case_are_assigned_even_when_the_sides_lose_them(sm):
    # d a_i / d t_j is 0, so j leaves the left side; the case i = j still needs a j.
    result = find(sm, Derivative(sm.a[sm.i], sm.t[sm.j]), sm.a[sm.i] - 1, Eq(sm.i, sm.j))
    cx = result.counterexample
    assert cx is not None
    indices = dict(cx.indices)
    assert indices["i"] == indices["j"]


def test_a_between_scalar_is_drawn_inside_its_range_whatever_the_seed():
    n = Notation()
    y = n.scalar("y", Between(-3, -1))
    context = n.context()
    for seed in range(10):
        cx = search(y**2, y, context, (), (), SearchLimits(seed=seed)).counterexample
        assert cx is not None
        (drawn,) = cx.values
        assert drawn.name == "y" and -3 < Rational(drawn.value) < -1


def test_a_scalar_claim_false_on_half_the_line_is_refuted_whatever_the_seed():
    # One scalar and no index give one assignment; two draws in (-2, 2) would
    # both be positive a quarter of the time, and d/dx max(0, x) = 1 holds there.
    n = Notation()
    x = n.scalar("x")
    context = n.context()
    for seed in range(12):
        limits = SearchLimits(seed=seed)
        result = search(Derivative(Max(0, x), x), Integer(1), context, (), (), limits)
        assert result.counterexample is not None, seed
        (value,) = result.counterexample.values
        assert Rational(value.value) < 0


def test_a_true_scalar_claim_is_tried_at_least_min_samples_times():
    n = Notation()
    x = n.scalar("x")
    result = search(x + x, 2 * x, n.context(), (), (), SearchLimits(min_samples=30))
    assert result.counterexample is None
    assert result.samples == 30


def test_a_counterexample_shows_only_the_scalars_its_link_uses():
    n = Notation()
    t, w, x = n.scalar("t"), n.scalar("w"), n.scalar("x")
    found = check_link(
        link(Derivative(t**3, t), 2 * t**2), n.context(), CheckOptions(isolate=False)
    )
    assert found.status is Status.REFUTED
    assert found.counterexample is not None
    assert [v.name for v in found.counterexample.values] == ["t"]
    assert {str(w), str(x)}.isdisjoint(v.name for v in found.counterexample.values)
