"""A sum of fractions is zero denominator by denominator, or nothing follows."""

from __future__ import annotations

import pytest
from sympy import Add, Derivative, Mul, Symbol, exp

from derivs import CheckOptions, Notation, Verdict, check_link
from derivs.canonical import atomize_exp
from derivs.denominators import denominators, vanishes
from derivs.model import Link

x, y, w = (Symbol(name, real=True) for name in "xyw")
IN_PROCESS = CheckOptions(isolate=False)


@pytest.mark.parametrize(
    "expr",
    [
        y / (1 + exp(-x)) + y / (1 + exp(x)) - y,  # two groups add up to a polynomial
        w / (x + 1) - w / (x + 1) + x / (x - y) - x / (x - y),
        (x**2 - 1) / (x - 1) - x - 1 + y / (w + 1) - y / (w + 1),
    ],
)
def test_a_sum_that_is_zero_group_by_group_vanishes(expr):
    assert vanishes(atomize_exp(expr))


@pytest.mark.parametrize(
    "expr",
    [
        y / (1 + exp(-x)) + y / (1 + exp(x)),  # y, not zero
        1 / x - 1 / (x + 1) - 1 / (x * (x + 1)),  # zero, but only over one denominator
    ],
)
def test_a_sum_that_is_not_zero_group_by_group_shows_nothing(expr):
    assert not vanishes(atomize_exp(expr))


def test_the_denominators_are_counted_as_written():
    assert denominators(x / (x + 1) + y / (x + 1) + 1 / w + x) == 3


def sigmoids_of_one_variable(count: int, wrong: bool):
    """d/dv of sigma(v y_1) ... sigma(v y_n) and its log-derivative form (a term lost if wrong)."""
    n = Notation()
    v = n.scalar("v")
    ys = [n.scalar(f"y{m}") for m in range(1, count + 1)]
    t = n.scalar("t")
    sigma = n.define_function("sigma", t, 1 / (1 + exp(-t)))
    product = Mul(*(sigma(v * c) for c in ys))
    kept = ys[1:] if wrong else ys
    claim = product * Add(*(c * (1 - sigma(v * c)) for c in kept))
    return n.context(), Link(Derivative(product, v), claim)


@pytest.mark.parametrize("count", [3, 12])
def test_the_log_derivative_form_of_a_product_is_proved(count):
    context, link = sigmoids_of_one_variable(count, wrong=False)
    verdict = check_link(link, context, IN_PROCESS)
    assert verdict.status is Verdict.PROVED


def test_a_log_derivative_form_with_a_term_lost_is_refuted():
    context, link = sigmoids_of_one_variable(4, wrong=True)
    assert check_link(link, context, IN_PROCESS).status is Verdict.REFUTED
