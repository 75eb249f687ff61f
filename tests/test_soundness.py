"""Soundness: wrong steps are refuted with a counterexample, and never proved.

The named wrong steps are the mistakes people make in these derivations.
The property tests take true links and mutate them in ways that are
guaranteed to make them false (negate a non-zero side, add a non-zero term,
scale it, square a side that is not 0 or 1, drop the case or hypothesis a
link needs); every mutant must be refuted, and none may be proved.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import (
    Derivative,
    Eq,
    Expr,
    Ge,
    I,
    Integer,
    KroneckerDelta,
    Le,
    Ne,
    Pow,
    Product,
    Rational,
    Sum,
    exp,
    log,
    oo,
    sqrt,
)

from derivs import CheckOptions, Notation, Verdict, check_link
from derivs.model import CaseOrigin, Link, Relation
from tests.conftest import plain_notation, softmax_notation

SM = softmax_notation()
IN_PROCESS = CheckOptions(isolate=False)
a, z, S, i, j, k, K, c = SM.a, SM.z, SM.S, SM.i, SM.j, SM.k, SM.K, SM.c


def refuted(link: Link, context=SM.context) -> Verdict:
    verdict = check_link(link, context, IN_PROCESS)
    assert verdict.status is not Verdict.PROVED, f"a wrong step was proved: {link.lhs} = {link.rhs}"
    assert verdict.status is Verdict.REFUTED, verdict.message
    assert verdict.counterexample is not None
    return verdict


WRONG_STEPS = {
    "sign flipped in the off-diagonal": Link(
        Derivative(a[i], z[j]), a[i] * a[j], condition=(Ne(i, j),)
    ),
    "indices swapped in the diagonal": Link(Derivative(a[i], z[i]), a[j] * (1 - a[j])),
    "a term dropped from the quotient rule": Link(Derivative(a[i], z[i]), exp(z[i]) * S / S**2),
    "a wrong exponent on S": Link(Derivative(a[i], z[i]), (exp(z[i]) * S - exp(z[i]) ** 2) / S),
    "the off-diagonal with no i != j case": Link(Derivative(a[i], z[j]), -a[i] * a[j]),
    "the gradient a_j - t_j with no sum t = 1 hypothesis": Link(
        -SM.t[j] + a[j] * Sum(SM.t[i], (i, 1, K)), a[j] - SM.t[j]
    ),
    "the normaliser's derivative as S": Link(Derivative(S, z[j]), S),
    "the diagonal as a_i^2 - a_i": Link(Derivative(a[i], z[i]), a[i] ** 2 - a[i]),
    "softmax summing to K": Link(Sum(a[k], (k, 1, K)), K),
    "the one-hot gradient a_j - 1 with no j = c case": Link(Derivative(-log(a[c]), z[j]), a[j] - 1),
    "log a_i = z_i - S (log of S lost)": Link(log(a[i]), z[i] - S),
    "the Kronecker form with the delta outside": Link(
        Derivative(a[i], z[j]), KroneckerDelta(i, j) * a[i] - a[j]
    ),
    "the probability-target gradient as t_j - a_j": Link(Derivative(SM.L, z[j]), SM.p[j] - a[j]),
    "the chain rule with no sum over i": Link(
        Derivative(SM.L, z[j]), Derivative(SM.L, a[i]) * Derivative(a[i], z[j])
    ),
}


@pytest.mark.parametrize("name", sorted(WRONG_STEPS))
def test_each_wrong_step_is_refuted_with_a_counterexample(name):
    verdict = refuted(WRONG_STEPS[name])
    assert verdict.counterexample is not None
    assert verdict.counterexample.lhs != verdict.counterexample.rhs


def test_a_wrong_quotient_rule_for_arbitrary_functions_is_refuted():
    n = Notation()
    x = n.scalar("x")
    u, v = n.function("u"), n.function("v")
    context = n.context()
    plus = Link(
        Derivative(u(x) / v(x), x),
        (Derivative(u(x), x) * v(x) + u(x) * Derivative(v(x), x)) / v(x) ** 2,
    )
    refuted(plus, context)


def test_a_wrong_linear_layer_gradient_is_refuted():
    n = Notation()
    K_, M = n.dimension("K"), n.dimension("M")
    i_, k_ = n.indices("i k", K_)
    m, q = n.indices("m q", M)
    W, x, b = n.matrix("W", K_, M), n.vector("x", M), n.vector("b", K_)
    p = n.vector("p", K_, kind=SM.context.tensor_of[SM.p].kind)
    zz = n.define_vector("z", i_, Sum(W[i_, q] * x[q], (q, 1, M)) + b[i_])
    S_ = n.define("S", Sum(exp(zz[k_]), (k_, 1, K_)))
    a_ = n.define_vector("a", i_, exp(zz[i_]) / S_)
    L = n.define("L", -Sum(p[k_] * log(a_[k_]), (k_, 1, K_)))
    context = n.context()
    refuted(Link(Derivative(L, W[i_, m]), (a_[i_] - p[i_]) * x[i_]), context)
    refuted(Link(Derivative(L, b[i_]), a_[i_]), context)


# -- property-based: mutants of true links are never proved -------------------------


@dataclass(frozen=True)
class TrueLink:
    link: Link
    needs: str = ""  # "case" or "hypothesis" when dropping it makes the link false


TRUE_LINKS = (
    TrueLink(Link(Derivative(S, z[j]), exp(z[j]))),
    TrueLink(Link(Derivative(a[i], z[i]), a[i] * (1 - a[i]))),
    TrueLink(Link(Derivative(a[i], z[j]), -a[i] * a[j], condition=(Ne(i, j),)), needs="case"),
    TrueLink(Link(Derivative(a[i], z[j]), a[i] * (KroneckerDelta(i, j) - a[j]))),
    TrueLink(Link(Derivative(-log(a[c]), z[j]), a[j] - KroneckerDelta(c, j))),
    TrueLink(Link(Derivative(SM.L, z[j]), a[j] - SM.p[j])),
    TrueLink(
        Link(
            -SM.t[j] + a[j] * Sum(SM.t[i], (i, 1, K)),
            a[j] - SM.t[j],
            assuming=(SM.t_sums_to_one,),
        ),
        needs="hypothesis",
    ),
    TrueLink(Link(log(a[i]), z[i] - log(S))),
)

NONZERO_TERMS = (z[j], a[i], exp(z[i]), Integer(1), S, KroneckerDelta(i, c) + 1)


def _mutants() -> st.SearchStrategy[tuple[str, Link]]:
    base = st.sampled_from(TRUE_LINKS)
    # The search compares sides to a relative 1e-25 (derivs.refute.TOLERANCE): a mutant
    # smaller than that is beyond what it can see, and unknown is its honest answer.
    constant = st.fractions(min_value=-3, max_value=3, max_denominator=10**6).filter(
        lambda f: f != 0
    )

    def negate(t: TrueLink) -> tuple[str, Link]:
        return "negate", Link(
            t.link.lhs, -t.link.rhs, condition=t.link.condition, assuming=t.link.assuming
        )

    def add(t: TrueLink, term: Expr, f) -> tuple[str, Link]:
        rhs = t.link.rhs + Rational(f.numerator, f.denominator) * term
        return f"add {f}*{term}", Link(
            t.link.lhs, rhs, condition=t.link.condition, assuming=t.link.assuming
        )

    def scale(t: TrueLink, f) -> tuple[str, Link]:
        factor = 1 + Rational(f.numerator, f.denominator)
        return f"scale {factor}", Link(
            t.link.lhs, factor * t.link.rhs, condition=t.link.condition, assuming=t.link.assuming
        )

    def square(t: TrueLink) -> tuple[str, Link]:
        return "square", Link(
            t.link.lhs, t.link.rhs**2, condition=t.link.condition, assuming=t.link.assuming
        )

    def drop(t: TrueLink) -> tuple[str, Link]:
        return f"drop the {t.needs}", Link(t.link.lhs, t.link.rhs)

    def order(t: TrueLink, f, sign: str) -> tuple[str, Link]:
        # lhs = rhs holds, so lhs + |f| exceeds rhs everywhere: each of these orders is false.
        margin = abs(Rational(f.numerator, f.denominator))
        lhs, rhs = t.link.lhs, t.link.rhs
        sides = (lhs + margin, rhs) if sign in ("<=", "<") else (lhs, rhs + margin)
        return f"{sign} by {margin}", Link(
            *sides,
            condition=t.link.condition,
            assuming=t.link.assuming,
            relation=Relation.of(sign),
        )

    return st.one_of(
        base.map(negate),
        st.builds(add, base, st.sampled_from(NONZERO_TERMS), constant),
        st.builds(scale, base, constant),
        base.map(square),
        st.sampled_from([t for t in TRUE_LINKS if t.needs]).map(drop),
        st.builds(order, base, constant, st.sampled_from(["<=", "<", ">=", ">"])),
    )


def test_the_unmutated_links_are_proved():
    for true in TRUE_LINKS:
        assert check_link(true.link, SM.context, IN_PROCESS).status is Verdict.PROVED, true.link


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(_mutants())
def test_mutants_of_true_links_are_refuted_and_never_proved(mutant):
    _, link = mutant
    refuted(link)


# -- conventions: empty ranges, complex exponents, defined variables, undefined values --

PLAIN = plain_notation()
R_K, R_i, R_j, R_k, R_x, R_z = PLAIN.K, PLAIN.i, PLAIN.j, PLAIN.k, PLAIN.x, PLAIN.z
R_CONTEXT = PLAIN.context


def verdict_in(link: Link, context=R_CONTEXT) -> Verdict:
    return check_link(link, context, IN_PROCESS)


@pytest.mark.parametrize(
    ("lhs", "rhs"),
    [
        (Sum(1, (R_k, R_i, R_j)), R_j - R_i + 1),
        (Sum(1, (R_k, R_i + 1, R_j)), R_j - R_i),
        (Sum(1, (R_k, 3, R_K)), R_K - 2),
        (Sum(R_z[R_k], (R_k, R_i, R_j)) + R_z[R_j], Sum(R_z[R_k], (R_k, R_i, R_j - 1))),
    ],
)
def test_a_count_that_fails_on_an_empty_range_is_refuted_there(lhs, rhs):
    counterexample = refuted(Link(lhs, rhs), R_CONTEXT).counterexample
    assert counterexample is not None
    assert counterexample.lhs != counterexample.rhs


def test_an_empty_sum_is_zero_and_an_empty_product_one():
    for written, value in [
        (Sum(1, (R_k, 3, 1)), 0),
        (Sum(R_z[R_k], (R_k, 1, -1)), 0),
        (Product(2, (R_k, 3, 1)), 1),
    ]:
        assert verdict_in(Link(written, Integer(value))).status is Verdict.PROVED, written
        assert verdict_in(Link(written, Integer(value) - 1)).status is Verdict.REFUTED, written


def test_a_count_is_proved_under_the_case_that_makes_its_range_non_empty():
    assert (
        verdict_in(Link(Sum(1, (R_k, R_i, R_j)), R_j - R_i + 1, condition=(Le(R_i, R_j),))).status
        is Verdict.PROVED
    )
    assert (
        verdict_in(Link(Sum(1, (R_k, 3, R_K)), R_K - 2, condition=(Ge(R_K, 2),))).status
        is Verdict.PROVED
    )


def _count(low: int, high: int) -> int:
    """The number of terms of a sum from ``low`` to ``high``: never negative."""
    return max(0, high - low + 1)


#: Limits a sum may be written with: at some sizes and indices each pair is empty.
LIMITS = (
    (Integer(1), lambda K, i, j: 1),
    (Integer(3), lambda K, i, j: 3),
    (R_i, lambda K, i, j: i),
    (R_j, lambda K, i, j: j),
    (R_i + 1, lambda K, i, j: i + 1),
    (R_j - 1, lambda K, i, j: j - 1),
    (R_K, lambda K, i, j: K),
    (R_K - 1, lambda K, i, j: K - 1),
)


def _truth(claim, K_max: int = 6) -> bool:
    """Whether ``claim(K, i, j)`` holds at every size up to ``K_max`` and every i, j."""
    return all(
        claim(K_, i_, j_)
        for K_ in range(1, K_max + 1)
        for i_ in range(1, K_ + 1)
        for j_ in range(1, K_ + 1)
    )


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.sampled_from(LIMITS), st.sampled_from(LIMITS), st.sampled_from(LIMITS), st.booleans())
def test_sums_over_ranges_that_may_be_empty_get_the_verdict_of_direct_counting(
    low, high, middle, split
):
    """Proved only where counting term by term agrees; refuted wherever it does not."""
    (lo, lo_at), (hi, hi_at), (mid, mid_at) = low, high, middle
    if split:
        # sum_{lo}^{hi} = sum_{lo}^{mid} + sum_{mid+1}^{hi}: counted with z_k = 1, terms add up.
        link = Link(Sum(1, (R_k, lo, hi)), Sum(1, (R_k, lo, mid)) + Sum(1, (R_k, mid + 1, hi)))

        def claim(K_, i_, j_):
            at = (K_, i_, j_)
            whole = _count(lo_at(*at), hi_at(*at))
            return whole == _count(lo_at(*at), mid_at(*at)) + _count(mid_at(*at) + 1, hi_at(*at))
    else:
        link = Link(Sum(1, (R_k, lo, hi)), hi - lo + 1)

        def claim(K_, i_, j_):
            at = (K_, i_, j_)
            return _count(lo_at(*at), hi_at(*at)) == hi_at(*at) - lo_at(*at) + 1

    verdict = verdict_in(link)
    if _truth(claim):
        assert verdict.status is not Verdict.REFUTED, (link, verdict.counterexample)
    else:
        assert verdict.status is Verdict.REFUTED, (link, verdict.status, verdict.message)


def test_a_complex_exponent_gives_no_positive_atom():
    assert verdict_in(Link(sqrt(exp(2 * I * R_x)), exp(I * R_x))).status is Verdict.REFUTED
    assert verdict_in(Link(sqrt(exp(2 * R_x)), exp(R_x))).status is Verdict.PROVED
    assert verdict_in(Link(exp(2 * I * R_x), exp(I * R_x) ** 2)).status is Verdict.PROVED


@pytest.mark.parametrize("claimed", [Integer(0), -1 / a[c]])
def test_a_derivative_by_a_definition_of_an_expression_written_in_what_defines_it_is_an_error(
    claimed,
):
    verdict = check_link(
        Link(Derivative(-log(exp(z[c]) / S), a[c]), claimed), SM.context, IN_PROCESS
    )
    assert verdict.status is Verdict.ERROR
    assert "depends on z" in verdict.message


def test_a_derivative_by_a_definition_of_an_expression_written_in_it_is_taken():
    link = Link(Derivative(-log(a[c]), a[c]), -1 / a[c])
    assert check_link(link, SM.context, IN_PROCESS).status is Verdict.PROVED


@pytest.mark.parametrize(
    ("lhs", "rhs"),
    [
        (Integer(1) / 0, Integer(2) / 0),
        (log(Integer(0)), 2 * log(Integer(0))),
        (Integer(0) / Integer(0), Integer(0) / Integer(0)),
        (oo - oo, Integer(0)),
        (R_x, R_x + oo),
    ],
)
def test_an_undefined_side_is_an_error_never_an_equality(lhs, rhs):
    verdict = verdict_in(Link(lhs, rhs))
    assert verdict.status is Verdict.ERROR
    assert "undefined" in verdict.message


def test_a_side_undefined_in_its_case_is_an_error():
    link = Link(1 / (R_i - R_j), 1 / (R_i - R_j), condition=(Eq(R_i, R_j),))
    verdict = verdict_in(link)
    assert verdict.status is Verdict.ERROR
    assert "undefined" in verdict.message


# -- property-based: random cases, judged by direct evaluation -------------------------

#: Expressions in two free indices, a delta, an entry and a sum whose range may be empty.
CASE_SIDES = (
    R_z[R_i],
    R_z[R_j],
    KroneckerDelta(R_i, R_j) * R_z[R_i],
    KroneckerDelta(R_i, R_j),
    Integer(1),
    Integer(0),
    Sum(KroneckerDelta(R_k, R_i) * R_z[R_k], (R_k, 1, R_K)),
    Sum(R_z[R_k], (R_k, R_i, R_j)),
    Sum(Integer(1), (R_k, R_i, R_j)),
    R_j - R_i + 1,
)
CASES = (
    (),
    (Eq(R_i, R_j),),
    (Ne(R_i, R_j),),
    (Le(R_i, R_j),),
    (Ge(R_i, 2),),
    (Eq(R_j, R_K),),
    (Ne(R_i, R_j), Le(R_i, R_j)),
)


def _directly(expr: Expr, at: dict) -> Expr:
    """``expr`` at concrete values, each sum added up term by term (an empty one is 0)."""
    if isinstance(expr, Sum):
        (variable, low, high) = expr.limits[0]
        low, high = int(low.xreplace(at)), int(high.xreplace(at))
        return sum(
            (_directly(expr.function, {**at, variable: Integer(v)}) for v in range(low, high + 1)),
            Integer(0),
        )
    if not expr.args:
        return expr.xreplace(at)
    return expr.func(*(_directly(arg, at) for arg in expr.args))


def _direct_counterexample(link: Link) -> bool:
    """Whether some K <= 4, some indices the case allows, and drawn entries break the link."""
    draws = [Rational(n, 7) for n in (3, -5, 11, 2, -9, 13)]
    for K_ in range(1, 5):
        entries = {R_z[n]: draws[n - 1] for n in range(1, K_ + 1)}
        for i_ in range(1, K_ + 1):
            for j_ in range(1, K_ + 1):
                at = {R_K: Integer(K_), R_i: Integer(i_), R_j: Integer(j_)}
                if not all(bool(case.xreplace(at)) for case in link.condition):
                    continue
                values = {**at, **entries}
                if _directly(link.lhs, values) != _directly(link.rhs, values):
                    return True
    return False


@settings(max_examples=80, deadline=None, derandomize=True)
@given(st.sampled_from(CASE_SIDES), st.sampled_from(CASE_SIDES), st.sampled_from(CASES))
def test_links_in_random_cases_are_proved_only_where_direct_evaluation_agrees(lhs, rhs, case):
    link = Link(lhs, rhs, condition=case)
    verdict = verdict_in(link)
    if _direct_counterexample(link):
        assert verdict.status is Verdict.REFUTED, (link, verdict.status, verdict.message)
    else:
        assert verdict.status is not Verdict.REFUTED, (link, verdict.counterexample)


# -- documents: what is written is what is checked ------------------------------------

DOCUMENT_NOTATION = r"""
[dimensions]
K = 1
[indices]
"i j k c" = "K"
[vectors]
z = "K"
y = { length = "K", kind = "one-hot", at = "c" }
'\theta' = "K"
[definitions]
S = '\sum_{k=1}^{K} e^{z_k}'
'a_i' = '\frac{e^{z_i}}{S}'
L = '-\sum_{k=1}^{K} y_k \log a_k'
"""


def read_note(body: str):
    from derivs.read.document import read_document

    return read_document("note.md", f"# A note\n\n```derivs\n{DOCUMENT_NOTATION}```\n\n{body}")


def document_links(body: str):
    from derivs import check_derivation

    return check_derivation(read_note(body), IN_PROCESS).links


def statuses(body: str) -> list[str]:
    return [r.verdict.status.value for r in document_links(body)]


def test_a_written_upper_limit_of_a_sum_is_honoured():
    assert statuses(r"$$\sum_{k}^{K-1} z_k = \sum_{k=1}^{K} z_k$$") == ["refuted"]
    assert statuses(r"$$\sum_{k}^{K} z_k = \sum_{k=1}^{K} z_k$$") == ["proved"]


def test_an_entry_outside_its_declared_range_is_an_error_at_its_line():
    (link,) = document_links(r"$$\theta_0 = z_{K+1}$$")
    assert link.verdict.status is Verdict.ERROR
    assert "note.md:" in link.verdict.message and "outside 1..K" in link.verdict.message
    assert "theta[0]" in link.verdict.message and "z[K + 1]" in link.verdict.message
    inside = r"$$\theta_K + \sum_{k=1}^{K-1} z_{k+1} = \sum_{k=1}^{K-1} z_{k+1} + \theta_K$$"
    assert statuses(inside) == ["proved"]


def test_an_entry_outside_its_range_is_an_error_through_the_python_api_too():
    for wrong in (z[0], z[K + 1], Sum(z[k + K], (k, 1, K)), a[K + 2]):
        verdict = check_link(Link(wrong, wrong), SM.context, IN_PROCESS)
        assert verdict.status is Verdict.ERROR and "outside" in verdict.message, wrong
    inside = Link(Sum(z[k + 1], (k, 1, K - 1)) + z[K], z[K] + Sum(z[k + 1], (k, 1, K - 1)))
    assert check_link(inside, SM.context, IN_PROCESS).status is Verdict.PROVED


def test_a_case_that_cannot_hold_is_an_error_not_an_unknown():
    verdict = check_link(Link(a[i], -a[i], condition=(Eq(i, K + 1),)), SM.context, IN_PROCESS)
    assert verdict.status is Verdict.ERROR and "cannot hold" in verdict.message
    (link,) = document_links("<!-- derivs: case i = K + 1 -->\n$$a_i = -a_i$$")
    assert link.verdict.status is Verdict.ERROR and "cannot hold" in link.verdict.message


@pytest.mark.parametrize(
    "stated",
    [
        r"$$\frac{\partial L}{\partial z_j} = a_j \qquad (j \neq c)$$",
        "<!-- derivs: case j \\neq c -->\n$$\\frac{\\partial L}{\\partial z_j} = a_j$$",
        "When $j \\neq c$,\n$$\\frac{\\partial L}{\\partial z_j} = a_j$$",
    ],
)
def test_a_written_case_applies_though_its_index_sits_inside_a_definition(stated):
    (link,) = document_links(stated)
    assert link.verdict.status is Verdict.PROVED
    assert str(link.link.condition) == "(Ne(j, c),)"
    wrong = stated.replace("\\neq", "=")
    assert statuses(wrong) == ["refuted"]


def test_every_link_of_a_chain_carries_the_chain_case():
    links = document_links(
        "When $i = j$,\n$$\\frac{\\partial a_i}{\\partial z_j} = a_i (1 - a_i) = a_i - a_i^2$$"
    )
    assert [r.verdict.status for r in links] == [Verdict.PROVED, Verdict.PROVED]
    assert all(r.link.condition == (Eq(i, j),) for r in links)


# -- a case is taken from the sentence that leads into the display, and only as a case ---

DIAGONAL = "$$\\frac{\\partial a_i}{\\partial z_j} = a_i (1 - a_i)$$"
OFF_DIAGONAL = "$$\\frac{\\partial a_i}{\\partial z_j} = -a_i a_j$$"


@pytest.mark.parametrize(
    ("lead", "display"),
    [
        ("When $i = j$,\n", DIAGONAL),
        ("Furthermore, if $i \\neq j$:\n", OFF_DIAGONAL),
        ("For $i = j$ we get\n\n", DIAGONAL),
        ("There are 2 cases:\n1. Same: $i = j$\n\n![](./2.png)\n\n", DIAGONAL),
        ("- $i \\neq j$, then (2) is:\n", OFF_DIAGONAL),
        ("Using $S = \\sum_k e^{z_k}$: when $i = j$,\n", DIAGONAL),
    ],
)
def test_a_case_stated_for_the_display_by_its_leading_sentence_is_used(lead, display):
    (link,) = document_links(lead + display)
    assert link.verdict.status is Verdict.PROVED, link.link.justification
    assert isinstance(link.link, Link)
    assert [source.origin for source in link.link.case_sources] == [CaseOrigin.SENTENCE]


@pytest.mark.parametrize(
    ("lead", "why"),
    [
        (
            "Here $\\delta_{ij}$ is 1 when $i = j$ and 0 otherwise. For every pair $i, j$:\n",
            "is not in the sentence that leads into the display ('For every pair $i, j$:'",
        ),
        ("Here $\\delta_{ij}$ is 1 when $i = j$, so for every pair:\n", "said of $\\delta_{ij}$"),
        ("The Kronecker delta is 1 when $i = j$ and 0 otherwise:\n", "alternative ('otherwise')"),
        ("When $i = j$ it is $a_i$ times a factor, and when $i \\neq j$ it is:\n", "several"),
        ("The derivative is symmetric in $i = j$:\n", "does not introduce it as a case"),
        ("When $i = j$, the derivative is simple. Then\n", "is not in the sentence"),
    ],
)
def test_a_case_not_stated_for_the_display_is_not_used_and_the_report_says_why(lead, why):
    (link,) = document_links(lead + DIAGONAL)
    assert link.verdict.status is Verdict.REFUTED
    assert link.link.condition == ()
    assert why in str(link.link.justification)


def test_a_case_carried_past_a_connector_reaches_only_a_chain_about_its_indices():
    links = document_links(
        "When $i = j$,\n" + DIAGONAL + "\nSo that:\n$$\\frac{\\partial a_i}{\\partial z_j} "
        "\\cdot 2 = 2 a_i - 2 a_i^2$$\nHence,\n$$S \\cdot 1 = S$$\n"
    )
    assert [r.verdict.status for r in links] == [Verdict.PROVED] * 3
    assert links[1].link.condition == (Eq(i, j),)
    assert links[2].link.condition == ()
    assert "not carried past 'Hence,'" in str(links[2].link.justification)


def test_a_connector_that_states_its_own_case_does_not_carry_the_one_above():
    links = document_links("When $i \\neq j$,\n" + OFF_DIAGONAL + "\nSo for $i = j$:\n" + DIAGONAL)
    assert [r.verdict.status for r in links] == [Verdict.PROVED, Verdict.PROVED]
    assert links[1].link.condition == (Eq(i, j),)


PREFIXES = (
    "When",
    "If",
    "and for",
    "Furthermore, when",
    "Here $\\delta_{ij}$ is 1 when",
    "The derivative is symmetric in",
    "Note the Kronecker delta at",
    "",
)
SUFFIXES = (",", ":", " we get", " and 0 otherwise.", ". For every pair $i, j$:", ", so")
RELATIONS = ("i = j", "i \\neq j", "j = i")


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    st.sampled_from(PREFIXES),
    st.sampled_from(RELATIONS),
    st.sampled_from(SUFFIXES),
    st.booleans(),
)
def test_false_links_are_never_proved_whatever_sentence_leads_into_them(
    prefix, relation, suffix, true_on_the_diagonal
):
    lead = f"{prefix} ${relation}${suffix}\n".lstrip()
    if true_on_the_diagonal:
        (link,) = document_links(lead + DIAGONAL)
        if link.verdict.status is Verdict.PROVED:
            assert link.link.condition in ((Eq(i, j),), (Eq(j, i),)), lead
            assert "otherwise" not in lead and "delta" not in prefix and "For every" not in lead
        else:
            assert link.verdict.status is Verdict.REFUTED
    else:
        wrong = "$$\\frac{\\partial a_i}{\\partial z_j} = 2 a_i a_j$$"
        (link,) = document_links(lead + wrong)
        assert link.verdict.status is Verdict.REFUTED, lead


# -- text beside the mathematics is its justification, and the mathematics is checked ---


@pytest.mark.parametrize(
    ("display", "said"),
    [
        (
            r"$$\frac{\partial a_i}{\partial z_j} = a_i a_j \quad \text{(quotient rule)}$$",
            "(quotient rule)",
        ),
        (
            r"\begin{align} \frac{\partial a_i}{\partial z_j} &= a_i a_j && \text{by symmetry}"
            r" \end{align}",
            "by symmetry",
        ),
        (
            r"$$\frac{\partial a_i}{\partial z_j} = \underbrace{a_i a_j}_{\text{quotient rule}}$$",
            "quotient rule",
        ),
        (r"$$\frac{\partial a_i}{\partial z_j} = a_i a_j, \qquad (\text{by parts})$$", "by parts"),
        (r"$$\frac{\partial a_i}{\partial z_j} \overset{\text{(a)}}{=} a_i a_j$$", "(a)"),
        (r"$$\frac{\partial a_i}{\partial z_j} \stackrel{\text{def}}{=} a_i a_j$$", "def"),
    ],
)
def test_text_beside_a_false_link_is_its_justification_and_the_link_is_refuted(display, said):
    (link,) = document_links(display)
    assert link.verdict.status is Verdict.REFUTED
    assert said in str(link.link.justification)


def test_text_beside_a_true_link_is_kept_and_the_link_proved():
    links = document_links(
        r"\begin{align} \frac{\partial S}{\partial z_j} &= \sum_{k=1}^{K} \frac{\partial e^{z_k}}"
        r"{\partial z_j} && \text{linearity} \\ &= \underbrace{e^{z_j}}_{\text{only } k = j}"
        r" && \text{the other terms vanish} \end{align}"
    )
    assert [r.verdict.status for r in links] == [Verdict.PROVED, Verdict.PROVED]
    assert "linearity" in str(links[0].link.justification)
    assert "only k = j" in str(links[1].link.justification)
    assert "the other terms vanish" in str(links[1].link.justification)


def test_a_justification_between_two_signs_belongs_to_the_link_before_it():
    links = document_links(
        r"\begin{align} \frac{\partial S}{\partial z_j} &= e^{z_j} \quad \text{(sum rule)}"
        r" = 2 e^{z_j} \\ &\stackrel{\text{(2)}}{=} 2 e^{z_j} \cdot 1 \end{align}"
    )
    assert [r.verdict.status for r in links] == [Verdict.PROVED, Verdict.REFUTED, Verdict.PROVED]
    assert "(sum rule)" in str(links[0].link.justification)
    assert "(2)" in str(links[2].link.justification)


def test_a_link_whose_mathematics_is_prose_is_still_skipped():
    assert statuses(r"$$L = \text{cross entropy}(a, z)$$") == ["skipped"]
    assert statuses(r"$$\text{For } i = 1, \ldots, K \text{ and } z_i = 0$$") == ["skipped"]


def test_words_that_join_two_formulas_leave_both_checked():
    joined = r"$$\log a_i = z_i - S \text{ and } \frac{\partial S}{\partial z_j} = e^{z_j}$$"
    assert statuses(joined) == ["refuted", "proved"]


FALSE_LINKS = (
    (r"\frac{\partial a_i}{\partial z_j}", r"a_i a_j"),
    (r"\frac{\partial S}{\partial z_j}", r"2 e^{z_j}"),
    (r"\sum_{k=1}^{K} a_k", r"K"),
    (r"\log a_i", r"z_i - S"),
)
BESIDE = (
    r"$${l} = {r} \quad \text{{{w}}}$$",
    r"$${l} = {r} \qquad (\text{{{w}}})$$",
    r"$${l} = {r}, \quad \text{{{w}}}$$",
    r"\begin{{align}} {l} &= {r} && \text{{{w}}} \end{{align}}",
    r"\begin{{align}} {l} &= {r} && \text{{{w}}} \\ &= {r} && \text{{{w}}} \end{{align}}",
    r"$${l} = \underbrace{{{r}}}_{{\text{{{w}}}}}$$",
    r"$${l} = {r} \text{{ {w} }} S = S$$",
    r"$${l} \overset{{\text{{{w}}}}}{{=}} {r}$$",
    r"$${l} = {r} \quad \text{{{w}}} = {r}$$",
)
WORDS = ("by", "the", "quotient", "rule", "(3)", "symmetry", "otherwise", "if", "softmax", "d")


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    st.sampled_from(FALSE_LINKS),
    st.sampled_from(BESIDE),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
)
def test_text_beside_a_false_link_never_makes_it_skipped_or_proved(false_link, beside, words):
    lhs, rhs = false_link
    display = beside.format(l=lhs, r=rhs, w=" ".join(words))
    links = document_links(display)
    assert links, display
    assert links[0].verdict.status is Verdict.REFUTED, (display, links[0].verdict)
    assert all(r.verdict.status is not Verdict.SKIPPED for r in links), display


# -- x^{(i)} is an example of a family, or an error; never silently a power -----------------


def test_a_superscript_that_holds_an_index_is_never_silently_a_power():
    (link,) = document_links(r"$$z^{(i)} = z^{(i)}$$")
    assert link.verdict.status is Verdict.ERROR
    assert "holds the index i" in link.verdict.message and "line 19" in link.verdict.message


def test_a_family_member_is_checked_as_an_entry():
    from derivs import check_derivation
    from derivs.read.document import read_document

    notation = (
        '[dimensions]\nN = 1\nM = 1\n[indices]\n"n p" = "N"\nm = "M"\n'
        '[scalars]\ny = { family = "n" }\n[vectors]\nx = { length = "M", family = "n" }\n'
    )
    text = (
        f"```derivs\n{notation}```\n"
        "$$\\frac{\\partial}{\\partial x^{(n)}_m} \\sum_{p=1}^{N} (x^{(p)}_m)^2 = 2 x^{(n)}_m$$\n"
        "$$\\frac{\\partial}{\\partial x^{(n)}_m} \\sum_{p=1}^{N} (x^{(p)}_m)^2 = 2 x^{(p)}_m$$\n"
        "$$y^{(N+1)} = y^{(N+1)}$$\n"
    )
    result = check_derivation(read_document("examples.md", text), IN_PROCESS)
    assert [r.verdict.status for r in result.links] == [
        Verdict.PROVED,
        Verdict.REFUTED,
        Verdict.ERROR,
    ]


def test_an_index_range_empty_at_some_sizes_is_checked_where_it_is_not():
    n = Notation()
    K_ = n.dimension("K")
    late = n.index("l", K_, 3)
    x = n.vector("x", K_)
    context = n.context()
    # l in 3..K exists once K >= 3: the claim is about those sizes.
    assert check_link(Link(x[late], x[late]), context, IN_PROCESS).status is Verdict.PROVED
    assert check_link(Link(x[late], x[late] + 1), context, IN_PROCESS).status is Verdict.REFUTED


def test_an_index_range_empty_at_every_size_is_an_error():
    n = Notation()
    K_ = n.dimension("K")
    never = n.index("l", K_, K_ + 1)
    x = n.vector("x", K_ + 1)
    verdict = check_link(Link(x[never], x[never]), n.context(), IN_PROCESS)
    assert verdict.status is Verdict.ERROR and "no possible value" in verdict.message


@pytest.mark.parametrize(
    "display",
    [
        r"$$z_i^2 + 2 \leq z_i^2 + 1$$",
        r"$$z_i^2 + 2 < z_i^2 + 1$$",
        r"$$z_i \neq z_i$$",
        r"$$a_i \geq 1 + a_i$$",
        r"$$a_i > S$$",
    ],
)
def test_a_false_inequality_in_a_document_is_refuted_never_skipped(display):
    assert statuses(display) == ["refuted"]


def test_a_true_inequality_in_a_document_is_proved_by_its_sign():
    assert statuses(r"$$(z_i - 1)^2 \geq 0 < S$$") == ["proved", "proved"]
    assert statuses(r"$$a_i > 0$$") == ["proved"]


def test_only_an_approximation_is_skipped_and_says_so():
    (link,) = document_links(r"$$S \approx 3$$")
    assert link.verdict.status.value == "skipped"
    assert "approximation" in link.verdict.message
    assert statuses(r"$$S \equiv \sum_{k=1}^{K} e^{z_k}$$") == ["proved"]


# -- nested binders: an inner range that depends on the outer index -----------------

NEST = Notation()
N_K = NEST.dimension("K")
N_k, N_l = NEST.indices("k l", N_K)
N_x = NEST.scalar("x")
N_z = NEST.vector("z", N_K)
N_CONTEXT = NEST.context()


@pytest.mark.parametrize(
    ("lhs", "rhs"),
    [
        (Sum(Sum(1, (N_l, 1, N_k)), (N_k, 1, N_K)), N_K * N_k),
        (Sum(Sum(N_z[N_l], (N_l, N_k, N_k)), (N_k, 1, N_K)), N_K * N_z[N_k]),
        (Product(Product(N_x, (N_l, 1, N_k)), (N_k, 1, N_K)), N_x ** (N_K * N_k)),
        (Sum(Sum(1, (N_l, N_k + 1, N_K)), (N_k, 1, N_K)), N_K * (N_K + 1) / 2),
    ],
)
def test_an_inner_range_that_names_the_outer_index_keeps_it_bound(lhs, rhs):
    refuted(Link(lhs, rhs), N_CONTEXT)


@pytest.mark.parametrize(
    ("lhs", "rhs"),
    [
        (Sum(Sum(1, (N_l, N_k + 1, N_K)), (N_k, 1, N_K)), N_K * (N_K - 1) / 2),
        (Sum(Sum(N_z[N_k], (N_l, 1, N_k)), (N_k, 1, N_K)), Sum(N_k * N_z[N_k], (N_k, 1, N_K))),
        (Sum(Sum(1, (N_l, 1, N_k)), (N_k, 1, N_K)), N_K * (N_K + 1) / 2),
    ],
)
def test_a_true_nested_sum_is_never_refuted(lhs, rhs):
    verdict = check_link(Link(lhs, rhs), N_CONTEXT, IN_PROCESS)
    assert verdict.status is not Verdict.REFUTED, verdict.counterexample


@pytest.mark.parametrize(
    ("lhs", "rhs"),
    [
        (Pow(Integer(0), -1, evaluate=False), Pow(Integer(0), -1, evaluate=False)),
        (Pow(R_x - R_x, -1, evaluate=False), Integer(5)),
        (log(Integer(0), evaluate=False), log(Integer(0), evaluate=False)),
        (Derivative(log(R_x - R_x, evaluate=False), R_x), Integer(0)),
    ],
)
def test_an_undefined_value_kept_as_written_or_under_a_derivative_is_an_error(lhs, rhs):
    verdict = verdict_in(Link(lhs, rhs))
    assert verdict.status is Verdict.ERROR, verdict
    assert "undefined" in verdict.message


def test_an_undefined_power_in_a_document_is_an_error():
    assert statuses(r"$$0^{-1} = 0^{-1}$$") == ["error"]
    assert statuses(r"$$(z_i - z_i)^{-1} = 5$$") == ["error"]


@pytest.mark.parametrize(
    "lead",
    [
        "We do not assume $i = j$:",
        "Not when $i = j$:",
        "Without assuming $i = j$,",
        "When $i = j$ does not hold,",
        "When $i = j$ is false,",
        "Except for $i = j$,",
        "Other than when $i = j$,",
        "In general, not just for $i = j$,",
        "If $i = j$ were true the sum would collapse; it is not, so",
        "Never assume $i = j$:",
    ],
)
def test_a_sentence_that_negates_or_doubts_a_case_does_not_supply_it(lead):
    (link,) = document_links(f"{lead}\n\n$$\\delta_{{ij}} = 1$$")
    assert link.verdict.status.value == "refuted"
    assert "negates or doubts" in str(link.link.justification)


def test_a_connector_that_speaks_in_general_carries_no_case():
    body = "When $i = j$,\n\n$$\\delta_{ij} = 1$$\n\nHence, in general,\n\n$$\\delta_{ij} = 1$$"
    assert statuses(body) == ["proved", "refuted"]


@pytest.mark.parametrize(
    "display",
    [
        r"$$z_i + z_i = 3 z_i \; \text{ }$$",
        r"$$z_i + z_i = 3 z_i \text{}$$",
        r"$$\text{Hence } z_i + z_i = 3 z_i$$",
        r"$$\text{where } z_i = 3 z_i$$",
        r"$$\mathrm{Thus}\ z_i + z_i = 3 z_i$$",
        r"$$\text{so we get } z_i + z_i = 3 z_i$$",
    ],
)
def test_connecting_words_or_an_empty_text_never_make_a_false_row_prose(display):
    assert statuses(display) == ["refuted"]


def test_connecting_words_that_lead_a_row_are_its_justification():
    (link,) = document_links(r"$$\text{Hence } z_i + z_i = 2 z_i$$")
    assert link.verdict.status.value == "proved"
    assert "Hence" in str(link.link.justification)


# -- a document read in a worker process is checked as it was read ---------------------

POSITIVE_Y = '[scalars]\ny = "positive"\n'


def read_in_a_worker(tmp_path, body: str):
    """``body`` as a note read the way the command line reads it: in a worker, sent back."""
    from derivs.loader import load

    path = tmp_path / "note.md"
    path.write_text(f"# A note\n\n```derivs\n{POSITIVE_Y}```\n\n{body}", encoding="utf-8")
    loaded = load([str(path)], [], limits=CheckOptions(jobs=1))
    assert not loaded.problems, loaded.problems
    (derivation,) = loaded.derivations
    return derivation


def test_a_fact_learnt_of_one_written_sum_is_never_taken_for_another(tmp_path):
    from derivs import check_derivation

    derivation = read_in_a_worker(tmp_path, "$$y + 1 > 0$$\n\n$$y - y > 0$$\n")
    results = check_derivation(derivation, IN_PROCESS).links
    assert [r.verdict.status for r in results] == [Verdict.PROVED, Verdict.REFUTED]


def test_a_division_by_a_written_difference_that_is_zero_stays_an_error_after_other_links(
    tmp_path,
):
    from derivs import check_derivation

    derivation = read_in_a_worker(tmp_path, "$$y + 1 > 0$$\n\n$$\\frac{y + 2}{y - y} = 7$$\n")
    results = check_derivation(derivation, IN_PROCESS).links
    assert results[1].verdict.status is Verdict.ERROR, results[1].verdict
    assert "divides by" in results[1].verdict.message


@pytest.mark.parametrize(
    "display",
    [
        r"$$\frac{1 - 1}{1 - 1} = 1$$",
        r"$$\frac{1 - 1}{1 - 1} \neq 2$$",
        r"$$\frac{1 - 1}{1 - 1} < 2$$",
        r"$$\frac{2^{2} - 4}{2^{2} - 4} = 1$$",
        r"$$\frac{z_1}{2^{0} - 1} = 0$$",
        r"$$(1 - 1)^{-1} = 5$$",
        r"$$\frac{z_1}{2 - 2} \cdot 0 = 0$$",
        r"$$\frac{e^{1} e^{-1} - 1}{e^{1} e^{-1} - 1} = 1$$",
        r"$$\ln(2^{2} - 4) = \ln(2^{2} - 4)$$",
    ],
)
def test_a_division_by_a_number_written_as_zero_is_an_error(display):
    (link,) = document_links(display)
    assert link.verdict.status is Verdict.ERROR, link.verdict
    assert "undefined" in link.verdict.message


def read_with_definitions(definitions: str, body: str):
    from derivs.read.document import read_document

    notation = f'[scalars]\nx = "real"\ny = "positive"\n[definitions]\n{definitions}\n'
    return read_document("note.md", f"# A note\n\n```derivs\n{notation}```\n\n{body}")


@pytest.mark.parametrize(
    ("definition", "display", "said"),
    [
        (r"f = '\frac{x}{x}'", "$$f = 1$$", "divides by x"),
        (r"h = '0 \cdot \frac{1}{x}'", "$$h = 0$$", "divides by x"),
        (r"h = '0 \cdot \frac{1}{x}'", "$$y + h = y$$", "divides by x"),
        (r"h = '0 \cdot \ln(x - x)'", "$$h = 0$$", "undefined"),
    ],
)
def test_a_definition_undefined_somewhere_is_an_error_where_it_is_used(definition, display, said):
    from derivs import check_derivation

    (result,) = check_derivation(read_with_definitions(definition, display), IN_PROCESS).links
    assert result.verdict.status is Verdict.ERROR, result.verdict
    assert said in result.verdict.message


def test_a_definition_that_divides_by_what_cannot_be_zero_is_proved():
    from derivs import check_derivation

    derivation = read_with_definitions(r"f = '\frac{y}{y}'", "$$f = 1$$")
    (result,) = check_derivation(derivation, IN_PROCESS).links
    assert result.verdict.status is Verdict.PROVED, result.verdict


@pytest.mark.parametrize(
    "display",
    [
        r"$$\ln(x - x) \cdot 0 = 0$$",
        r"$$0 \cdot \ln(x - x) = 0$$",
        r"$$\ln(x - x) - \ln(x - x) = 0$$",
        r"$$\frac{\partial}{\partial x} \left( 0 \cdot \ln(x - x) \right) = 0$$",
    ],
)
def test_a_factor_undefined_everywhere_is_never_swallowed_by_a_zero(display):
    from derivs import check_derivation

    (link,) = check_derivation(read_with_definitions("", display), IN_PROCESS).links
    assert link.verdict.status is Verdict.ERROR, link.verdict
    assert "undefined" in link.verdict.message


@pytest.mark.parametrize(
    "display",
    [r"$$\ln(x) - \ln(x) = 0$$", r"$$0 \cdot \ln(x) = 0$$", r"$$\ln(x^2) \cdot 0 = 0$$"],
)
def test_a_log_of_what_may_be_zero_is_never_cancelled_away(display):
    from derivs import check_derivation

    (link,) = check_derivation(read_with_definitions("", display), IN_PROCESS).links
    assert link.verdict.status is Verdict.ERROR, link.verdict
    assert "takes the log of x" in link.verdict.message


def test_a_log_of_what_cannot_be_zero_cancels():
    from derivs import check_derivation

    display = r"$$\ln(y) - \ln(y) + 0 \cdot \ln(y + 1) = 0$$"
    (link,) = check_derivation(read_with_definitions("", display), IN_PROCESS).links
    assert link.verdict.status is Verdict.PROVED, link.verdict


def test_a_hidden_divisor_zero_at_every_point_says_so_and_names_no_empty_point():
    (link,) = document_links(r"$$\sum_{k=1}^{K} \frac{z_k - z_k}{z_k - z_k} = K$$")
    assert link.verdict.status is Verdict.ERROR, link.verdict
    assert "which is 0 wherever it is drawn" in link.verdict.message
    assert "0 at :" not in link.verdict.message


BOUNDED = (
    '[scalars]\np = { kind = "between", low = 0, high = 1 }\n'
    'e = { kind = "between", low = -1, high = 1 }\n'
)


def bounded_links(display: str):
    from derivs import check_derivation
    from derivs.read.document import read_document

    derivation = read_document("note.md", f"# A note\n\n```derivs\n{BOUNDED}```\n\n{display}")
    return check_derivation(derivation, IN_PROCESS).links


@pytest.mark.parametrize("display", [r"$$\frac{p}{p} = 1$$", r"$$\ln(p) - \ln(p) = 0$$"])
def test_a_scalar_between_bounds_on_one_side_of_zero_is_never_zero(display):
    (link,) = bounded_links(display)
    assert link.verdict.status is Verdict.PROVED, link.verdict


@pytest.mark.parametrize("display", [r"$$\frac{e}{e} = 1$$", r"$$\ln(e) - \ln(e) = 0$$"])
def test_a_scalar_between_bounds_around_zero_may_be_zero(display):
    (link,) = bounded_links(display)
    assert link.verdict.status is Verdict.ERROR, link.verdict
    assert "nothing shows is nonzero" in link.verdict.message


def test_a_divisor_with_a_zero_factor_is_named_whole():
    from derivs import check_derivation

    display = r"$$\frac{1}{0 \cdot x} = 0$$"
    (link,) = check_derivation(read_with_definitions("", display), IN_PROCESS).links
    assert link.verdict.status is Verdict.ERROR, link.verdict
    assert "divides by 0*x, which is 0" in link.verdict.message
