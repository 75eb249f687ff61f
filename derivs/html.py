"""A checked derivation as one page to look at.

:func:`render_page` writes a single self-contained HTML file: a summary at
the top (the counts, and a link to each failure), then each derivation.  A
document is shown as its author wrote it, text and display math in order,
and under each display the links read from it, each with a mark (proved,
refuted, unknown, error, skipped), its number (the terminal's and the
paper's "link 9"), the justification, the case and, for a refuted link, the
counterexample.  A derivation file is shown chain by chain, laid out as the
LaTeX output lays it out.

Mathematics is MathML (:mod:`derivs.mathml`), which browsers render with no
script and no fetch; the page holds no JavaScript and no URL, and a small
inline stylesheet follows the reader's light or dark setting.  Every piece
of an author's text is escaped, and their math is converted and then
rebuilt from an allowlist, so the page is as safe to open as the paper is to
compile.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from derivs.latex import (
    assignments,
    chain_blocks,
    latex,
    number,
    shows_left_side,
    sides,
    written_once,
)
from derivs.mathml import mathml
from derivs.model import Derivation, Relation
from derivs.prose import rendered
from derivs.read.brackets import text_depths
from derivs.read.scan import document_kind, scan_document
from derivs.report import DEFAULT_GATE, Gate, is_unexpected, summarize
from derivs.verdict import DerivationResult, LinkResult, Status

#: Math longer than this is shown as its source, not converted.
MAX_MATH_CHARACTERS = 5_000

_MARKS = {
    Status.PROVED: "✓ proved",
    Status.REFUTED: "✗ refuted",
    Status.UNKNOWN: "? unknown",
    Status.ERROR: "! error",
    Status.SKIPPED: "– skipped",
}

_STYLE = """
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fcfcfa; --muted: #5f6368;
  --rule: #dadce0; --panel: #f1f3f4; --ok: #1e7b34; --bad: #c5221f; --warn: #a05a00; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8eaed; --bg: #17181b; --muted: #9aa0a6; --rule: #3c4043;
    --panel: #202124; --ok: #81c995; --bad: #f28b82; --warn: #fdd663; } }
body { margin: 2rem auto; max-width: 52rem; padding: 0 1rem; color: var(--fg);
  background: var(--bg); font: 17px/1.55 "Latin Modern Roman", Georgia, serif; }
h1, h2, h3 { line-height: 1.25; }
header { border-bottom: 1px solid var(--rule); padding-bottom: 1rem; }
.meta, .why, .case, .where { color: var(--muted); }
code, pre { font: 0.85em/1.4 "Latin Modern Mono", Menlo, Consolas, monospace; }
pre { background: var(--panel); padding: 0.6rem; overflow-x: auto; white-space: pre-wrap; }
math { font-family: "Latin Modern Math", "STIX Two Math", math; }
math[display="block"] { overflow-x: auto; overflow-y: hidden; padding: 0.4rem 0; }
.display { overflow-x: auto; }
.display mtd { math-style: normal; }
ol.links { list-style: none; padding: 0; margin: 0.2rem 0 1.4rem; font-size: 0.92em; }
ol.links li { border-left: 3px solid var(--rule); padding: 0.25rem 0.6rem; margin: 0.3rem 0; }
ol.links li.proved { border-color: var(--ok); }
ol.links li.refuted, ol.links li.error, ol.links li.unexpected { border-color: var(--bad); }
ol.links li.unknown { border-color: var(--warn); }
.tag { font-variant-numeric: tabular-nums; margin-right: 0.4rem; }
.mark { font-weight: bold; margin-right: 0.5rem; }
.proved .mark { color: var(--ok); }
.refuted .mark, .error .mark { color: var(--bad); }
.unknown .mark { color: var(--warn); }
.skipped .mark { color: var(--muted); }
.counterexample { margin-top: 0.3rem; background: var(--panel); padding: 0.3rem 0.5rem; }
table.chain { border-collapse: collapse; margin: 0.8rem auto; }
table.chain td { padding: 0.25rem 0.3rem; vertical-align: middle; }
table.chain td.lhs { text-align: right; }
table.chain td.tag { padding-left: 2rem; color: var(--muted); }
.summary .failed a { color: var(--bad); }
"""


@dataclass(frozen=True)
class Page:
    """What a page shows: the results, and the text of each document they came from."""

    results: tuple[DerivationResult, ...]
    documents: Mapping[str, str]
    gate: Gate = DEFAULT_GATE


def document_texts(derivations: Sequence[Derivation]) -> dict[str, str]:
    """The text of each derivation that was read from a document, by its path.

    A document that can no longer be read is left out: the page then shows
    its links chain by chain, as for a derivation file.
    """
    texts: dict[str, str] = {}
    for derivation in derivations:
        where = derivation.location
        if where is None or where.path.endswith(".py"):
            continue
        try:
            texts[where.path] = Path(where.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return texts


def render_page(page: Page) -> str:
    """The whole page: one HTML file with everything it needs inline."""
    parts = [_summary(page)]
    for position, result in enumerate(page.results, start=1):
        parts.append(_derivation(result, f"d{position}", page))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Derivations checked by derivs</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n" + "\n".join(parts) + "\n</body>\n</html>\n"
    )


# -- pieces -----------------------------------------------------------------------------


def _math(source: str, display: bool = False) -> str:
    """LaTeX as MathML; as its escaped source where it cannot be converted."""
    if len(source) <= MAX_MATH_CHARACTERS:
        converted = mathml(source, display)
        if converted is not None:
            return converted
    shown = html.escape(source)
    return f"<pre>{shown}</pre>" if display else f"<code>{shown}</code>"


#: The signs written with two characters in plain words, as their symbols.
_WORD_SIGNS = {r.value: r.symbol for r in Relation if r.value != r.symbol}


def _words(text: str) -> str:
    shown = html.escape(text, quote=False)
    for sign, glyph in _WORD_SIGNS.items():
        shown = shown.replace(html.escape(sign, quote=False), glyph)
    return shown


def prose_html(text: str) -> str:
    """An author's prose: words escaped, math between dollars regenerated then converted."""
    return rendered(text, _words, _math, html.escape)


