"""Derivatives of functions with kinks hold where they exist, and nowhere else."""

from __future__ import annotations

import pytest
from sympy import (
    Abs,
    Derivative,
    Eq,
    Heaviside,
    Max,
    Piecewise,
    S,
    Subs,
    Sum,
    Symbol,
    floor,
    sign,
)

from derivs import CheckOptions, Notation, Verdict, check_link
from derivs.kinks import OffKinks, kinks_of, off_kinks, strip
from derivs.model import Link
from tests.conftest import plain_notation

P = plain_notation()
x, z, j, k, K = P.x, P.z, P.j, P.k, P.K
IN_PROCESS = CheckOptions(isolate=False)


def step(u):  # the indicator 1[u > 0] as the reader writes it
    return Piecewise((S.One, u > 0), (S.Zero, True))


def verdict(link: Link, context=P.context):
    return check_link(link, context, IN_PROCESS)


def test_kinks_are_located_for_each_nonsmooth_function():
    assert kinks_of(Max(0, x), x) == (x,)
    assert kinks_of(Abs(x - 1), x) == (x - 1,)
    assert kinks_of(sign(x - 2), x) == (x - 2,)
    assert kinks_of(step(x), x) == (x,)
    assert kinks_of(x**2 + 1, x) == ()
    assert kinks_of(Max(0, Symbol("y")), x) == ()


def test_an_entry_moves_every_entry_of_its_vector():
    assert kinks_of(Max(0, z[k]), z[j]) == (z[k],)


def test_a_function_whose_kinks_are_not_located_is_not_differentiated():
    with pytest.raises(Exception, match="cannot locate"):
        kinks_of(floor(x), x)


def test_off_a_kink_step_functions_are_the_cases_they_are():
    assert off_kinks(Heaviside(x), (x,)) == step(x)
    assert off_kinks(Heaviside(-x), (x,)) == step(-x)
    # A step of something that is no kink keeps SymPy's meaning.
    assert off_kinks(Heaviside(x - 1), (x,)) == Heaviside(x - 1)


def test_the_derivative_is_undefined_at_a_kink_and_stripped_elsewhere():
    wrapped = OffKinks(step(x), x)
    assert wrapped.xreplace({x: 0}) is S.NaN
    assert wrapped.xreplace({x: 2}) == 1
    assert strip(wrapped + 1) == (step(x) + 1, (x,))


@pytest.mark.parametrize(
    "lhs, rhs",
    [
        (Derivative(Max(0, x), x), step(x)),
        (Derivative(step(x), x), S.Zero),
        (Derivative(Abs(x), x), sign(x)),
    ],
    ids=["relu", "indicator", "abs"],
)
def test_a_derivative_is_proved_where_it_exists_and_says_where(lhs, rhs):
    found = verdict(Link(lhs, rhs))
    assert found.status is Verdict.PROVED, found.message
    assert "where the derivatives exist (x != 0)" in found.method


@pytest.mark.parametrize(
    "lhs, rhs",
    [
        (Subs(Derivative(Max(0, x), x), x, 0), S.Half),
        (Subs(Derivative(Max(0, x), x), x, 0), S.Zero),
        (Subs(Derivative(step(x), x), x, 0), S.Zero),
        (Subs(Derivative(Abs(x), x), x, 0), S.Zero),
    ],
    ids=["relu-half", "relu-zero", "indicator", "abs"],
)
def test_a_derivative_taken_at_its_kink_is_an_error_never_a_proof(lhs, rhs):
    found = verdict(Link(lhs, rhs))
    assert found.status is Verdict.ERROR
    assert "no derivative where x = 0" in (found.message or "")


def test_a_case_that_puts_the_variable_on_the_kink_is_an_error():
    found = verdict(Link(Derivative(Max(0, x), x), S.Zero, condition=(Eq(x, 0),)))
    assert found.status is Verdict.ERROR
    assert "the case puts it there" in (found.message or "")


@pytest.mark.parametrize(
    "rhs", [S.One, S.Zero, S.Half, Heaviside(x)], ids=["one", "zero", "half", "heaviside"]
)
def test_a_wrong_derivative_of_relu_is_refuted_off_the_kink(rhs):
    found = verdict(Link(Derivative(Max(0, x), x), rhs * 3 if rhs == S.One else rhs + 1))
    assert found.status is Verdict.REFUTED
    assert found.counterexample is not None
    assert all(v.value != "0" for v in found.counterexample.values)


def test_a_kink_under_a_sum_is_read_off_the_kink():
    n = Notation()
    K_ = n.dimension("K")
    j_, k_ = n.indices("j k", K_)
    z_ = n.vector("z", K_)
    context = n.context()
    lhs = Derivative(Sum(Max(0, z_[k_]), (k_, 1, K_)), z_[j_])
    assert verdict(Link(lhs, step(z_[j_])), context).status is Verdict.PROVED
    assert verdict(Link(lhs, S.One), context).status is Verdict.REFUTED


def test_a_kink_under_a_sum_is_one_kink_per_term_at_a_point_too():
    hinge = Sum(Max(0, x - k), (k, 1, K))
    for upper in (K, 3):
        summed = Sum(Max(0, x - k), (k, 1, upper))
        found = verdict(Link(Subs(Derivative(summed, x), x, 1), S.Zero))
        assert found.status is Verdict.ERROR
        assert "for some k from 1 to" in (found.message or "")
    off = verdict(Link(Subs(Derivative(Sum(Max(0, x - k), (k, 1, 3)), x), x, S.Half), S.Zero))
    assert off.status is Verdict.PROVED
    assert kinks_of(hinge, x)[0].function in {x - k, k - x}
