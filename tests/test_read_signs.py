"""The one table of relation signs, and the one bracket scanner, of the reader."""

from __future__ import annotations

import pytest
import sympy

from derivs.model import Relation, relation_text
from derivs.read import brackets, signs
from derivs.read.tex import tokens


@pytest.mark.parametrize("spelling", [*signs.CHECKED, *signs.UNCHECKED])
def test_every_sign_is_lexed_as_a_relation(spelling: str) -> None:
    (token,) = tokens(spelling)
    assert token.type == "REL"


def test_checked_signs_name_their_relation_and_unchecked_ones_give_a_reason() -> None:
    assert signs.checked("\\leq") is Relation.LESS_EQUAL
    assert signs.checked("<=") is Relation.LESS_EQUAL
    assert signs.checked("\\equiv") is Relation.EQUAL
    assert signs.checked("\\approx") is None
    assert "approximation" in signs.skip_reason("\\approx")
    assert signs.skip_reason("\\succ") == "the relation \\succ is not checked"


@pytest.mark.parametrize("relation", list(Relation))
def test_a_relation_and_its_sympy_class_name_each_other(relation: Relation) -> None:
    a, b = sympy.symbols("a b")
    made = relation.relational(a, b, evaluate=False)
    assert Relation.of_relational(made) is relation
    assert relation_text(made) == f"a {relation.value} b"


def test_brackets_pair_in_a_token_row() -> None:
    row = tokens("f(x) + \\frac{a}{[b]} + \\{c\\}")
    depths = brackets.token_depths(row)
    values = [t.value for t in row]
    open_paren = values.index("(")
    close = brackets.closing(row, open_paren)
    assert close is not None and values[close] == ")"
    assert depths[open_paren] == depths[close] == 0
    assert depths[values.index("x")] == 1
    assert brackets.opening(row) == values.index("\\{")
    assert brackets.closing(row, values.index("+")) is None
    assert depths[values.index("b")] == 2


def test_text_depths_count_braces_and_environments_not_escapes() -> None:
    math = "a \\\\ {b} \\begin{x} c \\end{x} \\{ d"
    depths = brackets.text_depths(math)
    assert len(depths) == len(math)
    assert depths[math.index("b")] == 1
    assert depths[math.index("c")] == 1
    assert depths[math.index("d")] == 0
    assert brackets.matching_brace("x{a{b}c}y", 1) == 7


@pytest.mark.parametrize(
    ("math", "reason"),
    [
        ("x \\sim y", "a distribution (\\sim)"),
        ("w \\gets w - x", "an assignment (\\gets)"),
        ("w \\leftarrow w - x", "an assignment (\\leftarrow)"),
        ("x \\rightarrow y", "an arrow (\\rightarrow)"),
        ("p(y = 1 \\mid x) = y", "a conditional probability"),
        ("p(y \\mid x) = y", "a conditional probability"),
    ],
)
def test_signs_that_claim_nothing_checked_are_skipped_with_their_reason(
    math: str, reason: str
) -> None:
    from derivs import CheckOptions, check_derivation
    from derivs.read.document import read_document

    text = f"$$\n{math}\n$$\n\n$$\nx + x = 2 x\n$$\n"
    links = check_derivation(read_document("n.md", text), CheckOptions(isolate=False)).links
    assert [r.verdict.status.value for r in links] == ["skipped", "proved"]
    assert reason in links[0].verdict.message
