"""The pre-commit hook: its definition, and the real pre-commit running it on a repository."""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from derivs.cli import main
from tests.test_project import MIXED_FOLDER, SKIPPING_NOTE
from tests.user_files import write_files

HOOKS = Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml"


def hook_fields() -> dict[str, str]:
    # The file is flat YAML; reading it needs no YAML library (and no eval).
    fields = {}
    for line in HOOKS.read_text().splitlines():
        stripped = line.strip().removeprefix("- ")
        if stripped and not stripped.startswith("#") and ": " in stripped:
            key, value = stripped.split(": ", 1)
            fields[key] = value
    return fields


def test_the_hook_checks_the_files_it_is_given_in_python_markdown_and_tex():
    fields = hook_fields()
    assert fields["id"] == "derivs"
    assert fields["language"] == "python"
    assert fields.get("pass_filenames", "true") == "true"
    assert fields["types_or"] == "[python, markdown, tex]"
    program, *arguments = shlex.split(fields["entry"])
    assert program == "derivs"
    assert arguments == ["check", "--no-color", "--force-exclude"]


def test_the_hook_command_never_checks_the_library_and_skips_what_is_not_a_derivation(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"README.md": "# x\n\n$$a = b$$\n"})
    _, *arguments = shlex.split(hook_fields()["entry"])
    # In derivs' own repository `derivs check` alone checks the library; the hook does not.
    monkeypatch.chdir(HOOKS.parent)
    result = CliRunner().invoke(main, [*arguments, "--no-cache", str(tmp_path / "README.md")])
    assert result.exit_code == 0, result.output
    assert "0 derivations" in result.output


PRE_COMMIT = importlib.util.find_spec("pre_commit") is not None and shutil.which("git") is not None


def git(folder: Path, *args: str) -> None:
    identity = ["-c", "user.name=derivs tests", "-c", "user.email=tests@derivs.invalid"]
    subprocess.run(["git", *identity, *args], cwd=folder, check=True, capture_output=True)


@pytest.mark.skipif(not PRE_COMMIT, reason="pre-commit (the test extra) or git is not installed")
def test_pre_commit_runs_the_hook_on_the_changed_files_of_a_repository(tmp_path):
    # The hook repository: this one's hook definition, with ``language: system`` so
    # that pre-commit runs the derivs installed here instead of installing derivs
    # from an index into an environment of its own (which needs the network).
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    definition = HOOKS.read_text().replace("language: python", "language: system")
    (hooks / ".pre-commit-hooks.yaml").write_text(definition)
    git(hooks, "init", "-q")
    git(hooks, "add", "-A")
    git(hooks, "commit", "-q", "-m", "hooks")
    revision = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hooks, check=True, capture_output=True, text=True
    ).stdout.strip()
    user = write_files(
        tmp_path / "user", {f"notes/{name}": text for name, text in MIXED_FOLDER.items()}
    )
    write_files(
        user,
        {
            "scripts/deploy.py": "raise SystemExit('deployed!')\n",
            "pyproject.toml": '[tool.derivs]\npaths = ["notes"]\n',
            ".pre-commit-config.yaml": f"repos:\n- repo: {hooks}\n  rev: {revision}\n"
            "  hooks:\n  - id: derivs\n",
            ".gitignore": ".derivs_cache/\n",
        },
    )
    git(user, "init", "-q")
    git(user, "add", "-A")
    environment = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }

    def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "pre_commit", "run", "--color", "never", *args]
        return subprocess.run(command, cwd=user, env=environment, capture_output=True, text=True)

    every = pre_commit("--all-files")
    assert every.returncode == 1, every.stdout + every.stderr
    assert "2 derivations, 4 links" in every.stdout  # the notes' derivations; not the library
    assert "S = K e^{z_1}" in every.stdout and "refuted UNEXPECTED" in every.stdout
    assert "deployed!" not in every.stdout  # outside [tool.derivs] paths: not run

    (user / "notes" / "notes.md").write_text(SKIPPING_NOTE)
    git(user, "add", "-A")
    changed = ["notes/notes.md", "notes/helper.py", "notes/README.md"]
    fixed = pre_commit("--verbose", "--files", *changed)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "1 derivation, 2 links: 1 proved" in fixed.stdout
