"""Layer labels: a script that names a distinct object, not an entry or a power.

Networks label the parameters of each layer: ``W_1`` and ``b_2`` (a number
as subscript), ``W^{[1]}`` and ``b^{[l]}`` (a bracketed superscript),
``W^{(2)}`` (a parenthesised number).  Each labelled name is an object of
its own (a matrix, a vector), declared under its labelled key (``W_{1}``,
``W^{[1]}``, ``W^{(2)}``) and given a SymPy name of its own (``W_1``).  A
label is read as a name only where its key is declared (or inferred from
the document, :mod:`derivs.read.infer`); elsewhere the script keeps its
meaning (``x_1`` an entry, ``x^{(i)}`` a member of a family).  The script
that is not the label stays: ``W_2^\\top`` is the transpose of ``W_2`` and
``W^{[1]}_{ij}`` an entry of ``W^{[1]}``; what follows the label in its
superscript is a script of its own (``W^{[2]\\top}``, ``W^{[2]T}``: a transpose).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lark import Tree

from derivs.read.tree import Node, script_body, unwrapped

#: A labelled key: the name, then ``_{label}``, ``^{[label]}`` or ``^{(number)}``.
LAYER_KEY = re.compile(
    r"(?P<base>.+?)(?:_\{(?P<sub>\d+)\}|\^\{\[(?P<bracket>\w+)\]\}|\^\{\((?P<parens>\d+)\)\})"
)


@dataclass(frozen=True)
class Labelled:
    """A labelled name's key and the scripts left once its label is read."""

    key: str
    sub: Node | None
    sup: Node | None


def labelled(base: str, sub: Node | None, sup: Node | None) -> Labelled | None:
    """The labelled key of ``base`` with these scripts, if one of them is a layer label."""
    if sub is not None:
        number = _number(script_body(sub))
        if number is not None:
            return Labelled(f"{base}_{{{number}}}", None, sup)
    if sup is not None:
        inner: Node = unwrapped(script_body(sup), scripted=True)
        left: Node | None = None
        if isinstance(inner, Tree) and inner.data == "juxt" and len(inner.children) == 2:
            first, rest = inner.children
            inner = unwrapped(first, scripted=True)
            left = Tree("sup", [Tree("slist", [rest])])
        if isinstance(inner, Tree) and inner.data in {"brackets", "parens"} and inner.children:
            (items,) = inner.children
            if isinstance(items, Tree) and len(items.children) == 1:
                label = _number(items.children[0])
                if inner.data == "parens" and label is not None:
                    return Labelled(f"{base}^{{({label})}}", sub, left)
                label = label if label is not None else _letter(items.children[0])
                if inner.data == "brackets" and label is not None:
                    return Labelled(f"{base}^{{[{label}]}}", sub, left)
    return None


def unstated_layer(key: str) -> str:
    """What to declare for a labelled name whose shape nothing states."""
    return (
        f"{key} reads as a layer's own name, but nothing states its shape: write "
        f"{key} \\in \\mathbb{{R}}^{{m \\times n}} (or ^{{n}}) in the text, or declare it"
    )


def layer_parts(key: str) -> tuple[str, str] | None:
    """``W_{1}`` -> ``("W", "1")``: the name and label of a labelled key, or None."""
    match = LAYER_KEY.fullmatch(key)
    if match is None:
        return None
    label = match.group("sub") or match.group("bracket") or match.group("parens")
    return match.group("base"), label


def _number(node: Node) -> str | None:
    inner = unwrapped(node, scripted=True)
    if isinstance(inner, Tree) and inner.data == "number":
        text = str(inner.children[0])
        return text if text.isdigit() else None
    return None


def _letter(node: Node) -> str | None:
    inner = unwrapped(node, scripted=True)
    if isinstance(inner, Tree) and inner.data == "letter":
        return str(inner.children[0])
    return None
