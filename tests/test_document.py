"""Documents: display math found, chains split, cases recognised, links reported by line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from derivs import CheckOptions, LinkResult, Status, check_derivation
from derivs.cli import main
from derivs.errors import DerivsError, DerivsWarning
from derivs.junit import junit_xml
from derivs.model import CaseOrigin, CaseSource, Link, UnreadLink
from derivs.paths import shown_path
from derivs.read.document import read_document
from derivs.read.rows import chains_of
from derivs.read.scan import scan_document
from tests.schema import report_of

HERE = Path(__file__).parent
DOCUMENTS = HERE / "documents"
SEEDS = HERE.parent.parent / "shared" / "seeds"
EXAMPLES = HERE.parent / "examples" / "seeds"
FAST = CheckOptions(isolate=False)

NOTATION = """
[dimensions]
K = 1
[indices]
"i j k" = "K"
[vectors]
z = "K"
[definitions]
S = '\\sum_{k=1}^{K} e^{z_k}'
'a_i' = '\\frac{e^{z_i}}{S}'
"""


def markdown(body: str) -> str:
    return f"# A note\n\n```derivs\n{NOTATION}```\n\n{body}"


def check_text(text: str, name: str = "note.md"):
    return check_derivation(read_document(name, text), FAST)


def line_of(result: LinkResult) -> int:
    assert result.link.location is not None
    return result.link.location.line


def verdicts(result) -> list[tuple[int, str]]:
    return [(line_of(r), r.verdict.status.value) for r in result.links]


# -- finding display math --------------------------------------------------------------------


def test_every_kind_of_display_is_found_and_inline_math_is_not():
    text = (
        "$$a$$ and $b$ and \\(c\\)\n"
        "\\[d\\]\n"
        "\\begin{equation*} e \\end{equation*}\n"
        "\\begin{align} f \\end{align}\n"
        "\\begin{gather} g \\end{gather}\n"
        "\\begin{multline*} h \\end{multline*}\n"
        "```\n$$ not math: code $$\n```\n"
    )
    found = [d.math.strip() for d in scan_document(text, "markdown").displays]
    assert found == ["a", "d", "e", "f", "g", "h"]


def test_chains_split_at_line_breaks_and_continue_at_relations():
    math = r"a &= b \\ &= c \\ d = e \\ \begin{bmatrix} 1 \\ 2 \end{bmatrix} = f"
    spans = chains_of(math)
    assert [[math[s:e].strip() for s, e in chain] for chain in spans] == [
        ["a &= b", "&= c"],
        ["d = e"],
        [r"\begin{bmatrix} 1 \\ 2 \end{bmatrix} = f"],
    ]


def test_each_link_is_reported_at_the_line_of_its_relation_sign():
    text = markdown(
        "$$\n\\begin{aligned}\n\\frac{\\partial S}{\\partial z_j}\n"
        "  &= \\sum_{k=1}^{K} \\frac{\\partial e^{z_k}}{\\partial z_j} \\tag{3} \\\\\n"
        "  &= e^{z_j} \\label{eq:s}\n\\end{aligned}\n$$\n"
    )
    lines = text.splitlines()
    first = next(n for n, line in enumerate(lines, 1) if "&= \\sum" in line)
    assert verdicts(check_text(text)) == [(first, "proved"), (first + 1, "proved")]


# -- cases -------------------------------------------------------------------------------


def test_a_case_stated_in_the_text_applies_to_the_next_display():
    result = check_text(
        markdown(
            "When $i = j$,\n$$\\frac{\\partial a_i}{\\partial z_j} = a_i(1 - a_i)$$\n"
            "and for $i \\neq j$ we get\n$$\\frac{\\partial a_i}{\\partial z_j} = -a_i a_j$$\n"
        )
    )
    assert [r.verdict.status for r in result.links] == [Status.PROVED, Status.PROVED]
    first = result.links[0].link
    assert isinstance(first, Link)
    assert first.case_sources == (CaseSource(CaseOrigin.SENTENCE, 16),)
    assert "case" not in str(first.justification)  # provenance is data, not words


def test_a_relation_between_other_letters_does_not_hide_the_case():
    result = check_text(
        markdown(
            "When $i \\neq j$ (and writing $x = y$ for brevity),\n"
            "$$\\frac{\\partial a_i}{\\partial z_j} = -a_i a_j$$\n"
        )
    )
    assert [r.verdict.status for r in result.links] == [Status.PROVED]


def test_a_case_does_not_reach_past_prose_to_a_general_claim():
    result = check_text(
        markdown(
            "When $i \\neq j$,\n$$\\frac{\\partial a_i}{\\partial z_j} = -a_i a_j$$\n"
            "Now for any two classes the derivative is the same expression again.\n"
            "$$\\frac{\\partial a_i}{\\partial z_j} = -a_i a_j$$\n"
        )
    )
    assert [r.verdict.status for r in result.links] == [Status.PROVED, Status.REFUTED]


def test_a_connector_line_carries_the_case_to_the_next_display():
    result = check_text(
        markdown(
            "When $i \\neq j$,\n$$\\frac{\\partial a_i}{\\partial z_j} = -a_i a_j$$\n"
            "So that:\n$$\\frac{\\partial a_i}{\\partial z_j} \\cdot 2 = -2 a_i a_j$$\n"
        )
    )
    assert [r.verdict.status for r in result.links] == [Status.PROVED, Status.PROVED]


@pytest.mark.parametrize(
    ("display", "origin"),
    [
        (
            r"$$\frac{\partial a_i}{\partial z_j} = -a_i a_j \quad \text{if } i \neq j$$",
            CaseOrigin.BESIDE,
        ),
        (r"$$\frac{\partial a_i}{\partial z_j} = -a_i a_j \quad (i \neq j)$$", CaseOrigin.BESIDE),
        (
            "<!-- derivs: case i \\neq j -->\n$$\\frac{\\partial a_i}{\\partial z_j} = -a_i a_j$$",
            CaseOrigin.COMMENT,
        ),
        (
            (
                r"$$\frac{\partial a_i}{\partial z_j} = \begin{cases} a_i(1-a_i) & \text{if } i = j"
                r" \\ -a_i a_j & \text{otherwise} \end{cases}$$"
            ),
            CaseOrigin.CASES_ROW,
        ),
    ],
)
def test_cases_written_beside_in_a_comment_or_in_a_cases_block(display, origin):
    result = check_text(markdown(display + "\n"))
    assert {r.verdict.status for r in result.links} == {Status.PROVED}
    assert all(r.link.condition for r in result.links)
    for r in result.links:
        assert isinstance(r.link, Link)
        assert [source.origin for source in r.link.case_sources] == [origin]
        assert str(r.link.case_sources[0]) not in str(r.link.justification)


def test_a_case_that_cannot_be_read_is_reported_and_the_link_never_refuted_without_it():
    result = check_text(
        markdown(r"$$\frac{\partial a_i}{\partial z_j} = -a_i a_j \quad \text{if } a_i > 0$$" "\n")
    )
    (link,) = result.links
    assert link.verdict.status is Status.UNKNOWN  # a counterexample may lie outside the case
    assert "could not be read" in link.verdict.message
    assert "case not recognised" in str(link.link.justification)
    assert isinstance(link.link, Link) and link.link.condition == ()


def test_latex_comments_state_cases_and_hold_the_notation():
    text = (
        "% derivs\n"
        + "".join(f"% {line}\n" for line in NOTATION.strip().splitlines())
        + "\\begin{document}\n% derivs: case i = j\n"
        "\\begin{equation}\\frac{\\partial a_i}{\\partial z_j} = a_i - a_i^2\\end{equation}\n"
    )
    result = check_derivation(read_document("paper.tex", text), FAST)
    assert verdicts(result) == [(len(NOTATION.strip().splitlines()) + 4, "proved")]


def test_a_generic_entry_index_never_captures_a_derivative_variable():
    # d a / d z_j = a - (dS/dz_j) a / S holds on the diagonal only: entry j must not be chosen.
    notation = NOTATION.replace('"i j k" = "K"', '"j i k" = "K"')
    text = (
        f"```derivs\n{notation}```\n"
        "$$\\frac{\\partial \\mathbf a}{\\partial z_j} = "
        "\\mathbf a - \\frac{\\partial S}{\\partial z_j} \\frac{\\mathbf a}{S}$$\n"
    )
    (link,) = check_text(text).links
    assert link.verdict.status is Status.REFUTED
    assert "entry j" not in str(link.link.justification)


# -- bad input ---------------------------------------------------------------------------------


def test_bad_math_is_an_error_at_its_line_and_the_rest_is_still_checked():
    text = markdown(
        "$$S = \\frac{a}{b$$\n"
        "$$S = \\foo z_k$$\n"
        "$$a_i = \\frac{e^{z_i}}{S}$$\n"
        "$$S = s_j z_j$$\n"
        "$$S = e^{10^{10^{10}}}$$\n"
    )
    result = check_text(text)
    statuses = [r.verdict.status for r in result.links]
    assert statuses == [Status.ERROR, Status.ERROR, Status.PROVED, Status.ERROR, Status.ERROR]
    messages = [r.verdict.message for r in result.links if r.verdict.status is Status.ERROR]
    assert "never closed" in messages[0] and "column" in messages[0]
    assert "unknown command \\foo" in messages[1]
    assert "s is not declared" in messages[2]
    assert "too large" in messages[3]


def test_a_document_without_notation_is_read_in_the_notation_it_implies():
    derivation = read_document("note.md", "$$a = b$$\n")
    assert [str(a) for a in derivation.assumed] == [
        "line 1: b is written alone: a real scalar",
        "line 1: a is given its formula here: a definition",
    ]


def test_a_document_with_two_notations_is_an_input_error():
    with pytest.raises(DerivsError, match="use one"):
        read_document("note.md", markdown("$$S = S$$\n"), NOTATION, "side.toml")


def test_notation_text_is_never_evaluated(tmp_path):
    marker = tmp_path / "evaluated"
    evil = NOTATION + f"'b_i' = '__import__(\"os\").system(\"touch {marker}\")'\n"
    with pytest.warns(DerivsWarning, match="the links that write b are not read"):
        derivation = read_document("note.md", f"```derivs\n{evil}```\n$$S = S$$\n$$b_1 = 1$$\n")
    assert not marker.exists()
    result = check_derivation(derivation, FAST)
    assert [r.verdict.status for r in result.links] == [Status.PROVED, Status.ERROR]


# -- the seeds, as they are ---------------------------------------------------------------------

SEED_ERRATA = {
    "000_ac5da2e244b2ede3.txt": {45},
    "003_c292ca0000e5e039.txt": {100, 139},
    "004_aa44666a62de2a5c.txt": set(),
}


@pytest.mark.parametrize("seed", sorted(SEED_ERRATA))
def test_each_latex_seed_checks_as_written_with_its_shipped_notation(seed):
    path = SEEDS / seed
    if not path.exists():
        pytest.skip("the seeds live in ../shared, next to the repository")
    notation = (EXAMPLES / f"{seed[:3]}.toml").read_text(encoding="utf-8")
    derivation = read_document(str(path), path.read_text(encoding="utf-8"), notation, "notation")
    result = check_derivation(derivation, CheckOptions(jobs=2))
    refuted = {line_of(r) for r in result.links if r.verdict.status is Status.REFUTED}
    assert refuted == SEED_ERRATA[seed]
    assert all(r.as_expected for r in result.links), [
        (r.link.location, r.verdict) for r in result.links if not r.as_expected
    ]
    skipped = [r for r in result.links if r.verdict.status is Status.SKIPPED]
    assert all(r.verdict.message.startswith(("ellipsis", "prose")) for r in skipped)
    assert sum(r.verdict.status is Status.PROVED for r in result.links) >= 15


def test_every_link_of_seed_003s_chain_at_line_139_carries_its_case():
    path = SEEDS / "003_c292ca0000e5e039.txt"
    if not path.exists():
        pytest.skip("the seeds live in ../shared, next to the repository")
    notation = (EXAMPLES / "003.toml").read_text(encoding="utf-8")
    derivation = read_document(str(path), path.read_text(encoding="utf-8"), notation, "notation")
    chain = [
        link for link in derivation.checked_links if link.location and link.location.line == 139
    ]
    assert len(chain) == 2
    assert all(str(link.condition) == "(Eq(i, j),)" for link in chain)


# -- our own documents, in the seeds' style -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("softmax_notes.md", {31, 47, 62}),
        ("linear_layer.tex", {43}),
        ("typeset_softmax.md", {57}),
        ("logsumexp_calculus.md", {79, 103}),
    ],
)
def test_exactly_the_wrong_steps_of_a_document_are_refuted(name, wrong):
    path = DOCUMENTS / name
    result = check_derivation(read_document(str(path), path.read_text(encoding="utf-8")), FAST)
    refuted = {line_of(r) for r in result.links if r.verdict.status is Status.REFUTED}
    assert refuted == wrong
    others = {r.verdict.status for r in result.links if line_of(r) not in wrong}
    assert others <= {Status.PROVED, Status.SKIPPED}
    refutations = [r for r in result.links if r.verdict.status is Status.REFUTED]
    assert len(refutations) == len(wrong)  # one wrong link a line; its neighbours hold


# -- through the command line -------------------------------------------------------------------


def test_the_cli_checks_a_document_and_reports_lines_in_every_format(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    note = tmp_path / "note.md"
    note.write_text(
        markdown("$$\\frac{\\partial S}{\\partial z_j} = e^{z_j} = 2 e^{z_j}$$\n"), "utf-8"
    )
    line = (
        note.read_text()
        .splitlines()
        .index("$$\\frac{\\partial S}{\\partial z_j} = e^{z_j} = 2 e^{z_j}$$")
        + 1
    )
    runner = CliRunner()
    text = runner.invoke(main, ["check", str(note), "--no-color", "-j1", "--junit", "out.xml"])
    assert text.exit_code == 1
    assert f"line {line}" in text.output
    report = runner.invoke(main, ["check", str(note), "--format", "json", "-j1"])
    steps = report_of(report.stdout)["derivations"][0]["steps"]
    where = {"path": shown_path(str(note)), "line": line}
    assert [(s["location"], s["verdict"]) for s in steps] == [
        (where, "proved"),
        (where, "refuted"),
    ]
    junit = (tmp_path / "out.xml").read_text()
    assert junit.count("<testcase") == 2 and junit.count("<failure") == 1


def test_the_cli_takes_a_side_notation_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notation.toml").write_text(NOTATION, "utf-8")
    (tmp_path / "post.txt").write_text("Text.\n\\[ a_i = \\frac{e^{z_i}}{S} \\]\n", "utf-8")
    runner = CliRunner()
    ok = runner.invoke(main, ["check", "post.txt", "--notation", "notation.toml", "-j1"])
    assert ok.exit_code == 0, ok.output
    inferred = runner.invoke(main, ["check", "post.txt", "-j1"])
    assert inferred.exit_code == 0, inferred.output
    assert "assumed, line 2: a_i is given its formula here" in inferred.output


def test_skipped_links_are_junit_skips(tmp_path):
    text = markdown("$$S = \\text{the normaliser}$$\n$$S = S$$\n")
    result = check_text(text)
    xml = junit_xml([result])
    assert xml.count("<skipped") == 1 and "prose" in xml


# -- anything at all ------------------------------------------------------------------------

PIECES = [
    "$$",
    r"\[",
    r"\]",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "&",
    r"\\",
    "=",
    "+",
    "-",
    "^",
    "_",
    r"\frac",
    r"\partial",
    r"\sum",
    r"\text{if }",
    r"\begin{cases}",
    r"\end{cases}",
    r"\begin{bmatrix}",
    r"\end{bmatrix}",
    r"\cdots",
    "z_k",
    "a_i",
    "S",
    "i",
    "j",
    "1",
    "%",
    r"\foo",
    "$",
    "\n",
    " ",
    r"\delta_{ij}",
    r"\left(",
    r"\right)",
    "e^{",
    "When $i = j$,",
    r"\text{by parts}",
    "&&",
    r"\underbrace{",
    r"\overset{",
    "()",
    r"\quad",
    "Here $\\delta_{ij}$ is 1 when $i = j$.",
    "x^{(i)}",
]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_text_is_read_into_links_or_refused_with_a_derivs_error(pieces):
    text = markdown("".join(pieces))
    try:
        derivation = read_document("fuzz.md", text)
    except DerivsError:
        return
    for link in derivation.links:
        assert link.location is not None and link.location.line >= 1
        if isinstance(link, UnreadLink):
            assert link.reason
            assert "cannot read this chain" not in link.reason, link.reason  # an internal failure


def test_empty_parentheses_after_a_formula_are_an_error_of_that_link():
    (link,) = check_text(markdown("$$S = S ()$$\n")).links
    assert link.verdict.status is Status.ERROR and "empty parentheses" in link.verdict.message


def test_every_display_environment_and_a_math_fence_is_read():
    markdown = '# M\n\n```derivs\n[scalars]\nx = "real"\n```\n\n```math\nx + x = 3x\n```\n'
    latex = (
        '% derivs\n% [scalars]\n% x = "real"\n'
        "\\begin{alignat}{2}\nx + x &= 3x\n\\end{alignat}\n"
        "\\begin{flalign*}\nx + x &= 3x\n\\end{flalign*}\n"
        "\\begin{dmath}\nx + x = 3x\n\\end{dmath}\n"
    )
    for name, text, lines in (("m.md", markdown, [9]), ("l.tex", latex, [5, 8, 11])):
        result = check_derivation(read_document(name, text), CheckOptions(isolate=False))
        assert [r.verdict.status.value for r in result.links] == ["refuted"] * len(lines)
        assert [r.link.location.line for r in result.links if r.link.location] == lines


def test_a_notation_block_that_is_not_toml_is_one_error_naming_the_document_once(tmp_path):
    note = tmp_path / "n.md"
    note.write_text("# t\n\n```derivs\n[dimensions\nK = 1\n```\n\n$$a = a$$\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(note), "--no-color"])
    assert result.exit_code == 2
    (line,) = [x for x in result.output.splitlines() if x.startswith("derivs: error:")]
    assert line.count("n.md") == 1, line
    assert "notation at line 4: not valid TOML" in line


UNREAD_CASES = r"""# Unread cases

