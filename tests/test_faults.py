"""Faults injected from outside: a corrupt or unusable cache, runs side by side, signals.

Each test runs the real command line in its own processes, in a fresh folder,
and bounds every wait; a test that starts a process kills it (by its id) and
every worker it saw before it returns.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.user_files import SOFTMAX_HEADER

GOOD = SOFTMAX_HEADER + textwrap.dedent(
    """
    GOOD = derivation(
        "good",
        "Two true links and an erratum",
        n.context(),
        step(D(a[i], z[j]), then(-a[i] * a[j], "quotient rule"), case=Ne(i, j)),
        step(D(a[i], z[j]), then(a[i] * a[j], erratum="sign lost"), case=Ne(i, j)),
        step(S, then(Sum(exp(z[k]), (k, 1, K)), "definition")),
    )
    """
)

#: Links whose canonical form is a long expansion: each keeps a worker busy to its deadline.
SLOW = SOFTMAX_HEADER + textwrap.dedent(
    """
    SLOW_1 = derivation(
        "slow-1", "Slow", n.context(),
        step((z[i]**2 + 2*z[i]*z[j] + z[j]**2 + z[k] + 3)**40,
             then(((z[i]+z[j])**2 + z[k] + 3)**40)),
    )
    SLOW_2 = derivation(
        "slow-2", "Slow", n.context(),
        step((z[i]**2 + 2*z[i]*z[j] + z[j]**2 + z[k] + 5)**40,
             then(((z[i]+z[j])**2 + z[k] + 5)**40)),
    )
    """
)

#: Every wait of these tests ends by then, whatever happens.
PATIENCE = 60.0


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "slow.py").write_text(SLOW)
    return tmp_path


def derivs(*args: str) -> list[str]:
    return [sys.executable, "-c", "from derivs.cli import main; main()", *args]


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DERIVS_CACHE_DIR"}
    env.update(NO_COLOR="1", COLUMNS="200", **extra)
    return env


def run(folder: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        derivs(*args),
        cwd=folder,
        env=environment(**extra),
        capture_output=True,
        text=True,
        timeout=PATIENCE,
    )


def rows(database: Path) -> int:
    """How many verdicts ``database`` holds as another process sees it (0 if unreadable)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            return int(db.execute("SELECT count(*) FROM verdicts").fetchone()[0])
    except sqlite3.Error:
        return 0


