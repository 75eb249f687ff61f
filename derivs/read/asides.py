"""Text beside the mathematics: the author's justification of a link.

Words an author writes beside a formula say why a link holds; they are kept
in the link's report while the mathematics alone is checked.  They are words
after a formula (``\\quad \\text{(quotient rule)}``, ``, [\\text{by } (3)]``),
an alignment column of words (``&& \\text{by symmetry}``), the label of an
``\\underbrace`` (whose body is the mathematics), the label over a sign
(``\\overset{\\text{(a)}}{=}``) and the connecting words that open a row
(``\\text{Hence } x + x = 2x``).  A justification belongs to the link whose
sign comes last before it, or is under it.  Words between two formulas
(``a = b \\text{ and } c = d``) cut the chain in two.  Prose where a formula
belongs (``L = \\text{cross entropy}``) is not beside the mathematics and
stays, for the link to be skipped as prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lark import Token

from derivs.read.brackets import closing, token_depths
from derivs.read.spans import origin_at
from derivs.read.tex import Origin, TexError, tokens
from derivs.read.tree import CASE_WORDS, is_words, names_a_function, text_content, text_key
from derivs.read.vocabulary import Vocabulary
from derivs.read.words import LEADING_WORDS, WORDS

BRACES = ("\\underbrace", "\\overbrace")
STACKED = ("\\overset", "\\stackrel", "\\underset")
ENDS_OPERAND = frozenset(
    {"LETTER", "NUMBER", "CMD", "PRIME", "ELLIPSIS", "END_MATRIX", "END_CASES"}
)
PUNCTUATION = frozenset({",", ";", ":"})
OPERATOR_NAMES = ("\\operatorname", "\\mathrm")


@dataclass(frozen=True)
class Asides:
    """A chain's display with what is not its mathematics blanked.

    ``said`` holds each justification: its offset in the display, its line
    and column, and its words.  ``cuts`` are the spans of words that join two
    formulas: the chain is read as two chains there.
    """

    plain: str
    said: tuple[tuple[int, tuple[int, int], str], ...] = ()
    cuts: tuple[tuple[int, int], ...] = ()

    def chains(self, spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
        """``spans`` cut at the words that join two formulas."""
        parts = [list(spans)]
        for start, end in sorted(self.cuts):
            last = parts[-1]
            k = next(n for n, (a, b) in enumerate(last) if a <= start < b)
            parts[-1] = [*last[:k], (last[k][0], start)]
            parts.append([(end, last[k][1]), *last[k + 1 :]])
        return parts

    def said_in(self, spans: list[tuple[int, int]]) -> list[tuple[tuple[int, int], str]]:
        return [
            (place, words)
            for offset, place, words in self.said
            if spans[0][0] <= offset < spans[-1][1]
        ]


def take_justifications(
    math: str, spans: list[tuple[int, int]], origin: Origin, vocabulary: Vocabulary
) -> Asides:
    """``math`` with the author's justifications blanked, and each one with its place.

    Text beside the mathematics is why the author says a link holds, not
    the mathematics: ``\\quad \\text{(quotient rule)}`` after a formula, an
    ``&& \\text{by symmetry}`` column, the label of ``\\underbrace{...}_{\\text{...}}``
    (whose body is read as the mathematics).  Each is kept, by its line and
    column, as the justification of its link.  Words between two formulas
    (``a = b \\text{ and } c = d``) cut the chain in two.  Prose where a formula
    belongs (``L = \\text{cross entropy}``), or that leads a row (a sentence in
    math, ``\\text{For } i = 1, \\ldots``), is not beside it, and stays.
    """
    out = list(math)
    said: list[tuple[int, tuple[int, int], str]] = []
    cuts: list[tuple[int, int]] = []
    for start, end in spans:
        row_origin = origin_at(math, start, origin)
        try:
            row = tokens(math[start:end], row_origin)
        except TexError:
            continue  # the chain's own reading reports what is wrong with it
        at = start - (row_origin.line - 1) - (row_origin.column - 1)  # token offsets -> math's
        for aside in _beside(row, vocabulary):
            blanked = (at + (row[aside.first].start_pos or 0), at + (row[aside.last].end_pos or 0))
            if aside.words is not None:
                first, last = (row[n] for n in aside.words)
                words = math[at + (first.start_pos or 0) : at + (last.end_pos or 0)]
                placed = row[aside.first if aside.place is None else aside.place]
                place = (placed.line or 0, placed.column or 0)
                said.append((blanked[0], place, _unwrapped(words)))
            if aside.joins:
                cuts.append(blanked)
            for n in range(*blanked):
                if out[n] != "\n":
                    out[n] = " "
    return Asides("".join(out), tuple(said), tuple(cuts))


@dataclass(frozen=True)
class _Aside:
    """Tokens ``first..last`` of a row that are not its mathematics.

    ``words`` (its first and last token) is what the author says there, or
    None (the ``\\underbrace`` command itself says nothing); ``joins`` marks
    words between two formulas.
    """

    first: int
    last: int
    words: tuple[int, int] | None = None
    joins: bool = False
    place: int | None = None  # the token whose position is the aside's (default: first)


def _beside(row: list[Token], vocabulary: Vocabulary) -> list[_Aside]:
    """The asides of a row: underbraces' commands and labels, justifications, joining words."""
    found: list[_Aside] = []
    for n, token in enumerate(row):
        if token.type == "CMD" and token.value in STACKED:
            found += _stacked(row, n)
        if token.type == "CMD" and token.value in BRACES and row[n + 1 : n + 2]:
            found.append(_Aside(n, n))
            close = closing(row, n + 1)
            if close is not None and close + 2 < len(row) and row[close + 1].value in "_^":
                label_end = closing(row, close + 2)
                if label_end is not None:
                    found.append(_Aside(close + 1, label_end, (close + 3, label_end - 1)))
    depths = token_depths(row)
    n = 0
    while n < len(row):
        aside = _aside_at(row, n, depths, vocabulary) if depths[n] == 0 else None
        if aside is not None:
            found.append(aside)
            n = aside.last
        n += 1
    return found


