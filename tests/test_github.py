"""GitHub Actions annotations, escaped as the toolkit escapes them."""

from __future__ import annotations

from pathlib import Path

from sympy import Derivative, Ne

from derivs import CheckOptions, check_derivation, derivation, step, then
from derivs.github import escape_data, escape_property, github_annotations
from derivs.loader import LoadProblem, ProblemKind


def test_escaping_matches_the_toolkit():
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("a:b,c") == "a:b,c"


def test_one_error_line_per_unexpected_verdict_pointing_at_its_line(sm):
    a, z, i, j = sm.a, sm.z, sm.i, sm.j
    d = derivation(
        "gh",
        "GitHub",
        sm.context,
        step(Derivative(a[i], z[j]), then(-a[i] * a[j]), case=Ne(i, j)),
        step(Derivative(a[i], z[j]), then(a[i] * a[j], "wrong"), case=Ne(i, j)),
    )
    result = check_derivation(d, CheckOptions(isolate=False))
    (line,) = github_annotations([result])
    wrong = result.links[1].link
    assert wrong.location is not None
    assert line.startswith(f"::error file=tests/test_github.py,line={wrong.location.line},")
    assert "title=derivs%3A gh link 2 refuted::" in line
    message = line.split("::", 2)[2]
    assert "\n" not in message and "%0A" in message
    assert "counterexample at K = 2" in message


def test_a_cached_verdict_says_so_in_its_annotation(sm):
    from dataclasses import replace

    a, z, i, j = sm.a, sm.z, sm.i, sm.j
    d = derivation(
        "gh", "GitHub", sm.context, step(Derivative(a[i], z[j]), then(a[i] * a[j]), case=Ne(i, j))
    )
    result = check_derivation(d, CheckOptions(isolate=False))
    (link,) = result.links
    cached = replace(result, links=(replace(link, verdict=replace(link.verdict, cached=True)),))
    (line,) = github_annotations([cached])
    assert "verdict served from the cache" in line


def _refuted(sm):
    a, z, i, j = sm.a, sm.z, sm.i, sm.j
    d = derivation(
        "gh", "GitHub", sm.context, step(Derivative(a[i], z[j]), then(a[i] * a[j]), case=Ne(i, j))
    )
    return check_derivation(d, CheckOptions(isolate=False))


def test_file_is_relative_to_the_workspace_not_the_working_directory(sm, monkeypatch, tmp_path):
    # a step with ``working-directory: tests`` runs below the repository's root
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root / "tests")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(root))
    (line,) = github_annotations([_refuted(sm)])
    assert line.startswith("::error file=tests/test_github.py,line=")
    # a file outside the workspace is named by its absolute path
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    (line,) = github_annotations([_refuted(sm)])
    assert line.startswith(
        f"::error file={escape_property(str(root / 'tests' / 'test_github.py'))},"
    )


def test_a_target_that_failed_to_load_is_an_annotation_at_its_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.py").write_text("x = 1\nimport no_such_module\n")
    problem = LoadProblem("broken.py", "failed to import: ModuleNotFoundError", 2)
    missing = LoadProblem("no-such-name", "not a derivation", kind=ProblemKind.NOT_FOUND)
    first, second = github_annotations([], problems=[problem, missing])
    assert first == (
        "::error file=broken.py,line=2,title=derivs%3A input::"
        "broken.py:2: failed to import: ModuleNotFoundError"
    )
    assert second == "::error title=derivs%3A not found::no-such-name: not a derivation"


def test_an_erratum_that_was_proved_carries_its_note(sm):
    a, z, i, j = sm.a, sm.z, sm.i, sm.j
    d = derivation(
        "gh",
        "GitHub",
        sm.context,
        step(
            Derivative(a[i], z[j]),
            then(-a[i] * a[j], erratum="the sign, fixed in v2"),
            case=Ne(i, j),
        ),
    )
    (line,) = github_annotations([check_derivation(d, CheckOptions(isolate=False))])
    message = line.split("::", 2)[2]
    assert "expected refuted, got proved" in message
    assert "marked as an erratum: the sign, fixed in v2" in message
