"""Running one check in a child process with a deadline and a memory bound.

SymPy can take minutes, or all the memory there is, on an unlucky
expression.  So each link is checked in a forked child: the parent waits at
most ``seconds``, then kills it; the child caps its own address space at
``memory_mb`` more than it started with.  Whatever happens in the child (a
timeout, a MemoryError, a crash), the parent gets an :class:`Outcome` and the
run goes on with the next link.

Fork is used because the child inherits the loaded SymPy and the link as
they are: nothing is pickled on the way in, and only the small result comes
back through a pipe.  :func:`run_all` keeps up to ``jobs`` worker children
that take tasks one at a time, each task with its own deadline, and returns
the outcomes in the order of the tasks; a worker that overruns is killed and
replaced, so the price of a fork is paid per worker, not per task.  Where
fork is not available the checks run in-process, one after another, without
a deadline.

A worker never outlives the process that started it: it holds only its own
end of its pipe, asks the kernel to kill it when its parent dies (Linux's
``PR_SET_PDEATHSIG``), and between tasks checks that its parent is still
there.  So a run killed from outside (a CI step cancelled, SIGKILL) leaves
no process computing on, nor holding the job's output open.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What came back from the child: a value, or why there is none."""

    value: T | None = None
    failure: str = ""  # "timeout", "memory", "crash" or "exception"
    detail: str = ""


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def run_isolated(task: Callable[[], T], seconds: float, memory_mb: int) -> Outcome[T]:
    """Run ``task()`` in a forked child; kill it after ``seconds``."""
    return run_all([task], jobs=1, seconds=seconds, memory_mb=memory_mb)[0]


def run_all(
    tasks: Sequence[Callable[[], T]],
    jobs: int,
    seconds: float,
    memory_mb: int,
    on_done: Callable[[int, Outcome[T]], None] | None = None,
    groups: Sequence[object] | None = None,
) -> list[Outcome[T]]:
    """Run every task in forked worker processes, at most ``jobs`` at once.

    A worker takes tasks one at a time; each task has its own deadline of
    ``seconds``.  A worker whose task overruns, crashes or runs out of memory
    is killed and replaced by a fresh fork, so one bad task never affects
    another.  The outcomes come back in the order of ``tasks``, whatever
    order they finish in; ``on_done(index, outcome)`` is called as each one
    finishes.  Tasks of one of ``groups`` (a key per task) go to the worker
    that ran that group before, while it has some left, so what a worker
    keeps in memory for a group serves the rest of it.
    """
    if not fork_available():
        return run_sequentially(tasks, on_done)
    outcomes: list[Outcome[T] | None] = [None] * len(tasks)
    waiting = deque(range(len(tasks)))
    workers: list[_Worker] = []
    try:
        while waiting or any(w.index is not None for w in workers):
            workers = [w for w in workers if w.alive]
            while len(workers) < min(max(1, jobs), len(tasks)) and waiting:
                siblings = [w.connection for w in workers]
                workers.append(_Worker.start(tasks, memory_mb, siblings))
            for worker in workers:
                if worker.index is None and waiting:
                    index = _next_task(waiting, worker, workers, groups)
                    worker.group = groups[index] if groups is not None else None
                    worker.give(index, seconds)
            busy = [w for w in workers if w.index is not None]
            soonest = min(w.deadline for w in busy)
            ready = set(wait([w.connection for w in busy], max(0.0, soonest - time.monotonic())))
            now = time.monotonic()
            for worker in busy:
                if worker.connection in ready:
                    finished, outcome = worker.receive()
                elif worker.deadline <= now:
                    finished = worker.index
                    outcome = Outcome(failure="timeout", detail=f"no answer within {seconds:g} s")
                    worker.stop()
                else:
                    continue
                if finished is not None:
                    outcomes[finished] = outcome
                    if on_done is not None:
                        on_done(finished, outcome)
    finally:
        for worker in workers:
            worker.stop()
    return [outcome for outcome in outcomes if outcome is not None]


