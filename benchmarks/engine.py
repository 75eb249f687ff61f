"""Benchmark derivs on the machine it runs on, as ratios measured in one run.

    python benchmarks/engine.py [--repeats N] [--output FILE] [--rows NAME,...]

Every row of the Speed table (issue 16) is measured end to end, in fresh
processes, as a *ratio* to a reference measured in the same repetition (SymPy's
own import, ``derivs check -j 1``, pytest with the plugin disabled), so that
the load of a shared machine cancels out as far as it can.  Each row is
repeated ``--repeats`` times and reported as min / median / max.

- ``cold``: ``derivs check --no-cache -j 2`` on the whole library, over
  ``python -c "import sympy"`` (the floor of any cold process);
- ``warm``: the same with every verdict in the cache, over the same floor;
- ``pytest``: ``pytest --derivs`` on the library, over ``derivs check
  --no-cache -j 1``;
- ``pytest_start``: ``pytest`` on three trivial tests with derivs installed,
  minus the same with ``-p no:derivs`` (seconds);
- ``version``: ``derivs --version`` over the floor;
- ``product``: the derivative of a product of ``n`` factors, a true link and
  its erratum, each checked in its own process at n = 16, 32, 48, 64; the
  seconds of each (the check alone) and the growth exponent between sizes;
- ``jobs``: ``derivs check --no-cache`` with ``-j 1`` over ``-j 2`` (the
  speed-up), and the CPU seconds of the two (the overhead of parallelism).

The results are printed and written as JSON (``benchmarks/results.json`` by
default) for comparison across commits; the README's Speed table is written
from that file with ``--table``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DERIVS = str(BIN / "derivs")
#: The sizes of each family of products (see :func:`product_source`).
PRODUCT_SIZES = {"exp": (16, 32, 48, 64), "sigmoid": (4, 6, 8, 10)}
ROWS = ("cold", "warm", "pytest", "pytest_start", "version", "product", "jobs")


def timed(command: Sequence[str], cwd: Path, check: bool = True) -> tuple[float, float]:
    """Wall and CPU seconds (of the command and its children) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def floor(cwd: Path) -> float:
    return timed([sys.executable, "-c", "import sympy"], cwd)[0]


def spread(values: list[float]) -> dict[str, float]:
    return {
        "min": min(values),
        "median": statistics.median(values),
        "max": max(values),
    }


def repeat(repeats: int, measure: Callable[[], float]) -> dict[str, Any]:
    values = [measure() for _ in range(repeats)]
    return {**spread(values), "values": values}


def product_source(family: str, n: int) -> str:
    """A derivation file: d/dx_1 of a product of ``n`` factors, a true link and its erratum.

    ``exp``: prod_{k=1}^{n} x_k e^{x_k} written as a product over a concrete
    range; ``sigmoid``: sigma(x_1) ... sigma(x_n) of ``n`` scalars, with
    sigma(t) = 1 / (1 + e^{-t}) a defined function, whose derivative is
    (1 - sigma(x_1)) times the product.
    """
    if family == "sigmoid":
        return f"""
from sympy import Derivative, Mul, exp

from derivs import Notation, derivation, step, then

n = Notation()
xs = [n.scalar(f"x{{m}}") for m in range(1, {n} + 1)]
t = n.scalar("t")
sigma = n.define_function("sigma", t, 1 / (1 + exp(-t)))
f = Mul(*(sigma(x) for x in xs))
TRUE = derivation(
    "product-true", "d/dx_1 of a product of {n} sigmoids", n.context(),
    step(Derivative(f, xs[0]), then((1 - sigma(xs[0])) * f, "product rule")),
)
ERRATUM = derivation(
    "product-erratum", "the same with the factor wrong", n.context(),
    step(Derivative(f, xs[0]), then(sigma(xs[0]) * f, "a slip", erratum="1 - sigma lost")),
)
"""
    return f"""
from sympy import Derivative, Product, exp

from derivs import Notation, Positive, derivation, step, then

n = Notation()
x = n.vector("x", {n}, kind=Positive())
(k,) = n.indices("k", {n})
f = Product(x[k] * exp(x[k]), (k, 1, {n}))
TRUE = derivation(
    "product-true", "d/dx_1 of a product of {n} factors", n.context(),
    step(Derivative(f, x[1]), then(f * (1 + 1 / x[1]), "product rule")),
)
ERRATUM = derivation(
    "product-erratum", "the same with a sign lost", n.context(),
    step(Derivative(f, x[1]), then(f * (1 - 1 / x[1]), "a slip", erratum="sign lost")),
)
"""


