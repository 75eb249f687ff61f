"""Shapes from use: the sizes a document's equations force on names it never sizes.

A network's notes rarely declare every array.  They annotate a line with its
shape (``a &= W_1 x + b_1 && (H \\times 1)``, ``\\frac{\\partial L}{\\partial
W_2} &= ... && (O \\times H)``) and let the equations carry the rest: in
``a = W_1 x + b_1`` with ``a`` of ``H x 1`` and ``W_1`` of ``H x N``, the
bias must be ``H x 1`` and ``x`` must be ``N x 1``.  This module finds those
shapes, and only those the writing forces:

- an annotation ``(R \\times C)`` in a row's last column is the shape of the
  row's left side: a name, or for a derivative of a scalar
  (``\\frac{\\partial L}{\\partial W}``) the variable (a gradient has the shape
  of what it is taken by);
- the sides of an equation have one shape, and so do the terms of a sum;
  a written number beside them is no term that needs one;
- a product of a known matrix and an unknown name with a known result sizes
  the name, unless a scalar would fit as well (``\\eta g`` with ``g``'s own
  shape): then nothing is forced;
- a transpose swaps the two sizes.

Sizes are the letters the annotations write (and ``1``).  Nothing else is
guessed: a name no equation forces stays what the rest of inference makes
of it, and a shape found here never makes a name stated (it stays open when
the document does not define it).  :mod:`derivs.read.infer` declares the
shapes found.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lark import Token, Tree

from derivs.read.layers import labelled
from derivs.read.tex import TexError, parse, tokens
from derivs.read.tree import Node, split_scripts, unwrapped

Shape = tuple[str, str]
SCALAR: Shape = ("1", "1")

#: The superscripts that transpose.
TRANSPOSE_MARKS = frozenset({"\\top", "T", "\\intercal"})
#: A shape annotation in a row's last column: ``&& (H \times 1)``.
ANNOTATION = re.compile(r"&&?\s*\(\s*([A-Za-z]|1)\s*\\times\s*([A-Za-z]|1)\s*\)\s*$")
#: A note in words in a row's last column: ``&& \\text{scalar}``.
WORDS_NOTE = re.compile(r"&&\s*\\text\{[^{}]*\}\s*$")
#: The environment marks around an aligned display's rows.
ENVIRONMENT = re.compile(r"\\(?:begin|end)\{[a-z]+\*?\}(?:\{[^}]*\})?")
#: The end of an aligned display, after its last row.
CLOSING = re.compile(r"\\end\{")
#: What ends a row of an aligned display.
ROW_END = re.compile(r"\\\\(?:\[[^\]]*\])?")
#: The relation sign of a row's equation, with its alignment mark.
EQUALS = re.compile(r"&?\s*=")


@dataclass(frozen=True)
class Annotated:
    """A row's left side and the shape its last column states."""

    left: str
    shape: Shape
    line: int


def shape_notes(math: str, first_line: int) -> list[Annotated]:
    """The shape annotations of a display's rows, each with the row's left side."""
    found: list[Annotated] = []
    line = first_line
    for row in ROW_END.split(ENVIRONMENT.sub(_blank, math)):
        match = ANNOTATION.search(row.rstrip())
        equals = EQUALS.search(row)
        if match is not None and equals is not None:
            left = row[: equals.start()].replace("&", " ").strip()
            found.append(Annotated(left, (match.group(1), match.group(2)), line))
        line += row.count("\n")
    return found


def blank_shape_notes(math: str) -> str:
    """``math`` with each row's shape annotation (or note in words) blanked, positions
    kept: a note on the equation, not a factor of its last side."""
    rows = ROW_END.split(math)
    ends = [m.group() for m in ROW_END.finditer(math)]
    out = []
    for n, row in enumerate(rows):
        closing = CLOSING.search(row)
        body, tail = (row[: closing.start()], row[closing.start() :]) if closing else (row, "")
        match = ANNOTATION.search(body.rstrip()) or WORDS_NOTE.search(body.rstrip())
        if match is not None:
            body = body[: match.start()] + _blank(match) + body[match.end() :]
        out.append(body + tail + (ends[n] if n < len(ends) else ""))
    return "".join(out)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group())


