"""A whole vector or matrix given a formula is defined entry by entry."""

from __future__ import annotations

import pytest
from sympy import Integer, Symbol

from derivs import CheckOptions, check_derivation
from derivs.errors import DerivsError
from derivs.read.document import read_document
from derivs.read.notation import read_notation
from derivs.read.shapes import Array, column, row
from derivs.read.vocabulary import IndexedDefinition
from derivs.read.whole import COLUMN, ROW, entry_rule

FAST = CheckOptions(timeout=30, jobs=1, isolate=False)
n = Symbol("n", integer=True, positive=True)

NOTATION = r"""
[dimensions]
K = 1
M = 1
[indices]
"i j" = "K"
"m" = "M"
[vectors]
a = "K"
y = "K"
x = "M"
[matrices]
W = ["K", "M"]
[definitions]
'\delta' = 'a - y'
G = '\delta x^\top'
"""


def test_a_column_is_defined_by_its_entry_and_a_matrix_by_its_cell():
    vector = entry_rule("a", column(n, lambda r: 2 * r))
    assert vector.parameters == (ROW,) and vector.body == 2 * ROW and vector.shape == (n,)
    matrix = entry_rule("G", Array(n, n, lambda r, c: r - c))
    assert matrix.parameters == (ROW, COLUMN) and matrix.body == ROW - COLUMN
    assert matrix.shape == (n, n)


def test_a_row_is_never_defined_as_a_vector():
    with pytest.raises(DerivsError, match=r"define its transpose"):
        entry_rule("g", row(n, lambda c: Integer(1)))


def test_a_whole_definition_is_read_with_its_shape():
    vocabulary = read_notation(NOTATION, "notation.toml").vocabulary
    delta, outer = vocabulary.lookup(r"\delta"), vocabulary.lookup("G")
    assert isinstance(delta, IndexedDefinition) and len(delta.shape) == 1
    assert isinstance(outer, IndexedDefinition) and len(outer.shape) == 2


DOCUMENT = r"""
# Whole definitions

$$
\delta_i = a_i - y_i
$$

$$
G_{im} = (a_i - y_i) x_m
$$

$$
G = (a - y) x^\top
$$

$$
G_{im} = (a_i + y_i) x_m
$$

$$
1 - \delta = 1 - a + y
$$

$$
\delta - a + y = 0
$$

$$
1 - \delta = 1 - a - y
$$
"""


def test_later_links_use_a_whole_definition_whole_and_by_entries(tmp_path):
    path = tmp_path / "whole.md"
    path.write_text(DOCUMENT, encoding="utf-8")
    derivation = read_document(str(path), DOCUMENT, NOTATION, "notation.toml")
    result = check_derivation(derivation, FAST)
    assert [r.verdict.status.value for r in result.links] == [
        "proved",
        "proved",
        "proved",
        "refuted",
        "proved",  # a number beside a vector is added to every entry
        "proved",  # a written 0 is the zero vector
        "refuted",
    ]
