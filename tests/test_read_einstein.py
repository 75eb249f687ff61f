"""Einstein's convention: stated in the notation or in prose, pinned down or not."""

from __future__ import annotations

from pathlib import Path

import pytest
from sympy import Derivative, Sum

from derivs import CheckOptions, check_derivation
from derivs.context import Notation
from derivs.errors import DerivsError
from derivs.read.document import document_notation, read_document
from derivs.read.einstein import repeated, stated_in, summed

DOCUMENTS = Path(__file__).parent / "documents"
FAST = CheckOptions(timeout=30, jobs=1, isolate=False)


def verdicts(name: str) -> list[tuple[int, str, str]]:
    path = DOCUMENTS / name
    result = check_derivation(read_document(str(path), path.read_text("utf-8")), FAST)
    return [
        (r.link.location.line, r.verdict.status.value, r.verdict.message)  # type: ignore[union-attr]
        for r in result.links
    ]


@pytest.mark.parametrize(
    "prose",
    [
        "We use the Einstein summation convention.",
        "Throughout, Einstein's convention applies: $a_i b_i$ is a sum.",
        "In Einstein notation, a repeated index is summed.",
        "(the Einstein\nconvention) holds throughout",
    ],
)
def test_prose_that_names_the_convention_puts_it_in_force_from_there_on(prose):
    convention = stated_in(f"# Title\n\n{prose}\n")
    assert convention.named == 3
    assert convention.at(2) == "unsettled"
    assert convention.at(10) == "einstein"


@pytest.mark.parametrize(
    "prose",
    [
        "Repeated indices are summed.",
        "Here we sum over repeated indices.",
        "Summation over repeated indices is implied.",
        "A twice-written index is summed.",
        "with implied summation",
        "We do not use the Einstein convention.",
        "Without Einstein's summation convention, write every sum.",
    ],
)
def test_prose_that_does_not_pin_the_convention_down_leaves_it_unsettled(prose):
    convention = stated_in(f"# Title\n\n{prose}\n")
    assert convention.at(10) == "unsettled"
    assert convention.said_at == 3


@pytest.mark.parametrize(
    "prose", ["", "An index is a letter under a name.", "We sum the losses of the examples."]
)
def test_prose_that_says_nothing_of_it_keeps_every_sum_written(prose):
    assert stated_in(prose).at(10) == "explicit"


def test_a_declared_notation_is_pinned_only_by_its_switch():
    convention = stated_in("We use the Einstein summation convention.\n", notation=True)
    assert convention.at(10) == "unsettled"


def test_products_under_a_derivative_are_summed_and_a_written_sum_binds():
    n = Notation()
    size = n.dimension("K")
    i, j, k = n.indices("i j k", size)
    a, x = n.matrix("A", size, size), n.vector("x", size)
    context = n.context()
    inner = Derivative(a[i, j] * x[j], x[k])
    assert repeated(inner, context) == [j]
    assert summed(inner, context).atoms(Sum)
    bound = Sum(a[i, j] * x[j], (j, 1, size))
    assert repeated(bound, context) == []
    assert summed(bound, context) == bound


def test_an_index_in_three_factors_is_an_error():
    n = Notation()
    size = n.dimension("K")
    (i,) = n.indices("i", size)
    x, y, z = (n.vector(name, size) for name in "xyz")
    with pytest.raises(DerivsError, match="more than two factors"):
        summed(x[i] * y[i] * z[i], n.context())


def test_a_document_that_names_the_convention_is_read_with_it():
    assert [v[:2] for v in verdicts("einstein_in_prose.md")] == [
        (7, "proved"),
        (13, "proved"),
        (19, "unknown"),  # A is never defined: a counterexample refutes only one reading
        (25, "proved"),
        (25, "proved"),
    ]
    toml = document_notation("note.md", (DOCUMENTS / "einstein_in_prose.md").read_text("utf-8"))
    assert 'summation = "einstein"' in toml


def test_a_document_that_speaks_of_it_in_words_leaves_repeated_indices_unread():
    found = verdicts("einstein_in_words.md")
    assert [v[:2] for v in found] == [(6, "proved"), (10, "error"), (14, "error")]
    assert "j is repeated in a product, and the prose at line 3" in found[1][2]
    assert 'declare summation = "einstein"' in found[2][2]


def test_a_definition_that_repeats_an_index_defines_nothing_while_unsettled():
    text = "Repeated indices are summed.\n\n$$\ny_i = A_{ij} x_j\n$$\n\n$$\ny_1 = y_1\n$$\n"
    toml = document_notation("note.md", text)
    assert "'y_i' = 'A_{ij} x_j'" not in toml
    assert 'y_i was not taken as a definition: declare summation = "einstein"' in toml