class Sizer:
    """The shapes forced on names, found by propagating known shapes to a fixpoint."""

    def __init__(self, key: Callable[[Node], str | None]) -> None:
        self.key = key
        self.shapes: dict[str, tuple[Shape, int]] = {}
        self.changed = False

    def annotate(self, annotated: Iterable[Annotated]) -> None:
        for note in annotated:
            try:
                tree = parse(tokens(note.left))
            except TexError:
                continue
            side = tree.children[0] if len(tree.children) == 1 else None
            target = _variable(side) if side is not None else None
            if target is not None:  # a gradient has the shape of its variable
                self.expect(target, note.shape, note.line)
            elif side is not None:
                self.expect(side, note.shape, note.line)

    def equations(self, chains: list[tuple[Tree[Token], int]]) -> None:
        """Each chain's sides share a shape: propagate until nothing more is forced."""
        self.changed = True
        rounds = 0
        while self.changed and rounds < 20:
            self.changed, rounds = False, rounds + 1
            for tree, line in chains:
                sides = [c for c in tree.children if not isinstance(c, Token)]
                known = next((s for s in map(self.shape, sides) if s is not None), None)
                if known is not None:
                    for side in sides:
                        self.expect(side, known, line)

    # what a node's shape is, if known

    def shape(self, node: Node) -> Shape | None:
        node = unwrapped(node)
        if isinstance(node, Token) or not isinstance(node, Tree):
            return None
        if node.data in {"add", "sub", "hadamard"}:
            found = [self.shape(node.children[0]), self.shape(node.children[2])]
            arrays = [s for s in found if s is not None and s != SCALAR]
            return arrays[0] if arrays else None
        if node.data == "neg":
            return self.shape(node.children[1])
        if node.data == "juxt":
            return self._product(node.children)
        if node.data == "scripted":
            return self._scripted(node)
        if node.data == "parens" and node.children:
            return self.shape(node.children[0])
        return None

    def _product(self, items: list[Node]) -> Shape | None:
        result: Shape | None = SCALAR
        for item in items:
            shape = self.shape(item)
            if shape is None or result is None:
                return None
            if result == SCALAR:
                result = shape
            elif shape != SCALAR:
                if result[1] != shape[0]:
                    return None
                result = (result[0], shape[1])
        return result

    def _scripted(self, node: Tree[Token]) -> Shape | None:
        primary = node.children[0]
        if isinstance(primary, Tree) and primary.data == "number":
            return SCALAR
        if isinstance(primary, Tree) and primary.data in {"parens", "group"}:
            inner = self.shape(primary)
            sub, sup, _ = split_scripts(node.children[1] if len(node.children) > 1 else None)
            if inner is None or sub is not None:
                return None
            return inner if sup is None else _transposed(inner, sup)
        named = self._named(node)
        if named is None:
            return None
        key, sup = named
        known = self.shapes.get(key)
        if known is None:
            return None
        return known[0] if sup is None else _transposed(known[0], sup)

    def _named(self, node: Tree[Token]) -> tuple[str, Node | None] | None:
        """The key of a name written alone, with a transpose if one is written."""
        key = self.key(node.children[0])
        if key is None:
            return None
        sub, sup, primes = split_scripts(node.children[1] if len(node.children) > 1 else None)
        if primes:
            return None
        if sub is not None or (sup is not None and _transpose(sup) is None):
            layer = labelled(key, sub, sup)
            if layer is None or layer.sub is not None:
                return None
            return layer.key, layer.sup
        return key, sup

    # what a node must be, pushed into the names it holds

    def expect(self, node: Node, shape: Shape, line: int) -> None:
        node = unwrapped(node)
        if not isinstance(node, Tree):
            return
        if node.data in {"add", "sub", "hadamard"}:
            for term in (node.children[0], node.children[2]):
                if self.shape(term) != SCALAR:
                    self.expect(term, shape, line)
        elif node.data == "neg":
            self.expect(node.children[1], shape, line)
        elif node.data == "juxt" and len(node.children) == 1:
            self.expect(node.children[0], shape, line)
        elif node.data == "juxt" and len(node.children) == 2:
            self._expect_product(node.children[0], node.children[1], shape, line)
        elif node.data == "scripted":
            self._expect_scripted(node, shape, line)

    def _expect_product(self, left: Node, right: Node, shape: Shape, line: int) -> None:
        known_left, known_right = self.shape(left), self.shape(right)
        if known_left is not None and known_right is None and known_left != SCALAR:
            if known_left != shape and known_left[0] == shape[0]:
                self.expect(right, (known_left[1], shape[1]), line)
        elif (
            known_right is not None
            and known_left is None
            and known_right not in {SCALAR, shape}
            and known_right[1] == shape[1]
        ):
            self.expect(left, (shape[0], known_right[0]), line)

    def _expect_scripted(self, node: Tree[Token], shape: Shape, line: int) -> None:
        primary = node.children[0]
        if isinstance(primary, Tree) and primary.data == "parens" and primary.children:
            sub, sup, _ = split_scripts(node.children[1] if len(node.children) > 1 else None)
            if sub is None and sup is None:
                self.expect(primary.children[0], shape, line)
            elif sub is None and sup is not None and _transpose(sup) is not None:
                self.expect(primary.children[0], (shape[1], shape[0]), line)
            return
        named = self._named(node)
        if named is None or shape == SCALAR:
            return
        key, sup = named
        if sup is not None and _transpose(sup) is None:
            return  # a power says nothing of the shape
        wanted = shape if sup is None else (shape[1], shape[0])
        if key not in self.shapes:
            self.shapes[key] = (wanted, line)
            self.changed = True


def _transpose(sup: Node) -> Node | None:
    """``sup`` when it is a transpose mark (``^\\top``, ``^T``), else None."""
    inner = unwrapped(sup.children[0], scripted=True) if isinstance(sup, Tree) else None
    if (
        isinstance(inner, Tree)
        and inner.data in {"sarg_command", "command", "sarg_letter", "letter"}
        and str(inner.children[0]) in TRANSPOSE_MARKS
    ):
        return sup
    return None


def _transposed(shape: Shape, sup: Node) -> Shape | None:
    return (shape[1], shape[0]) if _transpose(sup) is not None else None


def _variable(side: Node) -> Node | None:
    """The variable of ``\\frac{\\partial L}{\\partial W}`` written alone, else None."""
    node = unwrapped(side, scripted=True)
    if not (isinstance(node, Tree) and node.data == "frac"):
        return None
    denominator = unwrapped(node.children[2])
    if isinstance(denominator, Tree) and denominator.data == "juxt":
        items = denominator.children
        if len(items) == 2 and _is_partial(items[0]):
            return items[1]
    return None


def _is_partial(node: Node) -> bool:
    inner = unwrapped(node, scripted=True)
    return isinstance(inner, Tree) and inner.data == "partial"
