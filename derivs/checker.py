"""Checking links: prove, else refute, else say honestly that it is unknown.

For each link the checker

1. validates it against its context (every symbol declared, every vector
   indexed with the right number of indices); a malformed link is an
   ``error`` that names the derivation, the link and its file and line;
2. brings it to canonical form and tries the cheap strategies of
   :data:`derivs.strategies.STRATEGIES` (for a link that claims an order or
   ``!=``, the sign of its gap: :mod:`derivs.inequalities`): a proof makes
   it ``proved``;
3. searches for a counterexample (:mod:`derivs.refute`): one makes it
   ``refuted``;
4. tries the expensive strategies; a proof makes it ``proved``;
5. otherwise the link is ``unknown``, with what was tried.

Each link runs in a child process killed at its deadline (see
:mod:`derivs.isolation`), so one bad link never hangs or crashes a run; up
to ``jobs`` of them run at once.  With a :class:`~derivs.cache.VerdictCache`
the checker asks the cache first and stores what it proves or refutes.
Symbolic dimensions stay symbolic in every proof; concrete sizes appear
only in the counterexample search.

The machinery of a run (child processes, the sqlite3 cache) is imported when
a check runs, not with this module: an author who builds
:class:`CheckOptions` or a derivation starts no part of it.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from derivs import kinks
from derivs.canonical import Problem, entries_out_of_range
from derivs.context import Context
from derivs.definedness import refuse_hidden_division
from derivs.errors import DerivsError, OptionError
from derivs.inequalities import attempt_order
from derivs.model import ChainLink, Derivation, Link, Relation, UnreadLink
from derivs.readings import settled
from derivs.refute import SearchLimits, search
from derivs.strategies import Attempt, attempt
from derivs.verdict import DerivationResult, LinkResult, Status, Verdict
from derivs.version import __version__
from derivs.written import as_evaluated

if TYPE_CHECKING:
    from derivs.cache import VerdictCache
    from derivs.isolation import Outcome

#: The longest deadline of one link: a day.  Beyond it a deadline is a typo, and
#: the operating system's waits overflow.
MAX_TIMEOUT = 86_400.0
#: The least memory a check is given beyond what its process holds (SymPy loaded):
#: the library's links run in 16; below this a bound starves ordinary checks.
MIN_MEMORY_MB = 64
#: The most memory a link may be given (1 TiB): beyond it the bound means nothing.
MAX_MEMORY_MB = 1 << 20
#: Parallel jobs beyond this many per CPU only add memory and contention.
JOBS_PER_CPU = 4


def max_jobs() -> int:
    return JOBS_PER_CPU * (os.cpu_count() or 1)


@dataclass(frozen=True)
class CheckOptions:
    """How hard to try: each link's deadline and memory, parallel jobs, the search's limits.

    Every value is checked here, so that each front end (the command line, the
    pytest plugin, a program) refuses the same mistakes with the same
    :class:`~derivs.errors.OptionError`.
    """

    timeout: float = 30.0
    memory_mb: int = 2048
    isolate: bool = True
    jobs: int = 1
    search: SearchLimits = field(default_factory=SearchLimits)

    def __post_init__(self) -> None:
        timeout = self.timeout
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
            raise OptionError("timeout", f"a number of seconds is needed, not {timeout!r}")
        if not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT):
            raise OptionError(
                "timeout",
                f"{timeout!r} is not a deadline: give a number of seconds above 0 "
                f"and at most {MAX_TIMEOUT:g}",
            )
        _whole("memory_mb", self.memory_mb, MIN_MEMORY_MB, MAX_MEMORY_MB, "megabytes")
        _whole("jobs", self.jobs, 1, max_jobs(), f"jobs ({JOBS_PER_CPU} per CPU)")


def _whole(option: str, value: object, least: int, most: int, unit: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise OptionError(option, f"a whole number is needed, not {value!r}")
    if not least <= value <= most:
        raise OptionError(option, f"{value} is out of range: give {least} to {most} {unit}")


def link_label(derivation: Derivation, number: int, link: ChainLink) -> str:
    """``name, link N (file:line)``: how messages name a link."""
    where = f" ({link.location})" if link.location else ""
    return f"{derivation.name}, link {number}{where}"


def check_link(
    link: ChainLink, context: Context, options: CheckOptions | None = None, label: str = "link"
) -> Verdict:
    """The verdict on one link, within the deadline and memory bound of ``options``."""
    options = options or CheckOptions()
    return _run([(link, context, label)], options, None)[0]


def check_links(
    work: Sequence[tuple[ChainLink, Context, str]],
    options: CheckOptions | None = None,
    cache: VerdictCache | None = None,
) -> list[Verdict]:
    """The verdicts on links of any derivations, each given with its context and label.

    One batch, as :func:`check_derivations` checks one: cached verdicts
    first, the rest in up to ``options.jobs`` child processes, a context's
    links on one worker.  A front end that selected some links of several
    derivations (the pytest plugin) checks just those, at once.
    """
    return _run(work, options or CheckOptions(), cache)


def check_derivation(
    derivation: Derivation, options: CheckOptions | None = None, cache: VerdictCache | None = None
) -> DerivationResult:
    """Every link of ``derivation`` checked, in order."""
    return check_derivations([derivation], options, cache)[0]


def check_derivations(
    derivations: Sequence[Derivation],
    options: CheckOptions | None = None,
    cache: VerdictCache | None = None,
    on_link: Callable[[int, Verdict], None] | None = None,
) -> list[DerivationResult]:
    """Check every link of ``derivations``: cached verdicts first, the rest in parallel.

    Links run in up to ``options.jobs`` child processes at once; results come
    back in the order of the derivations and their links, whatever order the
    checks finish in.  ``on_link(position, verdict)`` is called once per link
    as it is done, ``position`` counting the links of every derivation in
    order from 0, so that a front end can tell when a derivation is done.
    """
    options = options or CheckOptions()
    work = [
        (link, derivation.context, link_label(derivation, number, link))
        for derivation in derivations
        for number, link in enumerate(derivation.links, start=1)
    ]
    verdicts = iter(_run(work, options, cache, on_link))
    return [
        DerivationResult(
            derivation,
            tuple(
                LinkResult(number, link, next(verdicts))
                for number, link in enumerate(derivation.links, start=1)
            ),
        )
        for derivation in derivations
    ]


_Work = tuple[ChainLink, Context, str]


def _run(
    work: Sequence[_Work],
    options: CheckOptions,
    cache: VerdictCache | None,
    on_link: Callable[[int, Verdict], None] | None = None,
) -> list[Verdict]:
    verdicts: list[Verdict | None] = [
        _unread(link, label) if isinstance(link, UnreadLink) else None for link, _, label in work
    ]
    keys: dict[int, str] = {}
    from derivs.isolation import run_all, run_sequentially

    if cache is not None:
        from derivs.cache import link_key

        for index, (link, context, _) in enumerate(work):
            if isinstance(link, Link):
                keys[index] = link_key(link, context, options.search, __version__)
                cached = cache.get(keys[index], link)
                verdicts[index] = None if cached is None else settled(link, cached)
    if on_link is not None:
        for index, known in enumerate(verdicts):
            if known is not None:
                on_link(index, known)
    todo = [index for index, verdict in enumerate(verdicts) if verdict is None]
    tasks = [_task(_checked(work[index][0]), *work[index][1:], options) for index in todo]

    def done(position: int, outcome: Outcome[Verdict]) -> None:
        index = todo[position]
        verdict = _verdict(outcome, options, work[index][2])
        if cache is not None:
            cache.put(keys[index], verdict, _checked(work[index][0]))
        verdict = settled(work[index][0], verdict)
        verdicts[index] = verdict
        if on_link is not None:
            on_link(index, verdict)

    if options.isolate:
        groups = [id(work[index][1]) for index in todo]  # a context's links on one worker
        run_all(
            tasks, options.jobs, options.timeout, options.memory_mb, on_done=done, groups=groups
        )
    else:
        run_sequentially(tasks, on_done=done)
    return [verdict for verdict in verdicts if verdict is not None]


def _unread(link: UnreadLink, label: str) -> Verdict:
    """The verdict on a link that is not checked: skipped, or not readable."""
    if link.skipped:
        return Verdict(Status.SKIPPED, "skipped", message=link.reason)
    return Verdict(Status.ERROR, "reading", message=f"{label}: {link.detail()}")


def _checked(link: ChainLink) -> Link:
    if not isinstance(link, Link):
        raise TypeError("only a Link is checked; an UnreadLink has its verdict already")
    return link


def _task(link: Link, context: Context, label: str, options: CheckOptions) -> Callable[[], Verdict]:
    def check() -> Verdict:
        started = time.perf_counter()
        verdict = _check_here(link, context, options, label)
        return replace(verdict, seconds=time.perf_counter() - started)

    return check


def _verdict(outcome: Outcome[Verdict], options: CheckOptions, label: str) -> Verdict:
    if outcome.value is not None:
        return outcome.value
    seconds = options.timeout if outcome.failure == "timeout" else 0.0
    return Verdict(Status.UNKNOWN, outcome.failure, seconds, message=f"{label}: {outcome.detail}")


def _check_here(link: Link, context: Context, options: CheckOptions, label: str) -> Verdict:
    started = time.perf_counter()
    problems = _malformations(link, context)
    if problems:
        return Verdict(Status.ERROR, "validation", message=f"{label}: {'; '.join(problems)}")
    equality = link.relation is Relation.EQUAL
    try:
        for name, side in (("left", link.lhs), ("right", link.rhs)):
            refuse_hidden_division(side, name, context, link.condition, options.search)
        problem = Problem.of(link.lhs, link.rhs, context, link.condition, link.assuming)
        cheap = (
            attempt(problem, expensive=False) if equality else attempt_order(problem, link.relation)
        )
    except DerivsError as error:
        return Verdict(Status.ERROR, "validation", message=f"{label}: {error}")
    if cheap.proof is not None:
        return Verdict(Status.PROVED, _on_domain(cheap.proof.method, problem))
    remaining = options.timeout - (time.perf_counter() - started)
    limits = replace(options.search, seconds=max(0.0, min(options.search.seconds, remaining / 2)))
    # Searched as SymPy evaluates the sides: the draws depend on the text searched.
    lhs, rhs = as_evaluated(link.lhs), as_evaluated(link.rhs)
    found = search(lhs, rhs, context, link.condition, link.assuming, limits, link.relation)
    if found.counterexample is not None:
        sizes = ", ".join(f"{name}={value}" for name, value in found.counterexample.dimensions)
        return Verdict(
            Status.REFUTED,
            f"counterexample search ({sizes or 'concrete values'})",
            counterexample=found.counterexample,
        )
    expensive = attempt(problem, expensive=True) if equality else Attempt(None)
    if expensive.proof is not None:
        return Verdict(Status.PROVED, _on_domain(expensive.proof.method, problem))
    notes = [
        f"no strategy proved it; no counterexample in {found.samples} samples ({found.reason})"
    ]
    notes += list(cheap.failures + expensive.failures)
    return Verdict(Status.UNKNOWN, "no decision", message=f"{label}: " + "; ".join(notes))


def _on_domain(method: str, problem: Problem) -> str:
    """The method of a proof, with where it holds when a derivative has kinks."""
    if not problem.kinks:
        return method
    return f"{method}, where the derivatives exist ({kinks.domain(problem.kinks)})"


def _malformations(link: Link, context: Context) -> list[str]:
    problems = context.undeclared(link.lhs) + context.undeclared(link.rhs)
    for side in (link.lhs, link.rhs):
        problems += entries_out_of_range(side, context, link.condition)
    for relation in link.condition:
        problems += context.undeclared(relation)
    for hypothesis in link.assuming:
        if hypothesis not in context.hypotheses:
            problems.append(f"hypothesis {hypothesis.name!r} is not declared in this context")
    return sorted(set(problems), key=problems.index)