@dataclass
class _Worker:
    """A forked process that runs tasks by index, one at a time."""

    process: BaseProcess
    connection: Connection
    index: int | None = None
    deadline: float = 0.0
    alive: bool = True
    group: object = None

    @classmethod
    def start(
        cls,
        tasks: Sequence[Callable[[], Any]],
        memory_mb: int,
        siblings: Sequence[Connection] = (),
    ) -> _Worker:
        """Fork a worker; it closes the parent's ends of its own and its siblings' pipes."""
        fork = multiprocessing.get_context("fork")
        parent, child = fork.Pipe(duplex=True)
        process = fork.Process(
            target=_serve,
            args=(tasks, child, [parent, *siblings], os.getpid(), memory_mb),
            daemon=True,
        )
        process.start()
        child.close()
        return cls(process, parent)

    def give(self, index: int, seconds: float) -> None:
        self.index, self.deadline = index, time.monotonic() + seconds
        self.connection.send(index)

    def receive(self) -> tuple[int | None, Outcome[Any]]:
        """The outcome of the current task; a worker that failed is stopped."""
        index = self.index
        try:
            outcome: Outcome[Any] = self.connection.recv()
        except EOFError:
            self.process.join(5)
            outcome = Outcome(
                failure="crash",
                detail=f"the checking process died (exit code {self.process.exitcode})",
            )
        if outcome.failure in ("crash", "memory"):
            self.stop()
        self.index = None
        return index, outcome

    def stop(self) -> None:
        if self.alive:
            self.alive = False
            self.index = None
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
            self.connection.close()


def _next_task(
    waiting: deque[int], worker: _Worker, workers: list[_Worker], groups: Sequence[object] | None
) -> int:
    """The next task for ``worker``: of its own group, else of a group no worker has, else next."""
    if groups is not None:
        taken = {w.group for w in workers if w is not worker}
        for wanted in (lambda g: g == worker.group, lambda g: g not in taken):
            for index in waiting:
                if wanted(groups[index]):
                    waiting.remove(index)
                    return index
    return waiting.popleft()


def _serve(
    tasks: Sequence[Callable[[], Any]],
    connection: Connection,
    parents_ends: Sequence[Connection],
    parent: int,
    memory_mb: int,
) -> None:
    """The worker's loop: take an index, run that task, send its outcome."""
    try:
        for end in parents_ends:  # else a worker keeps pipes open and never sees their EOF
            end.close()
        _die_with(parent)
        _limit_memory(memory_mb)
        while True:
            while not connection.poll(PARENT_CHECK_SECONDS):
                if os.getppid() != parent:
                    return
            try:
                index = connection.recv()
            except EOFError:
                break
            outcome = run_here(tasks[index])
            try:
                connection.send(outcome)
            except Exception as error:  # report what could not be sent, not nothing
                connection.send(
                    Outcome(failure="exception", detail=f"result could not be sent: {error}")
                )
    finally:
        connection.close()
        os._exit(0)


#: How often an idle worker checks that the process that started it is alive.
PARENT_CHECK_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when ``parent`` dies, where it can (Linux)."""
    # The parent's own handlers (a CLI's SIGTERM) are not the worker's.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        # Without prctl the check of the parent between tasks remains.
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(0)


def run_sequentially(
    tasks: Sequence[Callable[[], T]],
    on_done: Callable[[int, Outcome[T]], None] | None = None,
) -> list[Outcome[T]]:
    """Run every task in this process, one after another, without a deadline."""
    outcomes = []
    for index, task in enumerate(tasks):
        outcomes.append(run_here(task))
        if on_done is not None:
            on_done(index, outcomes[-1])
    return outcomes


def run_here(task: Callable[[], T]) -> Outcome[T]:
    """Run ``task()`` in this process, turning exceptions into an outcome."""
    try:
        return Outcome(value=task())
    except MemoryError:
        return Outcome(failure="memory", detail="out of memory")
    except RecursionError:
        return Outcome(failure="exception", detail="recursion too deep")
    except Exception as error:  # a check must never take the run down
        return Outcome(
            failure="exception", detail="".join(traceback.format_exception_only(error)).strip()
        )


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: no bound
        return
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
    except OSError:  # no /proc (macOS): leave the address space unbounded
        return
    current = pages * os.sysconf("SC_PAGE_SIZE")
    limit = current + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
