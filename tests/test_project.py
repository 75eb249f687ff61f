"""derivs in a user's project: its configuration, and one meaning of a folder for both front ends.

Each test runs ``derivs check`` (in process, in the project's folder) and
``pytest --derivs`` (through pytester) on the same files.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from derivs.cli import main
from tests.test_cli import SKIPPING_NOTE
from tests.user_files import SOFTMAX_HEADER, WRONG_STEP, write_files

#: A note that declares its notation: one true link, one slip (``S = K e^{z_1}``).
NOTE_WITH_A_SLIP = SKIPPING_NOTE.replace(r"$$S = e^{z_1} + \dots + e^{z_K}$$", r"$$S = K e^{z_1}$$")

#: The same note without its notation block, and that notation as a side file.
BARE_NOTE = NOTE_WITH_A_SLIP.split("```derivs")[0] + NOTE_WITH_A_SLIP.split("```\n", 1)[1]
SIDE_NOTATION = NOTE_WITH_A_SLIP.split("```derivs\n")[1].split("```")[0]

#: A folder as users keep one: derivations, a helper, a test module, a note and a readme.
#: Checked, it holds 4 links: the derivation's 2 as expected, the note's true link and its slip.
MIXED_FOLDER = {
    "derivations.py": SOFTMAX_HEADER
    + """
from helper import QUOTIENT

JACOBIAN = derivation(
    "jacobian",
    "Off-diagonal",
    n.context(),
    step(D(a[i], z[j]), then(-a[i] * a[j], QUOTIENT), case=Ne(i, j)),
    step(D(a[i], z[j]), then(a[i] * a[j], erratum="sign lost"), case=Ne(i, j)),
)
""",
    "helper.py": 'QUOTIENT = "quotient rule"\n',
    "test_helper.py": "from helper import QUOTIENT\n\n\ndef test_quotient():\n"
    '    assert QUOTIENT == "quotient rule"\n',
    "conftest.py": "",
    "notes.md": NOTE_WITH_A_SLIP,
    "README.md": "# Notes\n\n$$a = b$$\n",
}

#: The derivation items of MIXED_FOLDER below ``notes/``, as pytest names them.
MIXED_ITEMS = {
    "notes/derivations.py::jacobian::link1",
    "notes/derivations.py::jacobian::link2",
    "notes/notes.md::notes::link1",
    "notes/notes.md::notes::link2",
}


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A project folder, the current folder of both front ends."""
    monkeypatch.chdir(pytester.path)
    return pytester


