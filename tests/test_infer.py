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
    for name in (
        "inferred_log_sum_exp.md",
        "inferred_two_meanings.md",
        "inferred_named_functions.md",
    ):
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
        if name == "inferred_named_functions.md":  # the open \\sigma (link 10) is commented out
            verdicts, kept_verdicts = (
                verdicts[:9] + verdicts[10:],
                kept_verdicts[:9] + kept_verdicts[10:],
            )
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


# -- parameter functions and examples (issue 13, items 6 and 11) ------------------------------


def inferred_from(text: str, kind: str = "markdown"):
    return infer_notation(scan_document(text, kind), "note.md")


def test_a_function_with_a_parameter_subscript_is_defined_by_its_formula():
    inferred = inferred_from((DOCUMENTS / "inferred_logistic_regression.md").read_text("utf-8"))
    definitions = inferred.table["definitions"]
    assert definitions["h_\\theta(x)"] == "\\frac{1}{1 + e^{-\\theta^\\top x}}"
    assert inferred.table["vectors"]["\\theta"] == "n"
    assert "h" not in inferred.table.get("scalars", {})
    assert "h_{\\theta}" not in inferred.table.get("functions", {})


def test_the_logistic_regression_document_is_read_as_written():
    result = checked("inferred_logistic_regression.md")
    found = dict(statuses(result))
    assert [found[line] for line in (8, 14, 34)] == ["proved"] * 3
    # x is stated real, yet nothing says it does not depend on theta: proved only if not
    assert [found[line] for line in (22, 28)] == ["unknown"] * 2
    assert found[42] in {"proved", "unknown"}  # the gradient: read, whatever the engine decides
    # the slip: x is stated real, yet may depend on theta as far as the document says
    assert found[48] == "unknown"


@pytest.mark.parametrize(
    "definition",
    [
        r"$g(z) = \frac{1}{1 + e^{-z}}$",
        r"$g(z, w) = z w$",
        r"$h_\theta(z) = \theta^\top z$",
    ],
)
def test_a_functions_parameter_is_not_a_name_of_the_document(definition):
    text = f"# Note\n\nLet {definition} be given.\n\n$$\n\\sum_{{k=1}}^{{K}} z_k = S\n$$\n"
    inferred = inferred_from(text)
    assert "z" not in inferred.table.get("scalars", {})
    assert inferred.table["vectors"]["z"] == "K"  # the document's z, a vector
    assert "z" not in inferred.open_names or "z" in inferred.table["vectors"]


def test_a_parameter_spelled_like_a_family_stays_the_parameter():
    text = (
        "# Note\n\nThe model is $f_{\\mathbf{w}}(v) = \\mathbf{w}^\\top v$.\n\n"
        "$$\nL = \\sum_{i=1}^{N} f_{\\mathbf{w}}(v^{(i)})\n$$\n\n"
        "$$\n\\frac{\\partial L}{\\partial w_k} = \\sum_{i=1}^{N} v^{(i)}_k\n$$\n"
    )
    inferred = inferred_from(text)
    assert inferred.table["vectors"]["v"]["family"] == "i"  # the examples, not the parameter
    assert "f_{\\mathbf{w}}(v)" in inferred.table["definitions"]
    result = check_derivation(read_document("note.md", text), FAST)
    assert [r.verdict.status for r in result.links] == [Status.PROVED, Status.PROVED]


def test_a_vector_written_whole_in_one_section_keeps_its_meaning_in_the_next():
    text = (
        "# Model\n\n$$\nh_\\theta(x) = \\frac{1}{1 + e^{-\\theta^T x}}\n$$\n\n"
        "# Gradient\n\n"
        "$$\n\\frac{\\partial}{\\partial \\theta_j} \\theta^T x^{(i)} = x^{(i)}_j\n$$\n\n"
        "$$\nL = \\sum_{i=1}^{m} h_\\theta(x^{(i)})\n$$\n"
    )
    inferred = inferred_from(text)
    assert len(inferred.scopes) == 1
    assert inferred.table["vectors"]["\\theta"] == inferred.table["vectors"]["x"]["length"]


