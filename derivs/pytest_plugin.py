"""A pytest plugin: ``pytest --derivs [PATH...]`` checks derivations as tests.

Registered through the ``pytest11`` entry point, so it is active wherever
derivs is installed, and does nothing without ``--derivs``.  With it, every
Python file under the given paths that is not a test module is loaded as a
derivation file (see :mod:`derivs.loader`), and so is every Markdown or
LaTeX document that declares its notation (a ```` ```derivs ```` block or a
``% derivs`` comment block); each link of each derivation becomes a test item
reported with the link's own file and line.  A link a document skips (an
ellipsis, prose) is a skipped test.  Without paths, the built-in library is
collected.

An item passes when its verdict is as expected (an erratum refuted, any
other link proved); a failure shows the claim and its counterexample.  An
unknown fails, or is skipped with ``--derivs-allow-unknown``; with
``--derivs-strict`` a skipped or unknown link fails.  A file that
fails to import is a collection error naming its line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# The engine (and SymPy) is imported only inside hooks that run with
# ``--derivs``: a pytest run without it pays nothing for the plugin.
if TYPE_CHECKING:
    from derivs.model import ChainLink, Derivation
    from derivs.verdict import LinkResult


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("derivs", "checking derivations with derivs")
    group.addoption(
        "--derivs",
        action="store_true",
        help="Collect derivations (the built-in library when no path is given) as tests.",
    )
    group.addoption(
        "--derivs-allow-unknown",
        action="store_true",
        help="Skip, rather than fail, links whose verdict is unknown.",
    )
    group.addoption(
        "--derivs-strict",
        action="store_true",
        help="Fail, rather than skip, links that were not decided (skipped or unknown).",
    )
    group.addoption(
        "--derivs-timeout",
        type=float,
        default=30.0,
        help="Seconds allowed for each link (default 30).",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Refuse an option out of range once, as a usage error, not in every item."""
    if config.getoption("derivs", default=False):
        from derivs.checker import CheckOptions
        from derivs.errors import OptionError

        try:
            CheckOptions(timeout=config.getoption("derivs_timeout"))
        except OptionError as error:
            raise pytest.UsageError(f"--derivs-timeout: {error.reason}") from None


def _paths_given(config: pytest.Config) -> bool:
    return bool(config.args_source == pytest.Config.ArgsSource.ARGS)


def _is_derivation_file(file_path: Path, config: pytest.Config) -> bool:
    if not config.getoption("derivs") or not _paths_given(config):
        return False
    from derivs.read.scan import LATEX, MARKDOWN

    if file_path.suffix in MARKDOWN | LATEX:
        return _declares_notation(file_path)
    if file_path.suffix != ".py":
        return False
    return file_path.name != "conftest.py" and not _is_test_module(file_path, config)


def _declares_notation(path: Path) -> bool:
    """A document with its own notation: other Markdown (a README) is not a derivation."""
    from derivs.read.scan import document_kind, scan_document

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return scan_document(text, document_kind(str(path))).notation is not None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """A derivation file found below a folder given on the command line."""
    if parent.session.isinitpath(file_path) or not _is_derivation_file(file_path, parent.config):
        return None
    return DerivationFile.from_parent(parent, path=file_path)


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(
    module_path: Path, parent: pytest.Collector
) -> pytest.Collector | None:
    """A derivation file named on the command line, which pytest would import as a module."""
    if not _is_derivation_file(module_path, parent.config):
        return None
    return DerivationFile.from_parent(parent, path=module_path)


def _is_test_module(path: Path, config: pytest.Config) -> bool:
    patterns = config.getini("python_files")
    return any(path.match(pattern) for pattern in patterns)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """With ``--derivs`` and no paths, the built-in library is collected too."""
    if config.getoption("derivs") and not _paths_given(config):
        library = Library.from_parent(session, name="derivs-library")
        items.extend(library.collect())


class DerivationFile(pytest.File):
    """A Python file of derivations."""

    def collect(self) -> Iterator[LinkItem]:
        from derivs.checker import CheckOptions
        from derivs.loader import ProblemKind, load

        limits = CheckOptions(timeout=self.config.getoption("derivs_timeout"))
        loaded = load([str(self.path)], (), limits=limits)
        for problem in loaded.problems:
            if problem.kind is ProblemKind.NO_DERIVATION:
                continue  # an ordinary module that happens to sit beside the derivations
            raise self.CollectError(str(problem))
        for found in loaded.derivations:
            yield from _items(self, found)


class Library(pytest.Collector):
    """The built-in derivation library."""

    def collect(self) -> list[LinkItem]:
        from derivs.proofs import LIBRARY

        return [item for found in LIBRARY for item in _items(self, found)]


def _items(parent: pytest.Collector, found: Derivation) -> Iterator[LinkItem]:
    for number, link in enumerate(found.links, start=1):
        yield LinkItem.from_parent(
            parent, name=f"{found.name}::link{number}", derivation=found, number=number, link=link
        )


class LinkFailed(Exception):
    """A link whose verdict was not the expected one."""

    def __init__(self, result: LinkResult) -> None:
        from derivs.report import claim_text

        super().__init__(claim_text(result))
        self.result = result


class LinkItem(pytest.Item):
    """One link of a derivation, checked as a test."""

    def __init__(
        self, *, derivation: Derivation, number: int, link: ChainLink, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.derivation = derivation
        self.number = number
        self.link = link

    def runtest(self) -> None:
        from derivs.checker import CheckOptions, check_link, link_label
        from derivs.report import Gate
        from derivs.verdict import LinkResult, Status

        options = CheckOptions(timeout=self.config.getoption("derivs_timeout"))
        label = link_label(self.derivation, self.number, self.link)
        verdict = check_link(self.link, self.derivation.context, options, label)
        result = LinkResult(self.number, self.link, verdict)
        gate = Gate(
            allow_unknown=self.config.getoption("derivs_allow_unknown"),
            strict=self.config.getoption("derivs_strict"),
        )
        if gate.fails(result):
            raise LinkFailed(result)
        if verdict.status is Status.SKIPPED:
            pytest.skip(verdict.message)
        if verdict.status is Status.UNKNOWN:
            pytest.skip(f"unknown: {verdict.message}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if not isinstance(excinfo.value, LinkFailed):
            return str(super().repr_failure(excinfo))
        from derivs.report import unexpected_lines

        heading = f"{self.derivation.name}, link {self.number}"
        return "\n".join(unexpected_lines(excinfo.value.result, heading))

    def reportinfo(self) -> tuple[Path | str, int | None, str]:
        location = self.link.location
        if location is None:
            return self.path, None, f"{self.derivation.name} link {self.number}"
        return Path(location.path), location.line - 1, f"{self.derivation.name} link {self.number}"
