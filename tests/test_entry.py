"""The command's entry points: ``python -m derivs``, ``--version`` and shell completion.

Each test runs the command in a subprocess, as a shell or a user does: the
version must come from the installed metadata without importing SymPy
(``python -X importtime`` lists every module a run imports), and completion is
asked through click's protocol, and through bash with the script click writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.importtime import imported_modules, imports_sympy
from tests.user_files import WRONG_STEP

ROOT = Path(__file__).resolve().parent.parent
#: The installed script, beside the interpreter running the tests.
SCRIPT = Path(sys.executable).parent / "derivs"
#: The commands whose arguments are TARGETs.
TARGET_COMMANDS = ("check", "latex", "html")


def run(arguments: list[str], cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        arguments,
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize(
    "command",
    [["-m", "derivs"], [str(SCRIPT)], [str(ROOT / "cli.py")]],
    ids=["python -m derivs", "the installed script", "the source tree's cli.py"],
)
def test_version_comes_from_the_metadata_without_importing_sympy(command):
    done = run([sys.executable, "-X", "importtime", *command, "--version"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"derivs {version('derivs')} (SymPy {version('sympy')})"
    modules = imported_modules(done.stderr)
    assert "derivs.version" in modules  # the report is read: it names what was imported
    assert not imports_sympy(modules)
    assert "derivs.cli" not in modules


def test_python_m_derivs_is_the_command(tmp_path: Path):
    (tmp_path / "wrong.py").write_text(WRONG_STEP)
    done = run([sys.executable, "-m", "derivs", "check", "wrong.py", "--no-cache"], tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "refuted" in done.stdout
    usage = run([sys.executable, "-m", "derivs", "--help"])
    assert usage.returncode == 0
    assert usage.stdout.startswith("Usage: derivs ")


def completions(words: str, cwd: Path = ROOT) -> list[tuple[str, str]]:
    """The (type, value) candidates click's bash protocol offers for the last word."""
    done = run(
        [sys.executable, "-m", "derivs"],
        cwd,
        _DERIVS_COMPLETE="bash_complete",
        COMP_WORDS=words,
        COMP_CWORD=str(len(words.split()) - 1),
    )
    assert done.returncode == 0, done.stderr
    return [tuple(line.split(",", 1)) for line in done.stdout.splitlines()]  # type: ignore[misc]


@pytest.mark.parametrize("command", TARGET_COMMANDS)
def test_a_target_completes_to_library_names_and_paths(command):
    offered = completions(f"derivs {command} 000-soft")
    assert offered[0] == ("file", "000-soft")  # the shell also completes it as a path
    names = {value for kind, value in offered[1:] if kind == "plain"}
    assert names == {"000-softmax"}
    assert {value for kind, value in completions(f"derivs {command} 000-")[1:]} >= {
        "000-softmax",
        "000-jacobian-matrix",
    }


def test_a_word_that_is_a_path_completes_as_a_path_only(tmp_path: Path):
    assert completions("derivs check ./exam") == [("file", "./exam")]
    assert completions("derivs check examples/qu") == [("file", "examples/qu")]
    (tmp_path / "wrong.py").write_text(WRONG_STEP)
    assert completions("derivs check wro", tmp_path) == [("file", "wro")]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_a_library_name_with_clicks_script(tmp_path: Path):
    source = run([sys.executable, "-m", "derivs"], _DERIVS_COMPLETE="bash_source")
    assert source.returncode == 0, source.stderr
    (tmp_path / "derivs-completion.bash").write_text(source.stdout)
    # click's script calls the command by its name: put a ``derivs`` on PATH
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    (bin_folder / "derivs").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m derivs "$@"\n')
    (bin_folder / "derivs").chmod(0o755)
    script = (
        "source derivs-completion.bash\n"
        "COMP_WORDS=(derivs check 000-softm); COMP_CWORD=2\n"
        "_derivs_completion derivs 2>/dev/null\n"  # bash passes the command's name
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = run(
        ["bash", "-c", script], tmp_path, PATH=f"{bin_folder}{os.pathsep}{os.environ['PATH']}"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["000-softmax"]
