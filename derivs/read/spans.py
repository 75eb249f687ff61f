"""Source spans: the exact text an author wrote for a link, and where it stands in the file.

A link's *source* (:class:`derivs.model.Source`) runs from the first
character of its left operand to the last character of its right operand,
exactly as the file holds them: for the chain ``a = b \\\\ &= c`` the second
link is ``b \\\\ &= c``, line break, alignment mark and all, and a
justification written between the operands stays in it.  Every claim a link
gives (the entries of a written matrix, the rows of a ``cases`` block) has
the link's source.  A chain the reader cannot parse is its own source, from
its first to its last written character.

Positions are the document's, counted as the scanner counts them: lines end
at ``\\n`` (a ``\\r`` before it is the end of its line, so a CRLF file has
the same lines and columns as its LF twin), columns count characters from 1
(a tab is one column), and the end is exclusive.  Reading never deletes a
character of a display (markup is blanked with spaces), so an offset in a
masked display is an offset in the display as written.
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token, Tree

from derivs.model import Source
from derivs.read.scan import Display
from derivs.read.tex import Origin
from derivs.read.tree import written


@dataclass(frozen=True)
class AsWritten:
    """A link as its author wrote it: on one line for reports, and its exact source."""

    shown: str
    source: Source


def origin_at(math: str, offset: int, origin: Origin) -> Origin:
    """Where ``math[offset]`` is in the document, for a display that starts at ``origin``."""
    newline = math.rfind("\n", 0, offset)
    if newline < 0:
        return Origin(origin.line, origin.column + offset)
    return Origin(origin.line + math.count("\n", 0, offset), offset - newline)


def span_source(display: Display, start: int, end: int) -> Source:
    """The source of ``display.math[start:end]``."""
    first = origin_at(display.math, start, display.origin)
    after = origin_at(display.math, end, display.origin)
    return Source(display.math[start:end], first.line, first.column, after.line, after.column)


def written_span(masked: str) -> tuple[int, int]:
    """From the first to the last character left in a masked display (all of it if blank)."""
    start = len(masked) - len(masked.lstrip())
    end = len(masked.rstrip())
    return (start, end) if start < end else (0, len(masked))


def node_span(
    first: Tree[Token] | Token, last: Tree[Token] | Token, origin: Origin
) -> tuple[int, int] | None:
    """The display offsets from the start of ``first`` to the end of ``last``, if known.

    The parser's offsets count in the display shifted to its place in the
    document (:func:`derivs.read.tex.shift`); the shift is taken off.
    """
    start = _offset(first, "start_pos")
    end = _offset(last, "end_pos")
    if start is None or end is None:
        return None
    shift = (origin.line - 1) + (origin.column - 1)
    return start - shift, end - shift


def _offset(node: Tree[Token] | Token, attribute: str) -> int | None:
    if isinstance(node, Token):
        return node.start_pos if attribute == "start_pos" else node.end_pos
    if node.meta.empty:
        return None
    return getattr(node.meta, attribute, None)


def link_written(
    masked: str,
    first: Tree[Token] | Token,
    last: Tree[Token] | Token,
    display: Display,
    chain: AsWritten,
) -> AsWritten:
    """The link from ``first`` to ``last``: on one line, and its exact source."""
    span = node_span(first, last, display.origin)
    if span is None:
        return AsWritten(written(first) + " = " + written(last), chain.source)
    start, end = span
    shown = " ".join(masked[start:end].split())
    return AsWritten(shown, span_source(display, start, end))


def chain_written(masked: str, display: Display) -> AsWritten:
    """A whole chain as written: for a link made of a chain the reader cannot parse."""
    return AsWritten(" ".join(masked.split()), span_source(display, *written_span(masked)))
