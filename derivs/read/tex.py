"""Reading LaTeX math into a parse tree, with bounded cost and exact positions.

The grammar (``tex_grammar.lark``) is LALR(1), so parsing is linear in the
length of the text.  Three guards bound the work before the parser runs:
a display longer than :data:`MAX_CHARACTERS`, more than :data:`MAX_TOKENS`
tokens, or brackets nested deeper than :data:`MAX_DEPTH` is refused, because
a document is text from anywhere and the tree is later walked recursively.
What the bounds admit is read: a tree is at most as deep as its math is long
(``x + x + ... + x`` nests once per term), so reading runs with room for that
on the stack (:func:`room_to_read`).

Mathematics typed in Unicode (``σ``, ``·``, ``≠``, ``x²``) is lexed as the
LaTeX it stands for (:mod:`derivs.read.typed`), at the positions typed.
The tree is returned with the marks over subscripted names lifted
(:mod:`derivs.read.accents`: ``\\hat{y_i}`` is ``\\hat{y}_i``).

Nothing here evaluates text: a token is a string with a position, and a tree
is data.  Every error is a :class:`TexError` that names the line, the column
and the token, counted in the document the text came from.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from derivs.errors import InputError
from derivs.read.accents import lift_subscripts
from derivs.read.brackets import closes, kind, opens, pair, paired_bars
from derivs.read.typed import retyped, why_not

MAX_CHARACTERS = 20_000
MAX_TOKENS = 4_000
MAX_DEPTH = 40

#: Python frames that reading may take per token of a display: the parse tree
#: nests at most once per token, and translating one level takes a few calls.
FRAMES_PER_TOKEN = 6


@contextlib.contextmanager
def room_to_read() -> Iterator[None]:
    """Room on the Python stack for the deepest tree :data:`MAX_TOKENS` admits.

    CPython's frames for Python calls live off the C stack, so the limit is
    raised, for the reading only, by as much as a tree of ``MAX_TOKENS`` needs.
    """
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(previous + FRAMES_PER_TOKEN * MAX_TOKENS)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


class TexError(InputError):
    """LaTeX that cannot be read: where, and what is wrong (fields of :class:`InputError`)."""

    kind = "latex"


@dataclass(frozen=True)
class Origin:
    """Where a piece of math starts in its document (1-based line and column)."""

    line: int = 1
    column: int = 1


@cache
def _parser() -> Lark:
    grammar = (
        resources.files("derivs.read").joinpath("tex_grammar.lark").read_text(encoding="utf-8")
    )
    return Lark(
        grammar,
        start="chain",
        parser="lalr",
        lexer="basic",
        propagate_positions=True,
        maybe_placeholders=False,
    )


def shift(text: str, origin: Origin) -> str:
    """``text`` padded so that Lark's line and column are the document's."""
    return "\n" * (origin.line - 1) + " " * (origin.column - 1) + text


def tokens(text: str, origin: Origin = Origin()) -> list[Token]:
    """The tokens of ``text``, positioned in its document, or a :class:`TexError`."""
    if len(text) > MAX_CHARACTERS:
        raise TexError(
            f"math of {len(text)} characters is longer than {MAX_CHARACTERS}",
            origin.line,
            origin.column,
        )
    try:
        found = paired_bars(retyped(_parser().lex(shift(text, origin)), _parser().lex, _refuse))
    except UnexpectedCharacters as error:
        raise TexError(
            f"unexpected character {text_at(error)!r}", error.line, error.column
        ) from None
    if len(found) > MAX_TOKENS:
        raise TexError(
            f"math of {len(found)} tokens is longer than {MAX_TOKENS}", *position(found[0])
        )
    _check_nesting(found)
    return found


def _refuse(token: Token) -> None:
    raise TexError(why_not(str(token.value)), *position(token))


def text_at(error: UnexpectedCharacters) -> str:
    return error.char if isinstance(error.char, str) else "?"


def position(token: Token) -> tuple[int, int]:
    return (token.line or 0, token.column or 0)


def _check_nesting(found: list[Token]) -> None:
    """Brackets must balance and nest at most :data:`MAX_DEPTH` deep."""
    stack: list[Token] = []
    for token in found:
        if opens(token):
            stack.append(token)
            if len(stack) > MAX_DEPTH:
                raise TexError(f"brackets nested deeper than {MAX_DEPTH}", *position(token))
        elif closes(token):
            if not stack:
                raise TexError(f"{token.value!r} closes nothing", *position(token))
            opener = stack.pop()
            if pair(opener) != kind(token):
                raise TexError(
                    f"{token.value!r} closes {opener.value!r} of line {opener.line}, "
                    f"column {opener.column}",
                    *position(token),
                )
    if stack:
        opener = stack[-1]
        raise TexError(f"{opener.value!r} is never closed", *position(opener))


def parse(found: list[Token]) -> Tree[Token]:
    """Parse a token list (from :func:`tokens`) into a ``chain`` tree."""
    if not found:
        raise TexError("empty math")
    interactive = _parser().parse_interactive("")
    try:
        for token in found:
            interactive.feed_token(token)
        tree = interactive.feed_eof(found[-1])
    except UnexpectedToken as error:
        token = error.token
        what = "end of the math" if token.type == "$END" else repr(token.value)
        raise TexError(f"unexpected {what}", *position(token)) from None
    except (UnexpectedInput, LarkError) as error:
        raise TexError(f"cannot read the math: {error}") from None
    lifted = lift_subscripts(tree)
    assert isinstance(lifted, Tree)
    return lifted
