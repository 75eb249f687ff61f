"""What every part of the translator reads with: the notation, the bound indices, a node's value.

The translator is one class made of parts of one concept each (names in
:mod:`derivs.read.names`, derivatives and big operators in
:mod:`derivs.read.operators`, the grammar's rules in
:mod:`derivs.read.translate`); a part reads a node inside it through the
readings this base declares, which the translator gives.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from sympy import Expr, Symbol
from sympy.core.relational import Relational

from derivs.read.pieces import Piece
from derivs.read.shapes import Value
from derivs.read.tree import Node
from derivs.read.vocabulary import Vocabulary


class Reader(ABC):
    """The notation read in, the indices bound by the sums around, and a node's readings."""

    vocabulary: Vocabulary
    #: One scope per enclosing sum or product: its index by the key it is written with.
    bound: list[dict[str, Symbol]]
    #: The arguments of the template being applied, by the parameter they stand for.
    arguments: dict[str, Value]

    @abstractmethod
    def value(self, node: Node) -> Value:
        """The scalar, vector or matrix ``node`` writes."""

    @abstractmethod
    def scalar(self, node: Node, what: str = "this") -> Expr:
        """The scalar ``node`` writes (``what`` names it in the error if it is not one)."""

    @abstractmethod
    def relation(self, node: Node) -> Relational:
        """The relation ``node`` writes, such as ``k = i``."""

    @abstractmethod
    def piece(self, node: Node) -> Piece:
        """What ``node`` writes, possibly a piece still waiting for what follows it."""

    @abstractmethod
    def settle(self, piece: Piece, node: Node) -> Value:
        """The value of ``piece``, or the error of a piece left waiting."""

    @abstractmethod
    def derivative(self, target: Value, variable: Value, node: Node) -> Value:
        """``d target / d variable``: a derivative, gradient or Jacobian."""

    @abstractmethod
    def indices(self, sub: Node, arity: int, key: str) -> tuple[Expr, ...]:
        """The ``arity`` index expressions of the subscript ``sub`` on ``key``."""

    @abstractmethod
    def entry_of(self, value: Value, sub: Node, node: Node) -> Expr:
        """The entry of the vector or matrix ``value`` that the subscript ``sub`` names."""

    @abstractmethod
    def ones_in_product(self, pieces: list[Piece]) -> list[Piece]:
        """Each ``\\mathbf{1}`` of a product sized by the factor beside it."""

    @abstractmethod
    def juxtaposed(self, items: Sequence[Node], node: Node) -> Value:
        """The value of ``items`` written side by side (a product, functions applied)."""

    @abstractmethod
    def divided(self, top: Value, bottom: Value, node: Node) -> Value:
        """``top / bottom``, or the error of a division that cannot be read."""

    @abstractmethod
    def power(self, base: Value, sup: Node | None) -> Value:
        """``base`` raised to the superscript ``sup`` (a transpose for ``^\\top``)."""

    @abstractmethod
    def derivatives(self, target: Value, taken: tuple[Value, ...], node: Node) -> Value:
        """``target`` differentiated by each of ``taken``: a higher or mixed derivative."""

    @abstractmethod
    def own_variable(self, rest: Sequence[Piece], at: Node) -> Value:
        """The variable of a ``\\nabla`` written without one, from the function after it."""
