"""One unread construct costs one link: a chain parsed operand by operand.

A chain ``a = b = c`` is parsed whole.  When it does not parse, the fault
lies in one of its operands (an unknown command, a stray character), and
the links that do not touch that operand are still the author's claims: the
chain is cut at its relation signs outside brackets and each operand parsed
on its own (:func:`parse_by_operand`).  An operand that does not parse
becomes an :data:`UNPARSED` node holding its tokens, so that the links on
either side of it report its error (:func:`unparsed_error`) and every other
link is checked.

A character the lexer does not know (a ``.`` used as a product, a typed
``⋅``) is an operand's fault too: :func:`tokens_past_characters` lexes past it,
leaving an :data:`UNREAD` token in its place for the parser to stop at.
"""

from __future__ import annotations

from lark import Token, Tree
from lark.tree import Meta

from derivs.read.brackets import token_depths
from derivs.read.tex import Origin, TexError, parse, tokens

UNREAD = "UNREAD"
"""The type of a token for a character the lexer does not know."""
MAX_UNREAD_CHARACTERS = 20
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
    unread = next((t for t in operand if t.type == UNREAD), None)
    if unread is not None:
        return TexError(f"unexpected character {unread.value!r}", *_where(unread))
    if len(operand) == 1 and operand[0].type == "REL":
        return TexError("a relation sign with nothing on one side", *_where(operand[0]))
    try:
        parse(operand)
    except TexError as error:
        return error
    return TexError("this operand does not parse within its chain", *_where(operand[0]))


def _where(token: Token) -> tuple[int, int]:
    return (token.line or 0, token.column or 0)


def tokens_past_characters(text: str, origin: Origin) -> list[Token]:
    """The tokens of ``text``, with an :data:`UNREAD` token for each character the lexer refuses.

    Any other fault of the text (brackets that do not balance, a text too
    long) is raised as before, as is a text with more than
    :data:`MAX_UNREAD_CHARACTERS` unknown characters.
    """
    chars = list(text)
    unread: list[Token] = []
    shift = (origin.line - 1) + (origin.column - 1)
    for _ in range(MAX_UNREAD_CHARACTERS):
        try:
            found = tokens("".join(chars), origin)
        except TexError as error:
            offset = _offset_of(text, origin, error.line, error.column)
            if not error.reason.startswith("unexpected character") or offset is None:
                raise
            unread.append(
                Token(
                    UNREAD,
                    text[offset],
                    start_pos=shift + offset,
                    line=error.line,
                    column=error.column,
                    end_line=error.line,
                    end_column=error.column + 1,
                    end_pos=shift + offset + 1,
                )
            )
            chars[offset] = " "
            continue
        return sorted([*found, *unread], key=lambda t: t.start_pos or 0)
    return tokens(text, origin)


def _offset_of(text: str, origin: Origin, line: int, column: int) -> int | None:
    """The offset in ``text`` of a document position, for a text that starts at ``origin``."""
    if line < origin.line:
        return None
    start = 0
    for _ in range(line - origin.line):
        start = text.find("\n", start) + 1
        if start == 0:
            return None
    offset = start + column - (origin.column if line == origin.line else 1)
    return offset if 0 <= offset < len(text) and text[offset] != "\n" else None
