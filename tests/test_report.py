"""Reports show what the author wrote: a link's Source in JSON, the terminal, JUnit and GitHub."""

from __future__ import annotations

from sympy import Derivative, Ne

from derivs import DerivationResult, LinkResult, Status, Verdict
from derivs.github import github_annotations
from derivs.junit import junit_xml
from derivs.loader import LoadProblem, ProblemKind
from derivs.model import Derivation, Source, SourceLocation, Step, link
from derivs.paths import shown_path
from derivs.report import claim_text, counterexample_json, json_report, link_json, summarize
from derivs.verdict import Assignment, Counterexample
from tests.schema import valid_link, valid_report

WRITTEN = r"\frac{\partial a_i}{\partial z_j} = a_i  a_j"
ON_ONE_LINE = r"\frac{\partial a_i}{\partial z_j} = a_i a_j"


def refuted(sm, source: Source | None) -> DerivationResult:
    a, z, i, j = sm.a, sm.z, sm.i, sm.j
    found = link(
        Derivative(a[i], z[j]),
        a[i] * a[j],
        "quotient rule",
        case=Ne(i, j),
        location=SourceLocation("note.md", 12),
        source=source,
    )
    counterexample = Counterexample(
        (("K", 2),), (("i", 1), ("j", 2)), (Assignment("z", ("1",), "0.5"),), "-0.2", "0.2"
    )
    verdict = Verdict(Status.REFUTED, "counterexample search", counterexample=counterexample)
    derivation = Derivation("note", "Note", sm.context, (Step((found,)),))
    return DerivationResult(derivation, (LinkResult(1, found, verdict),))


def test_the_json_of_a_step_gives_its_source_beside_the_printed_latex(sm):
    source = Source(WRITTEN, 12, 3, 12, 45)
    (step,) = valid_report(json_report([refuted(sm, source)], "0"))["derivations"][0]["steps"]
    assert step["source"] == {
        "text": WRITTEN,
        "line": 12,
        "column": 3,
        "end_line": 12,
        "end_column": 45,
    }
    assert step["claim"] == ON_ONE_LINE
    assert step["latex"].startswith(r"\frac{\partial {a}_{i}}{\partial {z}_{j}} = ")
    assert step["counterexample"]["values"] == {"z[1]": "0.5"}


def test_a_link_without_a_source_has_null_and_its_printed_claim(sm):
    (result,) = refuted(sm, None).links
    found = valid_link(link_json(result))
    assert found["source"] is None
    assert found["claim"] == claim_text(result) == "∂a_i/∂z_j = a_i*a_j"


def test_junit_and_github_show_the_authors_text_and_its_span(sm):
    result = refuted(sm, Source(WRITTEN, 12, 3, 12, 45))
    assert f'name="link 1: {ON_ONE_LINE}"' in junit_xml([result])
    (line,) = github_annotations([result])
    assert "line=12,col=3,endLine=12,endColumn=45," in line
    assert ON_ONE_LINE in line


def test_a_claim_over_several_rows_is_shown_on_one_line_without_its_comments(sm):
    written = "a_i \\\\ % the first row\n  &= a_i\t% 100% sure\n"
    result = refuted(sm, Source(written, 3, 1, 5, 1))
    (step,) = valid_report(json_report([result], "0"))["derivations"][0]["steps"]
    assert step["claim"] == "a_i \\\\ &= a_i"
    assert step["source"]["text"] == written
    assert "&#10;" not in junit_xml([result]) and "sure" not in junit_xml([result])


def test_case_provenance_is_a_field_of_the_json(sm):
    from derivs.model import CaseOrigin, CaseSource

    a, z, i, j = sm.a, sm.z, sm.i, sm.j
    found = link(
        Derivative(a[i], z[j]),
        -a[i] * a[j],
        case=Ne(i, j),
        case_sources=(CaseSource(CaseOrigin.COMMENT, 4),),
    )
    result = LinkResult(1, found, Verdict(Status.PROVED, "canonical form"))
    shown = valid_link(link_json(result))
    assert shown["case_sources"] == [{"origin": "comment", "line": 4}]
    assert shown["justification"] is None  # null, not "", for an absent value


def test_a_dimension_named_lhs_cannot_collide_with_the_sides(sm):
    counterexample = Counterexample((("lhs", 3), ("values", 2)), (), (), "1", "2")
    found = counterexample_json(counterexample)
    assert found["dimensions"] == {"lhs": 3, "values": 2}
    assert (found["lhs"], found["rhs"], found["values"]) == ("1", "2", {})


def test_load_problems_are_listed_with_file_line_and_message_and_fail_the_summary(
    sm, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    problems = [
        LoadProblem(str(tmp_path / "notes" / "broken.py"), "failed to import: x", 4, column=2),
        LoadProblem("no-such", "not a derivation of the library", kind=ProblemKind.NOT_FOUND),
    ]
    report = valid_report(json_report([], "0", problems=problems))
    assert report["problems"] == [
        {
            "file": "notes/broken.py",
            "line": 4,
            "column": 2,
            "kind": "input",
            "message": "failed to import: x",
        },
        {
            "file": "no-such",
            "line": None,
            "column": None,
            "kind": "not found",
            "message": "not a derivation of the library",
        },
    ]
    assert report["summary"]["problems"] == 2
    assert summarize([]).as_expected and not summarize([], problems=problems).as_expected


def test_a_path_outside_the_current_folder_is_absolute(tmp_path, monkeypatch):
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    assert shown_path(str(tmp_path / "here" / "a.md")) == "a.md"
    assert shown_path("../elsewhere/b.md") == str(tmp_path / "elsewhere" / "b.md")
    assert shown_path(str(tmp_path / "c.md"), base=str(tmp_path)) == "c.md"
