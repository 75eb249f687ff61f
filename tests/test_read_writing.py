"""How people write around their mathematics: punctuation, continued chains, conditions, typography.

Issue 13's items 1, 2, 3, 7 and 14.  For every construct: a correct line is
proved, a wrong one refuted with a counterexample, and a reading that is
ambiguous is reported, never guessed.
"""

from __future__ import annotations

import json

import pytest

from derivs import CheckOptions, LinkResult, Status, check_derivation
from derivs.model import CaseOrigin, Link
from derivs.read.document import read_document

FAST = CheckOptions(isolate=False)

NOTATION = r"""
[dimensions]
K = 1
[indices]
"i j k c" = "K"
[scalars]
x = "real"
u = "real"
v = "positive"
[vectors]
z = "K"
w = "K"
[matrices]
A = ["K", "K"]
B = ["K", "K"]
[definitions]
S = '\sum_{k=1}^{K} e^{z_k}'
'a_i' = '\frac{e^{z_i}}{S}'
"""


def results(body: str) -> list[LinkResult]:
    text = f"# A note\n\n```derivs\n{NOTATION}```\n\n{body}\n"
    return list(check_derivation(read_document("note.md", text), FAST).links)


def statuses(body: str) -> list[str]:
    return [r.verdict.status.value for r in results(body)]


def line_of(result: LinkResult) -> int:
    assert result.link.location is not None
    return result.link.location.line


def justification(result: LinkResult) -> str:
    assert isinstance(result.link, Link)
    return str(result.link.justification)


def refuted_with_counterexample(result: LinkResult) -> bool:
    return result.verdict.status is Status.REFUTED and result.verdict.counterexample is not None


# 1. Sentence punctuation


@pytest.mark.parametrize("mark", [".", ",", ";", " .", "\\, ."])
def test_the_punctuation_that_ends_a_sentence_is_not_the_formulas(mark):
    assert statuses(f"$$ x + x = 2x{mark} $$") == ["proved"]
    (wrong,) = results(f"$$ x + x = 3x{mark} $$")
    assert refuted_with_counterexample(wrong)


def test_the_sentences_punctuation_ends_an_aligned_chain_and_each_row_of_equations():
    body = "$$\n\\begin{aligned}\nx (x + u) &= x^2 + x u \\\\\n&= x u + x^2.\n\\end{aligned}\n$$"
    assert statuses(body) == ["proved", "proved"]
    assert statuses("$$\n\\begin{gathered} x + x = 2x, \\\\ u u = u^2. \\end{gathered}\n$$") == [
        "proved",
        "proved",
    ]


def test_a_full_stop_inside_a_chain_is_not_read_as_a_product_or_dropped():
    (link,) = results(r"$$ x.(1 - x) = x - x^2 $$")
    assert link.verdict.status is Status.ERROR
    assert "'.'" in link.verdict.message


def test_a_full_stop_that_closes_a_delimiter_or_an_ellipsis_is_no_sentence_end():
    (link,) = results(r"$$ z_1 + \ldots + z_K = x... $$")
    assert link.verdict.status is not Status.PROVED


# 2. A display that continues the chain before it


def test_a_display_that_opens_with_a_sign_continues_the_chain_before_it():
    body = "$$ (x + 1)^2 = x^2 + 2x + 1 $$\n\nso\n\n$$ = x (x + 2) + 1. $$\n\n$$ &= 1 + x(2 + x) $$"
    found = results(body)
    assert [r.verdict.status for r in found] == [Status.PROVED] * 3
    assert f"continues line {line_of(found[0])}" in justification(found[1])
    assert isinstance(found[1].link, Link) and found[1].link.written.startswith("x^2 + 2x + 1 =")


def test_a_continuation_that_is_wrong_is_refuted_against_the_chain_before():
    (first, second) = results("$$ (x + 1)^2 = x^2 + 2x + 1 $$\n\n$$ = x (x + 2) $$")
    assert first.verdict.status is Status.PROVED
    assert refuted_with_counterexample(second)


