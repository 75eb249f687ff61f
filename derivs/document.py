"""Reading a derivation as its author wrote it: display math in Markdown, LaTeX or text.

A *document* is a Markdown note, a LaTeX file or any text with math in it.
Its derivations are its *display math*: ``$$...$$``, ``\\[...\\]`` and the
``equation``, ``align``, ``split``, ``gather``, ``multline`` environments
(starred or not; ``\\tag``, ``\\label`` ignored).  Each display is split
into *chains* at ``\\\\`` line breaks (a line that starts with a relation
continues the chain above it; any other line starts a new one), ``&``
alignment marks are dropped, and each relation sign of a chain is a link,
reported at the line where the sign is written.  ``=`` and ``\\equiv`` claim
an equality; ``\\leq``, ``<``, ``\\geq``, ``>`` and ``\\neq`` an order or a
difference, checked as such (:mod:`derivs.inequalities`); ``\\approx``,
``\\propto``, ``\\in`` and the arrows claim nothing derivs checks, and such a
link is skipped with that reason (:data:`derivs.translate.UNCHECKED_RELATIONS`).

What the symbols mean is declared once, in TOML (see
:mod:`derivs.read.notation`): in a fenced ``derivs`` block of a Markdown
file, in a block of ``%`` lines after a ``% derivs`` line in a LaTeX file, or
in a side file.  The notation may also list the document's known errata by
line (``[errata]``: ``"45 entry (n, 2)" = "its minus sign is lost"`` for a cell
of a written matrix, ``"139 #1"`` for the first link written on line 139, a
bare line number for each link of that line): such a link is expected to be
refuted.

Text beside the mathematics is the author's *justification* of a link, kept
in its report while the mathematics is checked: words after a formula
(``\\quad \\text{(quotient rule)}``, ``, [\\text{by } (3)]``), an alignment column
of words (``&& \\text{by symmetry}``), the label of an ``\\underbrace`` (whose
body is the mathematics) and the label over a sign
(``\\overset{\\text{(a)}}{=}``).  A justification belongs to the link whose
sign comes last before it, or is under it.  Words between two formulas
(``a = b \\text{ and } c = d``) make two chains.  Only a link whose
mathematics is itself prose
(``L = \\text{cross entropy}(a, y)``, a row led by words such as ``\\text{For }
i = 1, \\ldots, K``) or holds an ellipsis is *skipped*.

A link holds in a *case* when the author says so:

- a row of a ``cases`` environment (``\\text{if } i = j``, ``i \\neq j``,
  ``\\text{otherwise}``);
- beside the equation: ``\\text{if } i = j`` or ``(i \\neq j)`` after it;
- a comment before the display: ``% derivs: case i = j`` (LaTeX) or
  ``<!-- derivs: case i = j -->`` (Markdown);
- in the *leading sentence*, the last sentence of prose before the display:
  an inline relation between declared indices (or dimensions) that opens the
  sentence or one of its clauses, alone or after a word that introduces a
  case (``When $i = j$,``, ``if $i \\neq j$:``, ``For $i = j$ we get``,
  ``Same: $i = j$``).  A relation said of another symbol (``$\\delta_{ij}$
  is 1 when $i = j$``), one that comes with an alternative (``... and 0
  otherwise``), a sentence that states several cases, and a relation in an
  earlier sentence are not cases of the display: its links are checked
  without a case, and the report names the sentence considered and why it
  was not used.  A case read from the leading sentence also holds for the
  next display when only a connector stands between them (``So that:``,
  ``Hence,``), if that display's chain mentions one of the case's indices.

A case holds for every link of the chain it is stated for, whether or not a
link's written sides mention its indices (the class ``c`` of a one-hot
target may sit inside a defined loss).  A case that cannot hold for the
declared ranges (``i = K + 1``) is an error, never a vacuous proof.  A case
the reader cannot make out is reported as such; that link is checked
without it.  Nothing in a document is evaluated: it is scanned, tokenised
and parsed.
"""

from __future__ import annotations

import bisect
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from lark import Token, Tree
from sympy import Basic, Symbol
from sympy.core.relational import Relational

from derivs.errors import DerivsError, DerivsWarning
from derivs.model import (
    Derivation,
    Erratum,
    Justification,
    Link,
    Relation,
    SourceLocation,
    Step,
)
from derivs.read.names import abbreviate
from derivs.read.notation import read_notation
from derivs.read.vocabulary import Vocabulary
from derivs.shapes import Array, Claim, Written, claims, mentioned
from derivs.tex import Origin, TexError, parse, room_to_read, shift, tokens
from derivs.translate import (
    CASE_WORDS,
    OTHERWISE_WORDS,
    UNCHECKED_RELATIONS,
    Skip,
    Translator,
    ellipsis_in,
    prose_in,
    text_content,
    text_key,
    where,
    written,
)

DISPLAY_ENVIRONMENTS = (
    "equation",
    "align",
    "alignat",
    "flalign",
    "gather",
    "multline",
    "eqnarray",
    "displaymath",
    "dmath",
)
#: Display environments whose ``\\begin`` takes an argument that is no mathematics.
ARGUMENT_ENVIRONMENTS = ("alignat",)
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
DROPPED_COMMANDS = ("\\tag", "\\label")
DROPPED_WORDS = ("\\nonumber", "\\notag")
#: The signs (as the translator normalises them) of links that are checked.
CHECKED_SIGNS = frozenset(relation.value for relation in Relation)
CONTINUES = (
    *("=", "\\neq", "\\ne ", "\\approx", "\\le", "\\ge", "<", ">", "\\equiv", "\\propto"),
    *("\\overset", "\\stackrel", "\\underset"),  # a sign with its justification above it
)

MARKDOWN = frozenset({".md", ".markdown", ".mdown", ".mkd"})
LATEX = frozenset({".tex", ".latex", ".ltx"})


def document_kind(path: str) -> str:
    extension = os.path.splitext(path)[1].lower()
    if extension in MARKDOWN:
        return "markdown"
    if extension in LATEX:
        return "latex"
    return "text"


