"""Several statements in one chain of tokens: where one ends and the next, or its condition, begins.

Authors put more than one statement between the relation signs of one
display row:

- an equation and the condition it holds under, after a comma, a wide space
  or a quantifier: ``-a_i a_j, \\quad i \\neq j``, ``0 \\quad \\forall j \\neq c``,
  ``p_i p_j, \\quad \\text{for } j \\neq i``;
- two equations side by side: ``x + x = 2x, \\qquad u \\cdot u = u^2``,
  ``a = b; c = d``;
- an implication between two equations, ``a = b \\implies c = d`` (each
  equation is claimed; the implication itself is not);
- a mark before an equation, ``\\therefore`` or ``\\because``, which says why
  it follows and is kept as its justification.

:func:`statements` cuts a row's tokens at those places, outside brackets.  A
piece after a separator is a *condition* of the statement before it when it
is introduced as one (a quantifier, ``\\text{for}``/``\\text{if}``), when the
case reader reads it as a case, or when its relation is not an equality
(``x \\neq 0``, ``x > 0``: a restriction, never a claim); otherwise it is a
statement of its own, if the piece before it is an equation (the
condition of ``f(x), \\quad x = 2`` is no claim).  A bare ``i = j`` of two
letters is a condition, never a claim.  Whether the condition can be used is
the case reader's decision (:mod:`derivs.read.cases`): this module never reads one.
A separator with no relation after it is no separator (``x \\quad + y`` is
spacing), nor is one before a relation sign (``2x \\quad = x + x`` goes on),
and a row that words open is a sentence, never cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lark import Token

from derivs.model import Relation
from derivs.read.brackets import token_depths
from derivs.read.signs import checked
from derivs.read.tree import CASE_WORDS, is_words, text_content

PUNCTUATION = frozenset({",", ";"})
"""Punctuation between two statements: ``a = b, \\quad c = d``, ``a = b; c = d``."""
WIDE_SPACE = re.compile(r"\\q?quad(?![a-zA-Z])")
"""A wide space, the usual separator of two statements (the lexer drops it as spacing)."""
QUANTIFIERS = frozenset({"\\forall"})
QUANTIFIER_WORDS = frozenset({"for all", "for every", "for each", "for any"})
IMPLICATIONS = frozenset(
    {
        "\\implies",
        "\\impliedby",
        "\\iff",
        "\\Rightarrow",
        "\\Longrightarrow",
        "\\Leftarrow",
        "\\Longleftarrow",
        "\\Leftrightarrow",
        "\\Longleftrightarrow",
    }
)
MARKS = {"\\therefore": "therefore", "\\because": "because"}
"""Marks before an equation, with the words they stand for."""


class AmbiguousSpace(Exception):
    """A wide space after an expression, before a relation: two statements, or a product?"""

    def __init__(self, before: list[Token], after: list[Token]) -> None:
        super().__init__()
        self.before, self.after = before, after


@dataclass(frozen=True)
class Statement:
    """One statement of a row: its tokens, the condition written beside it, why it follows."""

    found: tuple[Token, ...]
    condition: tuple[Token, ...] = ()
    leading: str = ""
    problem: str = ""  # why the statement cannot be read as written


Gap = Callable[[Token, Token], str]
"""The text written between two tokens (spacing the lexer drops)."""


def statements(
    found: Sequence[Token], gap: Gap, reads_as_case: Callable[[list[Token]], bool]
) -> list[Statement]:
    """``found`` cut into its statements, each with its condition and justification."""
    made: list[Statement] = []
    for piece, implied in _implications(list(found)):
        piece, leading = _marks(piece)
        if implied:
            leading = " ".join(
                w for w in ("implied (the implication is not checked)", leading) if w
            )
        try:
            parts = _separated(piece, gap)
        except AmbiguousSpace as ambiguous:
            made.append(Statement(tuple(piece), problem=_ambiguous(ambiguous)))
            continue
        head, condition = parts[0], []
        for part in parts[1:]:
            if _is_condition(part, reads_as_case):
                condition += part
                continue
            made.append(Statement(tuple(head), tuple(condition), leading))
            head, condition, leading = part, [], ""
        made.append(Statement(tuple(head), tuple(condition), leading))
    return [s for s in made if s.found]


def _ambiguous(space: AmbiguousSpace) -> str:
    before = " ".join(str(t) for t in space.before)
    after = " ".join(str(t) for t in space.after)
    return (
        f"a wide space between {before!r} and {after!r}: is it a product, or an expression "
        "and a statement about it? Write \\cdot for a product, or a comma or words between them"
    )


def _implications(found: list[Token]) -> list[tuple[list[Token], bool]]:
    """``found`` cut at implication signs outside brackets; True for a piece after one.

    A mark (``\\therefore``) inside a row also starts a piece, which it opens.
    """
    depths = token_depths(found)
    pieces: list[tuple[list[Token], bool]] = [([], False)]
    for n, token in enumerate(found):
        outside = depths[n] == 0 and token.type == "CMD"
        if outside and token.value in IMPLICATIONS:
            pieces.append(([], True))
            continue
        if outside and token.value in MARKS and pieces[-1][0]:
            pieces.append(([], False))
        pieces[-1][0].append(token)
    return pieces


def _marks(piece: list[Token]) -> tuple[list[Token], str]:
    words: list[str] = []
    while piece and piece[0].type == "CMD" and piece[0].value in MARKS:
        words.append(MARKS[piece[0].value])
        piece = piece[1:]
    return piece, " ".join(words)


def _separated(piece: list[Token], gap: Gap) -> list[list[Token]]:
    """``piece`` cut where a comma, a wide space or a quantifier starts a part with a relation.

    A piece that words open is a sentence (``\\text{For } i = 1, \\ldots``): it is not cut.
    """
    depths = token_depths(piece)
    if not piece or is_words(piece[0]):
        return [piece]
    starts = [
        n
        for n in range(1, len(piece))
        if depths[n] == 0
        and (
            piece[n].value in PUNCTUATION
            or (piece[n].type == "CMD" and piece[n].value in QUANTIFIERS)
            or (
                piece[n - 1].value not in PUNCTUATION
                and WIDE_SPACE.search(gap(piece[n - 1], piece[n]))
            )
        )
    ]
    parts: list[list[Token]] = []
    last = 0
    for start in [*starts, len(piece)]:
        part = piece[last:start]
        if parts and not _opens_statement(_without_comma(part)):
            parts[-1] += part
        else:
            parts.append(part)
        last = start
    if len(parts) > 1 and not _has_relation(parts[0]):
        # no equation before: what follows is no claim of its own, nor, after a wide
        # space, a factor of the expression before (x^2 \quad x = 2)
        if parts[1][0].value not in PUNCTUATION:
            raise AmbiguousSpace(parts[0], parts[1])
        return [piece]
    return [parts[0], *(_without_comma(p) for p in parts[1:])]


def _without_comma(part: list[Token]) -> list[Token]:
    return part[1:] if part and part[0].value in PUNCTUATION else part


def _opens_statement(part: list[Token]) -> bool:
    """A part that holds a relation (not first), or opens with a quantifier or words of a case."""
    if not part or part[0].type == "REL":  # the chain goes on: a = b \quad = c
        return False
    return _introduced(part) or _has_relation(part)


def _introduced(part: list[Token]) -> bool:
    first = part[0]
    if first.type == "CMD" and first.value in QUANTIFIERS:
        return True
    if first.type == "TEXT":
        words = text_content(first).lower().split()
        return bool(words) and words[0] in CASE_WORDS
    return False


def _is_condition(part: list[Token], reads_as_case: Callable[[list[Token]], bool]) -> bool:
    """A part introduced as a condition, read as a case, a restriction, or ``i = j`` of letters."""
    if _introduced(part) or reads_as_case(part):
        return True
    depths = token_depths(part)
    signs = [t for n, t in enumerate(part) if t.type == "REL" and depths[n] == 0]
    if len(signs) == 1 and checked(signs[0].value) is not Relation.EQUAL:
        return True  # x \\neq 0, x > 0; an equality, a definition or \\equiv is a statement
    return [t.type for t in part] == ["LETTER", "REL", "LETTER"]


def _has_relation(tokens: list[Token]) -> bool:
    depths = token_depths(tokens)
    return any(t.type == "REL" and depths[n] == 0 for n, t in enumerate(tokens))
