"""Benchmark the engine on the derivation library, on the machine it runs on.

    python benchmarks/engine.py [--naive-timeout SECONDS]

Prints SymPy's own import time (the floor of any run), the whole library
checked cold (each link in its child process, as the checker runs by
default, and in-process), the per-link median, and the same links through
the naive check ``simplify(lhs - rhs) == 0`` (definitions unfolded and
derivatives taken first, so that it has a chance), with how many it proves.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import sympy

from derivs import CheckOptions, Context, check_derivation
from derivs.canonical import prepare, unfold
from derivs.isolation import run_isolated
from derivs.model import Link
from proofs import LIBRARY


def import_seconds(statement: str, repeats: int = 5) -> float:
    """The fastest of ``repeats`` fresh interpreters running ``statement``."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        best = min(best, time.perf_counter() - started)
    return best


def check_library(options: CheckOptions) -> tuple[float, list[float], int]:
    started = time.perf_counter()
    seconds, unexpected = [], 0
    for derivation in LIBRARY:
        result = check_derivation(derivation, options)
        seconds += [link.verdict.seconds for link in result.links]
        unexpected += len(result.unexpected)
    return time.perf_counter() - started, seconds, unexpected


def naive(timeout: float) -> tuple[float, int, int, int]:
    """Time ``simplify(lhs - rhs) == 0`` on every link; count what it proves."""
    started = time.perf_counter()
    proved = proved_errata = timeouts = 0
    for derivation in LIBRARY:
        for link in derivation.links:

            def attempt(link: Link = link, context: Context = derivation.context) -> bool:
                sides = [unfold(prepare(side), context).doit() for side in (link.lhs, link.rhs)]
                return bool(sympy.simplify(sides[0] - sides[1]) == 0)

            outcome = run_isolated(attempt, timeout, 2048)
            if outcome.failure == "timeout":
                timeouts += 1
            elif outcome.value:
                if link.erratum:
                    proved_errata += 1
                else:
                    proved += 1
    return time.perf_counter() - started, proved, proved_errata, timeouts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--naive-timeout", type=float, default=10.0)
    arguments = parser.parse_args()

    links = sum(len(d.links) for d in LIBRARY)
    erratum_links = sum(1 for d in LIBRARY for link in d.links if link.erratum)
    python = import_seconds("pass")
    floor = import_seconds("import sympy") - python
    print(f"library: {len(LIBRARY)} derivations, {links} links ({erratum_links} errata)")
    print(f"python startup {python:.3f} s; SymPy import (the floor) {floor:.3f} s")

    for label, options in (
        ("isolated", CheckOptions()),
        ("in-process", CheckOptions(isolate=False)),
    ):
        total, seconds, unexpected = check_library(options)
        print(
            f"library cold, {label:10}: {total:6.2f} s = {total / floor:5.1f}x the floor; "
            f"per-link median {statistics.median(seconds) * 1000:6.1f} ms, "
            f"max {max(seconds) * 1000:7.1f} ms; unexpected verdicts {unexpected}"
        )

    total, proved, proved_errata, timeouts = naive(arguments.naive_timeout)
    print(
        f"naive simplify(lhs - rhs) == 0: {total:6.2f} s; proves {proved} of "
        f"{links - erratum_links} true links, {proved_errata} errata; "
        f"{timeouts} timeouts at {arguments.naive_timeout:g} s"
    )


if __name__ == "__main__":
    main()
