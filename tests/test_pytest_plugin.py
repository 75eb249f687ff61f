"""The pytest plugin, driven by pytest's own pytester."""

from __future__ import annotations

import pytest

from tests.user_files import SOFTMAX_HEADER

DERIVATIONS = (
    SOFTMAX_HEADER
    + """
JACOBIAN = derivation(
    "jacobian",
    "Off-diagonal",
    n.context(),
    step(D(a[i], z[j]), then(-a[i] * a[j], "quotient rule"), case=Ne(i, j)),
    step(D(a[i], z[j]), then(a[i] * a[j], erratum="sign lost"), case=Ne(i, j)),
    step(D(a[i], z[j]), then(a[i] * a[j], "a slip"), case=Ne(i, j)),
)

UNDECIDED = derivation(
    "undecided",
    "Reversed sum",
    n.context(),
    step(Sum(z[k], (k, 1, K)), then(Sum(z[K + 1 - k], (k, 1, K)), "reverse")),
)
"""
)


@pytest.fixture
def derivations(pytester: pytest.Pytester):
    pytester.makepyfile(derivations=DERIVATIONS)
    pytester.makepyfile(test_ordinary="def test_ordinary():\n    assert True\n")
    return pytester


def test_each_link_is_an_item_and_a_refuted_link_fails_with_its_counterexample(derivations):
    result = derivations.runpytest("--derivs", "derivations.py", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*jacobian, link 3: ∂a_i/∂z_j = a_i*a_j*",
            "*expected proved, got refuted (counterexample search (K=2))*",
            "*counterexample at K = 2, i = 1, j = 2*",
        ]
    )
    result.stdout.fnmatch_lines(["FAILED derivations.py::jacobian::link3*"])


def test_items_report_the_file_and_line_of_their_link(derivations):
    recorded = derivations.inline_run("--derivs", "derivations.py", "-p", "no:cacheprovider")
    reports = [r for r in recorded.getreports("pytest_runtest_logreport") if r.when == "call"]
    written = (derivations.path / "derivations.py").read_text().splitlines()
    slip = written.index('    step(D(a[i], z[j]), then(a[i] * a[j], "a slip"), case=Ne(i, j)),')
    failed = [r for r in reports if r.failed]
    assert [r.location[1:] for r in failed] == [
        (slip, "jacobian link 3"),
        (slip + 7, "undecided link 1"),
    ]
    assert failed[0].location[0] == "derivations.py"


