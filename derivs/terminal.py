"""The report in a terminal, laid out for the width it has, as pytest and ruff print it.

A wide terminal gets a table per derivation: number, claim, justification,
condition, status, method and time side by side.  Below :data:`WIDE`
columns a table would squeeze the claim to a few characters, so each link
gets a compact status line (number, status, method, time) with its claim on
a line of its own beneath, wrapped at the width there is.

After the derivations come the failures, each as an editor and a CI log
can follow it, ``path:line: link N refuted: claim`` (the path as
:func:`~derivs.paths.shown_path` shows it), with its counterexample or
message; then a short summary, one line per failure and per target that
failed to load; and last the counts.

Output that goes to a file or a pipe is laid out for the terminal the
command runs in, if any, else for :data:`PIPED_WIDTH` columns (``COLUMNS``
wins over both).  When stderr is no terminal (a CI log), progress is one
line per derivation as it is done (:class:`ProgressLines`), not a bar.

The author's text reaches the terminal through :func:`visible`: a control
character in a title, a justification, a note or a document (an ESC that
would restyle or rewrite the reader's terminal, a form feed, a carriage
return) is shown as its escape, ``\\x1b``, never sent.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from derivs.model import Derivation
from derivs.report import (
    DEFAULT_GATE,
    Gate,
    claim_text,
    condition_text,
    is_unexpected,
    justification_text,
    place,
    summarize,
    unexpected_lines,
)
from derivs.text import plain
from derivs.verdict import DerivationResult, LinkResult, Status, Verdict

if TYPE_CHECKING:
    from derivs.loader import LoadProblem

#: The narrowest terminal that gets tables; below it each claim has a line of its own.
WIDE = 120
#: The width of output to a file or a pipe when no terminal can be asked and COLUMNS is unset.
PIPED_WIDTH = 80
#: How far a claim and its details are indented under their status line.
INDENT = 6

#: The control characters (C0, DEL, C1) other than newline and tab, each to its escape.
_CONTROL_ESCAPES = {
    code: chr(code).encode("unicode_escape").decode("ascii")
    for code in [*range(0x20), *range(0x7F, 0xA0)]
    if chr(code) not in "\n\t"
}

STATUS_STYLE = {
    Status.PROVED: ("✓ proved", "green"),
    Status.REFUTED: ("✗ refuted", "red"),
    Status.UNKNOWN: ("? unknown", "yellow"),
    Status.ERROR: ("! error", "magenta"),
    Status.SKIPPED: ("- skipped", "dim"),
}


def piped_width() -> int:
    """The width for output that is not a terminal: COLUMNS, the terminal we run in, or 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for stream in (sys.__stderr__, sys.__stdin__):
        try:
            if stream is not None and stream.isatty():
                return os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError):
            continue
    return PIPED_WIDTH


def consoles(no_color: bool) -> tuple[Console, Console]:
    """The consoles of stdout and stderr, uncoloured with ``no_color`` or ``NO_COLOR``."""
    plain_output = no_color or bool(os.environ.get("NO_COLOR"))
    out = Console(no_color=plain_output, highlight=False)
    if not out.is_terminal:
        out = Console(no_color=plain_output, highlight=False, width=piped_width())
    return out, Console(stderr=True, no_color=plain_output, highlight=False)


def visible(text: str) -> str:
    """``text`` with each control character but newline and tab written as its escape."""
    return text.translate(_CONTROL_ESCAPES)