def test_a_continuation_after_an_interrupting_chain_is_ambiguous_and_not_guessed():
    body = (
        "$$ (x + 1)^2 = x^2 + 2x + 1 $$\n\n$$ = x (x + 2) + 1 $$\n\n"
        "Or else\n\n$$ u = x + 1, $$\n\n$$ = x^2 + 2x + u $$"
    )
    *_, last = results(body)
    assert last.verdict.status is Status.ERROR
    assert "which" in last.verdict.message
    assert f"line {line_of(_[1])}" in last.verdict.message  # the chain it interrupted


FACT = (
    "$$ (x + 1)^2 = x^2 + 2x + 1 $$\n\n$$ = x (x + 2) + 1 $$\n\n"
    "Since $u$ is one,\n\n$$ u = 1, $$\n\n$$ = x^2 + 2x + u $$"
)


def test_a_continuation_goes_on_past_a_fact_never_refuted_unless_the_notation_holds_it():
    *_, fact, last = results(FACT)
    assert fact.verdict.status is Status.REFUTED  # the notation says u is any real
    assert last.link.written.startswith("x (x + 2) + 1 =")
    assert last.verdict.status is Status.UNKNOWN
    assert "u = 1 (line" in last.verdict.message
    assert "declare it under [hypotheses]" in last.verdict.message


def test_a_fact_the_notation_holds_lets_the_continuation_rest_on_it():
    held = NOTATION + "[hypotheses]\n\"u is one\" = 'u = 1'\n"
    text = f"# A note\n\n```derivs\n{held}```\n\n{FACT}\n"
    *_, fact, last = check_derivation(read_document("note.md", text), FAST).links
    assert fact.verdict.status is Status.PROVED
    assert last.verdict.status is Status.PROVED
    assert last.link.unread_case == ""  # type: ignore[union-attr]


def test_a_first_display_that_opens_with_a_sign_has_nothing_to_continue():
    (link,) = results("$$ = x + x $$")
    assert link.verdict.status is Status.ERROR


# 3. Conditions after a comma, a wide space or a quantifier


@pytest.mark.parametrize(
    "condition",
    [r", \quad i \neq j", r"\quad i \neq j", r", \qquad \text{for } i \neq j", r", j \neq i"],
)
def test_a_condition_after_an_equation_is_its_case(condition):
    body = rf"$$ \frac{{\partial a_i}}{{\partial z_j}} = -a_i a_j{condition} $$"
    (link,) = results(body)
    assert link.verdict.status is Status.PROVED
    assert isinstance(link.link, Link) and link.link.condition
    assert [s.origin for s in link.link.case_sources] == [CaseOrigin.BESIDE]
    (wrong,) = results(rf"$$ \frac{{\partial a_i}}{{\partial z_j}} = a_i a_j{condition} $$")
    assert refuted_with_counterexample(wrong)


def test_a_quantified_condition_is_the_case_of_its_equation():
    (link,) = results(r"$$ \delta_{jc} = 0 \;\; \forall j \neq c $$")
    assert link.verdict.status is Status.PROVED
    (wrong,) = results(r"$$ \delta_{jc} = 1 \quad \forall j \neq c $$")
    assert refuted_with_counterexample(wrong)


def test_a_condition_of_the_whole_chain_holds_for_each_of_its_links():
    body = (
        r"$$ \frac{\partial a_i}{\partial z_j} = \frac{0 - e^{z_i} e^{z_j}}{S^2}"
        r" = a_i a_j, \quad j \neq i $$"
    )
    first, second = results(body)
    assert first.verdict.status is Status.PROVED
    assert refuted_with_counterexample(second)
    assert isinstance(second.link, Link) and second.link.condition


def test_a_condition_that_is_no_case_of_declared_indices_is_reported_not_guessed():
    (link,) = results(r"$$ \frac{\partial a_i}{\partial z_j} = -a_i a_j, \quad x \neq 0 $$")
    assert isinstance(link.link, Link) and link.link.condition == ()
    assert "case not recognised" in justification(link)


