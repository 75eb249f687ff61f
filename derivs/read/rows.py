"""From a display to chains: its rows, cut at ``\\\\`` and grouped at relation signs.

A display holds one or more *chains* ``a = b = c``; each relation sign of a
chain is a link between the operands on either side.  The markup that is no
mathematics (the environment wrappers, ``\\tag``, ``\\label``, ``%``
comments, the space of a row break ``\\\\[1em]``) is blanked first
(:func:`blank_markup`).  The display is then cut into *rows* at the
``\\\\`` line breaks outside braces and environments (:func:`split_rows`);
a row that starts with a relation sign continues the chain above it, any
other row starts a new chain (:func:`chains_of`).  A chain is read from its
rows with everything else, and its top-level ``&``
alignment marks, blanked (:func:`mask`).  A display that ends a sentence
ends with its punctuation (``x + x = 2x.``): a full stop, comma or semicolon
after a chain's last operand is the sentence's, not the formula's, and is
blanked (:func:`blank_sentence_end`), as is one that ends a cell of a row
(:func:`blank_cell_punctuation`); one inside the chain stays, for the
parser to refuse (``\\sigma(s).(1 - \\sigma(s))`` is no sentence end).  Blanking
never deletes: every character keeps its line and column, so positions stay
the document's.
"""

from __future__ import annotations

import re

from derivs.read.brackets import matching_brace, text_depths
from derivs.read.scan import end_of_line
from derivs.read.signs import CONTINUES

WRAPPERS = (
    "equation",
    "align",
    "split",
    "gather",
    "gathered",
    "aligned",
    "multline",
    "alignat",
    "alignedat",
    "eqnarray",
    "displaymath",
)
DROPPED_COMMANDS = ("\\tag", "\\tag*", "\\label")
DROPPED_WORDS = ("\\nonumber", "\\notag")
ROW_SPACING = re.compile(r"\\\\\s*(\[\s*-?[0-9]*\.?[0-9]+\s*(?:em|ex|pt|mm|cm|in|mu|bp|pc)\s*\])")
"""The extra space of a row break, ``\\\\[1em]``: a length, never mathematics."""


def blank_markup(math: str) -> str:
    """The display with wrappers, tags, labels and comments replaced by spaces.

    Replacing by spaces (never deleting) keeps every character at its
    column, so that the parser's positions are the document's.
    """
    out = list(math)

    def blank(start: int, end: int) -> None:
        for n in range(start, end):
            if out[n] != "\n":
                out[n] = " "

    for spaced in ROW_SPACING.finditer(math):
        blank(spaced.start(1), spaced.end(1))
    n = 0
    while n < len(math):
        if math[n] == "%" and (n == 0 or math[n - 1] != "\\"):
            end = end_of_line(math, n)
            blank(n, end)
            n = end
            continue
        for word in DROPPED_WORDS:
            if math.startswith(word, n):
                blank(n, n + len(word))
        for command in DROPPED_COMMANDS:
            if math.startswith(command + "{", n) or math.startswith(command + " {", n):
                close = matching_brace(math, math.index("{", n))
                blank(n, close + 1)
        for prefix in ("\\begin{", "\\end{"):
            if math.startswith(prefix, n):
                close = math.find("}", n)
                name = math[n + len(prefix) : close].rstrip("*")
                if name in WRAPPERS:
                    blank(n, close + 1)
                    if prefix == "\\begin{" and name in {"alignat", "alignedat"}:
                        argument_end = matching_brace(math, math.find("{", close + 1))
                        blank(close + 1, argument_end + 1)
        n += 1
    return "".join(out)


def split_rows(math: str) -> list[tuple[int, int]]:
    """Spans of the display's lines: split at ``\\\\`` outside braces and environments."""
    depths = text_depths(math)
    rows: list[tuple[int, int]] = []
    start = 0
    n = 0
    while n < len(math):
        if math.startswith("\\\\", n):
            if depths[n] == 0:
                rows.append((start, n))
                start = n + 2
            n += 2
            continue
        n += 1
    rows.append((start, len(math)))
    return [(a, b) for a, b in rows if math[a:b].strip()]


def chains_of(math: str) -> list[list[tuple[int, int]]]:
    """Rows grouped into chains: a row starting with a relation continues the chain above."""
    chains: list[list[tuple[int, int]]] = []
    for start, end in split_rows(math):
        row = math[start:end].replace("&", " ").lstrip()
        if chains and row.startswith(CONTINUES):
            chains[-1].append((start, end))
        else:
            chains.append([(start, end)])
    return chains


SENTENCE_PUNCTUATION = frozenset(".,;")
NOT_A_FULL_STOP = ("\\left", "\\right", "\\bigr", "\\Bigr", "\\biggr", "\\Biggr", ".", "\\")
"""What a ``.`` closes when it is no full stop: ``\\right.``, ``...``, ``\\.``."""


def blank_sentence_end(math: str, chain: list[tuple[int, int]]) -> str:
    """``math`` with the punctuation that ends the sentence after ``chain`` blanked.

    The last character of the chain's last row is the sentence's when it is
    ``.``, ``,`` or ``;`` and closes no delimiter (``\\right.``), no ellipsis
    (``...``) and no space (``\\,``).
    """
    start, end = chain[-1]
    at = start + len(math[start:end].rstrip()) - 1
    if at < start or not _ends_a_sentence(math, at):
        return math
    return math[:at] + " " + math[at + 1 :]


CELL_ENDS = re.compile(r"\s*(&|\\\\|\\end\s*\{)")
"""What ends a cell of a row: the next column, the next row, the environment's end."""


def blank_cell_punctuation(math: str) -> str:
    """``math`` with the punctuation that ends a cell blanked: ``-a_i a_j, & i \\neq j. \\\\``.

    Before a column mark, a row break or an environment's end, punctuation
    can only be the sentence's: no formula ends with an operator.
    """
    out = list(math)
    for n in range(len(math)):
        if CELL_ENDS.match(math, n + 1) and _ends_a_sentence(math, n):
            out[n] = " "
    return "".join(out)


def _ends_a_sentence(math: str, at: int) -> bool:
    if math[at] not in SENTENCE_PUNCTUATION or (at > 0 and math[at - 1] == "\\"):
        return False
    before = math[max(0, at - 32) : at].rstrip()  # enough to see what a "." closes
    return math[at] != "." or (bool(before) and not before.endswith(NOT_A_FULL_STOP))


def mask(math: str, spans: list[tuple[int, int]]) -> str:
    """Only ``spans`` of ``math`` kept, with top-level ``&`` blanked; newlines stay."""
    keep = [False] * len(math)
    for start, end in spans:
        for n in range(start, end):
            keep[n] = True
    depths = text_depths(math)
    out = []
    for n, char in enumerate(math):
        if not keep[n]:
            out.append("\n" if char == "\n" else " ")
        elif char == "&" and depths[n] == 0 and (n == 0 or math[n - 1] != "\\"):
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)
