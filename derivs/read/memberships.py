"""A name declared by membership: ``x \\in \\mathbb{R}^{n}``, ``W \\in \\mathbb{R}^{m \\times n}``.

Authors state shapes in words of set theory, in a display or in the prose's
inline math: ``x \\in \\mathbb{R}^{n}`` makes ``x`` a (column) vector of
``n`` entries, ``W \\in \\mathbb{R}^{m \\times n}`` a matrix of ``m`` rows and
``n`` columns, and each size letter a dimension.  Only sizes written as one
letter are read: a number (``\\mathbb{R}^{3}``) would make a size concrete,
which derivs never does, and a formula (``\\mathbb{R}^{n+1}``) is not a
dimension; such a membership declares nothing.  The membership itself is no
claim (the reader skips ``\\in``).
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token, Tree

from derivs.read.tex import TexError
from derivs.read.tree import Node, name_key, script_body, split_scripts, unwrapped

#: The number sets a membership may name, as their LaTeX keys.
REAL_SETS = frozenset({"\\mathbb{R}", "\\Bbb{R}", "\\mathbf{R}", "\\R"})


@dataclass(frozen=True)
class Membership:
    """``name \\in \\mathbb{R}^{sizes}``: the name's node and its sizes, one or two letters."""

    name: Node
    sizes: tuple[str, ...]


def membership(tree: Tree[Token]) -> Membership | None:
    """The membership a chain states, if it is one ``name \\in \\mathbb{R}^{...}``."""
    children = tree.children
    if len(children) != 3 or str(children[1]) != "\\in":
        return None
    space = unwrapped(children[2])
    if not (isinstance(space, Tree) and space.data == "scripted" and len(space.children) == 2):
        return None
    try:
        if name_key(space.children[0]) not in REAL_SETS:
            return None
    except TexError:
        return None
    sub, sup, primes = split_scripts(space.children[1])
    if sub is not None or sup is None or primes:
        return None
    sizes = _sizes(script_body(sup))
    if sizes is None:
        return None
    name = unwrapped(children[0])
    if not (isinstance(name, Tree) and name.data == "scripted"):
        return None
    return Membership(name, sizes)


def _sizes(body: Node) -> tuple[str, ...] | None:
    """``n`` -> ``("n",)``; ``m \\times n`` -> ``("m", "n")``; anything else None."""
    body = unwrapped(body)
    if isinstance(body, Tree) and body.data == "mul" and len(body.children) == 3:
        if str(body.children[1]) != "\\times":
            return None
        parts = (_letter(body.children[0]), _letter(body.children[2]))
        return None if None in parts else tuple(p for p in parts if p is not None)
    letter = _letter(body)
    return None if letter is None else (letter,)


def _letter(node: Node) -> str | None:
    node = unwrapped(node)
    if isinstance(node, Tree) and node.data == "scripted" and len(node.children) == 1:
        node = node.children[0]
    if isinstance(node, Tree) and node.data == "letter":
        return str(node.children[0])
    return None
