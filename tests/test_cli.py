"""The command line: each command, each exit code, the JSON schema."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import sympy
from click.testing import CliRunner

import derivs
from derivs.cli import main
from tests.schema import report_of
from tests.user_files import SOFTMAX_HEADER, WRONG_STEP

ESCAPE = re.compile(r"\x1b\[")

HEADER = SOFTMAX_HEADER

GOOD = (
    HEADER
    + """
GOOD = derivation(
    "good",
    "Off-diagonal with its erratum",
    n.context(),
    step(D(a[i], z[j]), then(-a[i] * a[j], "quotient rule"), case=Ne(i, j)),
    step(D(a[i], z[j]), then(a[i] * a[j], erratum="sign lost"), case=Ne(i, j)),
)
"""
)

WRONG = WRONG_STEP

UNDECIDED = (
    HEADER
    + """
UNDECIDED = derivation(
    "undecided",
    "A true step no strategy proves",
    n.context(),
    step(Sum(z[k], (k, 1, K)), then(Sum(z[K + 1 - k], (k, 1, K)), "reverse the order")),
)
"""
)

TYPO = (
    HEADER
    + """
from sympy import Symbol

q = Symbol("q")
TYPO = derivation("typo", "Undeclared symbol", n.context(), step(S, then(S + q)))
"""
)

TEXT_IN_LINK = (
    HEADER
    + """
