"""A project's configuration: the ``[tool.derivs]`` table of its ``pyproject.toml``.

It is found as ruff and mypy find theirs: from the current folder upwards,
the first ``pyproject.toml`` that holds a ``[tool.derivs]`` table; a
``pyproject.toml`` without one is passed over.  Both front ends (the
``derivs`` command and ``pytest --derivs``) read it through
:func:`find_config`, so a project means the same to both.  The keys::

    [tool.derivs]
    paths = ["derivations", "notes"]   # what `derivs check` with no TARGET checks
    library = false                     # check derivs' own library too
    timeout = 30                        # seconds for each link
    jobs = 2                            # links checked in parallel
    strict = false                      # fail on links not decided (skipped, unknown)
    allow-unknown = false               # do not fail on unknown verdicts
    cache-dir = ".derivs_cache"         # where the verdict cache lives
    notation = "notation.toml"          # the notation of documents that declare none

    [tool.derivs.notation]              # or one notation file per glob, first match wins
    "notes/softmax/*.md" = "notes/softmax.toml"

Relative paths are relative to the folder of that ``pyproject.toml``.  A glob
without ``/`` matches a document's file name; one with ``/`` matches its
path relative to that folder, ``*`` crossing folders (as pytest's
``python_files`` and its node patterns do).  An unknown key or a value of the
wrong kind is a :class:`ConfigError` that names the file, the key and what is
wrong: a typo never passes silently as the default.  Reading it imports
nothing heavy (``tomllib`` only), so a pytest run pays nothing for it.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path, PurePath
from typing import Any

from derivs.errors import DerivsError

FILE_NAME = "pyproject.toml"


class ConfigError(DerivsError):
    """A bad ``[tool.derivs]`` entry: the file, the key and what is wrong, as fields."""

    def __init__(self, file: Path, key: str | None, reason: str) -> None:
        where = f"{file}: [tool.derivs] {key}" if key else str(file)
        super().__init__(f"{where}: {reason}")
        self.file = file
        self.key = key
        self.reason = reason


@dataclass(frozen=True)
class NotationRule:
    """Documents matching ``pattern`` that declare no notation are read with ``notation``."""

    pattern: str
    notation: Path

    def matches(self, relative: PurePath) -> bool:
        if "/" not in self.pattern:
            return fnmatch(relative.name, self.pattern)
        return fnmatch(relative.as_posix(), self.pattern)


@dataclass(frozen=True)
class Config:
    """The settings of one project; every field left out of the file is ``None`` or empty.

    ``file`` is the ``pyproject.toml`` they came from (``None``: no project
    configures derivs).  ``paths`` is ``None`` when the key is absent, so that a
    front end can tell "not configured" from "configured as nothing".
    """

    file: Path | None = None
    paths: tuple[Path, ...] | None = None
    library: bool = False
    notations: tuple[NotationRule, ...] = ()
    timeout: float | None = None
    jobs: int | None = None
    strict: bool = False
    allow_unknown: bool = False
    cache_dir: Path | None = None

    @property
    def root(self) -> Path | None:
        """The folder relative paths are taken from."""
        return None if self.file is None else self.file.parent

    def notation_for(self, document: Path) -> Path | None:
        """The notation file configured for ``document``, or None."""
        root = self.root
        if root is None or not self.notations:
            return None
        try:
            relative = document.resolve().relative_to(root)
        except ValueError:  # a document outside the project: no glob of it applies
            return None
        return next((rule.notation for rule in self.notations if rule.matches(relative)), None)

    def covers(self, path: Path) -> bool:
        """Whether ``path`` is one of the configured paths or inside one (all, if none is)."""
        if self.paths is None:
            return True
        resolved = path.resolve()
        return any(resolved == p or p in resolved.parents for p in map(Path.resolve, self.paths))

    def where(self, key: str) -> str:
        """How messages name a key of this file: ``pyproject.toml: [tool.derivs] timeout``."""
        return f"{self.file}: [tool.derivs] {key}"


def find_config(start: Path) -> Config:
    """The configuration that applies in ``start``: the nearest ``[tool.derivs]`` upwards."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / FILE_NAME
        if not candidate.is_file():
            continue
        table = _derivs_table(candidate)
        if table is not None:
            return read_config(candidate, table)
    return Config()


def _derivs_table(file: Path) -> dict[str, Any] | None:
    try:
        with file.open("rb") as handle:
            document = tomllib.load(handle)
    except OSError as error:
        raise ConfigError(file, None, f"cannot read it: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(file, None, f"not valid TOML: {error}") from None
    tool = document.get("tool")
    if not isinstance(tool, dict) or "derivs" not in tool:
        return None
    table = tool["derivs"]
    if not isinstance(table, dict):
        raise ConfigError(file, None, "[tool.derivs] must be a table")
    return table


def read_config(file: Path, table: dict[str, Any]) -> Config:
    """The ``[tool.derivs]`` ``table`` of ``file``, every key checked."""
    root = file.resolve().parent
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(file, key, f"not a key derivs knows (the keys: {known})")
        name, reader = _KEYS[key]
        try:
            values[name] = reader(value, root)
        except _Wrong as wrong:
            raise ConfigError(file, key, wrong.reason) from None
    if values.get("strict") and values.get("allow_unknown"):
        raise ConfigError(file, "strict", "strict and allow-unknown contradict each other")
    return Config(file=file.resolve(), **values)


class _Wrong(Exception):
    """A value of the wrong kind; the reader says what was expected."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _boolean(value: object, root: Path) -> bool:
    if not isinstance(value, bool):
        raise _Wrong(f"true or false is needed, not {value!r}")
    return value


def _seconds(value: object, root: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Wrong(f"a number of seconds is needed, not {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise _Wrong(f"{value!r} is not a deadline: give a number of seconds above 0")
    return float(value)


def _jobs(value: object, root: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _Wrong(f"a whole number of jobs, 1 or more, is needed, not {value!r}")
    return value


def _folder(value: object, root: Path) -> Path:
    if not isinstance(value, str) or not value:
        raise _Wrong(f"a path is needed, not {value!r}")
    return root / value


def _paths(value: object, root: Path) -> tuple[Path, ...]:
    if not isinstance(value, list):
        raise _Wrong(f"a list of paths is needed, not {value!r}")
    return tuple(_folder(item, root) for item in value)


def _notations(value: object, root: Path) -> tuple[NotationRule, ...]:
    if isinstance(value, str):
        return (NotationRule("*", _folder(value, root)),)
    if not isinstance(value, dict):
        raise _Wrong(f"a notation file, or a table of glob = notation file, not {value!r}")
    return tuple(NotationRule(pattern, _folder(path, root)) for pattern, path in value.items())


#: Each key of ``[tool.derivs]``: the field it sets and the reader of its value.
_KEYS: dict[str, tuple[str, Callable[[object, Path], Any]]] = {
    "paths": ("paths", _paths),
    "library": ("library", _boolean),
    "notation": ("notations", _notations),
    "timeout": ("timeout", _seconds),
    "jobs": ("jobs", _jobs),
    "strict": ("strict", _boolean),
    "allow-unknown": ("allow_unknown", _boolean),
    "cache-dir": ("cache_dir", _folder),
}
