"""JUnit XML in pytest's xunit2 shape: one testcase per link, failures with counterexamples."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import pytest
from sympy import Derivative, Ne, Sum

from derivs import CheckOptions, check_derivation, derivation, step, then
from derivs.junit import PROBLEM_CLASSNAME, junit_xml, xml_text
from derivs.loader import LoadProblem
from derivs.report import Gate


def results(sm):
    a, z, i, j, k, K = sm.a, sm.z, sm.i, sm.j, sm.k, sm.K
    d = derivation(
        "mixed",
        "Mixed",
        sm.context,
        step(Derivative(a[i], z[j]), then(-a[i] * a[j]), case=Ne(i, j)),
        step(Derivative(a[i], z[j]), then(a[i] * a[j], erratum="sign"), case=Ne(i, j)),
        step(Derivative(a[i], z[j]), then(a[i] * a[j], "wrong"), case=Ne(i, j)),
        step(Sum(z[k], (k, 1, K)), then(Sum(z[K + 1 - k], (k, 1, K)), "reversed")),
    )
    return [check_derivation(d, CheckOptions(isolate=False))]


def parse(xml: str) -> ElementTree.Element:
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(xml.split("\n", 1)[1])


def test_one_testcase_per_link_with_failures_for_unexpected_verdicts(sm):
    root = parse(junit_xml(results(sm)))
    assert root.tag == "testsuites"
    (suite,) = root
    assert suite.tag == "testsuite" and suite.get("name") == "derivs"
    assert (
        suite.get("tests"),
        suite.get("failures"),
        suite.get("errors"),
        suite.get("skipped"),
    ) == (
        "4",
        "2",
        "0",
        "0",
    )
    cases = suite.findall("testcase")
    assert [c.get("classname") for c in cases] == ["mixed"] * 4
    assert cases[0].get("name") == "link 1: ∂a_i/∂z_j = -a_i*a_j"
    assert list(cases[0]) == [] and list(cases[1]) == []  # proved, and the expected erratum
    failure = cases[2].find("failure")
    assert failure is not None
    assert failure.get("message", "").startswith("refuted: counterexample at K = 2, i = 1, j = 2")
    assert "expected proved, got refuted" in (failure.text or "")
    assert cases[3].find("failure") is not None


def test_allowed_unknowns_are_skipped_and_cached_verdicts_say_so(sm):
    checked = results(sm)
    first = checked[0]
    cached = replace(
        first,
        links=(
            replace(first.links[0], verdict=replace(first.links[0].verdict, cached=True)),
            *first.links[1:],
        ),
    )
    (suite,) = parse(junit_xml([cached], Gate(allow_unknown=True)))
    assert suite.get("skipped") == "1" and suite.get("failures") == "1"
    cases = suite.findall("testcase")
    assert cases[3].find("skipped") is not None
    out = cases[0].find("system-out")
    assert out is not None and out.text == "verdict served from the cache"


def test_a_strict_gate_makes_a_skipped_link_a_failure(sm):
    from derivs.model import Derivation, Step, skipped_link
    from derivs.verdict import DerivationResult, LinkResult, Status, Verdict

    skipped = skipped_link("\\dots", "an ellipsis", None)
    derivation = Derivation("d", "d", sm.context, (Step((skipped,)),))
    verdict = Verdict(Status.SKIPPED, "skipped", message="an ellipsis")
    result = DerivationResult(derivation, (LinkResult(1, skipped, verdict),))
    (relaxed,) = parse(junit_xml([result]))
    (strict,) = parse(junit_xml([result], Gate(strict=True)))
    assert relaxed.find("testcase/skipped") is not None
    failure = strict.find("testcase/failure")
    assert failure is not None
    assert "strict" in failure.get("message", "")


# -- the real client: xmllint with the schema pytest publishes -----------------------------

#: pytest's ``testing/example_scripts/junit-10.xsd``, copied as it is: its MIT licence
#: (Gregory Boissinot) is kept at its head, which is all the licence asks.
XSD = Path(__file__).with_name("junit-10.xsd")


def xmllint() -> str:
    found = shutil.which("xmllint")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xmllint is missing in CI: .ci/run should have installed libxml2-utils")
        pytest.skip("xmllint (libxml2-utils) is not installed")
    return found


def complaints(xml: str, folder: Path) -> list[str]:
    """What xmllint says is wrong with ``xml`` against pytest's schema (none when valid)."""
    path = folder / "report.xml"
    path.write_text(xml, encoding="utf-8")
    done = subprocess.run(
        [xmllint(), "--noout", "--schema", str(XSD), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    said = [line.split(" : ", 1)[1] for line in done.stderr.splitlines() if " : " in line]
    assert (done.returncode == 0) == (not said), done.stderr  # malformed XML says no " : "
    return said


def test_every_report_validates_against_pytests_schema(sm, tmp_path):
    checked = results(sm)
    for gate in (Gate(), Gate(allow_unknown=True), Gate(strict=True)):
        assert complaints(junit_xml(checked, gate), tmp_path) == []


def test_a_load_problem_is_an_error_testcase_which_xmllint_judges_as_it_judges_pytests(
    tmp_path,
):
    problem = LoadProblem("broken.py", "failed to import: NameError: x", 3)
    xml = junit_xml([], problems=[problem])
    (suite,) = parse(xml)
    assert (suite.get("tests"), suite.get("errors")) == ("1", "1")
    (case,) = suite.findall("testcase")
    assert case.get("classname") == PROBLEM_CLASSNAME and case.get("name") == "load broken.py"
    error = case.find("error")
    assert error is not None and error.get("message") == "failed to import: NameError: x"
    assert error.text == "broken.py:3: failed to import: NameError: x"
    # pytest's own schema names the element ``errors`` while pytest writes ``error``: the
    # one complaint xmllint has about our error is the one it has about pytest's own.
    (tmp_path / "test_setup.py").write_text(
        "import pytest\n\n@pytest.fixture\ndef broken():\n    raise RuntimeError\n\n"
        "def test_it(broken):\n    pass\n"
    )
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml=py.xml"],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    theirs = complaints((tmp_path / "py.xml").read_text(encoding="utf-8"), tmp_path)
    assert complaints(xml, tmp_path) == theirs == ["Element 'error': This element is not expected."]


def test_control_characters_are_written_as_pytest_writes_them(sm, tmp_path):
    a, z, i, j = sm.a, sm.z, sm.i, sm.j
    note = "sign\x1b[31m lost\x0c on page 2\x00"
    d = derivation(
        "ctrl",
        "Control characters",
        sm.context,
        step(Derivative(a[i], z[j]), then(-a[i] * a[j], erratum=note), case=Ne(i, j)),
    )
    xml = junit_xml([check_derivation(d, CheckOptions(isolate=False))])
    assert complaints(xml, tmp_path) == []  # well formed, and valid
    (case,) = parse(xml).findall("testsuite/testcase")
    failure = case.find("failure")
    assert failure is not None
    assert "sign#x1B[31m lost#x0C on page 2#x00" in failure.get("message", "")
    assert xml_text("a\ud800b\U0001f600\t") == "a#xD800b\U0001f600\t"
