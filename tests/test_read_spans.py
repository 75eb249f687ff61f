"""Source spans: every link read from a document holds the exact text its author wrote, and where.

A span is checked against the file itself: the text between its start and its
end, counted in lines that end at ``\\n`` and columns of characters from 1
(end exclusive), is exactly ``source.text``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivs.model import ChainLink, Source
from derivs.read.document import read_document
from tests.seeds import NOTATIONS, seed_paths

DOCUMENTS = Path(__file__).parent / "documents"

SCALARS = '[dimensions]\nK = 2\n[indices]\n"i j" = "K"\n[scalars]\nx = "real"\ny = "real"\n'


def markdown(body: str) -> str:
    return f"# A note\n\n```derivs\n{SCALARS}```\n\n{body}"


def latex(body: str) -> str:
    notation = "".join(f"% {line}\n" for line in SCALARS.splitlines())
    return f"% derivs\n{notation}\n{body}"


def links_of(path: str, text: str, notation: str | None = None) -> list[ChainLink]:
    derivation = read_document(path, text, notation, "notation.toml")
    return [link for step in derivation.steps for link in step.links]


def sliced(text: str, source: Source) -> str:
    """The file's text between the span's start and its end."""
    starts = [0, *(n + 1 for n, char in enumerate(text) if char == "\n")]
    start = starts[source.line - 1] + source.column - 1
    end = starts[source.end_line - 1] + source.end_column - 1
    return text[start:end]


def sources(path: str, text: str, notation: str | None = None) -> list[Source]:
    found = []
    for link in links_of(path, text, notation):
        assert link.source is not None, link
        assert sliced(text, link.source) == link.source.text
        found.append(link.source)
    return found


def texts(path: str, text: str) -> list[str]:
    return [source.text for source in sources(path, text)]


# -- the documents in the repository -----------------------------------------------------------


@pytest.mark.parametrize("path", seed_paths(), ids=lambda p: p.name[:3])
def test_every_link_of_a_seed_slices_to_its_source(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")  # as the loader reads it: newlines as they are
    notation = (NOTATIONS / f"{path.name[:3]}.toml").read_text(encoding="utf-8")
    found = sources(str(path), text, notation)
    assert found
    for source in found:
        assert source.text == source.text.strip() and source.text
        assert (source.line, source.column) < (source.end_line, source.end_column)


@pytest.mark.parametrize("path", sorted(DOCUMENTS.iterdir()), ids=lambda p: p.name)
def test_every_link_of_our_documents_slices_to_its_source(path: Path) -> None:
    found = sources(path.name, path.read_bytes().decode("utf-8"))
    assert found


def test_seed_003_line_139_is_the_authors_text() -> None:
    paths = [p for p in seed_paths() if p.name.startswith("003")]
    if not paths:
        pytest.skip("the seeds are not next to the repository")
    (path,) = paths
    text = path.read_bytes().decode("utf-8")
    notation = (NOTATIONS / "003.toml").read_text(encoding="utf-8")
    links = links_of(str(path), text, notation)
    (link,) = [k for k in links if k.source is not None and k.source.line == 139]
    assert link.source == Source(
        "- \\frac{1}{\\sigma_i(z)} \\times \\sigma_i(z) (1 - \\sigma_i(z)) =  \\sigma_i(z) - 1",
        139,
        48,
        139,
        127,
    )


# -- displays of every kind ----------------------------------------------------------------------


def test_a_markdown_display_on_its_own_lines() -> None:
    text = markdown("Then\n\n$$\n  x + x = 2 x\n$$\n")
    (source,) = sources("note.md", text)
    line = text.splitlines().index("  x + x = 2 x") + 1
    assert source == Source("x + x = 2 x", line, 3, line, 14)


def test_a_display_inside_a_line_of_prose_counts_columns_in_the_file() -> None:
    text = markdown("So $$x  +x = 2x$$ holds, and \\[ y = y \\] too.\n")
    first, second = sources("note.md", text)
    line = text.count("\n", 0, text.index("So $$")) + 1
    column = text.splitlines()[line - 1].index("y = y") + 1
    assert first == Source("x  +x = 2x", line, 6, line, 16)
    assert second == Source("y = y", line, column, line, column + 5)


def test_an_aligned_chain_keeps_its_line_breaks_and_alignment_marks() -> None:
    text = latex("\\begin{align}\nx + x &= 2x \\\\\n      &= x + x\n\\end{align}\n")
    first, second = sources("note.tex", text)
    assert first.text == "x + x &= 2x"
    assert second.text == "2x \\\\\n      &= x + x"
    assert (second.line, second.end_line) == (first.line, first.line + 1)
    assert second.column == first.column + len("x + x &= ")


def test_a_justification_between_the_operands_stays_in_the_source() -> None:
    text = latex(
        "\\begin{align}\nx + x &= 2x \\quad \\text{(adding)} \\\\\n&= x + x\n\\end{align}\n"
    )
    assert texts("note.tex", text) == [
        "x + x &= 2x",
        "2x \\quad \\text{(adding)} \\\\\n&= x + x",
    ]


def test_crlf_and_tabs_keep_the_lines_and_columns_of_the_lf_file() -> None:
    body = "\\begin{align}\n\tx + x &= 2x \\\\\n\t&= x + x\n\\end{align}\n"
    unix = sources("note.tex", latex(body))
    windows = sources("note.tex", latex(body).replace("\n", "\r\n"))
    assert [(s.line, s.column, s.end_line, s.end_column) for s in windows] == [
        (s.line, s.column, s.end_line, s.end_column) for s in unix
    ]
    assert unix[0].column == 2  # the tab is one column
    assert windows[1].text == "2x \\\\\r\n\t&= x + x"


def test_links_the_reader_cannot_check_have_their_source_too() -> None:
    text = latex(
        "\\[ x \\approx y \\]\n"  # a relation derivs does not check
        "\\[ x = \\frac{ \\]\n"  # a chain that does not parse
        "\\[ y = \\text{the loss} \\]\n"  # prose
    )
    assert texts("note.tex", text) == ["x \\approx y", "x = \\frac{", "y = \\text{the loss}"]


def test_the_claims_of_one_written_link_share_its_source() -> None:
    text = latex(
        "\\[ x = \\begin{cases} x & \\text{if } i = j \\\\ x & \\text{otherwise} \\end{cases} \\]\n"
    )
    found = sources("note.tex", text)
    assert len(found) == 2
    assert found[0] == found[1]
    assert found[0].text.startswith("x = \\begin{cases}") and found[0].text.endswith("\\end{cases}")


# -- any chain, however it is laid out -------------------------------------------------------------

TERMS = st.sampled_from(["x", "y", "2x", "x + y", "\\frac{x}{2}", "(x - y)", "x^{2}"])
SIGNS = st.sampled_from(["=", "\\leq", "<", "\\neq", "\\approx"])
BREAKS = st.sampled_from([" ", "  ", "\t", " \\\\\n&", " \\\\\n  & ", "\\\\\n\t&"])


@settings(max_examples=60, deadline=None)
@given(
    terms=st.lists(TERMS, min_size=2, max_size=5),
    data=st.data(),
    indent=st.sampled_from(["", "  ", "\t", "Hence "]),
    inside=st.sampled_from(["", "  ", "\t"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_each_link_of_any_chain_is_its_operands_as_written(
    terms: list[str], data: st.DataObject, indent: str, inside: str, newline: str
) -> None:
    chain, starts = terms[0], [0]
    for term in terms[1:]:
        chain += f"{data.draw(BREAKS)}{data.draw(SIGNS)} "
        starts.append(len(chain))
        chain += term
    expected = [chain[starts[n] : starts[n + 1] + len(terms[n + 1])] for n in range(len(terms) - 1)]
    body = f"{indent}\\begin{{align*}}\n{inside}{chain}\n\\end{{align*}}\n"
    found = sources("note.tex", latex(body).replace("\n", newline))
    assert [s.text for s in found] == [e.replace("\n", newline) for e in expected]


def test_a_link_that_ends_in_an_abbreviated_sum_ends_with_it() -> None:
    notation = (
        '[dimensions]\nK = 2\n[indices]\n"i j" = "K"\n[vectors]\nz = "K"\n'
        "[definitions]\n'\\sum' = '\\sum_{j=1}^{K} e^{z_j}'\n"
    )
    text = "\\[ e^{z_1} + e^{z_2} = \\sum = \\sum \\]\n"
    first, second = sources("note.tex", text, notation)
    assert first == Source("e^{z_1} + e^{z_2} = \\sum", 1, 4, 1, 28)
    assert second == Source("\\sum = \\sum", 1, 24, 1, 35)


def test_a_file_whose_lines_end_in_a_lone_carriage_return_reads_as_its_lf_twin():
    text = markdown("Then\n\n$$\na = a \\\\\n  &= a\n$$\n")
    lf = links_of("note.md", text)
    cr = links_of("note.md", text.replace("\n", "\r"))
    assert len(cr) == len(lf) == 2
    assert [link.source for link in cr] == [link.source for link in lf]
    assert [link.location for link in cr] == [link.location for link in lf]