def test_two_equations_side_by_side_are_two_chains():
    assert statuses(r"$$ x + x = 2x, \qquad u \cdot u = u^2 $$") == ["proved", "proved"]
    first, second = results(r"$$ x + x = 2x, \qquad u \cdot u = 2u $$")
    assert first.verdict.status is Status.PROVED
    assert refuted_with_counterexample(second)


def test_a_sentence_in_math_is_not_cut_at_its_commas():
    assert statuses(r"$$\text{For } i = 1, \ldots, K \text{ and } z_i = 0$$") == ["skipped"]


# 7. Typography


def test_a_struck_out_factor_is_read_as_written():
    assert statuses(r"$$ \frac{\cancel{v} x}{\cancel{v}} = x $$") == ["proved"]
    (wrong,) = results(r"$$ \frac{\cancel{v} x}{v^2} = x $$")
    assert refuted_with_counterexample(wrong)


def test_a_boxed_equation_is_checked_never_silently_dropped():
    assert statuses(r"$$ \boxed{x^2 - u^2 = (x - u)(x + u)} $$") == ["proved"]
    (wrong,) = results(r"$$ \boxed{x^2 - u^2 = (x - u)^2} $$")
    assert refuted_with_counterexample(wrong)


def test_a_boxed_term_keeps_its_braces():
    assert statuses(r"$$ 2 \boxed{x + u} = 2x + 2u $$") == ["proved"]
    (wrong,) = results(r"$$ 2 \boxed{x + u} = 2x + u $$")
    assert refuted_with_counterexample(wrong)


def test_colour_is_no_mathematics():
    assert statuses(r"$$ {\color{red} x} + x = 2x $$") == ["proved"]
    assert statuses(r"$$ \textcolor{blue}{x + u} - u = x $$") == ["proved"]
    (wrong,) = results(r"$$ \textcolor{blue}{x + u} \cdot 2 = 2x + u $$")
    assert refuted_with_counterexample(wrong)


def test_an_underbrace_or_overbrace_label_is_a_justification_not_a_script():
    (link,) = results(r"$$ \underbrace{x + x}_{\text{twice}} = 2x $$")
    assert link.verdict.status is Status.PROVED and "twice" in justification(link)
    (wrong,) = results(r"$$ \underbrace{x + x}_{\text{twice}} = 3x $$")
    assert refuted_with_counterexample(wrong)
    assert statuses(r"$$ \overbrace{u + u}^{2} = 2u $$") == ["proved"]
    (wrong,) = results(r"$$ \overbrace{u + u}^{2} = (2u)^2 $$")
    assert refuted_with_counterexample(wrong)


def test_an_evaluation_bar_is_a_substitution():
    assert statuses(r"$$ \left. (x^2 + u) \right|_{x=1} = 1 + u $$") == ["proved"]
    (wrong,) = results(r"$$ \left. (x^2 + u) \right|_{x=1} = 2 + u $$")
    assert refuted_with_counterexample(wrong)


def test_an_evaluation_between_limits_is_not_read_as_a_power():
    (link,) = results(r"$$ \left. x^2 \right|_{0}^{1} = 1 $$")
    assert link.verdict.status is Status.ERROR


def test_sized_delimiters_and_spacing_are_read():
    assert statuses(r"$$ \Big(x + 1\Big)^2 = \bigl(x^2 + 2x\bigr) + 1 $$") == ["proved"]
    assert statuses(r"$$ x \! \cdot \; x \, = \quad x^2 $$") == ["proved"]


def test_therefore_is_the_justification_of_its_equation():
    (link,) = results(r"$$ \therefore\; x + x = 2x $$")
    assert link.verdict.status is Status.PROVED
    assert "therefore" in justification(link)


@pytest.mark.parametrize("sign", [r"\implies", r"\Rightarrow", r"\quad\Longrightarrow\quad"])
def test_equations_around_an_implication_are_two_chains_and_the_implication_is_not_claimed(sign):
    first, second = results(rf"$$ x + x = 2x {sign} 2x - x = x $$")
    assert (first.verdict.status, second.verdict.status) == (Status.PROVED, Status.PROVED)
    assert "not checked" in justification(second)
    _, wrong = results(rf"$$ x + x = 2x {sign} 2x - x = 2 $$")
    assert refuted_with_counterexample(wrong)


