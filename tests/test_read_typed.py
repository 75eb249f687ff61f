"""Mathematics typed in Unicode is lexed as the LaTeX it stands for, at the positions typed."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from derivs import CheckOptions, check_derivation
from derivs.read.document import read_document
from derivs.read.tex import TexError, tokens
from derivs.read.typed import AMBIGUOUS, SUBSCRIPTS, SUPERSCRIPTS, TYPED, reading

FAST = CheckOptions(timeout=30, jobs=1, isolate=False)
DOCUMENTS = Path(__file__).parent / "documents"


def _values(latex: str) -> list[tuple[str, str]]:
    return [(t.type, str(t.value)) for t in tokens(latex)]


@pytest.mark.parametrize("typed", sorted(TYPED))
def test_each_typed_character_is_lexed_as_its_latex(typed: str) -> None:
    assert _values(f"a {typed} b") == _values(f"a {TYPED[typed]} b")


def test_the_grammar_lexes_exactly_the_characters_that_have_a_reading() -> None:
    grammar = resources.files("derivs.read").joinpath("tex_grammar.lark").read_text("utf-8")
    (line,) = [x for x in grammar.splitlines() if x.startswith("TYPED")]
    classes = re.findall(r"\[([^\]]+)\]", line)
    assert set(classes[0]) == set(TYPED) | set(AMBIGUOUS)
    assert set(classes[1]) == set(SUPERSCRIPTS)
    assert set(classes[2]) == set(SUBSCRIPTS)


def test_scripts_are_read_as_a_run_and_keep_the_typed_position() -> None:
    assert reading("²³") == "^{23}"
    assert reading("⁻¹") == "^{-1}"
    assert reading("₁₂") == "_{12}"
    assert _values("x²³") == _values("x^{23}")
    assert _values("Wᵀx") == _values("W^{\\top}x")
    assert _values("x₁₂") == _values("x_{12}")
    assert [t.column for t in tokens("ab² = σ")] == [1, 2, 3, 3, 3, 3, 5, 7]


@pytest.mark.parametrize("typed", sorted(AMBIGUOUS))
def test_a_character_with_two_readings_is_refused_with_what_to_write(typed: str) -> None:
    with pytest.raises(TexError) as error:
        tokens(f"x = {typed}_k y_k")
    assert error.value.column == 5
    assert "write" in str(error.value)


def test_greek_variants_are_named_as_unicode_math_names_them() -> None:
    assert TYPED["ε"] == "\\varepsilon" and TYPED["ϵ"] == "\\epsilon"
    assert TYPED["θ"] == "\\theta" and TYPED["ϑ"] == "\\vartheta"
    assert TYPED["φ"] == "\\varphi" and TYPED["ϕ"] == "\\phi"


def test_a_typed_document_is_checked_as_its_latex_twin() -> None:
    path = DOCUMENTS / "typed_unicode.md"
    result = check_derivation(read_document(str(path), path.read_text("utf-8")), FAST)
    found = [
        (r.link.location.line if r.link.location else 0, r.verdict.status.value)
        for r in result.links
    ]
    assert found[:6] == [
        (6, "proved"),  # the definition of sigma
        (12, "proved"),
        (12, "proved"),
        (18, "proved"),  # the definition of the loss
        (22, "proved"),
        (28, "proved"),
    ]
    assert found[6][0] == 34 and found[6][1] in {"refuted", "unknown"}  # wrong: never proved
    assert result.links[0].link.source is not None
    assert result.links[0].link.source.text == "σ(z) = \\frac{1}{1 + e^{−z}}"


def test_a_typed_wrong_line_is_refuted_in_a_declared_notation() -> None:
    notation = (
        "```derivs\n[scalars]\nz = 'real'\n\n[definitions]\n"
        "'\\sigma(x)' = '\\frac{1}{1 + e^{-x}}'\n```\n"
    )
    text = notation + "\n$$\nσ′(z) = σ(z)·(1 − σ(z))\n$$\n\n$$\nσ′(z) = σ(z)²\n$$\n"
    result = check_derivation(read_document("typed.md", text), FAST)
    assert [r.verdict.status.value for r in result.links] == ["proved", "refuted"]
