"""Benchmark derivs on the machine it runs on.

    python benchmarks/engine.py [--jobs N] [--naive-timeout SECONDS] [--skip-naive]

Prints, for the derivation library:

- SymPy's own import time, the floor of any run;
- the whole library cold (no cache) with ``--jobs`` parallel workers, and
  warm (every verdict from the cache), each also as a multiple of the floor;
- the per-link median of the cold run;
- how the cold cost grows with the number of derivations (1x, 4x and 16x
  copies of the library);
- the same links through the naive check ``simplify(lhs - rhs) == 0``
  (definitions unfolded and derivatives taken first, so it has a chance):
  how many it proves and how long it takes;
- reading documents: the seed documents that write LaTeX (with the notation
  files of ``examples/seeds/``) and this repository's test documents, each
  scanned, parsed and translated into links, then checked cold.

Everything runs in this process after one import, as ``derivs check``
does after its own start-up; the CLI adds about half a second of Python,
SymPy, click and rich start-up to each figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import sympy

from derivs import CheckOptions, Context, Derivation, VerdictCache, check_derivations
from derivs.canonical import prepare, unfold
from derivs.isolation import run_all
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


def timed_check(
    derivations: list[Derivation], options: CheckOptions, cache: VerdictCache | None
) -> tuple[float, list[float], int]:
    started = time.perf_counter()
    results = check_derivations(derivations, options, cache)
    elapsed = time.perf_counter() - started
    seconds = [link.verdict.seconds for result in results for link in result.links]
    unexpected = sum(len(result.unexpected) for result in results)
    return elapsed, seconds, unexpected


def copies(times: int) -> list[Derivation]:
    return [replace(d, name=f"{d.name}-{n}") for n in range(times) for d in LIBRARY]


def naive(timeout: float, jobs: int) -> tuple[float, int, int, int]:
    """Time ``simplify(lhs - rhs) == 0`` on every link; count what it proves."""
    work = [(link, d.context) for d in LIBRARY for link in d.links]

    def attempt(link: Link, context: Context) -> bool:
        sides = [unfold(prepare(side), context).doit() for side in (link.lhs, link.rhs)]
        return bool(sympy.simplify(sides[0] - sides[1]) == 0)

    tasks = [lambda link=link, context=context: attempt(link, context) for link, context in work]
    started = time.perf_counter()
    outcomes = run_all(tasks, jobs, timeout, 2048)
    elapsed = time.perf_counter() - started
    proved = sum(
        1 for (link, _), o in zip(work, outcomes, strict=True) if o.value and not link.erratum
    )
    errata = sum(1 for (link, _), o in zip(work, outcomes, strict=True) if o.value and link.erratum)
    timeouts = sum(1 for o in outcomes if o.failure == "timeout")
    return elapsed, proved, errata, timeouts


ROOT = Path(__file__).resolve().parent.parent


def documents(options: CheckOptions) -> None:
    """Read each document into links (parse and translate), then check it cold."""
    from derivs.document import read_document

    seeds = ROOT.parent / "shared" / "seeds"
    found: list[tuple[Path, str | None]] = [
        (path, (ROOT / "examples" / "seeds" / f"{path.name[:3]}.toml").read_text("utf-8"))
        for path in sorted(seeds.glob("00[034]_*.txt"))
    ]
    found += [(path, None) for path in sorted((ROOT / "tests" / "documents").iterdir())]
    for path, notation in found:
        text = path.read_text("utf-8")
        started = time.perf_counter()
        derivation = read_document(str(path), text, notation, "notation")
        read = time.perf_counter() - started
        checked, _, unexpected = timed_check([derivation], options, None)
        print(
            f"document {path.name[:24]:24s} {len(text):6d} chars, "
            f"{len(derivation.links):3d} links: "
            f"read {read * 1000:6.1f} ms, checked {checked:5.2f} s; unexpected {unexpected}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--naive-timeout", type=float, default=10.0)
    parser.add_argument("--skip-naive", action="store_true")
    arguments = parser.parse_args()

    links = sum(len(d.links) for d in LIBRARY)
    errata = sum(1 for d in LIBRARY for link in d.links if link.erratum)
    python = import_seconds("pass")
    floor = import_seconds("import sympy") - python
    print(f"machine: {os.cpu_count()} CPUs; jobs: {arguments.jobs}")
    print(f"library: {len(LIBRARY)} derivations, {links} links ({errata} errata)")
    print(f"python start-up {python:.3f} s; SymPy import (the floor) {floor:.3f} s")

    options = CheckOptions(jobs=arguments.jobs)
    with tempfile.TemporaryDirectory() as folder:
        cache = VerdictCache(Path(folder))
        cold, seconds, unexpected = timed_check(list(LIBRARY), options, cache)
        warm, _, warm_unexpected = timed_check(list(LIBRARY), options, cache)
        cache.close()
    print(
        f"cold (no cache): {cold:6.2f} s = {cold / floor:5.1f}x the floor; unexpected {unexpected}"
    )
    print(
        f"warm (cached):   {warm:6.2f} s = {warm / floor:5.1f}x the floor; "
        f"unexpected {warm_unexpected}"
    )
    print(
        f"per-link median {statistics.median(seconds) * 1000:.1f} ms "
        f"(mean {statistics.mean(seconds) * 1000:.1f} ms, max {max(seconds) * 1000:.0f} ms)"
    )

    base = None
    for times in (1, 4, 16):
        elapsed, _, _ = timed_check(copies(times), options, None)
        base = base or elapsed
        print(
            f"{times:2d}x the library ({times * links:5d} links): {elapsed:6.2f} s, "
            f"{elapsed / base:5.2f}x the 1x time ({elapsed / (times * links) * 1000:.1f} ms a link)"
        )

    documents(options)

    if not arguments.skip_naive:
        elapsed, proved, proved_errata, timeouts = naive(arguments.naive_timeout, arguments.jobs)
        print(
            f"naive simplify(lhs - rhs) == 0: {elapsed:6.2f} s; proves {proved} of "
            f"{links - errata} true links and {proved_errata} errata; "
            f"{timeouts} time out at {arguments.naive_timeout:g} s"
        )


if __name__ == "__main__":
    main()
