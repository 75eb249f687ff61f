"""Functions named in letters, standard and declared, and entries of brackets.

Standard functions (``\\tanh``, ``\\max``, ``\\exp``, ``\\log``) are read
with their exact meaning; a declared one with or without its arguments; an
unknown name in letters is an error that says how to declare it, never prose.
"""

from __future__ import annotations

import pytest

from derivs import Status, check_derivation
from derivs.read.document import read_document
from tests.test_read_calculus import error, proved, refuted, verdict

DECLARED = r"""'\operatorname{LSE}(z)' = '\log \sum_{k=1}^{K} e^{z_k}'
'\operatorname{softmax}_i(z)' = '\frac{e^{z_i}}{\sum_{k=1}^{K} e^{z_k}}'
"""


def declared(display: str):
    return verdict(display, DECLARED)


@pytest.mark.parametrize(
    ("correct", "wrong"),
    [
        (r"\frac{d}{dx} \tanh(x) = 1 - \tanh(x)^2", r"\frac{d}{dx} \tanh(x) = 1 - \tanh(x)"),
        (r"\operatorname{tanh}(x) = \tanh(x)", r"\operatorname{tanh}(x) = \tanh(2x)"),
        (r"tanh(x) = \tanh(x)", r"tanh(x) = \tanh(u)"),
        (r"\tanh^2(x) = \tanh(x) \tanh(x)", r"\tanh^2(x) = \tanh(x)"),
        (r"\exp(z_i) = e^{z_i}", r"\exp(z_i) = e^{z_j} + 1"),
        (r"\max(0, x) = \max(x, 0)", r"\max(0, x) + \max(0, -x) = x"),
        (r"\sigma(x)^2 = \sigma(x) \sigma(x)", r"\sigma(x)^2 = \sigma(x^2)"),
    ],
)
def test_a_standard_function_has_its_exact_meaning(correct, wrong):
    proved(correct)
    refuted(wrong)


def test_a_declared_function_reads_with_or_without_its_arguments():
    with_argument = r"\frac{\partial \operatorname{LSE}(z)}{\partial z_j} = a_j"
    assert declared(with_argument)[0] is Status.PROVED
    assert declared(r"\frac{\partial \mathrm{LSE}}{\partial z_j} = a_j")[0] is Status.PROVED
    assert declared(r"\frac{\partial \mathrm{LSE}}{\partial z_j} = e^{z_j}")[0] is Status.REFUTED
    assert declared(r"\operatorname{softmax}_i = a_i")[0] is Status.PROVED


@pytest.mark.parametrize(
    "display",
    [r"\mathrm{Cost}(x, u) = x", r"\operatorname{LSE}(z) = x", r"\text{softmax}(z) = z"],
)
def test_an_unknown_function_name_is_an_error_saying_how_to_declare_it(display):
    error(display, "is not declared: declare it as a function")


def test_a_phrase_in_text_is_prose_and_skipped():
    assert verdict(r"\text{cross entropy}(x, u) = x")[0] is Status.SKIPPED


def test_a_function_power_other_than_a_standard_one_is_refused():
    error(r"\sigma^2(x) = x", "a script on the function \\sigma is not read")


def test_an_inverse_function_is_never_read_as_a_reciprocal_or_a_power():
    # \tanh^{-1} x is artanh(x), never 1 / tanh(x); the message says so, not "write (f(x))^2"
    error(r"\tanh^{-1} x = \frac{1}{\tanh x}", "\\tanh^{-1} is its inverse")
    error(r"\sin^{-1}(x) = x", "\\sin^{-1} is its inverse")
    error(r"\sigma^{(2)}(x) = x", "\\sigma^{(2)} a derivative")


# -- indexed brackets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("correct", "wrong"),
    [
        (
            r"\left[A B\right]_{ij} = \sum_{k=1}^{K} A_{ik} B_{kj}",
            r"\left[A B\right]_{ij} = \sum_{k=1}^{K} A_{ki} B_{kj}",
        ),
        (r"(A^\top)_{ij} = A_{ji}", r"(A^\top)_{ij} = A_{ij}"),
        (r"(A w)_i = \sum_{k} A_{ik} w_k", r"(A w)_i = \sum_{k} A_{ki} w_k"),
        (
            r"\left[\frac{\partial S}{\partial z}\right]_{i} = e^{z_i}",
            r"\left[\frac{\partial S}{\partial z}\right]_{i} = e^{z_1}",
        ),
    ],
)
def test_a_subscript_on_a_bracket_is_an_entry_of_what_it_holds(correct, wrong):
    proved(correct)
    refuted(wrong)


