"""A pytest plugin: ``pytest --derivs [PATH...]`` checks derivations as tests.

Registered through the ``pytest11`` entry point, so it is active wherever
derivs is installed; without ``--derivs`` it adds its options and nothing
else: no part of the engine (nor SymPy) is imported.  With it, the project's
``[tool.derivs]`` configuration applies (:mod:`derivs.config`, found from
the folder pytest was started in), and

- a folder means what it means to ``derivs check FOLDER``
  (:mod:`derivs.loader`): every Python file that may be a derivation file
  (not a test module, not ``conftest.py``) and every Markdown or LaTeX
  document that has a notation, its own or one configured for it; a helper
  that defines no derivation yields no test and is no error;
- a file named on the command line is collected whatever it is (a document
  with no notation is then a collection error that says so);
- with no PATH, the configured ``paths`` are collected, else what pytest
  collects by default (``testpaths``); derivs' own library only with
  ``--derivs-library`` or ``library = true``.

Each derivation is a collector and each of its links an item
(``notes.md::notes::link3``), reported at the link's own file and line, so
``pytest 'notes.md::notes::link3'`` runs one link and ``--lf`` reruns the
failures.  Before the first test runs, every selected link of the session
is checked in one batch through the verdict cache, in parallel, as
``derivs check`` checks them.

An item passes when its verdict is as expected (an erratum refuted, any
other link proved); a failure shows the claim and its counterexample.  An
unknown fails, or is skipped with ``--derivs-allow-unknown``; with
``--derivs-strict`` a skipped or unknown link fails.  A link a document
skips (an ellipsis, prose) is a skipped test, reported at its line.  A file
that fails to import is a collection error naming its line.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# The engine (and SymPy) is imported only inside hooks that run with
# ``--derivs``: a pytest run without it pays nothing for the plugin.
if TYPE_CHECKING:
    from derivs.cache import VerdictCache
    from derivs.checker import CheckOptions
    from derivs.config import Config
    from derivs.model import ChainLink, Derivation
    from derivs.report import Gate
    from derivs.verdict import LinkResult, Verdict


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("derivs", "checking derivations with derivs")
    group.addoption(
        "--derivs",
        action="store_true",
        help="Collect derivation files and documents as tests (with no path: the paths of "
        "[tool.derivs] in pyproject.toml, else testpaths).",
    )
    group.addoption(
        "--derivs-library",
        action="store_true",
        help="Collect derivs' own library of derivations too.",
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
        default=None,
        help="Seconds allowed for each link (default: [tool.derivs] timeout, else 30).",
    )
    group.addoption(
        "--derivs-no-cache",
        action="store_true",
        help="Check every link afresh; neither read nor write the verdict cache.",
    )


@dataclass(frozen=True)
class Settings:
    """What a ``--derivs`` session was told: its command line over its project's configuration."""

    project: Config
    options: CheckOptions
    gate: Gate
    library: bool
    cache: bool


_SETTINGS = pytest.StashKey[Settings]()
_VERDICTS = pytest.StashKey[dict[str, "Verdict"]]()


def pytest_configure(config: pytest.Config) -> None:
    """Settle the settings once; refuse a bad option or configuration as a usage error."""
    if not config.getoption("derivs", default=False):
        return
    from derivs.checker import CheckOptions
    from derivs.config import ConfigError, find_config
    from derivs.errors import OptionError
    from derivs.report import Gate

    try:
        project = find_config(config.invocation_params.dir)
    except ConfigError as error:
        raise pytest.UsageError(str(error)) from None
    timeout = config.getoption("derivs_timeout")
    try:
        options = CheckOptions(
            timeout=timeout if timeout is not None else project.timeout or 30.0,
            jobs=project.jobs or os.cpu_count() or 1,
        )
    except OptionError as error:
        where = f"--derivs-{error.option}"
        if error.option != "timeout" or timeout is None:
            where = project.where(error.option)
        raise pytest.UsageError(f"{where}: {error.reason}") from None
    strict, allow_unknown = (
        config.getoption("derivs_strict"),
        config.getoption("derivs_allow_unknown"),
    )
    if strict and allow_unknown:
        raise pytest.UsageError("--derivs-strict and --derivs-allow-unknown contradict each other")
    if not (strict or allow_unknown):
        strict, allow_unknown = project.strict, project.allow_unknown
    config.stash[_SETTINGS] = Settings(
        project,
        options,
        Gate(allow_unknown=allow_unknown, strict=strict),
        library=config.getoption("derivs_library") or project.library,
        cache=not config.getoption("derivs_no_cache"),
    )
    config.stash[_VERDICTS] = {}
    if config.args_source != pytest.Config.ArgsSource.ARGS and project.paths is not None:
        config.args[:] = [str(path) for path in project.paths]


