"""Large and hostile documents: reading costs time in proportion to what is read.

A document is text from anywhere.  The scanner's work is measured by
counting the characters it searches and copies (a ``str`` that counts), not
by the clock, so that a quadratic pass fails however fast the machine is;
one generous clock bound backs it up.
"""

from __future__ import annotations

import time
from typing import Any, SupportsIndex

import pytest
from sympy import Integer

from derivs import CheckOptions, Status, check_derivation
from derivs.isolation import run_isolated
from derivs.magnitude import at_most, log10_bound
from derivs.model import Link, UnreadLink
from derivs.read.document import read_document
from derivs.read.scan import scan_document
from derivs.read.tex import MAX_TOKENS, tokens
from derivs.read.tree import MAX_EXPONENT

MB = 1 << 20


class CountingText(str):
    """A ``str`` that counts the characters its searches, counts and slices go over."""

    work = 0

    def _span(self, start: Any, end: Any, found: int | None = None) -> None:
        first = 0 if start is None else start if start >= 0 else len(self) + start
        last = len(self) if end is None else end if end >= 0 else len(self) + end
        if found is not None and found >= 0:
            last = found
        CountingText.work += max(0, last - first) + 1

    def find(self, sub: str, start: Any = None, end: Any = None) -> int:
        found = super().find(sub, start, end)
        self._span(start, end, found + len(sub) if found >= 0 else None)
        return found

    def rfind(self, sub: str, start: Any = None, end: Any = None) -> int:
        self._span(start, end)
        return super().rfind(sub, start, end)

    def count(self, sub: str, start: Any = None, end: Any = None) -> int:
        self._span(start, end)
        return super().count(sub, start, end)

    def startswith(self, prefix: Any, start: Any = None, end: Any = None) -> bool:
        CountingText.work += 1 + max(
            len(p) for p in (prefix if isinstance(prefix, tuple) else [prefix])
        )
        return super().startswith(prefix, start, end)

    def __getitem__(self, key: SupportsIndex | slice) -> str:
        if isinstance(key, slice):
            self._span(key.start, key.stop)
        else:
            CountingText.work += 1
        return super().__getitem__(key)


def fill(unit: str, size: int = MB) -> str:
    return unit * (size // len(unit))


HOSTILE = {
    "unclosed inline math": ("markdown", fill("\\(")),
    "unclosed inline math in each paragraph": ("markdown", fill("\\(x\n\n")),
    "unclosed dollars": ("markdown", fill("$x\n\n")),
    "a begin without its name's brace": ("latex", fill("\\begin{")),
    "a hundred thousand stated cases": ("markdown", fill("$i = j$ ")),
    "comments": ("markdown", fill("<!-- derivs: case i = j -->\n")),
    "a long notation block": ("latex", "% derivs\n" + fill("% a = 1\n")),
    "many displays": ("markdown", fill("$$x$$\n")),
    "percent lines": ("latex", fill("%\n")),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_scanning_a_megabyte_of_hostile_text_is_linear_in_its_length(name):
    kind, text = HOSTILE[name]
    started = time.perf_counter()
    scan_document(text, kind)
    seconds = time.perf_counter() - started
    assert seconds < 20, seconds  # a backstop: the scan takes about a second or less
    # The work counted on an eighth of it (counting slows each step down):
    # a linear pass looks at each character a few times; a quadratic one, with
    # ~10^4 openers each searching the rest, goes over ~10^9.
    counted = CountingText(text[: len(text) // 8])
    CountingText.work = 0
    scan_document(counted, kind)
    assert CountingText.work < 30 * len(counted), CountingText.work / len(counted)


def scalar_document(math: str) -> str:
    return f"```derivs\n[dimensions]\nK = 1\n[scalars]\nx = 'real'\n```\n\n$$ {math} $$\n"


@pytest.mark.parametrize(
    ("name", "math"),
    [
        ("a flat sum of 400 terms", " + ".join(["x"] * 400) + " = 400 x"),
        ("the longest flat sum the token bound admits", " + ".join(["x"] * 1998) + " = 1998 x"),
        ("the longest chain of signs", "-" * (MAX_TOKENS - 4) + " x = x"),
        ("a long product", " \\cdot ".join(["x"] * 900) + " = x^{900}"),
    ],
)
def test_what_the_length_bound_admits_is_read_however_deep_it_nests(name, math):
    assert len(tokens(math)) <= MAX_TOKENS
    document = read_document("deep.md", scalar_document(math))
    (link,) = [link for step in document.steps for link in step.links]
    assert isinstance(link, Link), link
    if name == "a flat sum of 400 terms":
        verdict = check_derivation(document, CheckOptions(isolate=False)).links[0].verdict
        assert verdict.status is Status.PROVED


TOWER = "((9^{999})^{999})^{999}"


def test_an_exponent_bound_is_checked_without_computing_the_exponent():
    document = scalar_document(f"x^{{{TOWER}}} = x")
    outcome = run_isolated(lambda: read_document("tower.md", document), 20.0, 2048)
    assert outcome.value is not None, outcome  # before: minutes computing 9^(999^3)
    (link,) = outcome.value.links
    assert isinstance(link, UnreadLink) and not link.skipped
    assert "is too large (at most 1000)" in link.reason


@pytest.mark.parametrize(
    ("written", "small"),
    [("2^{3}", True), ("2^{10}", False), ("\\frac{1}{2}", True), ("-1000", True), (TOWER, False)],
)
def test_the_size_of_a_written_number_is_bounded_from_its_digits(written, small):
    document = read_document("x.md", scalar_document(f"{written} = x"))
    (link,) = document.checked_links
    started = time.perf_counter()
    assert at_most(link.lhs, MAX_EXPONENT) is small
    assert time.perf_counter() - started < 1
    assert log10_bound(Integer(10) ** 20) >= 20