def _anchor(prefix: str, result: LinkResult) -> str:
    return f"{prefix}-link-{result.number}"


def _summary(page: Page) -> str:
    summary = summarize(page.results, page.gate)
    counts = (
        f"{summary.derivations} derivation{'s' if summary.derivations != 1 else ''}, "
        f"{summary.links} links: {summary.proved} proved, {summary.refuted} refuted "
        f"({summary.expected_refutations} expected errata), {summary.unknown} unknown, "
        f"{summary.error} errors, {summary.skipped} skipped. {summary.unexpected} unexpected."
    )
    failures = []
    for position, result in enumerate(page.results, start=1):
        for link in result.links:
            if is_unexpected(link, page.gate):
                failures.append(
                    f'<li class="failed"><a href="#{_anchor(f"d{position}", link)}">'
                    f"{html.escape(result.derivation.name)}, link {link.number}: "
                    f"{_MARKS[link.verdict.status]}</a></li>"
                )
    listed = f"<ul>{''.join(failures)}</ul>" if failures else "<p>Every verdict is as expected.</p>"
    return (
        '<header class="summary">\n<h1>Derivations checked by derivs</h1>\n'
        f"<p>{html.escape(counts)}</p>\n{listed}\n</header>"
    )


def _derivation(result: DerivationResult, prefix: str, page: Page) -> str:
    derivation = result.derivation
    about = f"<code>{html.escape(derivation.name)}</code>"
    if derivation.sources:
        about += ". Source: " + ", ".join(
            f"<code>{html.escape(source)}</code>" for source in derivation.sources
        )
    parts = [
        f'<section id="{prefix}">',
        f"<h2>{prose_html(derivation.title)}</h2>",
        f'<p class="meta">{about}.</p>',
    ]
    if derivation.description:
        parts.append(f"<p>{prose_html(derivation.description)}</p>")
    where = derivation.location
    text = page.documents.get(where.path) if where is not None else None
    if text is not None and where is not None:
        parts.append(_document(result, prefix, text, document_kind(where.path), page.gate))
    else:
        parts.append(_chains(result, prefix, page.gate))
    parts.append("</section>")
    return "\n".join(parts)


def _chains(result: DerivationResult, prefix: str, gate: Gate) -> str:
    """A derivation file: each block of chains as a table aligned on the relation."""
    by_link = {id(r.link): r for r in result.links}
    once = written_once(result.derivation)
    parts = []
    for block in chain_blocks(result.derivation.steps):
        if block[0].title:
            parts.append(f"<h3>{prose_html(block[0].title)}</h3>")
        rows = []
        found = []
        for chain in block:
            for position, link in enumerate(chain.links):
                linked = by_link[id(link)]
                found.append(linked)
                if link.skip or link.problem:
                    lhs, relation, rhs = "", "", f"<code>{html.escape(link.written)}</code>"
                else:
                    left, right = sides(link, once)
                    lhs = _math(left) if shows_left_side(chain, position) else ""
                    relation, rhs = _math(link.relation.latex), _math(right)
                rows.append(
                    f'<tr><td class="lhs">{lhs}</td><td>{relation}</td>'
                    f'<td class="rhs">{rhs}</td><td class="tag">({linked.number})</td></tr>'
                )
        parts.append(f'<table class="chain">{"".join(rows)}</table>')
        parts.append(_links(found, prefix, gate, once, claims=False))
    return "\n".join(parts)