def _settings(config: pytest.Config) -> Settings | None:
    return config.stash.get(_SETTINGS, None)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """A document, named or found; a derivation file found below a folder."""
    settings = _settings(parent.config)
    if settings is None:
        return None
    from derivs.loader import has_notation, is_document, takes_python_file

    if file_path.suffix == ".py":
        # A named .py file reaches pytest_pycollect_makemodule below instead.
        taken = not parent.session.isinitpath(file_path) and takes_python_file(
            file_path, parent.config.getini("python_files")
        )
    else:
        taken = parent.session.isinitpath(file_path) or (
            is_document(file_path) and has_notation(file_path, settings.project.notation_for)
        )
    return DerivationFile.from_parent(parent, path=file_path) if taken else None


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(
    module_path: Path, parent: pytest.Collector
) -> pytest.Collector | None:
    """A Python file that pytest would import as a module: a derivation file unless a test."""
    if _settings(parent.config) is None or module_path.name == "conftest.py":
        return None
    patterns = parent.config.getini("python_files")
    if any(module_path.match(pattern) for pattern in patterns):
        return None
    return DerivationFile.from_parent(parent, path=module_path)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """The library, when asked for, collected as pytest collects a file (and counted so)."""
    settings = _settings(config)
    if settings is not None and settings.library:
        library = Library.from_parent(session, name="derivs-library", nodeid="derivs-library")
        items.extend(session.genitems(library))


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    """Check every selected link of the session in one batch, before the first test runs.

    Under pytest-xdist each worker runs the items it is given, so each
    checks its own, one at a time, through the same cache.
    """
    settings = _settings(session.config)
    if settings is None or session.config.option.collectonly:
        return
    if hasattr(session.config, "workerinput"):
        return
    items = [item for item in session.items if isinstance(item, LinkItem)]
    if items:
        _check(items, settings, session.config.stash[_VERDICTS])


def _check(items: Sequence[LinkItem], settings: Settings, verdicts: dict[str, Verdict]) -> None:
    from derivs.checker import check_links, link_label

    cache = _cache(settings)
    work = [
        (item.link, item.derivation.context, link_label(item.derivation, item.number, item.link))
        for item in items
    ]
    try:
        found = check_links(work, settings.options, cache)
    finally:
        if cache is not None:
            cache.close()
    verdicts.update((item.nodeid, verdict) for item, verdict in zip(items, found, strict=True))


def _cache(settings: Settings) -> VerdictCache | None:
    if not settings.cache:
        return None
    from derivs import text
    from derivs.cache import VerdictCache

    chosen = settings.project.cache_dir
    if chosen is not None:
        return VerdictCache(chosen, sides=text)
    return VerdictCache(sides=text)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    """A skipped link is reported at its own line, not at the line of this plugin."""
    outcome = yield
    report = outcome.get_result()
    if isinstance(item, LinkItem) and report.skipped and isinstance(report.longrepr, tuple):
        path, line, _ = item.reportinfo()
        reason = report.longrepr[2]
        report.longrepr = (str(path), (line or 0) + 1, reason)


class DerivationFile(pytest.File):
    """A derivation file or a document: a collector per derivation it holds."""

    def collect(self) -> Iterator[DerivationNode]:
        from derivs.loader import ProblemKind, load

        settings = _settings(self.config)
        assert settings is not None  # collected only with --derivs
        loaded = load(
            [str(self.path)],
            (),
            limits=settings.options,
            notation_for=settings.project.notation_for,
            as_found=not self.session.isinitpath(self.path),
        )
        problems = [p for p in loaded.problems if p.kind is not ProblemKind.NO_DERIVATION]
        if problems:
            raise self.CollectError("\n".join(str(problem) for problem in problems))
        for found in loaded.derivations:
            yield DerivationNode.from_parent(self, name=_node_name(found), derivation=found)


class Library(pytest.Collector):
    """derivs' own library of derivations."""

    def collect(self) -> list[DerivationNode]:
        from derivs.proofs import LIBRARY

        return [
            DerivationNode.from_parent(self, name=_node_name(found), derivation=found)
            for found in LIBRARY
        ]


def _node_name(derivation: Derivation) -> str:
    # ``::`` separates the parts of a node id: a name holding it could not be selected.
    return derivation.name.replace("::", ":")


class DerivationNode(pytest.Collector):
    """One derivation: an item per link."""

    def __init__(self, *, derivation: Derivation, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.derivation = derivation

    def collect(self) -> list[LinkItem]:
        return [
            LinkItem.from_parent(self, name=f"link{number}", number=number, link=link)
            for number, link in enumerate(self.derivation.links, start=1)
        ]


class LinkFailed(Exception):
    """A link whose verdict was not the expected one."""

    def __init__(self, result: LinkResult) -> None:
        from derivs.report import claim_text

        super().__init__(claim_text(result))
        self.result = result


class LinkItem(pytest.Item):
    """One link of a derivation, checked as a test."""

    def __init__(self, *, number: int, link: ChainLink, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        assert isinstance(self.parent, DerivationNode)
        self.derivation = self.parent.derivation
        self.number = number
        self.link = link

    def runtest(self) -> None:
        from derivs.verdict import LinkResult, Status

        settings = _settings(self.config)
        assert settings is not None  # collected only with --derivs
        verdicts = self.config.stash[_VERDICTS]
        if self.nodeid not in verdicts:  # not checked in the session's batch (pytest-xdist)
            _check([self], settings, verdicts)
        verdict = verdicts[self.nodeid]
        result = LinkResult(self.number, self.link, verdict)
        if settings.gate.fails(result):
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
