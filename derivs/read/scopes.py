"""Scopes of an inferred notation: a heading after which a letter changes meaning.

One write-up may use ``z`` for a scalar in its sigmoid section and for a
vector of logits in its softmax section.  When a document declares no
notation, its headings (Markdown ``#``, LaTeX ``\\section``) split it into
sections, and a section where a name (a letter or a Greek letter, perhaps
decorated: ``z``, ``\\hat{y}``) is
written with index subscripts while the sections before it write it only
alone, or the other way round, starts a new *scope*: from there on the name
means what that scope's mathematics makes of it.  Inside the inferred
notation a name redeclared by a later scope is held under an *alias*
(``z`` of the second scope is ``\\check{z}``), so that one context holds
both; each scope is read with its own names (:class:`Scope`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lark import Token

from derivs.read.scan import Display
from derivs.read.tex import TexError, tokens
from derivs.read.uses import Uses, uses_of

#: A Markdown heading line, and a LaTeX sectioning command.
HEADING = {
    "markdown": re.compile(r"^ {0,3}#{1,6}\s"),
    "latex": re.compile(r"^\s*\\(?:sub)*section\*?\s*\{"),
}
#: A name a scope may redeclare: a letter or a Greek letter, with at most one decoration.
PLAIN = re.compile(r"\\?[A-Za-z]+|\\[a-z]+\{\\?[A-Za-z]+\}")
#: The decorations that hold the names of later scopes, one per scope.
ALIASES = ("\\check", "\\ddot", "\\dot")


@dataclass(frozen=True)
class Scope:
    """The displays of one scope and its redeclared names (``{"z": "\\\\check{z}"}``)."""

    displays: tuple[Display, ...]
    renamed: dict[str, str] = field(default_factory=dict)
    line: int = 0


def headings(text: str, kind: str) -> list[int]:
    """The lines of the headings of a document (outside fenced code)."""
    pattern = HEADING.get(kind)
    if pattern is None:
        return []
    found, fenced = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and pattern.match(line):
            found.append(number)
    return found


def scopes(displays: Sequence[Display], heading_lines: Sequence[int]) -> list[Scope]:
    """The scopes of ``displays``: sections joined while no plain name changes meaning."""
    sections: list[list[Display]] = [[]]
    marks = list(heading_lines)
    for display in displays:
        while marks and marks[0] <= display.origin.line:
            marks.pop(0)
            if sections[-1]:
                sections.append([])
        sections[-1].append(display)
    found: list[Scope] = []
    current: list[Display] = []
    renamed: dict[str, str] = {}
    line = 0
    for section in sections:
        changed = _changed(uses_of(current), uses_of(section)) if current else set()
        if changed and len(found) < len(ALIASES):
            found.append(Scope(tuple(current), renamed, line))
            alias = ALIASES[len(found) - 1]
            renamed = {**renamed, **{name: f"{alias}{{{name}}}" for name in sorted(changed)}}
            current, line = list(section), section[0].origin.line
        else:
            current += section
    found.append(Scope(tuple(current), renamed, line))
    return found


def _changed(before: Uses, after: Uses) -> set[str]:
    """Plain names one side writes with subscripts and the other only alone.

    A name written whole as a vector is (``\\theta^\\top x``, the parameter of
    ``h_\\theta``) is not alone: it is the vector whose entries the other side writes.
    """

    def alone(uses: Uses) -> set[str]:
        # ``\\hat{y}(1 - \\hat{y})`` is written before parentheses and alone: no entries either
        return set(uses.bare) - set(uses.entries) - uses.whole

    changed = (set(before.entries) & alone(after)) | (alone(before) & set(after.entries))
    return {name for name in changed if PLAIN.fullmatch(name)}


def renamed_text(text: str, renamed: dict[str, str]) -> str:
    """``text`` with each name of ``renamed`` (``z``, ``\\hat{y}``) written as its alias."""
    if not renamed:
        return text
    try:
        found = tokens(text)
    except TexError:
        return text
    pieces, last, n = [], 0, 0
    while n < len(found):
        key, width = _name_at(found, n)
        start, end = found[n].start_pos, found[n + width - 1].end_pos
        if key in renamed and start is not None and end is not None and start >= last:
            pieces += [text[last:start], renamed[key]]
            last = end
        n += width
    return "".join(pieces) + text[last:]


def _name_at(found: list[Token], n: int) -> tuple[str, int]:
    """The name that starts at token ``n`` (``\\hat{y}``, ``\\hat y``, ``z``) and its tokens."""
    token = found[n]
    if token.type == "DECOR":
        rest = [str(t) for t in found[n + 1 : n + 4]]
        if len(rest) == 3 and rest[0] == "{" and rest[2] == "}":
            return f"{token}{{{rest[1]}}}", 4
        if rest:
            return f"{token}{{{rest[0]}}}", 2
    return str(token), 1