def _links(
    found: Sequence[LinkResult], prefix: str, gate: Gate, once: frozenset[str], claims: bool
) -> str:
    return (
        '<ol class="links">'
        + "".join(_link(r, prefix, gate, once, claims) for r in found)
        + "</ol>"
    )


def _link(result: LinkResult, prefix: str, gate: Gate, once: frozenset[str], claims: bool) -> str:
    """One link: number, mark, (the claim), justification, case, counterexample."""
    link, verdict = result.link, result.verdict
    classes = [verdict.status.value] + (["unexpected"] if is_unexpected(result, gate) else [])
    parts = [
        f'<span class="tag">({result.number})</span>',
        f'<span class="mark">{_MARKS[verdict.status]}</span>',
    ]
    if link.erratum is not None:
        parts.append(f"<em>erratum: {prose_html(link.erratum.note)}</em>")
    if claims and not (link.skip or link.problem):
        left, right = sides(link, once)
        parts.append(f'<span class="claim">{_math(f"{left} {link.relation.latex} {right}")}</span>')
    elif link.skip or link.problem:
        parts.append(f"<code>{html.escape(link.written)}</code>")
        reason = verdict.message if link.problem else link.skip
        parts.append(f'<span class="why">{html.escape(reason)}</span>')
    if str(link.justification):
        parts.append(f'<span class="why">{prose_html(str(link.justification))}</span>')
    cases = [_math(latex(relation)) for relation in link.condition]
    cases += [prose_html(h.name) for h in link.assuming]
    if cases:
        parts.append(f'<span class="case">if {", ".join(cases)}</span>')
    if verdict.status in (Status.UNKNOWN, Status.ERROR) and verdict.message and not link.problem:
        parts.append(f'<span class="why">{html.escape(verdict.message)}</span>')
    counterexample = verdict.counterexample
    if counterexample is not None:
        values = ", ".join(_math(assignment) for assignment in assignments(counterexample))
        parts.append(
            f'<div class="counterexample">Refuted at {values}: the left side is '
            f"{_math(number(counterexample.lhs))}, the right side "
            f"{_math(number(counterexample.rhs))}.</div>"
        )
    return f'<li id="{_anchor(prefix, result)}" class="{" ".join(classes)}">{" ".join(parts)}</li>'


# -- a document, as written -------------------------------------------------------------

