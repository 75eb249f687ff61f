"""The ``derivs`` command line: a thin layer over the library.

    derivs list                       the derivations of the built-in library
    derivs check [TARGET...]          check them, print each link and its status
    derivs latex TARGET... [-o FILE]  write them as a LaTeX document

A TARGET is a library derivation's name, or the path of a derivation file or
folder.  Exit codes: 0 when every verdict is as expected, 1 when any is not,
2 for a usage or input error (an unknown name, a file that fails to import).
"""

from __future__ import annotations

import functools
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

# Only click is imported at start-up: ``derivs --version`` and ``--help`` answer
# without SymPy, and each command imports the engine and rich when it runs.
if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from derivs import CheckOptions, Derivation, DerivationResult, VerdictCache
    from derivs.loader import Loaded, LoadProblem
    from derivs.report import Gate
    from derivs.verdict import LinkResult

EXIT_OK, EXIT_UNEXPECTED, EXIT_INPUT = 0, 1, 2

#: The label and style of each status, by the status's value.
_STATUS_STYLE = {
    "proved": ("✓ proved", "green"),
    "refuted": ("✗ refuted", "red"),
    "unknown": ("? unknown", "yellow"),
    "error": ("! error", "magenta"),
    "skipped": ("- skipped", "dim"),
}

F = TypeVar("F", bound=Callable[..., Any])


#: Width of the tables when stdout is not a terminal (a CI log, a file) and COLUMNS is unset.
PIPED_WIDTH = 160


def _consoles(no_color: bool) -> tuple[Console, Console]:
    from rich.console import Console

    plain = no_color or bool(os.environ.get("NO_COLOR"))
    out = Console(no_color=plain, highlight=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out = Console(no_color=plain, highlight=False, width=PIPED_WIDTH)
    return out, Console(stderr=True, no_color=plain, highlight=False)


@dataclass(frozen=True)
class CheckRun:
    """The settings every checking command shares, and the steps they share."""

    timeout: float
    memory_mb: int
    seed: int
    jobs: int
    no_cache: bool
    clear_cache: bool
    no_color: bool
    debug: bool
    notation: str | None = None

    def consoles(self) -> tuple[Console, Console]:
        return _consoles(self.no_color)

    def load_and_check(
        self, targets: Sequence[str], err: Console
    ) -> tuple[Loaded, list[DerivationResult]]:
        """Load the targets, report what failed to load, check the rest."""
        from derivs import CheckOptions, SearchLimits, VerdictCache

        loaded = _load(targets, self.notation)
        _report_problems(loaded.problems, err, self.debug)
        options = CheckOptions(
            timeout=self.timeout,
            memory_mb=self.memory_mb,
            jobs=self.jobs,
            search=SearchLimits(seed=self.seed),
        )
        cache = None if self.no_cache else VerdictCache()
        if cache is not None and self.clear_cache:
            err.print(f"cleared {cache.clear()} cached verdicts")
        try:
            return loaded, _check_all(loaded, options, cache, err)
        finally:
            if cache is not None:
                cache.close()


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
        **kwargs: Any,
    ) -> Any:
        workers = jobs if jobs is not None else (os.cpu_count() or 1)
        run = CheckRun(
            timeout, memory_mb, seed, workers, no_cache, clear_cache, no_color, debug, notation
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
            default=30.0,
            show_default=True,
            help="Seconds allowed for each link; past it the link is unknown.",
        ),
        click.option(
            "--memory-mb",
            type=int,
            default=2048,
            show_default=True,
            help="Memory allowed for each link's check.",
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
            type=click.IntRange(min=1),
            default=None,
            help="Links checked in parallel processes (default: the number of CPUs).",
        ),
        click.option(
            "--no-cache",
            is_flag=True,
            help="Check every link afresh; neither read nor write .derivs_cache/.",
        ),
        click.option("--clear-cache", is_flag=True, help="Empty .derivs_cache/ before checking."),
        click.option("--no-color", is_flag=True, help="No colour (NO_COLOR is honoured too)."),
        click.option("--debug", is_flag=True, help="Show tracebacks of input errors."),
    ]
    decorated: Any = with_run
    for option in reversed(options):
        decorated = option(decorated)
    return decorated


