"""The reader's wall: reading a document imports no part of the engine.

The reader builds model objects; proving them is the engine's work
(../shared/DESIGN.md).  Checked in a fresh interpreter, where nothing else has
imported the engine already, both by what the import loads and by what the
reader's modules name.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

READ = Path(__file__).resolve().parent.parent / "derivs" / "read"
ENGINE = ("checker", "canonical", "strategies", "refute", "isolation", "cache", "inequalities")


def test_reading_a_document_loads_no_engine_module() -> None:
    code = (
        "import sys\n"
        "from derivs.read.document import read_document\n"
        "read_document('n.md', '```derivs\\n[scalars]\\nx = \"real\"\\n```\\n$$x + x = 2x$$\\n')\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "derivs.read.reader" in loaded
    assert not {f"derivs.{name}" for name in ENGINE} & loaded
    assert not {"sqlite3", "multiprocessing"} & loaded


def test_no_reader_module_names_an_engine_module() -> None:
    for path in sorted(READ.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                named = [node.module]
            elif isinstance(node, ast.Import):
                named = [alias.name for alias in node.names]
            else:
                continue
            for module in named:
                assert module.removeprefix("derivs.") not in ENGINE, (path.name, module)
