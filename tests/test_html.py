"""The HTML page: self-contained, safe, and rendered by a real browser.

The browser tests run headless Chromium (Debian's ``chromium``).  Outside CI
they are skipped when it is missing; in CI (``CI=true``) a missing browser is
a failure, since ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from sympy import Derivative, Ne, exp

from derivs import CheckOptions, check_derivation, derivation, step, then
from derivs.cli import main
from derivs.html import Page, document_texts, render_page
from derivs.mathml import mathml, sanitized
from derivs.read.document import read_document
from tests.seeds import checked_seeds, seed_paths

IN_PROCESS = CheckOptions(isolate=False)
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "softmax.md"


def example_page() -> str:
    result = check_derivation(read_document(str(EXAMPLE), EXAMPLE.read_text()), IN_PROCESS)
    return render_page(Page((result,), document_texts([result.derivation])))


def test_a_document_page_shows_the_text_the_math_and_each_link():
    page = example_page()
    assert page.startswith("<!DOCTYPE html>")
    assert "The normaliser depends on every logit" in page
    assert page.count("<math") >= 8
    assert page.count("✓ proved") == 3 and page.count("✗ refuted") >= 1
    assert "Refuted at" in page and 'href="#d1-link-4"' in page and 'id="d1-link-4"' in page
    assert "prefers-color-scheme: dark" in page


def test_a_page_holds_no_script_and_no_address():
    page = example_page()
    assert "http" not in page and "<script" not in page and "src=" not in page
    assert re.findall(r'href="([^"]*)"', page) == ["#d1-link-4"]


def test_mathml_is_rebuilt_from_an_allowlist():
    for attack in (
        r"\text{<script>alert(1)</script>}",
        r"\href{javascript:alert(1)}{x}",
        r"\style{background:url(http://example.org/x)}{x}",
        r"\color{red} x",
    ):
        shown = mathml(attack)
        assert shown is not None
        assert "<script" not in shown and "javascript" not in shown
        assert "http" not in shown and "style=" not in shown and "href" not in shown
    assert sanitized('<math><mi onclick="x">a</mi><img src=x></math>') == "<math><mi>a</mi></math>"
    assert mathml(r"\frac{") is None


def test_untrusted_text_in_a_document_stays_text(tmp_path):
    note = tmp_path / "note.md"
    note.write_text(
        "# <script>alert(1)</script>\n\n```derivs\n[scalars]\nx = 'real'\n```\n"
        "Some <img src=x onerror=alert(1)> text and $\\text{<b>bold</b>}$.\n\n$$x = x$$\n"
        "<!-- derivs: case x = x -->\n"
    )
    result = check_derivation(read_document(str(note), note.read_text()), IN_PROCESS)
    page = render_page(Page((result,), document_texts([result.derivation])))
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_derivation_file_is_laid_out_chain_by_chain(sm):
    d = derivation(
        "jacobian",
        r"The derivative of $a_i$",
        sm.context,
        step(
            Derivative(sm.a[sm.i], sm.z[sm.j]),
            then(-exp(sm.z[sm.i]) * exp(sm.z[sm.j]) / sm.S**2, "quotient rule"),
            then(sm.a[sm.i] * sm.a[sm.j], "definition of a"),
            case=Ne(sm.i, sm.j),
        ),
    )
    page = render_page(Page((check_derivation(d, IN_PROCESS),), {}))
    assert page.count('<table class="chain">') == 1
    assert "(1)" in page and "(2)" in page and "✗ refuted" in page
    assert "quotient rule" in page and "<math" in page


def test_the_seeds_render_as_pages():
    if not seed_paths():
        pytest.skip("the seeds live in ../shared, next to the repository")
    results = checked_seeds()
    page = render_page(Page(results, document_texts([r.derivation for r in results])))
    # The seeds' own text names web addresses; the page refers to none.
    assert "<script" not in page and "src=" not in page and "url(" not in page
    assert all(target.startswith("#") for target in re.findall(r'href="([^"]*)"', page))
    assert page.count("<section") == 3
    assert "Refuted at" in page and "– skipped" in page


def test_check_and_html_commands_write_the_page(tmp_path):
    report = tmp_path / "report.html"
    run = CliRunner().invoke(
        main, ["check", str(EXAMPLE), "--no-cache", "-j1", "--html", str(report)]
    )
    assert run.exit_code == 1, run.output
    assert "✗ refuted" in report.read_text()
    library = tmp_path / "library.html"
    run = CliRunner().invoke(main, ["html", "000-softmax", "--no-cache", "-j1", "-o", str(library)])
    assert run.exit_code == 0, run.output
    assert "<math" in library.read_text()


# -- a real browser ----------------------------------------------------------------------


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is missing in CI: .ci/run should have installed it")
    pytest.skip("chromium is not installed (Debian: apt-get install chromium)")


def headless(page: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={page.parent / 'profile'}",
            *options,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_browser_renders_the_page_and_a_screenshot_is_taken(tmp_path):
    if seed_paths():
        results = checked_seeds()[:1]
    else:
        results = (check_derivation(read_document(str(EXAMPLE), EXAMPLE.read_text()), IN_PROCESS),)
    page = tmp_path / "report.html"
    page.write_text(render_page(Page(results, document_texts([r.derivation for r in results]))))
    dom = headless(page, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<math" in dom.stdout and "</math>" in dom.stdout
    assert "✓ proved" in dom.stdout and "Refuted at" in dom.stdout
    assert "<mfrac>" in dom.stdout
    screenshot = tmp_path / "report.png"
    shot = headless(page, f"--screenshot={screenshot}", "--window-size=900,1400")
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.stat().st_size > 10_000


def test_a_latex_document_shows_its_body_not_its_preamble():
    path = ROOT / "tests" / "documents" / "linear_layer.tex"
    result = check_derivation(read_document(str(path), path.read_text()), IN_PROCESS)
    page = render_page(Page((result,), document_texts([result.derivation])))
    assert "documentclass" not in page and "usepackage" not in page
    assert r"\label" not in page and "eq:" not in page
    assert "<h3>A linear layer under softmax</h3>" in page
