"""LaTeX output: the printer, the prose rules, and real compiles with latexmk.

The compile tests run TeX for real.  Outside CI they are skipped when
latexmk is missing; in CI (``CI=true``) a missing latexmk is a failure,
since ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
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
from derivs.latex import latex, prose, render_document
from proofs import LIBRARY
from proofs._softmax import minus, over, times

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
        (r"$u' = e^{z_i}$, $v' = e^{z_i}$", r"$u' = e^{z_i}$, $v' = e^{z_i}$"),
        ("costs $5", r"costs \$5"),
        (r"a\b", r"a\textbackslash{}b"),
    ],
)
def test_prose_escapes_text_and_passes_math(text, expected):
    assert prose(text) == expected


def test_a_fragment_is_only_the_body(sm):
    d = derivation("tiny", "Tiny", sm.context, step(sm.S, then(sm.S * 1)))
    result = check_derivation(d, IN_PROCESS)
    fragment = render_document([result], fragment=True)
    document = render_document([result])
    assert r"\documentclass" not in fragment and r"\begin{align*}" in fragment
    assert document.startswith(r"\documentclass") and document.endswith("\\end{document}\n")
    assert fragment in document


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
    pdf = folder / "document.pdf"
    assert pdf.stat().st_size > 1000
    return pdf


def test_the_whole_library_compiles(tmp_path):
    results = [check_derivation(d, IN_PROCESS) for d in LIBRARY]
    source = render_document(results)
    for d in LIBRARY:
        assert d.name in source.replace(r"\_", "_")
    pdf = compile_pdf(source, tmp_path)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "the minus sign of entry (n, 2) is lost" in text
        assert "Refuted at" in text


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
        r"Every verdict: 50% of $\partial a_i / \partial z_j$ & friends_",
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


def test_a_cached_verdict_is_marked_in_the_document(sm):
    from derivs.latex import verdict_mark

    d = derivation("tiny", "Tiny", sm.context, step(sm.S, then(sm.S * 1)))
    (link,) = check_derivation(d, IN_PROCESS).links
    assert verdict_mark(link) == r"\checkmark"
    cached = replace(link, verdict=replace(link.verdict, cached=True))
    assert verdict_mark(cached) == r"\checkmark\ \text{\small (cached)}"


def test_documents_compile_with_their_skipped_and_unreadable_links(tmp_path):
    from derivs.document import read_document

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