def test_a_stated_membership_gives_a_kind_and_a_length_and_closes_the_name():
    text = (DOCUMENTS / "inferred_logistic_regression.md").read_text("utf-8")
    inferred = inferred_from(text)
    assert inferred.table["scalars"]["y"] == {"kind": "binary", "family": "i"}
    assert inferred.table["vectors"]["x"] == {"length": "n", "family": "i"}
    assert "n" in inferred.table["dimensions"]
    assert not {"x", "y"} & set(inferred.open_names)


def test_without_the_statement_a_label_is_open_and_no_kind_is_assumed():
    text = (DOCUMENTS / "inferred_logistic_regression.md").read_text("utf-8")
    unstated = text.replace(r"and a label $y^{(i)} \in \{0, 1\}$", "and a label")
    unstated = unstated.replace(r"$x^{(i)} \in \mathbb{R}^n$", "$x^{(i)}$")
    inferred = inferred_from(unstated)
    assert inferred.table["scalars"]["y"] == {"kind": "real", "family": "i"}
    assert {"x", "y"} <= set(inferred.open_names)
    result = check_derivation(read_document("note.md", unstated), FAST)
    assert Status.REFUTED not in {r.verdict.status for r in result.links}


@pytest.mark.parametrize(
    ("statement", "declared"),
    [
        (r"$y \in \{0, 1\}$", ("scalars", "binary")),
        (r"$y \in \{1,0\}$", ("scalars", "binary")),
        (r"$y_k \in \{0, 1\}$", ("vectors", {"length": "K", "kind": "binary"})),
        (r"$y \in \mathbb{R}$", ("scalars", "real")),
    ],
)
def test_a_label_stated_in_prose_is_of_that_kind(statement, declared):
    text = (
        f"# Note\n\nThe label is {statement}.\n\n$$\nL = \\sum_{{k=1}}^{{K}} y_k u_k + y\n$$\n"
    ).replace("y_k u_k + y", "y_k u_k" if "y_k" in statement else "u_k y")
    section, value = declared
    assert inferred_from(text).table[section]["y"] == value


# -- one-hot facts (issue 13, item 8) ---------------------------------------------------------


def test_a_one_hot_target_stated_in_mathematics_is_one_hot():
    inferred = inferred_from((DOCUMENTS / "inferred_one_hot_facts.md").read_text("utf-8"))
    assert inferred.table["vectors"]["t"] == {"length": "K", "kind": "one-hot", "at": "c"}
    assert "t" not in inferred.open_names
    result = checked("inferred_one_hot_facts.md")
    assert [s for _, s in statuses(result)] == ["proved"] * 5 + ["refuted"]


@pytest.mark.parametrize(
    "dropped",
    [
        "$$\nt_c = 1\n$$\n",  # only the zeros
        "$$\nt_k = 0, \\quad \\text{for } k \\neq c.\n$$\n",  # only the one
    ],
)
def test_one_of_the_two_facts_alone_makes_nothing_one_hot(dropped):
    text = (DOCUMENTS / "inferred_one_hot_facts.md").read_text("utf-8")
    assert dropped in text
    partial = text.replace(dropped, "")
    inferred = inferred_from(partial)
    assert inferred.table["vectors"]["t"] == "K"
    assert "t" in inferred.open_names
    result = check_derivation(read_document("note.md", partial), FAST)
    assert Status.REFUTED not in {r.verdict.status for r in result.links[:-1]}


def test_a_conventional_name_is_read_in_its_meaning_and_said_so():
    result = checked("inferred_named_functions.md")
    found = {r.link.location.line: r.verdict for r in result.links}
    assert [found[n].status for n in (9, 15, 21, 27, 39, 49)] == [Status.PROVED] * 6
    assert found[33].status is Status.REFUTED  # the softmax is no exponential
    assert "\\text{softmax} as the conventional softmax (assumed from line 15)" in (
        found[33].message
    )
    assert found[45].status is Status.REFUTED  # ReLU is defined on line 39: nothing assumed
    assert not found[45].message
    assert found[55].status is Status.REFUTED and "conventional softplus" in found[55].message
    assert found[61].status is Status.UNKNOWN  # \\sigma is never taken for the sigmoid
    assert "\\sigma" in found[61].message
    assert {r.verdict.status for r in result.links if r.link.location.line in {67, 71}} == {
        Status.PROVED  # softplus, sigmoid, logsumexp in plain letters
    }
    assumed = [a.statement for a in result.derivation.assumed]
    assert any("read as the conventional softmax" in a for a in assumed)
    assert any(a.startswith("sigmoid is not defined") for a in assumed)
    assert not any("ReLU" in a and "conventional" in a for a in assumed)


