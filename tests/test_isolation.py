"""Child processes: deadlines, memory bounds, crashes, exceptions."""

from __future__ import annotations

import os
import time
from collections import deque

import pytest

from derivs.isolation import (
    _next_task,
    _Worker,
    fork_available,
    run_all,
    run_here,
    run_isolated,
)

pytestmark = pytest.mark.skipif(not fork_available(), reason="needs fork")


def test_a_value_comes_back_from_the_child():
    outcome = run_isolated(lambda: {"pid": os.getpid()}, seconds=10, memory_mb=256)
    assert outcome.failure == ""
    assert outcome.value is not None and outcome.value["pid"] != os.getpid()


def test_a_child_past_its_deadline_is_killed():
    started = time.monotonic()
    outcome = run_isolated(lambda: time.sleep(30), seconds=0.5, memory_mb=256)
    assert outcome.failure == "timeout"
    assert outcome.value is None
    assert time.monotonic() - started < 10


def test_a_child_over_its_memory_bound_fails_alone():
    outcome = run_isolated(lambda: bytearray(2 * 1024**3), seconds=30, memory_mb=200)
    assert outcome.failure == "memory"


def test_a_child_that_dies_is_reported_as_a_crash():
    outcome = run_isolated(lambda: os._exit(3), seconds=10, memory_mb=256)
    assert outcome.failure == "crash"
    assert "exit code 3" in outcome.detail


def test_an_exception_is_reported_with_its_message():
    def fail() -> None:
        raise ValueError("no such thing")

    outcome = run_isolated(fail, seconds=10, memory_mb=256)
    assert outcome.failure == "exception"
    assert "ValueError: no such thing" in outcome.detail
    assert run_here(fail).detail == outcome.detail


def test_run_all_keeps_the_order_of_the_tasks_and_runs_them_side_by_side():
    def sleeper(seconds: float, value: int):
        def task() -> int:
            time.sleep(seconds)
            return value

        return task

    tasks = [sleeper(0.6, 0), sleeper(0.1, 1), sleeper(0.6, 2), sleeper(0.1, 3)]
    finished: list[int] = []
    started = time.monotonic()
    outcomes = run_all(
        tasks, jobs=4, seconds=10, memory_mb=256, on_done=lambda i, _: finished.append(i)
    )
    elapsed = time.monotonic() - started
    assert [o.value for o in outcomes] == [0, 1, 2, 3]
    assert sorted(finished) == [0, 1, 2, 3] and finished[:2] != [0, 1]
    assert elapsed < 1.5  # side by side, not 1.4 s one after another


def test_run_all_kills_only_the_late_child():
    tasks = [lambda: time.sleep(30), lambda: "quick"]
    slow, quick = run_all(tasks, jobs=2, seconds=0.5, memory_mb=256)
    assert slow.failure == "timeout"
    assert quick.value == "quick"


def test_a_worker_sees_the_end_of_its_pipe_though_a_sibling_was_forked_after_it():
    from derivs.isolation import _Worker

    tasks = [lambda: 1]
    first = _Worker.start(tasks, 512)
    second = _Worker.start(tasks, 512, [first.connection])
    try:
        first.connection.close()  # the run lets go of the first worker without killing it
        first.process.join(10)
        assert first.process.exitcode == 0, "the worker kept its own pipe open"
        assert second.process.is_alive()
    finally:
        for worker in (first, second):
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join()
        second.connection.close()


def test_a_group_stays_on_its_worker_and_a_free_worker_takes_another_group():
    first = _Worker(None, None, group="a")  # type: ignore[arg-type]
    second = _Worker(None, None, group="b")  # type: ignore[arg-type]
    groups = ["b", "a", "c", "a"]
    waiting = deque(range(4))
    assert _next_task(waiting, first, [first, second], groups) == 1  # its own group
    assert _next_task(waiting, first, [first, second], groups) == 3
    assert _next_task(waiting, first, [first, second], groups) == 2  # a group no worker has
    assert _next_task(waiting, first, [first, second], groups) == 0  # then whatever is left
    assert not waiting


def test_run_all_with_groups_runs_every_task_once_in_order():
    def square(n: int):
        return lambda: n * n

    groups = [n % 3 for n in range(9)]
    outcomes = run_all([square(n) for n in range(9)], 2, 10, 512, groups=groups)
    assert [o.value for o in outcomes] == [n * n for n in range(9)]