def test_a_function_of_a_vector_then_an_entry():
    assert declared(r"\operatorname{softmax}(z)_i = a_i")[0] is Status.PROVED
    assert declared(r"\operatorname{softmax}(z)_i = a_j")[0] is Status.REFUTED


def test_a_subscript_on_a_bracketed_scalar_is_an_error():
    error(r"(x + u)_i = x", "it has no entries")


def test_a_diagonal_matrix_is_compared_entry_by_entry():
    proved(r"\left[\operatorname{diag}(w) - w w^\top\right]_{ij} = w_i \delta_{ij} - w_i w_j")
    refuted(r"\left[\operatorname{diag}(w) - w w^\top\right]_{ij} = w_i - w_i w_j")
    proved(r"\frac{\partial a}{\partial z} = \operatorname{diag}(a) - a a^\top")
    refuted(r"\frac{\partial a}{\partial z} = \operatorname{diag}(a)")
    error(r"\operatorname{diag}(x) = x", "this function takes a vector")


PARAMETERISED = r"""'h_\theta(s)' = '\sigma(\theta s)'
"""


def test_a_function_with_a_parameter_subscript_is_read_by_its_declaration():
    def check(display: str) -> Status:
        return verdict(display, PARAMETERISED)[0]

    assert check(r"h_\theta(x) = \sigma(\theta x)") is Status.PROVED
    assert check(r"\frac{d h_\theta(x)}{d x} = \theta h_\theta(x) (1 - h_\theta(x))") is (
        Status.PROVED
    )
    assert check(r"\frac{d h_\theta(x)}{d x} = h_\theta(x) (1 - h_\theta(x))") is Status.REFUTED
    assert check(
        r"\frac{\partial h_\theta(x)}{\partial \theta} = x h_\theta(x) (1 - h_\theta(x))"
    ) is (Status.PROVED)
    assert check(r"\frac{\partial h_\theta(x)}{\partial \theta} = 0") is Status.REFUTED


def test_a_function_subscript_that_is_an_index_or_undeclared_is_refused():
    from derivs.errors import DerivsError
    from derivs.read.notation import read_notation

    for head in (r"h_i(s)", r"h_\phi(s)"):
        toml = f"[dimensions]\nK = 1\n[indices]\ni = \"K\"\n[definitions]\n'{head}' = 's'\n"
        with pytest.raises(DerivsError, match="is read as a parameter"):
            read_notation(toml, "test")


def test_a_display_that_does_not_parse_is_prose_only_for_a_phrase():
    # one word in letters names a function: the display is a formula, read operand by
    # operand, and its errors are reported, never skipped
    links = check_derivation(read_document("n.md", "$$\n\\operatorname{ReLU}(x) = x + = 1\n$$\n"))
    assert links.links and all(r.verdict.status is Status.ERROR for r in links.links)
    assert verdict(r"\text{the loss is} x + = 1")[0] is Status.SKIPPED


def test_an_operator_name_beside_a_formula_is_mathematics_not_a_justification():
    assert declared(r"\nabla_z \operatorname{LSE} = \operatorname{softmax}(z)")[0] is (
        Status.PROVED
    )
    assert declared(r"\nabla_z \operatorname{LSE} = z")[0] is Status.REFUTED
    error(r"\nabla_z \operatorname{Cost} = z", "\\text{Cost} is not declared")
    assert verdict(r"x = x \quad \text{trivially}")[0] is Status.PROVED


@pytest.mark.parametrize(
    "display",
    [
        r"\sin 2x = 2 \sin x \cos x",
        r"\log 2x = \log 2 + \log x",
        r"\tanh x u = \tanh(x) u",
        r"\exp 2x = e^2 x",
    ],
)
def test_a_function_without_parentheses_before_several_factors_is_an_error(display):
    # \sin 2x is sin(2x) to its reader, never sin(2) x: what it takes is not written
    error(display, "followed by several factors without parentheses")


@pytest.mark.parametrize(
    "display",
    [
        r"\sin x \cos x = \sin(x) \cos(x)",
        r"\log e^x = x",
        r"\tanh x + u = \tanh(x) + u",
        r"\log \sigma(x) = -\log(1 + e^{-x})",
        r"\frac{d}{dx} \log \sigma(x) = 1 - \sigma(x)",
    ],
)
def test_a_function_without_parentheses_takes_the_one_factor_after_it(display):
    proved(display)
