"""An accent or a face over a subscripted name marks the name, never its subscript.

Authors write the entry ``i`` of the estimate ``\\hat{y}`` as ``\\hat{y}_i`` and
just as often as ``\\hat{y_i}``: the hat (or tilde, bar, dot, bold face) is
drawn over the whole entry, but it belongs to the name.  Both spellings are
the same entry, so the parse tree of ``\\hat{y_i}`` is rewritten into the tree
of ``\\hat{y}_i`` (:func:`lift_subscripts`) before any meaning is given to it,
by the translator and by the inference of a notation alike.

Only a subscript is lifted: the mark still covers the name, so ``\\hat{y_i}``
and ``y_i`` stay different names.  A mark over anything else (a sum, a
product, a superscripted name, a name with a subscript outside as well, as in
``\\hat{y_i}_j``) is left as written, for the translator to refuse.
"""

from __future__ import annotations

from typing import TypeAlias

from lark import Token, Tree

Node: TypeAlias = "Tree[Token] | Token"

#: Nodes that only wrap their one child: ``{y_i}`` is a group of a list of a relation ...
WRAPPERS = frozenset({"group", "slist", "relation", "juxt"})
#: What a mark may cover to be lifted: a name.
NAMES = frozenset({"letter", "command", "decorated"})


def lift_subscripts(node: Node) -> Node:
    """``node`` with every ``\\mark{y_i}`` rewritten as ``\\mark{y}_i``, inner marks first."""
    if isinstance(node, Token):
        return node
    children = [lift_subscripts(child) for child in node.children]
    rewritten = Tree(node.data, children, node.meta)
    if rewritten.data == "scripted":
        return _lifted(rewritten)
    return rewritten


def _lifted(scripted: Tree[Token]) -> Tree[Token]:
    """A ``scripted`` node whose primary is a mark over a subscripted name, lifted."""
    primary = scripted.children[0]
    if not (isinstance(primary, Tree) and primary.data == "decorated"):
        return scripted
    mark, argument = primary.children
    inner = _unwrapped(argument)
    if not (isinstance(inner, Tree) and inner.data == "scripted" and len(inner.children) == 2):
        return scripted
    name, inner_scripts = inner.children
    if not (isinstance(name, Tree) and name.data in NAMES and _kinds(inner_scripts) == ["sub"]):
        return scripted
    assert isinstance(inner_scripts, Tree)
    outer = scripted.children[1] if len(scripted.children) > 1 else None
    if "sub" in _kinds(outer):
        return scripted
    scripts = [*inner_scripts.children, *(outer.children if isinstance(outer, Tree) else ())]
    marked = Tree("decorated", [mark, name], primary.meta)
    return Tree("scripted", [marked, Tree("scripts", scripts, inner_scripts.meta)], scripted.meta)


def _kinds(scripts: Node | None) -> list[str]:
    """What a ``scripts`` node holds, in order: ``sub``, ``sup``, ``PRIME``."""
    if not isinstance(scripts, Tree):
        return []
    return [c.data if isinstance(c, Tree) else str(c.type) for c in scripts.children]


def _unwrapped(node: Node) -> Node:
    while isinstance(node, Tree) and node.data in WRAPPERS and len(node.children) == 1:
        node = node.children[0]
    return node