# -- scanning --------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """A sentence of prose: its words and inline math in order, each with its line.

    A part is ``("prose", text, line)`` or ``("math", content, line)``.
    """

    parts: tuple[tuple[str, str, int], ...]

    @property
    def line(self) -> int:
        return self.parts[0][2]

    def written(self) -> str:
        """The sentence as written, on one line and at most 80 characters."""
        text = "".join(t if kind == "prose" else f"${t}$" for kind, t, _ in self.parts)
        text = " ".join(text.split())
        return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class Display:
    """One display: its math, where it starts, and the prose that leads into it.

    ``lead`` is the last sentence before the display (since the previous
    display or heading); ``carried`` is the connector (``So that:``) when that
    sentence is the one that led into the previous display instead.
    ``inline`` is every inline math of the prose before the display.
    """

    math: str
    origin: Origin
    lead: Sentence | None = None
    carried: str = ""
    inline: tuple[tuple[str, int], ...] = ()
    directive: tuple[str, int] | None = None


@dataclass
class Scan:
    """A document's displays and its declared notation (TOML text and line)."""

    displays: list[Display] = field(default_factory=list)
    notation: tuple[str, int] | None = None


#: Where the scanner may have something to do; it jumps over everything else.
_MARKUP = re.compile(r"[\\$<%\n]")
#: The longest environment name looked for after ``\begin{``.
_NAME_LENGTH = 40
_COMMENT_LINE = re.compile(r"[ \t]*%")


