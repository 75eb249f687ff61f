"""A content-addressed cache of verdicts, so that repeated runs are fast.

The key of a link is the SHA-256 of everything its verdict depends on: the
exact expressions of its two sides (SymPy's ``srepr``), the relation it
claims between them, its case and
hypotheses, every declaration of its context (definitions, kinds, ranges),
the settings of the counterexample search, the versions of derivs and
SymPy, and a digest of the source of the engine (:func:`engine_digest`).
Change any of them and the link is checked afresh; move it to another line
or rename its justification and it is not.

Given a printer (:class:`SideTexts`: a front end passes :mod:`derivs.text`,
whose source is part of the engine digest as the sides are part of the key),
the store keeps with each verdict its two sides as printed, and a hit hands
them back to the printer, so that a warm run shows its claims without
printing through SymPy.

Only *proved* and *refuted* verdicts are stored: they are deterministic.  An
unknown can be a timeout on a slow machine, and an error is cheap to find
again, so neither is cached.

The store is a sqlite3 file under ``.derivs_cache/`` (with a ``CACHEDIR.TAG``
so that backup tools skip it, and a ``.gitignore`` so that git does).  Each
verdict is JSON, and reading it back validates every field: a cache restored
in CI can come from anyone, so it is never unpickled and never evaluated.  An
entry that does not validate is a miss.

The cache never costs a run.  Runs may share it: it is in WAL mode, each
verdict is written in its own short transaction as its link finishes (so a
killed run keeps what it reached), and a writer waits for another's write.
A file that is not a readable database is set aside and rebuilt; a place
that cannot be written makes the run go on without the cache.  Either way
the reason is kept once in :attr:`VerdictCache.warnings` for the front end.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sqlite3
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import sympy
from sympy import Basic

from derivs.context import Context
from derivs.model import Link
from derivs.refute import SearchLimits
from derivs.verdict import Assignment, Counterexample, Status, Verdict

DEFAULT_DIRECTORY = Path(".derivs_cache")
ENVIRONMENT_VARIABLE = "DERIVS_CACHE_DIR"
#: How long a run waits for another run's write to the same store.
BUSY_SECONDS = 30.0
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by derivs.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_GITIGNORE = "# Created by derivs: the cache is not for version control.\n*\n"
_CACHEABLE = (Status.PROVED, Status.REFUTED)
#: The modules of the package that do not decide a verdict: front ends and output.
_NOT_ENGINE = frozenset({"github.py", "junit.py", "latex.py", "pytest_plugin.py", "report.py"})


@functools.cache
def engine_digest() -> str:
    """A SHA-256 of the source of the modules that decide a verdict, read once per process.

    The version string alone is not enough: an editable or git install runs
    changed code under an unchanged version, and must not be served verdicts
    the old code reached.
    """
    return source_digest(Path(__file__).parent)


def source_digest(package: Path) -> str:
    """A SHA-256 of every engine source file (and the grammar) of ``package``."""
    digest = hashlib.sha256()
    files = [*package.glob("*.py"), *package.glob("*.lark")]
    for file in sorted(f for f in files if f.name not in _NOT_ENGINE):
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


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
        "derivs-cache-2",
        version,
        engine_digest(),
        sympy.__version__,
        _side_srepr(link.lhs),
        _side_srepr(link.rhs),
        link.relation.value,
        [sympy.srepr(relation) for relation in link.condition],
        [(h.name, sympy.srepr(h.lhs), sympy.srepr(h.rhs)) for h in link.assuming],
        context_digest(context),
        [search.max_dimension, search.draws, search.min_samples, search.max_samples, search.seed],
    ]
    text = json.dumps(material, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def verdict_to_json(verdict: Verdict, sides: tuple[str, str] | None = None) -> str:
    """``verdict`` as JSON, with the printed ``sides`` of its link when given."""
    data: dict[str, Any] = {
        "status": verdict.status.value,
        "method": verdict.method,
        "seconds": verdict.seconds,
        "message": verdict.message,
        "counterexample": asdict(verdict.counterexample) if verdict.counterexample else None,
    }
    if sides is not None:
        data["sides"] = list(sides)
    return json.dumps(data, ensure_ascii=False)


def printed_sides_from_json(text: str) -> tuple[str, str] | None:
    """The printed sides stored with a verdict, or None when absent or anything is off."""
    try:
        sides = json.loads(text).get("sides")
    except (ValueError, AttributeError):
        return None
    if isinstance(sides, list) and len(sides) == 2 and all(isinstance(s, str) for s in sides):
        return sides[0], sides[1]
    return None


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
    values = tuple(_assignment(entry) for entry in data["values"])
    return Counterexample(pairs("dimensions", int), pairs("indices", int), values, lhs, rhs)


def _assignment(data: object) -> Assignment:
    if not isinstance(data, dict):
        raise TypeError("values")
    name, indices, value, of = data["name"], data["indices"], data["value"], data["of"]
    texts = [name, value, of, *indices] if isinstance(indices, list) else None
    if texts is None or not all(isinstance(t, str) for t in texts):
        raise TypeError("values")
    return Assignment(name, tuple(indices), value, of)


class SideTexts(Protocol):
    """How a front end prints a side (``text``), and takes a side printed before (``remember``)."""

    def text(self, expr: Basic) -> str: ...

    def remember(self, expr: Basic, printed: str) -> None: ...


@dataclass
class VerdictCache:
    """The store: a sqlite3 file of ``key -> verdict JSON`` in ``directory``.

    Every failure of the store is a miss, never a lost run: what went wrong
    is kept once in :attr:`warnings` for the front end to show.
    """

    directory: Path = field(default_factory=lambda: default_directory())
    sides: SideTexts | None = None
    warnings: list[str] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self._connection: sqlite3.Connection | None = None
        self._disabled = False

    @property
    def path(self) -> Path:
        return self.directory / "verdicts.sqlite3"

    def get(self, key: str, link: Link | None = None) -> Verdict | None:
        """The cached verdict for ``key``, marked as cached, or None.

        Given the ``link`` whose key it is, the sides printed with the verdict
        are handed to :attr:`sides`.
        """
        row = self._execute("SELECT verdict FROM verdicts WHERE key = ?", (key,))
        if row is None:
            return None
        found = verdict_from_json(row[0])
        if found is None:
            return None
        printed = printed_sides_from_json(row[0]) if link is not None else None
        if self.sides is not None and link is not None and printed is not None:
            self.sides.remember(link.lhs, printed[0])
            self.sides.remember(link.rhs, printed[1])
        return replace(found, cached=True, seconds=0.0)

    def put(self, key: str, verdict: Verdict, link: Link | None = None) -> None:
        """Store ``verdict`` if it is deterministic (proved or refuted), committed at once.

        Given the ``link`` whose key it is, its sides are printed by :attr:`sides`
        and stored too.
        """
        if verdict.status in _CACHEABLE and not verdict.cached:
            sides = None
            if self.sides is not None and link is not None:
                sides = (self.sides.text(link.lhs), self.sides.text(link.rhs))
            self._execute(
                "INSERT OR REPLACE INTO verdicts (key, verdict) VALUES (?, ?)",
                (key, verdict_to_json(verdict, sides)),
            )

    def clear(self) -> int:
        """Remove every stored verdict; the number removed."""
        if not self.path.exists():
            return 0
        removed = self._execute("DELETE FROM verdicts", (), count=True)
        return int(removed[0]) if removed else 0

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None

    # -- the file: every statement is its own short transaction ------------------------

    def _execute(
        self, statement: str, parameters: tuple[str, ...], count: bool = False
    ) -> tuple[Any, ...] | None:
        """Run one statement (autocommitted); its first row, or its row count."""
        for attempt in range(2):
            connection = self._open()
            if connection is None:
                return None
            try:
                cursor = connection.execute(statement, parameters)
                return (cursor.rowcount,) if count else cursor.fetchone()
            except sqlite3.Error as error:
                if attempt == 0 and _corrupt(error):
                    if self._set_aside(error):
                        continue
                    self._disable(error)
                    return None
                self._warn(f"the verdict cache {self.path} failed ({error}); not cached")
                return None
        return None

    def _open(self) -> sqlite3.Connection | None:
        if self._connection is None and not self._disabled:
            try:
                self._connection = self._connect()
            except sqlite3.Error as error:
                if not (_corrupt(error) and self._set_aside(error)):
                    self._disable(error)
                    return None
                try:
                    self._connection = self._connect()
                except (OSError, sqlite3.Error) as again:
                    self._disable(again)
            except OSError as error:
                self._disable(error)
        return self._connection

    def _connect(self) -> sqlite3.Connection:
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", _GITIGNORE)):
            if not (self.directory / name).exists():
                (self.directory / name).write_text(text)
        # Autocommit (isolation_level=None): each statement is its own transaction,
        # so a write lock is held for one insert and a killed run keeps every
        # verdict it stored.  WAL lets readers go on while another run writes, and
        # the busy timeout makes a writer wait its turn instead of failing.
        connection = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        try:
            _switch_to_wal(connection)
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, verdict TEXT NOT NULL)"
            )
            (verdict,) = connection.execute("PRAGMA quick_check").fetchone()
            if verdict != "ok":
                raise sqlite3.DatabaseError(f"database disk image is malformed: {verdict}")
        except BaseException:
            connection.close()
            raise
        return connection

    def _set_aside(self, error: sqlite3.Error) -> bool:
        """Move a corrupt store out of the way, so that a fresh one is built in its place."""
        self.close()
        aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}-{os.getpid()}")
        try:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
        except OSError:
            return False
        self._warn(
            f"the verdict cache {self.path} could not be read ({error}); "
            f"it was set aside as {aside.name} and is rebuilt"
        )
        return True

    def _disable(self, error: Exception) -> None:
        self._disabled = True
        self.close()
        self._warn(
            f"running without the verdict cache: {self.directory} cannot be used ({error}); "
            f"--cache-dir or {ENVIRONMENT_VARIABLE} can point elsewhere"
        )

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def _switch_to_wal(connection: sqlite3.Connection) -> None:
    """Put the store in WAL mode, waiting out another run that is doing the same.

    Changing the journal mode needs a lock that SQLite does not wait for with
    the busy timeout: when two runs open a new store at once, one is told
    "database is locked" at once.  It tries again, for up to the busy timeout.
    """
    waited, pause = 0.0, 0.01
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if not _busy(error):
                raise
            if waited >= BUSY_SECONDS:
                raise
            time.sleep(pause)
            waited += pause
            pause = min(pause * 2, 0.5)


def _busy(error: sqlite3.Error) -> bool:
    """Whether ``error`` is another connection holding the lock (its primary result code)."""
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _corrupt(error: sqlite3.Error) -> bool:
    """Whether ``error`` says the file is not (or no longer) a readable database."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    return type(error) is sqlite3.DatabaseError


def default_directory() -> Path:
    """Where the cache lives unless told: ``$DERIVS_CACHE_DIR``, else ``.derivs_cache``.

    Where the current directory cannot be written (a read-only checkout), the
    cache goes to ``$XDG_CACHE_HOME/derivs`` (``~/.cache/derivs``): keys are
    content addresses, so one store can serve every project of a user.
    """
    chosen = os.environ.get(ENVIRONMENT_VARIABLE)
    if chosen:
        return Path(chosen)
    if DEFAULT_DIRECTORY.exists() or os.access(".", os.W_OK):
        return DEFAULT_DIRECTORY
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(home) / "derivs"
