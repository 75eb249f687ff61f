"""Reports show what the author wrote: a link's Source in JSON, the terminal, JUnit and GitHub."""

from __future__ import annotations

from sympy import Derivative, Ne

from derivs import DerivationResult, LinkResult, Status, Verdict
from derivs.github import github_annotations
from derivs.junit import junit_xml
from derivs.model import Derivation, Source, SourceLocation, Step, link
from derivs.report import claim_text, json_report, link_json
from derivs.verdict import Assignment, Counterexample
from tests.schema import valid_link, valid_report

WRITTEN = r"\frac{\partial a_i}{\partial z_j} = a_i  a_j"


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
    assert step["claim"] == WRITTEN
    assert step["latex"].startswith(r"\frac{\partial {a}_{i}}{\partial {z}_{j}} = ")
    assert step["counterexample"]["values"] == {"z[1]": "0.5"}


def test_a_link_without_a_source_has_null_and_its_printed_claim(sm):
    (result,) = refuted(sm, None).links
    found = valid_link(link_json(result))
    assert found["source"] is None
    assert found["claim"] == claim_text(result) == "∂a_i/∂z_j = a_i*a_j"


def test_junit_and_github_show_the_authors_text_and_its_span(sm):
    result = refuted(sm, Source(WRITTEN, 12, 3, 12, 45))
    assert f'name="link 1: {WRITTEN}"' in junit_xml([result]).replace("&#10;", "\n")
    (line,) = github_annotations([result])
    assert "line=12,col=3,endLine=12,endColumn=45," in line
    assert WRITTEN in line


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
