"""The factors two sides share: split as identities, kept only where they lose nothing."""

from __future__ import annotations

import pytest
from sympy import (
    Derivative,
    Integer,
    KroneckerDelta,
    Mul,
    Sum,
    Symbol,
    cancel,
    exp,
    sqrt,
)

from derivs import CheckOptions, Notation, Verdict, check_link
from derivs.canonical import Problem
from derivs.factors import content, meet, powers_of, shared_factors
from derivs.model import Link
from tests.conftest import softmax_notation

IN_PROCESS = CheckOptions(isolate=False)
x, y, u = (Symbol(name, real=True) for name in "xyu")
E = 1 + exp(-x)


def keep_all(_base) -> bool:
    return True


@pytest.mark.parametrize(
    ("lhs", "rhs", "common"),
    [
        (x * y**2, x * u * y, x * y),
        (exp(-x) / E**2 / (1 + y), (1 - 1 / E) / E / (1 + y), 1 / (E * (1 + y))),
        (x / E**2 + y / E, u / E, 1 / E),  # a sum's content: the smaller power of each base
        ((x + y) * u, x + y, x + y),  # a sum with no content is a factor
        (x**2 * y, y / x, y),  # x^2 and x^-1 share nothing
        (sqrt(x) * y, x * y, y),  # a fractional power shares only itself
        (2 * x, 2 * y, Integer(1)),  # a number is never taken out
        (x + y, x + y, x + y),
    ],
)
def test_the_sides_are_their_common_factors_times_their_rests(lhs, rhs, common):
    shared = shared_factors(lhs, rhs, keep_all)
    assert shared.common == common
    assert cancel(shared.common * shared.rest_lhs - lhs) == 0
    assert cancel(shared.common * shared.rest_rhs - rhs) == 0


def test_a_factor_that_keep_refuses_stays_in_both_rests():
    shared = shared_factors(x * y, x * u, lambda base: base != x)
    assert (shared.common, shared.rest_lhs, shared.rest_rhs) == (1, x * y, x * u)


def test_the_content_of_a_sum_is_what_every_term_has_and_the_sum_of_the_rest():
    assert content(x**2 * y + x**3 * u) == {x: 2, y + x * u: 1}
    assert content(x + y) == {x + y: 1}
    assert meet([powers_of(x * y), powers_of(u)]) == {}


# -- through the strategies: nothing is lost --------------------------------------


def sigmoids(count: int):
    """d/dx_1 of sigma(x_1) ... sigma(x_n): its true value and a wrong one."""
    n = Notation()
    xs = [n.scalar(f"x{m}") for m in range(1, count + 1)]
    t = n.scalar("t")
    sigma = n.define_function("sigma", t, 1 / (1 + exp(-t)))
    product = Mul(*(sigma(v) for v in xs))
    lhs = Derivative(product, xs[0])
    return n.context(), lhs, (1 - sigma(xs[0])) * product, sigma(xs[0]) * product


def differences(count: int):
    """d/dx_1 of (x_1 - y_1) ... (x_n - y_n), each factor zero where x_m = y_m."""
    n = Notation()
    xs = [n.scalar(f"x{m}") for m in range(1, count + 1)]
    ys = [n.scalar(f"y{m}") for m in range(1, count + 1)]
    factors = [a - b for a, b in zip(xs, ys, strict=True)]
    lhs = Derivative(Mul(*factors), xs[0])
    return n.context(), lhs, Mul(*factors[1:]), -Mul(*factors[1:])


@pytest.mark.parametrize("family", [sigmoids, differences])
@pytest.mark.parametrize("count", [2, 24, 64])
def test_the_derivative_of_a_product_of_many_factors_is_decided(family, count):
    context, lhs, true, wrong = family(count)
    assert check_link(Link(lhs, true), context, IN_PROCESS).status is Verdict.PROVED
    verdict = check_link(Link(lhs, wrong), context, IN_PROCESS)
    assert verdict.status is Verdict.REFUTED
    assert verdict.counterexample is not None


def test_a_shared_power_of_a_factor_that_can_vanish_is_not_cancelled_away():
    context, lhs, true, _ = differences(8)
    factor = true.args[0]
    # (x_2 - y_2)^2 P = (x_2 - y_2) P only where x_2 = y_2 or P = 0: false.
    verdict = check_link(Link(factor * lhs, true), context, IN_PROCESS)
    assert verdict.status is Verdict.REFUTED


def test_a_factor_that_is_zero_as_a_rational_function_is_never_shared():
    context, _, _, _ = differences(2)
    a, b = (Symbol(name, real=True) for name in ("x1", "y1"))
    zero = (a + 1) ** 2 - a**2 - 2 * a - 1  # zero, written so that SymPy keeps it
    problem = Problem.of(zero * a, zero * b, context, (), ())
    assert problem.factored.common == 1
    assert check_link(Link(zero * a, zero * b), context, IN_PROCESS).status is Verdict.PROVED


def test_a_kronecker_delta_is_never_shared_so_a_case_split_still_sees_it():
    sm = softmax_notation()
    delta = KroneckerDelta(sm.i, sm.j)
    problem = Problem.of(delta * sm.z[sm.i], delta * sm.z[sm.j], sm.context, (), ())
    assert problem.factored.common == 1
    verdict = check_link(Link(delta * sm.z[sm.i], delta * sm.z[sm.j]), sm.context, IN_PROCESS)
    assert verdict.status is Verdict.PROVED
    assert verdict.method.startswith("case split")


def test_a_shared_factor_that_a_hypothesis_makes_zero_still_proves_the_link():
    sm = softmax_notation()
    vanishing = Sum(sm.t[sm.k], (sm.k, 1, sm.K)) - 1
    link = Link(vanishing * sm.z[sm.i], vanishing * sm.z[sm.j], assuming=(sm.t_sums_to_one,))
    problem = Problem.of(link.lhs, link.rhs, sm.context, (), link.assuming)
    assert problem.factored.common != 1
    verdict = check_link(link, sm.context, IN_PROCESS)
    assert verdict.status is Verdict.PROVED
    assert verdict.method.startswith("hypotheses")
