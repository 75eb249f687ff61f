"""Reports of a check, as plain data: the JSON report and the summary counts.

Front ends render these (the CLI as a rich table or JSON on stdout); nothing
here prints.  The JSON report follows the JSON Schema shipped beside this
module (``report.schema.json``, :func:`json_schema`): paths relative to the
current folder (absolute outside it), ``null`` for an absent value, and the
problems that kept a target from loading in a list of their own.

A link's verdict is *unexpected* when an erratum is not refuted or any
other link is not proved (a link the reader skipped, an ellipsis or prose,
is expected to be skipped).  The :class:`Gate` says which
unexpected verdicts fail a build: ``allow_unknown`` forgives unknown
verdicts (a timeout on a slow machine), never a refutation or an error;
``strict`` fails every link that was not decided, skipped ones included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import sympy

from derivs.errors import DerivsError
from derivs.latex import latex
from derivs.model import ChainLink, Derivation, Link, Source, SourceLocation, UnreadLink
from derivs.paths import shown_path
from derivs.text import text
from derivs.verdict import Counterexample, DerivationResult, LinkResult, Status

if TYPE_CHECKING:
    from derivs.loader import LoadProblem

#: The version of the JSON report's shape; ``report.schema.json`` describes it.
SCHEMA = 2


@dataclass(frozen=True)
class Gate:
    """What fails a build besides a refuted link or an error.

    By default an unknown verdict fails and a skipped link (one the reader
    could not check: an ellipsis, prose, ``\\approx``) does not, though it is
    counted.  ``allow_unknown`` lets unknown verdicts pass; ``strict`` makes
    every link that was not decided fail, skipped and unknown alike.
    """

    allow_unknown: bool = False
    strict: bool = False

    def __post_init__(self) -> None:
        if self.allow_unknown and self.strict:
            raise DerivsError("strict and allow-unknown contradict each other: choose one")

    def fails(self, result: LinkResult) -> bool:
        """Whether this verdict should fail a build."""
        status = result.verdict.status
        if self.strict and status in (Status.SKIPPED, Status.UNKNOWN):
            return True
        if result.as_expected:
            return False
        return not (self.allow_unknown and status is Status.UNKNOWN)


#: The gate of a run that neither forgives unknown verdicts nor fails skipped links.
DEFAULT_GATE = Gate()


def is_unexpected(result: LinkResult, gate: Gate = DEFAULT_GATE) -> bool:
    """Whether this verdict should fail a build (see :class:`Gate`)."""
    return gate.fails(result)


@dataclass(frozen=True)
class Summary:
    """Counts over every link of a run."""

    derivations: int
    links: int
    proved: int
    refuted: int
    unknown: int
    error: int
    skipped: int
    unexpected: int
    expected_refutations: int
    problems: int = 0

    @property
    def as_expected(self) -> bool:
        """No unexpected verdict and no target that failed to load."""
        return self.unexpected == 0 and self.problems == 0


def summarize(
    results: Sequence[DerivationResult],
    gate: Gate = DEFAULT_GATE,
    problems: Sequence[LoadProblem] = (),
) -> Summary:
    links = [link for result in results for link in result.links]

    def count(status: Status) -> int:
        return sum(result.count(status) for result in results)

    return Summary(
        derivations=len(results),
        links=len(links),
        proved=count(Status.PROVED),
        refuted=count(Status.REFUTED),
        unknown=count(Status.UNKNOWN),
        error=count(Status.ERROR),
        skipped=count(Status.SKIPPED),
        unexpected=sum(1 for link in links if is_unexpected(link, gate)),
        expected_refutations=sum(
            1 for link in links if link.link.expects_refutation and link.as_expected
        ),
        problems=len(problems),
    )


#: A TeX comment: from an unescaped ``%`` to the end of its line.
_TEX_COMMENT = re.compile(r"(?<!\\)%[^\n]*")


def on_one_line(written: str) -> str:
    """An author's source on one line, for a report: comments dropped, spaces collapsed.

    The exact text, comments, line breaks and all, stays in the JSON's ``source``.
    """
    return " ".join(_TEX_COMMENT.sub(" ", written).split())


def claim_text(result: LinkResult) -> str:
    """The claim as the author wrote it where that is known, else as the checker read it."""
    link = result.link
    if isinstance(link, UnreadLink):
        return on_one_line(link.source.text) if link.source else link.written
    if link.source is not None:
        return on_one_line(link.source.text)
    return f"{text(link.lhs)} {link.relation.symbol} {text(link.rhs)}"


def claim_latex(result: LinkResult) -> str:
    """The claim in LaTeX: as the checker read it, or as written for a link it did not read."""
    link = result.link
    if isinstance(link, UnreadLink):
        return link.written
    return f"{latex(link.lhs)} {link.relation.latex} {latex(link.rhs)}"


def justification_text(result: LinkResult) -> str:
    """The link's justification and where its case was stated, for a line of text."""
    link = result.link
    if isinstance(link, UnreadLink):
        return ""
    words = [str(link.justification)] if str(link.justification) else []
    words += [f"case {source}" for source in link.case_sources]
    return "; ".join(words)


def condition_text(result: LinkResult) -> str:
    """The link's case and hypotheses (none for a link that is not checked)."""
    link = result.link
    return link.condition_text() if isinstance(link, Link) else ""


def source_json(source: Source | None) -> dict[str, Any] | None:
    """``{"text", "line", "column", "end_line", "end_column"}`` of a link's source, or None."""
    if source is None:
        return None
    return {
        "text": source.text,
        "line": source.line,
        "column": source.column,
        "end_line": source.end_line,
        "end_column": source.end_column,
    }


