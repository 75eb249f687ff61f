"""A document's own title: the first heading its author wrote.

A report names a document's derivation by what the document calls itself,
not by its file name.  The title is, in order of preference,

- the ``title:`` of a front matter block (``---`` ... ``---`` at the top, as
  static site generators write it);
- the first Markdown heading (``# Title``, ``## Title``) outside fenced code;
- the first ``\\title{...}``, ``\\section{...}`` or ``\\section*{...}`` of a
  LaTeX document, with its simple commands (``\\emph{x}``) reduced to their
  text;
- in a plain text file, a first line that reads as a heading: short, plain
  ASCII words, no math and no final punctuation.

The title is prose like any other: printers escape it.  Nothing here reads a
file; the loader passes the text it read.
"""

from __future__ import annotations

import re

#: A first line longer than this is a paragraph, not a heading.
HEADING_CHARACTERS = 60

_FRONT_MATTER = re.compile(r"\A\s*---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_FRONT_TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.MULTILINE)
_ATX = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_LATEX = re.compile(r"\\(?:title|section\*?)\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_COMMAND_WITH_ARGUMENT = re.compile(r"\\[a-zA-Z]+\*?\s*\{([^{}]*)\}")


def first_heading(text: str, kind: str) -> str:
    """The document's title (see the module), or ``""`` when it writes none."""
    front = _FRONT_MATTER.match(text)
    if front:
        found = _FRONT_TITLE.search(front.group(1))
        if found:
            return found.group(1).strip().strip("\"'").strip()
    if kind == "latex":
        return _latex_heading(text)
    in_fence = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
            continue
        heading = _ATX.match(stripped)
        if heading and not in_fence:
            return heading.group(1)
    if kind == "text":
        return _plain_heading(text)
    return ""


def _latex_heading(text: str) -> str:
    found = _LATEX.search(text)
    if not found:
        return ""
    heading = found.group(1)
    while _COMMAND_WITH_ARGUMENT.search(heading):
        heading = _COMMAND_WITH_ARGUMENT.sub(r"\1", heading)
    return " ".join(heading.split())


def _plain_heading(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        plain = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ,'()\-]*", stripped)
        if plain and len(stripped) <= HEADING_CHARACTERS and not stripped.endswith(","):
            return stripped
        return ""
    return ""
