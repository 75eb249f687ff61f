"""One unread construct costs one link: a chain parsed operand by operand.

A chain ``a = b = c`` is parsed whole.  When it does not parse, the fault
lies in one of its operands (an unknown command, a stray character), and
the links that do not touch that operand are still the author's claims: the
chain is cut at its relation signs outside brackets and each operand parsed
on its own (:func:`parse_by_operand`).  An operand that does not parse
becomes an :data:`UNPARSED` node holding its tokens, so that the links on
either side of it report its error (:func:`unparsed_error`) and every other
link is checked.
"""

from __future__ import annotations

from lark import Token, Tree
from lark.tree import Meta

from derivs.read.brackets import token_depths
from derivs.read.tex import TexError, parse

UNPARSED = "unparsed"
"""The rule name of an operand that does not parse: its children are its tokens."""


def parse_by_operand(found: list[Token]) -> Tree[Token] | None:
    """A ``chain`` tree of ``found`` read operand by operand, or None for a single operand.

    Each operand that parses is its own tree; one that does not is an
    :data:`UNPARSED` node (:func:`unparsed_error` gives its error).
    """
    depths = token_depths(found)
    cuts = [n for n, t in enumerate(found) if t.type == "REL" and depths[n] == 0]
    if not cuts:
        return None
    children: list[Tree[Token] | Token] = []
    start = 0
    for cut in [*cuts, len(found)]:
        operand = found[start:cut]
        children.append(_operand(operand, found[cut] if cut < len(found) else found[-1]))
        if cut < len(found):
            children.append(found[cut])
        start = cut + 1
    return Tree("chain", children)


def _operand(operand: list[Token], next_token: Token) -> Tree[Token]:
    if not operand:
        return _unparsed([next_token])
    try:
        tree = parse(operand)
    except TexError:
        return _unparsed(operand)
    (inner,) = tree.children  # the chain rule around a lone operand
    return inner if isinstance(inner, Tree) else Tree("juxt", [inner], tree.meta)


def _unparsed(operand: list[Token]) -> Tree[Token]:
    meta = Meta()
    first, last = operand[0], operand[-1]
    meta.empty = False
    meta.line, meta.column = first.line or 0, first.column or 0
    meta.start_pos, meta.end_pos = first.start_pos or 0, last.end_pos or 0
    meta.end_line, meta.end_column = last.end_line or 0, last.end_column or 0
    return Tree(UNPARSED, list(operand), meta)


def unparsed_error(node: Tree[Token] | Token) -> TexError | None:
    """Why an operand did not parse (None for one that did)."""
    if not (isinstance(node, Tree) and node.data == UNPARSED):
        return None
    operand = [t for t in node.children if isinstance(t, Token)]
    if len(operand) == 1 and operand[0].type == "REL":
        return TexError("a relation sign with nothing on one side", *_where(operand[0]))
    try:
        parse(operand)
    except TexError as error:
        return error
    return TexError("this operand does not parse within its chain", *_where(operand[0]))


def _where(token: Token) -> tuple[int, int]:
    return (token.line or 0, token.column or 0)
