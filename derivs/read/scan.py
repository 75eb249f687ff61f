"""Finding display math in a document, with positions, and the prose that leads into it.

A *document* is Markdown, LaTeX or any text with math in it (its kind comes
from the file's extension, :func:`document_kind`).  Its *displays* are
``$$...$$``, ``\\[...\\]``, GitHub's ```` ```math ```` fences and the display
environments (:data:`DISPLAY_ENVIRONMENTS`, starred or not).  One linear pass
(:class:`Scanner`) finds each display with the line and column where its
mathematics starts, the inline math and the sentences of prose before it
(the *lead* a case may be read from), ``derivs:`` directives in comments, and
the document's notation block (a fenced ``derivs`` block in Markdown, ``%``
lines after a ``% derivs`` line in LaTeX).  Headings and code fences end the
prose that leads into a display.  Nothing is parsed here: the scan only cuts
the text into pieces that keep their place in the file.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field

from derivs.errors import DerivsError
from derivs.read.tex import Origin, TexError
from derivs.read.words import CONNECTORS, doubt

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
MARKDOWN = frozenset({".md", ".markdown", ".mdown", ".mkd"})
LATEX = frozenset({".tex", ".latex", ".ltx"})


def document_kind(path: str) -> str:
    extension = os.path.splitext(path)[1].lower()
    if extension in MARKDOWN:
        return "markdown"
    if extension in LATEX:
        return "latex"
    return "text"


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
    r"""One display: its math, where it starts, and the prose that leads into it.

    ``lead`` is the last sentence before the display (since the previous
    display or heading); ``carried`` is the connector (``So that:``) when that
    sentence is the one that led into the previous display instead.
    ``inline`` is every inline math of the prose before the display;
    ``earlier`` the inline math of prose that led into no display (prose
    before a heading or a block), which may still define a name for what
    follows (``let $Z = \sum_c e^{s_c}$`` at the end of a section).
    """

    math: str
    origin: Origin
    lead: Sentence | None = None
    carried: str = ""
    inline: tuple[tuple[str, int], ...] = ()
    directive: tuple[str, int] | None = None
    earlier: tuple[tuple[str, int], ...] = ()


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


class Scanner:
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
        self.earlier: list[tuple[str, int]] = []
        self.previous_lead: Sentence | None = None
        self.directive: tuple[str, int] | None = None
        self.position = 0
        self.prose_start = 0
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.found: dict[str, int] = {}

    def new_section(self) -> None:
        """A heading or a block: the prose before it leads into nothing after it."""
        self.earlier += [(content, self.line_column(s)[0]) for s, _, content in self.inlines]
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
        line_end = end_of_line(text, self.position)
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
        body_start = end_of_line(self.text, self.position) + 1
        close = self.text.find("\n```", body_start - 1)
        end = len(self.text) if close < 0 else close + 1
        language = opening[3:].strip().lower()
        if language == "derivs":
            self.set_notation(self.text[body_start:end], start_line + 1)
        elif language == "math":  # GitHub's fenced display math
            self.add_display(body_start, max(body_start, end - 1))
        self.position = len(self.text) if close < 0 else end_of_line(self.text, close + 1)

    def latex_notation(self, line_end: int) -> None:
        start_line = self.line_column(self.position)[0]
        lines = []
        position = line_end + 1
        while position < len(self.text) and _COMMENT_LINE.match(self.text, position):
            end = end_of_line(self.text, position)
            content = self.text[position:end].lstrip(" \t")[1:].removesuffix("\r")
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
        if len(sentences) == 1 and is_connector(sentences[0]):
            lead, carried = self.previous_lead, sentences[0].written()
        inline = tuple((content, self.line_column(s)[0]) for s, _, content in self.inlines)
        self.scan.displays.append(
            Display(
                self.text[start:end],
                Origin(line, column),
                lead,
                carried,
                inline,
                self.directive,
                tuple(self.earlier),
            )
        )
        self.previous_lead, self.inlines, self.directive = lead, [], None
        self.earlier = []

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
        end = end_of_line(self.text, self.position)
        self.comment(self.text[self.position + 1 : end])
        self.position = end

    def comment(self, body: str) -> None:
        stripped = body.strip()
        if stripped.lower().startswith("derivs:"):
            directive = stripped[len("derivs:") :].strip()
            self.directive = (directive, self.line_column(self.position)[0])


def is_connector(sentence: Sentence) -> bool:
    """A short line of words that continues the case above it: ``So that:``, ``Hence,``."""
    if any(kind == "math" for kind, _, _ in sentence.parts):
        return False
    text = sentence.written()
    words = text.lower().split()
    return (
        doubt(text) is None
        and 0 < len(text) <= 40
        and text.endswith((":", ","))
        and bool(words)
        and words[0].strip(",:") in CONNECTORS
    )


def end_of_line(text: str, position: int) -> int:
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


#: A carriage return that ends a line on its own (a classic Mac file), not before ``\n``.
_LONE_CR = re.compile(r"\r(?!\n)")


def scan_document(text: str, kind: str) -> Scan:
    """Displays and notation of a document's ``text`` (``kind``: markdown, latex or text).

    A line that ends in a lone ``\r`` ends there, as editors show it: each is
    read as ``\n``, which keeps every offset, and so every span, where it was.
    """
    return Scanner(_LONE_CR.sub("\n", text), kind).run()


#: A line that opens or closes a Markdown code fence.
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)")


def prose_of(text: str, kind: str) -> str:
    """``text`` with its code fences (Markdown) and comments (LaTeX) blanked, lines kept."""
    text = _LONE_CR.sub("\n", text)
    if kind == "latex":
        return _LATEX_COMMENT.sub(lambda m: _blanked(m.group()), text)
    lines, fenced = [], False
    for line in text.split("\n"):
        opens = _FENCE.match(line) is not None
        lines.append("" if fenced or opens else line)
        fenced = fenced != opens
    return "\n".join(lines)