def check(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--no-cache", *args])


def checked(result: Result) -> dict[str, Any]:
    """The JSON report's derivation names and summary."""
    report = json.loads(result.stdout)
    return {"names": {d["name"] for d in report["derivations"]}, **report["summary"]}


def derivation_items(result: pytest.RunResult) -> set[str]:
    return {word for line in result.outlines if "::link" in (word := line.split(" ")[0])}


def test_a_folder_means_the_same_to_derivs_check_and_pytest(project):
    write_files(project.path / "notes", MIXED_FOLDER)
    cli = check("notes", "--format", "json")
    assert cli.exit_code == 1, cli.output  # the note's slip; the helper is no error
    assert checked(cli) == {
        "names": {"jacobian", "notes"},
        "proved": 2,
        "refuted": 2,
        "unknown": 0,
        "error": 0,
        "skipped": 0,
        "unexpected": 1,
        "problems": 0,
    }
    result = project.runpytest("--derivs", "notes", "-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, failed=1)  # 3 links as expected, and the test module
    assert derivation_items(result) == MIXED_ITEMS
    result.stdout.fnmatch_lines(["*notes/test_helper.py::test_quotient PASSED*"])


def test_a_helper_named_on_the_command_line_is_no_error_to_pytest(project):
    write_files(project.path, {"helper.py": MIXED_FOLDER["helper.py"]})
    result = project.runpytest("--derivs", "helper.py", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.assert_outcomes()  # no error


def test_with_no_target_the_configured_paths_are_checked_and_nothing_else(project):
    write_files(project.path / "notes", MIXED_FOLDER)
    write_files(project.path / "elsewhere", {"wrong.py": WRONG_STEP})
    project.makepyprojecttoml('[tool.derivs]\npaths = ["notes"]\n')
    cli = check("--format", "json")
    assert cli.exit_code == 1, cli.output
    assert checked(cli)["names"] == {"jacobian", "notes"}
    result = project.runpytest("--derivs", "-v", "-p", "no:cacheprovider")
    assert derivation_items(result) == MIXED_ITEMS
    result.assert_outcomes(passed=4, failed=1)


def test_the_configuration_is_found_from_a_subfolder(project, monkeypatch):
    write_files(project.path / "notes", MIXED_FOLDER)
    project.makepyprojecttoml('[tool.derivs]\npaths = ["notes"]\n')
    monkeypatch.chdir(project.path / "notes")
    cli = check("--format", "json")
    assert checked(cli)["names"] == {"jacobian", "notes"}


def test_with_no_target_and_no_configuration_there_is_nothing_to_check(project):
    result = check()
    assert result.exit_code == 2
    assert "nothing to check" in result.stderr and "--library" in result.stderr


def test_the_library_is_checked_only_when_asked(project, monkeypatch):
    from derivs.proofs import derivation_named

    softmax = derivation_named("000-softmax")
    monkeypatch.setattr("derivs.cli._library", lambda: (softmax,))
    write_files(project.path / "notes", MIXED_FOLDER)
    project.makepyprojecttoml('[tool.derivs]\npaths = ["notes"]\n')
    assert "000-softmax" not in checked(check("--format", "json"))["names"]
    asked = checked(check("--library", "--format", "json"))["names"]
    assert asked == {"000-softmax", "jacobian", "notes"}
    assert checked(check("000-softmax", "--format", "json"))["names"] == {"000-softmax"}
    project.makepyprojecttoml("[tool.derivs]\nlibrary = true\n")
    assert checked(check("--format", "json"))["names"] == {"000-softmax"}


def test_a_configured_notation_reads_documents_that_declare_none(project):
    write_files(
        project.path,
        {"notes/bare.md": BARE_NOTE, "notation/softmax.toml": SIDE_NOTATION, "README.md": "# x\n"},
    )
    project.makepyprojecttoml(
        '[tool.derivs]\npaths = ["notes"]\n[tool.derivs.notation]\n'
        '"notes/*.md" = "notation/softmax.toml"\n'
    )
    cli = check("--format", "json")
    assert checked(cli)["names"] == {"bare"}
    assert checked(cli)["unexpected"] == 1
    result = project.runpytest("--derivs", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)


def test_configured_strictness_applies_to_both(project):
    write_files(project.path, {"notes/note.md": SKIPPING_NOTE})
    project.makepyprojecttoml('[tool.derivs]\npaths = ["notes"]\nstrict = true\n')
    assert check().exit_code == 1
    assert check("--allow-unknown").exit_code == 0  # the command line overrides
    project.runpytest("--derivs", "-p", "no:cacheprovider").assert_outcomes(passed=1, failed=1)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('pathz = ["notes"]', "[tool.derivs] pathz: not a key derivs knows"),
        ("timeout = 1e9", "[tool.derivs] timeout: 1000000000.0 is not a deadline"),
    ],
)
def test_a_bad_configuration_is_a_usage_error_naming_file_and_key(project, entry, message):
    project.makepyprojecttoml(f"[tool.derivs]\n{entry}\n")
    where = f"{project.path.resolve() / 'pyproject.toml'}: {message}"
    cli = check("anything.py")
    assert cli.exit_code == 2
    assert where in " ".join(cli.stderr.split())
    result = project.runpytest("--derivs", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert where in result.stderr.str()


def test_force_exclude_takes_the_files_named_as_a_folder_takes_them(project):
    write_files(project.path / "notes", MIXED_FOLDER)
    write_files(project.path, {"scripts/deploy.py": "raise SystemExit('deployed!')\n"})
    named = [f"notes/{name}" for name in MIXED_FOLDER]
    cli = check("--force-exclude", "--format", "json", *named)
    assert cli.exit_code == 1, cli.output
    assert checked(cli)["names"] == {"jacobian", "notes"}
    # Only what the configured paths hold: a changed script is not run.
    project.makepyprojecttoml('[tool.derivs]\npaths = ["notes"]\n')
    cli = check("--force-exclude", "--format", "json", "scripts/deploy.py", *named)
    assert checked(cli)["names"] == {"jacobian", "notes"}
    helpers = check("--force-exclude", "notes/helper.py", "notes/README.md")
    assert helpers.exit_code == 0, helpers.output


def test_a_folder_with_nothing_to_check_or_a_broken_file_is_a_problem_said_once(project):
    write_files(project.path, {"empty/README.md": "# x\n", "broken/one.py": "import missing\n"})
    empty = check("empty")
    assert empty.exit_code == 2
    assert "holds no derivation file nor document with a notation" in empty.stderr
    broken = check("broken")
    assert broken.exit_code == 2
    assert "failed to import: ModuleNotFoundError" in broken.stderr
    assert "holds no derivation" not in broken.stderr
    result = project.runpytest("--derivs", "broken", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*one.py:1: failed to import: ModuleNotFoundError*"])
