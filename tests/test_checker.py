"""The checker: prove, else refute, else unknown; errors name their link."""

from __future__ import annotations

import math

import pytest
from sympy import Derivative, Integer, KroneckerDelta, Ne, Sum, Symbol, exp, log

from derivs import (
    CheckOptions,
    Notation,
    Status,
    Verdict,
    canonical,
    check_derivation,
    check_link,
    derivation,
    step,
    then,
)
from derivs.context import Context
from derivs.errors import DerivsError, OptionError
from derivs.model import Link, SourceLocation, skipped_link, unreadable_link
from derivs.verdict import Counterexample
from tests.conftest import plain_notation, softmax_notation

IN_PROCESS = CheckOptions(isolate=False)


def verdict(sm, lhs, rhs, *condition, assuming=(), options=IN_PROCESS):
    link = Link(lhs, rhs, condition=tuple(condition), assuming=tuple(assuming))
    return check_link(link, sm.context, options)


# The claims the engine must prove for symbolic K (issue: "Done when").


def test_proves_the_derivative_of_the_normaliser(sm):
    v = verdict(sm, Derivative(sm.S, sm.z[sm.j]), exp(sm.z[sm.j]))
    assert v.status is Verdict.PROVED


def test_proves_the_diagonal_of_the_jacobian(sm):
    a = sm.a[sm.i]
    assert verdict(sm, Derivative(a, sm.z[sm.i]), a * (1 - a)).status is Verdict.PROVED


def test_proves_the_off_diagonal_under_its_case(sm):
    v = verdict(sm, Derivative(sm.a[sm.i], sm.z[sm.j]), -sm.a[sm.i] * sm.a[sm.j], Ne(sm.i, sm.j))
    assert v.status is Verdict.PROVED


def test_proves_the_kronecker_form_with_no_case(sm):
    rhs = sm.a[sm.i] * (KroneckerDelta(sm.i, sm.j) - sm.a[sm.j])
    assert verdict(sm, Derivative(sm.a[sm.i], sm.z[sm.j]), rhs).status is Verdict.PROVED


def test_proves_the_one_hot_gradient(sm):
    lhs = Derivative(-log(sm.a[sm.c]), sm.z[sm.j])
    rhs = sm.a[sm.j] - KroneckerDelta(sm.c, sm.j)
    assert verdict(sm, lhs, rhs).status is Verdict.PROVED


def test_proves_the_gradient_for_a_probability_target(sm):
    v = verdict(sm, Derivative(sm.L, sm.z[sm.j]), sm.a[sm.j] - sm.p[sm.j])
    assert v.status is Verdict.PROVED
    assert v.method == "hypotheses (p is a probability vector)"


def test_proves_the_chain_rule_through_a(sm):
    rhs = Sum(Derivative(sm.L, sm.a[sm.i]) * Derivative(sm.a[sm.i], sm.z[sm.j]), (sm.i, 1, sm.K))
    assert verdict(sm, Derivative(sm.L, sm.z[sm.j]), rhs).status is Verdict.PROVED


# Verdicts carry their details.


def test_a_refuted_verdict_carries_its_counterexample(sm):
    v = verdict(sm, Derivative(sm.a[sm.i], sm.z[sm.j]), sm.a[sm.i] * sm.a[sm.j], Ne(sm.i, sm.j))
    assert v.status is Verdict.REFUTED
    assert v.method == "counterexample search (K=2)"
    assert isinstance(v.counterexample, Counterexample)
    assert v.counterexample.dimensions == (("K", 2),)
    assert "K = 2, i = 1, j = 2" in str(v.counterexample)
    assert v.seconds > 0


def test_only_a_refuted_verdict_may_carry_a_counterexample():
    with pytest.raises(ValueError, match="counterexample"):
        Verdict(Status.PROVED, "x", counterexample=Counterexample((), (), (), "0", "1"))
    with pytest.raises(ValueError, match="counterexample"):
        Verdict(Status.REFUTED, "x")


def test_a_malformed_link_is_an_error_that_names_derivation_link_and_line(sm):
    stray = Symbol("q")
    d = derivation(
        "with-a-typo",
        "A derivation with a typo",
        sm.context,
        step(sm.S, then(sm.S)),
        step(sm.S, then(sm.S + stray)),
    )
    result = check_derivation(d, CheckOptions(isolate=False))
    first, second = result.links
    assert first.verdict.status is Verdict.PROVED
    assert second.verdict.status is Verdict.ERROR
    message = second.verdict.message
    assert message.startswith("with-a-typo, link 2 (")
    assert second.link.location is not None
    assert f"test_checker.py:{second.link.location.line}" in message
    assert "symbol q is not declared" in message