def _stacked(row: list[Token], n: int) -> list[_Aside]:
    """``\\overset{\\text{(a)}}{=}``: the sign stays, its label is the link's justification."""
    label_end = closing(row, n + 1) if n + 1 < len(row) else None
    if label_end is None or label_end <= n + 2 or label_end + 3 >= len(row):
        return []
    sign_end = closing(row, label_end + 1)
    if sign_end != label_end + 3 or row[label_end + 2].type != "REL":
        return []
    # placed at the sign, so that the label goes to the sign's link
    label = _Aside(n, label_end + 1, (n + 2, label_end - 1), place=label_end + 2)
    return [label, _Aside(sign_end, sign_end)]


def _aside_at(row: list[Token], n: int, depths: list[int], vocabulary: Vocabulary) -> _Aside | None:
    """The justification or joining words that ``row[n]`` opens, if it opens any.

    A justification is an alignment column after the equation's own that
    holds prose and does not go on with a relation (``&& \\text{by symmetry}``),
    or prose after a formula, alone or opening brackets (``\\quad
    \\text{(quotient rule)}``, ``, [\\text{by } (3)]``), at the end or before the
    chain's next sign.  Such prose with a formula and a relation after it joins
    two formulas (``a = b \\text{ and } c = d``), unless words lead the row:
    then the row is a sentence.
    """
    token, rest, end = row[n], row[n:], len(row) - 1
    if token.type == "AMP":
        earlier = any(t.type == "AMP" and depths[m] == 0 for m, t in enumerate(row[:n]))
        after = next((t for t in rest if t.type != "AMP"), None)
        column = earlier and after is not None and after.type != "REL"
        if column and (
            any(_is_prose(t, vocabulary) for t in rest) or _is_note_column(row, n, depths)
        ):
            return _Aside(n, end, (n, end))
        return None
    if _applied_name(row, n):
        return None
    close = closing(row, n) if token.value in {"(", "["} else n
    inside = row[n + 1 : close] if close is not None and close > n else [token]
    if not inside or not _is_prose(inside[0], vocabulary):
        return None
    start = n
    while start > 0 and row[start - 1].value in PUNCTUATION:
        start -= 1
    previous = row[start - 1] if start > 0 else None
    if previous is None or not (
        previous.type in ENDS_OPERAND or previous.value in {")", "]", "}", "\\}"}
    ):
        return None
    if not any(t.type == "REL" and depths[m] == 0 for m, t in enumerate(row) if m > n):
        return _Aside(start, end, (start, end))
    if is_words(row[0]) or close is None:
        return None
    if close + 1 < len(row) and row[close + 1].type == "REL":  # a = b \text{(why)} = c
        return _Aside(start, close, (start, close))
    return _Aside(start, close, joins=True)


def _is_note_column(row: list[Token], n: int, depths: list[int]) -> bool:
    """A last column after a whole equation: a note on it (``&& (K \\times 1)``), no side of it.

    The row has a relation before the column, an operand after that relation
    (so the column does not hold the right-hand side, as in ``x & = & 2x``),
    and no relation from the column on.
    """
    signs = [m for m, t in enumerate(row[:n]) if t.type == "REL" and depths[m] == 0]
    if not signs or not any(t.type != "AMP" for t in row[signs[-1] + 1 : n]):
        return False
    return not any(t.type == "REL" and depths[m] == 0 for m, t in enumerate(row) if m > n)


def _applied_name(row: list[Token], n: int) -> bool:
    """``\\text{softplus}(x)``: one word before parentheses is a function applied, not words."""
    token = row[n]
    before_parens = n + 1 < len(row) and row[n + 1].value == "("
    return token.type == "TEXT" and before_parens and names_a_function(text_content(token))


def _is_prose(token: Token, vocabulary: Vocabulary) -> bool:
    """Words that name nothing declared; words led by ``if``, ``when``... state a case.

    An operator's name (``\\operatorname{LSE}``, ``\\mathrm{Cost}``: one word in
    an operator's or roman letters) is mathematics, declared or not, never words.
    """
    if token.type != "TEXT" or vocabulary.lookup(text_key(token)) is not None:
        return False
    if str(token.value).startswith(OPERATOR_NAMES) and names_a_function(text_content(token)):
        return False
    words = text_content(token).lower().split()
    return bool(words) and words[0] not in CASE_WORDS


def _unwrapped(said: str) -> str:
    """What a justification says: ``\\text{by } (3)`` is ``by (3)``; marks and spaces dropped."""
    text = re.sub(r"\\[a-zA-Z]+\s*\{([^{}]*)\}", r"\1", said).replace("&", " ")
    return " ".join(text.split()).strip(" ,;:")


def lift_leading_words(found: list[Token]) -> tuple[list[Token], str]:
    """Empty ``\\text{}`` dropped, and the connecting words that open a row lifted off it.

    ``\\text{Hence } x + x = 3x`` is the claim ``x + x = 3x`` with the
    justification "Hence": words that only connect never make a row prose.
    """
    kept = [t for t in found if not (t.type == "TEXT" and not text_content(t))]
    lifted: list[str] = []
    while kept and kept[0].type == "TEXT":
        words = WORDS.findall(text_content(kept[0]).lower())
        if not words or not all(w in LEADING_WORDS for w in words):
            break
        lifted.append(text_content(kept.pop(0)))
    return kept, " ".join(lifted)
