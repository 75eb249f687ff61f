"""Finding the derivations a user asks for: library names, files and folders.

A target is the name of a library derivation, the path of a Python file, a
folder (every ``*.py`` below it, except ``_``-prefixed files), or a document
(Markdown, LaTeX or text with display math, read by :mod:`derivs.document`
with its notation, or the ``notation`` file given).  A Python derivation file
is code the user chose to run, like a test file: it is imported, and every
module-level :class:`~derivs.model.Derivation` in it is collected, in the
order they were defined.  A document is never run: it is only parsed.

Loading never stops at the first problem: a file that fails to import, a
name that is not in the library, a file that defines no derivation, each
becomes a :class:`LoadProblem` naming the file and line, and the other
targets are still loaded.  Nothing here prints.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import traceback
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from derivs.errors import DerivsError, DerivsWarning
from derivs.model import Derivation


@dataclass(frozen=True)
class LoadProblem:
    """A target that could not be loaded, with where and why."""

    target: str
    message: str
    line: int | None = None
    exception: BaseException | None = field(default=None, compare=False)
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.target}:{self.line}" if self.line else self.target
        if self.line and self.column:
            where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Loaded:
    """The derivations found, and the problems met on the way."""

    derivations: tuple[Derivation, ...]
    problems: tuple[LoadProblem, ...]
    warnings: tuple[str, ...] = ()


def load(
    targets: Iterable[str], library: Sequence[Derivation], notation: str | None = None
) -> Loaded:
    """Load each target; collect derivations and problems, never raising.

    ``notation`` is the path of a TOML notation file for the documents.
    """
    by_name = {d.name: d for d in library}
    found: list[Derivation] = []
    problems: list[LoadProblem] = []
    notation_text: str | None = None
    if notation is not None:
        notation_text = _read_text(Path(notation), problems, "cannot read the notation")
        if notation_text is None:
            return Loaded((), tuple(problems))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DerivsWarning)
        _load_targets(targets, by_name, notation_text, notation, found, problems)
    noted = [str(w.message) for w in caught if issubclass(w.category, DerivsWarning)]
    for other in caught:  # warnings of other kinds go on as they came
        if not issubclass(other.category, DerivsWarning):
            warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    return Loaded(tuple(_unique(found, problems)), tuple(problems), tuple(dict.fromkeys(noted)))


def _load_targets(
    targets: Iterable[str],
    by_name: dict[str, Derivation],
    notation_text: str | None,
    notation: str | None,
    found: list[Derivation],
    problems: list[LoadProblem],
) -> None:
    for target in targets:
        path = Path(target)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.py") if not _skipped(p, path))
            if not files:
                problems.append(LoadProblem(target, "the folder holds no Python derivation file"))
            for file in files:
                _load_file(file, found, problems)
        elif path.suffix == ".py" or path.exists():
            if not path.is_file():
                problems.append(LoadProblem(target, "no such file"))
            elif path.suffix == ".py":
                _load_file(path, found, problems)
            else:
                _load_document(path, notation_text, notation or "", found, problems)
        elif target in by_name:
            found.append(by_name[target])
        else:
            problems.append(
                LoadProblem(target, "not a derivation of the library, nor a file or folder")
            )


def _skipped(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return any(part.startswith((".", "_")) for part in parts) or "site-packages" in parts


def _load_file(path: Path, found: list[Derivation], problems: list[LoadProblem]) -> None:
    shown = str(path)
    try:
        module_vars = _import(path)
    except SyntaxError as error:
        problems.append(LoadProblem(shown, f"syntax error: {error.msg}", error.lineno, error))
        return
    except DerivsError as error:
        problems.append(LoadProblem(shown, str(error), _line_in(path, error), error))
        return
    except SystemExit as error:
        # A derivation file is imported, not run: its exit must not end the
        # whole run (with its exit status) before anything is checked.
        problems.append(
            LoadProblem(
                shown,
                f"called sys.exit({error.code!r}) while being imported",
                _line_in(path, error),
                error,
            )
        )
        return
    except Exception as error:  # not KeyboardInterrupt: that interrupts the run
        message = f"{type(error).__name__}: {error}"
        problems.append(
            LoadProblem(shown, f"failed to import: {message}", _line_in(path, error), error)
        )
        return
    derivations = [value for value in module_vars.values() if isinstance(value, Derivation)]
    if not derivations:
        problems.append(LoadProblem(shown, "defines no derivation (use derivs.derivation(...))"))
    found.extend(derivations)


def _load_document(
    path: Path,
    notation: str | None,
    notation_path: str,
    found: list[Derivation],
    problems: list[LoadProblem],
) -> None:
    from derivs.document import read_document
    from derivs.tex import TexError

    shown = str(path)
    text = _read_text(path, problems, "cannot read")
    if text is None:
        return
    try:
        derivation = read_document(shown, text, notation, notation_path)
    except TexError as error:
        problems.append(
            LoadProblem(
                shown, str(error).split(": ", 1)[-1], error.line or None, error, error.column
            )
        )
        return
    except DerivsError as error:
        problems.append(LoadProblem(shown, str(error), None, error))
        return
    if not derivation.steps:
        problems.append(LoadProblem(shown, "holds no display math with an equation"))
        return
    found.append(derivation)


def _read_text(path: Path, problems: list[LoadProblem], what: str) -> str | None:
    """The UTF-8 text of ``path``; else a problem at the line and column of the first bad byte."""
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(LoadProblem(str(path), f"{what}: {error.strerror or error}"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", errors="replace")) + 1
        bad = data[error.start : error.end].hex(" ")
        problems.append(
            LoadProblem(
                str(path),
                f"{what}: not UTF-8 text (byte {bad}: {error.reason}); save it as UTF-8",
                line,
                error,
                column,
            )
        )
        return None


def _import(path: Path) -> dict[str, object]:
    resolved = path.resolve()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:12]
    name = f"derivs_user_{resolved.stem}_{digest}"
    spec = importlib.util.spec_from_file_location(name, resolved)
    if spec is None or spec.loader is None:
        raise DerivsError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    folder = str(resolved.parent)
    sys.path.insert(0, folder)  # so that a derivation file can import its neighbours
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    finally:
        sys.path.remove(folder)
    return dict(vars(module))


def _line_in(path: Path, error: BaseException) -> int | None:
    """The line of ``path`` where ``error`` was raised, innermost first."""
    resolved = str(path.resolve())
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if str(Path(frame.filename).resolve()) == resolved:
            return frame.lineno
    return None


def _unique(found: list[Derivation], problems: list[LoadProblem]) -> list[Derivation]:
    seen: dict[str, Derivation] = {}
    for derivation in found:
        other = seen.get(derivation.name)
        if other is None:
            seen[derivation.name] = derivation
        elif other is not derivation:
            where = str(derivation.location) if derivation.location else derivation.name
            problems.append(
                LoadProblem(
                    where, f"derivation name {derivation.name!r} is used twice; the first is kept"
                )
            )
    return list(seen.values())
