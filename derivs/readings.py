"""A refutation that rests on an open reading of the document is no verdict.

Two readings leave a link open this way.  The first is a case its author
states that the reader could not read (``Link.unread_case``): the link is
checked without it, so a proof stands under any case, but a counterexample
may lie outside the author's.  The second is a name the document leaves
open.  When a document declares no notation, its reader infers one
(:mod:`derivs.read.infer`), and some names keep an open meaning: a name the
document never defines and never feeds into a definition (an undefined
``a_i`` may be the softmax, or any vector), a function it never defines.
Such a name is read as freely as it can be, which is enough to prove a link
(what holds for every value holds for the one meant) unless the link
differentiates it (a value does not move with the variable; the name the
author means may), but not to refute it:
a counterexample that draws an open name shows that the link fails for one
reading, not for the document.  :func:`settled` turns such a refutation into
an unknown verdict whose message says what to declare; a counterexample that
draws none of them holds for every reading and stands.

A name read in a conventional meaning the document does not state
(:mod:`derivs.read.conventions`: an undefined ``\\operatorname{softmax}``) is
no open reading, since the field writes it with one meaning; a refutation
that rests on it stands, and its message says which meaning it took.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from derivs.mentions import under_derivatives
from derivs.model import ChainLink, Link, OpenName
from derivs.verdict import Status, Verdict


def settled(link: ChainLink, verdict: Verdict) -> Verdict:
    """``verdict``, or unknown when it rests on an unread case or an open name."""
    if not isinstance(link, Link):
        return verdict
    if verdict.status is Status.PROVED:
        return _proof_settled(link, verdict)
    if verdict.status is not Status.REFUTED:
        return verdict
    if link.unread_case:
        return replace(
            verdict,
            status=Status.UNKNOWN,
            method="unread case",
            counterexample=None,
            message=(
                f"refuted only without the case its author states ({link.unread_case}), "
                "which could not be read: write the case as a relation derivs reads "
                "(such as i \\neq j) to decide the link"
            ),
        )
    if not link.open_names:
        return _saying_conventions(link, verdict)
    assert verdict.counterexample is not None
    # A name differentiated away (d v_a / d A_rs of an open v is 0) is drawn by no one.
    used = {value.name for value in verdict.counterexample.values}
    used |= under_derivatives(link.lhs) | under_derivatives(link.rhs)
    used |= {o.name for o in link.open_names if o.applied}
    names = _written(link, lambda o: o.name in used)
    if not names:
        return _saying_conventions(link, verdict)
    why = f"refuted only if {', '.join(names)} may be anything ({verdict.counterexample})"
    return _open_reading(verdict, names, why)


def _proof_settled(link: Link, verdict: Verdict) -> Verdict:
    """A proof, or unknown when it differentiates an open name written in the link.

    An open name is read as a value, the same for every value of the variables:
    enough for a proof where the name is merely carried along, but not where
    the link differentiates it (``\\partial L / \\partial z_j = 0`` for an
    undefined ``L``, ``\\partial (L a_j) / \\partial z_j = L \\, \\partial a_j /
    \\partial z_j``): the proof then holds only if the name does not depend on
    the variable, which the document does not say.
    """
    applied = _written(link, lambda o: o.applied)
    if applied:
        why = (
            f"proved only if {', '.join(applied)} before parentheses is a number that "
            "multiplies them, not a function applied to them"
        )
        return _open_reading(verdict, applied, why)
    moved = under_derivatives(link.lhs) | under_derivatives(link.rhs)
    names = _written(link, lambda o: o.name in moved)
    if not names:
        return verdict
    why = (
        f"proved only if {', '.join(names)} {'does' if len(names) == 1 else 'do'} not "
        "depend on what the link differentiates by"
    )
    return _open_reading(verdict, names, why)


def _written(link: Link, chosen: Callable[[OpenName], bool]) -> list[str]:
    """How the document writes the open names of ``link`` that are ``chosen``, once each."""
    return list(dict.fromkeys(o.written for o in link.open_names if chosen(o)))


def _open_reading(verdict: Verdict, names: list[str], why: str) -> Verdict:
    """``verdict`` as unknown: it holds for one reading of ``names``, as ``why`` says."""
    one = len(names) == 1
    return replace(
        verdict,
        status=Status.UNKNOWN,
        method="open reading",
        counterexample=None,
        message=(
            f"{why}; the document does not say what {' and '.join(names)} "
            f"{'is' if one else 'are'}: declare {'it' if one else 'them'} (a definition "
            "or a kind) in a derivs block or with --notation"
        ),
    )


def _saying_conventions(link: Link, verdict: Verdict) -> Verdict:
    """A refutation that reads a name in a conventional meaning the document does not
    state: refuted in that meaning, and the message says so."""
    if not link.conventional:
        return verdict
    taken = ", ".join(
        f"{c.written} as the conventional {c.convention} (assumed from line {c.line})"
        for c in link.conventional
    )
    said = (
        f"refuted with {taken}, which the document does not define: if it means "
        "another function, define it or declare it"
    )
    return replace(verdict, message=f"{verdict.message}; {said}" if verdict.message else said)
