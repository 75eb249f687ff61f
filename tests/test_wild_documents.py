"""The wild documents and their side file: every display's links listed where they are.

``tests/wild/`` holds documents written in the styles of public write-ups, and
``expected.toml`` what a careful reader sees in them; ``benchmarks/reading.py``
measures derivs against that file, so a wrong line number or a forgotten
display there would silently skew the measurement.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
WILD = ROOT / "tests" / "wild"
ROLES = {"step", "definition", "hypothesis"}


def _reading() -> ModuleType:
    spec = importlib.util.spec_from_file_location("reading", ROOT / "benchmarks" / "reading.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["reading"] = module
    spec.loader.exec_module(module)
    return module


reading = _reading()
TABLES, LINKS = reading.load_expected(WILD / "expected.toml")
DOCUMENTS = {entry["file"]: entry for entry in TABLES["document"]}


def test_every_wild_document_is_listed_and_every_listed_one_exists():
    on_disk = {path.name for path in WILD.iterdir() if path.suffix in (".md", ".tex")}
    assert on_disk == set(DOCUMENTS)
    write_ups = [name for name, entry in DOCUMENTS.items() if not entry["probe"]]
    assert len(write_ups) >= 8


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_each_link_is_on_its_line_inside_a_display_in_reading_order(name):
    path = WILD / name
    lines = path.read_text(encoding="utf-8").splitlines()
    shown = reading.displays(path)
    mine = [link for link in LINKS if link.file == name]
    assert mine
    line, column = 0, -1
    for link in mine:
        assert link.line >= line, f"{name}:{link.line} is listed out of order"
        start = column + 1 if link.line == line else 0
        line, column = link.line, lines[link.line - 1].find(link.at, start)
        assert column >= 0, f"{name}:{link.line} does not hold {link.at!r} after column {start}"
        assert any(display.holds(link.line) for display in shown)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_display_of_a_document_has_its_links_listed(name):
    shown = reading.displays(WILD / name)
    assert shown
    lines = {link.line for link in LINKS if link.file == name}
    empty = [display for display in shown if not any(display.holds(n) for n in lines)]
    assert empty == []


def test_links_name_known_constructs_and_roles_and_each_document_has_a_wrong_step():
    constructs = TABLES["constructs"]
    used = {construct for link in LINKS for construct in link.constructs}
    assert used <= set(constructs)
    assert {link.role for link in LINKS} <= ROLES
    for name in DOCUMENTS:
        steps = [link for link in LINKS if link.file == name and link.role == "step"]
        assert any(not link.correct for link in steps), name
        assert any(link.correct for link in steps), name
    issue_items = {entry["item"] for entry in constructs.values() if entry["item"] <= 14}
    assert issue_items == set(range(1, 15))


def test_a_document_says_it_has_a_notation_exactly_when_it_holds_one():
    for name, entry in DOCUMENTS.items():
        text = (WILD / name).read_text(encoding="utf-8")
        holds = bool(re.search(r"^```derivs$|^% derivs$", text, re.MULTILINE))
        assert holds == (entry["notation"] == "block"), name
        links = [link for link in LINKS if link.file == name]
        assert all(("no_notation" in link.constructs) != holds for link in links), name


def test_hand_notations_are_given_only_to_documents_without_their_own():
    for path in (WILD / "notation").glob("*.toml"):
        matches = [name for name in DOCUMENTS if Path(name).stem == path.stem]
        assert len(matches) == 1 and DOCUMENTS[matches[0]]["notation"] == "none", path.name


def test_displays_are_found_in_markdown_and_latex_with_their_lines(tmp_path):
    markdown = tmp_path / "post.md"
    markdown.write_text(
        "Text with $x = 1$ inline.\n"
        "$$a = b$$\n"
        "```math\nc = d\n```\n"
        "```python\n$$ not math $$\n```\n"
        "$$\n\\begin{align}\ne &= f\n\\end{align}\n$$\n"
        "\\[ g = h \\]\n"
        "Kramdown writes $$i = 1$$ inline too.\n"
        '<script type="math/tex; mode=display">\nk = l\n</script>\n',
        encoding="utf-8",
    )
    found = [(d.first, d.last) for d in reading.displays(markdown)]
    assert found == [(2, 2), (3, 5), (9, 13), (14, 14), (16, 18)]
    latex = tmp_path / "notes.tex"
    latex.write_text(
        "% \\[ a commented display \\]\n"
        "\\begin{align*}\n  a &= b\n\\end{align*}\n"
        "\\begin{equation}\n\\begin{split}\nc &= d\n\\end{split}\n\\end{equation}\n",
        encoding="utf-8",
    )
    assert [(d.first, d.last) for d in reading.displays(latex)] == [(2, 4), (5, 9)]


def test_a_display_merged_into_one_reported_link_leaves_the_others_unread():
    expected = [
        reading.ExpectedLink("d.md", line, "=", "step", True, ("continuation",))
        for line in (11, 12, 13)
    ]
    merged = [reading.ReportedLink(line=11, verdict="error", message="unexpected '='")]
    pairs = reading.pair(expected, merged)
    assert [(link.line, partner and partner.verdict) for link, partner in pairs] == [
        (11, "error"),
        (12, None),
        (13, None),
    ]
    counts = reading.tally(pairs, found=1).as_json()
    assert (counts["expected"], counts["found"], counts["read"], counts["missing"]) == (3, 1, 0, 2)
    assert counts["constructs"]["continuation"] == {"links": 3, "unread": 3, "unread_share": 1.0}


HELDOUT = ROOT / "tests" / "heldout"
HELD_TABLES, HELD_LINKS = reading.load_expected(HELDOUT / "expected.toml")


@pytest.mark.parametrize("name", sorted(e["file"] for e in HELD_TABLES["document"]))
def test_every_display_of_a_held_out_document_has_its_links_listed(name):
    # the held-out set (written apart from the reader's work, measured at the end)
    shown = reading.displays(HELDOUT / name)
    assert shown
    lines = {link.line for link in HELD_LINKS if link.file == name}
    assert [d for d in shown if not any(d.holds(n) for n in lines)] == []
