"""The words of prose the reader knows: what they tell it about the mathematics beside them.

Words around a formula are never evaluated; a few are recognised by what they
do.  *Connectors* (``so``, ``hence``) carry a case on to the next display;
*introducers* (``when``, ``if``, ``in the case``) make the relation after
them a case; *doubt words* (``not``, ``except``, ``would``) deny or question
what a sentence says, so that it states no case; *leading words* (``Hence``,
``where``, ``so we get``) open a row of mathematics without making it prose.
"""

from __future__ import annotations

import re

from derivs.read.tree import CASE_WORDS

CONNECTORS = ("so", "then", "thus", "hence", "therefore")

INTRODUCERS = CASE_WORDS | {"case", "cases", "assuming", "assume", "suppose", "given", "let"}
"""Words after which a relation is a case: ``when $i = j$``, ``in the case $i \\neq j$``."""

#: A word: letters only.
WORDS = re.compile(r"[^\W\d_]+")

#: Words that negate, exclude or doubt what a sentence says ("not when $i = j$",
#: "except for $i = j$", "if $i = j$ were true", "in general"): a sentence with one
#: states no case for the display, and a connector with one carries none.
DOUBT_WORDS = frozenset(
    {
        "not", "no", "never", "without", "except", "excluding", "excluded", "exclude",
        "unless", "other", "fails", "fail", "false", "were", "would", "general",
        "generally", "nor", "neither", "doesn", "isn", "don", "aren", "instead", "rather",
        "beyond", "besides", "apart", "only", "just", "either",
    }
)  # fmt: skip

#: Words that lead a row into its mathematics ("Hence", "where", "so we get"): they
#: are the row's justification, and the mathematics after them is checked.
LEADING_WORDS = frozenset(
    {
        *CONNECTORS, "where", "since", "because", "and", "now", "note", "that", "we",
        "get", "have", "obtain", "which", "gives", "yields", "finally", "i", "e",
    }
)  # fmt: skip


def doubt(text: str) -> str | None:
    """The first word of ``text`` that negates or doubts what it says, if any."""
    return next((w for w in WORDS.findall(text.lower()) if w in DOUBT_WORDS), None)
