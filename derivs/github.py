"""GitHub Actions annotations for unexpected verdicts and for targets that failed to load.

When ``GITHUB_ACTIONS=true``, each unexpected verdict becomes a workflow
command ``::error file=...,line=...,title=...::message`` that GitHub shows on
the link's line of its derivation file, and each target that failed to load
(the run exits 2) one at the file and line of the problem.  GitHub resolves
``file=`` against the repository's root, ``GITHUB_WORKSPACE``, whatever the
step's ``working-directory``: paths are given relative to it (absolute for a
file outside it).  Values are escaped as GitHub's toolkit escapes them
(``@actions/core``): in the message ``%``, ``\\r`` and ``\\n`` become ``%25``,
``%0D`` and ``%0A``; in the properties ``:`` and ``,`` also become ``%3A``
and ``%2C``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from derivs.paths import shown_path
from derivs.report import DEFAULT_GATE, Gate, is_unexpected, unexpected_lines
from derivs.verdict import DerivationResult, LinkResult

if TYPE_CHECKING:
    from derivs.loader import LoadProblem


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workspace() -> str | None:
    """The repository's root on the runner, against which GitHub resolves ``file=``."""
    return os.environ.get("GITHUB_WORKSPACE") or None


def _command(properties: list[str], title: str, message: str) -> str:
    properties = [*properties, f"title={escape_property(title)}"]
    return f"::error {','.join(properties)}::{escape_data(message)}"


def annotation(derivation_name: str, link: LinkResult, root: str | None = None) -> str:
    """The ``::error`` command of an unexpected verdict; ``root`` is the workspace."""
    verdict = link.verdict
    message = unexpected_lines(link, f"{derivation_name}, link {link.number}")
    properties = []
    if link.link.location is not None:
        properties.append(f"file={escape_property(shown_path(link.link.location.path, root))}")
        properties.append(f"line={link.link.location.line}")
    source = link.link.source
    if source is not None:
        properties.append(f"col={source.column}")
        properties.append(f"endLine={source.end_line}")
        properties.append(f"endColumn={source.end_column}")
    title = f"derivs: {derivation_name} link {link.number} {verdict.status.value}"
    return _command(properties, title, "\n".join(message))


def problem_annotation(problem: LoadProblem, root: str | None = None) -> str:
    """The ``::error`` command of a target that failed to load (at its file, if it exists)."""
    if not os.path.exists(problem.target):  # an unknown name: no file to point at
        return _command([], f"derivs: {problem.kind.value}", str(problem))
    properties = [f"file={escape_property(shown_path(problem.target, root))}"]
    if problem.line:
        properties.append(f"line={problem.line}")
    if problem.column:
        properties.append(f"col={problem.column}")
    return _command(properties, f"derivs: {problem.kind.value}", str(problem))


def github_annotations(
    results: Sequence[DerivationResult],
    gate: Gate = DEFAULT_GATE,
    problems: Sequence[LoadProblem] = (),
    root: str | None = None,
) -> list[str]:
    """One ``::error`` line per problem and per unexpected verdict, paths relative to ``root``.

    ``root`` defaults to ``GITHUB_WORKSPACE`` (see :func:`workspace`), else
    the current folder.
    """
    base = root or workspace()
    return [problem_annotation(problem, base) for problem in problems] + [
        annotation(result.derivation.name, link, base)
        for result in results
        for link in result.links
        if is_unexpected(link, gate)
    ]
