"""One-hot facts stated in mathematics: ``y_j = 0`` for every ``j \\neq c``, however introduced."""

from __future__ import annotations

import pytest

from derivs.read.onehot import zero_elsewhere


@pytest.mark.parametrize(
    "text",
    [
        r"y_j = 0 \quad \forall j \neq c",
        r"y_j = 0, \quad \forall j \neq c",
        r"y_j = 0, \text{for } j \neq c",
        r"y_{j} = 0 \qquad \text{for all } j \ne c",
        r"y_j = 0 \quad \forall c \neq j",
        r"\hat{y}_j = 0 \quad \forall j \neq c",
    ],
)
def test_an_entry_set_to_zero_for_every_index_but_one_is_read(text):
    found = zero_elsewhere(text)
    assert found is not None
    assert (found.index, found.other) == ("j", "c")


@pytest.mark.parametrize(
    "text",
    [
        r"y_j = 0",  # no condition: a hypothesis of one entry, or a claim
        r"y_j = 1 \quad \forall j \neq c",  # not zero
        r"y_j = 0 \quad \forall j = c",  # not a difference
        r"y_j = 0 \quad \forall k \neq c",  # the condition is of another index
        r"y_{jk} = 0 \quad \forall j \neq c",
        r"y_j = 0 \quad \forall j > c",
        r"y_j = 0 \quad \forall j \neq j",
        r"y_j + 1 = 1 \quad \forall j \neq c",
    ],
)
def test_anything_else_is_no_such_fact(text):
    assert zero_elsewhere(text) is None
