"""Brackets: how deep each piece of a display is, and which bracket closes which.

Two views of one idea.  In *text* (a display before it is tokenised) braces
and ``\\begin``/``\\end`` nest, and an escaped ``\\{``, ``\\}`` or a ``\\\\``
line break is no bracket (:func:`text_depths`, :func:`matching_brace`).  In
*tokens* (a row after the lexer) the brackets are ``{ ( [`` and their
closers, braces of a command's argument, the ``\\begin``/``\\end`` of a
matrix or a ``cases`` block, and the bars of a norm once paired
(:func:`paired_bars`) (:func:`opens`, :func:`closes`, :func:`pair`).
The lexer's check (:func:`derivs.read.tex.tokens`) makes every token row
balanced and well nested before anything else here looks at it.
"""

from __future__ import annotations

from collections.abc import Iterable

from lark import Token

#: Opening brackets by value, each with the value that closes it.
PAIRS = {"{": "}", "(": ")", "[": "]"}
#: Opening token types, each with the type that closes it.
TYPE_PAIRS = {
    "LBRACE": "RBRACE",
    "BEGIN_MATRIX": "END_MATRIX",
    "BEGIN_CASES": "END_CASES",
    "LNORM": "RNORM",
}
#: A bar that opens or closes a norm (``\\|``, ``\\Vert``), as the lexer reads it.
BAR = "NORM"


def opens(token: Token) -> bool:
    return token.value in PAIRS or token.type in TYPE_PAIRS


def closes(token: Token) -> bool:
    return token.value in PAIRS.values() or token.type in TYPE_PAIRS.values()


def pair(opener: Token) -> str:
    """What closes ``opener``: a token type for typed brackets, else a value."""
    return TYPE_PAIRS.get(opener.type) or PAIRS[opener.value]


def kind(closer: Token) -> str:
    """What ``closer`` closes, in the terms of :func:`pair`."""
    return closer.type if closer.type in TYPE_PAIRS.values() else closer.value


def paired_bars(found: Iterable[Token]) -> list[Token]:
    """``found`` with each norm bar ``\\|`` typed as the bracket it is, opening or closing.

    A bar closes the norm the innermost open bracket opened, and otherwise opens one.
    """
    out: list[Token] = []
    stack: list[str] = []
    for token in found:
        if token.type == BAR:
            kind = "RNORM" if stack and stack[-1] == "LNORM" else "LNORM"
            token = Token.new_borrow_pos(kind, token.value, token)
        if opens(token):
            stack.append(token.type)
        elif closes(token) and stack:
            stack.pop()
        out.append(token)
    return out


def token_depths(row: list[Token]) -> list[int]:
    """How deep in brackets each token of a row is (its own brackets at the outer depth)."""
    depths: list[int] = []
    depth = 0
    for token in row:
        if closes(token):
            depth -= 1
        depths.append(depth)
        if opens(token):
            depth += 1
    return depths


def closing(row: list[Token], opening: int) -> int | None:
    """The index of the bracket that closes the one at ``opening`` (None if it opens none)."""
    if not opens(row[opening]):
        return None
    depth = 0
    for n in range(opening, len(row)):
        depth += opens(row[n]) - closes(row[n])
        if depth == 0:
            return n
    return None


def opening(row: list[Token]) -> int | None:
    """The index of the bracket that the last token of ``row`` closes."""
    depth = 0
    for n in range(len(row) - 1, -1, -1):
        depth += closes(row[n]) - opens(row[n])
        if depth == 0:
            return n
    return None


def text_depths(math: str) -> list[int]:
    """The nesting depth (braces and environments) at each character of a display.

    ``\\\\``, ``\\{`` and ``\\}`` are read as pairs, so the ``\\end`` of
    ``x\\\\end`` is not taken for an ``\\end``.
    """
    depths: list[int] = []
    depth = 0
    n = 0
    while n < len(math):
        if math.startswith(("\\\\", "\\{", "\\}"), n):
            depths += [depth, depth]
            n += 2
            continue
        if math.startswith("\\begin", n) or math[n] == "{":
            depth += 1
        elif math.startswith("\\end", n) or math[n] == "}":
            depth -= 1
        depths.append(depth)
        n += 1
    return depths


def matching_brace(text: str, opening: int) -> int:
    """The index of the ``}`` that closes the ``{`` at ``opening`` (the last index if none)."""
    depth = 0
    for n in range(opening, len(text)):
        if text[n] == "{" and text[n - 1] != "\\":
            depth += 1
        elif text[n] == "}" and text[n - 1] != "\\":
            depth -= 1
            if depth == 0:
                return n
    return len(text) - 1
