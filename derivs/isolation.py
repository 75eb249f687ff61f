"""Running one check in a child process with a deadline and a memory bound.

SymPy can take minutes, or all the memory there is, on an unlucky
expression.  So each link is checked in a forked child: the parent waits at
most ``seconds``, then kills it; the child caps its own address space at
``memory_mb`` more than it started with.  Whatever happens in the child (a
timeout, a MemoryError, a crash), the parent gets an :class:`Outcome` and the
run goes on with the next link.

Fork is used because the child inherits the loaded SymPy and the link as
they are: nothing is pickled on the way in, and only the small result comes
back through a pipe.  Where fork is not available the check runs in-process,
without a deadline.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

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
    if not fork_available():
        return run_here(task)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(task, sender, memory_mb), daemon=True)
    child.start()
    sender.close()
    try:
        if receiver.poll(seconds):
            try:
                outcome: Outcome[T] = receiver.recv()
            except EOFError:
                child.join(5)
                outcome = Outcome(
                    failure="crash",
                    detail=f"the checking process died (exit code {child.exitcode})",
                )
            return outcome
        return Outcome(failure="timeout", detail=f"no answer within {seconds:g} s")
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()


def run_here(task: Callable[[], T]) -> Outcome[T]:
    """Run ``task()`` in this process, turning exceptions into an outcome."""
    try:
        return Outcome(value=task())
    except MemoryError:
        return Outcome(failure="memory", detail="out of memory")
    except RecursionError:
        return Outcome(failure="exception", detail="recursion too deep")
    except Exception as error:
        return Outcome(
            failure="exception", detail="".join(traceback.format_exception_only(error)).strip()
        )


def _child(task: Callable[[], T], sender: Connection, memory_mb: int) -> None:
    _limit_memory(memory_mb)
    outcome = run_here(task)
    try:
        sender.send(outcome)
    except Exception as error:
        sender.send(Outcome(failure="exception", detail=f"result could not be sent: {error}"))
    finally:
        sender.close()
        os._exit(0)


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
