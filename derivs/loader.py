"""Finding the derivations a user asks for: library names, files, folders and documents.

A target is the name of a library derivation, the path of a Python file, a
folder, or a document (Markdown, LaTeX or text with display math, read by
:mod:`derivs.read.document` with its notation, or the ``notation`` file
given, and titled by its own first heading, :mod:`derivs.heading`).

A folder means the same to every front end (``derivs check FOLDER``,
``pytest --derivs FOLDER``): every Python file below it that may be a
derivation file (:func:`takes_python_file`: not a test module, not
``conftest.py``, not private) and every Markdown or LaTeX document that has
a notation, its own or one given for it; the walk skips the folders pytest
skips.  A Python file of a folder that defines no derivation is a helper
beside the derivations, not a problem; a folder that holds nothing to check
is one.

A Python derivation file is code the user chose to run, like a test file:
it is imported, and every module-level :class:`~derivs.model.Derivation` in
it is collected, in the order they were defined; what it prints while
imported goes to stderr, so that stdout holds only the report a front end
writes.  A document is never run:
it is only parsed, and with limits (as the command line gives) it is parsed
in a worker process under the deadline and memory bound of a check, so that
the main process never computes on what a document writes.

Loading never stops at the first problem: a file that fails to import, a
name that is not in the library, a file that defines no derivation, each
becomes a :class:`LoadProblem` naming the file and line, and the other
targets are still loaded.  Nothing here prints.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import pickle
import sys
import traceback
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from sympy import Basic
from sympy.core.assumptions import StdFactKB

from derivs.checker import CheckOptions
from derivs.errors import DerivsError, DerivsWarning, InputError
from derivs.heading import first_heading
from derivs.isolation import fork_available, run_all, run_isolated
from derivs.model import Derivation, SourceLocation, Step, unreadable_link


class ProblemKind(Enum):
    """What kind of problem kept a target from loading, for front ends to act on."""

    NOT_FOUND = "not found"
    NO_DERIVATION = "no derivation"
    INPUT = "input"


@dataclass(frozen=True)
class LoadProblem:
    """A target that could not be loaded, with where, why and what kind of problem."""

    target: str
    message: str
    line: int | None = None
    exception: BaseException | None = field(default=None, compare=False)
    column: int | None = None
    kind: ProblemKind = ProblemKind.INPUT

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
    targets: Iterable[str],
    library: Sequence[Derivation],
    notation: str | None = None,
    limits: CheckOptions | None = None,
    *,
    notation_for: Callable[[Path], Path | None] | None = None,
    as_found: bool = False,
) -> Loaded:
    """Load each target; collect derivations and problems, never raising.

    ``notation`` is the path of a TOML notation file for the documents;
    without it, ``notation_for`` gives a document that declares no notation
    its project's (see :meth:`derivs.config.Config.notation_for`).  With
    ``limits``, documents are read in worker processes under its deadline and
    memory bound (see :func:`_read_isolated`), as their links are checked.
    With ``as_found``, the files named are taken as a folder takes the files
    it holds (:meth:`_Loading.file_found`): a pre-commit hook names every changed file.
    """
    loading = _Loading({d.name: d for d in library}, limits, notation, notation_for, as_found)
    if notation is not None and loading.notation_text(notation) is None:
        return Loaded((), tuple(loading.problems))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DerivsWarning)
        for target in targets:
            loading.target(target)
    noted = [str(w.message) for w in caught if issubclass(w.category, DerivsWarning)]
    for other in caught:  # warnings of other kinds go on as they came
        if not issubclass(other.category, DerivsWarning):
            warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    found, problems = loading.found, loading.problems
    return Loaded(tuple(_unique(found, problems)), tuple(problems), tuple(dict.fromkeys(noted)))


#: Test modules, as pytest finds them by default (its ``python_files``).
TEST_FILES = ("test_*.py", "*_test.py")
#: Folders a folder's walk does not enter: pytest's default ``norecursedirs``.
SKIPPED_FOLDERS = (
    "*.egg",
    ".*",
    "_darcs",
    "build",
    "CVS",
    "dist",
    "node_modules",
    "venv",
    "{arch}",
)


def takes_python_file(path: Path, test_files: Sequence[str] = TEST_FILES) -> bool:
    """Whether a ``.py`` file found in a folder may be a derivation file.

    Not a test module, not ``conftest.py``, not private (``_`` or ``.``
    first, as ``__init__.py``).  A file taken that defines no derivation is a
    helper beside the derivations, not a problem.
    """
    name = path.name
    if path.suffix != ".py" or name.startswith(("_", ".")) or name == "conftest.py":
        return False
    return not any(fnmatch(name, pattern) for pattern in test_files)


def is_document(path: Path) -> bool:
    """Whether ``path`` is named as a Markdown or LaTeX document (not private)."""
    from derivs.read.scan import LATEX, MARKDOWN

    return path.suffix.lower() in MARKDOWN | LATEX and not path.name.startswith(("_", "."))


def declares_notation(path: Path, text: str) -> bool:
    """Whether a document declares its own notation (a ```derivs or % derivs block)."""
    from derivs.read.scan import document_kind, scan_document

    return scan_document(text, document_kind(str(path))).notation is not None


def has_notation(path: Path, notation_for: Callable[[Path], Path | None] | None) -> bool:
    """Whether a document found in a folder is taken: it declares a notation or is given one."""
    if notation_for is not None and notation_for(path) is not None:
        return True
    try:
        return declares_notation(path, path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return True  # taken, so that the reading names what is wrong with it


def folder_files(folder: Path) -> list[Path]:
    """The files below ``folder`` in a stable order, skipping the folders pytest skips."""
    found: list[Path] = []
    for entry in sorted(folder.iterdir()):
        if entry.is_dir():
            skipped = any(fnmatch(entry.name, pattern) for pattern in SKIPPED_FOLDERS)
            if not skipped and not (entry / "pyvenv.cfg").exists():
                found.extend(folder_files(entry))
        elif entry.is_file():
            found.append(entry)
    return found


@dataclass
class _Loading:
    """One call of :func:`load`: what it found and met, and the notation files it read."""

    library: dict[str, Derivation]
    limits: CheckOptions | None
    given_notation: str | None
    notation_for: Callable[[Path], Path | None] | None
    as_found: bool
    found: list[Derivation] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    notations: dict[str, str | None] = field(default_factory=dict)

    def target(self, target: str) -> None:
        path = Path(target)
        if path.is_dir():
            if not self.folder(path):
                self.problems.append(
                    LoadProblem(
                        target,
                        "the folder holds no derivation file nor document with a notation",
                        kind=ProblemKind.NO_DERIVATION,
                    )
                )
        elif path.suffix == ".py" or path.exists():
            if not path.is_file():
                self.problems.append(
                    LoadProblem(target, "no such file", kind=ProblemKind.NOT_FOUND)
                )
            elif self.as_found:
                self.file_found(path)
            elif path.suffix == ".py":
                _load_file(path, self.found, self.problems, helpers_allowed=False)
            else:
                self.document(path, chosen=True)
        elif target in self.library:
            self.found.append(self.library[target])
        else:
            self.problems.append(
                LoadProblem(
                    target,
                    "not a derivation of the library, nor a file or folder",
                    kind=ProblemKind.NOT_FOUND,
                )
            )

    def folder(self, folder: Path) -> bool:
        """Load what ``folder`` holds; whether it held any derivation file or document."""
        taken = [self.file_found(file) for file in folder_files(folder)]
        return any(taken)

    def file_found(self, path: Path) -> bool:
        """Load a file as a folder's file; whether it gave anything (derivations or a problem)."""
        if path.suffix == ".py":
            if not takes_python_file(path):
                return False
            before = len(self.found), len(self.problems)
            _load_file(path, self.found, self.problems, helpers_allowed=True)
            return (len(self.found), len(self.problems)) != before
        if is_document(path):
            return self.document(path, chosen=False)
        return False

    def document(self, path: Path, chosen: bool) -> bool:
        """Read a document; one found in a folder only if it has a notation.  Whether it was."""
        text = _read_text(path, self.problems, "cannot read")
        if text is None:
            return chosen
        declared = declares_notation(path, text)
        notation_path = self.notation_file(path, declared)
        if not (chosen or declared or notation_path is not None):
            return False
        notation_text = None
        if notation_path is not None:
            notation_text = self.notation_text(notation_path)
            if notation_text is None:
                return True
        _load_document(
            path, text, notation_text, notation_path or "", self.found, self.problems, self.limits
        )
        return True

    def notation_file(self, document: Path, declared: bool) -> str | None:
        """The notation file given for a document: the one for all, else its project's."""
        if self.given_notation is not None:
            return self.given_notation
        if declared or self.notation_for is None:
            return None
        chosen = self.notation_for(document)
        return None if chosen is None else str(chosen)

    def notation_text(self, notation: str) -> str | None:
        """The text of a notation file, read once; None (and one problem) if unreadable."""
        if notation not in self.notations:
            self.notations[notation] = _read_text(
                Path(notation), self.problems, "cannot read the notation"
            )
        return self.notations[notation]


def _load_file(
    path: Path, found: list[Derivation], problems: list[LoadProblem], helpers_allowed: bool
) -> None:
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
    if not derivations and not helpers_allowed:
        problems.append(
            LoadProblem(
                shown,
                "defines no derivation (use derivs.derivation(...))",
                kind=ProblemKind.NO_DERIVATION,
            )
        )
    found.extend(derivations)


@dataclass(frozen=True)
class _Reading:
    """What reading a document (or one of its displays) gave."""

    derivation: Derivation | None
    problems: tuple[LoadProblem, ...] = ()
    warnings: tuple[str, ...] = ()


def _load_document(
    path: Path,
    text: str,
    notation: str | None,
    notation_path: str,
    found: list[Derivation],
    problems: list[LoadProblem],
    limits: CheckOptions | None,
) -> None:
    shown = str(path)
    if limits is None or not limits.isolate or not fork_available():
        reading = _read(shown, text, notation, notation_path)
    else:
        reading = _read_isolated(shown, text, notation, notation_path, limits)
    problems.extend(reading.problems)
    for warning in reading.warnings:
        warnings.warn(warning, DerivsWarning, stacklevel=2)
    if reading.derivation is None:
        return
    if not reading.derivation.steps:
        problems.append(LoadProblem(shown, "holds no display math with an equation"))
        return
    from derivs.read.scan import document_kind

    title = first_heading(text, document_kind(shown))
    found.append(replace(reading.derivation, title=title) if title else reading.derivation)


def _read(
    shown: str, text: str, notation: str | None, notation_path: str, only: int | None = None
) -> _Reading:
    from derivs.read.document import read_document

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DerivsWarning)
        try:
            derivation = read_document(shown, text, notation, notation_path, only)
        except InputError as error:
            problem = LoadProblem(
                shown, error.reason, error.line or None, error, error.column or None
            )
            return _Reading(None, (problem,))
        except DerivsError as error:
            return _Reading(None, (LoadProblem(shown, str(error), None, error),))
    noted = tuple(str(w.message) for w in caught if issubclass(w.category, DerivsWarning))
    return _Reading(derivation, (), noted)


def _read_isolated(
    shown: str, text: str, notation: str | None, notation_path: str, limits: CheckOptions
) -> _Reading:
    """Read in worker processes, under the deadline and memory bound of a check.

    The whole document is read in one worker; if that does not finish, each
    display is read in its own, so that the display at fault is named and the
    others are still read.  What comes back is rebuilt as it was built (see
    :class:`_AsBuilt`): rebuilding ``9^{999}`` must not compute it here.
    """
    from derivs.read.scan import document_kind, scan_document
    from derivs.read.spans import span_source, written_span

    def outcome_of(only: int | None) -> Callable[[], bytes]:
        return lambda: _pickled(_read(shown, text, notation, notation_path, only))

    whole = run_isolated(outcome_of(None), limits.timeout, limits.memory_mb)
    if whole.value is not None:
        return _unpickled(whole.value)
    displays = scan_document(text, document_kind(shown)).displays
    outcomes = run_all(
        [outcome_of(n) for n in range(len(displays))],
        limits.jobs,
        limits.timeout,
        limits.memory_mb,
    )
    steps: list[Step] = []
    read: list[_Reading] = []
    for display, outcome in zip(displays, outcomes, strict=True):
        if outcome.value is None:
            why = f"reading this display failed ({outcome.failure}: {outcome.detail})"
            line = display.origin.line
            written = " ".join(display.math.split())
            source = span_source(display, *written_span(display.math))
            unread = unreadable_link(written, why, SourceLocation(shown, line), source=source)
            steps.append(Step((unread,), title=f"line {line}"))
            continue
        reading = _unpickled(outcome.value)
        read.append(reading)
        if reading.derivation is not None:
            steps.extend(reading.derivation.steps)
    first = next((r.derivation for r in read if r.derivation is not None), None)
    found_problems = tuple(dict.fromkeys(p for r in read for p in r.problems))
    if first is None:
        detail = whole.detail or "the worker failed"
        problem = LoadProblem(shown, f"reading failed ({whole.failure}: {detail})")
        return _Reading(None, found_problems or (problem,))
    return _Reading(replace(first, steps=tuple(steps)), found_problems)


def _pickled(reading: _Reading) -> bytes:
    # Exceptions travel as their messages: a traceback does not pickle.
    problems = tuple(replace(p, exception=None) for p in reading.problems)
    buffer = io.BytesIO()
    _AsBuilt(buffer).dump(replace(reading, problems=problems))
    return buffer.getvalue()


def _unpickled(data: bytes) -> _Reading:
    reading: _Reading = pickle.loads(data)
    return reading


class _AsBuilt(pickle.Pickler):
    """Pickles SymPy expressions as they were built, to be rebuilt without evaluation.

    SymPy's own pickles rebuild an expression by calling its constructor,
    which evaluates: ``9^{999}``, kept unevaluated as it was read, would be
    computed in the process that unpickles it.  Here a compound expression
    is rebuilt from its arguments and the rest of its state as they are.

    Its facts (``_assumptions``) are SymPy's cache of what it has learnt of
    that expression: every expression not yet asked shares its class's
    defaults, which SymPy copies before the first answer is written in.  So
    the facts are sent only where they are the expression's own, and each
    rebuilt expression gets its own copy: shared, ``y + 1 > 0`` would leave
    the answer "positive" where ``y - y`` reads it.
    """

    def reducer_override(self, obj: object) -> Any:
        if isinstance(obj, Basic) and not obj.is_Atom:
            state = {name: getattr(obj, name) for name in _state(type(obj)) if hasattr(obj, name)}
            state.update(getattr(obj, "__dict__", {}))  # Subs keeps its body there
            if state.get("_assumptions") is type(obj).default_assumptions:
                del state["_assumptions"]
            return _as_built, (type(obj), obj.args, state)
        return NotImplemented


_STATE: dict[type, tuple[str, ...]] = {}


def _state(cls: type) -> tuple[str, ...]:
    """The slots of ``cls`` that hold its state besides its arguments (assumptions, flags)."""
    if cls not in _STATE:
        slots = {s for c in cls.__mro__ for s in getattr(c, "__slots__", ())}
        _STATE[cls] = tuple(sorted(slots - {"_args", "_mhash", "__weakref__"}))
    return _STATE[cls]


def _as_built(cls: type[Basic], args: tuple[Basic, ...], state: dict[str, object]) -> Basic:
    built = Basic.__new__(cls, *args)
    for name, value in state.items():
        own = value.copy() if isinstance(value, StdFactKB) else value
        object.__setattr__(built, name, own)
    return built


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
        # What the file prints goes to stderr: stdout carries the report (JSON, LaTeX).
        with contextlib.redirect_stdout(sys.stderr):
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
