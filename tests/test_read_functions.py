"""Functions named in letters, standard and declared, and entries of brackets.

Standard functions (``\\tanh``, ``\\max``, ``\\exp``, ``\\log``) are read
with their exact meaning; a declared one with or without its arguments; an
unknown name in letters is an error that says how to declare it, never prose.
"""

from __future__ import annotations

import pytest

from derivs import CheckOptions, Status, check_derivation
from derivs.read.document import read_document
from derivs.read.notation import read_notation
from tests.test_read_calculus import NOTATION, error, proved, refuted, verdict

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
    [r"x + u = \mathrm{Cost}(x, u)", r"x + u = \operatorname{LSE}(z)", r"z = \text{softmax}(z)"],
)
def test_an_unknown_function_name_is_an_error_saying_how_to_declare_it(display):
    # beside a declared notation no conventional meaning is taken: the name is declared or defined
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
    from derivs.read.notation import read_notation

    for head in (r"h_i(s)", r"h_\phi(s)"):
        toml = f"[dimensions]\nK = 1\n[indices]\ni = \"K\"\n[definitions]\n'{head}' = 's'\n"
        # the entry costs only the links that write h
        assert "is read as a parameter" in read_notation(toml, "test").refused["h"]


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


# -- conventional names ------------------------------------------------------------------------

CONVENTIONAL = r"""'\operatorname{softmax}' = "softmax"
'\mathrm{LSE}' = "logsumexp"
'\text{sigmoid}' = "sigmoid"
'\operatorname{ReLU}' = "relu"
softplus = "softplus"
"""


def with_conventions(display: str, conventions: str = CONVENTIONAL):
    """The one link of ``display`` under the notation that also declares ``conventions``."""
    notation = NOTATION.replace("[functions]\n", f"[functions]\n{conventions}")
    text = f"# A note\n\n```derivs\n{notation}```\n\n$$ {display} $$\n"
    result = check_derivation(read_document("note.md", text), CheckOptions(isolate=False))
    (link,) = result.links
    return link.verdict.status, link.verdict.message


@pytest.mark.parametrize(
    ("correct", "wrong"),
    [
        (
            r"\operatorname{softmax}(z)_j = \frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}}",
            r"\operatorname{softmax}(z)_j = e^{z_j}",
        ),
        (
            r"\frac{\partial \mathrm{LSE}(z)}{\partial z_j} = \operatorname{softmax}(z)_j",
            r"\frac{\partial \mathrm{LSE}(z)}{\partial z_j} = \operatorname{softmax}(z)_1",
        ),
        (
            r"\frac{d}{dx} \operatorname{sigmoid}(x) = \text{sigmoid}(x) (1 - \mathrm{sigmoid}(x))",
            r"\frac{d}{dx} \operatorname{sigmoid}(x) = \text{sigmoid}(x)",
        ),
        (r"\frac{d}{dx} softplus(x) = \text{sigmoid}(x)", r"softplus(x) = \log(1 + x)"),
        (r"\operatorname{ReLU}(x) = \max(0, x)", r"\frac{d}{dx} \operatorname{ReLU}(x) = 1"),
    ],
)
def test_a_declared_conventional_function_has_its_exact_meaning(correct, wrong):
    assert with_conventions(correct)[0] is Status.PROVED
    assert with_conventions(wrong)[0] is Status.REFUTED


def test_the_relu_is_never_refuted_at_its_kink():
    # the slope at 0 is not defined: the indicator of x > 0 is right wherever the slope is
    status, _ = with_conventions(r"\frac{d}{dx} \operatorname{ReLU}(x) = \mathbb{1}[x > 0]")
    assert status is not Status.REFUTED


def test_a_vector_convention_takes_a_whole_vector():
    assert with_conventions(r"\mathrm{LSE}(x) = x")[0] is Status.ERROR
    written = r"\mathrm{LSE}(z - x \mathbf{1}) = \mathrm{LSE}(z) - x"
    assert with_conventions(written)[0] is Status.PROVED


def test_a_conventional_meaning_is_a_word_of_the_table():
    refused = read_notation("[functions]\nsoftmin = 'softmin'\n", "side.toml").refused
    assert "a conventional meaning" in refused["softmin"]


def test_a_function_alone_is_read_at_its_own_argument_only():
    # the notation defines \\sigma(s): d\\sigma/ds is \\sigma(s) differentiated, as written
    def with_s(display: str) -> Status:
        notation = NOTATION.replace("[scalars]\n", "[scalars]\ns = 'real'\n")
        text = f"# A note\n\n```derivs\n{notation}```\n\n$$ {display} $$\n"
        result = check_derivation(read_document("note.md", text), CheckOptions(isolate=False))
        return result.links[0].verdict.status

    assert with_s(r"\frac{d\sigma}{ds} = \sigma(s) (1 - \sigma(s))") is Status.PROVED
    assert with_s(r"\frac{d\sigma}{ds} = \sigma(s)") is Status.REFUTED
    # by another variable it may be \\sigma'(x) or a chain rule through \\sigma's argument
    error(r"\frac{d\sigma}{dx} = \sigma(x) (1 - \sigma(x))", "applied to nothing")


