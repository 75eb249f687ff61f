"""A name stated a member of a known set: ``y \\in \\{0, 1\\}``, ``x \\in \\mathbb{R}^n``,
``W \\in \\mathbb{R}^{m \\times n}``; only letters are sizes."""

from __future__ import annotations

import pytest

from derivs.read.memberships import membership
from derivs.read.tex import parse, tokens


@pytest.mark.parametrize(
    ("text", "kind", "length"),
    [
        (r"y^{(i)} \in \{0, 1\}", "binary", None),
        (r"y \in \{1, 0\}", "binary", None),
        (r"y_k \in \{0,1\}", "binary", None),
        (r"x^{(i)} \in \mathbb{R}^n", "real", "n"),
        (r"\mathbf{x} \in \mathbb{R}^{d}", "real", "d"),
        (r"x \in \mathbb{R}", "real", None),
        (r"X \in \mathbb{R}^{m \times n}", "real", None),
    ],
)
def test_a_known_set_states_a_kind_and_perhaps_a_length(text, kind, length):
    found = membership(parse(tokens(text)))
    assert found is not None
    assert (found.kind, found.length) == (kind, length)


@pytest.mark.parametrize(
    "text",
    [
        r"y \in \{0, 2\}",  # another set: no kind the reader has
        r"y \in \{0, 1, 2\}",
        r"a + b \in \{0, 1\}",  # not a name
        r"y \in \mathbb{Z}",
        r"y = 1",
        r"x \in \mathbb{R}_{m}",
        r"y \in \{0, 1\} \in \{0, 1\}",
    ],
)
def test_anything_else_states_nothing(text):
    assert membership(parse(tokens(text))) is None


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
        r"x \in \mathbb{R}",  # a kind, no shape
        r"x \in \mathbb{Z}^{n}",
        r"y \in \{0, 1\}",  # a kind, no shape
        r"x = y",
        r"W \in \mathbb{R}^{m \cdot n}",
    ],
)
def test_anything_else_states_no_shape(text):
    found = membership(parse(tokens(text)))
    assert found is None or found.sizes == ()
