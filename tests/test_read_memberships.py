"""A membership x \\in \\mathbb{R}^{n} states a shape; only letters are sizes."""

from __future__ import annotations

import pytest

from derivs.read.memberships import membership
from derivs.read.tex import parse, tokens


@pytest.mark.parametrize(
    ("text", "sizes"),
    [
        (r"x \in \mathbb{R}^{n}", ("n",)),
        (r"x \in \mathbb{R}^n", ("n",)),
        (r"\mathbf{x} \in \mathbb{R}^{d}", ("d",)),
        (r"W \in \mathbb{R}^{m \times n}", ("m", "n")),
        (r"W \in \mathbf{R}^{D \times M}", ("D", "M")),
    ],
)
def test_a_real_space_with_letter_sizes_is_a_shape(text, sizes):
    found = membership(parse(tokens(text)))
    assert found is not None and found.sizes == sizes


@pytest.mark.parametrize(
    "text",
    [
        r"x \in \mathbb{R}^{3}",  # a concrete size: derivs keeps sizes symbolic
        r"x \in \mathbb{R}^{n+1}",  # a formula is no dimension
        r"x \in \mathbb{R}",
        r"x \in \mathbb{Z}^{n}",
        r"y \in \{0, 1\}",
        r"x = y",
        r"W \in \mathbb{R}^{m \cdot n}",
    ],
)
def test_anything_else_states_no_shape(text):
    assert membership(parse(tokens(text))) is None