def test_a_function_named_in_letters_is_defined_by_its_first_formula():
    text = (DOCUMENTS / "inferred_named_functions.md").read_text("utf-8")
    toml = inferred_toml(infer_notation(scan_document(text, "markdown"), "note.md"))
    assert "'\\mathrm{logZ}(s)' = '\\log \\sum_{m=1}^{M} e^{s_m}'  # line 9" in toml
    assert "'\\text{softmax}' = 'softmax'  # line 15: is not defined by the document" in toml
    assert "# '\\sigma' = 1" in toml  # open: printed commented out
    assert "'\\text{softmax}' = 'real'" not in toml  # a name in letters is never a scalar


def test_a_link_that_differentiates_an_open_name_is_never_refuted():
    text = (
        "# Hessian\n\n$$\nF = \\log \\sum_{k=1}^{K} e^{z_k}\n$$\n\n"
        "$$\n\\frac{\\partial^2 F}{\\partial z_i \\partial z_j} = "
        "\\frac{\\partial p_j}{\\partial z_i}\n$$\n"
    )
    result = check_derivation(read_document("note.md", text), FAST)
    second = result.links[1].verdict
    assert second.status is Status.UNKNOWN and "declare" in second.message


@pytest.mark.parametrize("between", [",", ", \\qquad", ",\\quad", ", \\\\ "])
def test_each_equation_of_a_display_may_define_a_name(between):
    text = (
        "# Two at once\n\n$$\n"
        f"S = \\sum_{{k=1}}^{{K}} e^{{z_k}}{between} q_i = \\frac{{e^{{z_i}}}}{{S}}\n$$\n\n"
        "$$\n\\frac{\\partial S}{\\partial z_j} = S q_j\n$$\n"
    )
    inferred = infer_notation(scan_document(text, "markdown"), "note.md")
    assert list(inferred.table["definitions"]) == ["S", "q_i"]


def test_an_equation_after_a_comma_is_never_a_stated_hypothesis():
    text = "# Where\n\n$$\nf = x^2 + 1, \\quad x = 0\n$$\n"
    inferred = infer_notation(scan_document(text, "markdown"), "note.md")
    assert "hypotheses" not in inferred.table or not inferred.table["hypotheses"]


def test_a_letter_both_index_and_vector_in_one_section_is_an_error_naming_its_lines():
    result = checked("scoped_index_and_vector.md")
    assert statuses(result) == [
        (6, "proved"),
        (10, "proved"),
        (16, "proved"),
        (20, "proved"),
        (24, "proved"),
        (30, "error"),
        (34, "error"),
        (38, "error"),
    ]
    message = result.links[-1].verdict.message
    assert "c is written both as an index (line 34)" in message
    assert "as a vector or matrix (line 30)" in message


@pytest.mark.parametrize(
    "written",
    [r"u_c = c_k", r"\sum_{c=1}^{K} c_c = 1", r"W_{jc} = c_j + 1", "c_j = x_c"],
)
def test_an_inferred_index_is_never_taken_as_a_vector(written):
    step = "\\frac{\\partial x_k}{\\partial x_k} = 1"
    text = f"# One section\n\n$$\n{written}\n$$\n\n$$\n{step}\n$$\n"
    inferred = infer_notation(scan_document(text, "markdown"), "note.md")
    assert "c" not in inferred.table.get("vectors", {})
    assert "c" not in inferred.table.get("indices", {})
    assert "written both as an index" in inferred.notation.refused["c"]


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


