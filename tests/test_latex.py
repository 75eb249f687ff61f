"""LaTeX output: the printer, the prose rules, and real compiles with latexmk.

The compile tests run TeX for real.  Outside CI they are skipped when
latexmk is missing; in CI (``CI=true``) a missing latexmk is a failure,
since ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from derivs.proofs import LIBRARY
from derivs.proofs._softmax import minus, over, times
from sympy import Derivative, KroneckerDelta, Mul, Ne, Subs, Sum, Symbol, exp

from derivs import (
    CheckOptions,
    Notation,
    Status,
    check_derivation,
    decimal,
    derivation,
    rounded,
    step,
    then,
)
from derivs.latex import assignments, latex, number, render_document
from derivs.prose import prose
from derivs.verdict import Assignment, Counterexample
from tests.seeds import checked_seeds, seed_paths

IN_PROCESS = CheckOptions(isolate=False)


def test_derivatives_print_as_the_documents_write_them(sm):
    assert latex(Derivative(sm.a[sm.i], sm.z[sm.j])) == r"\frac{\partial {a}_{i}}{\partial {z}_{j}}"
    assert latex(Derivative(sm.S, sm.z[sm.j])) == r"\frac{\partial S}{\partial {z}_{j}}"
    composite = latex(Derivative(exp(sm.z[sm.i]) / sm.S, sm.z[sm.j]))
    assert composite.startswith(r"\frac{\partial}{\partial {z}_{j}} \left(")


def test_definitions_print_by_name_never_unfolded(sm):
    assert latex(sm.a[sm.i] * sm.S) == r"S {a}_{i}"
    assert latex(KroneckerDelta(sm.i, sm.j)) == r"\delta_{i j}"
    assert latex(Subs(sm.a[sm.i], sm.i, sm.j)).startswith(r"\left. {a}_{i} \right|")


def test_written_products_sums_and_quotients_stay_as_written(sm):
    e = exp(sm.z[sm.i])
    assert latex(times(e, e)) == r"e^{{z}_{i}} \cdot e^{{z}_{i}}"
    assert latex(times(0, sm.S)) == r"0 \cdot S"
    assert latex(over(sm.S, sm.S)) == r"\frac{S}{S}"
    assert latex(minus(0, sm.a[sm.j])) == r"0 - {a}_{j}"
    assert latex(Mul(sm.S, 1 / sm.S)) == "1"


def test_decimals_and_roundings_print_as_written():
    assert latex(decimal("20.0855369232")) == "20.0855369232"
    assert latex(decimal("-0.29461548731")) == "-0.29461548731"
    assert latex(rounded(exp(3), 10)) == r"\operatorname{round}_{10}\left(e^{3}\right)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain words", "plain words"),
        ("50% & 3_i #1 {x} ~ ^", r"50\% \& 3\_i \#1 \{x\} \textasciitilde{} \^{}"),
        (r"$u' = e^{z_i}$, $v' = e^{z_i}$", r"$u'=e^{z_i}$, $v'=e^{z_i}$"),
        (r"$\sum_{k=1}^{K} \hat{y}_k \log a_k$", r"$\sum_{k=1}^{K}\hat{y}_k\log a_k$"),
        ("costs $5", r"costs \$5"),
        (r"a\b", r"a\textbackslash{}b"),
        ("i != j, n >= 3, m <= 2", r"i $\neq$ j, n $\geq$ 3, m $\leq$ 2"),
        (r"$\input{/etc/hostname}$", r"\$\textbackslash{}input\{/etc/hostname\}\$"),
        (r"$\text{\input x}$", r"$\text{\textbackslash{}input x}$"),
        (r"$^^5cinput$", r"\$\^{}\^{}5cinput\$"),
        (r"$x & y$", r"\$x \& y\$"),
        ("$$", r"\$\$"),
        ("目录 σ ∂ é –", r"?? \ensuremath{\sigma} \ensuremath{\partial} é –"),
    ],
)
def test_prose_escapes_text_and_regenerates_math(text, expected):
    assert prose(text).replace(r"\allowbreak{}", "") == expected


def test_long_words_in_prose_may_break():
    assert prose("/tmp/a_b").count(r"\allowbreak{}") == 3
    assert prose("x" * 30) == "x" * 24 + r"\allowbreak{}" + "x" * 6


def test_names_that_could_be_tex_print_as_text():
    shown = latex(Symbol(r"\input{/etc/hostname}"))
    assert shown == r"\text{\textbackslash{}input\{/etc/hostname\}}"
    assert latex(Symbol("yhat")) == r"\hat{y}"
    assert latex(Symbol("σ")) == r"\text{\ensuremath{\sigma}}"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("-0.242328476922169013238478399227", "-0.242328"),
        ("0.4", "0.4"),
        ("3", "3"),
        ("-7/10", r"-\frac{7}{10}"),
        ("1.5e-40", r"1.5 \times 10^{-40}"),
        ("x**3 - 2*x", r"\text{x**3 - 2*x}"),
    ],
)
def test_counterexample_values_print_to_six_significant_digits(value, shown):
    assert number(value) == shown


def test_counterexample_entries_print_from_their_fields_not_their_text():
    found = Counterexample(
        (("K", 2),),
        (("i", 1),),
        (
            Assignment("W", ("1", "2"), "0.5"),
            Assignment("u", (), "2*x", of="x"),
            Assignment("z[1]", (), "3"),  # a name that merely looks indexed stays a name
        ),
        "1",
        "2",
    )
    assert assignments(found) == [
        "K = 2",
        "i = 1",
        "W_{1, 2} = 0.5",
        r"u(x) = \text{2*x}",
        r"\text{z[1]} = 3",
    ]


def test_a_fragment_is_the_body_and_the_macros_it_needs(sm):
    d = derivation("tiny", "Tiny", sm.context, step(sm.S, then(sm.S * 1)))
    result = check_derivation(d, IN_PROCESS)
    fragment = render_document([result], fragment=True)
    document = render_document([result])
    assert r"\documentclass" not in fragment and r"\begin{align}" in fragment
    assert fragment.startswith("% derivs output.  Needs \\usepackage{amsmath}")
    assert r"\providecommand{\checkmark}" in fragment
    assert document.startswith(r"\documentclass") and document.endswith("\\end{document}\n")
    assert r"\tag{1}" in fragment


def test_each_link_is_tagged_with_its_number():
    from derivs.proofs import LIBRARY

    result = check_derivation(LIBRARY[0], IN_PROCESS)
    source = render_document([result])
    tags = [int(tag) for tag in re.findall(r"\\tag\{(\d+)\}", source)]
    assert tags == [link.number for link in result.links]
    notes = [int(n) for n in re.findall(r"\\derivsnote\{(\d+)\}", source)]
    assert notes == tags


def test_the_output_is_the_same_whatever_the_cache_holds(sm):
    d = derivation("tiny", "Tiny", sm.context, step(sm.S, then(sm.S * 1)))
    result = check_derivation(d, IN_PROCESS)
    (link,) = result.links
    cached = replace(link, verdict=replace(link.verdict, cached=True, seconds=9.0))
    again = replace(result, links=(cached,))
    assert render_document([again]) == render_document([result])
    assert "cached" not in render_document([again])


# -- real TeX ----------------------------------------------------------------------------


def latexmk() -> str:
    found = shutil.which("latexmk")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("latexmk is missing in CI: .ci/run should have installed it")
        pytest.skip("latexmk is not installed")
    return found


def compile_pdf(source: str, folder: Path) -> Path:
    tex = folder / "document.tex"
    tex.write_text(source, encoding="utf-8")
    run = subprocess.run(
        [latexmk(), "-pdf", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = (folder / "document.log").read_text(errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert run.returncode == 0 and not errors, "\n".join(errors) or run.stdout[-3000:]
    overfull = [line for line in log.splitlines() if line.startswith("Overfull \\hbox")]
    assert not overfull, overfull
    pdf = folder / "document.pdf"
    assert pdf.stat().st_size > 1000
    return pdf


def poppler(tool: str) -> str:
    """A poppler tool (pdftotext, pdffonts); installed by .ci/run with TeX."""
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} is missing in CI: .ci/run should have installed poppler-utils")
        pytest.skip(f"{tool} is not installed (poppler-utils)")
    return found


def pdf_text(pdf: Path) -> str:
    run = subprocess.run([poppler("pdftotext"), str(pdf), "-"], capture_output=True, text=True)
    return " ".join(run.stdout.split())


def test_the_whole_library_compiles_within_the_page_in_printable_fonts(tmp_path):
    results = [check_derivation(d, IN_PROCESS) for d in LIBRARY]
    source = render_document(results)
    for d in LIBRARY:
        assert d.name in source.replace(r"\allowbreak{}", "").replace(r"\_", "_")
    pdf = compile_pdf(source, tmp_path)
    text = pdf_text(pdf)
    assert "the minus sign of entry (n, 2) is lost" in text
    assert "Refuted at" in text
    refuted = next(r for result in results for r in result.links if r.verdict.counterexample)
    assert f"({refuted.number})" in text
    fonts = subprocess.run([poppler("pdffonts"), str(pdf)], capture_output=True, text=True)
    assert "Type 1" in fonts.stdout and "Type 3" not in fonts.stdout, fonts.stdout


# -- the seeds and fragments, in papers of one and two columns -----------------------------------


@pytest.fixture(scope="module")
def seed_results():
    if not seed_paths():
        pytest.skip("the seeds live in ../shared, next to the repository")
    return list(checked_seeds())


def test_the_three_latex_seeds_compile_within_the_page(tmp_path, seed_results):
    text = pdf_text(compile_pdf(render_document(seed_results), tmp_path))
    assert "Refuted at" in text and "skipped" in text


ARTICLE = """\\documentclass[{options}]{{article}}
\\usepackage{{{packages}}}
\\begin{{document}}
\\input{{fragment}}
\\end{{document}}
"""


@pytest.mark.parametrize("columns", ["onecolumn", "twocolumn"])
def test_a_fragment_fits_one_and_two_column_articles(tmp_path, seed_results, columns):
    from derivs.read.document import read_document

    example = Path(__file__).resolve().parent.parent / "examples" / "softmax.md"
    own = check_derivation(read_document(str(example), example.read_text()), IN_PROCESS)
    fragment = render_document([*seed_results, own], fragment=True)
    (tmp_path / "fragment.tex").write_text(fragment, encoding="utf-8")
    paper = ARTICLE.format(options=columns, packages="amsmath,amssymb,graphicx")
    compile_pdf(paper, tmp_path)


def test_a_fragment_compiles_in_an_article_with_only_amsmath(tmp_path, sm):
    d = derivation(
        "tiny",
        "Tiny",
        sm.context,
        step(sm.S, then(sm.S * 1, "trivially")),
        step(
            Derivative(sm.a[sm.i], sm.z[sm.j]),
            then(sm.a[sm.i] * sm.a[sm.j]),
            case=Ne(sm.i, sm.j),
        ),
    )
    fragment = render_document([check_derivation(d, IN_PROCESS)], fragment=True)
    (tmp_path / "fragment.tex").write_text(fragment, encoding="utf-8")
    text = pdf_text(compile_pdf(ARTICLE.format(options="", packages="amsmath"), tmp_path))
    assert "proved" in text and "refuted" in text


# -- no TeX from untrusted text ------------------------------------------------------------------


def test_tex_written_in_prose_never_runs(tmp_path, sm):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRETHOSTNAMEXYZ\n")
    hostname = Path("/etc/hostname")
    attacks = [
        rf"$\input{{{secret}}}$",
        rf"$\include{{{secret.with_suffix('')}}}$",
        r"$\immediate\write18{touch pwned}$",
        rf"$\openin1={secret} \read1 to\x \x$",
        r"$\catcode`\^^5c=12$",
        r"$\def\x{1}\x$",
        rf"$\text{{\input{{{secret}}}}}$",
        rf"$x^^5cinput{{{secret}}}$",
        rf"\input{{{secret}}} and $a$ \input{{{hostname}}}",
    ]
    n = Notation()
    K = n.dimension("K")
    k = n.index("k", K)
    z = n.vector("z", K)
    hypothesis = n.hypothesis(attacks[0], Sum(z[k], (k, 1, K)), Sum(z[k], (k, 1, K)))
    d = derivation(
        "attacked",
        " ".join(attacks),
        n.context(),
        *(
            step(Sum(z[k], (k, 1, K)), then(Sum(z[k], (k, 1, K)) + 1, attack, erratum=attack))
            for attack in attacks
        ),
        step(Sum(z[k], (k, 1, K)), then(Sum(z[k], (k, 1, K)), assuming=hypothesis)),
        description=" ".join(attacks),
        sources=attacks[:1],
    )
    source = render_document([check_derivation(d, IN_PROCESS)])
    for command in ("input", "include", "write", "openin", "catcode", "def", "read"):
        assert f"\\{command}" not in source.replace(r"\textbackslash{}", "")
    text = pdf_text(compile_pdf(source, tmp_path))
    assert "SECRETHOSTNAMEXYZ" not in text
    assert not (tmp_path / "pwned").exists()
    assert "input" in text  # the attack is shown, as text


def test_every_kind_of_verdict_and_awkward_prose_compiles(tmp_path):
    n = Notation()
    K = n.dimension("K")
    i, j, k = n.indices("i j k", K)
    z = n.vector("z", K)
    yhat = n.vector("yhat", K)
    S = n.define("S", Sum(exp(z[k]), (k, 1, K)))
    a = n.define_vector("a", i, exp(z[i]) / S)
    one = n.hypothesis("sum_k yhat_k = 1 (100% & #1)", Sum(yhat[k], (k, 1, K)), 1)
    d = derivation(
        "every-verdict",
        r"Every verdict: 50% of $\partial a_i / \partial z_j$ & friends_, 目录 σ ∂ é ü –",
        n.context(),
        step(Derivative(a[i], z[j]), then(-a[i] * a[j], r"case $i \neq j$ {ok}"), case=Ne(i, j)),
        step(Derivative(a[i], z[j]), then(a[i] * a[j], "wrong: sign ~ lost ^"), case=Ne(i, j)),
        step(Derivative(a[i], z[j]), then(-a[i] * a[j], erratum="not an error $5")),
        step(Sum(z[k], (k, 1, K)), then(Sum(z[K + 1 - k], (k, 1, K)), "reversed")),
        step(S, then(S + Symbol("q"), "undeclared q")),
        step(yhat[j] * Sum(yhat[k], (k, 1, K)), then(yhat[j], "hypothesis", assuming=one)),
        step(rounded(exp(3), 2), then(decimal("20.09"), "rounded")),
        description="A description with $\\hat{y}$ and 100% of the specials: & # _ { } ~ ^ \\",
    )
    result = check_derivation(d, IN_PROCESS)
    statuses = {r.verdict.status.value for r in result.links}
    assert statuses == {"proved", "refuted", "unknown", "error"}
    first = result.links[0]
    cached = replace(first, verdict=replace(first.verdict, cached=True))
    result = replace(result, links=(cached, *result.links[1:]))
    compile_pdf(render_document([result]), tmp_path)


def test_documents_compile_with_their_skipped_and_unreadable_links(tmp_path):
    from derivs.read.document import read_document

    documents = Path(__file__).parent / "documents"
    results = [
        check_derivation(read_document(str(path), path.read_text(encoding="utf-8")), IN_PROCESS)
        for path in sorted(documents.iterdir())
    ]
    broken = (documents / "softmax_notes.md").read_text(encoding="utf-8") + (
        "\n$$S = \\frac{a}{b \\} & \\foo_{#}$$\n$$S = \\text{50% of } \\cdots$$\n"
    )
    result = check_derivation(read_document("broken.md", broken), IN_PROCESS)
    statuses = {r.verdict.status for r in result.links}
    assert {Status.ERROR, Status.SKIPPED} <= statuses
    source = render_document([*results, result])
    assert r"\foo" not in source.replace(r"\textbackslash{}foo", "")
    pdf = compile_pdf(source, tmp_path)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "never closed" in text or "closes" in text
        assert "skipped" in text


def test_a_document_link_prints_its_sides_as_the_author_wrote_them():
    from derivs.read.document import read_document

    example = Path(__file__).resolve().parent.parent / "examples" / "softmax.md"
    result = check_derivation(read_document(str(example), example.read_text()), IN_PROCESS)
    source = render_document([result])
    assert r"&= \derivsrhs{a_i(1-a_i)}" in source
    assert r"\frac{e^{z_i}S-e^{z_i}e^{z_j}}{S^2}" in source


@pytest.mark.parametrize(
    ("written", "sides"),
    [
        (r"a_i (1 - a_i) = b", ("a_i(1-a_i)", "b")),
        (
            r"\bm y = \begin {dcases} a & b \\ c & d \end{dcases}",
            (r"\boldsymbol y", r"\begin{cases}a&b\\c&d\end{cases}"),
        ),
        (
            r"J = \begin{bmatrix} a & b \\ c & d \end{bmatrix}",
            ("J", r"\begin{bmatrix}a&b\\c&d\end{bmatrix}"),
        ),
        (r"a = b = c", None),
        (r"\input{x} = 1", None),
        (r"x & = 1", None),
    ],
)
def test_written_sides_are_regenerated_or_refused(written, sides):
    from derivs.prose import written_sides

    found = written_sides(written)
    assert (None if found is None else (found[0], found[2])) == sides


def test_links_that_do_not_continue_each_other_show_their_left_sides(sm):
    from derivs.latex import shows_left_side

    chain = step(sm.S, then(sm.S * 1), then(sm.S + 0))
    assert [shows_left_side(chain, n) for n in range(2)] == [True, False]
    entries = step(sm.a[sm.i], then(sm.a[sm.i]))
    other = step(sm.z[sm.j], then(sm.z[sm.j]))
    mixed = replace(chain, links=(entries.links[0], other.links[0]))
    assert [shows_left_side(mixed, n) for n in range(2)] == [True, True]


def test_an_entry_of_a_layers_name_is_one_subscript_on_a_braced_base():
    from derivs.latex import assignment_name
    from derivs.verdict import Assignment

    assert assignment_name(Assignment("W_1", ("1", "2"), "0.5")) == "{W_{1}}_{1, 2}"
    assert assignment_name(Assignment("z", ("3",), "0.5")) == "z_{3}"
