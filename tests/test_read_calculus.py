"""Sums with conditions or no limits, higher and mixed derivatives, gradients and primes.

Each construct is checked on a document of our own: a correct line proved, a
wrong line refuted, and a line that cannot be read reported as an error that
says what to write or declare.
"""

from __future__ import annotations

import pytest

from derivs import CheckOptions, Status, check_derivation
from derivs.model import UnreadLink
from derivs.read.document import read_document

NOTATION = r"""
[dimensions]
K = 1

[indices]
"i j k c" = "K"

[scalars]
x = "real"
u = "real"
'\theta' = "real"

[functions]
f = 1

[vectors]
z = "K"
w = "K"
t = { length = "K", kind = "one-hot", at = "c" }

[matrices]
A = ["K", "K"]
B = ["K", "K"]

[definitions]
'\sigma(s)' = '\frac{1}{1 + e^{-s}}'
'a_i' = '\frac{e^{z_i}}{\sum_{k=1}^{K} e^{z_k}}'
S = '\sum_{k=1}^{K} e^{z_k}'
"""


def verdict(display: str, extra: str = ""):
    """The one link of ``display`` checked under the notation: (status, message)."""
    text = f"# A note\n\n```derivs\n{NOTATION}{extra}```\n\n$$ {display} $$\n"
    result = check_derivation(read_document("note.md", text), CheckOptions(isolate=False))
    (link,) = result.links
    return link.verdict.status, link.verdict.message


def proved(display: str) -> None:
    status, message = verdict(display)
    assert status is Status.PROVED, message


def refuted(display: str) -> None:
    status, message = verdict(display)
    assert status is Status.REFUTED, message


def error(display: str, words: str) -> None:
    status, message = verdict(display)
    assert status is Status.ERROR and words in message, (status, message)


# -- sums --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "display",
    [
        r"\sum_k t_k z_k = z_c",
        r"\sum_{k \neq c} t_k = 0",
        r"\sum_{i \neq k} z_i = \sum_{i=1}^{K} z_i - z_k",
        r"\sum_{k \in [K]} t_k = 1",
        r"\sum_{k \in \{1, \dots, K\}} t_k = 1",
        r"\sum_{j,k} A_{jk} = \sum_{j=1}^{K} \sum_{k=1}^{K} A_{jk}",
        r"\sum_{j,k} A_{jk} w_k = \sum_{j} \sum_{k} A_{jk} w_k",
        r"\sum_{jk} A_{jk} = \sum_{j,k} A_{jk}",
    ],
)
def test_a_sum_over_a_declared_range_with_its_condition_is_proved(display):
    proved(display)


@pytest.mark.parametrize(
    "display",
    [
        r"\sum_{k \neq c} t_k = 1",
        r"\sum_{i \neq k} z_i = \sum_{i=1}^{K} z_i",
        r"\sum_{k \in [K]} t_k = 0",
        r"\sum_{j,k} A_{jk} = \sum_{k=1}^{K} A_{kk}",
        r"\sum_{jk} A_{jk} = \sum_{k} A_{kk}",
    ],
)
def test_a_wrong_sum_with_a_condition_is_refuted(display):
    refuted(display)


@pytest.mark.parametrize(
    "display",
    [
        r"\sum_{i, j \neq i} A_{ij} = \sum_{i,j} A_{ij} - \sum_i A_{ii}",
        r"\sum_{i, c \neq i} z_i = \sum_i z_i - z_c",
        r"\sum_{i, j = 1} A_{ij} = \sum_{i} A_{i1}",
    ],
)
def test_a_listed_condition_on_an_unlisted_index_is_an_error_never_a_free_index(display):
    # \sum_{i, j \neq i} sums j too, \sum_{i, c \neq i} keeps c fixed: written alike, so
    # neither is guessed (it was read as a sum over i alone with j free, refuting the first)
    error(display, "is summed too is not written")
    proved(r"\sum_{i,j, j \neq i} A_{ij} = \sum_{i,j} A_{ij} - \sum_i A_{ii}")
    proved(r"\sum_{i \neq c} z_i = \sum_i z_i - z_c")


def test_a_condition_is_an_exact_indicator_never_a_dropped_term():
    # with the term k = c excluded the sum of a one-hot vector at c is 0, never 1
    refuted(r"\sum_{k \neq c} t_k = \sum_{k=1}^{K} t_k")


@pytest.mark.parametrize(
    ("display", "words"),
    [
        (r"\sum_{m \neq c} t_m = 0", "the index m has no declared range: declare it"),
        (r"\sum_{k \in K} t_k = 1", "cannot read the set"),
        (r"\sum_{k \in [K]}^{K} t_k = 1", "write one of the two"),
        (r"\sum_{k < c} t_k = 0", "only conditions such as"),
        (r"\sum_{k = c} t_k = 1", "a lower limit without an upper one"),
        (r"\sum_{jm} t_j = 1", "cannot read the index under the sum"),
        (r"\sum_{i,j=1}^{K} A_{ij} = 0", "one upper limit over several indices"),
        (r"\sum_{j,k}^{K} A_{jk} = 0", "write a sum for each"),
    ],
)
def test_a_sum_whose_range_cannot_be_known_says_what_to_write(display, words):
    error(display, words)


# -- higher and mixed derivatives -------------------------------------------------------------


@pytest.mark.parametrize(
    "display",
    [
        r"\frac{\partial^2 S}{\partial z_i \partial z_j} = \delta_{ij} e^{z_i}",
        r"\frac{\partial^2 S}{\partial z_i^2} = e^{z_i}",
        r"\frac{d^2}{dx^2} x^3 = 6x",
        r"\frac{d^2 \sigma(x)}{d x^2} = \sigma(x) (1 - \sigma(x)) (1 - 2\sigma(x))",
        r"\frac{\partial^2 (x^2 u^3)}{\partial x \partial u} = 6 x u^2",
    ],
)
def test_a_higher_or_mixed_derivative_is_proved(display):
    proved(display)


