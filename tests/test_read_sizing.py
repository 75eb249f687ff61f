"""Shapes from use: annotations and equations size names, only where the writing forces it."""

from __future__ import annotations

from pathlib import Path

from derivs import CheckOptions, check_derivation
from derivs.read.document import read_document
from derivs.read.sizing import SCALAR, Sizer, blank_shape_notes, shape_notes
from derivs.read.tex import parse, tokens
from derivs.read.uses import name_key_of

FAST = CheckOptions(timeout=30, jobs=1, isolate=False)
DOCUMENTS = Path(__file__).parent / "documents"

ALIGNED = r"""\begin{aligned}
a &= W x + b && (H \times 1) \\
E &= \frac{1}{2} a^\top a && \text{scalar} \\
\frac{\partial E}{\partial W} &= a\, x^\top && (H \times N)
\end{aligned}"""


def test_each_rows_note_gives_the_shape_of_its_left_side():
    notes = shape_notes(ALIGNED, 1)
    assert [(n.left, n.shape, n.line) for n in notes] == [
        ("a", ("H", "1"), 1),
        (r"\frac{\partial E}{\partial W}", ("H", "N"), 3),
    ]


def test_notes_are_blanked_in_place_for_reading_the_equations():
    blanked = blank_shape_notes(ALIGNED)
    assert len(blanked) == len(ALIGNED) and "times" not in blanked and "scalar" not in blanked
    assert r"\end{aligned}" in blanked and r"a\, x^\top" in blanked


def _sized(notes: str, *equations: str) -> dict[str, tuple[str, str]]:
    sizer = Sizer(name_key_of)
    sizer.annotate(shape_notes(notes, 1))
    sizer.equations([(parse(tokens(e)), 1) for e in equations])
    return {key: shape for key, (shape, _) in sizer.shapes.items()}


def test_sums_products_and_transposes_carry_a_shape_to_the_names_they_force():
    found = _sized(
        r"a &= W x + b && (H \times 1) \\ G &= a\, x^\top && (H \times N)",
        r"a = W x + b",
        r"G = a x^\top",
        r"y = W^\top a",
    )
    assert found["a"] == ("H", "1") and found["b"] == ("H", "1")
    assert found["x"] == ("N", "1") and found["G"] == ("H", "N")
    assert "W" not in found or found["W"] == ("H", "N")


def test_a_factor_that_a_scalar_would_fit_is_not_sized():
    found = _sized(r"g &= \eta v && (H \times 1) \\ v &= c && (H \times 1)", r"g = \eta v")
    assert "\\eta" not in found and found["v"] == ("H", "1")


def test_a_power_says_nothing_of_a_shape_and_a_scalar_note_sizes_nothing():
    found = _sized(r"q &= (u)^2 && (H \times 1)", r"q = (u)^2")
    assert "u" not in found and SCALAR not in found.values()


def test_a_backward_pass_sized_by_its_notes_reads_and_stays_open():
    path = DOCUMENTS / "inferred_shape_notes.md"
    derivation = read_document(str(path), path.read_text("utf-8"), None, "")
    result = check_derivation(derivation, FAST)
    assert [r.verdict.status.value for r in result.links] == [
        "proved",  # z = V^{[1]} u + c^{[1]}, a definition
        "proved",
        "proved",
        "proved",  # a gradient against a column: the author's layout
        "proved",  # an outer product, V^{[2]} sized K x M by its note
        "proved",
        "proved",  # V^{[1]} sized M x D by its note
        "proved",  # the gradient as a row
        "error",  # a product in the wrong order: a shape mismatch
        "unknown",  # the sign lost, but the names are only sized, not stated: open
    ]


def test_beside_a_declared_notation_only_undeclared_arrays_of_its_dimensions_are_sized():
    notation = r"""
[dimensions]
M = 1
K = 1
D = 1
[vectors]
u = "D"
"""
    path = DOCUMENTS / "inferred_shape_notes.md"
    derivation = read_document(str(path), path.read_text("utf-8"), notation, "notation.toml")
    result = check_derivation(derivation, FAST)
    statuses = [r.verdict.status.value for r in result.links]
    assert statuses[:2] == ["proved", "proved"]  # the layers' definitions read
    assert "refuted" not in statuses  # a sized name is open: never refuted by drawing it


def test_a_name_the_declared_notation_defines_is_never_added_by_its_stated_shape(tmp_path):
    notation = r"""
[dimensions]
K = 1
[vectors]
w = "K"
[definitions]
z = '\sum_{k=1}^{K} w_k'
"""
    text = r"""
From here on $z \in \mathbb{R}^{K}$.

$$
z = \sum_{k=1}^{K} w_k
$$
"""
    path = tmp_path / "membership.md"
    path.write_text(text, encoding="utf-8")
    derivation = read_document(str(path), text, notation, "notation.toml")
    assert [r.verdict.status.value for r in check_derivation(derivation, FAST).links] == ["proved"]
