"""The terminal report: progress lines for a log, plurals, the layout for the width."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from sympy import Derivative, Ne

from derivs import Status, Verdict, check_derivation, derivation, step, then
from derivs.terminal import ProgressLines, plural, print_report


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


@pytest.mark.parametrize("width", [80, 160])
def test_control_characters_of_the_authors_text_are_shown_never_sent_to_the_terminal(sm, width):
    # An ESC in a note would restyle or rewrite the reader's terminal (and a piped
    # log promises no escape codes); a form feed or carriage return breaks the lines.
    a, z, i, j = sm.a, sm.z, sm.i, sm.j
    hostile = derivation(
        "hostile",
        "Title \x1b[2J cleared",
        sm.context,
        step(
            Derivative(a[i], z[j]), then(-a[i] * a[j], "note \x1b[31m red \x0c feed"), case=Ne(i, j)
        ),
        step(
            Derivative(a[i], z[j]),
            then(-a[i] * a[j], "fine", erratum="sign \x1b]0;owned\x07 \r lost"),
            case=Ne(i, j),
        ),
    )
    out = io.StringIO()
    console = Console(file=out, width=width, no_color=True, highlight=False)
    print_report(console, [check_derivation(hostile)])
    shown = out.getvalue()
    assert not {"\x1b", "\x0c", "\x07", "\r"} & set(shown)
    for escaped in ("\\x1b[31m", "\\x0c", "\\x1b]0;owned\\x07", "\\r", "\\x1b[2J"):
        assert escaped in shown
