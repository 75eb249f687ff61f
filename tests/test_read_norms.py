"""Norms read as sums of squares of a vector, and only of a vector; other bars are skipped."""

from __future__ import annotations

import pytest

from derivs import CheckOptions, check_derivation
from derivs.read.brackets import paired_bars
from derivs.read.document import read_document
from derivs.read.tex import TexError, tokens

FAST = CheckOptions(timeout=30, jobs=1, isolate=False)

NOTATION = """```derivs
[dimensions]
K = 1

[indices]
"k" = "K"

[vectors]
z = "K"
w = "K"

[scalars]
a = "real"
```
"""


def verdict(math: str) -> tuple[str, str]:
    text = f"{NOTATION}\n$$\n{math}\n$$\n"
    (found,) = check_derivation(read_document("n.md", text), FAST).links
    return found.verdict.status.value, found.verdict.message


@pytest.mark.parametrize(
    "norm",
    [
        "\\|z\\|^2",
        "\\|z\\|_2^2",
        "\\lVert z \\rVert^2",
        "\\lVert z\\rVert_2^2",
        "\\left\\| z \\right\\|^2",
        "\\Vert z \\Vert^2",
        "\\|\\mathbf{z}\\|^2",
    ],
)
def test_the_square_of_a_vectors_norm_is_the_sum_of_its_squares(norm: str) -> None:
    assert verdict(f"{norm} = \\sum_{{k=1}}^{{K}} z_k^2")[0] == "proved"
    assert verdict(f"{norm} = \\sum_{{k=1}}^{{K}} z_k")[0] == "refuted"


def test_a_norm_of_a_difference_and_its_gradient() -> None:
    assert verdict("\\| z - w \\|^2 = \\sum_{k=1}^{K} (z_k - w_k)^2")[0] == "proved"
    assert verdict("\\frac{\\partial}{\\partial z_k} \\frac{1}{2} \\|z\\|^2 = z_k")[0] == "proved"
    assert verdict("\\|z\\| = \\sqrt{\\sum_{k=1}^{K} z_k^2}")[0] != "refuted"


@pytest.mark.parametrize(
    ("math", "reason"),
    [
        ("\\|z\\|_1 = \\sum_{k=1}^{K} z_k", "only the Euclidean one"),
        ("\\|z\\|_\\infty = z_1", "only the Euclidean one"),
        ("\\|a\\|^2 = a^2", "a norm of a scalar"),
    ],
)
def test_other_norms_and_a_scalars_bars_are_skipped_with_their_reason(
    math: str, reason: str
) -> None:
    status, message = verdict(math)
    assert status == "skipped" and reason in message


def test_bars_pair_innermost_first_and_unbalanced_bars_are_an_error() -> None:
    kinds = [t.type for t in paired_bars(tokens("\\|(\\|x\\|)\\|"))]
    assert kinds == ["LNORM", "LPAR", "LNORM", "LETTER", "RNORM", "RPAR", "RNORM"]
    with pytest.raises(TexError):
        tokens("\\|x")