def test_an_undeclared_hypothesis_is_an_error(sm):
    other = Notation()
    K = other.dimension("K")
    k = other.index("k", K)
    t = other.vector("t", K)
    foreign = other.hypothesis("elsewhere", Sum(t[k], (k, 1, K)), 1)
    v = verdict(sm, sm.S, sm.S, assuming=(foreign,))
    assert v.status is Verdict.ERROR and "'elsewhere' is not declared" in v.message


def test_an_undecidable_link_is_unknown_never_proved(sm):
    # A true identity that no strategy reaches: sum_k z_k^2 >= 0 is no equation,
    # so take an equality SymPy cannot see: sum over a reversed index.
    rhs = Sum(sm.z[sm.K + 1 - sm.k], (sm.k, 1, sm.K))
    v = verdict(sm, Sum(sm.z[sm.k], (sm.k, 1, sm.K)), rhs)
    assert v.status is Verdict.UNKNOWN
    assert "no counterexample in" in v.message


def expensive_identity(power: int) -> tuple[Link, Link, Context]:
    """A true link whose proof must expand ``(x + y + w + v)**power``, and a cheap one.

    Its sides share no factor (:mod:`derivs.factors`), so nothing shortens the expansion.
    """
    n = Notation()
    x, y, w, v = (n.scalar(name) for name in "xywv")
    square = (x + y) ** 2 + 2 * (x + y) * (w + v) + (w + v) ** 2
    slow = Link((x + y + w + v) ** power, square ** (power // 2))
    return slow, Link(x + y, y + x), n.context()


def test_a_link_past_its_deadline_is_unknown_and_the_run_goes_on():
    slow, fast, context = expensive_identity(200)
    options = CheckOptions(timeout=1.0)
    slow_verdict = check_link(slow, context, options)
    assert slow_verdict.status is Verdict.UNKNOWN
    assert slow_verdict.method == "timeout"
    assert slow_verdict.seconds < 5
    assert check_link(fast, context, options).status is Verdict.PROVED


def test_a_link_over_its_memory_bound_is_unknown():
    hungry, _, context = expensive_identity(400)
    result = check_link(hungry, context, CheckOptions(timeout=20, memory_mb=150))
    assert result.status is Verdict.UNKNOWN
    # Out of memory, a worker may fail while reporting its MemoryError and just die;
    # after some earlier tests in the same process it reaches its deadline first.
    assert result.method in {"memory", "exception", "crash", "timeout"}


def test_derivation_results_count_and_flag_unexpected_verdicts(sm):
    d = derivation(
        "mixed",
        "Mixed verdicts",
        sm.context,
        step(
            Derivative(sm.a[sm.i], sm.z[sm.i]),
            then(sm.a[sm.i] * (1 - sm.a[sm.i]), "quotient rule"),
            then(sm.a[sm.i] * (1 + sm.a[sm.i]), erratum="sign of a_i^2"),
        ),
        step(Integer(1), then(Integer(2))),
    )
    result = check_derivation(d, CheckOptions(isolate=False))
    assert [r.verdict.status for r in result.links] == [
        Verdict.PROVED,
        Verdict.REFUTED,
        Verdict.REFUTED,
    ]
    assert [r.as_expected for r in result.links] == [True, True, False]
    assert result.count(Verdict.REFUTED) == 2
    assert [r.number for r in result.unexpected] == [3]


def test_contradictory_hypotheses_are_an_error_not_a_proof():
    n = Notation()
    K = n.dimension("K")
    k = n.index("k", K)
    t = n.vector("t", K)
    one = n.hypothesis("sum t = 1", Sum(t[k], (k, 1, K)), 1)
    two = n.hypothesis("sum t = 2", Sum(t[k], (k, 1, K)), 2)
    link = Link(t[k], t[k] + 1, assuming=(one, two))
    v = check_link(link, n.context(), IN_PROCESS)
    assert v.status is Verdict.ERROR
    assert "contradict each other" in v.message


def test_a_case_that_leaves_no_value_is_an_error_not_a_proof(sm):
    from sympy import Ge, Le

    v = verdict(sm, sm.z[sm.i], sm.z[sm.i] + 1, Ge(sm.K, 3), Le(sm.K, 2))
    assert v.status is Verdict.ERROR
    assert "leaves K no possible value" in v.message


@pytest.mark.parametrize(
    "options",
    [
        {"timeout": math.inf},
        {"timeout": 1e308},
        {"timeout": math.nan},
        {"timeout": 0},
        {"timeout": -1.0},
        {"timeout": "30"},
        {"memory_mb": 0},
        {"memory_mb": -100000},
        {"memory_mb": 10**12},
        {"memory_mb": 512.5},
        {"jobs": 0},
        {"jobs": 1000},
    ],
)
def test_check_options_refuse_values_out_of_range(options):
    with pytest.raises(OptionError) as raised:
        CheckOptions(**options)
    assert raised.value.option == next(iter(options))
    assert isinstance(raised.value, DerivsError)


# An unread link: its verdict comes from its type, and the engine is never asked.


def test_an_unread_link_gets_its_verdict_without_the_engine(sm, monkeypatch):
    import derivs.checker

    def no_engine(*args: object) -> Verdict:
        raise AssertionError("the engine was asked about an unread link")

    monkeypatch.setattr(derivs.checker, "_check_here", no_engine)
    where = SourceLocation("note.md", 7)
    skipped = check_link(skipped_link(r"a_1 = \dots", "ellipsis", where), sm.context, IN_PROCESS)
    assert (skipped.status, skipped.message) == (Status.SKIPPED, "ellipsis")
    bad = unreadable_link(r"S = \frac{a}{b", "'{' is never closed", where, column=12)
    error = check_link(bad, sm.context, IN_PROCESS, "note, link 1")
    assert error.status is Status.ERROR
    assert error.message == "note, link 1: line 7, column 12: '{' is never closed"


def test_an_unread_link_needs_a_reason():
    with pytest.raises(DerivsError, match="reason"):
        skipped_link("x", "", None)


# A case the author states and the reader could not read: proved or unknown, never refuted.


def _with_unread_case(lhs, rhs) -> Link:
    from derivs.model import link

    return link(lhs, rhs, unread_case=r"\text{if } x \in \{0, 1\}")


def test_a_link_refuted_only_outside_an_unread_case_is_unknown_and_says_what_to_write():
    plain = plain_notation()
    x = plain.x
    found = check_link(_with_unread_case(x * x, x), plain.context, IN_PROCESS)
    assert found.status is Status.UNKNOWN and found.counterexample is None
    assert r"\text{if } x \in \{0, 1\}" in found.message and "could not be read" in found.message
    without = check_link(Link(x * x, x), plain.context, IN_PROCESS)
    assert without.status is Status.REFUTED  # the same link without the unread case


def test_a_link_proved_without_its_unread_case_is_proved():
    plain = plain_notation()
    x = plain.x
    found = check_link(_with_unread_case(x * (x + 1), x**2 + x), plain.context, IN_PROCESS)
    assert found.status is Status.PROVED


def test_a_cached_refutation_is_bounded_by_the_unread_case_too(tmp_path):
    from derivs.cache import VerdictCache
    from derivs.checker import check_links

    plain = plain_notation()
    x = plain.x
    cache = VerdictCache(tmp_path / "cache")
    (first,) = check_links([(Link(x * x, x), plain.context, "plain")], IN_PROCESS, cache)
    assert first.status is Status.REFUTED
    work = [(_with_unread_case(x * x, x), plain.context, "stated")]
    (again,) = check_links(work, IN_PROCESS, cache)
    assert again.cached and again.status is Status.UNKNOWN
    (without,) = check_links([(Link(x * x, x), plain.context, "plain")], IN_PROCESS, cache)
    assert without.cached and without.status is Status.REFUTED  # the cache keeps the engine's


def test_each_expression_is_unfolded_once_per_context_by_the_proofs_and_the_search(
    monkeypatch,
):
    sm = softmax_notation()  # a context of its own: its memo starts empty
    a, z, i, S = sm.a, sm.z, sm.i, sm.S
    chain = derivation(
        "chain",
        "consecutive links share a side",
        sm.context,
        step(
            Derivative(a[i], z[i]),
            then((exp(z[i]) * S - exp(z[i]) ** 2) / S**2),
            then(a[i] - a[i] ** 2),
            then(a[i] * (1 - a[i])),
            then(a[i] * (1 + a[i]), erratum="a sign lost: the search runs"),
        ),
    )
    unfolded: list[object] = []
    unfold = canonical._unfold

    def counted(expr, context, keep):
        unfolded.append((expr, keep))
        return unfold(expr, context, keep)

    monkeypatch.setattr(canonical, "_unfold", counted)
    first = [link.verdict.status for link in check_derivation(chain, IN_PROCESS).links]
    assert first == [Verdict.PROVED] * 3 + [Verdict.REFUTED]
    assert unfolded and len(unfolded) == len(set(unfolded))
    unfolded.clear()
    again = [link.verdict.status for link in check_derivation(chain, IN_PROCESS).links]
    assert again == first
    assert unfolded == []
