"""The ``derivs`` command line: a thin layer over the library.

    derivs list                       the derivations of the built-in library
    derivs check [TARGET...]          check targets, print each link and its status
    derivs latex TARGET... [-o FILE]  write them as a LaTeX document
    derivs html TARGET... [-o FILE]   write them as one self-contained HTML page

A TARGET is a library derivation's name, or the path of a derivation file,
folder or document (:mod:`derivs.loader`).  Settings not given come from the
project's ``[tool.derivs]`` (:mod:`derivs.config`): with no TARGET, ``check``
checks its ``paths``, and the library only when asked.  Exit codes: 0 when
every verdict is as expected, 1 when any is not, 2 for a usage or input error
(an unknown name, a file that fails to import).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text

import derivs
import derivs.text
from derivs import (
    CheckOptions,
    Derivation,
    DerivationResult,
    SearchLimits,
    VerdictCache,
    check_derivations,
)
from derivs.completion import complete_target
from derivs.config import Config, ConfigError, find_config
from derivs.errors import DerivsError, OptionError
from derivs.github import github_annotations
from derivs.html import Page, document_texts, render_page
from derivs.junit import junit_xml
from derivs.latex import render_document
from derivs.loader import Loaded, LoadProblem, load
from derivs.paths import write_text
from derivs.read.document import document_notation
from derivs.report import DEFAULT_GATE, Gate, json_report, library_json, summarize
from derivs.terminal import ProgressLines, consoles, library_listing, print_report
from derivs.version import version_line

EXIT_OK, EXIT_UNEXPECTED, EXIT_INPUT = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


@dataclass(frozen=True)
class CheckRun:
    """The settings every checking command shares, and the steps they share."""

    options: CheckOptions
    no_cache: bool
    clear_cache: bool
    no_color: bool
    debug: bool
    notation: str | None = None
    cache_dir: str | None = None
    config: Config = field(default_factory=Config)
    library: bool = False
    as_found: bool = False

    def consoles(self) -> tuple[Console, Console]:
        return consoles(self.no_color)

    def load_and_check(
        self, targets: Sequence[str], err: Console
    ) -> tuple[Loaded, list[DerivationResult]]:
        """Load the targets, report what failed to load, check the rest."""
        with _terminate_as_interrupt():
            loaded = _load(targets, self)
            _report_problems(loaded.problems, err, self.debug)
            _report_warnings(loaded.warnings, err)
            cache = None
            if not self.no_cache:
                # The claims are printed once and kept with their verdicts.
                cache = (
                    VerdictCache(Path(self.cache_dir), sides=derivs.text)
                    if self.cache_dir
                    else VerdictCache(sides=derivs.text)
                )
            if cache is not None and self.clear_cache:
                err.print(f"cleared {cache.clear()} cached verdicts")
            try:
                return loaded, _check_all(loaded, self.options, cache, err)
            finally:
                if cache is not None:
                    cache.close()
                    _report_warnings(cache.warnings, err)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a cancelled CI job) ends the run as Ctrl-C does: workers stopped, no traceback."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (an embedding program): leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _usage_error(message: str, no_color: bool) -> NoReturn:
    """A mistake in how derivs was called: one line on stderr, exit 2."""
    _, err = consoles(no_color)
    err.print(Text(f"derivs: error: {message}", style="bold red"), soft_wrap=True)
    sys.exit(EXIT_INPUT)


def _check_options(function: F) -> F:
    """Add the options shared by every command that checks; pass them as ``run``."""

    @functools.wraps(function)
    def with_run(
        *args: Any,
        timeout: float,
        memory_mb: int,
        seed: int,
        jobs: int | None,
        no_cache: bool,
        clear_cache: bool,
        no_color: bool,
        debug: bool,
        notation: str | None,
        cache_dir: str | None,
        **kwargs: Any,
    ) -> Any:
        try:
            config = find_config(Path.cwd())
        except ConfigError as error:
            _usage_error(str(error), no_color)
        settings = {"timeout": timeout, "jobs": jobs}  # what the command line says
        timeout = _first(timeout, config.timeout, 30.0)
        workers = _first(jobs, config.jobs, os.cpu_count() or 1)
        try:
            options = CheckOptions(
                timeout=timeout, memory_mb=memory_mb, jobs=workers, search=SearchLimits(seed=seed)
            )
        except OptionError as error:
            where = f"--{error.option.replace('_', '-')}"
            if settings.get(error.option, True) is None:
                where = config.where(error.option)
            _usage_error(f"{where}: {error.reason}", no_color)
        if cache_dir is None and config.cache_dir is not None:
            cache_dir = str(config.cache_dir)
        run = CheckRun(
            options,
            no_cache,
            clear_cache,
            no_color,
            debug,
            notation,
            cache_dir,
            config,
        )
        return function(*args, run=run, **kwargs)

    options = [
        click.option(
            "--notation",
            type=click.Path(dir_okay=False),
            default=None,
            help="TOML notation for documents (.md, .tex, text) that do not declare their own.",
        ),
        click.option(
            "--timeout",
            type=float,
            default=None,
            help="Seconds allowed for each link (above 0, at most a day); past it the link "
            "is unknown (default: [tool.derivs] timeout, else 30).",
        ),
        click.option(
            "--memory-mb",
            type=int,
            default=2048,
            show_default=True,
            help="Megabytes allowed for each link's check (64 to 1048576).",
        ),
        click.option(
            "--seed",
            type=int,
            default=0,
            show_default=True,
            help="Seed of the counterexample search.",
        ),
        click.option(
            "-j",
            "--jobs",
            type=int,
            default=None,
            help="Links checked in parallel processes, 1 to 4 per CPU (default: [tool.derivs] "
            "jobs, else the number of CPUs).",
        ),
        click.option(
            "--no-cache",
            is_flag=True,
            help="Check every link afresh; neither read nor write the cache.",
        ),
        click.option("--clear-cache", is_flag=True, help="Empty the cache before checking."),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False),
            default=None,
            envvar="DERIVS_CACHE_DIR",
            help="Where the verdict cache lives (default: [tool.derivs] cache-dir, else "
            ".derivs_cache, or $XDG_CACHE_HOME/derivs where the current folder is read-only).",
        ),
        click.option("--no-color", is_flag=True, help="No colour (NO_COLOR is honoured too)."),
        click.option("--debug", is_flag=True, help="Show tracebacks of input errors."),
    ]
    decorated: Any = with_run
    for option in reversed(options):
        decorated = option(decorated)
    return decorated


def format_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--format text|json``, as every command that reports takes it."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help_text,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(derivs.__version__, prog_name="derivs", message=version_line())
def main() -> None:
    """Check the derivations of machine-learning notes, step by step.

    Each link of a chain is proved for symbolic dimensions, or refuted with a
    counterexample, or reported as unknown.
    """


@main.command("list")
@format_option("text: a table; json: the listing, in the schema of the JSON report.")
@click.option("--no-color", is_flag=True, help="No colour (NO_COLOR is honoured too).")
def list_command(output_format: str, no_color: bool) -> None:
    """List the derivations of the built-in library."""
    if output_format == "json":
        listing = library_json(_library(), derivs.__version__)
        click.echo(json.dumps(listing, indent=2, ensure_ascii=False))
        return
    out, _ = consoles(no_color)
    out.print(library_listing(_library(), out.width))


@main.command()
@click.argument("targets", nargs=-1, shell_complete=complete_target)
@format_option("text: a table per derivation; json: the JSON report.")
@click.option("--allow-unknown", is_flag=True, help="Do not fail on unknown verdicts.")
@click.option(
    "--strict",
    is_flag=True,
    help="Fail on every link that was not decided: skipped (prose, ellipsis, \\approx) or unknown.",
)
@click.option("--library", is_flag=True, help="Check derivs' own library too.")
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Take the files named as a folder takes its files (a pre-commit hook names every "
    "changed file): skip test modules, helpers, documents without a notation and files "
    "outside [tool.derivs] paths.",
)
@click.option("--junit", type=click.Path(dir_okay=False), help="Also write JUnit XML here.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    help="Also write the report as one self-contained HTML page here.",
)
@_check_options
def check(
    targets: Sequence[str],
    output_format: str,
    allow_unknown: bool,
    strict: bool,
    library: bool,
    force_exclude: bool,
    junit: str | None,
    html_path: str | None,
    run: CheckRun,
) -> None:
    """Check derivations: TARGET is a library name, a Python file, a folder, or a
    document (.md, .tex, text) with display math (default: [tool.derivs] paths)."""
    if allow_unknown and strict:
        raise click.UsageError("--strict and --allow-unknown contradict each other: choose one")
    if not (allow_unknown or strict):
        allow_unknown, strict = run.config.allow_unknown, run.config.strict
    gate = Gate(allow_unknown=allow_unknown, strict=strict)
    out, err = run.consoles()
    run = replace(run, library=library, as_found=force_exclude)
    loaded, results = run.load_and_check(targets, err)
    problems = loaded.problems
    if junit:
        write_text(junit, junit_xml(results, gate, problems))
    if html_path:
        _write_page(results, gate, html_path, err)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        # Workflow commands are read from both streams; stdout stays pure JSON.
        stream = sys.stderr if output_format == "json" else sys.stdout
        for line in github_annotations(results, gate, problems):
            print(line, file=stream)
    if output_format == "json":
        report = json_report(results, derivs.__version__, gate, problems)
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_report(out, results, gate, problems)
    sys.exit(_exit_code(loaded, results, gate))


@main.command("notation")
@click.argument("document", type=click.Path(exists=True, dir_okay=False))
def notation_command(document: str) -> None:
    """Print the notation of DOCUMENT as TOML: the one it declares, or else the one
    derivs infers from its mathematics, each declaration with the line it came from.
    Keep it, edit it, and give it back with derivs check DOCUMENT --notation FILE."""
    text = Path(document).read_text(encoding="utf-8")
    try:
        click.echo(document_notation(document, text), nl=False)
    except DerivsError as error:
        click.echo(f"derivs: {error}", err=True)
        sys.exit(EXIT_INPUT)


@main.command("latex")
@click.argument("targets", nargs=-1, required=True, shell_complete=complete_target)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not to stdout.")
@click.option("--fragment", is_flag=True, help="Only the body, for \\input into a paper.")
@_check_options
def latex_command(
    targets: Sequence[str], output: str | None, fragment: bool, run: CheckRun
) -> None:
    """Write derivations as LaTeX, each link with its justification and verdict."""
    _, err = run.consoles()
    loaded, results = run.load_and_check(targets, err)
    document = render_document(results, fragment=fragment)
    if output:
        write_text(output, document)
        err.print(f"wrote {output}")
    else:
        click.echo(document, nl=False)
    sys.exit(EXIT_INPUT if loaded.problems else EXIT_OK)


@main.command("html")
@click.argument("targets", nargs=-1, required=True, shell_complete=complete_target)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not to stdout.")
@_check_options
def html_command(targets: Sequence[str], output: str | None, run: CheckRun) -> None:
    """Write derivations as one self-contained HTML page: MathML, no script, no fetch."""
    _, err = run.consoles()
    loaded, results = run.load_and_check(targets, err)
    if output:
        _write_page(results, DEFAULT_GATE, output, err)
    else:
        page = Page(tuple(results), document_texts([r.derivation for r in results]))
        click.echo(render_page(page), nl=False)
    sys.exit(EXIT_INPUT if loaded.problems else EXIT_OK)


# -- helpers ---------------------------------------------------------------------------


def _write_page(results: Sequence[DerivationResult], gate: Gate, path: str, err: Console) -> None:
    derivations = [result.derivation for result in results]
    page = Page(tuple(results), document_texts(derivations), gate)
    write_text(path, render_page(page))
    err.print(f"wrote {path}")


def _library() -> tuple[Derivation, ...]:
    # Imported on demand: building the library is a seventh of the start-up,
    # and checking one's own files (a pre-commit run) does not need it.
    from derivs.proofs import LIBRARY

    return LIBRARY


def _load(targets: Sequence[str], run: CheckRun) -> Loaded:
    """What the run checks: the targets, else the project's paths; the library when asked."""
    config, library = run.config, run.library
    if run.as_found:
        targets = [target for target in targets if config.covers(Path(target))]
    elif not targets:
        library = library or config.library
        if config.paths is None and not library:
            _usage_error(
                "nothing to check: give TARGETs, list them as paths in [tool.derivs] of "
                "pyproject.toml, or check derivs' own library with --library",
                run.no_color,
            )
        targets = [os.path.relpath(path) for path in config.paths or ()]
    names_a_derivation = any(not Path(target).exists() for target in targets)
    loaded = load(
        targets,
        _library() if names_a_derivation and not run.as_found else (),
        run.notation,
        run.options,
        notation_for=config.notation_for,
        as_found=run.as_found,
    )
    if library:
        named = {id(derivation) for derivation in _library()}
        chosen = tuple(d for d in loaded.derivations if id(d) not in named)
        return replace(loaded, derivations=_library() + chosen)
    return loaded


