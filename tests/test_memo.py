"""A memo computes each key once, and empties itself when full."""

from __future__ import annotations

from functools import partial

from derivs import memo
from derivs.memo import remembered


def test_a_value_is_computed_once_even_when_it_is_none():
    calls = []
    kept: dict[str, None] = {}
    for _ in range(3):
        assert remembered(kept, "key", lambda: calls.append(1)) is None
    assert calls == [1]


def test_a_full_memo_is_emptied_before_it_grows(monkeypatch):
    monkeypatch.setattr(memo, "MEMO_ENTRIES", 2)
    kept: dict[int, int] = {}
    for key in range(3):
        remembered(kept, key, partial(pow, key, 2))
    assert kept == {2: 4}