def _installed(package: str) -> str:
    """The installed version of ``package``, from its metadata (nothing is imported)."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:  # a source tree that is not installed
        return "0.0.0"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    _installed("derivs"),
    prog_name="derivs",
    message=f"%(prog)s %(version)s (SymPy {_installed('sympy')})",
)
def main() -> None:
    """Check the derivations of machine-learning notes, step by step.

    Each link of a chain is proved for symbolic dimensions, or refuted with a
    counterexample, or reported as unknown.
    """


@main.command("list")
@click.option("--no-color", is_flag=True, help="No colour (NO_COLOR is honoured too).")
def list_command(no_color: bool) -> None:
    """List the derivations of the built-in library."""
    from rich.table import Table

    from derivs.text import plain

    out, _ = _consoles(no_color)
    table = Table("name", "title", "sources", "links", title="derivs library")
    for derivation in _library():
        table.add_row(
            derivation.name,
            plain(derivation.title),
            ", ".join(derivation.sources) or "(beyond the documents)",
            str(len(derivation.links)),
        )
    out.print(table)


@main.command()
@click.argument("targets", nargs=-1)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table per derivation; json: the JSON report.",
)
@click.option("--allow-unknown", is_flag=True, help="Do not fail on unknown verdicts.")
@click.option(
    "--strict",
    is_flag=True,
    help="Fail on every link that was not decided: skipped (prose, ellipsis, \\approx) or unknown.",
)
@click.option("--junit", type=click.Path(dir_okay=False), help="Also write JUnit XML here.")
@_check_options
def check(
    targets: Sequence[str],
    output_format: str,
    allow_unknown: bool,
    strict: bool,
    junit: str | None,
    run: CheckRun,
) -> None:
    """Check derivations: TARGET is a library name, a Python file, a folder, or a
    document (.md, .tex, text) with display math (default: the library)."""
    from derivs import __version__
    from derivs.github import github_annotations
    from derivs.junit import junit_xml
    from derivs.report import Gate, json_report

    if allow_unknown and strict:
        raise click.UsageError("--strict and --allow-unknown contradict each other: choose one")
    gate = Gate(allow_unknown=allow_unknown, strict=strict)
    out, err = run.consoles()
    loaded, results = run.load_and_check(targets, err)
    if junit:
        with open(junit, "w", encoding="utf-8") as handle:
            handle.write(junit_xml(results, gate))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        # Workflow commands are read from both streams; stdout stays pure JSON.
        stream = sys.stderr if output_format == "json" else sys.stdout
        for line in github_annotations(results, gate):
            print(line, file=stream)
    if output_format == "json":
        report = json_report(results, __version__, gate)
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for result in results:
            out.print(_table(result, gate))
            out.print()
        out.print(_summary_line(results, gate))
    sys.exit(_exit_code(loaded, results, gate))


@main.command("latex")
@click.argument("targets", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not to stdout.")
@click.option("--fragment", is_flag=True, help="Only the body, for \\input into a paper.")
@_check_options
def latex_command(
    targets: Sequence[str], output: str | None, fragment: bool, run: CheckRun
) -> None:
    """Write derivations as LaTeX, each link with its justification and verdict."""
    from derivs.latex import render_document

    _, err = run.consoles()
    loaded, results = run.load_and_check(targets, err)
    document = render_document(results, fragment=fragment)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(document)
        err.print(f"wrote {output}")
    else:
        click.echo(document, nl=False)
    sys.exit(EXIT_INPUT if loaded.problems else EXIT_OK)


# -- helpers ---------------------------------------------------------------------------


def _library() -> tuple[Derivation, ...]:
    # Imported on demand: building the library is a seventh of the start-up,
    # and checking one's own files (a pre-commit run) does not need it.
    from proofs import LIBRARY

    return LIBRARY


def _load(targets: Sequence[str], notation: str | None = None) -> Loaded:
    from derivs.loader import Loaded, load

    if not targets:
        return Loaded(_library(), ())
    names_a_derivation = any(not Path(target).exists() for target in targets)
    return load(targets, _library() if names_a_derivation else (), notation)


def _report_problems(problems: Sequence[LoadProblem], err: Console, debug: bool) -> None:
    from rich.text import Text

    for problem in problems:
        err.print(Text(f"derivs: error: {problem}", style="bold red"), soft_wrap=True)
        if debug and problem.exception is not None:
            err.print("".join(traceback.format_exception(problem.exception)), markup=False)


def _check_all(
    loaded: Loaded, options: CheckOptions, cache: VerdictCache | None, err: Console
) -> list[DerivationResult]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from derivs import check_derivations

    total = sum(len(d.links) for d in loaded.derivations)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("checking", total=total)
        return check_derivations(
            loaded.derivations, options, cache, on_link=lambda: progress.advance(task)
        )


def _status(result: LinkResult, gate: Gate) -> Text:
    from rich.text import Text

    from derivs.report import is_unexpected

    label, style = _STATUS_STYLE[result.verdict.status.value]
    if result.link.expects_refutation:
        label += " (erratum, expected)" if result.as_expected else " (erratum!)"
    if is_unexpected(result, gate):
        return Text(label + " UNEXPECTED", style=f"bold {style}")
    return Text(label, style=style)


def _table(result: DerivationResult, gate: Gate) -> Table:
    from rich.table import Table
    from rich.text import Text

    from derivs.report import claim_text
    from derivs.text import plain
    from derivs.verdict import Status

    derivation = result.derivation
    sources = f" [{', '.join(derivation.sources)}]" if derivation.sources else ""
    title = f"{derivation.name}: {plain(derivation.title)}{sources}"
    table = Table(title=title, title_justify="left")
    table.add_column("#", no_wrap=True, justify="right")
    table.add_column("claim", ratio=5)
    table.add_column("justification", ratio=2)
    table.add_column("condition", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("method", ratio=2)
    table.add_column("time", no_wrap=True, justify="right")
    for link in result.links:
        verdict = link.verdict
        table.add_row(
            str(link.number),
            claim_text(link),
            plain(str(link.link.justification)),
            plain(link.link.condition_text()),
            _status(link, gate),
            verdict.method + (" (cached)" if verdict.cached else ""),
            "cached" if verdict.cached else f"{verdict.seconds * 1000:.0f} ms",
        )
        if verdict.counterexample is not None:
            table.add_row("", Text(f"↳ counterexample {verdict.counterexample}", style="dim"))
        if verdict.message and verdict.status is not Status.PROVED:
            table.add_row("", Text(f"↳ {verdict.message}", style="dim"))
    return table


def _summary_line(results: Sequence[DerivationResult], gate: Gate) -> Text:
    from rich.text import Text

    from derivs.report import summarize

    summary = summarize(results, gate)
    line = (
        f"{_plural(summary.derivations, 'derivation')}, {_plural(summary.links, 'link')}: "
        f"{summary.proved} proved, "
        f"{summary.refuted} refuted ({summary.expected_refutations} expected errata), "
        f"{summary.unknown} unknown, {summary.error} errors, {summary.skipped} skipped"
    )
    if summary.as_expected:
        return Text(line + ". All as expected.", style="bold green")
    return Text(line + f". {summary.unexpected} unexpected.", style="bold red")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _exit_code(loaded: Loaded, results: Sequence[DerivationResult], gate: Gate) -> int:
    from derivs.report import summarize

    if loaded.problems:
        return EXIT_INPUT
    if not summarize(results, gate).as_expected:
        return EXIT_UNEXPECTED
    return EXIT_OK


if __name__ == "__main__":
    main()
