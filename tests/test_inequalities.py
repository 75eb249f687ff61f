"""Links that claim an order or a difference: proved by the sign of the gap, or refuted."""

from __future__ import annotations

import pytest
from sympy import Integer, Rational, Sum, exp

from derivs import CheckOptions, Notation, Verdict, check_link
from derivs.canonical import Problem
from derivs.inequalities import GAP_FORMS, attempt_order, gap, violated
from derivs.model import Link, Relation, step, then
from tests.conftest import plain_notation, softmax_notation

SM = softmax_notation()
IN_PROCESS = CheckOptions(isolate=False)
PLAIN = plain_notation()
K, i, j, k, x, z = PLAIN.K, PLAIN.i, PLAIN.j, PLAIN.k, PLAIN.x, PLAIN.z
CONTEXT = PLAIN.context


def verdict(lhs, sign: str, rhs, context=CONTEXT) -> Verdict:
    return check_link(Link(lhs, rhs, relation=Relation.of(sign)), context, IN_PROCESS)


@pytest.mark.parametrize(
    ("lhs", "sign", "rhs"),
    [
        (x**2 + 1, "<=", x**2 + 2),
        ((x - 1) ** 2, ">=", Integer(0)),
        (x**2 - 2 * x + 1, ">=", Integer(0)),
        (x, "!=", x + 1),
        (exp(x), ">", Integer(0)),
        (Sum(z[k] ** 2, (k, i, j)), ">=", Integer(0)),
    ],
)
def test_an_order_shown_by_the_sign_of_its_gap_is_proved(lhs, sign, rhs):
    found = verdict(lhs, sign, rhs)
    assert found.status is Verdict.PROVED, found.message
    assert found.method.startswith("sign of the gap")


@pytest.mark.parametrize(
    ("lhs", "sign", "rhs"),
    [
        (x**2 + 2, "<=", x**2 + 1),
        (x**2 + 2, "<", x**2 + 1),
        (x, "<", x),
        (x + 1, ">", x + 1),
        (x, "!=", x),
        (Integer(1), ">=", x**2 + 2),
        # An empty sum is 0: a sum of positive terms is not positive where its range is empty.
        (Sum(exp(z[k]), (k, i, j)), ">", Integer(0)),
    ],
)
def test_a_false_order_is_refuted_with_a_counterexample(lhs, sign, rhs):
    found = verdict(lhs, sign, rhs)
    assert found.status is Verdict.REFUTED, found.message
    assert found.counterexample is not None


def test_softmax_bounds(sm=SM):
    assert verdict(sm.a[sm.i], ">", Integer(0), sm.context).status is Verdict.PROVED
    assert verdict(sm.S, ">", Integer(0), sm.context).status is Verdict.PROVED
    refuted = verdict(sm.a[sm.i], "<", Rational(1, 2), sm.context)
    assert refuted.status is Verdict.REFUTED


def test_an_order_the_signs_cannot_show_is_unknown_never_proved():
    # True (a_i <= 1) but not by the sign of any form of its gap: honest unknown.
    found = verdict(SM.a[SM.i], "<=", Integer(1), SM.context)
    assert found.status is Verdict.UNKNOWN


def test_the_gap_is_oriented_by_the_relation():
    problem = Problem.of(x, x + 1, CONTEXT, (), ())
    assert gap(problem, Relation.LESS_EQUAL) == 1
    assert gap(problem, Relation.GREATER_EQUAL) == -1
    assert attempt_order(problem, Relation.LESS).proof is not None
    assert attempt_order(problem, Relation.GREATER).proof is None


def test_gap_forms_are_named_and_ordered():
    assert GAP_FORMS[0].name == "as canonical"
    assert len({form.name for form in GAP_FORMS}) == len(GAP_FORMS)


def test_only_a_clear_failure_violates_a_relation():
    tolerance = Rational(1, 10**25)
    same = (Integer(2), Integer(2))
    assert violated(Relation.LESS, same, same, tolerance)
    assert violated(Relation.NOT_EQUAL, same, same, tolerance)
    assert not violated(Relation.LESS_EQUAL, same, same, tolerance)
    close = (Integer(2), Integer(2) + Rational(1, 10**30))
    # Agreement to 30 digits is no evidence that two different numbers are equal.
    assert not violated(Relation.NOT_EQUAL, close, close, tolerance)
    assert violated(
        Relation.GREATER_EQUAL, (Integer(1), Integer(2)), (Integer(1), Integer(2)), tolerance
    )


def test_a_chain_carries_each_lines_relation():
    chain = step(x**2, then(x**2 + 1, "add one", relation="<="), then(x**2 + 1, "same"))
    assert [link.relation for link in chain.checked_links] == [Relation.LESS_EQUAL, Relation.EQUAL]


def test_an_unknown_sign_is_an_error_naming_the_signs():
    from derivs.errors import DerivsError

    with pytest.raises(DerivsError, match="unknown relation"):
        Relation.of("=<")
    assert Relation.of("≤") is Relation.LESS_EQUAL


def test_an_order_between_values_that_are_not_real_is_never_proved():
    from derivs import Positive

    n = Notation()
    t = n.scalar("T", kind=Positive())
    y = n.scalar("y")
    context = n.context()
    from sympy import I, log, sqrt

    not_real = verdict(log(-t) + 1, ">", log(-t), context)
    assert not_real.status is Verdict.ERROR and "not a real number" in not_real.message
    assert verdict(sqrt(-t), ">=", sqrt(-t), context).status is Verdict.ERROR
    assert verdict(y**2 + I, ">=", I, context).status is Verdict.ERROR
    # log y is real only where y > 0: the order is not proved.
    assert verdict(log(y) + 1, ">", log(y), context).status is not Verdict.PROVED


def test_a_reversed_product_is_never_proved_by_karrs_convention():
    from sympy import Product

    # Empty (so 1) wherever i > 10, which x^(11 - i) is not.
    found = verdict(Product(x, (k, i, 10)), "=", x ** (11 - i))
    assert found.status is not Verdict.PROVED
