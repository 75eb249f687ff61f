"""A document with no notation is read in the notation its mathematics implies (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sympy import Symbol

from derivs import CheckOptions, Status, check_derivation
from derivs.cli import main
from derivs.errors import DerivsError
from derivs.model import Link, OpenName, link
from derivs.read.document import read_document
from derivs.read.infer import infer_notation, inferred_toml
from derivs.read.notation import read_notation
from derivs.read.scan import scan_document
from derivs.readings import settled
from derivs.verdict import Assignment, Counterexample, Verdict

FAST = CheckOptions(timeout=30, jobs=1, isolate=False)
DOCUMENTS = Path(__file__).parent / "documents"


def checked(name: str, notation: str | None = None, notation_path: str = ""):
    path = DOCUMENTS / name
    derivation = read_document(str(path), path.read_text("utf-8"), notation, notation_path)
    return check_derivation(derivation, FAST)


def statuses(result) -> list[tuple[int, str]]:
    return [(r.link.location.line, r.verdict.status.value) for r in result.links]


def test_names_are_inferred_from_use_each_with_its_line():
    text = (DOCUMENTS / "inferred_softmax_no_notation.md").read_text("utf-8")
    inferred = infer_notation(scan_document(text, "markdown"), "note.md")
    table = inferred.table
    assert table["dimensions"] == {"K": 1}
    assert table["indices"] == {"k": "K", "i": "K", "j": "K"}
    assert table["vectors"] == {"z": "K", "t": "K"}
    assert list(table["definitions"]) == ["S", "q_i", "E"]
    assert list(table["hypotheses"].values()) == ["\\sum_{k=1}^{K} t_k = 1"]
    lines = {(i.section, i.key): i.line for i in inferred.inferences}
    assert lines[("definitions", "S")] == 3  # inline, in the prose
    assert lines[("definitions", "q_i")] == 7
    assert lines[("hypotheses", "\\sum_{k=1}^{K} t_k = 1")] == 13


def test_a_document_without_notation_is_checked_and_every_wrong_line_found():
    result = checked("inferred_softmax_no_notation.md")
    assert statuses(result) == [
        (7, "proved"),
        (13, "proved"),
        (17, "proved"),
        (23, "proved"),
        (29, "proved"),
        (33, "proved"),
        (39, "unknown"),  # draws t, which the prose may mean one-hot: declare it
        (45, "refuted"),  # draws z only, a variable: the wrong line is found
    ]
    assert "declare" in result.links[6].verdict.message
    why = {r.link.location.line: str(r.link.justification) for r in result.links}
    assert why[7] == "the definition of q_i, inferred from this line"
    assert why[13].startswith("the stated hypothesis")
    assumed = [str(a) for a in result.derivation.assumed]
    assert "line 13: t is written with a subscript: a vector of length K" in assumed


def test_a_hypothesis_only_the_document_states_is_assumed():
    text = (DOCUMENTS / "inferred_softmax_no_notation.md").read_text("utf-8")
    without = text.replace("$$\n\\sum_{k=1}^{K} t_k = 1\n$$\n", "")
    assert without != text
    result = check_derivation(read_document("note.md", without), FAST)
    # q_j sum_k t_k - t_j = q_j - t_j needs the targets to add up to one: not stated, so
    # not proved (t is open: a refutation drawing it is no verdict)
    found = dict(statuses(result))
    assert found[30] != "proved" and found[42] == "refuted"
    assert not any("hypothesis" in a.statement for a in result.derivation.assumed)


def test_a_refutation_that_draws_an_open_name_is_unknown_with_declare():
    result = checked("inferred_open_names.md")
    found = {r.link.location.line: r.verdict for r in result.links}
    assert found[18].status is Status.REFUTED  # p is defined: a wrong line is found
    assert found[24].status is Status.PROVED  # true whatever a is
    assert found[28].status is Status.UNKNOWN  # a_i = a_i^2: true if a is 0/1-valued
    assert "declare" in found[28].message and "a" in found[28].message
    assert found[34].status is Status.UNKNOWN  # sigma' = sigma (1 - sigma): the sigmoid
    assert "\\sigma" in found[34].message
    assert found[40].status is Status.PROVED  # h defined through the open function
    assert found[44].status is not Status.REFUTED  # h reaches sigma through its definition


def test_settled_keeps_a_counterexample_that_draws_no_open_name():
    x, a = Symbol("x"), Symbol("a")
    base = link(x, x + 1)
    wrong = Counterexample((), (), (Assignment("x", (), "1"),), "1", "2")
    refuted = Verdict(Status.REFUTED, "search", counterexample=wrong)
    opened = Link(x, x + 1, open_names=(OpenName("a", "a"),))
    assert settled(base, refuted) is refuted
    assert settled(opened, refuted) is refuted  # draws x only: holds for every reading of a
    drawing_a = Counterexample((), (), (Assignment("a", (), "1"),), "1", "2")
    on_a = Verdict(Status.REFUTED, "search", counterexample=drawing_a)
    assert settled(Link(a, a + 1, open_names=(OpenName("a", "a"),)), on_a).status is Status.UNKNOWN
    assert settled(Link(a, a + 1), on_a) is on_a  # a declared name: the refutation stands


def test_a_declared_notation_wins_and_only_definitions_are_added():
    declared = (
        "# A note\n\n```derivs\n[dimensions]\nK = 1\n[indices]\ni = 'K'\n"
        "[vectors]\nz = 'K'\nq = 'K'\n```\n\n$$\nq_i = z_i^2\n$$\n\n$$\nS = z_1 + 1\n$$\n"
    )
    derivation = read_document("note.md", declared)
    assumed = [a.statement for a in derivation.assumed]
    assert assumed == ["S is given its formula here: a definition"]  # q is declared: no def
    result = check_derivation(derivation, FAST)
    assert [r.verdict.status for r in result.links] == [Status.REFUTED, Status.PROVED]


def test_notation_prints_toml_that_reads_back_to_the_same_verdicts(tmp_path):
    runner = CliRunner()
    for name in ("inferred_log_sum_exp.md", "inferred_two_meanings.md"):
        printed = runner.invoke(main, ["notation", str(DOCUMENTS / name)])
        assert printed.exit_code == 0, printed.output
        read_notation(printed.output, "printed")  # valid TOML in the notation's own form
        side = tmp_path / f"{name}.toml"
        side.write_text(printed.output, "utf-8")
        inferred = runner.invoke(main, ["check", str(DOCUMENTS / name), "-j1", "--format", "json"])
        kept = runner.invoke(
            main,
            ["check", str(DOCUMENTS / name), "--notation", str(side), "-j1", "--format", "json"],
        )
        first, second = json.loads(inferred.stdout), json.loads(kept.stdout)
        verdicts = [s["verdict"] for s in first["derivations"][0]["steps"]]
        kept_verdicts = [s["verdict"] for s in second["derivations"][0]["steps"]]
        if name == "inferred_two_meanings.md":  # the TOML holds no scopes: the first reads back
            verdicts, kept_verdicts = verdicts[:2], kept_verdicts[:2]
        assert verdicts == kept_verdicts
        if name == "inferred_log_sum_exp.md":
            assert verdicts == ["proved"] * 5 + ["refuted"]
        assert first["derivations"][0]["assumed"] and not second["derivations"][0]["assumed"]


def test_the_printed_notation_says_where_each_declaration_came_from():
    text = (DOCUMENTS / "inferred_softmax_no_notation.md").read_text("utf-8")
    toml = inferred_toml(infer_notation(scan_document(text, "markdown"), "note.md"))
    assert "'q_i' = '\\frac{e^{z_i}}{S}'  # line 7: is given its formula here" in toml


def test_examples_are_a_family_when_the_document_sums_over_them():
    text = (DOCUMENTS / "inferred_examples_family.md").read_text("utf-8")
    inferred = infer_notation(scan_document(text, "markdown"), "note.md")
    assert inferred.table["scalars"]["x"] == {"kind": "real", "family": "n"}
    result = checked("inferred_examples_family.md")
    assert [r.verdict.status for r in result.links] == [Status.PROVED, Status.PROVED]


def test_einstein_sums_a_repeated_index_only_when_stated():
    stated = checked("inferred_einstein_layer.md")
    assert [s for _, s in statuses(stated)] == [
        "proved",
        "proved",
        "proved",
        "proved",
        "proved",
        "refuted",
    ]
    text = (DOCUMENTS / "inferred_einstein_layer.md").read_text("utf-8")
    plain = read_document("plain.md", text.replace('summation = "einstein"\n', ""))
    result = check_derivation(plain, FAST)
    # without the switch y_i = W_ij x_j + b_i keeps j free, and the chain rule's
    # (y_i - t_i) W_ic is not summed: the line that needs the sum is refuted
    assert result.links[4].verdict.status is Status.REFUTED


def test_an_unknown_summation_is_an_error():
    with pytest.raises(DerivsError, match="summation"):
        read_notation('summation = "einstien"\n', "side.toml")


def test_one_display_read_alone_is_read_in_the_whole_documents_notation():
    text = (DOCUMENTS / "inferred_softmax_no_notation.md").read_text("utf-8")
    whole = read_document("note.md", text)
    alone = read_document("note.md", text, only=4)
    assert alone.links == whole.links[4:5] and alone.context == whole.context


def test_a_heading_starts_a_scope_where_a_letter_means_something_else():
    result = checked("inferred_two_meanings.md")
    assert statuses(result) == [
        (8, "proved"),
        (12, "proved"),  # u a scalar
        (20, "proved"),
        (24, "proved"),  # u a vector: its entries
        (28, "proved"),
        (32, "refuted"),
    ]
    assumed = [str(a) for a in result.derivation.assumed]
    assert "line 8: u is written alone: a real scalar" in assumed
    assert any(a.endswith("(u from line 19 on)") for a in assumed)


def test_without_headings_a_letter_keeps_one_meaning():
    text = (DOCUMENTS / "inferred_two_meanings.md").read_text("utf-8").replace("## ", "")
    result = check_derivation(read_document("note.md", text), FAST)
    assert Status.ERROR in {r.verdict.status for r in result.links}


def test_a_number_given_to_a_defined_name_is_a_claim_never_a_premise():
    text = "$$\nS = e^{u} + 1\n$$\n\n$$\nS = 2\n$$\n\n$$\nt = 1\n$$\n\n$$\nS - t = e^{u}\n$$\n"
    derivation = read_document("note.md", text)
    assert [h.name for h in derivation.context.hypotheses] == ["t = 1"]
    result = check_derivation(derivation, FAST)
    found = [r.verdict.status for r in result.links]
    assert found[0] is Status.PROVED  # the definition of S
    assert found[1] is not Status.PROVED  # S = 2 is checked, not assumed
    assert found[2:] == [Status.PROVED, Status.PROVED]  # t = 1 stated, and used


def test_a_scalar_that_is_only_a_variable_is_any_real_number():
    text = "$$\n(x + 1)^2 = x^2 + 2 x + 1\n$$\n\n$$\n(x + 1)^2 = x^2 + 1\n$$\n"
    text += "$$\n\\frac{\\partial L}{\\partial x} = 2 x\n$$\n"
    result = check_derivation(read_document("note.md", text), FAST)
    found = [r.verdict for r in result.links]
    assert [v.status for v in found] == [Status.PROVED, Status.REFUTED, Status.UNKNOWN]
    assert "declare" in found[2].message and "L" in found[2].message  # L: undefined, differentiated


def test_the_printed_notation_never_declares_an_open_name(tmp_path):
    runner = CliRunner()
    document = DOCUMENTS / "inferred_open_names.md"
    printed = runner.invoke(main, ["notation", str(document)])
    assert "# 'a' = 'K'" in printed.output and "# '\\sigma' = 1" in printed.output
    side = tmp_path / "open.toml"
    side.write_text(printed.output, "utf-8")
    kept = runner.invoke(
        main, ["check", str(document), "--notation", str(side), "-j1", "--format", "json"]
    )
    steps = json.loads(kept.stdout)["derivations"][0]["steps"]
    by_line = {s["location"]["line"]: s["verdict"] for s in steps}
    assert by_line[18] == "refuted"  # p is defined in the printed notation too
    assert {by_line[28], by_line[34]} == {"error"}  # a and sigma: declare them first


def test_a_parenthesised_superscript_is_a_family_only_where_the_document_sums_over_it():
    summed = "$$\nJ = \\sum_{n=1}^{N} (y^{(n)})^2\n$$\n"
    assert "y" in infer_notation(scan_document(summed, "markdown"), "a.md").table["scalars"]
    alone = "$$\nJ = (y^{(n)})^2\n$$\n"
    table = infer_notation(scan_document(alone, "markdown"), "b.md").table
    assert "y" not in table.get("scalars", {}) and "y" not in table.get("vectors", {})


def test_a_definition_may_use_a_name_the_prose_defines_after_it():
    text = (
        "$$\nq_i = \\frac{e^{z_i}}{S}\n$$\n\nwhere $S = \\sum_{k=1}^{K} e^{z_k}$, so that\n\n"
        "$$\n\\sum_{i=1}^{K} q_i = 1\n$$\n"
    )
    derivation = read_document("note.md", text)
    assert list(infer_notation(scan_document(text, "markdown"), "n.md").table["definitions"]) == [
        "S",
        "q_i",
    ]
    result = check_derivation(derivation, FAST)
    assert [r.verdict.status for r in result.links] == [Status.PROVED, Status.PROVED]


def test_a_name_whose_formula_is_not_read_is_never_refuted():
    # the softmax written as a named function: if its definition is not read, a_i is
    # any vector for the checker, and a correct line must not be refuted for that
    text = (
        "$$\na_i = \\operatorname{softmax}(z)_i\n$$\n\n"
        "$$\n\\frac{\\partial a_i}{\\partial z_j} = a_i (\\delta_{ij} - a_j)\n$$\n"
    )
    result = check_derivation(read_document("note.md", text), FAST)
    last = result.links[-1].verdict
    assert last.status in {Status.PROVED, Status.UNKNOWN}
    if last.status is Status.UNKNOWN:
        assert "declare it" in last.message and "a " in last.message


def test_a_membership_in_a_real_space_declares_a_shape_and_its_dimensions(tmp_path):
    text = r"""# A layer