def test_a_defined_function_is_applied_to_any_argument_with_its_own_variable_renamed():
    proved(r"\sigma(2x) = \frac{1}{1 + e^{-2x}}")
    proved(r"\sigma(u + x) = \frac{1}{1 + e^{-(u + x)}}")
    refuted(r"\sigma(2x) = \frac{1}{1 + e^{-x}}")


def test_a_nabla_without_its_variable_takes_the_one_argument_of_a_defined_function():
    extra = (
        DECLARED
        + r"""'\operatorname{H}(z, w)' = '\sum_{k=1}^{K} z_k w_k'
"""
    )
    assert declared(r"\nabla \operatorname{LSE} = a")[0] is Status.PROVED
    assert declared(r"\nabla \operatorname{LSE}(z) = z")[0] is Status.REFUTED
    hessian = r"\nabla^2 \operatorname{LSE}(z) = \operatorname{diag}(a) - a a^\top"
    assert declared(hessian)[0] is Status.PROVED
    assert declared(r"\nabla^2 \operatorname{LSE}(z) = \operatorname{diag}(a)")[0] is (
        Status.REFUTED
    )
    # of two arguments, of a function of its own variable, of an expression: not written
    status, message = verdict(r"\nabla \operatorname{H}(z, w) = w", extra)
    assert status is Status.ERROR and "one argument" in message
    error(r"\nabla \sigma(x) = x", "write \\nabla_x f")
    error(r"\nabla (x^2) = 2x", "write \\nabla_x f")


def test_an_undefined_function_of_a_vector_is_an_error_never_entry_by_entry():
    # f may be the softmax: f(z)_i = f(z_i) is true entry by entry and false for it
    error(r"f(z)_i = f(z_i)", "applied to a vector, and nothing says how")
    error(r"f(A w)_i = x", "applied to a vector, and nothing says how")
    # a definition of a scalar says how: entry by entry
    proved(r"\sigma(z)_i = \frac{1}{1 + e^{-z_i}}")
    assert with_conventions(r"\operatorname{ReLU}(z)_i = \max(0, z_i)")[0] is Status.PROVED


def test_a_definition_of_a_vector_is_applied_to_another_vector_by_its_formula():
    proved(r"x = x")  # the notation reads
    assert declared(r"\operatorname{LSE}(z - x \mathbf{1}) = \operatorname{LSE}(z) - x")[0] is (
        Status.PROVED
    )
    assert declared(r"\operatorname{LSE}(w) = \log \sum_{j=1}^{K} e^{w_j}")[0] is Status.PROVED
    assert declared(r"\operatorname{LSE}(2 z) = 2 \operatorname{LSE}(z)")[0] is Status.REFUTED
    # the formula's own k is renamed: an argument that mentions k is not captured
    shifted = r"\operatorname{LSE}(z - z_k \mathbf{1}) = \operatorname{LSE}(z) - z_k"
    assert declared(shifted)[0] is Status.PROVED


def test_a_definition_through_another_is_applied_only_to_its_own_arguments():
    extra = (
        DECLARED
        + r"""'\operatorname{G}(z)' = '\log S'
"""
    )
    status, message = verdict(r"\operatorname{G}(2 z) = \log S", extra)
    assert status is Status.ERROR and "other arguments are not read" in message
    status, _ = verdict(r"\operatorname{LSE}(x) = x", extra)
    assert status is Status.ERROR


def test_a_conventional_name_in_plain_letters_is_one_name():
    conventions = CONVENTIONAL + 'sigmoid = "sigmoid"\nsoftmax = "softmax"\n'
    written = r"softmax(z)_j = \frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}}"
    assert with_conventions(written, conventions)[0] is Status.PROVED
    derivative = r"\frac{d}{dx} softplus(x) = sigmoid(x)"
    assert with_conventions(derivative, conventions)[0] is Status.PROVED
    # undeclared beside a declared notation: one name to declare, never seven letters
    error(r"x = softmax(z)", "softmax is not declared: declare it")


def test_a_name_given_a_whole_vector_is_defined_entry_by_entry():
    extra = DECLARED + "p = '\\operatorname{softmax}(z)'\n"
    assert verdict(r"p_j = a_j", extra)[0] is Status.PROVED
    assert verdict(r"p_j = e^{z_j}", extra)[0] is Status.REFUTED
    jacobian = r"\frac{\partial \log p_j}{\partial z_i} = \delta_{ij} - p_i"
    assert verdict(jacobian, extra)[0] is Status.PROVED
    assert verdict(r"\frac{\partial \log p_j}{\partial z_i} = \delta_{ij} - p_j", extra)[0] is (
        Status.REFUTED
    )


def test_an_undeclared_conventional_name_says_how_to_give_its_meaning():
    error(r"x = \operatorname{ReLU}(x)", "'\\text{ReLU}' = \"relu\"")
