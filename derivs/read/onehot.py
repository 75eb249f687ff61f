"""One-hot facts as a document states them: ``y_c = 1`` and ``y_j = 0 \\quad \\forall j \\neq c``.

A target is one-hot when the document says so in its mathematics: one entry
is 1 (``y_c = 1``, a stated hypothesis) and every other entry is 0
(``y_j = 0`` under the condition ``j \\neq c``, however the condition is
introduced: ``\\forall``, ``\\text{for}``, a comma, brackets).  Only both
facts together make the vector one-hot at ``c``; either alone, or a sum of
the entries stated as 1, stays the hypothesis it is, and the vector stays
open.  Words (``y is one-hot``) state nothing here.

:func:`zero_elsewhere` reads the second fact from one statement of a chain,
cut from its condition as the reader cuts it (:mod:`derivs.read.separators`).
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token, Tree

from derivs.read.separators import statements
from derivs.read.tex import TexError, parse, tokens

#: The ways of writing "is not": the condition's sign.
DIFFERENT = frozenset({"\\neq", "\\ne"})
#: Tokens that introduce or wrap a condition, set aside before it is read.
AROUND = frozenset({"COMMA", "CMD", "TEXT", "LPAR", "RPAR"})


@dataclass(frozen=True)
class ZeroElsewhere:
    """``y_j = 0`` for ``j \\neq c``: the statement (parsed, its left side an entry written
    with the one index), that index and the other one."""

    statement: Tree[Token]
    index: str
    other: str


def zero_elsewhere(text: str) -> ZeroElsewhere | None:
    """The fact ``text`` states, if it is an entry set to 0 for each index but one."""
    try:
        found = tokens(text)
    except TexError:
        return None

    def gap(before: Token, after: Token) -> str:
        return text[before.end_pos or 0 : after.start_pos or 0]

    try:
        made = statements(found, gap, lambda part: False)
    except TexError:
        return None
    if len(made) != 1 or not made[0].condition or made[0].problem:
        return None
    (statement,) = made
    condition = [t for t in statement.condition if t.type not in AROUND]
    if [t.type for t in condition] != ["LETTER", "REL", "LETTER"]:
        return None
    if condition[1].value not in DIFFERENT:
        return None
    written = list(statement.found)
    while written and written[-1].type == "COMMA":  # y_j = 0, \quad ...: the comma separates
        written.pop()
    head = [t.value for t in written if t.value not in {"{", "}"}]
    if len(head) < 5 or head[-4] != "_" or head[-2:] != ["=", "0"]:
        return None
    index = head[-3]
    letters = {condition[0].value, condition[2].value}
    if index not in letters or len(letters) != 2:
        return None
    (other,) = letters - {index}
    try:
        tree = parse(written)
    except TexError:
        return None
    return ZeroElsewhere(tree, index, other)
