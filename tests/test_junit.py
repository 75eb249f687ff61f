"""JUnit XML in pytest's xunit2 shape: one testcase per link, failures with counterexamples."""

from __future__ import annotations

from dataclasses import replace
from xml.etree import ElementTree

from sympy import Derivative, Ne, Sum

from derivs import CheckOptions, check_derivation, derivation, step, then
from derivs.junit import junit_xml
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
