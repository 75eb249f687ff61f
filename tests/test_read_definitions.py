"""Definition signs: a definition is checked against the notation's own, or recorded."""

from __future__ import annotations

import pytest

from derivs import CheckOptions, check_derivation
from derivs.read import signs
from derivs.read.document import read_document
from derivs.read.tex import tokens

FAST = CheckOptions(timeout=30, jobs=1, isolate=False)

SPELLINGS = [
    "S := \\sum_{k=1}^{K} e^{z_k}",
    "S \\coloneqq \\sum_{k=1}^{K} e^{z_k}",
    "S \\triangleq \\sum_{k=1}^{K} e^{z_k}",
    "S ≔ \\sum_{k=1}^{K} e^{z_k}",
    "S \\stackrel{\\text{def}}{=} \\sum_{k=1}^{K} e^{z_k}",
    "S \\overset{\\mathrm{def}}{=} \\sum_{k=1}^{K} e^{z_k}",
    "S \\overset{def}{=} \\sum_{k=1}^{K} e^{z_k}",
    "S \\stackrel{\\Delta}{=} \\sum_{k=1}^{K} e^{z_k}",
]


def results(text: str, notation: str | None = None):
    return check_derivation(read_document("note.md", text, notation, "n.toml"), FAST).links


def test_definition_signs_are_lexed_as_relations_and_named() -> None:
    for sign in (":=", "\\coloneqq", "\\triangleq"):
        (token,) = tokens(sign)
        assert token.type == "REL"
        assert signs.defining(sign, []) == sign
    assert signs.defining("=", ["\\text{def}"]) == "= under \\text{def}"
    assert signs.defining("=", ["(a)"]) is None
    assert signs.defining("=", []) is None


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_each_spelling_defines_its_left_side_for_what_follows(spelling: str) -> None:
    text = (
        f"$$\n{spelling}\n$$\n\n"
        "$$\n\\frac{\\partial S}{\\partial z_j} = e^{z_j}\n$$\n\n"
        "$$\n\\frac{\\partial S}{\\partial z_j} = 2 e^{z_j}\n$$\n"
    )
    found = [r.verdict.status.value for r in results(text)]
    assert found == ["proved", "proved", "refuted"]
    assert "the definition of S" in str(results(text)[0].link.justification)


def test_a_second_definition_of_a_name_is_recorded_never_refuted() -> None:
    text = "$$\nS := 2 x\n$$\n\n$$\nS + S = 4 x\n$$\n\n$$\nS := 3 x\n$$\n"
    found = [(r.verdict.status.value, r.verdict.message) for r in results(text)]
    assert [f[0] for f in found] == ["proved", "proved", "skipped"]
    assert "recorded, not checked" in found[2][1]


NOTATION = """
[dimensions]
K = 1

[indices]
"j k" = "K"

[vectors]
z = "K"

[scalars]
T = "real"

[definitions]
S = '\\sum_{k=1}^{K} e^{z_k}'
"""


def test_a_definition_is_checked_against_the_notations_own() -> None:
    right = results("$$\nS := \\sum_{k=1}^{K} e^{z_k}\n$$\n", NOTATION)
    wrong = results("$$\nS := \\sum_{k=1}^{K} e^{2 z_k}\n$$\n", NOTATION)
    assert right[0].verdict.status.value == "proved"
    assert wrong[0].verdict.status.value == "refuted"


def test_a_definition_of_a_name_the_notation_does_not_define_is_recorded() -> None:
    # T is a declared scalar: T := 2 gives it a value, it claims nothing about it
    (found,) = results("$$\nT := 2\n$$\n", NOTATION)
    assert found.verdict.status.value == "skipped"
    assert "declare it under [definitions]" in found.verdict.message
    # a plain = is a claim, and is checked
    (claimed,) = results("$$\nT = 2\n$$\n", NOTATION)
    assert claimed.verdict.status.value == "refuted"


def test_a_definition_sign_after_what_is_no_name_is_a_claim_with_a_label() -> None:
    text = (
        "$$\nq = 2 z\n$$\n\n$$\n\\frac{d q}{d z} \\stackrel{\\text{def}}{=} 3\n$$\n\n"
        "$$\n\\frac{d q}{d z} \\overset{\\mathrm{def}}{=} 2\n$$\n"
    )
    assert [r.verdict.status.value for r in results(text)] == ["proved", "refuted", "proved"]
