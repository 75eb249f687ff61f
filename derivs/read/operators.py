"""Derivatives, gradients and the big operators ``\\sum`` and ``\\prod`` with their bounds.

A derivative by a vector is a gradient or Jacobian (:mod:`derivs.read.shapes`);
a sum binds its index over its written limits, or without limits over the one
declared index free in its body; ``i \\neq j`` under it excludes a term.
:class:`OperatorReader` is the part of the translator that reads them.
"""

from __future__ import annotations

from lark import Token, Tree
from sympy import (
    Derivative,
    Expr,
    Indexed,
    Integer,
    KroneckerDelta,
    Piecewise,
    Product,
    Sum,
    Symbol,
)
from sympy.core.relational import Relational

from derivs.errors import DerivsError
from derivs.read.limits import read_limits
from derivs.read.parts import Reader
from derivs.read.shapes import (
    Array,
    Value,
    Written,
    row,
)
from derivs.read.tree import (
    Node,
    fail,
    split_scripts,
)


class OperatorReader(Reader):
    """Reads derivatives and big operators."""

    def derivatives(self, target: Value, taken: tuple[Value, ...], node: Node) -> Value:
        """``target`` differentiated by each of ``taken``, the last written first."""
        result = target
        for variable in reversed(taken):
            if len(taken) > 1 and isinstance(variable, Array):
                raise fail(node, "a second derivative by a vector (a Hessian) is not read")
            result = self.derivative(result, variable, node)
        return result

    def derivative(self, target: Value, variable: Value, node: Node) -> Value:
        if isinstance(variable, Array):
            return self.gradient(target, variable, node)
        if not isinstance(variable, (Symbol, Indexed)):
            raise fail(node, f"cannot differentiate with respect to {variable}")
        if isinstance(target, Array):
            return target.map(lambda f: Derivative(f, variable))
        if isinstance(target, Written):
            raise fail(node, "cannot differentiate a written-out vector")
        return Derivative(target, variable)

    def gradient(self, target: Value, variable: Array, node: Node) -> Value:
        if not variable.is_vector and isinstance(target, Array):
            raise fail(node, "the derivative of a vector by a matrix is not read")
        if isinstance(target, Written):
            raise fail(node, "cannot differentiate a written-out vector")
        if not variable.is_vector:
            scalar = target
            return Array(
                variable.rows, variable.columns, lambda r, c: Derivative(scalar, variable.at(r, c))
            )
        if isinstance(target, Array):
            if not target.is_vector:
                raise fail(node, "the derivative of a matrix is not read")
            return Array(
                target.length,
                variable.length,
                lambda r, c: Derivative(target.entry(r), variable.entry(c)),
            )
        scalar = target
        return row(variable.length, lambda c: Derivative(scalar, variable.entry(c)))

    def big_operator(
        self, operator: str, scripts: Tree[Token] | None, body: Node, node: Node
    ) -> Value:
        sub, sup, _ = split_scripts(scripts)
        limits = read_limits(self, sub, sup, node)
        if limits is None:
            return self.unbounded(operator, body, node)
        symbols = [self.bound_symbol(r.key, r.lower, node) for r in limits.ranges]
        self.bound.append({r.key: s for r, s in zip(limits.ranges, symbols, strict=True)})
        try:
            summand = self.value(body)
            conditions = [self.relation(c) for c in limits.conditions]
        finally:
            self.bound.pop()
        if isinstance(summand, (Array, Written)):
            raise fail(node, f"{operator} of a vector is not read")
        for relation in conditions:
            if relation.rel_op not in {"!=", "=="} or not set(symbols) & relation.free_symbols:
                raise fail(
                    node,
                    f"{operator}: only conditions such as i \\neq j or i = j on its index "
                    "are read under it",
                )
            if operator == "\\prod":
                raise fail(node, "\\prod with a condition is not read")
            summand = indicator(relation) * summand
        for symbol, bounds in reversed(list(zip(symbols, limits.ranges, strict=True))):
            summand = make_big(operator, summand, symbol, bounds.lower, bounds.upper)
        return summand

    def bound_symbol(self, key: str, lower: Expr, node: Node) -> Symbol:
        declared = self.vocabulary.index_symbols().get(key)
        if declared is not None:
            return declared
        if len(key) != 1 or not key.isalpha():
            raise fail(node, f"the summation index {key} is not a letter")
        return Symbol(key, integer=True, positive=bool((lower >= 1) is True or lower.is_positive))

    def unbounded(self, operator: str, body: Node, node: Node) -> Value:
        """``\\sum p_i \\log q_i``: the one declared index free in the body, over its range."""
        summand = self.value(body)
        if not isinstance(summand, Expr):
            raise fail(node, f"{operator} of a vector is not read")
        indices = [x for x in self.vocabulary.context.indices if x.symbol in summand.free_symbols]
        if len(indices) != 1:
            names = ", ".join(x.symbol.name for x in indices) or "none"
            raise fail(
                node,
                f"{operator} without limits must have one free index in its body, found {names}",
            )
        (index,) = indices
        return make_big(operator, summand, index.symbol, index.lower, index.upper)


def as_column(value: Value) -> Value:
    """A gradient as a column: ``\\nabla_w f`` has the shape of ``w``, not of its transpose."""
    if isinstance(value, Array) and value.rows == 1 and value.columns != 1:
        return value.transpose()
    return value


def make_big(operator: str, body: Expr, symbol: Symbol, lower: Expr, upper: Expr) -> Expr:
    if operator == "\\prod":
        return Product(body, (symbol, lower, upper))
    return Sum(body, (symbol, lower, upper))


def indicator(relation: Relational) -> Expr:
    if relation.rel_op == "==":
        return KroneckerDelta(relation.lhs, relation.rhs)
    if relation.rel_op == "!=":
        return 1 - KroneckerDelta(relation.lhs, relation.rhs)
    if relation.rel_op in {"<", ">", "<=", ">="}:
        return Piecewise((Integer(1), relation), (Integer(0), True))
    raise DerivsError("an indicator 1{...} of =, \\neq, < or > only")
