"""Memos of pure functions, kept for the life of a process.

A run computes the same things many times: the links of a chain share their
sides, the derivations of a library share their definitions, a link's proof
and its counterexample search unfold the same sides.  Where a result is a pure
function of its key, a memo keeps it; a worker that checks many links empties
a memo that reaches :data:`MEMO_ENTRIES`, so that its memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, MutableMapping
from typing import TypeVar

#: Entries a memo holds before it is emptied.
MEMO_ENTRIES = 50_000

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")

_MISSING = object()


def remembered(memo: MutableMapping[Key, Value], key: Key, compute: Callable[[], Value]) -> Value:
    """``memo[key]``, computed by ``compute()`` the first time it is asked for."""
    found = memo.get(key, _MISSING)
    if found is _MISSING:
        found = compute()
        if len(memo) >= MEMO_ENTRIES:
            memo.clear()
        memo[key] = found
    return found  # type: ignore[return-value]
