"""Derivatives as the engine takes them: a product's kept factored, each taken once.

The derivative of a product of ``n`` factors is the product rule's sum over
the factors of ``f_i'`` times the others, each term kept as a product (as
SymPy builds it).  A factor that shares no free symbol with the variable has
derivative 0 and no term, so it is never differentiated: ``d/dx_1`` of
``sigma(x_1) ... sigma(x_n)`` differentiates one factor, not ``n``.  A sum
is differentiated term by term, and a derivative of order ``m`` is the
first derivative taken ``m`` times; everything else is SymPy's ``diff``.

A derivative is a pure function of the expression, the variable and the
order, so each is computed once per process (:mod:`derivs.memo`): the
definitions that many links unfold (a softmax entry, a sigmoid) are
differentiated once, whichever derivation asks.
"""

from __future__ import annotations

import sympy
from sympy import Add, Basic, Expr, Mul

from derivs.memo import remembered

_DERIVATIVES: dict[tuple[Basic, Basic, int], Expr] = {}


def derivative(function: Expr, variable: Basic, order: Basic | int = 1) -> Expr:
    """``d^order function / d variable^order``; an order that is no whole number is SymPy's."""
    if not isinstance(order, int):
        if not order.is_Integer:
            return sympy.diff(function, variable, order)
        order = int(order)
    if order < 1:
        return function
    return remembered(
        _DERIVATIVES,
        (function, variable, order),
        lambda: _first(derivative(function, variable, order - 1), variable),
    )


def _first(function: Expr, variable: Basic) -> Expr:
    if isinstance(function, Add):
        return Add(*(derivative(term, variable) for term in function.args))
    if not isinstance(function, Mul):
        return sympy.diff(function, variable)
    factors = function.args
    on = variable.free_symbols
    terms = []
    for position, factor in enumerate(factors):
        if factor.free_symbols.isdisjoint(on):
            continue
        inner = derivative(factor, variable)
        if inner != 0:
            terms.append(Mul(*factors[:position], inner, *factors[position + 1 :]))
    return Add(*terms)