def case_sources_json(link: ChainLink) -> list[dict[str, Any]]:
    """Where the case of a link was stated: ``[{"origin": "comment", "line": 12}]``."""
    found = link.case_sources if isinstance(link, Link) else ()
    return [{"origin": s.origin.name.lower(), "line": s.line} for s in found]


def place(result: LinkResult, derivation_name: str) -> str:
    """Where a link was written, ``notes/softmax.md:12`` (see :func:`shown_path`).

    A link with no known position is named by its derivation and number.
    """
    location = result.link.location
    if location is None:
        return f"{derivation_name}, link {result.number}"
    return f"{shown_path(location.path)}:{location.line}"


def unexpected_lines(result: LinkResult, heading: str) -> list[str]:
    """What went wrong with a link, one fact a line, for failure messages.

    ``heading`` names the link as the output needs it (its file and line,
    or its derivation and number); the claim follows it.
    """
    verdict = result.verdict
    lines = [
        f"{heading}: {claim_text(result)}",
        f"expected {result.expected.value}, got {verdict.status.value} ({verdict.method})",
    ]
    erratum = result.link.erratum
    if erratum is not None and not result.as_expected:
        lines.append(f"marked as an erratum: {erratum.note}")
    if verdict.counterexample is not None:
        lines.append(f"counterexample {verdict.counterexample}")
    if verdict.message:
        lines.append(verdict.message)
    if verdict.cached:
        lines.append("(verdict served from the cache; --no-cache checks it afresh)")
    return lines


def counterexample_json(counterexample: Counterexample) -> dict[str, Any]:
    """``{"dimensions": {"K": 3}, "indices": {...}, "values": {...}, "lhs": ..., "rhs": ...}``.

    The dimensions have a key of their own, so that a dimension named
    ``lhs`` or ``values`` cannot collide with the other fields.
    """
    return {
        "dimensions": dict(counterexample.dimensions),
        "indices": dict(counterexample.indices),
        "values": {entry.label: entry.value for entry in counterexample.values},
        "lhs": counterexample.lhs,
        "rhs": counterexample.rhs,
    }


def location_json(location: SourceLocation | None) -> dict[str, Any] | None:
    """``{"path": "notes/softmax.md", "line": 12}``, the path as :func:`shown_path` shows it."""
    if location is None:
        return None
    return {"path": shown_path(location.path), "line": location.line}


def problem_json(problem: LoadProblem) -> dict[str, Any]:
    """A target that failed to load: ``{"file", "line", "column", "kind", "message"}``.

    ``file`` is shown as :func:`shown_path` shows it (an unknown library
    name stays as it was given); ``line`` and ``column`` are null when unknown.
    """
    return {
        "file": shown_path(problem.target),
        "line": problem.line or None,
        "column": problem.column or None,
        "kind": problem.kind.value,
        "message": problem.message,
    }


def _absent(value: str) -> str | None:
    """``None`` for an empty text: JSON says ``null`` rather than ``""`` for an absent value."""
    return value or None


def link_json(result: LinkResult) -> dict[str, Any]:
    link, verdict = result.link, result.verdict
    return {
        "number": result.number,
        "claim": claim_text(result),
        "latex": claim_latex(result),
        "source": source_json(link.source),
        "justification": (_absent(str(link.justification)) if isinstance(link, Link) else None),
        "condition": _absent(condition_text(result)),
        "case_sources": case_sources_json(link),
        "expected": result.expected.value,
        "verdict": verdict.status.value,
        "method": verdict.method,
        "seconds": round(verdict.seconds, 6),
        "counterexample": (
            counterexample_json(verdict.counterexample) if verdict.counterexample else None
        ),
        "message": _absent(verdict.message),
        "cached": verdict.cached,
        "erratum": link.erratum.note if link.erratum else None,
        "location": location_json(link.location),
    }


def _tool(version: str) -> dict[str, str]:
    return {"name": "derivs", "version": version, "sympy": sympy.__version__}


def derivation_json(derivation: Derivation) -> dict[str, Any]:
    """A derivation's name, title, sources, where it was written and what its reader assumed."""
    return {
        "name": derivation.name,
        "title": _absent(derivation.title),
        "sources": list(derivation.sources),
        "location": location_json(derivation.location),
        "assumed": [{"line": a.line, "statement": a.statement} for a in derivation.assumed],
    }


def json_report(
    results: Sequence[DerivationResult],
    version: str,
    gate: Gate = DEFAULT_GATE,
    problems: Sequence[LoadProblem] = (),
) -> dict[str, Any]:
    """The JSON report of a check (see :data:`SCHEMA`), as a dict ready for ``json.dumps``."""
    summary = summarize(results, gate, problems)
    return {
        "schema": SCHEMA,
        "tool": _tool(version),
        "derivations": [
            {
                **derivation_json(result.derivation),
                "steps": [link_json(link) for link in result.links],
            }
            for result in results
        ],
        "problems": [problem_json(problem) for problem in problems],
        "summary": {
            "proved": summary.proved,
            "refuted": summary.refuted,
            "unknown": summary.unknown,
            "error": summary.error,
            "skipped": summary.skipped,
            "unexpected": summary.unexpected,
            "problems": summary.problems,
        },
    }


def library_json(derivations: Sequence[Derivation], version: str) -> dict[str, Any]:
    """The JSON listing of derivations (``derivs list --format json``), in the same schema."""
    return {
        "schema": SCHEMA,
        "tool": _tool(version),
        "library": [
            {**derivation_json(derivation), "links": len(derivation.links)}
            for derivation in derivations
        ],
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of both reports, as shipped in the package."""
    schema: dict[str, Any] = json.loads(
        resources.files("derivs").joinpath("report.schema.json").read_text(encoding="utf-8")
    )
    return schema