def test_an_elementwise_product_is_compared_entry_by_entry():
    assert set(statuses(r"$$ z \odot w = w \odot z $$")) == {"proved"}
    assert "refuted" in statuses(r"$$ z \odot w = z $$")
    (link,) = results(r"$$ z \odot x = x z $$")
    assert link.verdict.status is Status.ERROR


def test_a_composition_is_skipped_honestly():
    (link,) = results(r"$$ (a \circ b)(x) = a(b(x)) $$")
    assert link.verdict.status is Status.SKIPPED
    assert "composition" in link.verdict.message


# 14. One unread construct costs one link


def test_an_unread_operand_costs_only_the_links_beside_it():
    found = results(r"$$ x + x = 2x = \nabla x = \nabla x + 0 $$")
    assert [r.verdict.status for r in found][:1] == [Status.PROVED]
    assert [r.verdict.status for r in found][1:] == [Status.ERROR, Status.ERROR]


def test_a_wrong_link_beside_an_unread_operand_is_still_found():
    first, second, third = results(r"$$ x + x = 3x = \nabla x = 3 x $$")
    assert refuted_with_counterexample(first)
    assert second.verdict.status is Status.ERROR and third.verdict.status is Status.ERROR


def test_a_shape_note_column_is_a_note_never_a_factor():
    body = "$$\n\\begin{aligned}\n(A + B) w &= A w + B w && (K \\times 1)\n\\end{aligned}\n$$"
    found = results(body)
    assert {r.verdict.status for r in found} == {Status.PROVED}
    assert "(K \\times 1)" in justification(found[0])
    wrong = results(body.replace("+ B w &&", "&&"))
    assert any(refuted_with_counterexample(r) for r in wrong)


def test_eqnarrays_right_hand_column_is_still_the_right_hand_side():
    body = "$$\n\\begin{eqnarray}\nx + x & = & 3x\n\\end{eqnarray}\n$$"
    (link,) = results(body)
    assert refuted_with_counterexample(link)


def test_a_character_the_lexer_does_not_know_costs_only_its_operands_links():
    first, second = results("$$ x + x = 2x = 2 ⊗ x $$")
    assert first.verdict.status is Status.PROVED
    assert second.verdict.status is Status.ERROR and "'⊗'" in second.verdict.message
    wrong, _ = results("$$ x + x = 3x = 2 ⊗ x $$")
    assert refuted_with_counterexample(wrong)


def test_the_space_of_a_row_break_is_no_mathematics_but_a_bracket_after_one_is():
    spaced = (
        "$$\n\\begin{aligned}\nx (x + u) &= x^2 + x u \\\\[1em]\n&= x u + x^2\n\\end{aligned}\n$$"
    )
    assert statuses(spaced) == ["proved", "proved"]
    assert statuses(spaced.replace("x u + x^2", "x u + x")) == ["proved", "refuted"]
    bracket = (
        "$$\n\\begin{gathered}\nx + u = u + x \\\\\n[x + u] \\cdot 2 = 2x + 2u\n\\end{gathered}\n$$"
    )
    assert statuses(bracket) == ["proved", "proved"]


def test_what_follows_an_expression_that_is_no_equation_is_never_claimed():
    (link,) = results(r"$$ x^2, \quad x = 2 $$")
    assert link.verdict.status is Status.ERROR
    (link,) = results(r"$$ x^2 \quad x = 2 $$")  # not the claim x^3 = 2
    assert link.verdict.status is Status.ERROR and "wide space" in link.verdict.message


def test_a_relation_of_two_letters_after_an_equation_is_a_condition_never_a_claim():
    (link,) = results(r"$$ u + u = 2u, \quad y = q $$")
    assert link.verdict.status is Status.PROVED
    assert "case not recognised" in justification(link)


