"""A display that goes on from the chain before it: ``$$ = p_i (1 - p_i). $$``.

Blog posts write one step per display, each display after the first opening
with its relation sign (``=`` or ``&=``): the left-hand side is the last
operand of the chain before.  :class:`Continuations` remembers the last
operand of the last two chains of a document, in reading order, and gives a
display that opens with a sign the operand it goes on from.

A heading ends every chain: the first display of a section goes on from
none of the sections before (:class:`~derivs.read.reader.DocumentReader`
starts its continuations afresh).  A display that states a fact between two
steps (``\\sum_k y_k = 1``: one relation, a number after it) is no chain to
go on from: the display after it goes on from the chain before the fact, and
carries the facts it went past (:attr:`Carried.past`), for the reader to
bound its verdict by them unless the notation holds them.

When the chain before is a chain of its own that interrupted a chain that
went on across displays (``... = -y_j + p_j \\sum_k y_k``, then the fact
``\\sum_k y_k = 1``, then ``= p_j - y_j``), the display may go on from
either; the reader does not guess, and reports the link as unread with both
candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lark import Token

from derivs.read.brackets import token_depths
from derivs.read.scan import Display
from derivs.read.spans import node_span
from derivs.read.tex import TexError, position


@dataclass(frozen=True)
class Carried:
    """The last operand of a chain, as tokens and as written."""

    found: tuple[Token, ...]
    shown: str
    line: int
    continued: bool  # its chain itself went on from the one before
    past: tuple[Fact, ...] = ()  # the facts stated between it and the display going on


@dataclass(frozen=True)
class Fact:
    """A fact stated between two steps of a chain: its tokens, as written, its line."""

    found: tuple[Token, ...]
    shown: str
    line: int


class Continuations:
    """The chains of a document that the next display may go on from."""

    def __init__(self) -> None:
        self.last: list[Carried] = []
        self.facts: list[Fact] = []

    def follow(
        self, found: list[Token], masked: str, display: Display
    ) -> tuple[list[Token], Carried | None]:
        """``found`` with the operand it goes on from put first, and that operand.

        Remembers ``found``'s own last operand for the displays after it.
        Raises :class:`TexError` when the chain it goes on from is ambiguous.
        """
        continues = bool(found) and found[0].type == "REL"
        before = self.last
        if not continues and _states_a_number(found):
            span = node_span(found[0], found[-1], display.origin)
            shown = " ".join(masked[span[0] : span[1]].split()) if span else ""
            self.facts.append(Fact(tuple(found), shown, found[0].line or display.origin.line))
            return found, None
        past, self.facts = tuple(self.facts), []
        self.last = [*before[-1:], _last_operand(found, masked, display, continues)]
        if not continues or not before:
            return found, None
        carried = before[-1]
        if not carried.found:
            raise TexError(
                f"this display continues the chain of line {carried.line}, which could not be read",
                *position(found[0]),
            )
        if len(before) == 2 and not carried.continued and before[0].continued:
            resumed = before[0]
            raise TexError(
                f"this display continues a chain, but which: the one of line {carried.line} "
                f"(ending {carried.shown}) or the one of line {resumed.line} (ending "
                f"{resumed.shown}) that it interrupted? Repeat the left-hand side",
                *position(found[0]),
            )
        return [*carried.found, *found], replace(carried, past=past)

    def forget(self, line: int) -> None:
        """A chain at ``line`` that could not be read: a display cannot go on from it."""
        self.last = [*self.last[-1:], Carried((), "", line, False)]
        self.facts = []


def _last_operand(found: list[Token], masked: str, display: Display, continued: bool) -> Carried:
    depths = token_depths(found)
    signs = [n for n, t in enumerate(found) if t.type == "REL" and depths[n] == 0]
    operand = found[signs[-1] + 1 :] if signs else found
    line = display.origin.line
    if not operand:
        return Carried((), "", line, continued)
    span = node_span(operand[0], operand[-1], display.origin)
    shown = " ".join(masked[span[0] : span[1]].split()) if span else ""
    return Carried(tuple(operand), shown, operand[0].line or line, continued)


def _states_a_number(found: list[Token]) -> bool:
    """A chain of one equation whose right side is a number: a stated fact, not a step."""
    depths = token_depths(found)
    signs = [n for n, t in enumerate(found) if t.type == "REL" and depths[n] == 0]
    if len(signs) != 1 or str(found[signs[0]]) != "=":
        return False
    after = [t for t in found[signs[0] + 1 :] if t.type != "SPACE"]
    return len(after) == 1 and after[0].type == "NUMBER"