def plural(count: int, noun: str, nouns: str = "") -> str:
    """``1 error``, ``2 errors``; ``nouns`` for an irregular plural (``errata``)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def status_text(result: LinkResult, gate: Gate = DEFAULT_GATE) -> Text:
    """``✗ refuted UNEXPECTED``, ``✓ refuted (erratum, expected)``, styled."""
    label, style = STATUS_STYLE[result.verdict.status]
    if result.link.expects_refutation:
        label += " (erratum, expected)" if result.as_expected else " (erratum!)"
    if is_unexpected(result, gate):
        return Text(label + " UNEXPECTED", style=f"bold {style}")
    return Text(label, style=style)


def _method(verdict: Verdict) -> str:
    return verdict.method + (" (cached)" if verdict.cached else "")


def _time(verdict: Verdict) -> str:
    return "cached" if verdict.cached else f"{verdict.seconds * 1000:.0f} ms"


def _notes(result: LinkResult) -> list[str]:
    """The counterexample and the message of a verdict, as ``↳`` lines."""
    verdict = result.verdict
    notes = []
    if verdict.counterexample is not None:
        notes.append(f"↳ counterexample {verdict.counterexample}")
    if verdict.message and verdict.status is not Status.PROVED:
        notes.append(f"↳ {verdict.message}")
    return [visible(note) for note in notes]


def _title(derivation: Derivation) -> str:
    sources = f" [{', '.join(derivation.sources)}]" if derivation.sources else ""
    return visible(f"{derivation.name}: {plain(derivation.title)}{sources}")


def _claim(result: LinkResult) -> str:
    return visible(claim_text(result))


def wide_table(result: DerivationResult, gate: Gate = DEFAULT_GATE) -> Table:
    """A derivation as a table, one row a link (for a terminal of :data:`WIDE` columns)."""
    table = Table(title=_title(result.derivation), title_justify="left")
    table.add_column("#", no_wrap=True, justify="right")
    table.add_column("claim", ratio=5)
    table.add_column("justification", ratio=2)
    table.add_column("condition", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("method", ratio=2)
    table.add_column("time", no_wrap=True, justify="right")
    for link in result.links:
        table.add_row(
            str(link.number),
            _claim(link),
            visible(plain(justification_text(link))),
            visible(plain(condition_text(link))),
            status_text(link, gate),
            _method(link.verdict),
            _time(link.verdict),
        )
        for note in _notes(link):
            table.add_row("", Text(note, style="dim"))
    return table


def indented(text: str, width: int, indent: int = INDENT, style: str = "") -> Text:
    """``text`` wrapped to ``width`` columns, each line indented; no trailing spaces."""
    margin = " " * indent
    lines = [
        textwrap.fill(
            line,
            max(width - indent, 20),
            initial_indent=margin,
            subsequent_indent=margin,
            break_on_hyphens=False,
        )
        for line in text.splitlines()
    ]
    return Text("\n".join(lines), style=style)


def narrow_list(result: DerivationResult, gate: Gate = DEFAULT_GATE, width: int = 80) -> Group:
    """A derivation as a list: a status line per link, its claim and details beneath."""
    parts: list[RenderableType] = [Text(_title(result.derivation), style="italic")]
    for link in result.links:
        line = Text(f"{link.number:>3} ")
        line.append_text(status_text(link, gate))
        line.append(f" · {link.verdict.method} · {_time(link.verdict)}", style="dim")
        parts.append(line)
        parts.append(indented(_claim(link), width))
        said = "; ".join(w for w in (justification_text(link), condition_text(link)) if w)
        if said:
            parts.append(indented(visible(plain(said)), width))
        for note in _notes(link):
            parts.append(indented(note, width, style="dim"))
    return Group(*parts)


def library_listing(derivations: Sequence[Derivation], width: int) -> RenderableType:
    """The library: a table when there are :data:`WIDE` columns, else a name a line."""
    if width >= WIDE:
        table = Table("name", "title", "sources", "links", title="derivs library")
        for derivation in derivations:
            table.add_row(
                derivation.name,
                visible(plain(derivation.title)),
                visible(", ".join(derivation.sources)) or "(beyond the documents)",
                str(len(derivation.links)),
            )
        return table
    parts: list[RenderableType] = [Text("derivs library", style="bold")]
    for derivation in derivations:
        line = Text(derivation.name, style="bold")
        line.append(f" · {plural(len(derivation.links), 'link')}", style="dim")
        parts.append(line)
        about = visible(plain(derivation.title))
        if derivation.sources:
            about += visible(f"\n[{', '.join(derivation.sources)}]")
        parts.append(indented(about, width))
    return Group(*parts)


def failure_lines(result: DerivationResult, gate: Gate = DEFAULT_GATE) -> list[list[str]]:
    """Each unexpected link of a derivation as ``path:line: link N refuted: claim`` and details."""
    found = []
    for link in result.links:
        if is_unexpected(link, gate):
            heading = f"{place(link, result.derivation.name)}: link {link.number} "
            heading += link.verdict.status.value
            found.append([visible(line) for line in unexpected_lines(link, heading)])
    return found


def short_summary(
    results: Sequence[DerivationResult],
    gate: Gate = DEFAULT_GATE,
    problems: Sequence[LoadProblem] = (),
) -> list[Text]:
    """One line per target that failed to load and per unexpected link, as pytest's ``-ra``."""
    lines = [Text(visible(f"ERROR {problem}"), style="magenta") for problem in problems]
    for result in results:
        for failure in failure_lines(result, gate):
            lines.append(Text(f"FAILED {failure[0]}", style="red"))
    return lines


