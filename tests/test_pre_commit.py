"""The pre-commit hook definition names a command that exists and works."""

from __future__ import annotations

import shlex
from pathlib import Path

from click.testing import CliRunner

from derivs.cli import main

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


def test_the_hook_runs_derivs_check_on_the_given_targets():
    fields = hook_fields()
    assert fields["id"] == "derivs"
    assert fields["language"] == "python"
    assert fields["pass_filenames"] == "false"
    program, *arguments = shlex.split(fields["entry"])
    assert program == "derivs"
    result = CliRunner().invoke(main, [*arguments, "000-softmax", "--no-cache"])
    assert result.exit_code == 0, result.output
