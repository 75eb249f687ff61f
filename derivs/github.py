"""GitHub Actions annotations for unexpected verdicts.

When ``GITHUB_ACTIONS=true``, each unexpected verdict becomes a workflow
command ``::error file=...,line=...,title=...::message`` that GitHub shows on
the link's line of its derivation file.  Values are escaped as GitHub's
toolkit escapes them (``@actions/core``): in the message ``%``, ``\\r`` and
``\\n`` become ``%25``, ``%0D`` and ``%0A``; in the properties ``:`` and ``,``
also become ``%3A`` and ``%2C``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from derivs.report import DEFAULT_GATE, Gate, is_unexpected, unexpected_lines
from derivs.verdict import DerivationResult, LinkResult


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _relative(path: str) -> str:
    """A repository-relative path where the file lies below the working directory."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def annotation(derivation_name: str, link: LinkResult) -> str:
    verdict = link.verdict
    message = unexpected_lines(link, f"{derivation_name}, link {link.number}")
    properties = []
    if link.link.location is not None:
        properties.append(f"file={escape_property(_relative(link.link.location.path))}")
        properties.append(f"line={link.link.location.line}")
    source = link.link.source
    if source is not None:
        properties.append(f"col={source.column}")
        properties.append(f"endLine={source.end_line}")
        properties.append(f"endColumn={source.end_column}")
    title = f"derivs: {derivation_name} link {link.number} {verdict.status.value}"
    properties.append(f"title={escape_property(title)}")
    return f"::error {','.join(properties)}::{escape_data(chr(10).join(message))}"


def github_annotations(results: Sequence[DerivationResult], gate: Gate = DEFAULT_GATE) -> list[str]:
    """One ``::error`` line per unexpected verdict."""
    return [
        annotation(result.derivation.name, link)
        for result in results
        for link in result.links
        if is_unexpected(link, gate)
    ]
