"""A derivation file's links print in the order their author wrote them."""

from __future__ import annotations

import pickle
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


def test_the_expression_is_built_from_the_names_the_call_saw(sm):
    a, i = sm.a, sm.i
    shift = 1
    line = then(shift - a[i])
    shift = 2  # rebound after the call: the written expression is still 1 - a_i
    assert shift == 2
    assert "expression" not in line.as_written.__dict__  # not built before it is asked for
    assert latex(line.written) == "1 - {a}_{i}"


def test_a_pickled_link_carries_its_sides_as_written(sm):
    a, i, z = sm.a, sm.i, sm.z
    chain = step(Derivative(a[i], z[i]), then(a[i] - a[i] ** 2))
    (link,) = chain.checked_links
    again = pickle.loads(pickle.dumps(link))
    assert again == link
    # It travels as the expression built (as SymPy pickles it), not as the author's names.
    assert latex(link.written_rhs) == "{a}_{i} - {a}_{i}^{2}"
    built = pickle.loads(pickle.dumps(link.written_rhs))
    assert latex(again.written_rhs) == latex(built)
    assert again.rhs_as_written.names == {}  # the author's names do not travel
