"""Reports of a check, as plain data: the JSON report and the summary counts.

Front ends render these (the CLI as a rich table or JSON on stdout); nothing
here prints.  A link's verdict is *unexpected* when an erratum is not
refuted or any other link is not proved (a link the reader skipped, an
ellipsis or prose, is expected to be skipped).  The :class:`Gate` says which
unexpected verdicts fail a build: ``allow_unknown`` forgives unknown
verdicts (a timeout on a slow machine), never a refutation or an error;
``strict`` fails every link that was not decided, skipped ones included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from derivs.errors import DerivsError
from derivs.latex import latex
from derivs.model import ChainLink, Link, Source, UnreadLink
from derivs.text import text
from derivs.verdict import Counterexample, DerivationResult, LinkResult, Status

SCHEMA = 1


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

    @property
    def as_expected(self) -> bool:
        return self.unexpected == 0


def summarize(results: Sequence[DerivationResult], gate: Gate = DEFAULT_GATE) -> Summary:
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
    )


def claim_text(result: LinkResult) -> str:
    """The claim as the author wrote it where that is known, else as the checker read it."""
    link = result.link
    if isinstance(link, UnreadLink):
        return link.source.text if link.source else link.written
    if link.source is not None:
        return link.source.text
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
    if verdict.counterexample is not None:
        lines.append(f"counterexample {verdict.counterexample}")
    if verdict.message:
        lines.append(verdict.message)
    if verdict.cached:
        lines.append("(verdict served from the cache; --no-cache checks it afresh)")
    return lines


def counterexample_json(counterexample: Counterexample) -> dict[str, Any]:
    """``{"K": 3, "indices": {...}, "values": {...}, "lhs": ..., "rhs": ...}``.

    Each dimension is a key of its own (``"K"``, ``"M"``), as in the schema.
    """
    found: dict[str, Any] = {name: value for name, value in counterexample.dimensions}
    found["indices"] = dict(counterexample.indices)
    found["values"] = {entry.label: entry.value for entry in counterexample.values}
    found["lhs"] = counterexample.lhs
    found["rhs"] = counterexample.rhs
    return found


def link_json(result: LinkResult) -> dict[str, Any]:
    link, verdict = result.link, result.verdict
    return {
        "number": result.number,
        "claim": claim_text(result),
        "latex": claim_latex(result),
        "source": source_json(link.source),
        "justification": str(link.justification) if isinstance(link, Link) else "",
        "condition": condition_text(result),
        "case_sources": case_sources_json(link),
        "expected": result.expected.value,
        "verdict": verdict.status.value,
        "method": verdict.method,
        "seconds": round(verdict.seconds, 6),
        "counterexample": (
            counterexample_json(verdict.counterexample) if verdict.counterexample else None
        ),
        "message": verdict.message,
        "cached": verdict.cached,
        "erratum": link.erratum.note if link.erratum else None,
        "location": str(link.location) if link.location else None,
    }


def json_report(
    results: Sequence[DerivationResult], version: str, gate: Gate = DEFAULT_GATE
) -> dict[str, Any]:
    """The JSON report (schema 1), as a dict ready for ``json.dumps``."""
    summary = summarize(results, gate)
    return {
        "schema": SCHEMA,
        "tool": {"name": "derivs", "version": version, "sympy": sympy.__version__},
        "derivations": [
            {
                "name": result.derivation.name,
                "title": result.derivation.title,
                "sources": list(result.derivation.sources),
                "assumed": [
                    {"line": a.line, "statement": a.statement} for a in result.derivation.assumed
                ],
                "steps": [link_json(link) for link in result.links],
            }
            for result in results
        ],
        "summary": {
            "proved": summary.proved,
            "refuted": summary.refuted,
            "unknown": summary.unknown,
            "error": summary.error,
            "skipped": summary.skipped,
            "unexpected": summary.unexpected,
        },
    }