class _Scanner:
    """One pass over a document, finding displays, inline math, comments and headings.

    The pass is linear in the length of the document, whatever the document:
    it never searches the same text twice for a closer (see :meth:`next`),
    and positions come from a table of line starts.
    """

    def __init__(self, text: str, kind: str) -> None:
        self.text = text
        self.kind = kind
        self.scan = Scan()
        self.inlines: list[tuple[int, int, str]] = []
        self.previous_lead: Sentence | None = None
        self.directive: tuple[str, int] | None = None
        self.position = 0
        self.prose_start = 0
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.found: dict[str, int] = {}

    def new_section(self) -> None:
        """A heading or a block: the prose before it leads into nothing after it."""
        self.inlines, self.previous_lead = [], None
        self.prose_start = self.position

    def line_column(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def next(self, needle: str, start: int) -> int:
        """Where ``needle`` next occurs at or after ``start`` (the length of the text if not).

        An answer serves every later ``start`` up to it, so the text between two
        occurrences is searched once, however many openers (a hundred thousand
        unclosed ``\\(``) ask for the closer.
        """
        known = self.found.get(needle, -1)
        if known < start:
            known = self.text.find(needle, start)
            known = len(self.text) if known < 0 else known
            self.found[needle] = known
        return known

    def at_line_start(self) -> bool:
        return self.position == 0 or self.text[self.position - 1] == "\n"

    def run(self) -> Scan:
        text = self.text
        while self.position < len(text):
            if self.at_line_start() and self.line_event():
                continue
            char = text[self.position]
            if char == "\\" and text.startswith("\\$", self.position):
                self.position += 2
            elif text.startswith("$$", self.position):
                self.display(self.position + 2, "$$")
            elif char == "$":
                self.inline(self.position + 1, "$")
            elif text.startswith("\\[", self.position):
                self.display(self.position + 2, "\\]")
            elif text.startswith("\\(", self.position):
                self.inline(self.position + 2, "\\)")
            elif text.startswith("\\begin{", self.position) and self.environment():
                continue
            elif text.startswith("<!--", self.position):
                self.html_comment()
            elif char == "%" and self.kind == "latex":
                self.percent_comment()
            elif char == "\n":
                self.position += 1
            else:
                following = _MARKUP.search(text, self.position + 1)
                self.position = following.start() if following else len(text)
        return self.scan

    def line_event(self) -> bool:
        """Fenced code, headings and the notation block, which start at a line."""
        text = self.text
        line_end = _line_end(text, self.position)
        line = text[self.position : line_end].strip()
        if self.kind != "latex" and line.startswith("```"):
            self.fence(line)
            self.new_section()
            return True
        if self.kind == "markdown" and line.startswith("#"):
            self.position = line_end
            self.new_section()
            return True
        if self.kind == "latex" and line.startswith(("\\section", "\\subsection")):
            self.new_section()
        if self.kind == "latex" and line.lower() in {"% derivs", "%% derivs"}:
            self.latex_notation(line_end)
            self.new_section()
            return True
        return False

    def fence(self, opening: str) -> None:
        start_line = self.line_column(self.position)[0]
        body_start = _line_end(self.text, self.position) + 1
        close = self.text.find("\n```", body_start - 1)
        end = len(self.text) if close < 0 else close + 1
        language = opening[3:].strip().lower()
        if language == "derivs":
            self.set_notation(self.text[body_start:end], start_line + 1)
        elif language == "math":  # GitHub's fenced display math
            self.add_display(body_start, max(body_start, end - 1))
        self.position = len(self.text) if close < 0 else _line_end(self.text, close + 1)

    def latex_notation(self, line_end: int) -> None:
        start_line = self.line_column(self.position)[0]
        lines = []
        position = line_end + 1
        while position < len(self.text) and _COMMENT_LINE.match(self.text, position):
            end = _line_end(self.text, position)
            content = self.text[position:end].lstrip(" \t")[1:]
            lines.append(content[1:] if content.startswith(" ") else content)
            position = end + 1
        self.set_notation("\n".join(lines), start_line + 1)
        self.position = position

    def set_notation(self, text: str, line: int) -> None:
        if self.scan.notation is not None:
            raise DerivsError(
                f"line {line}: a second notation block "
                f"(the first is at line {self.scan.notation[1]})"
            )
        self.scan.notation = (text, line)

    def display(self, start: int, closer: str) -> None:
        end = self.text.find(closer, start)
        if end < 0:
            line, column = self.line_column(start)
            raise TexError(f"display math opened here is never closed with {closer}", line, column)
        self.add_display(start, end)
        self.position = end + len(closer)
        self.prose_start = self.position

    def environment(self) -> bool:
        text = self.text
        name_start = self.position + len("\\begin{")
        name_end = text.find("}", name_start, name_start + _NAME_LENGTH)
        if name_end < 0:
            return False
        name = text[name_start:name_end]
        if name.rstrip("*") not in DISPLAY_ENVIRONMENTS:
            return False
        body = name_end + 1
        if name.rstrip("*") in ARGUMENT_ENVIRONMENTS and text.startswith("{", body):
            argument_end = text.find("}", body, body + _NAME_LENGTH)
            body = body if argument_end < 0 else argument_end + 1  # alignat{2}: columns
        closer = f"\\end{{{name}}}"
        end = text.find(closer, name_end)
        if end < 0:
            line, column = self.line_column(self.position)
            raise TexError(f"\\begin{{{name}}} is never closed", line, column)
        self.add_display(body, end)
        self.position = end + len(closer)
        self.prose_start = self.position
        return True

    def add_display(self, start: int, end: int) -> None:
        line, column = self.line_column(start)
        opener = self.position  # where $$, \\[ or \\begin starts: the prose ends there
        sentences = self.sentences(self.prose_start, opener)
        lead = sentences[-1] if sentences else None
        carried = ""
        if len(sentences) == 1 and _is_connector(sentences[0]):
            lead, carried = self.previous_lead, sentences[0].written()
        inline = tuple((content, self.line_column(s)[0]) for s, _, content in self.inlines)
        self.scan.displays.append(
            Display(
                self.text[start:end], Origin(line, column), lead, carried, inline, self.directive
            )
        )
        self.previous_lead, self.inlines, self.directive = lead, [], None

    def sentences(self, start: int, end: int) -> list[Sentence]:
        """The sentences of the prose between ``start`` and ``end`` that have words or math.

        Inline math is kept whole (a full stop inside it ends nothing); images,
        comments and list markers are not words; a sentence ends at ``.``,
        ``!``, ``?`` (and their full-width forms), a blank line, a list item
        or ``\\item``.
        """
        masked = list(self.text[start:end])
        maths = {s - start: (e - start, content) for s, e, content in self.inlines if s >= start}
        for s, (e, _) in maths.items():
            masked[s:e] = ["\0"] * (e - s)
        text = _NOT_WORDS.sub(lambda m: _blanked(m.group()), "".join(masked))
        if self.kind == "latex":
            text = _LATEX_COMMENT.sub(lambda m: _blanked(m.group()), text)
        found: list[Sentence] = []
        cut = 0
        for boundary in [*(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]:
            parts: list[tuple[str, str, int]] = []
            n = cut
            while n < boundary:
                if n in maths:
                    after, content = maths[n]
                    parts.append(("math", content, self.line_column(start + n)[0]))
                    n = after
                    continue
                stop = min([boundary, *(m for m in maths if n < m < boundary)])
                prose = text[n:stop].replace("\0", " ")
                if prose.strip():
                    parts.append(("prose", prose, self.line_column(start + n)[0]))
                n = stop
            if any(kind == "math" or _WORD.search(t) for kind, t, _ in parts):
                found.append(Sentence(tuple(parts)))
            cut = boundary
        return found

    def inline(self, start: int, closer: str) -> None:
        end = self.next(closer, start)
        if end == len(self.text) or self.next("\n\n", start) < end:
            self.position = start
            return
        opener = start - (len(closer) if closer != "$" else 1)
        self.inlines.append((opener, end + len(closer), self.text[start:end].strip()))
        self.position = end + len(closer)

    def html_comment(self) -> None:
        end = self.text.find("-->", self.position)
        end = len(self.text) if end < 0 else end
        self.comment(self.text[self.position + 4 : end])
        self.position = end + 3

    def percent_comment(self) -> None:
        if self.position > 0 and self.text[self.position - 1] == "\\":
            self.position += 1
            return
        end = _line_end(self.text, self.position)
        self.comment(self.text[self.position + 1 : end])
        self.position = end

    def comment(self, body: str) -> None:
        stripped = body.strip()
        if stripped.lower().startswith("derivs:"):
            directive = stripped[len("derivs:") :].strip()
            self.directive = (directive, self.line_column(self.position)[0])


CONNECTORS = ("so", "then", "thus", "hence", "therefore")


def _is_connector(sentence: Sentence) -> bool:
    """A short line of words that continues the case above it: ``So that:``, ``Hence,``."""
    if any(kind == "math" for kind, _, _ in sentence.parts):
        return False
    text = sentence.written()
    words = text.lower().split()
    return (
        _doubt(text) is None
        and 0 < len(text) <= 40
        and text.endswith((":", ","))
        and bool(words)
        and words[0].strip(",:") in CONNECTORS
    )


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


_SENTENCE_END = re.compile(
    r"[.!?](?=\s|$)|[。！？]|\n[ \t]*\n|\n(?=[ \t]*(?:[-*+]|\d+[.)])[ \t])|\\(?:item|par)\b"
)
_NOT_WORDS = re.compile(
    r"!\[[^\]\n]*\]\([^)\n]*\)|<!--.*?-->|^[ \t]*(?:[-*+]|\d+[.)])[ \t]", re.S | re.M
)
_LATEX_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
_WORD = re.compile(r"[^\W\d_]")


def _blanked(text: str) -> str:
    """Spaces for ``text``, newlines kept, so that offsets and lines stay."""
    return "".join("\n" if char == "\n" else " " for char in text)


def scan_document(text: str, kind: str) -> Scan:
    """Displays and notation of a document's ``text`` (``kind``: markdown, latex or text)."""
    return _Scanner(text, kind).run()


# -- from a display to chains ---------------------------------------------------------


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

    n = 0
    while n < len(math):
        if math[n] == "%" and (n == 0 or math[n - 1] != "\\"):
            end = _line_end(math, n)
            blank(n, end)
            n = end
            continue
        for word in DROPPED_WORDS:
            if math.startswith(word, n):
                blank(n, n + len(word))
        for command in DROPPED_COMMANDS:
            if math.startswith(command + "{", n) or math.startswith(command + " {", n):
                close = _matching_brace(math, math.index("{", n))
                blank(n, close + 1)
        for prefix in ("\\begin{", "\\end{"):
            if math.startswith(prefix, n):
                close = math.find("}", n)
                name = math[n + len(prefix) : close].rstrip("*")
                if name in WRAPPERS:
                    blank(n, close + 1)
                    if prefix == "\\begin{" and name in {"alignat", "alignedat"}:
                        argument_end = _matching_brace(math, math.find("{", close + 1))
                        blank(close + 1, argument_end + 1)
        n += 1
    return "".join(out)


def _matching_brace(text: str, opening: int) -> int:
    depth = 0
    for n in range(opening, len(text)):
        if text[n] == "{" and text[n - 1] != "\\":
            depth += 1
        elif text[n] == "}" and text[n - 1] != "\\":
            depth -= 1
            if depth == 0:
                return n
    return len(text) - 1


def _depths(math: str) -> list[int]:
    """The nesting depth (braces and environments) at each character of a display.

    ``\\\\``, ``\\{`` and ``\\}`` are read as pairs, so the ``\\end`` of
    ``x\\\\end`` is not taken for an ``\\end``.
    """
    depths: list[int] = []
    depth = 0
    n = 0
    while n < len(math):
        if math.startswith(("\\\\", "\\{", "\\}"), n):
            depths += [depth, depth]
            n += 2
            continue
        if math.startswith("\\begin", n) or math[n] == "{":
            depth += 1
        elif math.startswith("\\end", n) or math[n] == "}":
            depth -= 1
        depths.append(depth)
        n += 1
    return depths


def split_rows(math: str) -> list[tuple[int, int]]:
    """Spans of the display's lines: split at ``\\\\`` outside braces and environments."""
    depths = _depths(math)
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


def mask(math: str, spans: list[tuple[int, int]]) -> str:
    """Only ``spans`` of ``math`` kept, with top-level ``&`` blanked; newlines stay."""
    keep = [False] * len(math)
    for start, end in spans:
        for n in range(start, end):
            keep[n] = True
    depths = _depths(math)
    out = []
    for n, char in enumerate(math):
        if not keep[n]:
            out.append("\n" if char == "\n" else " ")
        elif char == "&" and depths[n] == 0 and (n == 0 or math[n - 1] != "\\"):
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


# -- justifications beside the mathematics -----------------------------------------------

BRACES = ("\\underbrace", "\\overbrace")
STACKED = ("\\overset", "\\stackrel", "\\underset")
ENDS_OPERAND = frozenset(
    {"LETTER", "NUMBER", "CMD", "PRIME", "ELLIPSIS", "END_MATRIX", "END_CASES"}
)
PUNCTUATION = frozenset({",", ";", ":"})


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
        row_origin = _origin_at(math, start, origin)
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


def _origin_at(math: str, offset: int, origin: Origin) -> Origin:
    """Where ``math[offset]`` is in the document, for a display that starts at ``origin``."""
    newline = math.rfind("\n", 0, offset)
    if newline < 0:
        return Origin(origin.line, origin.column + offset)
    return Origin(origin.line + math.count("\n", 0, offset), offset - newline)


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
            close = _closing(row, n + 1)
            if close is not None and close + 2 < len(row) and row[close + 1].value in "_^":
                label_end = _closing(row, close + 2)
                if label_end is not None:
                    found.append(_Aside(close + 1, label_end, (close + 3, label_end - 1)))
    depths = _token_depths(row)
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
    label_end = _closing(row, n + 1) if n + 1 < len(row) else None
    if label_end is None or label_end <= n + 2 or label_end + 3 >= len(row):
        return []
    sign_end = _closing(row, label_end + 1)
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
        if earlier and after is not None and after.type != "REL":
            return _Aside(n, end, (n, end)) if any(_is_prose(t, vocabulary) for t in rest) else None
        return None
    close = _closing(row, n) if token.value in {"(", "["} else n
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
    if row[0].type == "TEXT" or close is None:
        return None
    if close + 1 < len(row) and row[close + 1].type == "REL":  # a = b \text{(why)} = c
        return _Aside(start, close, (start, close))
    return _Aside(start, close, joins=True)


def _is_prose(token: Token, vocabulary: Vocabulary) -> bool:
    """Words that name nothing declared; words led by ``if``, ``when``... state a case."""
    if token.type != "TEXT" or vocabulary.lookup(text_key(token)) is not None:
        return False
    words = text_content(token).lower().split()
    return bool(words) and words[0] not in CASE_WORDS


def _unwrapped(said: str) -> str:
    """What a justification says: ``\\text{by } (3)`` is ``by (3)``; marks and spaces dropped."""
    text = re.sub(r"\\[a-zA-Z]+\s*\{([^{}]*)\}", r"\1", said).replace("&", " ")
    return " ".join(text.split()).strip(" ,;:")


def _token_depths(row: list[Token]) -> list[int]:
    """How deep in brackets each token of a row is (its own brackets at the outer depth)."""
    depths: list[int] = []
    depth = 0
    for token in row:
        if _closes(token):
            depth -= 1
        depths.append(depth)
        if _opens(token):
            depth += 1
    return depths


def _opens(token: Token) -> bool:
    return token.value in {"{", "(", "["} or token.type in {"LBRACE", "BEGIN_MATRIX", "BEGIN_CASES"}


def _closes(token: Token) -> bool:
    return token.value in {"}", ")", "]"} or token.type in {"RBRACE", "END_MATRIX", "END_CASES"}


def _closing(row: list[Token], opening: int) -> int | None:
    """The index of the bracket that closes the one at ``opening``."""
    if not _opens(row[opening]):
        return None
    depth = 0
    for n in range(opening, len(row)):
        depth += _opens(row[n]) - _closes(row[n])
        if depth == 0:
            return n
    return None


# -- from a chain to links ---------------------------------------------------------------


@dataclass(frozen=True)
class _Case:
    """A case and where it came from, for the report."""

    relations: tuple[Relational, ...]
    source: str


class DocumentReader:
    """Builds the links of one document's displays in one vocabulary."""

    def __init__(self, vocabulary: Vocabulary, path: str, errata: dict[str, str]) -> None:
        self.vocabulary = vocabulary
        self.path = path
        self.errata = errata
        self.seen: dict[int, int] = {}
        self.used: set[str] = set()

    def steps(self, scan: Scan) -> list[Step]:
        steps: list[Step] = []
        for display in scan.displays:
            math = blank_markup(display.math)
            for written_spans in chains_of(math):
                asides = take_justifications(math, written_spans, display.origin, self.vocabulary)
                for spans in asides.chains(written_spans):
                    steps += self.chain_step(math, asides, spans, display)
        return steps

    def chain_step(
        self, math: str, asides: Asides, spans: list[tuple[int, int]], display: Display
    ) -> list[Step]:
        """The step of one chain (none for a chain without a relation)."""
        masked = mask(asides.plain, spans)
        try:
            links = self.chain_links(masked, display, asides.said_in(spans))
        except (RecursionError, MemoryError, ValueError, TypeError, AttributeError) as error:
            # A chain the reader fails on is reported, and the document goes on.
            line = display.origin.line + math[: spans[0][0]].count("\n")
            source = " ".join(masked.split())
            problem = f"line {line}: cannot read this chain ({type(error).__name__}: {error})"
            links = [self.unread(line, source, problem=problem)]
        if not links:
            return []
        return [Step(tuple(links), title=f"line {links[0].location.line}")]  # type: ignore[union-attr]

    def location(self, line: int) -> SourceLocation:
        return SourceLocation(self.path, line)

    def unread(self, line: int, written_text: str, problem: str = "", skip: str = "") -> Link:
        zero = Symbol("unread")
        return Link(
            zero,
            zero,
            Justification(f"line {line}"),
            location=self.location(line),
            written=written_text,
            skip=skip,
            problem=problem,
            erratum=self.erratum(line),
        )

    def erratum(self, line: int, label: str = "") -> Erratum | None:
        """The known erratum of the next link at ``line``.

        The notation names it by line (``"45"``), by the link's number on its
        line (``"139 #1"``), or by the entry of a written matrix
        (``"45 entry (n, 2)"``).
        """
        self.seen[line] = self.seen.get(line, 0) + 1
        for key in (f"{line} #{self.seen[line]}", f"{line} {label}".strip(), str(line)):
            if key in self.errata:
                self.used.add(key)
                return Erratum(self.errata[key])
        return None

    def chain_links(
        self, masked: str, display: Display, said: Sequence[tuple[tuple[int, int], str]] = ()
    ) -> list[Link]:
        origin = display.origin
        first_line = origin.line + masked[: len(masked) - len(masked.lstrip())].count("\n")
        source = " ".join(masked.split())
        try:
            found = abbreviate(tokens(masked, origin), self.vocabulary)
        except TexError as error:
            return [self.unread(error.line or first_line, source, problem=str(error))]
        found, beside = _split_beside(found)
        found, leading = _lift_leading_words(found)
        try:
            tree = parse(found)
        except TexError as error:
            prose = self.prose_token(found)
            if prose is not None:
                return [self.unread(first_line, source, skip=f"prose {prose}")]
            return [self.unread(error.line or first_line, source, problem=str(error))]
        translator = Translator(self.vocabulary)
        nodes, signs = translator.chain(tree)
        if not signs:
            return []
        text = shift(masked, origin)
        values = [self.value_of(node, translator) for node in nodes]
        symbols = set().union(*(_written_symbols(v) for v in values))
        case, notes = self.case_for(display, beside, translator, symbols)
        hint = next((v for v in values if isinstance(v, Array)), None)
        relation_tokens = [c for c in tree.children if isinstance(c, Token) and c.type == "REL"]
        # a justification explains the link whose sign comes last before it, or is it (the
        # first link for one written before any sign)
        why: list[list[str]] = [[] for _ in signs]
        if leading:
            why[0].append(leading)
        for place, words in said:
            before = sum((t.line or 0, t.column or 0) <= place for t in relation_tokens)
            why[max(before - 1, 0)].append(words)
        links: list[Link] = []
        for n, sign in enumerate(signs):
            left, right = values[n], values[n + 1]
            line = relation_tokens[n].line or first_line
            shown = _source(text, nodes[n], nodes[n + 1])
            if sign not in CHECKED_SIGNS:
                reason = UNCHECKED_RELATIONS.get(sign, f"the relation {sign} is not checked")
                links.append(self.unread(line, shown, skip=reason))
                continue
            skipped = next((v for v in (left, right) if isinstance(v, Skip)), None)
            if skipped is not None:
                links.append(self.unread(line, shown, skip=skipped.reason))
                continue
            problem = next((v for v in (left, right) if isinstance(v, TexError)), None)
            if problem is not None:
                links.append(self.unread(line, shown, problem=str(problem)))
                continue
            links += self.equation_links(
                left,
                right,
                nodes[n + 1],
                Relation.of(sign),
                line,
                shown,
                case,
                why[n] + notes,
                hint,
                translator,
            )
        return links

    def prose_token(self, found: list[Token]) -> str | None:
        """A ``\\text`` word of a display that does not parse: the display is a sentence."""
        for token in found:
            if token.type == "TEXT":
                prose = prose_in(Tree("text", [token]), self.vocabulary)
                if prose is not None:
                    return prose
        return None

    def value_of(self, node: Tree[Token] | Token, translator: Translator) -> object:
        dots = ellipsis_in(node)
        if dots is not None:
            return Skip(f"ellipsis {dots}")
        if _cases_node(node) is not None:
            return node
        try:
            return translator.value(node)
        except Skip as skip:
            return skip
        except TexError as error:
            return error
        except DerivsError as error:
            line, column = where(node)
            return TexError(str(error), line, column)

    def equation_links(
        self,
        left: object,
        right: object,
        right_node: Tree[Token] | Token,
        relation: Relation,
        line: int,
        shown: str,
        case: _Case | None,
        notes: list[str],
        hint: Array | None,
        translator: Translator,
    ) -> list[Link]:
        rows = _cases_node(right_node) if isinstance(right, Tree) else None
        if isinstance(left, Tree):  # a cases block on the left, compared row by row
            rows = _cases_node(left)
            left, right = right, left
        try:
            if rows is not None:
                found = self.cases_claims(left, rows, translator)
            else:
                avoid = set().union(*(mentioned(r) for r in case.relations)) if case else set()
                found = claims(
                    left,
                    right,
                    entry_indices=lambda size, taken: self.entry_index(
                        size, left, right, avoid | set(taken)
                    ),
                    length_hint=hint,
                )
        except TexError as error:
            return [self.unread(error.line or line, shown, problem=str(error))]
        except DerivsError as error:
            return [self.unread(line, shown, problem=f"line {line}: {error}")]
        return [self.claim_link(claim, relation, line, shown, case, notes) for claim in found]

    def entry_index(self, size: object, left: object, right: object, avoid: set[Basic]) -> Symbol:
        taken = set(avoid) | _written_symbols(left) | _written_symbols(right)
        index = self.vocabulary.entry_index(size, taken)
        if index is None:
            raise DerivsError(
                f"to compare entries, declare one more index over 1..{size} "
                "that this equation does not use"
            )
        return index

    def claim_link(
        self,
        claim: Claim,
        relation: Relation,
        line: int,
        shown: str,
        case: _Case | None,
        notes: list[str],
    ) -> Link:
        label = f"line {line}" + (f", {claim.label}" if claim.label else "")
        if claim.skip:
            return self.unread(
                line, shown + (f" ({claim.label})" if claim.label else ""), skip=claim.skip
            )
        condition = list(claim.condition)
        words = [label, *notes, *claim.notes]
        if case is not None:
            # A stated case holds for every link it is stated for, whether or not the
            # link's written sides mention its indices (c may sit inside L's definition).
            condition += [r for r in case.relations if r not in condition]
            words.append(f"case {case.source}")
        return Link(
            claim.lhs,
            claim.rhs,
            Justification("; ".join(words)),
            condition=tuple(condition),
            assuming=self.vocabulary.context.hypotheses,
            erratum=self.erratum(line, claim.label),
            location=self.location(line),
            written=shown,
            relation=relation,
        )

    def cases_claims(
        self, left: object, rows: list[Tree[Token]], translator: Translator
    ) -> list[Claim]:
        if not hasattr(left, "free_symbols") or isinstance(left, Array):
            raise DerivsError("a cases environment equals a scalar")
        conditions: list[Relational | str | None] = []
        values = []
        for row in rows:
            expr, written_condition = row.children[0], row.children[2]
            values.append(translator.scalar(expr, "a case's value"))
            conditions.append(self.row_condition(written_condition, translator))
        found: list[Claim] = []
        for n, (value, stated) in enumerate(zip(values, conditions, strict=True)):
            condition = stated
            if condition == "otherwise":
                others = [c for m, c in enumerate(conditions) if m != n]
                if len(others) == 1 and isinstance(others[0], Relational):
                    found.append(
                        Claim(
                            left, value, f"case {n + 1}", (others[0].negated,), notes=("otherwise",)
                        )
                    )
                    continue
                condition = None
            if isinstance(condition, Relational):
                found.append(Claim(left, value, f"case {n + 1}", (condition,)))
            else:
                found.append(
                    Claim(
                        left,
                        value,
                        f"case {n + 1}",
                        notes=("case not recognised: checked without one",),
                    )
                )
        return found

    def row_condition(
        self, node: Tree[Token] | Token, translator: Translator
    ) -> Relational | str | None:
        items = list(_flatten_condition(node))
        texts = [
            text_content(t).lower() for t in items if isinstance(t, Token) and t.type == "TEXT"
        ]
        rest = [t for t in items if not (isinstance(t, Token) and t.type == "TEXT")]
        if any(word in OTHERWISE_WORDS for word in texts) and not rest:
            return "otherwise"
        if texts and not all(word in CASE_WORDS for word in texts):
            return None
        relation = _relation_node(node)
        if relation is None:
            return None
        try:
            return translator.relation(relation)
        except (TexError, DerivsError):
            return None

    def case_for(
        self, display: Display, beside: list[Token], translator: Translator, symbols: set[Basic]
    ) -> tuple[_Case | None, list[str]]:
        """The case of a display's links, and notes for the report."""
        if beside:
            found = self.read_case(beside, translator)
            written_beside = " ".join(str(t) for t in beside)
            return self.stated(found, written_beside, "written beside")
        if display.directive is not None:
            directive, line = display.directive
            if not directive.lower().startswith("case"):
                return None, [f"unknown directive {directive!r} at line {line}"]
            found = self.read_text_case(directive[4:].strip(), line, translator)
            return self.stated(found, directive, f"from the comment at line {line}")
        return self.text_case(display, translator, symbols)

    def text_case(
        self, display: Display, translator: Translator, symbols: set[Basic]
    ) -> tuple[_Case | None, list[str]]:
        """The case the sentence that leads into the display states for it, if it does.

        A relation between declared indices in that sentence is its case when
        it opens the sentence or a clause (``When $i = j$,``, ``Same: $i = j$``,
        ``and for $i \\neq j$ we get``); it is not when it is said of another
        symbol (``$\\delta_{ij}$ is 1 when $i = j$``), comes with an alternative
        (``... and 0 otherwise``), or when the sentence states several cases.
        ``symbols`` are those the chain mentions: a case carried past a
        connector reaches only a chain about its indices.
        """
        lead = display.lead
        stated = [
            (n, found)
            for n, (kind, content, line) in enumerate(lead.parts if lead else ())
            if kind == "math"
            for found in [self.read_text_case(content, line, translator)]
            if found is not None
        ]
        if lead is None or not stated:
            elsewhere = [
                (content, line)
                for content, line in display.inline
                if self.read_text_case(content, line, translator) is not None
            ]
            if not elsewhere:
                return None, []
            content, line = elsewhere[-1]
            considered = f"({lead.written()!r}, line {lead.line})" if lead else "(none)"
            return None, [
                f"no case from the text: ${content}$ (line {line}) is not in the sentence "
                f"that leads into the display {considered}; checked without one"
            ]
        position, found = stated[0]
        line = lead.parts[position][2]
        words = _relation_words(found)
        reason = _not_a_case(lead, position, {_relation_words(f) for _, f in stated})
        if reason:
            return None, [
                f"no case from the text: the sentence that leads into the display "
                f"({lead.written()!r}, line {lead.line}) mentions {words}, but {reason}; "
                "checked without one"
            ]
        if display.carried and not set().union(*(r.free_symbols for r in found)) & symbols:
            return None, [
                f"the case {words} (line {line}) is not carried past "
                f"{display.carried!r}: this chain mentions none of its indices"
            ]
        return _Case(found, f"{words} (from the text at line {line})"), []

    def stated(
        self, found: tuple[Relational, ...] | None, written_case: str, source: str
    ) -> tuple[_Case | None, list[str]]:
        if found is None:
            return None, [f"case not recognised: {written_case} ({source}); checked without one"]
        return _Case(found, f"{_relation_words(found)} ({source})"), []

    def read_text_case(
        self, content: str, line: int, translator: Translator
    ) -> tuple[Relational, ...] | None:
        try:
            return self.read_case(tokens(content, Origin(line)), translator)
        except TexError:
            return None

    def read_case(
        self, found: list[Token], translator: Translator
    ) -> tuple[Relational, ...] | None:
        words = [t for t in found if t.type == "TEXT"]
        if any(text_content(t).lower() not in CASE_WORDS for t in words):
            return None
        relation_tokens = [t for t in found if t.type != "TEXT"]
        while relation_tokens and relation_tokens[-1].value in {",", ".", ":", ";"}:
            relation_tokens.pop()
        if relation_tokens and relation_tokens[-1].value == ")" and _opening(relation_tokens) == 0:
            relation_tokens = relation_tokens[1:-1]  # (i \neq j) beside an equation
        try:
            tree = parse(relation_tokens)
        except TexError:
            return None
        nodes, signs = translator.chain(tree)
        if len(signs) != 1:
            return None
        relation = Tree("relation", [nodes[0], Token("REL", signs_token(signs[0])), nodes[1]])
        try:
            made = translator.relation(relation)
        except (TexError, DerivsError):
            return None
        context = self.vocabulary.context
        declared = {x.symbol for x in context.indices} | {d.symbol for d in context.dimensions}
        if not made.free_symbols <= declared:
            return None
        return (made,)


INTRODUCERS = CASE_WORDS | {"case", "cases", "assuming", "assume", "suppose", "given", "let"}
"""Words after which a relation is a case: ``when $i = j$``, ``in the case $i \\neq j$``."""


_WORDS = re.compile(r"[^\W\d_]+")

#: Words that negate, exclude or doubt what a sentence says ("not when $i = j$",
#: "except for $i = j$", "if $i = j$ were true", "in general"): a sentence with one
#: states no case for the display, and a connector with one carries none.
DOUBT_WORDS = frozenset(
    {
        "not", "no", "never", "without", "except", "excluding", "excluded", "exclude",
        "unless", "other", "fails", "fail", "false", "were", "would", "general",
        "generally", "nor", "neither", "doesn", "isn", "don", "aren", "instead", "rather",
        "beyond", "besides", "apart", "only", "just", "either",
    }
)  # fmt: skip


def _doubt(text: str) -> str | None:
    """The first word of ``text`` that negates or doubts what it says, if any."""
    return next((w for w in _WORDS.findall(text.lower()) if w in DOUBT_WORDS), None)


def _not_a_case(lead: Sentence, position: int, stated: set[str]) -> str:
    """Why the relation at ``lead.parts[position]`` is not a case stated for the display."""
    if len(stated) > 1:
        return f"it states several cases ({'; '.join(sorted(stated))})"
    prose = " ".join(text.lower() for kind, text, _ in lead.parts if kind == "prose")
    doubt = _doubt(prose)
    if doubt is not None:
        return f"it negates or doubts it ({doubt!r})"
    alternative = next((w for w in _WORDS.findall(prose) if w in OTHERWISE_WORDS), None)
    if alternative is not None:
        return f"it gives an alternative ({alternative!r})"
    clause: list[str] = []
    for kind, text, _ in reversed(lead.parts[:position]):
        if kind == "math":
            return f"there it is said of ${text}$"
        boundary = max(text.rfind(":"), text.rfind(";"))
        clause.insert(0, text[boundary + 1 :])
        if boundary >= 0:
            break
    words = _WORDS.findall(" ".join(clause).lower())
    if words and words[-1] not in INTRODUCERS:
        return f"{' '.join(words[-3:])!r} does not introduce it as a case (when, if, for, ...)"
    return ""


def _written_symbols(value: object) -> set[Basic]:
    """The symbols a side mentions: of an array's generic entry, of a written one's cells."""
    if isinstance(value, Array):
        return set(mentioned(value.at(Symbol("_row", integer=True), Symbol("_col", integer=True))))
    if isinstance(value, Written):
        return set().union(
            *(mentioned(c) for row in value.rows for c in row if isinstance(c, Basic))
        )
    if isinstance(value, Basic):
        return set(mentioned(value))
    return set()


def signs_token(sign: str) -> str:
    return {"!=": "\\neq", "<=": "\\leq", ">=": "\\geq"}.get(sign, sign)


def _relation_words(relations: tuple[Relational, ...]) -> str:
    signs = {"==": "=", "!=": "!="}
    return ", ".join(f"{r.lhs} {signs.get(r.rel_op, r.rel_op)} {r.rhs}" for r in relations)


#: Words that lead a row into its mathematics ("Hence", "where", "so we get"): they
#: are the row's justification, and the mathematics after them is checked.
LEADING_WORDS = frozenset(
    {
        *CONNECTORS, "where", "since", "because", "and", "now", "note", "that", "we",
        "get", "have", "obtain", "which", "gives", "yields", "finally", "i", "e",
    }
)  # fmt: skip


def _lift_leading_words(found: list[Token]) -> tuple[list[Token], str]:
    """Empty ``\\text{}`` dropped, and the connecting words that open a row lifted off it.

    ``\\text{Hence } x + x = 3x`` is the claim ``x + x = 3x`` with the
    justification "Hence": words that only connect never make a row prose.
    """
    kept = [t for t in found if not (t.type == "TEXT" and not text_content(t))]
    lifted: list[str] = []
    while kept and kept[0].type == "TEXT":
        words = _WORDS.findall(text_content(kept[0]).lower())
        if not words or not all(w in LEADING_WORDS for w in words):
            break
        lifted.append(text_content(kept.pop(0)))
    return kept, " ".join(lifted)


def _split_beside(found: list[Token]) -> tuple[list[Token], list[Token]]:
    """Cut a case written beside an equation off its chain.

    ``\\text{if } i = j`` and ``(i \\neq j)`` after the equation are cases.
    """
    depth = 0
    for n, token in enumerate(found):
        if token.value in {"{", "(", "["} or token.type in {
            "LBRACE",
            "BEGIN_MATRIX",
            "BEGIN_CASES",
        }:
            depth += 1
        elif token.value in {"}", ")", "]"} or token.type in {"RBRACE", "END_MATRIX", "END_CASES"}:
            depth -= 1
        elif depth == 0 and token.type == "TEXT" and n > 0:
            words = text_content(token).lower().split()
            if words and words[0] in CASE_WORDS:
                return found[:n], found[n:]
    if len(found) > 3 and found[-1].value == ")":
        opening = _opening(found)
        if opening is not None and opening > 0:
            inside = found[opening + 1 : -1]
            previous = found[opening - 1]
            if any(t.type == "REL" for t in inside) and previous.type not in {"LETTER", "CMD"}:
                return found[:opening], found[opening:]
            if any(t.type == "REL" for t in inside) and _relation_only(inside):
                return found[:opening], found[opening:]
    return found, []


def _relation_only(inside: list[Token]) -> bool:
    return (
        all(t.type in {"LETTER", "REL"} for t in inside)
        and sum(t.type == "REL" for t in inside) == 1
    )


def _opening(found: list[Token]) -> int | None:
    depth = 0
    for n in range(len(found) - 1, -1, -1):
        if found[n].value == ")":
            depth += 1
        elif found[n].value == "(":
            depth -= 1
            if depth == 0:
                return n
    return None


def _cases_node(node: Tree[Token] | Token) -> list[Tree[Token]] | None:
    inner = node
    while (
        isinstance(inner, Tree) and inner.data in {"juxt", "scripted"} and len(inner.children) == 1
    ):
        inner = inner.children[0]
    if isinstance(inner, Tree) and inner.data == "cases":
        return [c for c in inner.children if isinstance(c, Tree) and c.data == "crow"]
    return None


def _flatten_condition(node: Tree[Token] | Token) -> Iterator[Tree[Token] | Token]:
    if isinstance(node, Token):
        yield node
        return
    if node.data == "text":
        yield node.children[0]
        return
    for child in node.children:
        yield from _flatten_condition(child)


def _relation_node(node: Tree[Token] | Token) -> Tree[Token] | None:
    """The relation of a cases row's condition, with leading ``\\text{if}`` words dropped."""
    if not isinstance(node, Tree):
        return None
    relations = [c for c in node.children if isinstance(c, Tree) and c.data == "relation"]
    if len(relations) != 1 or len(relations[0].children) != 3:
        return None
    relation = relations[0]
    left = relation.children[0]
    if isinstance(left, Tree) and left.data == "juxt":
        kept = [c for c in left.children if not _is_text(c)]
        if not kept:
            return None
        left = Tree("juxt", kept, left.meta)
    return Tree("relation", [left, relation.children[1], relation.children[2]], relation.meta)


def _is_text(node: Tree[Token] | Token) -> bool:
    return (
        isinstance(node, Tree)
        and node.data == "scripted"
        and isinstance(node.children[0], Tree)
        and node.children[0].data == "text"
    )


def _source(text: str, first: Tree[Token] | Token, last: Tree[Token] | Token) -> str:
    start = _position(first, "start_pos")
    end = _position(last, "end_pos")
    if start is None or end is None:
        return written(first) + " = " + written(last)
    return " ".join(text[start:end].split())


def _position(node: Tree[Token] | Token, attribute: str) -> int | None:
    if isinstance(node, Token):
        return node.start_pos if attribute == "start_pos" else node.end_pos
    return getattr(node.meta, attribute, None)


# -- the entry point ---------------------------------------------------------------------


def read_document(
    path: str,
    text: str,
    notation: str | None = None,
    notation_path: str = "",
    only: int | None = None,
) -> Derivation:
    """The derivation a document writes, read with its notation.

    ``notation`` (TOML text from a side file named ``notation_path``) is used
    when the document declares none; a document that declares one and is also
    given one is an error, so that no declaration is silently set aside.
    With ``only``, just that display (counted from 0) is read, as it would be
    in the whole document.
    """
    with room_to_read():
        return _read_document(path, text, notation, notation_path, only)


def _read_document(
    path: str, text: str, notation: str | None, notation_path: str, only: int | None
) -> Derivation:
    kind = document_kind(path)
    scan = scan_document(text, kind)
    if only is not None:
        scan = Scan(scan.displays[only : only + 1], scan.notation)
    if scan.notation is not None and notation is not None:
        raise DerivsError(
            f"{path}: the document declares its notation at line {scan.notation[1]} "
            f"and {notation_path} was given too; use one"
        )
    if scan.notation is not None:
        toml_text, toml_line = scan.notation
        where = f"{path}, notation at line {toml_line}"
    elif notation is not None:
        toml_text, where = notation, notation_path
    else:
        raise DerivsError(
            f"{path}: no notation: declare the symbols in a ```derivs block (Markdown), "
            "a '% derivs' comment block (LaTeX), or give --notation FILE"
        )
    declared = read_notation(toml_text, where)
    vocabulary, errata = declared.vocabulary, declared.errata
    reader = DocumentReader(vocabulary, path, dict(errata))
    steps = reader.steps(scan)
    unused = errata.keys() - reader.used if only is None else set()
    for key in sorted(unused, key=lambda k: int(k.split()[0])):
        warnings.warn(
            f"{path}:{key.split()[0]}: the [errata] entry {key!r} matches no link "
            "(no link is written there, or not that many): is the line number right?",
            DerivsWarning,
            stacklevel=2,
        )
    name = os.path.splitext(os.path.basename(path))[0]
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "document"
    return Derivation(
        name=name,
        title=f"the display math of {os.path.basename(path)}",
        context=vocabulary.context,
        steps=tuple(steps),
        sources=(os.path.basename(path),),
        location=SourceLocation(path, 1),
    )
