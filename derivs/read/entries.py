"""A bracket with a subscript: an entry of the vector or matrix it holds, or its value at a case.

- ``(A^\\top)_{ij}``, ``\\left[A B\\right]_{ij}``,
  ``\\left[\\frac{\\partial l}{\\partial X}\\right]_{pq}``,
  ``\\operatorname{softmax}(z)_i``: the entry of what the bracket holds, read
  with one index for a vector and two for a matrix, as the subscript of a
  declared name is;
- ``(f)_{i = j}``: ``f`` at ``i = j`` (the index replaced where it is free).

A subscript on a bracket that holds a scalar is an error: it names no entry.
:class:`BracketEntryReader` is the part of the translator that reads them.
"""

from __future__ import annotations

from lark import Token, Tree
from sympy import Expr, Symbol

from derivs.read.parts import Reader
from derivs.read.shapes import Array, Value, Written, elementwise
from derivs.read.tree import Node, fail, script_body, single, written


class BracketEntryReader(Reader):
    """Reads ``(...)_{ij}`` and ``[...]_{ij}``."""

    def bracket_subscript(self, bracket: Tree[Token], sub: Node) -> Value:
        if is_case(sub):
            return self.substituted(bracket, sub)
        return self.entry_of(self.value(bracket), sub, bracket)

    def entry_of(self, value: Value, sub: Node, node: Node) -> Expr:
        if isinstance(value, Written):
            raise fail(sub, "an entry of a written-out vector by an index is not read")
        if not isinstance(value, Array):
            raise fail(sub, f"a subscript on the scalar {written(node)!r}: it has no entries")
        what = f"({written(node)})"
        if value.is_vector:
            (position,) = self.indices(sub, 1, what)
            return value.entry(position)
        row, column = self.indices(sub, 2, what)
        return value.at(row, column)

    def substituted(self, parens: Tree[Token], sub: Node) -> Value:
        """``(f)_{i = j}``: ``f`` at ``i = j``."""
        inner = self.value(parens)
        relation = self.relation(single(script_body(sub)))
        if relation.rel_op != "==" or not isinstance(relation.lhs, Symbol):
            raise fail(sub, "(f)_{i = j} needs an index = value under the parentheses")
        old, new = relation.lhs, relation.rhs
        return elementwise(lambda x: x.subs(old, new), inner)


def is_case(sub: Node) -> bool:
    """Whether a subscript states a relation (``_{i = j}``) rather than indices (``_{ij}``)."""
    body = script_body(sub)
    if isinstance(body, Tree) and body.data == "slist" and len(body.children) == 1:
        inner = body.children[0]
        return isinstance(inner, Tree) and inner.data == "relation" and len(inner.children) == 3
    return False