```derivs
[scalars]
x = "real"
```

$$
x \cdot x = x \quad \text{if } x \in \{0, 1\}
$$

$$
x^2 = \begin{cases} x & \text{if } x \in \{0, 1\} \\ x^2 & \text{otherwise} \end{cases}
$$
"""


def test_a_case_stated_beside_or_in_a_row_but_not_read_never_yields_a_refutation():
    derivation = read_document("unread.md", UNREAD_CASES)
    results = check_derivation(derivation, CheckOptions(isolate=False)).links
    statuses = [r.verdict.status for r in results]
    assert statuses == [Status.UNKNOWN, Status.UNKNOWN, Status.PROVED]
    for result in results[:2]:
        assert isinstance(result.link, Link) and r"x \in" in result.link.unread_case
        assert "could not be read" in result.verdict.message


def test_a_letter_both_index_and_vector_is_read_where_its_place_decides():
    path = DOCUMENTS / "declared_index_and_vector.md"
    result = check_derivation(read_document(str(path), path.read_text("utf-8")), FAST)
    assert verdicts(result) == [
        (26, "proved"),
        (26, "proved"),
        (32, "proved"),
        (38, "proved"),
        (44, "refuted"),
        (50, "proved"),
        (56, "error"),
    ]
    assert "declared both as an index and as a vector" in result.links[-1].verdict.message


def test_a_display_goes_on_past_a_stated_fact_and_never_past_a_heading():
    path = DOCUMENTS / "continued_past_a_fact.md"
    result = check_derivation(read_document(str(path), path.read_text("utf-8")), FAST)
    statuses = [status for line, status in verdicts(result)]
    assert statuses == ["proved"] * 12 + ["unknown"]  # t is open: "declare t"
    slip = result.links[-1].link
    assert isinstance(slip, Link) and slip.written.startswith("q_j \\sum_{k=1}^{K} t_k - t_j")
    text = "# One\n\n$$\na = b + 0\n$$\n\n# Two\n\n$$\n= b\n$$\n"
    after_heading = check_text(text).links[-1]
    assert after_heading.verdict.status is Status.ERROR
