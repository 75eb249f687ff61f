"""What a document says a name belongs to: ``y \\in \\{0, 1\\}``, ``x \\in \\mathbb{R}^{n}``.

Authors state the kind and the shape of their names in the words of set
theory, in the prose's inline math or in a display:

- ``y \\in \\{0, 1\\}``: a label is 0 or 1, a *binary* name;
- ``x \\in \\mathbb{R}^{n}`` (or ``x^{(i)} \\in \\mathbb{R}^n``): a real (column)
  vector of ``n`` entries, each size letter a dimension;
- ``W \\in \\mathbb{R}^{m \\times n}``: a real matrix of ``m`` rows and ``n``
  columns; ``s \\in \\mathbb{R}``: a real scalar.

Only sizes written as one letter are read: a number (``\\mathbb{R}^{3}``)
would make a size concrete, which derivs never does, and a formula
(``\\mathbb{R}^{n+1}``) is no dimension; such a membership states nothing.
:func:`membership` reads one statement, a name alone (a member ``x^{(i)}``
or an entry ``y_k`` too) before ``\\in`` and one of these sets after it; any
other set states nothing.  A name whose kind or shape the document states is
no longer open: its counterexamples draw what the statement allows.  The
membership itself is no claim (the reader skips ``\\in``).
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token, Tree

from derivs.read.tex import TexError
from derivs.read.tree import Node, name_key, script_body, split_scripts, unwrapped

#: The sets of numbers whose members are any reals, as their LaTeX keys.
REAL_SETS = frozenset({"\\mathbb{R}", "\\Bbb{R}", "\\mathbf{R}", "\\R"})


@dataclass(frozen=True)
class Membership:
    """``left \\in`` a set: the kind it states (``binary``, ``real``) and the sizes written."""

    left: Node
    kind: str
    sizes: tuple[str, ...] = ()

    @property
    def name(self) -> Node:
        """The name's node (``x``, ``x^{(i)}``, ``W``)."""
        item = _alone(self.left)
        return item if item is not None else unwrapped(self.left)

    @property
    def length(self) -> str | None:
        """The length of a vector (``n`` of ``\\mathbb{R}^n``); None for anything else."""
        return self.sizes[0] if len(self.sizes) == 1 else None


def membership(tree: Tree[Token]) -> Membership | None:
    """The membership one chain states, if it is ``name \\in`` a set this module knows."""
    children = tree.children
    if len(children) != 3 or str(children[1]) != "\\in":
        return None
    left, right = children[0], children[2]
    name = _alone(left) or unwrapped(left)
    if not (isinstance(name, Tree) and name.data == "scripted"):
        return None
    item = _alone(right) or unwrapped(right)
    if not isinstance(item, Tree):
        return None
    if item.data == "scripted" and _is_zero_or_one(item):
        return Membership(left, "binary")
    base = item.children[0] if item.data == "scripted" and item.children else item
    try:
        if name_key(base) not in REAL_SETS:
            return None
    except TexError:
        return None
    scripts = item.children[1] if item.data == "scripted" and len(item.children) > 1 else None
    sub, sup, primes = split_scripts(scripts)
    if sub is not None or primes:
        return None
    if sup is None:
        return Membership(left, "real")
    sizes = _sizes(script_body(sup))
    return None if sizes is None else Membership(left, "real", sizes)


def _alone(node: Node) -> Tree[Token] | None:
    """The one scripted item ``node`` writes (``x^{(i)}``, ``\\{0, 1\\}``), or None."""
    if isinstance(node, Tree) and node.data == "juxt" and len(node.children) == 1:
        item = node.children[0]
        if isinstance(item, Tree) and item.data == "scripted":
            return item
    return None


def _is_zero_or_one(item: Tree[Token]) -> bool:
    """``\\{0, 1\\}`` (or ``\\{1, 0\\}``), with no script."""
    if len(item.children) != 1:
        return False
    braces = item.children[0]
    if not (isinstance(braces, Tree) and braces.data == "braces"):
        return False
    numbers = [
        str(t)
        for t in braces.scan_values(lambda v: isinstance(v, Token))
        if str(t) not in {"\\{", "\\}", ","}
    ]
    return sorted(numbers) == ["0", "1"]


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
    """The one letter ``node`` is (``n``, ``{d}``), or None."""
    node = unwrapped(node)
    if isinstance(node, Tree) and node.data == "juxt" and len(node.children) == 1:
        node = unwrapped(node.children[0])
    if isinstance(node, Tree) and node.data == "scripted" and len(node.children) == 1:
        node = node.children[0]
    if isinstance(node, Tree) and node.data == "letter":
        return str(node.children[0])
    if isinstance(node, Token) and len(str(node)) == 1 and str(node).isalpha():
        return str(node)
    return None