def until(condition: Callable[[], bool], seconds: float = PATIENCE) -> bool:
    """Whether ``condition()`` became true within ``seconds`` (polled, never a fixed sleep)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(p) for p in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie, dead but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def spawn(folder: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        derivs(*args),
        cwd=folder,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@contextlib.contextmanager
def started(folder: Path, *args: str) -> Iterator[tuple[subprocess.Popen[str], set[int]]]:
    """A run in the background, and the set of its workers the test has seen.

    The run and every worker in the set are killed however the test ends.
    """
    process = spawn(folder, *args)
    seen: set[int] = set()
    try:
        yield process, seen
    finally:
        seen |= children(process.pid)
        for pid in [process.pid, *seen]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.communicate(timeout=PATIENCE)


def test_a_cache_of_garbage_is_set_aside_with_one_warning_and_rebuilt(folder):
    cache = folder / ".derivs_cache"
    cache.mkdir()
    (cache / "verdicts.sqlite3").write_bytes(bytes(range(100)))
    for args in (["--clear-cache"], []):
        result = run(folder, "check", "-j", "1", *args, "good.py")
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.count("could not be read") == 1, result.stderr
        assert "set aside" in result.stderr
        (cache / "verdicts.sqlite3").write_bytes(bytes(range(100)))
    (cache / "verdicts.sqlite3").unlink()
    assert run(folder, "check", "-j", "1", "good.py").returncode == 0
    assert rows(cache / "verdicts.sqlite3") == 3
    assert len(list(cache.glob("verdicts.sqlite3.corrupt-*"))) == 2


def test_a_cache_cut_midway_is_set_aside_and_the_verdicts_are_computed_afresh(folder):
    database = folder / ".derivs_cache" / "verdicts.sqlite3"
    database.parent.mkdir()
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.execute("CREATE TABLE verdicts (key TEXT PRIMARY KEY, verdict TEXT NOT NULL)")
        db.executemany(
            "INSERT INTO verdicts VALUES (?, ?)", [(str(n), "x" * 500) for n in range(200)]
        )
        db.commit()
    data = database.read_bytes()
    database.write_bytes(data[: len(data) // 2])
    result = run(folder, "check", "-j", "1", "good.py")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "set aside" in result.stderr
    assert "cached" not in result.stdout
    assert rows(database) == 3


@pytest.mark.parametrize("runs", [2, 4])
def test_runs_side_by_side_on_one_cache_all_finish_and_share_it(folder, runs):
    args = ("check", "-j", "1", "--timeout", "4", "good.py", "slow.py")
    processes = [spawn(folder, *args) for _ in range(runs)]
    try:
        outputs = [p.communicate(timeout=PATIENCE) for p in processes]
    finally:
        for p in processes:
            with contextlib.suppress(ProcessLookupError):
                p.kill()
            p.wait(timeout=PATIENCE)
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 1, err  # the two slow links are unknown
        assert "Traceback" not in err and "locked" not in err and "warning" not in err, err
        assert out.count("✓ proved") + out.count("✗ refuted") == 3, out
    assert rows(folder / ".derivs_cache" / "verdicts.sqlite3") == 3
    again = run(folder, "check", "-j", "1", "good.py")
    assert again.stdout.count("(cached)") == 3, again.stdout


def test_a_run_killed_midway_keeps_every_verdict_it_reached(folder):
    database = folder / ".derivs_cache" / "verdicts.sqlite3"
    run_args = ("check", "-j", "1", "--timeout", "50", "good.py", "slow.py")
    with started(folder, *run_args) as (process, workers):

        def stored() -> bool:
            workers.update(children(process.pid))
            return rows(database) == 3

        assert until(stored, 40), "no verdict was stored while running"
        assert process.poll() is None  # still on the slow links
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=PATIENCE)
    again = run(folder, "check", "-j", "1", "good.py")
    assert again.stdout.count("(cached)") == 3, again.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_signal_to_the_run_leaves_no_worker_behind(folder, jobs, signum):
    args = ("check", "--no-cache", "-j", jobs, "--timeout", "50", "slow.py")
    with started(folder, *args) as (run_, workers):

        def all_started() -> bool:
            workers.update(children(run_.pid))
            return len(workers) >= int(jobs)

        assert until(all_started, 40), "the workers did not start"
        run_.send_signal(signum)
        try:  # EOF on the job's pipes: no orphan holds them open
            _, err = run_.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            pytest.fail("the run's output stayed open after the signal")
        assert until(lambda: not any(alive(pid) for pid in workers), 20), "a worker survived"
        if signum == signal.SIGTERM:
            assert run_.returncode != 0
            assert "Traceback" not in err, err


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_cache_folder_that_cannot_be_made_runs_without_the_cache_and_says_so_once(folder, how):
    (folder / "a-file").write_text("not a folder")
    place = str(folder / "a-file" / "cache")
    args, extra = (
        (["--cache-dir", place], {}) if how == "option" else ([], {"DERIVS_CACHE_DIR": place})
    )
    result = run(folder, "check", "-j", "1", *args, "good.py", **extra)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("running without the verdict cache") == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_the_cache_goes_where_it_is_told(folder):
    result = run(folder, "check", "-j", "1", "good.py", DERIVS_CACHE_DIR=str(folder / "elsewhere"))
    assert result.returncode == 0, result.stderr
    assert rows(folder / "elsewhere" / "verdicts.sqlite3") == 3
    assert not (folder / ".derivs_cache").exists()


def test_a_cache_file_that_cannot_be_opened_runs_without_the_cache_and_says_so_once(folder):
    (folder / ".derivs_cache" / "verdicts.sqlite3").mkdir(parents=True)
    result = run(folder, "check", "-j", "1", "good.py")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("running without the verdict cache") == 1, result.stderr
    assert "Traceback" not in result.stderr


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[list[str]]:
    """A prefix for a command that sees ``paths`` read-only, made so for root too.

    Root writes through permission bits, so for root each path is bound
    read-only in a mount namespace of the command's own (``unshare -m``); a
    user gets the permission bits, restored afterwards.
    """
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in paths}
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield []
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    probe = subprocess.run(
        ["unshare", "-m", "mount", "--bind", "-o", "ro", "/", "/"],
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        check=False,
    )
    if probe.returncode != 0:
        reason = probe.stderr.strip()
        pytest.skip(f"root without a mount namespace cannot make a folder read-only: {reason}")
    # cd again after the binds: the working folder was entered through the writable mount.
    binds = " && ".join(f"mount --bind -o ro '{p}' '{p}'" for p in paths)
    yield ["unshare", "-m", "sh", "-c", f'{binds} && cd "$PWD" && exec "$@"', "sh"]


def test_a_read_only_folder_and_cache_file_run_without_failing(folder):
    assert run(folder, "check", "-j", "1", "good.py").returncode == 0
    database = folder / ".derivs_cache" / "verdicts.sqlite3"
    checkout = folder / "checkout"
    checkout.mkdir()
    (checkout / "good.py").write_text(GOOD)
    xdg = folder / "xdg"
    with read_only(folder / ".derivs_cache", checkout) as prefix:
        in_place = subprocess.run(
            [*prefix, *derivs("check", "-j", "1", "good.py")],
            cwd=folder,
            env=environment(),
            capture_output=True,
            text=True,
            timeout=PATIENCE,
        )
        elsewhere = subprocess.run(
            [*prefix, *derivs("check", "-j", "1", "good.py")],
            cwd=checkout,
            env=environment(XDG_CACHE_HOME=str(xdg)),
            capture_output=True,
            text=True,
            timeout=PATIENCE,
        )
    assert in_place.returncode == 0, in_place.stderr
    assert "Traceback" not in in_place.stderr
    assert in_place.stderr.count("warning") == 1, in_place.stderr
    assert "running without the verdict cache" in in_place.stderr
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert not (checkout / ".derivs_cache").exists()
    assert rows(xdg / "derivs" / "verdicts.sqlite3") == 3
    assert rows(database) == 3


TOWERS = """```derivs
[dimensions]
K = 1
[scalars]
x = 'real'
```

\\[ 2 \\cdot ((9^{999})^{999})^{999} = x \\]

\\[ ((9^{999})^{999})^{999} = x \\]

\\[ x^{2^{3}} = x^{8} \\]
"""


def test_reading_a_document_is_bounded_like_checking_it(folder):
    (folder / "towers.md").write_text(TOWERS)
    started = time.monotonic()
    result = run(folder, "check", "--no-cache", "-j", "1", "--timeout", "3", "towers.md")
    assert time.monotonic() - started < 30  # before: the main process computed for minutes
    assert result.returncode == 1, result.stderr
    out = " ".join(result.stdout.split())
    # Read as written (never computed), then checked and timed out in a worker.
    assert "no answer within 3 s" in out.split("towers.md:8")[1], out
    assert "no answer within 3 s" in out.split("towers.md:10")[1]
    assert out.count("✓ proved") == 1