def summary_line(
    results: Sequence[DerivationResult],
    gate: Gate = DEFAULT_GATE,
    problems: Sequence[LoadProblem] = (),
) -> Text:
    """The counts, and whether all is as expected: the report's last line."""
    summary = summarize(results, gate, problems)
    erratum = plural(summary.expected_refutations, "expected erratum", "expected errata")
    line = (
        f"{plural(summary.derivations, 'derivation')}, {plural(summary.links, 'link')}: "
        f"{summary.proved} proved, {summary.refuted} refuted ({erratum}), "
        f"{summary.unknown} unknown, {plural(summary.error, 'error')}, {summary.skipped} skipped"
    )
    if summary.as_expected:
        return Text(line + ". All as expected.", style="bold green")
    flaws = [f"{summary.unexpected} unexpected"] if summary.unexpected else []
    if summary.problems:
        flaws.append(f"{plural(summary.problems, 'target')} failed to load")
    return Text(f"{line}. {', '.join(flaws)}.", style="bold red")


def print_report(
    out: Console,
    results: Sequence[DerivationResult],
    gate: Gate = DEFAULT_GATE,
    problems: Sequence[LoadProblem] = (),
) -> None:
    """The whole report: derivations, failures, the short summary and the counts."""
    for result in results:
        wide = out.width >= WIDE
        out.print(wide_table(result, gate) if wide else narrow_list(result, gate, out.width))
        for assumed in result.derivation.assumed:
            out.print(Text(f"  assumed, {assumed}", style="dim"), soft_wrap=True)
        out.print()
    failures = [lines for result in results for lines in failure_lines(result, gate)]
    if failures:
        out.rule("failures", style="red")
        for lines in failures:
            out.print(Text(lines[0], style="bold"), soft_wrap=True)
            out.print(indented("\n".join(lines[1:]), out.width, 4), soft_wrap=True)
    summary = short_summary(results, gate, problems)
    if summary:
        out.rule("short summary", style="red")
        for line in summary:
            out.print(line, soft_wrap=True)
    out.print(summary_line(results, gate, problems), soft_wrap=True)


class ProgressLines:
    """One line per derivation as its last link is done, for a log (stderr not a terminal).

    Call :meth:`link_done` with each link's position among the links of
    all ``derivations`` (as :func:`~derivs.checker.check_derivations`
    reports it); ``write`` receives each finished line.
    """

    def __init__(self, derivations: Sequence[Derivation], write: Callable[[str], None]) -> None:
        self._write = write
        self._names = [d.name for d in derivations]
        self._owner: list[int] = [n for n, d in enumerate(derivations) for _ in d.links]
        self._left = [len(d.links) for d in derivations]
        self._statuses: list[Counter[str]] = [Counter() for _ in derivations]
        self._done = 0
        for number, left in enumerate(self._left):
            if left == 0:
                self._finish(number)

    def link_done(self, position: int, verdict: Verdict) -> None:
        number = self._owner[position]
        self._left[number] -= 1
        self._statuses[number][verdict.status.value] += 1
        if self._left[number] == 0:
            self._finish(number)

    def _finish(self, number: int) -> None:
        self._done += 1
        counts = ", ".join(f"{n} {status}" for status, n in sorted(self._statuses[number].items()))
        links = plural(sum(self._statuses[number].values()), "link")
        total = len(self._names)
        self._write(
            f"derivs: [{self._done}/{total}] {self._names[number]}: {links}"
            + (f" ({counts})" if counts else "")
        )