BAD = derivation("bad", "Text", n.context(), step(S, then("S + 1")))
"""
)


@pytest.fixture(autouse=True)
def in_a_fresh_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs where .derivs_cache/ starts empty and nothing else is touched."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    sources = {
        "good.py": GOOD,
        "wrong.py": WRONG,
        "undecided.py": UNDECIDED,
        "typo.py": TYPO,
        "text_in_link.py": TEXT_IN_LINK,
        "syntax.py": "def broken(:\n",
    }
    for name, source in sources.items():
        (tmp_path / name).write_text(textwrap.dedent(source))
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def test_version_names_derivs_and_sympy():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"derivs {derivs.__version__} (SymPy {sympy.__version__})"


@pytest.mark.parametrize("command", [[], ["list"], ["check"], ["latex"]])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    if command == ["check"]:
        for option in ("--format", "--allow-unknown", "--timeout", "--no-color", "--debug"):
            assert option in result.output


def test_list_shows_every_library_derivation():
    from derivs.proofs import LIBRARY

    result = run("list")
    assert result.exit_code == 0
    for derivation in LIBRARY:
        assert derivation.name in result.output
    assert "000_ac5da2e244b2ede3.txt" in result.output


def test_check_a_library_derivation_by_name_exits_0():
    result = run("check", "000-jacobian-matrix")
    assert result.exit_code == 0, result.output
    assert "✗ refuted (erratum, expected)" in result.output
    assert "↳ counterexample at n = 3" in result.output
    assert "1 derivation, 11 links: 10 proved, 1 refuted (1 expected erratum)" in result.output
    assert "All as expected." in result.output


def test_output_has_no_escape_codes_when_piped_or_without_colour(files):
    assert not ESCAPE.search(run("check", str(files / "good.py")).output)
    assert not ESCAPE.search(run("check", "--no-color", str(files / "good.py")).output)
    assert not ESCAPE.search(run("check", str(files / "good.py"), env={"NO_COLOR": "1"}).output)


def test_a_file_whose_verdicts_are_as_expected_exits_0(files):
    result = run("check", str(files / "good.py"))
    assert result.exit_code == 0, result.output
    assert "✓ proved" in result.output


def test_a_refuted_step_exits_1_and_shows_its_counterexample(files):
    result = run("check", str(files / "wrong.py"))
    assert result.exit_code == 1
    assert "✗ refuted UNEXPECTED" in result.output
    assert "↳ counterexample at K = 2, i = 1, j = 2" in result.output
    assert "1 unexpected." in result.output


def test_an_unknown_exits_1_unless_allowed(files):
    target = str(files / "undecided.py")
    assert run("check", target).exit_code == 1
    allowed = run("check", "--allow-unknown", target)
    assert allowed.exit_code == 0
    assert "? unknown" in allowed.output


def test_a_malformed_link_is_an_error_verdict_and_exits_1(files):
    result = run("check", str(files / "typo.py"))
    assert result.exit_code == 1
    assert "! error UNEXPECTED" in result.output
    report = report_of(run("check", "--format", "json", str(files / "typo.py")).stdout)
    (step,) = report["derivations"][0]["steps"]
    assert step["verdict"] == "error"
    assert re.fullmatch(
        r"typo, link 1 \(.*typo\.py:\d+\): symbol q is not declared", step["message"]
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("syntax.py", r"syntax.py:1: syntax error"),
        ("text_in_link.py", r"text_in_link.py:\d+: each expression of a chain must be a SymPy"),
        ("missing.py", r"missing.py: no such file"),
    ],
)
def test_input_errors_exit_2_with_one_line_and_no_traceback(files, name, message):
    result = run("check", str(files / name), str(files / "good.py"))
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("derivs: error:")]
    assert len(errors) == 1
    assert re.search(message, errors[0]), errors[0]
    assert "Traceback" not in result.output
    assert "good: Off-diagonal" in result.output  # the other file was still checked


def test_debug_shows_the_traceback(files):
    result = run("check", "--debug", str(files / "text_in_link.py"))
    assert result.exit_code == 2
    assert "Traceback" in result.output


def test_an_unknown_derivation_name_exits_2():
    result = run("check", "no-such-derivation")
    assert result.exit_code == 2
    assert "derivs: error: no-such-derivation: not a derivation of the library" in result.output


def test_a_folder_is_checked_file_by_file(files):
    (files / "syntax.py").unlink()
    (files / "text_in_link.py").unlink()
    result = run("check", "--format", "json", "--allow-unknown", str(files))
    report = report_of(result.stdout)
    names = [d["name"] for d in report["derivations"]]
    assert names == ["good", "typo", "undecided", "wrong"]
    assert result.exit_code == 1


def test_the_json_report_follows_schema_2(files):
    result = run("check", "--format", "json", str(files / "good.py"), str(files / "wrong.py"))
    assert result.exit_code == 1
    report = report_of(result.stdout)  # stdout holds the report and nothing else
    assert report["schema"] == 2
    assert report["tool"] == {
        "name": "derivs",
        "version": derivs.__version__,
        "sympy": sympy.__version__,
    }
    good, wrong = report["derivations"]
    assert [step["verdict"] for step in wrong["steps"]] == ["refuted"]
    assert wrong["steps"][0]["expected"] == "proved"
    assert good["name"] == "good" and good["title"] == "Off-diagonal with its erratum"
    assert good["sources"] == []
    assert good["location"] == {"path": "good.py", "line": 12}  # relative to the current folder
    assert report["problems"] == []
    first, second = good["steps"]
    assert set(first) >= {
        "number",
        "claim",
        "latex",
        "justification",
        "condition",
        "expected",
        "verdict",
        "method",
        "seconds",
        "counterexample",
        "message",
    }
    assert first["number"] == 1
    assert first["claim"] == "∂a_i/∂z_j = -a_i*a_j"
    assert first["latex"].startswith(r"\frac{\partial {a}_{i}}{\partial {z}_{j}} = ")
    assert first["justification"] == "quotient rule"
    assert first["condition"] == "i != j"
    assert (first["expected"], first["verdict"]) == ("proved", "proved")
    assert first["counterexample"] is None
    assert isinstance(first["seconds"], float)
    assert (second["expected"], second["verdict"]) == ("refuted", "refuted")
    assert isinstance(first["location"]["line"], int)
    assert first["location"]["path"] == "good.py"
    assert first["message"] is None and first["erratum"] is None  # null, never ""
    assert second["erratum"] == "sign lost"
    counterexample = second["counterexample"]
    assert counterexample["dimensions"] == {"K": 2}
    assert counterexample["indices"] == {"i": 1, "j": 2}
    assert set(counterexample["values"]) == {"z[1]", "z[2]"}
    assert float(counterexample["lhs"]) == -float(counterexample["rhs"])
    assert report["summary"] == {
        "proved": 1,
        "refuted": 2,
        "unknown": 0,
        "error": 0,
        "skipped": 0,
        "unexpected": 1,
        "problems": 0,
    }


def test_latex_writes_a_document_or_a_fragment(files, tmp_path):
    out = tmp_path / "out.tex"
    result = run("latex", str(files / "good.py"), "-o", str(out))
    assert result.exit_code == 0, result.output
    document = out.read_text()
    assert document.startswith(r"\documentclass")
    assert r"\end{document}" in document
    assert r"\frac{\partial {a}_{i}}{\partial {z}_{j}}" in document
    fragment = run("latex", "--fragment", str(files / "good.py"))
    assert fragment.exit_code == 0
    assert r"\documentclass" not in fragment.output
    assert r"\begin{align}" in fragment.output


def test_the_cache_serves_a_second_run_and_is_marked(files, tmp_path):
    target = str(files / "good.py")
    first = report_of(run("check", "--format", "json", target).stdout)
    second = report_of(run("check", "--format", "json", target).stdout)
    assert [s["cached"] for s in first["derivations"][0]["steps"]] == [False, False]
    assert [s["cached"] for s in second["derivations"][0]["steps"]] == [True, True]
    assert (tmp_path / ".derivs_cache" / "CACHEDIR.TAG").exists()
    assert "· cached" in run("check", target).output  # the status line of each link
    fresh = report_of(run("check", "--format", "json", "--no-cache", target).stdout)
    assert [s["cached"] for s in fresh["derivations"][0]["steps"]] == [False, False]
    cleared = run("check", "--clear-cache", target)
    assert "cleared 2 cached verdicts" in cleared.output
    assert "· cached" not in cleared.output


def test_parallel_jobs_give_the_same_report_in_the_same_order(files):
    targets = [str(files / name) for name in ("good.py", "wrong.py", "undecided.py")]
    one = report_of(run("check", "--format", "json", "--no-cache", "-j", "1", *targets).stdout)
    two = report_of(run("check", "--format", "json", "--no-cache", "-j", "2", *targets).stdout)

    def verdicts(report):
        return [
            (d["name"], s["number"], s["verdict"], s["counterexample"])
            for d in report["derivations"]
            for s in d["steps"]
        ]

    assert verdicts(one) == verdicts(two)


def test_junit_is_written_beside_the_usual_output(files, tmp_path):
    junit = tmp_path / "report.xml"
    result = run("check", "--junit", str(junit), str(files / "wrong.py"))
    assert result.exit_code == 1
    assert "1 unexpected." in result.output
    assert '<failure message="refuted: counterexample at K = 2' in junit.read_text()


def test_github_annotations_appear_only_on_github(files):
    target = str(files / "wrong.py")
    assert "::error " not in run("check", target).output
    on_github = run("check", target, env={"GITHUB_ACTIONS": "true"})
    assert "::error file=" in on_github.output
    as_json = run("check", "--format", "json", target, env={"GITHUB_ACTIONS": "true"})
    report = report_of(as_json.stdout)  # the annotations went to stderr
    assert report["summary"]["unexpected"] == 1
    assert "::error file=" in as_json.stderr


SKIPPING_NOTE = r"""# A note with a line derivs does not check

