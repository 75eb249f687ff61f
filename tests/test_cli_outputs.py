"""What the command gives machines and people: problems, files, JSON, the terminal.

Each test drives ``derivs`` as a user does (click's runner, or the installed
command in a subprocess) and reads what it wrote with the real reader: every
JSON report through the shipped schema (:mod:`tests.schema`), the JUnit XML
through ElementTree and xmllint.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from derivs.cli import main
from derivs.terminal import PIPED_WIDTH, piped_width
from tests.schema import report_of
from tests.test_cli import GOOD, TYPO, WRONG
from tests.test_junit import complaints

BROKEN_IMPORT = "import derivs\n\nimport no_such_module_anywhere\n"
CHATTY = GOOD.replace("GOOD = derivation(", "print('hello from the file')\nGOOD = derivation(")


@pytest.fixture(autouse=True)
def in_a_fresh_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)
    for name, source in {
        "good.py": GOOD,
        "wrong.py": WRONG,
        "broken_import.py": BROKEN_IMPORT,
        "chatty.py": CHATTY,
    }.items():
        (tmp_path / name).write_text(textwrap.dedent(source))
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


# -- item 5: a problem that exits 2 is visible to machines -------------------------------


def test_a_file_that_fails_to_import_is_in_the_json_the_junit_the_annotations_and_the_summary(
    tmp_path,
):
    args = ["check", "broken_import.py", "good.py", "--no-cache", "--junit", "x.xml"]
    github = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(tmp_path)}
    as_json = run(*args, "--format", "json", env=github)
    assert as_json.exit_code == 2
    report = report_of(as_json.stdout)
    (problem,) = report["problems"]
    assert problem["file"] == "broken_import.py" and problem["line"] == 3
    assert problem["kind"] == "input" and "no_such_module_anywhere" in problem["message"]
    assert report["summary"]["problems"] == 1
    suite = ElementTree.parse(tmp_path / "x.xml").getroot()[0]
    assert suite.get("errors") == "1"
    (error,) = suite.findall("testcase/error")
    assert "no_such_module_anywhere" in (error.get("message") or "")
    annotations = [line for line in as_json.stderr.splitlines() if line.startswith("::error")]
    assert annotations == [
        "::error file=broken_import.py,line=3,title=derivs%3A input::broken_import.py:3: "
        "failed to import: ModuleNotFoundError: No module named 'no_such_module_anywhere'"
    ]
    as_text = run(*args)
    assert as_text.exit_code == 2
    assert "All as expected" not in as_text.stdout
    assert "ERROR broken_import.py:3: failed to import" in as_text.stdout
    assert as_text.stdout.rstrip().endswith("1 target failed to load.")


# -- item 6: outputs never crash or go malformed ------------------------------------------


def test_reports_go_into_folders_that_do_not_exist_yet(tmp_path):
    checked = run("check", "good.py", "--junit", "reports/junit/x.xml", "--html", "site/x.html")
    assert checked.exit_code == 0, checked.output
    assert complaints((tmp_path / "reports/junit/x.xml").read_text(), tmp_path) == []
    assert (tmp_path / "site/x.html").read_text().startswith("<!DOCTYPE html>")
    latex = run("latex", "good.py", "-o", "paper/derivs/x.tex")
    assert latex.exit_code == 0, latex.output
    assert (tmp_path / "paper/derivs/x.tex").read_text().startswith(r"\documentclass")


def test_what_a_derivation_file_prints_at_import_goes_to_stderr():
    result = run("check", "chatty.py", "--format", "json")
    assert result.exit_code == 0, result.output
    assert report_of(result.stdout)["derivations"][0]["name"] == "good"
    assert "hello from the file" in result.stderr
    fragment = run("latex", "--fragment", "chatty.py")
    assert "hello" not in fragment.stdout


# -- item 7: JSON a program can rely on ---------------------------------------------------


def test_locations_are_relative_to_the_current_folder_for_files_and_documents(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "softmax.md").write_text(
        '# Softmax\n\n```derivs\n[dimensions]\nK = 2\n[vectors]\nz = "K"\n```\n\n'
        "$$\\sum_{k=1}^{K} z_k + 0 = \\sum_{k=1}^{K} z_k$$\n",
        encoding="utf-8",
    )
    (notes / "wrong.py").write_text(textwrap.dedent(WRONG))
    report = report_of(
        run("check", str(notes / "softmax.md"), str(notes / "wrong.py"), "--format", "json").stdout
    )
    document, python = report["derivations"]
    assert document["steps"][0]["location"] == {"path": "notes/softmax.md", "line": 10}
    where = python["steps"][0]["location"]
    assert where["path"] == "notes/wrong.py" and isinstance(where["line"], int)


def test_the_library_lists_as_json_in_the_schema():
    from derivs.proofs import LIBRARY

    result = run("list", "--format", "json")
    assert result.exit_code == 0
    listing = report_of(result.stdout)
    assert [entry["name"] for entry in listing["library"]] == [d.name for d in LIBRARY]
    assert all(
        entry["links"] == len(d.links) for entry, d in zip(listing["library"], LIBRARY, strict=True)
    )


# -- item 8: the terminal, as pytest and ruff print ---------------------------------------


def test_a_narrow_terminal_gives_each_claim_its_own_line_and_a_wide_one_a_table():
    narrow = run("check", "wrong.py", env={"COLUMNS": "80"}).stdout
    assert "  1 ✗ refuted UNEXPECTED · counterexample search" in narrow
    assert "\n      ∂a_i/∂z_j = a_i*a_j\n" in narrow  # the whole claim, on a line of its own
    assert max(len(line) for line in narrow.splitlines()[:-3]) <= 80
    wide = run("check", "wrong.py", env={"COLUMNS": "160"}).stdout
    assert re.search(r"│ 1 │ ∂a_i/∂z_j = a_i\*a_j +│ sign flipped", wide)


def test_every_failure_is_named_by_file_and_line_with_its_counterexample_then_summarised():
    result = run("check", "good.py", "wrong.py", "--no-cache")
    assert result.exit_code == 1
    out = result.stdout
    failures = out[out.index("failures") :]
    assert "wrong.py:16: link 1 refuted: ∂a_i/∂z_j = a_i*a_j\n" in failures
    assert "counterexample at K = 2, i = 1, j = 2" in failures
    summary = out[out.index("short summary") :].splitlines()
    assert summary[1] == "FAILED wrong.py:16: link 1 refuted: ∂a_i/∂z_j = a_i*a_j"
    assert summary[-1].startswith("2 derivations, 3 links:") and "1 unexpected" in summary[-1]


def test_a_log_gets_one_progress_line_per_derivation():
    result = run("check", "good.py", "wrong.py", "--no-cache")
    progress = [line for line in result.stderr.splitlines() if line.startswith("derivs: [")]
    # in the order the derivations are done, which parallel checks do not fix
    assert [line[: len("derivs: [1/2]")] for line in progress] == [
        "derivs: [1/2]",
        "derivs: [2/2]",
    ]
    assert sorted(line[len("derivs: [1/2] ") :] for line in progress) == [
        "good: 2 links (1 proved, 1 refuted)",
        "wrong: 1 link (1 refuted)",
    ]


def test_one_error_is_singular(tmp_path):
    (tmp_path / "typo.py").write_text(textwrap.dedent(TYPO))
    result = run("check", "typo.py", "--no-cache")
    assert "! error UNEXPECTED" in result.stdout
    assert ", 1 error, " in result.stdout and "1 errors" not in result.stdout


def test_piped_output_is_as_wide_as_columns_or_the_terminal_or_80(monkeypatch):
    class Pipe:
        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "__stderr__", Pipe())
    monkeypatch.setattr(sys, "__stdin__", Pipe())
    assert piped_width() == PIPED_WIDTH == 80
    monkeypatch.setenv("COLUMNS", "132")
    assert piped_width() == 132


def test_the_installed_command_piped_lays_out_for_80_columns(tmp_path):
    derivs = Path(sys.executable).with_name("derivs")
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    done = subprocess.run(
        [str(derivs), "check", "good.py", "--no-cache"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "  1 ✓ proved · canonical form" in lines[1]  # the narrow layout
    assert max(len(line) for line in lines[:-1]) <= 80


def test_piped_output_in_a_terminal_session_is_as_wide_as_that_terminal(tmp_path):
    import fcntl
    import pty
    import struct
    import termios

    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 132, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    try:
        done = subprocess.run(  # ``derivs check | less``: stdout a pipe, stdin the terminal
            [str(Path(sys.executable).with_name("derivs")), "check", "good.py", "--no-cache"],
            cwd=tmp_path,
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            check=False,
        )
    finally:
        os.close(controller)
        os.close(terminal)
    assert done.returncode == 0
    rule = next(line for line in done.stdout.splitlines() if line.startswith("┏"))
    assert len(rule) == 132  # the wide table, at the terminal's width
