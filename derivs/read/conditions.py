"""A case written in words beside a link: its phrase, its relations, and whether it is one.

An author writes the case of a link beside it in words: ``\\text{if } i = j``,
``\\text{provided that } i \\neq j``, ``\\text{unless } i = j``,
``\\text{if } i \\neq j \\text{ and } j \\neq k``.  :func:`written_case` takes such
a part of a row apart, without reading any of it: the phrase that opens it,
with its sense (:data:`derivs.read.tree.CASE_PHRASES`: ``unless i = j`` says
the link holds where ``i = j`` does not), and the tokens of each relation,
with whether ``\\text{ or }`` joins them.  Whether such a case can be read is
the case reader's decision (:mod:`derivs.read.cases`).

Whatever its words, a part beside a link that is nothing but relations
between indices (``\\text{except possibly at } i = j``, ``\\text{ and } j \\neq k``)
states a condition of that link (:func:`states_condition`): it is never a claim
of its own, and never the author's justification, to be dropped.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from lark import Token

from derivs.read.brackets import token_depths
from derivs.read.tree import CASE_CONNECTIVES, CASE_PHRASES, CaseSense, text_content

QUANTIFIERS = frozenset({"\\forall"})
"""Marks before a case's relation (``\\forall j \\neq c``), as words are."""
INDEX_TERMS = frozenset({"LETTER", "NUMBER", "PLUS", "MINUS"})
"""What a relation between indices is made of, besides its sign (``i = j + 1``)."""
PUNCTUATION = frozenset({",", ".", ":", ";"})


@dataclass(frozen=True)
class WrittenCase:
    """A case as written: the phrase that opens it, its sense, and its relations' tokens.

    ``sense`` is None where the words are not known to state a case (a phrase
    not in the table, or words other than ``and``/``or`` between relations);
    with no words (``(i \\neq j)``, ``\\forall j \\neq c``) the relation holds.
    ``disjunction`` says that ``\\text{ or }`` joins two of the relations.
    """

    phrase: str
    sense: CaseSense | None
    relations: tuple[tuple[Token, ...], ...]
    disjunction: bool = False


def words_of(token: Token) -> str:
    """The words of a ``\\text``, lowercased, spaced once, without punctuation at the ends."""
    return " ".join(text_content(token).lower().split()).strip(" ,;:")


def opens_case(token: Token) -> bool:
    """A ``\\text`` whose words open with a phrase that states a case (``if``, ``given that``)."""
    if token.type != "TEXT":
        return False
    words = words_of(token).split()
    return any(words[: len(phrase.split())] == phrase.split() for phrase in CASE_PHRASES)


def written_case(found: Sequence[Token]) -> WrittenCase:
    """``found`` (words, then relations joined by ``and``/``or``) taken apart, nothing read."""
    depths = token_depths(list(found))
    start = 0
    while start < len(found) and found[start].type == "TEXT":
        start += 1
    phrase = " ".join(w for w in (words_of(t) for t in found[:start]) if w)
    groups: list[list[Token]] = [[]]
    known, disjunction = True, False
    for n in range(start, len(found)):
        token = found[n]
        if token.type == "TEXT" and depths[n] == 0:
            joining = words_of(token)
            known = known and joining in CASE_CONNECTIVES
            disjunction = disjunction or joining == "or"
            groups.append([])
            continue
        groups[-1].append(token)
    sense = (CASE_PHRASES.get(phrase) if phrase else CaseSense.HOLDS) if known else None
    return WrittenCase(phrase, sense, tuple(relation_tokens(g) for g in groups if g), disjunction)


def relation_tokens(group: Sequence[Token]) -> tuple[Token, ...]:
    """A relation's tokens without a quantifier or punctuation around them."""
    kept = list(group)
    while kept and (kept[0].value in QUANTIFIERS or kept[0].value == ","):
        kept.pop(0)
    while kept and kept[-1].value in PUNCTUATION:
        kept.pop()
    return tuple(kept)


def states_condition(found: Sequence[Token], names: Collection[str]) -> bool:
    """Whether ``found`` is nothing but relations between ``names`` (indices), after any words."""
    relations = written_case(found).relations
    return bool(relations) and all(_between(r, names) for r in relations)


def _between(relation: Sequence[Token], names: Collection[str]) -> bool:
    signs = [n for n, t in enumerate(relation) if t.type == "REL"]
    if len(signs) != 1 or signs[0] in (0, len(relation) - 1):
        return False
    letters = [t for t in relation if t.type == "LETTER"]
    return (
        bool(letters)
        and all(t.type == "REL" or t.type in INDEX_TERMS for t in relation)
        and all(t.value in names for t in letters)
    )