@pytest.mark.parametrize(
    "statement",
    [
        "\\sum_{k=2}^{K} \\delta_{kj} = 1",  # a Kronecker delta is no data
        "\\sum_{k=1}^{K} e^{z_k} = 0",  # a sum of something other than bare entries
    ],
)
def test_only_data_is_a_stated_premise(statement):
    text = f"$$\n\\sum_{{k=1}}^{{K}} z_k y_k = z_1\n$$\n\n$$\n{statement}\n$$\n"
    derivation = read_document("note.md", text)
    assert derivation.context.hypotheses == ()
    last = check_derivation(derivation, FAST).links[-1].verdict
    assert last.status is not Status.PROVED


def test_a_scalar_set_to_a_number_after_its_use_holds_no_earlier_link():
    text = (
        "$$\n\\frac{d}{dw} (w x + c - y)^2 = 2 x (w x - y)\n$$\n\n"
        "## Initialisation\n\nWe start with\n\n$$\nc = 0\n$$\n"
    )
    derivation = read_document("note.md", text)
    assert derivation.context.hypotheses == ()
    found = [r.verdict for r in check_derivation(derivation, FAST).links]
    assert [v.status for v in found] == [Status.UNKNOWN, Status.UNKNOWN]
    assert "declare" in (found[1].message or "") and "c" in (found[1].message or "")


def test_a_target_that_sums_to_one_is_a_stated_premise():
    text = "$$\n\\sum_{k=1}^{K} t_k = 1\n$$\n\n$$\n\\sum_{k=1}^{K} t_k z_j = z_j\n$$\n"
    derivation = read_document("note.md", text)
    assert [h.name for h in derivation.context.hypotheses] == ["\\sum_{k=1}^{K} t_k = 1"]
    assert check_derivation(derivation, FAST).links[-1].verdict.status is Status.PROVED


# -- statements side by side -------------------------------------------------------------------


def test_definitions_side_by_side_in_one_display_are_each_inferred():
    text = (
        "# Note\n\n$$\n\\sigma(s) = \\frac{1}{1 + e^{-s}}\n$$\n\n"
        "$$\nz = 2 u + b, \\qquad a = \\sigma(z)\n$$\n\n"
        "$$\n\\frac{\\partial a}{\\partial u} = 2 a (1 - a)\n$$\n"
    )
    inferred = inferred_from(text)
    assert inferred.table["definitions"]["z"] == "2 u + b"
    assert inferred.table["definitions"]["a"] == "\\sigma(z)"
    result = check_derivation(read_document("note.md", text), FAST)
    assert [r.verdict.status for r in result.links][-1] is Status.PROVED


@pytest.mark.parametrize(
    "display",
    [
        r"a_i = 1, \quad i \neq k",  # a fact under a condition: never a fact of every a_i
        r"a_i = 2 u_i, \quad \text{for } i \neq k",
    ],
)
def test_a_statement_under_a_condition_defines_and_states_nothing(display):
    text = f"# Note\n\n$$\n{display}\n$$\n\n$$\n\\sum_{{i=1}}^{{K}} a_i u_i = S\n$$\n"
    inferred = inferred_from(text)
    assert "a_i" not in inferred.table.get("definitions", {})
    assert not inferred.table.get("hypotheses")


def test_a_name_written_alone_and_before_parentheses_decides_no_link():
    # h written alone and before parentheses: h(2x) may apply h or multiply by it,
    # and h(2x) = 2 h(x) holds only for the product
    text = (
        "$$\nu = 3 h\n$$\n\n"
        "$$\nh(2x) = 2 h(x)\n$$\n\n"
        "$$\nh(x + y) = h(x) + h(y)\n$$\n\n"
        "$$\n(x + 1)^2 = x^2 + 2 x + 1\n$$\n"
    )
    found = [r.verdict for r in check_derivation(read_document("note.md", text), FAST).links]
    assert [v.status for v in found[1:]] == [Status.UNKNOWN, Status.UNKNOWN, Status.PROVED]
    assert all("h before parentheses" in (v.message or "") for v in found[1:3])
