"""A derivation file's links print in the order their author wrote them."""

from __future__ import annotations

import sys

from sympy import Derivative, exp

from derivs import then
from derivs.as_written import as_written
from derivs.latex import latex, sides
from derivs.model import step


def test_sums_and_products_keep_the_written_order(sm):
    a, i, z, S = sm.a, sm.i, sm.z, sm.S
    chain = step(
        Derivative(a[i], z[i]),
        then((exp(z[i]) * S - exp(z[i]) * exp(z[i])) / S**2),
        then(a[i] - a[i] ** 2),
        then(a[i] * (1 - a[i])),
    )
    shown = [sides(link, frozenset())[1] for link in chain.checked_links]
    assert shown[1] == "{a}_{i} - {a}_{i}^{2}"
    assert shown[2] == r"{a}_{i} \cdot \left(1 - {a}_{i}\right)"
    assert shown[0].startswith(r"\frac{e^{{z}_{i}} \cdot S - ")
    assert latex(chain.checked_links[2].rhs) == r"\left(1 - {a}_{i}\right) {a}_{i}"


def test_two_calls_on_one_line_are_told_apart(sm):
    a, i = sm.a, sm.i
    first, second = then(1 - a[i]), then(a[i] * 2 - 1)
    assert latex(first.written) == "1 - {a}_{i}"
    assert latex(second.written) == r"{a}_{i} \cdot 2 - 1"


def test_a_name_or_a_mismatch_keeps_the_checked_expression(sm):
    a, i = sm.a, sm.i
    value = a[i] * (1 - a[i])
    assert then(value).written is None

    def call(expr, checked):
        return as_written(sys._getframe(1), 0, checked)

    assert call(a[i] + 1, a[i] + 2) is None
    assert call(a[i] + 1, a[i] + 1) is not None
