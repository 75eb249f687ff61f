"""What a document says a name belongs to: ``y \\in \\{0, 1\\}``, ``x \\in \\mathbb{R}^n``.

Authors state the kind of their data in the prose's inline math or in a
display: a label is 0 or 1 (``y \\in \\{0, 1\\}``, a *binary* name), an example
is a real vector of ``n`` features (``x^{(i)} \\in \\mathbb{R}^n``, *real*,
of length ``n``).  :func:`membership` reads one such statement, a name alone
(or a member ``x^{(i)}``, an entry ``y_k``) before ``\\in`` and one of these
sets after it; any other set states nothing here.  A name the document states
the kind of is no longer open: its counterexamples draw what the statement
allows, and only that.
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token, Tree

from derivs.read.tex import TexError
from derivs.read.tree import Node, name_key, script_body, split_scripts

#: The sets of numbers whose members are any reals.
REALS = frozenset({"\\mathbb{R}", "\\R", "\\Bbb{R}"})


@dataclass(frozen=True)
class Membership:
    """``left \\in`` a set: the kind it states (``binary``, ``real``) and a written length."""

    left: Node
    kind: str
    length: str | None = None


def membership(tree: Tree[Token]) -> Membership | None:
    """The membership one chain states, if it is ``name \\in`` a set this module knows."""
    children = tree.children
    if len(children) != 3 or str(children[1]) != "\\in":
        return None
    left, right = children[0], children[2]
    item = _alone(right)
    if item is None or _alone(left) is None:
        return None
    if _is_zero_or_one(item):
        return Membership(left, "binary")
    base = item.children[0] if item.data == "scripted" else item
    try:
        key = name_key(base)
    except TexError:
        return None
    if key not in REALS:
        return None
    sub, sup, primes = split_scripts(item.children[1] if len(item.children) > 1 else None)
    if sub is not None or primes:
        return None
    return Membership(left, "real", _letter(sup))


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


def _letter(sup: Node | None) -> str | None:
    """The one letter of a superscript (``^n``, ``^{d}``): a length."""
    if sup is None:
        return None
    body = script_body(sup)
    found = body.scan_values(lambda v: isinstance(v, Token)) if isinstance(body, Tree) else [body]
    letters = [str(t) for t in found]
    if len(letters) == 1 and len(letters[0]) == 1 and letters[0].isalpha():
        return letters[0]
    return None