def _first(*values: T | None) -> T:
    """The first value given: the command line's, else the configuration's, else the default."""
    return next(value for value in values if value is not None)


def _report_problems(problems: Sequence[LoadProblem], err: Console, debug: bool) -> None:
    for problem in problems:
        err.print(Text(f"derivs: error: {problem}", style="bold red"), soft_wrap=True)
        if debug and problem.exception is not None:
            err.print("".join(traceback.format_exception(problem.exception)), markup=False)


def _report_warnings(warnings: Sequence[str], err: Console) -> None:
    for warning in warnings:
        err.print(Text(f"derivs: warning: {warning}", style="yellow"), soft_wrap=True)


def _check_all(
    loaded: Loaded, options: CheckOptions, cache: VerdictCache | None, err: Console
) -> list[DerivationResult]:
    if not err.is_terminal:  # a CI log: one line per derivation as it is done
        lines = ProgressLines(loaded.derivations, lambda line: err.print(line, soft_wrap=True))
        return check_derivations(loaded.derivations, options, cache, on_link=lines.link_done)
    total = sum(len(d.links) for d in loaded.derivations)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("checking", total=total)
        return check_derivations(
            loaded.derivations,
            options,
            cache,
            on_link=lambda position, verdict: progress.advance(task),
        )


def _exit_code(loaded: Loaded, results: Sequence[DerivationResult], gate: Gate) -> int:
    if loaded.problems:
        return EXIT_INPUT
    if not summarize(results, gate, loaded.problems).as_expected:
        return EXIT_UNEXPECTED
    return EXIT_OK


if __name__ == "__main__":
    main()
