"""A document's section is titled by its own first heading."""

from __future__ import annotations

import pytest

from derivs.heading import first_heading
from derivs.loader import load


@pytest.mark.parametrize(
    ("text", "kind", "title"),
    [
        ("# The softmax Jacobian\n\ntext\n", "markdown", "The softmax Jacobian"),
        ("```derivs\n# not a heading\n```\n## Second ##\n", "markdown", "Second"),
        ('---\ntitle: "Softmax and loss"\n---\n# Later\n', "markdown", "Softmax and loss"),
        (r"\documentclass{article}\section{The \emph{softmax}}", "latex", "The softmax"),
        ("Softmax function\n\nSome text.\n", "text", "Softmax function"),
        ("The formula of softmax is as follows, $a$.\n", "text", ""),
        ("$$a = b$$\n", "markdown", ""),
    ],
)
def test_the_first_heading_is_the_title(text, kind, title):
    assert first_heading(text, kind) == title


def test_a_loaded_document_is_titled_by_its_heading(tmp_path):
    note = tmp_path / "note.md"
    note.write_text("# Sums of $z$\n\n```derivs\n[scalars]\nx = 'real'\n```\n$$x = x$$\n")
    (derivation,) = load([str(note)], ()).derivations
    assert derivation.title == "Sums of $z$"