@pytest.mark.parametrize(
    "display",
    [
        r"\frac{\partial^2 S}{\partial z_i \partial z_j} = e^{z_i}",
        r"\frac{\partial^2 S}{\partial z_i^2} = 2 e^{z_i}",
        r"\frac{d^2}{dx^2} x^3 = 3x^2",
    ],
)
def test_a_wrong_higher_derivative_is_refuted(display):
    refuted(display)


def test_an_order_that_does_not_count_the_variables_is_an_error():
    error(
        r"\frac{\partial^2 S}{\partial z_i \partial z_j \partial z_k} = 0",
        "a derivative of order 2 by 3 variable(s)",
    )
    error(r"\frac{\partial S}{\partial z_i^2} = 0", "a derivative of order 1 by 2")


# -- gradients and primes -----------------------------------------------------------------------


def test_a_gradient_is_compared_entry_by_entry_as_a_column():
    proved(r"\nabla_w (w^\top z) = z")
    proved(r"\nabla_x (x^2) = 2x")
    refuted(r"\nabla_w (w^\top z) = w")
    error(r"\nabla (w^\top z) = z", "write \\nabla_x f")


@pytest.mark.parametrize(
    "display",
    [
        r"\sigma'(x) = \sigma(x) (1 - \sigma(x))",
        r"\sigma'(z_i) = \sigma(z_i) (1 - \sigma(z_i))",
        r"\sigma'(2x) = \sigma(2x) (1 - \sigma(2x))",
        r"\sigma''(x) = \sigma(x) (1 - \sigma(x)) (1 - 2\sigma(x))",
        r"\frac{d}{dx} f(x) = f'(x)",
    ],
)
def test_a_prime_on_a_function_of_one_variable_is_its_derivative(display):
    proved(display)


def test_a_prime_is_taken_at_the_argument_as_written():
    # the derivative at 2x, not the derivative of s -> sigma(2s)
    refuted(r"\sigma'(2x) = 2 \sigma(2x) (1 - \sigma(2x))")
    refuted(r"\sigma'(x) = \sigma(x)^2")


def test_a_prime_on_what_is_not_a_function_says_what_to_declare():
    error(r"x'(u) = 1", "declare x as one")
    error(r"u' = 1", "declare u as one")


def test_an_unread_line_is_an_unread_link():
    text = f"# A note\n\n```derivs\n{NOTATION}```\n\n$$ \\sum_{{m \\neq c}} t_m = 0 $$\n"
    (link,) = read_document("note.md", text).links
    assert isinstance(link, UnreadLink)


def test_a_hessian_is_the_matrix_of_second_derivatives_compared_entry_by_entry():
    proved(r"\nabla^2_w (w^\top A w) = A + A^\top")
    proved(r"\frac{\partial^2 (w^\top A w)}{\partial w \partial w} = A + A^\top")
    refuted(r"\nabla^2_w (w^\top A w) = 2A")
    error(r"\nabla^2 (w^\top A w) = A", "write \\nabla_x f")
    error(r"\nabla^2_x (x^3) = 6x", "by a vector only")


def test_a_gradient_of_a_vector_by_a_vector_is_an_error_not_one_layout():
    # \nabla_w (A w) is A in numerator layout and A^T in denominator layout: neither is written
    error(r"\nabla_w (A w) = A", "write \\frac{\\partial (A w)}{\\partial w}")
    error(r"\nabla_w (A w) = A^\top", "is the Jacobian in one layout or its transpose")
    error(r"\nabla_w \nabla_w (w^\top A w) = A + A^\top", "is the Jacobian in one layout")
    proved(r"\nabla_w (w^\top A w) = (A + A^\top) w")


@pytest.mark.parametrize(
    ("display", "status"),
    [
        (r"q'(u) = u", Status.PROVED),
        (r"q'(x) = u", Status.PROVED),
        (r"q'(2x) = u", Status.PROVED),
        (r"p'(s) = s", Status.PROVED),
        (r"p'(2x) = s", Status.PROVED),
        (r"p'(x) = s", Status.PROVED),
        (r"q'(u) = 2u", Status.REFUTED),
        (r"p'(2x) = 2s", Status.REFUTED),
    ],
)
def test_a_prime_is_the_derivative_of_the_body_never_of_the_argument_inside_it(display, status):
    # q(v) = v u: q'(u) is u, never d/du (u u) = 2u; and the variable of p' is named apart
    # from every symbol of p's body (p(v) = v s: p'(2x) is s, never s + s)
    notation = (
        '[scalars]\nx = "real"\nu = "real"\ns = "real"\n'
        "[definitions]\n'q(v)' = 'v u'\n'p(v)' = 'v s'\n"
    )
    text = f"# A note\n\n```derivs\n{notation}```\n\n$$ {display} $$\n"
    result = check_derivation(read_document("note.md", text), CheckOptions(isolate=False))
    (link,) = result.links
    assert link.verdict.status is status, link.verdict


@pytest.mark.parametrize(
    "display",
    [
        r"\frac{\partial z_i}{\partial i} = 0",
        r"\frac{d}{dk} z_k = 0",
        r"\frac{d z_j}{d j} = 0",
        r"\partial z_i / \partial i = 0",
        r"\frac{\partial}{\partial i} \sum_{i=1}^{K} z_i = 0",
        r"\sum_{k=1}^{K} \frac{\partial z_k}{\partial k} = 0",
    ],
)
def test_a_derivative_by_an_index_is_an_error(display):
    error(display, "a derivative by the index")
