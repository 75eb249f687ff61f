"""The differentials of a derivative written as a fraction: its order and its variables.

``\\frac{\\partial^2 f}{\\partial z_i \\partial z_j}`` has a numerator
``\\partial^2 f`` (order 2, of ``f``) and a denominator of two differentials,
``\\partial z_i`` and ``\\partial z_j``; ``\\frac{\\partial^2 f}{\\partial
z_i^2}`` one differential taken twice; ``\\frac{d^2 y}{d x^2}`` the same with
``d``.  :func:`differential` finds what follows the ``\\partial`` (or ``d``)
that leads a part of the fraction and the order written on it;
:func:`variables` cuts a denominator into its variables, each with how many
times it is taken.  The order of the numerator must be the sum of those
counts: a mismatch is an error, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token, Tree
from sympy import Integer

from derivs.read.parts import Reader
from derivs.read.tree import Node, fail, name_key, script_body, single, split_scripts


@dataclass(frozen=True)
class Differential:
    """A part of a fraction led by ``\\partial`` or ``d``: its order and the items after it."""

    order: int
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Variable:
    """A variable of a denominator (its items, the power cut off) and how often it is taken."""

    items: tuple[Node, ...]
    times: int


def differential(group: Node, translator: Reader) -> Differential | None:
    """What follows the ``\\partial`` (or ``d``) leading a fraction's part; None if none leads."""
    assert isinstance(group, Tree)
    if not group.children:
        return None
    node = single(group.children[0])
    if isinstance(node, Tree) and node.data == "relation" and len(node.children) == 1:
        node = node.children[0]
    items: list[Node] = (
        list(node.children) if isinstance(node, Tree) and node.data == "juxt" else [node]
    )
    first = items[0]
    if not isinstance(first, Tree) or first.data != "scripted" or not leads(first, translator):
        return None
    order = _order(first)
    if order is None:
        raise fail(first, "the order of a derivative is a whole number: \\partial^2 f")
    return Differential(order, tuple(items[1:]))


def leads(item: Tree[Token], translator: Reader) -> bool:
    """Whether ``item`` is ``\\partial`` or an undeclared ``d``, with at most a power on it."""
    head = item.children[0]
    if not isinstance(head, Tree):
        return False
    if head.data == "partial":
        return True
    key = name_key(head) if head.data in {"letter", "text"} else None
    return key in {"d", "\\text{d}"} and translator.vocabulary.lookup("d") is None


def _order(item: Tree[Token]) -> int | None:
    """1 for a bare ``\\partial``; n for ``\\partial^n``; None for anything else on it."""
    if len(item.children) == 1:
        return 1
    sub, sup, primes = split_scripts(item.children[1])
    if sub is not None or sup is None or primes:
        return None
    return whole_number(script_body(sup))


def whole_number(node: Node) -> int | None:
    """The whole number a script writes (``2``, ``{2}``), or None: ``[2]`` and ``(2)`` are
    labels (a layer, a member), never a power."""
    inner = node
    while (
        isinstance(inner, Tree)
        and len(inner.children) == 1
        and inner.data not in {"number", "brackets", "parens"}
    ):
        inner = inner.children[0]
    if isinstance(inner, Tree) and inner.data == "number":
        text = str(inner.children[0])
        return int(text) if text.isdigit() else None
    if isinstance(inner, Token) and inner.type == "NUMBER" and str(inner).isdigit():
        return int(str(inner))
    return None


def variables(items: tuple[Node, ...], translator: Reader, node: Node) -> list[Variable]:
    """A denominator's items after its first differential, cut at each further one.

    ``z_i \\partial z_j`` is two variables; ``z_i^2`` one taken twice (its power
    cut off the written variable).
    """
    groups: list[list[Node]] = [[]]
    for item in items:
        if isinstance(item, Tree) and item.data == "scripted" and leads(item, translator):
            if _order(item) != 1:
                raise fail(
                    item, "a power on a differential of the denominator: write \\partial x^2"
                )
            groups.append([])
            continue
        groups[-1].append(item)
    found = []
    for group in groups:
        if not group:
            raise fail(node, "a differential without its variable")
        *rest, last = group
        stripped, times = _power_cut(last)
        found.append(Variable((*rest, stripped), times))
    return found


def _power_cut(item: Node) -> tuple[Node, int]:
    """``z_i^2`` -> (``z_i``, 2); an item with no whole power -> (item, 1)."""
    if not (isinstance(item, Tree) and item.data == "scripted" and len(item.children) == 2):
        return item, 1
    primary, scripts = item.children
    sub, sup, primes = split_scripts(scripts)
    if sup is None or primes:
        return item, 1
    times = whole_number(script_body(sup))
    if times is None:
        return item, 1
    if sub is None:
        return Tree("scripted", [primary], item.meta), times
    assert isinstance(scripts, Tree)
    return Tree("scripted", [primary, Tree("scripts", [sub], scripts.meta)], item.meta), times


def order_of(found: list[Variable]) -> Integer:
    return Integer(sum(v.times for v in found))
