"""Functions of vectors: ``h_\\theta(x)`` whose parameter ``x`` reads only as a vector.

The body is read again at each application with the argument in place of the
parameter (a substitution, never a guess); the chain that states the formula
is read with a generic vector of the template's own, never with a declared
name that is spelled like the parameter.
"""

from __future__ import annotations

import pytest

from derivs import CheckOptions, Status, check_derivation
from derivs.read.document import read_document
from derivs.read.notation import read_notation
from derivs.read.vocabulary import Template

#: Examples x^{(i)} (vectors of length n) and a weight vector theta; x is also a family,
#: so the parameter x of h_theta must never be taken for it.
EXAMPLES = r"""
[dimensions]
m = 1
n = 1

[indices]
"i" = "m"
"j k" = "n"

[vectors]
'\vartheta' = "n"
'\mathbf{v}' = "n"
x = { length = "n", family = "i" }

[definitions]
'g(s)' = '\frac{1}{1 + e^{-s}}'
"""

TEMPLATES = {
    r"h_\vartheta(x)": r"g(\vartheta^\top x)",
    r"f_{\vartheta}(x)": r"\frac{1}{1 + e^{-\vartheta^T x}}",
    r"p_\vartheta(x)": r"\frac{1}{1 + \exp(-\sum_{k=1}^{n} \vartheta_k x_k)}",
}


def verdict_in(display: str, definition: str) -> tuple[Status, str]:
    """The one link of ``display`` checked under the examples' notation and ``definition``."""
    text = f"# A note\n\n```derivs\n{EXAMPLES}{definition}```\n\n$$ {display} $$\n"
    result = check_derivation(read_document("note.md", text), CheckOptions(isolate=False))
    (link,) = result.links
    return link.verdict.status, link.verdict.message


@pytest.mark.parametrize(("head", "body"), TEMPLATES.items())
def test_a_function_of_a_vector_is_applied_to_an_example(head, body):
    name = head.split("(")[0]
    correct = (
        rf"\frac{{\partial}}{{\partial \vartheta_j}} {name}(x^{{(i)}}) = "
        rf"{name}(x^{{(i)}}) (1 - {name}(x^{{(i)}})) x^{{(i)}}_j"
    )
    wrong = (
        rf"\frac{{\partial}}{{\partial \vartheta_j}} {name}(x^{{(i)}}) = "
        rf"{name}(x^{{(i)}}) (1 + {name}(x^{{(i)}})) x^{{(i)}}_j"
    )
    status, message = verdict_in(correct, f"'{head}' = '{body}'\n")
    assert status is Status.PROVED, message
    status, message = verdict_in(wrong, f"'{head}' = '{body}'\n")
    assert status is Status.REFUTED, message


def test_the_chain_that_states_the_formula_reads_its_parameter_as_a_generic_vector():
    definition = r"'h_\vartheta(x)' = 'g(\vartheta^\top x)'" + "\n"
    stated = r"h_\vartheta(x) = \frac{1}{1 + e^{-\vartheta^\top x}}"
    status, message = verdict_in(stated, definition)
    assert status is Status.PROVED, message
    status, _ = verdict_in(r"h_\vartheta(x) = \frac{1}{1 + e^{\vartheta^\top x}}", definition)
    assert status is Status.REFUTED


def test_a_bold_vector_is_an_argument_like_any_other():
    definition = r"'h_\vartheta(x)' = 'g(\vartheta^\top x)'" + "\n"
    status, message = verdict_in(
        r"h_\vartheta(\mathbf{v}) = g(\sum_{k=1}^{n} \vartheta_k \mathbf{v}_k)", definition
    )
    assert status is Status.PROVED, message


def test_an_application_with_another_parameter_or_arity_is_an_error():
    definition = r"'h_\vartheta(x)' = 'g(\vartheta^\top x)'" + "\n"
    status, _ = verdict_in(r"h_\mathbf{v}(x^{(i)}) = 1", definition)
    assert status is Status.ERROR
    status, message = verdict_in(r"h_\vartheta(x^{(i)}, x^{(i)}) = 1", definition)
    assert status is Status.ERROR and "takes 1 argument" in message


def test_a_sum_in_the_body_never_captures_an_index_of_the_argument():
    definition = r"'r_\vartheta(x)' = '\sum_{k=1}^{n} \vartheta_k x_k'" + "\n"
    status, message = verdict_in(r"r_\vartheta(x^{(k)}) = 0", definition)
    assert status is Status.ERROR and "binds an index its argument uses" in message


def test_a_body_that_reads_with_no_vector_is_still_an_error_of_the_notation():
    toml = EXAMPLES + r"'h_\vartheta(x)' = 'g(\vartheta \cdot \vartheta^\top)'" + "\n"
    refused = read_notation(toml, "test").refused  # the entry is refused, not the notation
    assert "should be a scalar, not a vector or matrix" in refused["h"]


def test_a_function_of_scalars_stays_a_function_of_scalars():
    toml = EXAMPLES + r"'u(s)' = 's^2'" + "\n"
    meaning = read_notation(toml, "test").vocabulary.lookup("u")
    assert not isinstance(meaning, Template)


def test_a_bold_parameter_and_a_dot_product_read_as_a_blog_writes_them():
    text = (
        "# Note\n\nThe examples are $\\mathbf{x}^{(i)} \\in \\mathbb{R}^d$.\n\n"
        "$$\nf_{\\mathbf{w}}(\\mathbf{x}) = \\mathbf{w} \\cdot \\mathbf{x}\n$$\n\n"
        "$$\n\\frac{\\partial}{\\partial w_k} f_{\\mathbf{w}}(\\mathbf{x}^{(i)})"
        " = x^{(i)}_k\n$$\n\n"
        "$$\n\\mathbf{w}^T \\mathbf{x}^{(i)} = \\sum_{k=1}^{d} w_k x^{(i)}_k\n$$\n\n"
        "$$\nL = \\sum_{i=1}^{N} f_{\\mathbf{w}}(\\mathbf{x}^{(i)})\n$$\n"
    )
    result = check_derivation(read_document("note.md", text), CheckOptions(isolate=False))
    statuses = [r.verdict.status for r in result.links]
    assert statuses == [Status.PROVED, Status.UNKNOWN, Status.PROVED, Status.PROVED]
    # the features are stated real, not independent of w: proved only if they are not
    assert "proved only if x" in (result.links[1].verdict.message or "")
