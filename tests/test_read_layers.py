"""Layer labels: W_1, W^{[1]}, W^{(2)} name objects of their own where declared."""

from __future__ import annotations

from typing import Any

import pytest

from derivs import CheckOptions, check_derivation
from derivs.read.document import read_document
from derivs.read.layers import labelled, layer_parts
from derivs.read.names import declared_key, sympy_name
from derivs.read.tex import parse, tokens
from derivs.read.tree import split_scripts

FAST = CheckOptions(timeout=30, jobs=1, isolate=False)


def _scripts(text: str):
    node: Any = parse(tokens(text)).children[0]
    return split_scripts(node.children[0].children[1])[:2]


@pytest.mark.parametrize(
    ("text", "key", "left"),
    [
        ("W_1", "W_{1}", ""),
        ("W_{2}", "W_{2}", ""),
        ("W^{[1]}", "W^{[1]}", ""),
        ("W^{[l]}", "W^{[l]}", ""),
        ("W^{(2)}", "W^{(2)}", ""),
        (r"W_2^\top", "W_{2}", "sup"),
        ("W^{[1]}_{ij}", "W^{[1]}", "sub"),
        (r"W^{[2]\top}", "W^{[2]}", "sup"),
        ("W^{[2]T}", "W^{[2]}", "sup"),
    ],
)
def test_a_label_is_read_and_the_other_script_stays(text, key, left):
    found = labelled("W", *_scripts(text))
    assert found is not None and found.key == key
    assert (found.sub is not None, found.sup is not None) == (left == "sub", left == "sup")


@pytest.mark.parametrize("text", ["x_i", "x^{(i)}", "x^2", "x_{ij}"])
def test_an_index_a_member_or_a_power_is_no_label(text):
    assert labelled("x", *_scripts(text)) is None


def test_a_labelled_key_is_declared_with_a_name_of_its_own():
    assert declared_key("W_1") == "W_{1}" and declared_key("W^{[2]}") == "W^{[2]}"
    assert layer_parts("W^{(3)}") == ("W", "3")
    assert sympy_name("W_{1}") == "W_1" and sympy_name(r"\hat{W}^{[2]}") == "What_2"


def _statuses(tmp_path, text: str, notation: str | None = None) -> list[str]:
    path = tmp_path / "layers.md"
    path.write_text(text, encoding="utf-8")
    derivation = read_document(str(path), text, notation, "notation.toml" if notation else "")
    return [r.verdict.status.value for r in check_derivation(derivation, FAST).links]


DECLARED = r"""
[dimensions]
N = 1
H = 1
[indices]
n = "N"
h = "H"
[vectors]
x = "N"
b_1 = "H"
[matrices]
'W^{[1]}' = ["H", "N"]
"""


def test_declared_layers_are_read_as_names_and_a_transpose_is_kept(tmp_path):
    text = r"""
$$
(W^{[1]} x + b_1)^\top = x^\top (W^{[1]})^\top + b_1^\top
$$

$$
(W^{[1]} x)^\top = (W^{[1]})^\top x^\top
$$

$$
(W^{[1]} x)^\top = x^\top W^{[1]\top}
$$

$$
(W^{[1]} x)_h = \sum_{n=1}^{N} W^{[1]}_{hn} x_n
$$
"""
    assert _statuses(tmp_path, text, DECLARED) == ["proved", "error", "proved", "proved"]


def test_a_layer_whose_shape_nothing_states_asks_for_it(tmp_path):
    text = r"""
$$
a = V_1 x
$$
"""
    path = tmp_path / "layers.md"
    path.write_text(text, encoding="utf-8")
    result = check_derivation(read_document(str(path), text, None, ""), FAST)
    assert "V_{1} \\in \\mathbb{R}" in str(result.links[0].verdict.message)
