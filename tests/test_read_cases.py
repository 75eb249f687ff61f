"""Cases written in words beside a link: read with their meaning, or unread, never dropped.

A correct link refuted because its case was dropped, a condition between
indices refuted as if it were a claim, and a case narrowed to one of its
relations (which makes a proof unsound) are the failures guarded here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from derivs import CheckOptions, LinkResult, Status, check_derivation
from derivs.model import Link
from derivs.read.conditions import opens_case, states_condition, written_case
from derivs.read.document import read_document
from derivs.read.tex import tokens
from derivs.read.tree import CaseSense

FAST = CheckOptions(isolate=False)
DOCUMENTS = Path(__file__).parent / "documents"
JACOBIAN = r"\frac{\partial a_i}{\partial z_j}"


def results(display: str, sentence: str = "") -> list[LinkResult]:
    """The links of ``display`` (after ``sentence``), once a first display shows its indices."""
    text = (
        "# Shares\n\n"
        r"Let $S = \sum_{k=1}^{K} e^{z_k}$ and $a_i = \frac{e^{z_i}}{S}$." + "\n\n"
        "$$\n" + r"\frac{\partial S}{\partial z_j} = e^{z_j}" + "\n$$\n\n"
        f"{sentence}\n\n$$\n{display}\n$$\n"
    )
    first, *found = check_derivation(read_document("note.md", text), FAST).links
    assert first.verdict.status is Status.PROVED
    return found


def condition_of(result: LinkResult) -> set[str]:
    assert isinstance(result.link, Link)
    return {str(r) for r in result.link.condition}


@pytest.mark.parametrize(
    "case",
    [
        r"\text{provided } i \neq j",
        r"\text{provided that } j \neq i",
        r"\text{given } i \neq j",
        r"\text{given that } i \neq j",
        r"\text{assuming } i \neq j",
        r", \quad \text{assuming that } i \neq j",
        r"\;\; \text{in case } i \neq j",
        r"\text{iff } i \neq j",
        r"\text{if and only if } i \neq j",
        r"\text{unless } i = j",
        r"\text{Unless } j = i",
        r"\text{except when } i = j",
        r", \quad \text{not for } i = j",
    ],
)
def test_a_case_in_words_is_read_with_its_meaning(case):
    (link,) = results(rf"{JACOBIAN} = -a_i a_j \quad {case}")
    assert link.verdict.status is Status.PROVED
    assert condition_of(link) in ({"Ne(i, j)"}, {"Ne(j, i)"})
    (wrong,) = results(rf"{JACOBIAN} = a_i a_j \quad {case}")
    assert wrong.verdict.status is Status.REFUTED and wrong.verdict.counterexample is not None


def test_unless_a_relation_is_the_case_where_it_does_not_hold():
    (link,) = results(rf"{JACOBIAN} = a_i (1 - a_j) \quad \text{{unless }} i \neq j")
    assert link.verdict.status is Status.PROVED and condition_of(link) == {"Eq(i, j)"}


def test_and_in_a_case_is_both_relations_never_a_claim():
    (link,) = results(rf"{JACOBIAN} = -a_i a_j \quad \text{{if }} i \neq j \text{{ and }} j \neq k")
    assert link.verdict.status is Status.PROVED
    assert condition_of(link) == {"Ne(i, j)", "Ne(j, k)"}


@pytest.mark.parametrize(
    "case",
    [
        r"\text{if } i \neq j \text{ or } i = j",
        r"\text{when } j \neq i \text{ or } a_i = 0",
        r"\text{unless } i = j \text{ and } j = k",
        r"\text{only if } i \neq j",
        r"\text{except possibly at } i = j",
        r", \quad \text{at least away from } i = j + 1",
    ],
)
def test_a_case_that_cannot_be_read_is_never_narrowed_dropped_or_claimed(case):
    # a disjunction, the negation of a conjunction, words of no known sense before
    # relations of indices: the link is checked without a case, and never refuted
    (link,) = results(rf"{JACOBIAN} = -a_i a_j \quad {case}")
    assert link.verdict.status is Status.UNKNOWN and "could not be read" in link.verdict.message
    assert isinstance(link.link, Link) and link.link.condition == () and link.link.unread_case


def test_words_before_an_equation_that_is_no_condition_still_join_two_claims():
    first, second = results(r"x + x = 2x \quad \text{and then} \quad y \cdot y = 2y")
    assert first.verdict.status is Status.PROVED
    assert second.verdict.status is Status.REFUTED


def test_an_alternative_after_a_case_is_no_part_of_it():
    display = JACOBIAN + r" = -a_i a_j \quad \text{if } i \neq j, \text{ and } a_i \text{ else}"
    (link,) = results(display)
    assert link.verdict.status is Status.PROVED and condition_of(link) == {"Ne(i, j)"}


def test_a_cases_row_that_says_unless_is_the_negated_relation():
    display = (
        rf"{JACOBIAN} = \begin{{cases}} a_i (1 - a_i) & \text{{unless }} i \neq j \\"
        r" -a_i a_j & \text{otherwise} \end{cases}"
    )
    assert [r.verdict.status for r in results(display)] == [Status.PROVED, Status.PROVED]


def test_every_phrase_of_a_document_in_words_is_read_or_left_unread():
    text = (DOCUMENTS / "case_words.md").read_text("utf-8")
    checked = check_derivation(read_document("case_words.md", text), FAST)
    found = {r.link.location.line: r.verdict.status for r in checked.links if r.link.location}
    assert len(checked.links) == 10
    proved = [6, 10, 14, 18, 22, 30]
    assert all(found[line] is Status.PROVED for line in proved)
    assert found[26] is Status.REFUTED  # q_m q_n unless m = n: the sign is wrong
    assert all(found[line] is Status.UNKNOWN for line in (34, 38, 42))


def test_a_case_is_taken_apart_into_its_phrase_sense_and_relations():
    case = written_case(tokens(r"\text{except when } i = j \text{ or } j = k"))
    assert (case.phrase, case.sense, case.disjunction) == ("except when", CaseSense.EXCLUDED, True)
    assert [" ".join(t.value for t in r) for r in case.relations] == ["i = j", "j = k"]
    assert written_case(tokens(r"\forall j \neq c")).sense is CaseSense.HOLDS
    assert written_case(tokens(r"\text{since } i = j")).sense is None
    assert written_case(tokens(r"\text{if } i = j \text{ by } (3)")).sense is None


def test_a_phrase_opens_a_case_by_its_first_words():
    assert opens_case(tokens(r"\text{provided that }")[0])
    assert opens_case(tokens(r"\text{for all}")[0])
    assert not opens_case(tokens(r"\text{in general}")[0])
    assert not opens_case(tokens(r"\text{by symmetry}")[0])


def test_a_condition_relates_indices_only():
    names = {"i", "j", "K"}
    assert states_condition(tokens(r"\text{away from } i = j + 1"), names)
    assert states_condition(tokens(r"i \neq j \text{ and } j \leq K"), names)
    assert not states_condition(tokens(r"\text{and } x = j"), names)
    assert not states_condition(tokens(r"\text{and } i = j = K"), names)
    assert not states_condition(tokens(r"\text{because}"), names)


@pytest.mark.parametrize(
    "sentence", ["Provided $i \\neq j$, we get", "Assuming that $j \\neq i$ we have:"]
)
def test_a_sentence_that_states_a_case_in_words_gives_it_to_the_display(sentence):
    (link,) = results(f"{JACOBIAN} = -a_i a_j", sentence)
    assert link.verdict.status is Status.PROVED and condition_of(link)


def test_a_negated_relation_said_of_another_symbol_is_no_case_and_a_wrong_line_is_refuted():
    sentence = "Since $\\delta_{ij}$ is not 1 when $i \\neq j$, we get"
    (link,) = results(f"{JACOBIAN} = a_i a_j", sentence)
    assert link.verdict.status is Status.REFUTED


@pytest.mark.parametrize("words", ["Unless", "Except when", "Except if"])
def test_a_sentence_that_excludes_a_relation_states_its_negation(words):
    (right,) = results(f"{JACOBIAN} = -a_i a_j", f"{words} $i = j$, the entry is")
    assert right.verdict.status is Status.PROVED
    assert condition_of(right) == {"Ne(i, j)"}
    (wrong,) = results(f"{JACOBIAN} = a_i a_j", f"{words} $i = j$, the entry is")
    assert wrong.verdict.status is Status.REFUTED


def test_an_exclusion_inside_a_negated_sentence_states_nothing():
    (found,) = results(f"{JACOBIAN} = -a_i a_j", "It does not hold unless $i = j$, where")
    assert condition_of(found) == set()
