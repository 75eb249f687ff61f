"""The walls of the design (``../shared/DESIGN.md``) as a test.

Every module of ``derivs`` belongs to one layer, named in the sets below; a
new module must be placed in one.  Imports are read with :mod:`ast` (every
``import`` anywhere in a module, also those inside functions and under
``TYPE_CHECKING``), and each wall is a rule about which layer may import
which:

- the model is data: it imports nothing of the engine, the reader or the
  front ends;
- the engine imports no front end (nor click, rich, pytest), nothing of the
  reader and nothing of ``proofs``; it prints nothing;
- the reader imports no engine module;
- ``import derivs`` and building a derivation start none of the checker's
  machinery (sqlite3, multiprocessing) nor click or rich.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "derivs"

#: The model: derivations, links, verdicts, errors, rules and the notation they are written
#: in (the context), with the value helpers an author writes in a link (numbers).
MODEL = frozenset(
    {
        "derivs.model",
        "derivs.verdict",
        "derivs.errors",
        "derivs.rules",
        "derivs.context",
        "derivs.kinds",
        "derivs.numbers",
        "derivs.as_written",
        "derivs.version",
    }
)
#: The engine: what proves, refutes and runs checks.
ENGINE = frozenset(
    {
        "derivs.checker",
        "derivs.canonical",
        "derivs.factors",
        "derivs.derivatives",
        "derivs.denominators",
        "derivs.kinks",
        "derivs.definedness",
        "derivs.strategies",
        "derivs.refute",
        "derivs.inequalities",
        "derivs.isolation",
        "derivs.cache",
        "derivs.readings",
    }
)
#: Helpers of no layer's concept, which any layer may use: they import nothing of derivs.
SHARED = frozenset(
    {
        "derivs.magnitude",
        "derivs.written",
        "derivs.heading",
        "derivs.bound",
        "derivs.paths",
        "derivs.memo",
        "derivs.mentions",
    }
)
#: Outputs, loading and the front ends: they show results and build model objects.
FRONT_END = frozenset(
    {
        "derivs.cli",
        "derivs.__main__",
        "derivs.completion",
        "derivs.report",
        "derivs.text",
        "derivs.latex",
        "derivs.prose",
        "derivs.html",
        "derivs.mathml",
        "derivs.junit",
        "derivs.github",
        "derivs.terminal",
        "derivs.loader",
        "derivs.config",
        "derivs.pytest_plugin",
    }
)
#: The package itself: the public names of every layer, imported on first use (the
#: subprocess tests below check that ``import derivs`` starts nothing).
FACADE = frozenset({"derivs"})
#: Front ends that are other packages.
FRONT_END_PACKAGES = frozenset({"click", "rich", "pytest"})
#: The derivation library (the repository's ``proofs/``, installed under ``derivs``).
LIBRARY = "derivs.proofs"
#: The machinery of a run, which only a check may start.
MACHINERY = frozenset({"sqlite3", "multiprocessing"})

#: Reader modules that still import an engine module, each with what it imports.  This is
#: the one list of exceptions to the reader's wall: shrink it, never grow it.
KNOWN_READER_EXCEPTIONS: dict[str, frozenset[str]] = {}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def is_reader(name: str) -> bool:
    return name == "derivs.read" or name.startswith("derivs.read.")


def imports(name: str, path: Path) -> frozenset[str]:
    """Every module ``path`` imports, as dotted names, wherever in the module it does."""
    known = modules()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # ``from derivs import checker`` imports the module derivs.checker
            found |= {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known}
    return frozenset(found)


def top_levels(names: frozenset[str]) -> frozenset[str]:
    return frozenset(n.split(".")[0] for n in names)


def imports_the_library(names: frozenset[str]) -> bool:
    """Whether ``names`` holds the library, installed as ``derivs.proofs``."""
    return any(n == LIBRARY or n.startswith(LIBRARY + ".") for n in names)


def test_every_module_has_exactly_one_layer():
    layers = [FACADE, MODEL, ENGINE, SHARED, FRONT_END]
    for name in modules():
        placed = sum(name in layer for layer in layers) + is_reader(name)
        assert placed == 1, f"{name} is in {placed} layers: place it in exactly one"


def test_the_model_imports_no_engine_no_reader_and_no_front_end():
    for name in MODEL:
        found = imports(name, modules()[name])
        assert not found & ENGINE, f"{name} imports the engine: {sorted(found & ENGINE)}"
        assert not {n for n in found if is_reader(n)}, f"{name} imports the reader"
        assert not found & FRONT_END, f"{name} imports a front end: {sorted(found & FRONT_END)}"
        assert not top_levels(found) & (FRONT_END_PACKAGES | MACHINERY), name
        assert not imports_the_library(found), f"{name} imports the library"


def test_the_engine_imports_no_front_end_no_reader_and_nothing_of_proofs():
    for name in ENGINE:
        found = imports(name, modules()[name])
        assert not found & FRONT_END, f"{name} imports a front end: {sorted(found & FRONT_END)}"
        assert not top_levels(found) & FRONT_END_PACKAGES, f"{name} imports click, rich or pytest"
        assert not imports_the_library(found), f"{name} imports the library"
        assert not {n for n in found if is_reader(n)}, f"{name} imports the reader"


def test_the_engine_and_the_model_print_nothing():
    for name in ENGINE | MODEL:
        tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "print", f"{name} prints (line {node.lineno})"
            if isinstance(node, ast.Attribute) and node.attr in {"stdout", "stderr"}:
                assert not (isinstance(node.value, ast.Name) and node.value.id == "sys"), (
                    f"{name} writes to sys.{node.attr} (line {node.lineno})"
                )


def test_the_reader_imports_no_engine_module():
    reader = {name: path for name, path in modules().items() if is_reader(name)}
    assert "derivs.read" in reader and "derivs.read.document" in reader
    for name, path in reader.items():
        found = imports(name, path) & ENGINE
        allowed = KNOWN_READER_EXCEPTIONS.get(name, frozenset())
        assert found <= allowed, f"{name} imports the engine: {sorted(found - allowed)}"
        assert not found & FRONT_END
        assert not imports_the_library(imports(name, path))


def test_each_known_exception_is_still_needed():
    for name, allowed in KNOWN_READER_EXCEPTIONS.items():
        still = imports(name, modules()[name]) & allowed
        assert still == allowed, f"{name} no longer imports {sorted(allowed - still)}: shrink it"


def test_the_package_imports_only_names_installed_under_derivs():
    # the repository's top-level ``cli.py`` and ``proofs/`` are not installed: a user's
    # own ``cli`` or ``proofs`` on ``sys.path`` would answer such an import
    for name, path in modules().items():
        assert not top_levels(imports(name, path)) & {"cli", "proofs"}, name


def test_the_import_reader_sees_the_walls_it_guards():
    # the reader of imports itself: it must see an import inside a function and a
    # ``from derivs import module``, or the walls above would pass on nothing
    found = imports("derivs.checker", modules()["derivs.checker"])
    assert {"derivs.cache", "derivs.isolation", "derivs.canonical"} <= found
    assert imports_the_library(imports("derivs.pytest_plugin", modules()["derivs.pytest_plugin"]))


AUTHOR = """
import sys
import derivs
from derivs import CheckOptions, Notation, derivation, step, then
n = Notation()
K = n.dimension("K")
x = n.scalar("x")
d = derivation("d", "D", n.context(), step(x + x, then(2 * x)))
options = CheckOptions(timeout=5)
print(sorted(m for m in {machinery} if m in sys.modules))
"""


def test_an_author_of_derivations_starts_none_of_the_checkers_machinery():
    script = AUTHOR.format(machinery=sorted(MACHINERY | {"click", "rich"}))
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout


def test_a_check_starts_the_machinery_it_needs():
    # the watch above sees the modules: a check that runs in a child process loads them
    script = AUTHOR.format(machinery=sorted(MACHINERY)) + (
        "from derivs import check_derivation\n"
        "check_derivation(d, options)\n"
        "print(sorted(m for m in ['multiprocessing'] if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n")[:2] == ["[]", "['multiprocessing']"], done.stdout
