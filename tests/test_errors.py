"""Errors carry fields: the loader and the front ends read them, never the message."""

from __future__ import annotations

from pathlib import Path

import pytest

import derivs.read.document
from derivs.errors import DerivsError, InputError
from derivs.loader import ProblemKind, load
from derivs.read.tex import TexError, tokens


def test_an_input_error_says_where_in_one_line_and_keeps_each_part():
    error = InputError("'{' is never closed", 3, 7, token="{", path="note.md")
    assert str(error) == "note.md: line 3, column 7: '{' is never closed"
    assert (error.reason, error.line, error.column, error.token) == (
        "'{' is never closed",
        3,
        7,
        "{",
    )
    assert str(InputError("empty math")) == "empty math"
    assert isinstance(error, DerivsError)


def test_latex_that_cannot_be_read_is_an_input_error_of_kind_latex():
    with pytest.raises(TexError) as caught:
        tokens("\\frac{a}{b")
    error = caught.value
    assert isinstance(error, InputError) and error.kind == "latex"
    assert error.reason == "'{' is never closed"
    assert (error.line, error.column) == (1, 9)


def test_the_loader_takes_the_reason_and_position_from_the_fields(tmp_path, monkeypatch):
    def refuse(*args: object) -> None:
        # a reason with ": " in it, and no line: a message split at ": " would lose "bad"
        raise TexError("bad: the notation's math", 0, 0)

    monkeypatch.setattr(derivs.read.document, "read_document", refuse)
    path = tmp_path / "note.md"
    path.write_text("$$x = x$$\n", encoding="utf-8")
    (problem,) = load([str(path)], ()).problems
    assert (problem.message, problem.line, problem.column) == (
        "bad: the notation's math",
        None,
        None,
    )
    assert problem.kind is ProblemKind.INPUT


def test_a_module_without_derivations_is_a_problem_of_its_own_kind(tmp_path: Path):
    path = tmp_path / "helpers.py"
    path.write_text("X = 1\n", encoding="utf-8")
    (problem,) = load([str(path)], ()).problems
    assert problem.kind is ProblemKind.NO_DERIVATION
    (missing,) = load([str(tmp_path / "nowhere.py")], ()).problems
    assert missing.kind is ProblemKind.NOT_FOUND
