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
    Product,
    Sum,
    Symbol,
)
from sympy.core.relational import Relational

from derivs.errors import DerivsError
from derivs.read import signs
from derivs.read.parts import Reader
from derivs.read.shapes import (
    Array,
    Value,
    Written,
    row,
)
from derivs.read.tree import (
    Node,
    Skip,
    fail,
    index_key,
    script_body,
    split_scripts,
    written,
)


class OperatorReader(Reader):
    """Reads derivatives and big operators."""

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
        variable_key, lower, upper, exclusions = self.limits(sub, sup, node)
        if variable_key is None:
            return self.unbounded(operator, body, node)
        symbol = self.bound_symbol(variable_key, lower, node)
        self.bound.append({variable_key: symbol})
        try:
            summand = self.value(body)
            excluded = [self.relation(e) for e in exclusions]
        finally:
            self.bound.pop()
        if isinstance(summand, (Array, Written)):
            raise fail(node, f"{operator} of a vector is not read")
        for relation in excluded:
            if relation.rel_op != "!=" or symbol not in (relation.lhs, relation.rhs):
                raise fail(node, f"{operator}: only exclusions such as i \\neq j are read under it")
            other = relation.rhs if relation.lhs == symbol else relation.lhs
            if operator == "\\prod":
                raise fail(node, "\\prod with an exclusion is not read")
            summand = (1 - KroneckerDelta(symbol, other)) * summand
        return make_big(operator, summand, symbol, lower, upper)

    def bound_symbol(self, key: str, lower: Expr, node: Node) -> Symbol:
        declared = self.vocabulary.index_symbols().get(key)
        if declared is not None:
            return declared
        if len(key) != 1 or not key.isalpha():
            raise fail(node, f"the summation index {key} is not a letter")
        return Symbol(key, integer=True, positive=bool((lower >= 1) is True or lower.is_positive))

    def limits(
        self, sub: Node | None, sup: Node | None, node: Node
    ) -> tuple[str | None, Expr, Expr, list[Node]]:
        if sub is None:
            if sup is not None:
                raise fail(node, "an upper limit without the index under the sum")
            return None, Integer(0), Integer(0), []
        body = script_body(sub)
        parts: list[Node] = (
            list(body.children) if isinstance(body, Tree) and body.data == "slist" else [body]
        )
        first, exclusions = parts[0], parts[1:]
        if isinstance(first, Tree) and first.data == "relation" and len(first.children) == 3:
            key = index_key(first.children[0])
            if key is None or signs.normalise(str(first.children[1])) != "=":
                raise fail(sub, f"cannot read the limits {written(sub)!r}: write k=1")
            lower = self.limit(first.children[2], "a lower limit")
            if sup is None:
                raise fail(sub, "a lower limit without an upper one")
            return key, lower, self.limit(script_body(sup), "an upper limit"), exclusions
        key = index_key(first)
        if key is None:
            raise fail(sub, f"cannot read the index under the sum: {written(sub)!r}")
        declared = next((x for x in self.vocabulary.context.indices if x.symbol.name == key), None)
        if declared is None:
            raise fail(
                sub, f"the index {key} has no declared range: write {key}=1 and an upper limit"
            )
        # \sum_{k}^{U}: from k's declared lower bound to the written U, never k's declared upper
        upper = declared.upper if sup is None else self.limit(script_body(sup), "an upper limit")
        return key, declared.lower, upper, exclusions

    def limit(self, node: Node, what: str) -> Expr:
        """A written limit of a sum or product: a scalar, or an error at its position."""
        try:
            return self.scalar(node, what)
        except Skip as skip:
            raise fail(node, f"cannot read {what}: {skip.reason}") from None

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


def make_big(operator: str, body: Expr, symbol: Symbol, lower: Expr, upper: Expr) -> Expr:
    if operator == "\\prod":
        return Product(body, (symbol, lower, upper))
    return Sum(body, (symbol, lower, upper))


def indicator(relation: Relational) -> Expr:
    if relation.rel_op == "==":
        return KroneckerDelta(relation.lhs, relation.rhs)
    if relation.rel_op == "!=":
        return 1 - KroneckerDelta(relation.lhs, relation.rhs)
    raise DerivsError("an indicator 1{...} of = or \\neq only")