def test_unknowns_can_be_skipped(derivations):
    result = derivations.runpytest(
        "--derivs",
        "--derivs-allow-unknown",
        "derivations.py",
        "-k",
        "undecided",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(skipped=1, deselected=3)


def test_without_the_flag_derivation_files_are_left_alone(derivations):
    result = derivations.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_a_broken_derivation_file_is_a_collection_error_with_its_line(pytester: pytest.Pytester):
    pytester.makepyfile(broken="from derivs import then\n\nthen('text')\n")
    result = pytester.runpytest("--derivs", "broken.py", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*broken.py:3: each expression of a chain must be a SymPy*"])


def test_with_no_path_and_no_configuration_the_library_is_not_collected(
    pytester: pytest.Pytester,
):
    result = pytester.runpytest("--derivs", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    asked = pytester.runpytest(
        "--derivs", "--derivs-library", "-k", "000-softmax", "-p", "no:cacheprovider"
    )
    asked.assert_outcomes(passed=3)


def test_collect_only_counts_the_items_it_lists(derivations):
    result = derivations.runpytest(
        "--derivs", "--derivs-library", "derivations.py", "--collect-only", "-q"
    )
    listed = [line for line in result.outlines if "::" in line]
    assert len(listed) > 4
    assert "derivations.py::jacobian::link3" in listed
    assert "derivs-library::000-softmax::link1" in listed
    result.stdout.fnmatch_lines([f"{len(listed)} tests collected*"])


def test_a_node_id_selects_one_link_and_last_failed_reruns_only_the_failures(derivations):
    one = derivations.runpytest("--derivs", "derivations.py::jacobian::link3", "-v")
    one.assert_outcomes(failed=1)
    one.stdout.fnmatch_lines(["*derivations.py::jacobian::link3 FAILED*"])
    first = derivations.runpytest("--derivs", "derivations.py")
    first.assert_outcomes(passed=2, failed=2)
    again = derivations.runpytest("--derivs", "derivations.py", "--lf", "-v")
    again.assert_outcomes(failed=2, deselected=2)
    again.stdout.fnmatch_lines(
        [
            "*derivations.py::jacobian::link3 FAILED*",
            "*derivations.py::undecided::link1 FAILED*",
        ]
    )


def test_every_link_of_a_session_is_checked_in_one_batch(
    derivations, monkeypatch: pytest.MonkeyPatch
):
    import derivs.checker

    batches: list[int] = []
    check_links = derivs.checker.check_links

    def counted(work, *args, **kwargs):
        batches.append(len(work))
        return check_links(work, *args, **kwargs)

    monkeypatch.setattr(derivs.checker, "check_links", counted)
    result = derivations.runpytest("--derivs", "derivations.py", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=2)
    assert batches == [4]
    batches.clear()
    derivations.runpytest("--derivs", "derivations.py", "-k", "jacobian", "-p", "no:cacheprovider")
    assert batches == [3]  # only the selected links


def test_verdicts_come_from_the_configured_cache(derivations):
    derivations.makepyprojecttoml('[tool.derivs]\ncache-dir = "verdicts"\n')
    derivations.runpytest("--derivs", "derivations.py", "-p", "no:cacheprovider")
    assert (derivations.path / "verdicts" / "verdicts.sqlite3").is_file()
    from derivs.cache import VerdictCache

    cache = VerdictCache(derivations.path / "verdicts")
    assert cache.clear() == 2  # links 2 and 3 claim the same; the unknown is not kept
    cache.close()


def test_documents_with_a_notation_are_collected_and_their_skips_are_skips(
    pytester: pytest.Pytester,
):
    from pathlib import Path

    notes = Path(__file__).parent / "documents" / "softmax_notes.md"
    pytester.makefile(".md", notes=notes.read_text(encoding="utf-8"))
    pytester.makefile(".md", README="# A readme\n\n$$a = b$$\n")
    result = pytester.runpytest("--derivs", ".", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=18, failed=3, skipped=1)
    result.stdout.fnmatch_lines(
        [r"*notes, link 3: \frac{\partial S}{\partial z_j} = K e^{z_j}", "*counterexample at K = *"]
    )


def test_strict_fails_skipped_links(pytester: pytest.Pytester):
    from tests.test_cli import SKIPPING_NOTE

    pytester.makefile(".md", note=SKIPPING_NOTE)
    relaxed = pytester.runpytest("--derivs", ".", "-p", "no:cacheprovider")
    relaxed.assert_outcomes(passed=1, skipped=1)
    strict = pytester.runpytest("--derivs", "--derivs-strict", ".", "-p", "no:cacheprovider")
    strict.assert_outcomes(passed=1, failed=1)


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-5"])
def test_a_timeout_out_of_range_is_a_usage_error(pytester: pytest.Pytester, value):
    result = pytester.runpytest("--derivs", f"--derivs-timeout={value}", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--derivs-timeout: * is not a deadline*"])


def test_a_document_named_on_the_command_line_is_collected(pytester: pytest.Pytester):
    from tests.test_project import BARE_NOTE, NOTE_WITH_A_SLIP

    pytester.makefile(".md", notes=NOTE_WITH_A_SLIP, bare=BARE_NOTE)
    result = pytester.runpytest("--derivs", "notes.md", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["FAILED notes.md::notes::link2*"])
    bare = pytester.runpytest("--derivs", "bare.md", "-p", "no:cacheprovider")
    bare.assert_outcomes(passed=1, failed=1)  # read in the notation its mathematics implies


def test_a_skip_is_reported_at_the_line_of_the_document(pytester: pytest.Pytester):
    from tests.test_cli import SKIPPING_NOTE

    pytester.makefile(".md", note=SKIPPING_NOTE)
    line = SKIPPING_NOTE.splitlines().index(r"$$S = e^{z_1} + \dots + e^{z_K}$$") + 1
    result = pytester.runpytest("--derivs", "note.md", "-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines([f"SKIPPED [[]1[]] note.md:{line}: *"])


def test_under_xdist_each_worker_checks_the_links_it_is_given(derivations):
    pytest.importorskip("xdist")
    result = derivations.runpytest_subprocess(
        "--derivs", "derivations.py", "-n", "2", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(["FAILED derivations.py::jacobian::link3*"])


def test_without_derivs_the_plugin_imports_nothing_heavy(pytester: pytest.Pytester):
    pytester.makepyfile(
        test_start="""
import sys


def test_nothing_heavy_was_imported_at_start_up():
    assert "derivs.pytest_plugin" in sys.modules  # the plugin is active
    heavy = [m for m in sys.modules if m.split(".")[0] in ("sympy", "lark", "rich")]
    assert heavy == []
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