Let $x \in \mathbb{R}^{n}$ be the input, $W \in \mathbb{R}^{m \times n}$ the weights and
$b \in \mathbb{R}^m$ the bias:

$$
z = W x + b
$$

$$
z_i = \sum_{j=1}^{n} W_{ij} x_j + b_i
$$

$$
z_i = \sum_{j=1}^{n} W_{ij} x_j - b_i
$$
"""
    path = tmp_path / "layer.md"
    path.write_text(text, encoding="utf-8")
    table = infer_notation(scan_document(text, str(path)), str(path)).table
    assert table["vectors"] == {"x": "n", "b": "m"}
    assert table["matrices"] == {"W": ["m", "n"]}
    assert set(table["dimensions"]) == {"m", "n"}
    assert table["indices"] == {"i": "m", "j": "n"}
    derivation = read_document(str(path), text, None, "")
    result = check_derivation(derivation, FAST)
    assert [r.verdict.status.value for r in result.links] == ["proved", "proved", "refuted"]


def test_a_backward_pass_with_layers_and_shapes_stated_in_the_prose():
    result = checked("inferred_mlp_backward.md")
    assert statuses(result) == [
        (8, "proved"),  # a = W_1 x + b_1, a definition
        (12, "proved"),
        (18, "proved"),
        (24, "proved"),  # a gradient (a row) against a column: the author's layout
        (24, "proved"),
        (30, "proved"),  # an outer product, compared entry by entry
        (37, "error"),  # the factors swapped: a shape mismatch, never a proof
        (43, "proved"),  # an indexed bracket [g a^\top]_{oh}
        (43, "refuted"),  # the sign lost
        (49, "proved"),
    ]


def test_a_formula_given_in_prose_before_a_heading_defines_its_name_after_it():
    text = (
        "The scores $s_j$ have the normaliser $N = \\sum_{c=1}^{C} e^{s_c}$.\n\n"
        "## The derivative\n\n"
        "$$\n\\frac{\\partial N}{\\partial s_m} = e^{s_m}\n$$\n\n"
        "$$\n\\frac{\\partial N}{\\partial s_m} = 2 e^{s_m}\n$$\n"
    )
    result = check_derivation(read_document("note.md", text), FAST)
    assert [r.verdict.status for r in result.links] == [Status.PROVED, Status.REFUTED]
    inferred = infer_notation(scan_document(text, "markdown"), "note.md")
    assert inferred.table["definitions"]["N"] == "\\sum_{c=1}^{C} e^{s_c}"


def test_a_name_given_a_formula_that_does_not_parse_is_open():
    # the definition of v carries a range the reader does not parse: v is not a free
    # vector (though E is differentiated by it, as by A), and its derivative (0 if it were)
    # refutes nothing
    text = (
        "$$\nv_a = \\sum_{b=1}^{p} A_{ab} u_b"
        " \\qquad \\text{for all } a \\text{ ~up to~ } q\n$$\n\n"
        "$$\ng_a = \\frac{\\partial E}{\\partial v_a}\n$$\n\n"
        "$$\nG_{rs} = \\frac{\\partial E}{\\partial A_{rs}}\n$$\n\n"
        "$$\n\\frac{\\partial v_a}{\\partial u_s} = A_{as}\n$$\n\n"
        "$$\n\\frac{\\partial v_a}{\\partial u_s} = 3 A_{as}\n$$\n"
    )
    result = check_derivation(read_document("note.md", text), FAST)
    derivatives = [r.verdict for r in result.links if r.link.location and r.link.location.line > 11]
    assert [v.status for v in derivatives] == [Status.UNKNOWN, Status.UNKNOWN]
    assert all("declare" in (v.message or "") and "v" in (v.message or "") for v in derivatives)


def test_an_undefined_name_under_a_derivative_may_depend_on_its_variable():
    # Z is named in words only: treated as a constant, the correct derivative of e^s / Z
    # would be refuted; the link rests on what Z is
    text = (
        "Here $Z$ is the partition function of the scores.\n\n"
        "$$\n\\frac{\\partial}{\\partial s_i} \\frac{e^{s_i}}{Z} = "
        "\\frac{e^{s_i}}{Z} - \\frac{e^{2 s_i}}{Z^2}\n$$\n\n"
        "$$\n\\frac{d}{d t} t^3 = 2 t^2\n$$\n"
    )
    result = check_derivation(read_document("note.md", text), FAST)
    first, second = (r.verdict for r in result.links)
    assert first.status is Status.UNKNOWN
    assert "Z" in (first.message or "") and "declare" in (first.message or "")
    assert second.status is Status.REFUTED  # t is the variable: its refutation stands


def test_data_under_a_derivative_is_refuted_once_declared():
    text = "$$\n\\frac{\\partial}{\\partial w} \\frac{1}{2}(w x - y)^2 = (w x - y)\n$$\n"
    as_written = check_derivation(read_document("note.md", text), FAST).links[0].verdict
    assert as_written.status is Status.UNKNOWN
    assert "x" in (as_written.message or "") and "declare" in (as_written.message or "")
    notation = '[scalars]\nw = "real"\nx = "real"\ny = "real"\n'
    declared = check_derivation(read_document("note.md", text, notation), FAST).links[0].verdict
    assert declared.status is Status.REFUTED


def test_a_proof_that_differentiates_an_undefined_name_is_unknown():
    # J is never defined and w is: with J read as a value every derivative of it is 0,
    # which "proves" the chain rule without its factor and a dropped product-rule term
    text = (
        "$$\nw_i = \\frac{e^{u_i}}{\\sum_{k=1}^{n} e^{u_k}}\n$$\n\n"
        "$$\n\\frac{\\partial J}{\\partial u_j} = \\frac{\\partial J}{\\partial w_j}\n$$\n\n"
        "$$\n\\frac{\\partial (J w_j)}{\\partial u_j}"
        " = J \\frac{\\partial w_j}{\\partial u_j}\n$$\n\n"
        "$$\n\\frac{\\partial w_j}{\\partial u_j} = w_j (1 - w_j)\n$$\n"
    )
    found = [r.verdict for r in check_derivation(read_document("note.md", text), FAST).links]
    statuses = [v.status for v in found]
    assert statuses[-3:] == [Status.UNKNOWN, Status.UNKNOWN, Status.PROVED]
    assert all("proved only if J" in (v.message or "") for v in found[-3:-1])


def test_a_derivative_through_an_undefined_function_is_no_exception():
    text = (
        "Let $p_i = g(u_i)$.\n\n"
        "$$\n\\frac{\\partial p_i}{\\partial u_i} = p_i (1 - p_i)\n$$\n\n"
        "$$\n\\frac{d}{d x} g(x^2) = 2 x g(x^2)\n$$\n"
    )
    found = [r.verdict for r in check_derivation(read_document("note.md", text), FAST).links]
    assert [v.method for v in found] == ["open reading", "open reading"]
    assert all("g may be anything" in (v.message or "") for v in found)
