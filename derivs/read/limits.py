"""The ranges a sum or product runs over, as its author wrote them under and over it.

A big operator binds one index or more, each over a range, and may hold
conditions on them:

- ``\\sum_{k=1}^{K}``: from the written lower limit to the written upper one;
- ``\\sum_{k}``, ``\\sum_k^{U}``: over ``k``'s declared range (a written
  upper limit wins over the declared one);
- ``\\sum_{k \\in [K]}`` and ``\\sum_{k \\in \\{1, \\dots, K\\}}``: from 1
  (or the first written member) to ``K``;
- ``\\sum_{j,k}``, ``\\sum_{jk}``: one sum per index, each over its declared
  range (side by side only when every letter is a declared index); a
  listed condition on an index not listed (``\\sum_{i, j \\neq i}``: is j
  summed, or fixed?) and one upper limit over several indices
  (``\\sum_{i,j=1}^{K}``) are errors that say what to write;
- ``\\sum_{k \\neq c}``, ``\\sum_{i=1, i \\neq j}^{m}``: a condition, read
  exactly as an indicator factor of the summand (the excluded term), never
  approximated.

An index with no written and no declared range is an error that says what to
declare.  :func:`read_limits` returns the :class:`Limits`; the summand is read
by :class:`~derivs.read.operators.OperatorReader` with the indices bound.
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token, Tree
from sympy import Expr, Integer

from derivs.read import signs
from derivs.read.parts import Reader
from derivs.read.tree import Node, Skip, fail, index_key, script_body, written


@dataclass(frozen=True)
class Range:
    """One bound index, by the key it is written with, from ``lower`` to ``upper``."""

    key: str
    lower: Expr
    upper: Expr


@dataclass(frozen=True)
class Limits:
    """The indices a big operator binds (outermost first) and the conditions under it."""

    ranges: tuple[Range, ...]
    conditions: tuple[Node, ...]


def read_limits(reader: Reader, sub: Node | None, sup: Node | None, node: Node) -> Limits | None:
    """The limits written on a big operator; None when nothing is written under it."""
    if sub is None:
        if sup is not None:
            raise fail(node, "an upper limit without the index under the sum")
        return None
    body = script_body(sub)
    parts: list[Node] = (
        list(body.children) if isinstance(body, Tree) and body.data == "slist" else [body]
    )
    first, rest = parts[0], parts[1:]
    if not _is_relation(first):
        keys = _together(reader, first) or [index_key(p) for p in parts if not _is_relation(p)]
        unlisted = _unlisted(parts, keys)
        if sup is not None and (len(keys) > 1 or unlisted):
            raise fail(
                sup,
                "one upper limit over several indices: write a sum for each "
                "(\\sum_{i=1}^{K} \\sum_{j=1}^{K}) or no limits (\\sum_{i,j})",
            )
        if unlisted:
            raise fail(
                sub,
                f"whether {unlisted[0]} is summed too is not written: list it to sum it "
                "(\\sum_{i,j, j \\neq i}), or put the condition on a listed index to keep "
                "it fixed (\\sum_{i \\neq c})",
            )
        if all(keys) and len(keys) > 1:
            conditions = tuple(p for p in parts if _is_relation(p))
            ranges = tuple(_declared(reader, str(k), None, sub) for k in keys)
            return Limits(ranges, conditions)
        key = index_key(first)
        if key is None:
            raise fail(sub, f"cannot read the index under the sum: {written(sub)!r}")
        upper = None if sup is None else _limit(reader, script_body(sup), "an upper limit")
        return Limits((_declared(reader, key, upper, sub),), tuple(rest))
    assert isinstance(first, Tree)
    left, sign, right = first.children
    key = index_key(left)
    relation = signs.normalise(str(sign))
    if key is None:
        raise fail(sub, f"cannot read the index under the sum: {written(sub)!r}")
    if relation == "=":
        lower = _limit(reader, right, "a lower limit")
        if sup is None:
            raise fail(sub, "a lower limit without an upper one")
        upper = _limit(reader, script_body(sup), "an upper limit")
        return Limits((Range(key, lower, upper),), tuple(rest))
    if relation == "\\in":
        if sup is not None:
            raise fail(sup, f"an upper limit over {key} \\in ...: write one of the two")
        lower, upper = _members(reader, right, sub)
        return Limits((Range(key, lower, upper),), tuple(rest))
    upper = None if sup is None else _limit(reader, script_body(sup), "an upper limit")
    return Limits((_declared(reader, key, upper, sub),), (first, *rest))


def _together(reader: Reader, node: Node) -> list[str | None]:
    """``\\sum_{ij}``: declared indices written side by side, one sum each (else [])."""
    inner = node
    while isinstance(inner, Tree) and inner.data == "relation" and len(inner.children) == 1:
        inner = inner.children[0]
    if not (isinstance(inner, Tree) and inner.data == "juxt" and len(inner.children) > 1):
        return []
    keys = [index_key(item) for item in inner.children]
    declared = {x.symbol.name for x in reader.vocabulary.context.indices}
    if all(key in declared for key in keys):
        return list(keys)
    return []


def _unlisted(parts: list[Node], keys: list[str | None]) -> list[str]:
    """The indices that listed conditions restrict without listing them.

    ``\\sum_{i, j \\neq i}`` (j summed too) and ``\\sum_{i, c \\neq i}`` (c
    fixed) are written alike: such an index is an error, never a guess.
    """
    found = []
    for part in parts:
        if _is_relation(part):
            assert isinstance(part, Tree)
            key = index_key(part.children[0])
            if key is not None and key not in keys:
                found.append(key)
    return found


def _is_relation(node: Node) -> bool:
    return isinstance(node, Tree) and node.data == "relation" and len(node.children) == 3


def _declared(reader: Reader, key: str, upper: Expr | None, sub: Node) -> Range:
    """``key`` over its declared range; a written ``upper`` wins over the declared one."""
    declared = next((x for x in reader.vocabulary.context.indices if x.symbol.name == key), None)
    if declared is None:
        raise fail(
            sub,
            f"the index {key} has no declared range: declare it under [indices] "
            f"or write {key}=1 and an upper limit",
        )
    return Range(key, declared.lower, declared.upper if upper is None else upper)


def _limit(reader: Reader, node: Node, what: str) -> Expr:
    try:
        return reader.scalar(node, what)
    except Skip as skip:
        raise fail(node, f"cannot read {what}: {skip.reason}") from None


def _members(reader: Reader, node: Node, sub: Node) -> tuple[Expr, Expr]:
    """``[K]`` (1 to K) or ``\\{1, \\dots, K\\}`` (the first member to the last)."""
    inner = node
    while (
        isinstance(inner, Tree) and inner.data in {"juxt", "scripted"} and len(inner.children) == 1
    ):
        inner = inner.children[0]
    if isinstance(inner, Tree) and inner.data == "brackets":
        (slist,) = inner.children
        assert isinstance(slist, Tree)
        if len(slist.children) == 1:
            return Integer(1), _limit(reader, slist.children[0], "the size of [K]")
    if isinstance(inner, Tree) and inner.data == "braces":
        slist = inner.children[1]
        assert isinstance(slist, Tree)
        cells = slist.children
        if len(cells) == 3 and _is_ellipsis(cells[1]):
            return (
                _limit(reader, cells[0], "a first member"),
                _limit(reader, cells[2], "a last member"),
            )
    raise fail(sub, f"cannot read the set {written(node)!r}: write [K] or \\{{1, \\dots, K\\}}")


def _is_ellipsis(node: Node) -> bool:
    inner = node
    while isinstance(inner, Tree) and len(inner.children) == 1 and inner.data != "ellipsis":
        inner = inner.children[0]
    return (isinstance(inner, Tree) and inner.data == "ellipsis") or (
        isinstance(inner, Token) and (inner.type == "ELLIPSIS")
    )