_OPENER = re.compile(r"(\$\$|\\\[|\\begin\{[a-zA-Z*]+\})\s*$")
_CLOSER = re.compile(r"^\s*(\$\$|\\\]|\\end\{[a-zA-Z*]+\})")
_FENCE = re.compile(r"^```[^\n]*\n.*?^```[ \t]*$", re.MULTILINE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_INLINE = re.compile(r"(?<!\\)\$([^$]+?)(?<!\\)\$|\\\((.+?)\\\)", re.DOTALL)


def _document(result: DerivationResult, prefix: str, text: str, kind: str, gate: Gate) -> str:
    """The document's own text in order, each display followed by its links."""
    once = written_once(result.derivation)
    displays = scan_document(text, kind).displays
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    placed: set[int] = set()
    parts = []
    end = 0
    for display in displays:
        offset = starts[display.origin.line - 1] + display.origin.column - 1
        if text[offset : offset + len(display.math)] != display.math:
            continue
        before = _CLOSER.sub("", text[end:offset]) if end else text[end:offset]
        parts.append(_prose_blocks(_OPENER.sub("", before), kind))
        end = offset + len(display.math)
        last = display.origin.line + display.math.count("\n")
        found = [
            r
            for r in result.links
            if r.link.location is not None
            and display.origin.line <= r.link.location.line <= last
            and id(r) not in placed
        ]
        placed.update(id(r) for r in found)
        parts.append(f'<div class="display">{_math(_rows(display.math), display=True)}</div>')
        if found:
            parts.append(_links(found, prefix, gate, once, claims=True))
    parts.append(_prose_blocks(_CLOSER.sub("", text[end:]) if end else text[end:], kind))
    rest = [r for r in result.links if id(r) not in placed]
    if rest:
        parts.append("<h3>Other links</h3>" + _links(rest, prefix, gate, once, claims=True))
    return "\n".join(part for part in parts if part)


_NUMBERING = re.compile(r"\\(label|tag)\s*\{[^{}]*\}|\\(nonumber|notag)(?![a-zA-Z])")
_ALIGNING = re.compile(r"\\(begin|end)\s*\{(aligned|split|gathered)\}")
_TOP_LEVEL = re.compile(r"\\begin\s*\{[^}]*\}|\\end\s*\{[^}]*\}|\\\\|\\[{}&]|[{}&]")


def _rows(source: str) -> str:
    """A display's rows and ``&`` columns as an array the converter lays out.

    The converter runs ``aligned`` rows together; an ``array`` of right- and
    left-aligned columns keeps them, split only outside braces and
    environments (a matrix keeps its own rows).
    """
    source = _NUMBERING.sub("", _ALIGNING.sub("", source))
    rows: list[list[str]] = [[""]]
    depths = text_depths(source)
    position = 0
    for found in _TOP_LEVEL.finditer(source):
        token = found.group()
        if depths[found.start()] or token not in ("&", "\\\\"):
            continue
        rows[-1][-1] += source[position : found.start()]
        position = found.end()
        if token == "&":
            rows[-1].append("")
        else:
            rows.append([""])
    rows[-1][-1] += source[position:]
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) <= 1 and all(len(row) == 1 for row in rows):
        return source
    columns = max(len(row) for row in rows)
    spec = ("rl" * columns)[:columns] if columns > 1 else "c"
    body = " \\\\ ".join(" & ".join(row) for row in rows)
    return f"\\begin{{array}}{{{spec}}}{body}\\end{{array}}"


def _prose_blocks(text: str, kind: str) -> str:
    """Paragraphs, headings and code of an author's text, escaped; inline math converted."""
    text = _COMMENT.sub("", text)
    if kind == "latex":
        text = _latex_prose(text)
    parts = []
    position = 0
    front = _FRONT_MATTER.match(text)
    if front:
        parts.append(_folded("front matter", front.group(1)))
        position = front.end()
    for fence in _FENCE.finditer(text, position):
        parts.append(_paragraphs(text[position : fence.start()], kind))
        opening, body = fence.group().split("\n", 1)
        body = body.rsplit("```", 1)[0]
        if opening[3:].strip().lower() == "derivs":
            parts.append(_folded("notation", body))
        else:
            parts.append(f"<pre>{html.escape(body)}</pre>")
        position = fence.end()
    parts.append(_paragraphs(text[position:], kind))
    return "\n".join(part for part in parts if part)


_PREAMBLE = re.compile(
    r"\\(documentclass|usepackage)\s*(\[[^\]]*\])?\s*\{[^{}]*\}|\\(begin|end)\s*\{document\}"
    r"|\\maketitle(?![a-zA-Z])"
)
_SECTION = re.compile(r"\\(sub)?(sub)?section\*?\s*\{([^{}]*)\}")


def _latex_prose(text: str) -> str:
    """A LaTeX document's prose: no preamble, sections as headings, no comments."""
    text = _PREAMBLE.sub("", text)
    text = re.sub(r"(?<!\\)%[^\n]*", "", text)
    return _SECTION.sub(
        lambda m: "\n\n" + "#" * (1 + bool(m.group(1)) + bool(m.group(2))) + f" {m.group(3)}\n\n",
        text,
    )


def _folded(summary: str, body: str) -> str:
    return f"<details><summary>{summary}</summary><pre>{html.escape(body)}</pre></details>"


def _paragraphs(text: str, kind: str) -> str:
    parts = []
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        if not block:
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", block.splitlines()[0])
        if heading:
            level = min(len(heading.group(1)) + 2, 6)
            parts.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
            block = "\n".join(block.splitlines()[1:]).strip()
            if not block:
                continue
        parts.append(f"<p>{_inline(block)}</p>")
    return "\n".join(parts)


def _inline(text: str) -> str:
    """Words escaped, ``$...$`` and ``\\(...\\)`` converted to MathML."""
    shown = []
    position = 0
    for found in _INLINE.finditer(text):
        shown.append(html.escape(text[position : found.start()]))
        shown.append(_math(found.group(1) or found.group(2) or ""))
        position = found.end()
    shown.append(html.escape(text[position:]))
    return "".join(shown)
