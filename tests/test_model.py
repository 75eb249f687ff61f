"""Links, steps and derivations: built as frozen values, with their locations."""

from __future__ import annotations

import dataclasses
import os

import pytest
from sympy import Derivative, Eq, Ne, exp

from derivs import DerivsError, Erratum, derivation, step, then
from derivs.model import Relation, link


def test_a_chain_of_n_lines_makes_n_links_that_share_their_middles(sm):
    chain = step(
        Derivative(sm.a[sm.i], sm.z[sm.i]),
        then(sm.a[sm.i] - sm.a[sm.i] ** 2, "quotient rule", rule="quotient rule"),
        then(sm.a[sm.i] * (1 - sm.a[sm.i]), "factor"),
    )
    first, second = chain.checked_links
    assert first.lhs == Derivative(sm.a[sm.i], sm.z[sm.i])
    assert first.rhs == second.lhs == sm.a[sm.i] - sm.a[sm.i] ** 2
    assert first.justification.rule is not None
    assert first.justification.rule.name == "quotient rule"
    assert str(second.justification) == "factor"


def test_links_record_the_file_and_line_they_were_written_on(sm):
    line = _lineno() + 1
    chain = step(sm.S, then(sm.S * 1, "trivial"))
    (link,) = chain.links
    assert link.location is not None
    assert os.path.samefile(link.location.path, __file__)
    assert link.location.line == line


def _lineno() -> int:
    import inspect

    frame = inspect.currentframe()
    assert frame is not None and frame.f_back is not None
    return frame.f_back.f_lineno


def test_a_shared_case_applies_to_every_link_and_adds_to_their_own(sm):
    chain = step(
        sm.a[sm.i],
        then(sm.a[sm.i], case=Eq(sm.c, sm.j)),
        then(sm.a[sm.i]),
        case=Ne(sm.i, sm.j),
    )
    assert chain.checked_links[0].condition == (Ne(sm.i, sm.j), Eq(sm.c, sm.j))
    assert chain.checked_links[1].condition == (Ne(sm.i, sm.j),)
    assert chain.checked_links[0].condition_text() == "i != j, c = j"


def test_hypotheses_are_recorded_on_the_link(sm):
    (link,) = step(sm.t[sm.j], then(sm.t[sm.j], assuming=sm.t_sums_to_one)).checked_links
    assert link.assuming == (sm.t_sums_to_one,)
    assert link.condition_text() == "sum_k t_k = 1"


def test_an_erratum_is_expected_to_be_refuted(sm):
    (wrong, right) = step(
        sm.a[sm.i], then(-sm.a[sm.i], erratum="sign lost"), then(sm.a[sm.i])
    ).links
    assert wrong.expects_refutation and wrong.erratum == Erratum("sign lost")
    assert not right.expects_refutation


def test_links_are_frozen(sm):
    (link,) = step(sm.S, then(sm.S)).checked_links
    with pytest.raises(dataclasses.FrozenInstanceError):
        link.lhs = sm.K  # type: ignore[misc]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda sm: then("a_i"), "text is never evaluated"),
        (lambda sm: then(sm.S, rule="lhopital"), "unknown rule 'lhopital'; the rules are"),
        (lambda sm: then(sm.S, case=sm.i != sm.j), "write it with symbols"),
        (lambda sm: then(sm.S, case=[exp(sm.K)]), "a case is a relation"),
        (lambda sm: then(sm.S, assuming=["t sums to 1"]), "assuming= takes hypotheses"),  # type: ignore[list-item]
        (lambda sm: step(sm.S), "at least one then"),
        (lambda sm: step(sm.S, sm.S), "must be then"),
        (
            lambda sm: derivation("bad name!", "t", sm.context, step(sm.S, then(sm.S))),
            "must be letters",
        ),
        (lambda sm: derivation("ok", "t", sm.context), "one or more step"),
        (
            lambda sm: derivation("ok", "t", object(), step(sm.S, then(sm.S))),  # type: ignore[arg-type]
            "must be a Context",
        ),
    ],
)
def test_authoring_mistakes_raise_an_actionable_error(sm, build, message):
    with pytest.raises(DerivsError, match=message):
        build(sm)


def test_a_derivation_lists_its_links_in_order(sm):
    d = derivation(
        "two-steps",
        "Two steps",
        sm.context,
        step(sm.S, then(sm.S * 1)),
        step(sm.a[sm.i], then(sm.a[sm.i]), then(sm.a[sm.i] * 1)),
        sources=("000_ac5da2e244b2ede3.txt",),
    )
    assert len(d.links) == 3
    assert d.checked_links[1].lhs == sm.a[sm.i]
    assert d.sources == ("000_ac5da2e244b2ede3.txt",)
    assert d.location is not None and os.path.samefile(d.location.path, __file__)


def test_the_link_builder_validates_as_then_does(sm):
    built = link(sm.S, sm.S * 1, "same", case=Ne(sm.i, sm.j), relation="<=")
    assert (built.condition, built.relation) == ((Ne(sm.i, sm.j),), Relation.LESS_EQUAL)
    assert str(built.justification) == "same"
    with pytest.raises(DerivsError, match="text is never evaluated"):
        link("S", sm.S)
    with pytest.raises(DerivsError, match="a case is a relation"):
        link(sm.S, sm.S, case=[sm.i])
