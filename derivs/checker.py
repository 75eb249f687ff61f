"""Checking links: prove, else refute, else say honestly that it is unknown.

For each link the checker

1. validates it against its context (every symbol declared, every vector
   indexed with the right number of indices); a malformed link is an
   ``error`` that names the derivation, the link and its file and line;
2. brings it to canonical form and tries the cheap strategies of
   :data:`derivs.strategies.STRATEGIES`: a proof makes it ``proved``;
3. searches for a counterexample (:mod:`derivs.refute`): one makes it
   ``refuted``;
4. tries the expensive strategies; a proof makes it ``proved``;
5. otherwise the link is ``unknown``, with what was tried.

Each link runs in a child process killed at its deadline (see
:mod:`derivs.isolation`), so one bad link never hangs or crashes a run.
Symbolic dimensions stay symbolic in every proof; concrete sizes appear
only in the counterexample search.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from derivs.canonical import Problem
from derivs.context import Context
from derivs.errors import DerivsError
from derivs.isolation import run_here, run_isolated
from derivs.model import Derivation, Link
from derivs.refute import SearchLimits, search
from derivs.strategies import attempt
from derivs.verdict import DerivationResult, LinkResult, Status, Verdict


@dataclass(frozen=True)
class CheckOptions:
    """How hard to try: the deadline and memory of each link, and the search's limits."""

    timeout: float = 30.0
    memory_mb: int = 2048
    isolate: bool = True
    search: SearchLimits = field(default_factory=SearchLimits)


def link_label(derivation: Derivation, number: int, link: Link) -> str:
    """``name, link N (file:line)``: how messages name a link."""
    where = f" ({link.location})" if link.location else ""
    return f"{derivation.name}, link {number}{where}"


def check_link(
    link: Link, context: Context, options: CheckOptions | None = None, label: str = "link"
) -> Verdict:
    """The verdict on one link, within the deadline and memory bound of ``options``."""
    options = options or CheckOptions()
    started = time.perf_counter()
    if options.isolate:
        outcome = run_isolated(
            lambda: _check_here(link, context, options, label), options.timeout, options.memory_mb
        )
    else:
        outcome = run_here(lambda: _check_here(link, context, options, label))
    seconds = time.perf_counter() - started
    if outcome.value is not None:
        return replace(outcome.value, seconds=seconds)
    return Verdict(Status.UNKNOWN, outcome.failure, seconds, message=f"{label}: {outcome.detail}")


def check_derivation(
    derivation: Derivation, options: CheckOptions | None = None
) -> DerivationResult:
    """Every link of ``derivation`` checked, in order."""
    results = []
    for number, link in enumerate(derivation.links, start=1):
        verdict = check_link(
            link, derivation.context, options, link_label(derivation, number, link)
        )
        results.append(LinkResult(number, link, verdict))
    return DerivationResult(derivation, tuple(results))


def check_derivations(
    derivations: Iterable[Derivation], options: CheckOptions | None = None
) -> Iterator[DerivationResult]:
    """Check several derivations, yielding each result as it is done."""
    for derivation in derivations:
        yield check_derivation(derivation, options)


def _check_here(link: Link, context: Context, options: CheckOptions, label: str) -> Verdict:
    started = time.perf_counter()
    problems = _malformations(link, context)
    if problems:
        return Verdict(Status.ERROR, "validation", message=f"{label}: {'; '.join(problems)}")
    try:
        problem = Problem.of(link.lhs, link.rhs, context, link.condition, link.assuming)
        cheap = attempt(problem, expensive=False)
    except DerivsError as error:
        return Verdict(Status.ERROR, "validation", message=f"{label}: {error}")
    if cheap.proof is not None:
        return Verdict(Status.PROVED, cheap.proof.method)
    remaining = options.timeout - (time.perf_counter() - started)
    limits = replace(options.search, seconds=max(0.0, min(options.search.seconds, remaining / 2)))
    found = search(link.lhs, link.rhs, context, link.condition, link.assuming, limits)
    if found.counterexample is not None:
        sizes = ", ".join(f"{name}={value}" for name, value in found.counterexample.dimensions)
        return Verdict(
            Status.REFUTED,
            f"counterexample search ({sizes or 'concrete values'})",
            counterexample=found.counterexample,
        )
    expensive = attempt(problem, expensive=True)
    if expensive.proof is not None:
        return Verdict(Status.PROVED, expensive.proof.method)
    notes = [
        f"no strategy proved it; no counterexample in {found.samples} samples ({found.reason})"
    ]
    notes += list(cheap.failures + expensive.failures)
    return Verdict(Status.UNKNOWN, "no decision", message=f"{label}: " + "; ".join(notes))


def _malformations(link: Link, context: Context) -> list[str]:
    problems = context.undeclared(link.lhs) + context.undeclared(link.rhs)
    for relation in link.condition:
        problems += context.undeclared(relation)
    for hypothesis in link.assuming:
        if hypothesis not in context.hypotheses:
            problems.append(f"hypothesis {hypothesis.name!r} is not declared in this context")
    return sorted(set(problems), key=problems.index)
