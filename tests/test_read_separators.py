"""Several equations in one display row: each its own link, and each its own definition."""

from __future__ import annotations

import pytest

from derivs import CheckOptions, check_derivation
from derivs.model import Link
from derivs.read.document import read_document

FAST = CheckOptions(timeout=30, jobs=1, isolate=False)


def verdicts(math: str) -> list[tuple[str, str]]:
    result = check_derivation(read_document("note.md", f"$$\n{math}\n$$\n"), FAST)
    return [(r.link.written, r.verdict.status.value) for r in result.links]


@pytest.mark.parametrize(
    "between",
    [
        ", \\quad",
        ", \\qquad",
        "; \\quad",
        ";",
        ";\\ ",
        "\\quad \\text{and} \\quad",
        ", \\text{ and }",
    ],
)
def test_two_equations_side_by_side_are_two_links(between: str) -> None:
    found = verdicts(f"x + x = 2x {between} y \\cdot y = y^2")
    assert found == [("x + x = 2x", "proved"), ("y \\cdot y = y^2", "proved")]
    wrong = verdicts(f"x + x = 3x {between} y \\cdot y = y^2")
    assert [v for _, v in wrong] == ["refuted", "proved"]


def test_a_semicolon_inside_an_equation_is_no_separator() -> None:
    ((_, found),) = verdicts("x + x = 2 ; x")
    assert found == "error"


def test_each_equation_of_a_row_defines_its_name() -> None:
    text = (
        "$$\nf(x) = x^2, \\quad g(x) = 3x; \\quad u(x) = f(x) + g(x)\n$$\n\n"
        "$$\nf'(x) + g'(x) = 2x + 3\n$$\n\n$$\nu(1) = 4\n$$\n\n$$\ng(2) = 5\n$$\n"
    )
    result = check_derivation(read_document("note.md", text), FAST)
    found = [r.verdict.status.value for r in result.links]
    assert found[:5] == ["proved"] * 5
    # wrong: g(2) is 6; x is open (written alone), so a counterexample is no verdict
    assert found[5] in {"refuted", "unknown"}
    first = result.links[0].link
    assert isinstance(first, Link)
    assert "the definition of f(x)" in str(first.justification)


def test_a_row_opened_by_a_function_name_is_a_formula_cut_into_its_equations() -> None:
    notation = (
        "```derivs\n[scalars]\nx = 'real'\n\n"
        "[definitions]\n'\\text{softplus}(x)' = '\\log(1 + e^{x})'\n"
        "'\\sigma(x)' = '\\frac{1}{1 + e^{-x}}'\n```\n"
    )
    row = (
        "\\text{softplus}(x) = \\log(1 + e^{x}), \\qquad "
        "\\frac{d}{dx}\\text{softplus}(x) = \\sigma(x)"
    )
    result = check_derivation(read_document("n.md", f"{notation}\n$$\n{row}\n$$\n"), FAST)
    found = [(r.link.written, r.verdict.status.value) for r in result.links]
    assert found == [
        ("\\text{softplus}(x) = \\log(1 + e^{x})", "proved"),
        ("\\frac{d}{dx}\\text{softplus}(x) = \\sigma(x)", "proved"),
    ]
    # words that lead a row still make it a sentence, skipped whole
    sentence = "\\text{For all } x: x = 1, \\quad y = 2"
    result = check_derivation(read_document("n.md", f"$$\n{sentence}\n$$\n"), FAST)
    assert all(r.verdict.status.value != "proved" for r in result.links)
