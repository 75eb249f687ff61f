"""The terminal report: progress lines for a log, plurals, the layout for the width."""

from __future__ import annotations

from sympy import Derivative, Ne

from derivs import Status, Verdict, derivation, step, then
from derivs.terminal import ProgressLines, plural


def test_a_derivation_is_reported_when_its_last_link_is_done_whatever_the_order(sm):
    a, z, i, j = sm.a, sm.z, sm.i, sm.j
    two = derivation(
        "two",
        "Two links",
        sm.context,
        step(Derivative(a[i], z[j]), then(-a[i] * a[j]), then(-a[j] * a[i]), case=Ne(i, j)),
    )
    one = derivation("one", "One link", sm.context, step(Derivative(a[i], z[j]), then(a[i] * a[j])))
    lines: list[str] = []
    progress = ProgressLines([two, one], lines.append)
    proved, unknown = Verdict(Status.PROVED, "m"), Verdict(Status.UNKNOWN, "m")
    progress.link_done(1, proved)  # the second link of ``two``
    assert lines == []
    progress.link_done(2, unknown)  # ``one``'s only link: it is done first
    progress.link_done(0, proved)
    assert lines == [
        "derivs: [1/2] one: 1 link (1 unknown)",
        "derivs: [2/2] two: 2 links (2 proved)",
    ]


def test_plurals():
    assert plural(1, "error") == "1 error" and plural(0, "error") == "0 errors"
    assert plural(2, "expected erratum", "expected errata") == "2 expected errata"
