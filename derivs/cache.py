"""A content-addressed cache of verdicts, so that repeated runs are fast.

The key of a link is the SHA-256 of everything its verdict depends on: the
exact expressions of its two sides (SymPy's ``srepr``), the relation it
claims between them, its case and
hypotheses, every declaration of its context (definitions, kinds, ranges),
the settings of the counterexample search, and the versions of derivs and
SymPy.  Change any of them and the link is checked afresh; move it to
another line or rename its justification and it is not.

Only *proved* and *refuted* verdicts are stored: they are deterministic.  An
unknown can be a timeout on a slow machine, and an error is cheap to find
again, so neither is cached.

The store is a sqlite3 file under ``.derivs_cache/`` (with a ``CACHEDIR.TAG``
so that backup tools skip it, and a ``.gitignore`` so that git does).  Each
verdict is JSON, and reading it back validates every field: a cache restored
in CI can come from anyone, so it is never unpickled and never evaluated.  An
entry that does not validate is a miss.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import sympy

from derivs.context import Context
from derivs.model import Link
from derivs.refute import SearchLimits
from derivs.verdict import Counterexample, Status, Verdict

DEFAULT_DIRECTORY = Path(".derivs_cache")
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by derivs.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_CACHEABLE = (Status.PROVED, Status.REFUTED)


def context_fingerprint(context: Context) -> list[Any]:
    """Every declaration of ``context``, as text that is stable across runs."""
    return [
        [(sympy.srepr(d.symbol), d.minimum) for d in context.dimensions],
        [
            (sympy.srepr(x.symbol), sympy.srepr(x.lower), sympy.srepr(x.upper))
            for x in context.indices
        ],
        [
            (sympy.srepr(t.base), [sympy.srepr(n) for n in t.shape], repr(t.kind))
            for t in context.tensors
        ],
        [(sympy.srepr(s.symbol), repr(s.kind)) for s in context.scalars],
        [str(f) for f in context.functions],
        [
            (d.name, [sympy.srepr(p) for p in d.params], sympy.srepr(d.body))
            for d in context.definitions
        ],
        [(h.name, sympy.srepr(h.lhs), sympy.srepr(h.rhs)) for h in context.hypotheses],
    ]


#: The digest of each context's fingerprint, computed once per context object.
_CONTEXT_DIGESTS: dict[int, tuple[Context, str]] = {}


def context_digest(context: Context) -> str:
    """The SHA-256 of :func:`context_fingerprint`, once per context (a run has few of them)."""
    known = _CONTEXT_DIGESTS.get(id(context))
    if known is not None and known[0] is context:
        return known[1]
    text = json.dumps(context_fingerprint(context), ensure_ascii=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode()).hexdigest()
    _CONTEXT_DIGESTS[id(context)] = (context, digest)
    return digest


#: The ``srepr`` of each side, by identity: consecutive links share a side.
_SIDES: dict[int, tuple[object, str]] = {}


def _side_srepr(side: object) -> str:
    known = _SIDES.get(id(side))
    if known is not None and known[0] is side:
        return known[1]
    printed = sympy.srepr(side)
    if len(_SIDES) >= 10_000:
        _SIDES.clear()
    _SIDES[id(side)] = (side, printed)
    return printed


def link_key(link: Link, context: Context, search: SearchLimits, version: str) -> str:
    """The content address of ``link`` checked in ``context``."""
    material = [
        "derivs-cache-1",
        version,
        sympy.__version__,
        _side_srepr(link.lhs),
        _side_srepr(link.rhs),
        link.relation.value,
        [sympy.srepr(relation) for relation in link.condition],
        [(h.name, sympy.srepr(h.lhs), sympy.srepr(h.rhs)) for h in link.assuming],
        context_digest(context),
        [search.max_dimension, search.draws, search.max_samples, search.seed],
    ]
    text = json.dumps(material, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def verdict_to_json(verdict: Verdict) -> str:
    data: dict[str, Any] = {
        "status": verdict.status.value,
        "method": verdict.method,
        "seconds": verdict.seconds,
        "message": verdict.message,
        "counterexample": asdict(verdict.counterexample) if verdict.counterexample else None,
    }
    return json.dumps(data, ensure_ascii=False)


def verdict_from_json(text: str) -> Verdict | None:
    """The verdict stored as ``text``, or None when anything about it is off."""
    try:
        data = json.loads(text)
        status = Status(data["status"])
        method, seconds, message = data["method"], data["seconds"], data["message"]
        if status not in _CACHEABLE or not isinstance(method, str) or not isinstance(message, str):
            return None
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
            return None
        counterexample = _counterexample(data["counterexample"])
        return Verdict(status, method, float(seconds), counterexample, message)
    except (ValueError, KeyError, TypeError):
        return None


def _counterexample(data: object) -> Counterexample | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise TypeError("counterexample")

    def pairs(key: str, kind: type) -> tuple[tuple[str, Any], ...]:
        found = tuple((name, value) for name, value in data[key])
        if not all(isinstance(name, str) and type(value) is kind for name, value in found):
            raise TypeError(key)
        return found

    lhs, rhs = data["lhs"], data["rhs"]
    if not (isinstance(lhs, str) and isinstance(rhs, str)):
        raise TypeError("sides")
    return Counterexample(
        pairs("dimensions", int), pairs("indices", int), pairs("values", str), lhs, rhs
    )


@dataclass
class VerdictCache:
    """The store: a sqlite3 file of ``key -> verdict JSON`` in ``directory``."""

    directory: Path = DEFAULT_DIRECTORY

    def __post_init__(self) -> None:
        self._connection: sqlite3.Connection | None = None

    @property
    def path(self) -> Path:
        return self.directory / "verdicts.sqlite3"

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            tag = self.directory / "CACHEDIR.TAG"
            if not tag.exists():
                tag.write_text(CACHEDIR_TAG)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by derivs: the cache is not for version control.\n*\n")
            self._connection = sqlite3.connect(self.path)
            self._connection.execute(
                "CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, verdict TEXT NOT NULL)"
            )
        return self._connection

    def get(self, key: str) -> Verdict | None:
        """The cached verdict for ``key``, marked as cached, or None."""
        row = self._open().execute("SELECT verdict FROM verdicts WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        found = verdict_from_json(row[0])
        return None if found is None else replace(found, cached=True, seconds=0.0)

    def put(self, key: str, verdict: Verdict) -> None:
        """Store ``verdict`` if it is deterministic (proved or refuted)."""
        if verdict.status in _CACHEABLE and not verdict.cached:
            self._open().execute(
                "INSERT OR REPLACE INTO verdicts (key, verdict) VALUES (?, ?)",
                (key, verdict_to_json(verdict)),
            )

    def commit(self) -> None:
        if self._connection is not None:
            self._connection.commit()

    def clear(self) -> int:
        """Remove every stored verdict; the number removed."""
        if not self.path.exists():
            return 0
        connection = self._open()
        removed = connection.execute("DELETE FROM verdicts").rowcount
        connection.commit()
        return int(removed)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.commit()
            self._connection.close()
            self._connection = None