def test_an_evaluated_derivative_is_proved_through_the_command_line(tmp_path):
    from click.testing import CliRunner

    from derivs.cli import main

    note = tmp_path / "note.md"
    body = (
        '```derivs\n[scalars]\nx = "real"\n[definitions]\n'
        "'\\sigma(s)' = '\\frac{1}{1 + e^{-s}}'\n"
        "```\n\n$$ \\left. \\frac{d\\sigma(x)}{dx} \\right|_{x=0} = \\frac{1}{4} $$\n\n"
        "$$ \\left. \\frac{d\\sigma(x)}{dx} \\right|_{x=0} = \\frac{1}{2} $$\n"
    )
    note.write_text(body, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(note), "--no-cache", "--format", "json"])
    verdicts = [s["verdict"] for s in json.loads(result.stdout)["derivations"][0]["steps"]]
    assert verdicts == ["proved", "refuted"]


@pytest.mark.parametrize("words", ["for all", "for every", "when", "if"])
def test_words_that_introduce_a_condition_beside_an_equation(words):
    (link,) = results(rf"$$ \delta_{{jc}} = 0, \quad \text{{{words} }} j \neq c $$")
    assert link.verdict.status is Status.PROVED
    assert isinstance(link.link, Link) and link.link.condition


def test_the_punctuation_that_ends_a_cell_of_a_cases_block_or_a_row_is_the_sentences():
    right = (
        r"$$ \frac{\partial a_i}{\partial z_j} = \begin{cases} a_i (1 - a_j), & i = j, \\"
        r" -a_i a_j, & i \neq j. \end{cases} $$"
    )
    assert statuses(right) == ["proved", "proved"]
    wrong = results(right.replace("-a_i a_j,", "a_i a_j,"))
    assert wrong[0].verdict.status is Status.PROVED
    assert refuted_with_counterexample(wrong[1])
    rows = "$$\n\\begin{aligned}\nx + x &= 2x, \\\\\nu \\cdot u &= u^2;\n\\end{aligned}\n$$"
    assert statuses(rows) == ["proved", "proved"]


def test_a_thin_space_before_a_row_break_is_no_punctuation():
    assert statuses("$$\n\\begin{aligned}\nx + x &= 2x \\, \\\\\n&= x + x\n\\end{aligned}\n$$") == [
        "proved",
        "proved",
    ]


def test_a_display_never_goes_on_from_a_chain_before_one_that_could_not_be_read():
    body = "$$ x + x = 2x $$\n\n$$ u = \\frac{1}{2 $$\n\n$$ = 2x $$"
    *_, last = results(body)
    assert last.verdict.status is Status.ERROR
    assert "could not be read" in last.verdict.message


def test_a_space_of_a_given_width_separates_as_a_wide_space_does():
    (link,) = results(r"$$ \delta_{jc} = 0 \hspace{1em} \forall j \neq c $$")
    assert link.verdict.status is Status.PROVED
    assert statuses(r"$$ x + x = 2x, \hspace*{2em} u \cdot u = u^2 $$") == ["proved", "proved"]


def test_therefore_inside_a_row_starts_the_equation_it_marks():
    first, second = results(r"$$ x + x = 2x \quad \therefore \quad 2x - x = x $$")
    assert (first.verdict.status, second.verdict.status) == (Status.PROVED, Status.PROVED)
    assert "therefore" in justification(second)
    _, wrong = results(r"$$ x + x = 2x \therefore 2x - x = 2 $$")
    assert refuted_with_counterexample(wrong)


def test_a_starred_tag_is_no_mathematics():
    assert statuses(r"$$ x + x = 2x \tag*{(3)} $$") == ["proved"]


def test_a_bar_after_a_single_term_evaluates_it():
    assert statuses(r"$$ \frac{d (x^3)}{dx} \Big|_{x=1} = 3 $$") == ["proved"]
    (wrong,) = results(r"$$ \frac{d (x^3)}{dx} \Big|_{x=1} = 1 $$")
    assert wrong.verdict.status is Status.REFUTED
    assert statuses(r"$$ u = x^2 u \bigr|_{x=1} $$") == ["proved"]


def test_a_bar_after_a_sum_is_reported_not_guessed():
    (link,) = results(r"$$ x + x^2 \Big|_{x=1} = 2 $$")
    assert link.verdict.status is Status.ERROR and "'|'" in link.verdict.message