```derivs
[dimensions]
K = 1

[indices]
"i k" = "K"

[vectors]
z = "K"

[definitions]
S = '\sum_{k=1}^{K} e^{z_k}'
```

$$S = \sum_{k=1}^{K} e^{z_k}$$

$$S = e^{z_1} + \dots + e^{z_K}$$
"""


def test_strict_fails_a_run_whose_only_flaw_is_a_skipped_link(tmp_path):
    (tmp_path / "note.md").write_text(SKIPPING_NOTE, encoding="utf-8")
    relaxed = run("check", "note.md", "--no-cache")
    assert relaxed.exit_code == 0, relaxed.output
    assert "1 proved" in relaxed.output and "1 skipped" in relaxed.output
    strict = run("check", "note.md", "--no-cache", "--strict")
    assert strict.exit_code == 1, strict.output
    assert "1 unexpected" in strict.output
    as_json = report_of(
        run("check", "note.md", "--no-cache", "--strict", "--format", "json").stdout
    )
    assert as_json["summary"]["skipped"] == 1
    assert as_json["summary"]["unexpected"] == 1


def test_strict_fails_an_unknown_and_contradicts_allow_unknown(files):
    assert run("check", "undecided.py", "--no-cache", "--strict").exit_code == 1
    both = run("check", "undecided.py", "--strict", "--allow-unknown")
    assert both.exit_code == 2
    assert "contradict" in both.output


def test_the_summary_line_always_counts_skips(files):
    result = run("check", "good.py", "--no-cache")
    assert "0 skipped" in result.output


@pytest.mark.parametrize("code", ["0", "None", "'done'"])
def test_a_derivation_file_that_exits_at_import_is_an_input_error_not_the_end_of_the_run(
    files, code
):
    (files / "exits.py").write_text(f"import sys\n\nsys.exit({code})\n")
    result = run("check", "--no-cache", "-j", "1", "exits.py", "wrong.py")
    assert result.exit_code == 2, result.output
    assert f"exits.py:3: called sys.exit({eval(code)!r}) while being imported" in result.output
    assert "refuted" in result.output  # the other target was still checked


def test_a_keyboard_interrupt_at_import_interrupts_the_run(files):
    (files / "interrupts.py").write_text("raise KeyboardInterrupt\n")
    result = run("check", "--no-cache", "-j", "1", "interrupts.py", "wrong.py")
    assert result.exit_code != 0
    assert "refuted" not in result.output


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--timeout", "inf"),
        ("--timeout", "1e308"),
        ("--timeout", "nan"),
        ("--timeout", "0"),
        ("--timeout", "-1"),
        ("--memory-mb", "0"),
        ("--memory-mb", "-1"),
        ("--memory-mb", "-100000"),
        ("--jobs", "1000"),
        ("--jobs", "0"),
    ],
)
def test_an_option_out_of_range_is_a_one_line_usage_error(option, value):
    for command in ("check", "latex"):
        result = run(command, option, value, "000-jacobian-matrix")
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"derivs: error: {option}: "), lines


def test_a_document_that_is_not_utf8_is_an_error_at_its_line_and_column(tmp_path):
    (tmp_path / "notes.md").write_bytes(b"# Notes\n\nSome caf\xc3\xa9 text \xff here\n")
    result = run("check", "notes.md")
    assert result.exit_code == 2
    assert "notes.md:3:16: cannot read: not UTF-8 text (byte ff" in result.output
    assert "position" not in result.output


def test_an_errata_entry_at_a_line_with_no_link_is_a_warning_naming_the_line(tmp_path):
    notation = Path(__file__).parent.parent / "examples" / "softmax.md"
    text = notation.read_text(encoding="utf-8").replace(
        "```derivs\n", '```derivs\n[errata]\n"3" = "a typo"\n"22 #5" = "no fifth link"\n', 1
    )
    (tmp_path / "softmax.md").write_text(text, encoding="utf-8")
    result = run("check", "--no-cache", "-j", "1", "softmax.md")
    assert "derivs: warning: softmax.md:3: the [errata] entry '3' matches no link" in result.output
    assert "softmax.md:22: the [errata] entry '22 #5' matches no link" in result.output
