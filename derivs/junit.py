"""JUnit XML, in the shape pytest writes (``junit_family=xunit2``).

CI systems read JUnit XML to show which tests failed.  Each link is a
``testcase`` (``classname`` is the derivation, ``name`` the link and its
claim); an unexpected refutation or an erratum that was proved is a
``failure`` whose message holds the counterexample; an error verdict is an
``error``; an unknown is a ``failure``, or ``skipped`` when the
:class:`~derivs.report.Gate` allows unknown verdicts; a link the reader
skipped is ``skipped``, or a ``failure`` under a strict gate.  A verdict
served from the cache says so in ``system-out``.  A target that failed to
load (the command exits 2) is a testcase of its own with an ``error``.

Text that XML 1.0 cannot hold (ESC, form feed, other control characters, a
lone surrogate) is written as ``#x1B``, as pytest's ``bin_xml_escape`` does,
so that a note or a message never makes the document malformed.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from derivs.paths import shown_path
from derivs.report import (
    DEFAULT_GATE,
    Gate,
    claim_text,
    is_unexpected,
    place,
    unexpected_lines,
)
from derivs.verdict import DerivationResult, LinkResult, Status

if TYPE_CHECKING:
    from derivs.loader import LoadProblem

#: What XML 1.0 cannot hold: its ``Char`` production, complemented.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

#: The classname of the testcases of targets that failed to load.
PROBLEM_CLASSNAME = "derivs.load"


def xml_text(text: str) -> str:
    """``text`` with each character XML cannot hold written as ``#x1B`` (as pytest does)."""
    return _NOT_XML.sub(lambda found: f"#x{ord(found.group()):02X}", text)


def _outcome(result: LinkResult, gate: Gate) -> tuple[str, str] | None:
    """The child element (tag, message) of a link's testcase, if it needs one."""
    verdict = result.verdict
    unexpected = is_unexpected(result, gate)
    if verdict.status is Status.UNKNOWN and not unexpected and not result.as_expected:
        return "skipped", verdict.message
    if verdict.status is Status.SKIPPED and not unexpected:
        return "skipped", verdict.message
    if not unexpected:
        return None
    if verdict.status is Status.SKIPPED:
        return "failure", f"skipped under --strict: {verdict.message}"
    if verdict.status is Status.ERROR:
        return "error", verdict.message
    if verdict.counterexample is not None:
        return "failure", f"refuted: counterexample {verdict.counterexample}"
    if verdict.status is Status.PROVED and result.link.erratum is not None:
        return "failure", f"proved, but marked as an erratum: {result.link.erratum.note}"
    return "failure", f"{verdict.status.value}: {verdict.message}"


def junit_xml(
    results: Sequence[DerivationResult],
    gate: Gate = DEFAULT_GATE,
    problems: Sequence[LoadProblem] = (),
) -> str:
    """The JUnit XML document for ``results`` and the ``problems`` met loading them."""
    links = [link for result in results for link in result.links]
    outcomes = [_outcome(link, gate) for link in links]
    count = {
        tag: sum(1 for o in outcomes if o and o[0] == tag)
        for tag in ("failure", "error", "skipped")
    }
    count["error"] += len(problems)
    suites = ElementTree.Element("testsuites", name="derivs")
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name="derivs",
        errors=str(count["error"]),
        failures=str(count["failure"]),
        skipped=str(count["skipped"]),
        tests=str(len(links) + len(problems)),
        time=f"{sum(link.verdict.seconds for link in links):.3f}",
        timestamp=datetime.now(UTC).isoformat(timespec="seconds"),
        hostname=socket.gethostname(),
    )
    for problem in problems:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=PROBLEM_CLASSNAME,
            name=xml_text(f"load {shown_path(problem.target)}"),
            time="0.000",
        )
        error = ElementTree.SubElement(case, "error", message=xml_text(problem.message))
        error.text = xml_text(str(problem))
    for result in results:
        for link in result.links:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=xml_text(result.derivation.name),
                name=xml_text(f"link {link.number}: {claim_text(link)}"),
                time=f"{link.verdict.seconds:.3f}",
            )
            outcome = _outcome(link, gate)
            if outcome is not None:
                tag, message = outcome
                element = ElementTree.SubElement(case, tag, message=xml_text(message))
                if tag != "skipped":
                    heading = place(link, result.derivation.name)
                    element.text = xml_text("\n".join(unexpected_lines(link, heading)))
            if link.verdict.cached:
                ElementTree.SubElement(case, "system-out").text = "verdict served from the cache"
    ElementTree.indent(suites)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        + ElementTree.tostring(suites, encoding="unicode")
        + "\n"
    )
