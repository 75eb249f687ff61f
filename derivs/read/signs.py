"""The relation signs of LaTeX: which claim a relation derivs checks, and which do not.

Each LaTeX spelling of a checked sign names one :class:`derivs.model.Relation`
(``\\leq`` and ``\\le`` are ``<=``; ``\\equiv``, "identically equal", claims
the equality just as ``=`` does).  The other signs a chain may be written with
(``\\approx``, ``\\propto``, ``\\in``, the arrows) claim nothing derivs checks:
a link written with one is skipped with the reason given here.  The grammar's
``REL`` token (``tex_grammar.lark``) lexes exactly these spellings.  How a
relation is printed (``≤``, ``\\leq``) and which SymPy relation it is belong
to the relation itself (:class:`derivs.model.Relation`).
"""

from __future__ import annotations

from derivs.model import Relation

#: Each LaTeX spelling (spaces removed) of a checked relation.
CHECKED: dict[str, Relation] = {
    "=": Relation.EQUAL,
    "\\neq": Relation.NOT_EQUAL,
    "\\ne": Relation.NOT_EQUAL,
    "\\not=": Relation.NOT_EQUAL,
    "\\le": Relation.LESS_EQUAL,
    "\\leq": Relation.LESS_EQUAL,
    "\\ge": Relation.GREATER_EQUAL,
    "\\geq": Relation.GREATER_EQUAL,
    "<": Relation.LESS,
    ">": Relation.GREATER,
    # "identically equal": the two sides are claimed equal everywhere, as with "=".
    "\\equiv": Relation.EQUAL,
}

#: Signs a chain may be written with that claim nothing derivs checks, and why: a
#: link written with one is skipped with that reason (and counted as skipped).
UNCHECKED: dict[str, str] = {
    "\\approx": "an approximation (\\approx) is not checked",
    "\\propto": "a proportionality (\\propto) is not checked",
    "\\in": "a membership (\\in) is not checked",
    "\\to": "an arrow (\\to) is not a relation derivs checks",
    "\\mapsto": "a map (\\mapsto) is not a relation derivs checks",
}

#: What a row may start with to continue the chain above it: a relation sign, or a
#: sign with its justification stacked over it.  Matched as prefixes of the row.
CONTINUES = (
    *("=", "\\neq", "\\ne ", "\\approx", "\\le", "\\ge", "<", ">", "\\equiv", "\\propto"),
    *("\\overset", "\\stackrel", "\\underset"),
)

_BY_VALUE = {relation.value: relation for relation in Relation}


def normalise(sign: str) -> str:
    """A sign as written, spaces removed: the relation's value when it is checked."""
    compact = sign.replace(" ", "")
    relation = CHECKED.get(compact)
    return compact if relation is None else relation.value


def checked(sign: str) -> Relation | None:
    """The relation a sign (written, or as :func:`normalise` gives it) claims, if it is checked."""
    compact = sign.replace(" ", "")
    return CHECKED.get(compact) or _BY_VALUE.get(compact)


def skip_reason(sign: str) -> str:
    """Why a link written with an unchecked sign is skipped."""
    return UNCHECKED.get(sign.replace(" ", ""), f"the relation {sign} is not checked")
