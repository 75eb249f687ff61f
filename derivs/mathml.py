"""LaTeX as MathML that is safe to put in a page.

A browser renders MathML with no script and no fetch, so a report page needs
neither.  The conversion is ``latex2mathml``'s, a maintained converter of
the LaTeX that notes are written in (matrices, ``cases``, ``\\text``).  Its
output is not trusted: it copies ``\\href`` targets, ``\\style`` values and
the raw text of ``\\text{...}`` into the markup.  So the MathML it writes is
parsed again and rebuilt from an allowlist: MathML elements only, and only
the presentation attributes of :data:`ATTRIBUTES`, every value and every
text escaped.  No namespace address is written (HTML needs none), so the
page holds no URL at all.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

import latex2mathml.converter

_ELEMENTS = """
    math mrow mi mn mo ms mtext mspace mfrac msqrt mroot msub msup msubsup munder mover
    munderover mtable mtr mtd mstyle mpadded mphantom menclose semantics annotation
"""
_ATTRIBUTES = """
    display mathvariant stretchy fence separator accent accentunder columnalign rowalign
    rowspacing columnspacing columnlines rowlines frame lspace rspace minsize maxsize symmetric
    largeop movablelimits form linethickness width height depth displaystyle scriptlevel
    notation open close separators align
"""

#: The MathML presentation elements a page may hold.
ELEMENTS = frozenset(_ELEMENTS.split())

#: Attributes that only lay out; never a URL, a style or an event handler.
ATTRIBUTES = frozenset(_ATTRIBUTES.split())


class _Rebuilder(HTMLParser):
    """MathML rebuilt from an allowlist; everything else dropped, all text escaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def _open(self, tag: str, attrs: list[tuple[str, str | None]], close: bool) -> None:
        if tag not in ELEMENTS:
            return
        kept = "".join(
            f' {name}="{html.escape(value or "", quote=True)}"'
            for name, value in attrs
            if name in ATTRIBUTES
        )
        self.out.append(f"<{tag}{kept}{' /' if close else ''}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, close=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, close=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in ELEMENTS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))


def sanitized(markup: str) -> str:
    """``markup`` with only allowlisted MathML elements and attributes, text escaped."""
    rebuilder = _Rebuilder()
    rebuilder.feed(markup)
    rebuilder.close()
    return "".join(rebuilder.out)


def mathml(source: str, display: bool = False) -> str | None:
    """``source`` (LaTeX math) as safe MathML, or None when the converter cannot read it."""
    try:
        converted = latex2mathml.converter.convert(source, display="block" if display else "inline")
    except Exception:  # the converter raises bare Exceptions of its own kinds
        return None
    return sanitized(converted)
