"""The relation signs of LaTeX: which claim a relation derivs checks, and which do not.

Each LaTeX spelling of a checked sign names one :class:`derivs.model.Relation`
(``\\leq`` and ``\\le`` are ``<=``; ``\\equiv``, "identically equal", claims
the equality just as ``=`` does).  A definition sign (``:=``, ``\\coloneqq``,
``\\triangleq``, or ``=`` with ``def`` stacked over it) defines its left side:
its link is checked only when the notation defines that side, against that
definition, and is otherwise recorded as a definition, not checked
(:func:`defining`).  The other signs a chain may be written with
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
    # a definition gives its left side a formula: checked only against a declared one
    ":=": Relation.EQUAL,
    "\\coloneqq": Relation.EQUAL,
    "\\triangleq": Relation.EQUAL,
}

#: Signs that define their left side rather than claim it (see :func:`defining`).
DEFINING = frozenset({":=", "\\coloneqq", "\\triangleq"})

#: Labels stacked over ``=`` that make it a definition sign: ``\\stackrel{\\text{def}}{=}``.
DEFINING_LABELS = frozenset({"def", "def.", "\\triangle", "\\Delta", "\\vartriangle"})

#: Signs a chain may be written with that claim nothing derivs checks, and why: a
#: link written with one is skipped with that reason (and counted as skipped).
UNCHECKED: dict[str, str] = {
    "\\approx": "an approximation (\\approx) is not checked",
    "\\propto": "a proportionality (\\propto) is not checked",
    "\\in": "a membership (\\in) is not checked",
    "\\to": "an arrow (\\to) is not a relation derivs checks",
    "\\rightarrow": "an arrow (\\rightarrow) is not a relation derivs checks",
    "\\sim": "a distribution (\\sim) is not checked",
    "\\gets": "an assignment (\\gets) is not checked",
    "\\leftarrow": "an assignment (\\leftarrow) is not checked",
    "\\mapsto": "a map (\\mapsto) is not a relation derivs checks",
}

#: What a row may start with to continue the chain above it: a relation sign, or a
#: sign with its justification stacked over it.  Matched as prefixes of the row.
CONTINUES = (
    *("=", "\\neq", "\\ne ", "\\approx", "\\le", "\\ge", "<", ">", "\\equiv", "\\propto"),
    *("\\overset", "\\stackrel", "\\underset"),
)

_BY_VALUE = {relation.value: relation for relation in Relation}


def defining(sign: str, labels: list[str]) -> str | None:
    """The definition sign of a link, as written, if it is one: ``:=``, or ``=`` under ``def``.

    ``labels`` are the words stacked over the link's sign or said beside it;
    a stacked label's markup (``\\text{def}``, ``\\mathrm{def}``) is read through.
    """
    compact = sign.replace(" ", "")
    if compact in DEFINING:
        return compact
    for label in labels:
        words = label.replace(" ", "")
        for markup in ("\\text{", "\\mathrm{", "\\textrm{", "\\scriptscriptstyle"):
            words = words.replace(markup, "")
        if words.rstrip("}") in DEFINING_LABELS:
            return f"{compact} under {label.strip()}"
    return None


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