def check_seconds(path: Path, name: str, cwd: Path, timeout: float) -> float:
    """The checker's own seconds for the one link of ``name`` in ``path`` (no start-up)."""
    command = [DERIVS, "check", str(path), "--no-cache", "-j", "1", "--format", "json"]
    done = subprocess.run(
        [*command, "--timeout", str(timeout)],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    report = json.loads(done.stdout)
    (derivation,) = [d for d in report["derivations"] if d["name"] == name]
    (link,) = derivation["steps"]
    if link["verdict"] != link["expected"]:
        return math.inf  # undecided (timeout) or wrong: no time to report
    return float(link["seconds"])


def measure(rows: Sequence[str], repeats: int, folder: Path) -> dict[str, Any]:
    """Each row in ``rows``; the library is checked in an empty folder of ``folder``."""
    results: dict[str, Any] = {}
    work = folder / "library"
    work.mkdir()
    # The library is what `derivs check` and `pytest --derivs` check there, one link
    # at a time unless told (-j 2), so that the plugin is compared with `-j 1`.
    (work / "pyproject.toml").write_text("[tool.derivs]\nlibrary = true\njobs = 1\n")
    library = ["check", "--no-cache"]
    if "cold" in rows:
        results["cold"] = repeat(
            repeats,
            lambda: timed([DERIVS, *library, "-j", "2"], work)[0] / floor(work),
        )
    if "warm" in rows:
        timed([DERIVS, "check", "-j", "2"], work)  # fill the cache

        def warm() -> float:
            return timed([DERIVS, "check", "-j", "2"], work)[0] / floor(work)

        results["warm"] = repeat(repeats, warm)
    if "pytest" in rows:
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]

        def plugin() -> float:
            reference = timed([DERIVS, *library, "-j", "1"], work)[0]
            return timed([*pytest, "--derivs", "--derivs-no-cache"], work)[0] / reference

        results["pytest"] = repeat(repeats, plugin)
    if "pytest_start" in rows:
        trivial = folder / "trivial"
        trivial.mkdir()
        tests = "".join(f"def test_{n}():\n    assert True\n\n\n" for n in "abc")
        (trivial / "test_trivial.py").write_text(tests)
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]

        def start() -> float:
            without = timed([*pytest, "-p", "no:derivs"], trivial)[0]
            return timed(pytest, trivial)[0] - without

        results["pytest_start"] = repeat(repeats, start)
    if "version" in rows:
        results["version"] = repeat(
            repeats, lambda: timed([DERIVS, "--version"], work)[0] / floor(work)
        )
    if "product" in rows:
        (folder / "product").mkdir()
        results["product"] = product(folder / "product", max(1, min(repeats, 3)), timeout=30.0)
    if "jobs" in rows:
        speedups, overheads = [], []
        for _ in range(repeats):
            one = timed([DERIVS, *library, "-j", "1"], work)
            two = timed([DERIVS, *library, "-j", "2"], work)
            speedups.append(one[0] / two[0])
            overheads.append(two[1] / one[1])
        results["jobs"] = {
            "speedup": {**spread(speedups), "values": speedups},
            "cpu": {**spread(overheads), "values": overheads},
        }
    return results


def product(work: Path, repeats: int, timeout: float) -> dict[str, Any]:
    """Seconds of each family, link and size (inf: not decided in ``timeout``); growth."""
    found: dict[str, Any] = {}
    for family, sizes in PRODUCT_SIZES.items():
        for n in sizes:
            path = work / f"product_{family}_{n}.py"
            path.write_text(product_source(family, n))
            for which in ("true", "erratum"):
                seconds = [
                    check_seconds(path, f"product-{which}", work, timeout) for _ in range(repeats)
                ]
                found[f"{family} {which} {n}"] = spread(seconds)
        for which in ("true", "erratum"):
            for small, big in itertools.pairwise(sizes):
                a = found[f"{family} {which} {small}"]["median"]
                b = found[f"{family} {which} {big}"]["median"]
                exponent = math.log(b / a) / math.log(big / small) if math.isfinite(b) else math.inf
                found[f"{family} {which} growth {small}-{big}"] = exponent
    return found


def machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": list(load),
    }


def commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip()


def ratio(row: dict[str, Any], unit: str = "x") -> str:
    return f"{row['min']:.2f} / {row['median']:.2f} / {row['max']:.2f}{unit}"


def rows_of(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(measure, min / median / max, goal) for each row in ``results``."""
    rows: list[tuple[str, str, str]] = []
    if "cold" in results:
        rows.append(
            (
                "whole library cold, `derivs check --no-cache -j 2`, end to end, "
                "over `import sympy`",
                ratio(results["cold"]),
                "<= 5x",
            )
        )
    if "warm" in results:
        rows.append(
            (
                "the same, warm (every verdict cached), over `import sympy`",
                ratio(results["warm"]),
                "<= 1.5x",
            )
        )
    if "pytest" in results:
        rows.append(
            (
                "`pytest --derivs` on the library, over `derivs check --no-cache -j 1`",
                ratio(results["pytest"]),
                "<= 1.1x",
            )
        )
    if "pytest_start" in results:
        rows.append(
            (
                "`pytest` without `--derivs`, 3 trivial tests, minus `-p no:derivs`",
                ratio(results["pytest_start"], " s"),
                "+0.05 s at most",
            )
        )
    if "version" in results:
        rows.append(
            ("`derivs --version`, over `import sympy`", ratio(results["version"]), "<= 0.3x")
        )
    if "product" in results:
        found = results["product"]
        for family, sizes in PRODUCT_SIZES.items():
            for which in ("true", "erratum"):
                seconds = ", ".join(
                    f"{found[f'{family} {which} {n}']['median']:.2f}" for n in sizes
                )
                growth = ", ".join(
                    f"{found[f'{family} {which} growth {a}-{b}']:.1f}"
                    for a, b in itertools.pairwise(sizes)
                )
                rows.append(
                    (
                        f"d/dx_1 of a product of n factors ({family}), the {which} link: "
                        f"median seconds at n = {', '.join(map(str, sizes))}; growth exponents",
                        f"{seconds} s; n^({growth})",
                        "< 5 s at n = 64; <= n^2",
                    )
                )
    if "jobs" in results:
        jobs = results["jobs"]
        rows.append(
            (
                "`-j 2` against `-j 1`: speed-up; CPU of `-j 2` over `-j 1`",
                f"{ratio(jobs['speedup'])}; {ratio(jobs['cpu'])}",
                ">= 1.8x",
            )
        )
    return rows


def table(runs: Sequence[dict[str, Any]]) -> str:
    """The README's Speed table: one column per run (each the JSON of one run)."""
    columns = [rows_of(run["results"]) for run in runs]
    heads = " | ".join(f"{run['commit']}: min / median / max" for run in runs)
    lines = [f"| measure | {heads} | goal |", "|" + " --- |" * (len(runs) + 2)]
    for position, (measure, _, goal) in enumerate(columns[-1]):
        cells = " | ".join(
            column[position][1] if position < len(column) else "" for column in columns
        )
        lines.append(f"| {measure} | {cells} | {goal} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument("--rows", default=",".join(ROWS), help=f"some of {', '.join(ROWS)}")
    parser.add_argument(
        "--table",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="print the README table of these results files, one column each",
    )
    arguments = parser.parse_args()
    if arguments.table is not None:
        print(table([json.loads(path.read_text()) for path in arguments.table]))
        return
    rows = [row for row in arguments.rows.split(",") if row]
    unknown = set(rows) - set(ROWS)
    if unknown:
        parser.error(f"unknown rows: {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        started = time.perf_counter()
        results = measure(rows, arguments.repeats, work)
    data = {
        "commit": commit(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
        "repeats": arguments.repeats,
        "seconds": time.perf_counter() - started,
        "results": results,
    }
    arguments.output.write_text(json.dumps(data, indent=2) + "\n")
    print(table([data]))
    print(f"written to {arguments.output}")


if __name__ == "__main__":
    main()
