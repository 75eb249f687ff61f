"""Typography around the mathematics: marks that show the reader something, and say no value.

Authors box a result (``\\boxed{..}``), strike out what cancels
(``\\cancel{..}``), colour a term (``{\\color{red} x}``, ``\\textcolor{red}{x}``)
and mark an evaluation with a bar (``\\left. \\frac{d\\sigma}{dx} \\right|_{x=0}``).
The first three change how the mathematics looks, never what it says: their
commands (and a colour's name) are blanked and their body is read as
written (:func:`plain`).  A box keeps its braces as a group unless it holds a
whole equation (``\\boxed{a = b}``), whose relation is the chain's.  A space
of a given width (``\\hspace{2em}``) is the wide space ``\\quad`` it stands
for, written in its place.  An evaluation bar is a substitution:
``\\left. E \\right|_{x=0}`` says what ``(E)_{x=0}`` says, and is read as
that, each delimiter replaced in place by a bracket of the same width
(:func:`evaluation_bars`); a bar with limits (``\\right|_{0}^{1}``) or with no
substitution under it is left as written, for the reader to report.  A bar
with no ``\\left.`` (``\\frac{d\\sigma}{dx} \\Big|_{x=0}``) evaluates the operand
before it when that operand is a single term (:func:`bars_after_terms`); after
a sum it is left for the reader to report, since whether it covers the whole
sum or its last term is not written.  Like all
blanking, nothing is deleted: every character keeps its line and column.
"""

from __future__ import annotations

import re

from lark import Token

from derivs.read.brackets import matching_brace, text_depths, token_depths

STRUCK = ("\\cancel", "\\bcancel", "\\xcancel")
"""Strike-outs: the body stays, in its braces."""
BOX = "\\boxed"
COLOURS = ("\\color", "\\textcolor")
"""Colour commands: the command and the colour's name go, the body stays."""
EQUATION_INSIDE = re.compile(r"=|\\neq?(?![a-zA-Z])|\\[lg]eq?(?![a-zA-Z])|<|>")
EXPLICIT_SPACE = re.compile(r"\\[hm]space\*?\s*\{[^{}]*\}")
"""A space of a given width (``\\hspace{1em}``): read as the wide space ``\\quad`` it is."""
WIDE_SPACE = "\\quad"
EVALUATION_OPEN = re.compile(r"\\left\s*\.")
EVALUATION_BAR = re.compile(r"\\right\s*\|\s*_")


def plain(math: str) -> str:
    """``math`` with boxes, strike-outs and colours blanked, and evaluation bars read."""
    out = list(math)
    for command in (*STRUCK, BOX, *COLOURS):
        for found in re.finditer(re.escape(command) + r"(?![a-zA-Z])\s*", math):
            start, brace = found.start(), found.end()
            _blank(out, start, brace)
            if brace >= len(math) or math[brace] != "{":
                continue
            close = matching_brace(math, brace)
            if command in COLOURS:
                _blank(out, brace, close + 1)  # the colour's name
            elif command == BOX and _holds_equation(math[brace + 1 : close]):
                _blank(out, brace, brace + 1)
                _blank(out, close, close + 1)
    for space in EXPLICIT_SPACE.finditer(math):
        _blank(out, space.start(), space.end())
        out[space.start() : space.start() + len(WIDE_SPACE)] = list(WIDE_SPACE)
    return evaluation_bars("".join(out))


def _holds_equation(body: str) -> bool:
    depths = text_depths(body)
    return any(depths[m.start()] == 0 for m in EQUATION_INSIDE.finditer(body))


def evaluation_bars(math: str) -> str:
    """``\\left. E \\right|_{x=a}`` as ``(E)_{x=a}``, each delimiter replaced in place."""
    out = list(math)
    for bar in EVALUATION_BAR.finditer(math):
        opening = _opening(math, bar.start())
        script = bar.end()
        if opening is None or _has_upper_limit(math, script):
            continue
        _replace(out, opening.start(), opening.end(), "(")
        _replace(out, bar.start(), bar.end() - 1, ")")
    return "".join(out)


def _opening(math: str, bar: int) -> re.Match[str] | None:
    """The ``\\left.`` that a ``\\right|`` at ``bar`` closes (by ``\\left``/``\\right`` nesting)."""
    depth = 0
    for found in reversed(list(re.finditer(r"\\(left|right)(?![a-zA-Z])", math[:bar]))):
        if found.group(1) == "right":
            depth += 1
        elif depth:
            depth -= 1
        else:
            opened = EVALUATION_OPEN.match(math, found.start())
            return opened
    return None


def _has_upper_limit(math: str, script: int) -> bool:
    """Whether the bar's subscript (at ``script``) has a superscript after it: limits."""
    rest = math[script:].lstrip()
    if rest.startswith("{"):
        close = matching_brace(math, math.index("{", script))
        rest = math[close + 1 :]
    else:
        rest = rest[1:]
    return rest.lstrip().startswith("^")


def _blank(out: list[str], start: int, end: int) -> None:
    for n in range(start, end):
        if out[n] != "\n":
            out[n] = " "


def _replace(out: list[str], start: int, end: int, bracket: str) -> None:
    _blank(out, start, end)
    out[start] = bracket


BAR = "|"
TERM_SIGNS = frozenset({"PLUS", "MINUS"})


def bars_after_terms(found: list[Token]) -> list[Token]:
    """``t \\Big|_{x=a}`` as ``(t)_{x=a}`` for a single term ``t`` after a sign or the start.

    The bar is a token the lexer did not know (``UNREAD``); it must be
    followed by a subscript.  The term runs back to the last relation sign
    outside brackets; a sum there (``a + b \\Big|_{x=0}``) is left as written.
    """
    depths = token_depths(found)
    out = list(found)
    for n in reversed(range(1, len(found) - 1)):
        bar = found[n]
        if not (bar.type == "UNREAD" and bar.value == BAR and depths[n] == 0):
            continue
        if found[n + 1].type != "UNDERSCORE":
            continue
        start = max(
            (m + 1 for m in range(n) if found[m].type == "REL" and depths[m] == 0), default=0
        )
        term = found[start:n]
        inner = [t for m, t in enumerate(term) if depths[start + m] == 0]
        if (
            not term
            or any(t.type in TERM_SIGNS for t in inner[1:])
            or any(t.value == BAR for t in term)
        ):
            continue
        out[n] = Token.new_borrow_pos("RPAR", ")", bar)
        out.insert(start, Token.new_borrow_pos("LPAR", "(", found[start]))
    return out
