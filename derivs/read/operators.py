"""Derivatives, gradients and the big operators ``\\sum`` and ``\\prod`` with their bounds.

A fraction led by ``\\partial`` (or ``d``) is a derivative, of any order
(:mod:`derivs.read.differentials`); by a vector it is a gradient or Jacobian
(:mod:`derivs.read.shapes`).  A sum binds its indices over the ranges written
under it (:mod:`derivs.read.limits`), or without limits over the one declared
index free in its body; a condition under it (``k \\neq c``) is an exact
indicator factor.  :class:`OperatorReader` is the part of the translator that
reads them: the grammar's rules ``frac`` and ``bigop``.
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
from derivs.read.differentials import Variable, differential, order_of, variables
from derivs.read.limits import read_limits
from derivs.read.parts import Reader
from derivs.read.pieces import DerivativeOperator, Function, Piece
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
    written,
)


class OperatorReader(Reader):
    """Reads derivatives and big operators."""

    def _read_frac(self, node: Tree[Token]) -> Piece:
        _, top, bottom = node.children
        top_d, bottom_d = differential(top, self), differential(bottom, self)
        if top_d is not None and bottom_d is not None:
            found = variables(bottom_d.items, self, bottom)
            if order_of(found) != top_d.order:
                raise fail(
                    node,
                    f"a derivative of order {top_d.order} by {order_of(found)} variable(s): "
                    "the numerator's power of \\partial counts the denominator's variables",
                )
            taken = tuple(self.juxtaposed(v.items, bottom) for v in found for _ in range(v.times))
            if not top_d.items:
                return DerivativeOperator(taken, node)
            own = self.by_own_argument(top_d.items, found, taken, node)
            target = own if own is not None else self.juxtaposed(top_d.items, top)
            return self.derivatives(target, taken, node)
        if bottom_d is not None and top_d is None and bottom_d.items:
            raise fail(node, "a derivative needs \\partial (or d) in its numerator too")
        return self.divided(self.value(top), self.value(bottom), node)

    def _read_bigop(self, node: Tree[Token]) -> Piece:
        operator = str(node.children[0])
        scripts = next(
            (c for c in node.children[1:] if isinstance(c, Tree) and c.data == "scripts"), None
        )
        body = next(
            (c for c in node.children[1:] if not (isinstance(c, Tree) and c.data == "scripts")),
            None,
        )
        if body is None:
            raise fail(node, f"{operator} with nothing to add up")
        return self.big_operator(operator, scripts, body, node)

    def by_own_argument(
        self, items: tuple[Node, ...], found: list[Variable], taken: tuple[Value, ...], node: Node
    ) -> Value | None:
        """``\\frac{d\\sigma}{ds}`` of a function defined as ``\\sigma(s)``: ``\\sigma(s)``.

        A function written alone is read at the variable only when that variable is
        written as the definition writes its argument; by another variable
        (``\\frac{d\\sigma}{dw}``: ``\\sigma'(w)``, or ``\\sigma(w^\\top x)`` by the
        chain rule?) it is not read, and the juxtaposition reports it.
        """
        if len(items) != 1 or len(found) != 1 or len(found[0].items) != 1:
            return None
        (item,), (variable,) = items, found[0].items
        if written(item).count(" ") or not isinstance(item, Tree):  # one name, no scripts
            return None
        function = self.piece(item)
        if not (isinstance(function, Function) and len(function.parameters) == 1):
            return None
        if function.bare is not None or function.parameters[0] != written(variable).strip():
            return None
        return function.apply([taken[0]], node)

    def derivatives(self, target: Value, taken: tuple[Value, ...], node: Node) -> Value:
        """``target`` differentiated by each of ``taken``, the last written first."""
        first, second = taken if len(taken) == 2 else (None, None)
        if isinstance(first, Array) and isinstance(second, Array):
            return hessian(target, first, second, node)
        result = target
        for variable in reversed(taken):
            if len(taken) > 1 and isinstance(variable, Array):
                raise fail(node, "a derivative by a vector and by a scalar together is not read")
            result = self.derivative(result, variable, node)
        return result

    def derivative(self, target: Value, variable: Value, node: Node) -> Value:
        if isinstance(variable, Array):
            return self.gradient(target, variable, node)
        if not isinstance(variable, (Symbol, Indexed)):
            raise fail(node, f"cannot differentiate with respect to {variable}")
        if self.is_index(variable):
            # an index counts entries: it takes whole values, and nothing varies with it smoothly
            raise fail(
                node,
                f"a derivative by the index {variable}: an index counts entries and has no "
                f"derivative; differentiate by an entry (z_{variable}) or by a scalar",
            )
        if isinstance(target, Array):
            return target.map(lambda f: Derivative(f, variable))
        if isinstance(target, Written):
            raise fail(node, "cannot differentiate a written-out vector")
        return Derivative(target, variable)

    def is_index(self, variable: Expr) -> bool:
        """A declared index, or one a sum around binds."""
        indices = {x.symbol for x in self.vocabulary.context.indices}
        return variable in indices or any(variable in s.values() for s in self.bound)

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
        return row(variable.length, lambda c: Derivative(scalar, variable.entry(c)), gradient=True)

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


def hessian(target: Value, first: Array, second: Array, node: Node) -> Array:
    """The matrix of second derivatives of a scalar: entry (r, c) is by first_r, then second_c."""
    if not isinstance(target, Expr):
        raise fail(node, "a second derivative by a vector is read only of a scalar")
    if not (first.is_vector and second.is_vector):
        raise fail(node, "a second derivative by a matrix is not read")
    return Array(
        first.length,
        second.length,
        lambda r, c: Derivative(target, first.entry(r), second.entry(c)),
    )


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
