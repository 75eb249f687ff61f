"""The pieces of a juxtaposition before they settle into values.

Reading ``\\log \\sigma(x)``, ``\\partial f / \\partial x`` or ``1\\{k = i\\}``
takes more than one item: a function waits for its argument, a
``\\partial`` for its variable, a ``1`` for the braces of an indicator.  Each
such piece is a value of its own type until :meth:`Translator.settle`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from sympy.core.relational import Relational

from derivs.read.shapes import (
    Value,
)
from derivs.read.tree import Node


@dataclass(frozen=True)
class Function:
    """Something applied to what follows it: ``\\log``, ``\\sigma(x)``, ``H(p, q)``.

    ``bare`` is its value written without arguments, for a definition declared
    with its arguments (``\\operatorname{LSE}`` for ``\\operatorname{LSE}(z)``);
    ``parameters`` the keys of a defined function's own arguments (``s`` for
    ``\\sigma(s)``), by which ``\\frac{d\\sigma}{ds}`` is ``\\sigma(s)`` differentiated.
    """

    name: str
    apply: Callable[[Sequence[Value], Node], Value]
    needs_parens: bool
    node: Node
    bare: Callable[[], Value] | None = None
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class DerivativeOperator:
    """``\\frac{\\partial}{\\partial x}``, ``\\nabla_x``: applies to the rest of the product.

    ``variables`` are taken from the last (applied first) to the first, as
    ``\\frac{\\partial^2}{\\partial x \\partial y}`` writes them; a ``gradient``
    (``\\nabla_x``) by a vector is a column, as the vector is.
    """

    variables: tuple[Value, ...]
    node: Node
    gradient: bool = False
    unnamed: int = 0
    """How often a ``\\nabla`` written with no variable (``\\nabla f``, ``\\nabla^2 f``) takes
    the one argument of the function it applies to; then ``variables`` is empty."""


@dataclass(frozen=True)
class Partial:
    """``\\partial f``, waiting for ``/ \\partial x``."""

    value: Value
    node: Node


@dataclass(frozen=True)
class Group:
    """A parenthesised list; one item is a value, several are arguments."""

    items: tuple[Value, ...]
    node: Node


@dataclass(frozen=True)
class Condition:
    """``\\{k = i\\}``: a relation in braces, read after a ``1`` as an indicator."""

    relation: Relational
    node: Node


@dataclass(frozen=True)
class One:
    """A ``1`` (or ``\\mathbb{1}``) that may start an indicator ``1\\{...\\}``.

    A ``\\mathbb{1}`` (``blackboard``) with no condition after it is the vector
    of ones, as ``\\mathbb{1}^\\top`` is: never the number 1.
    """

    node: Node
    blackboard: bool = False


@dataclass(frozen=True)
class Ones:
    """``\\mathbf{1}`` (a column) or ``\\mathbf{1}^\\top`` (a row) of ones, not yet sized."""

    node: Node
    transposed: bool = False


Piece: TypeAlias = (
    "Value | Function | DerivativeOperator | Partial | Group | Condition | One | Ones"
)
