"""Letters written together that spell a word: ``log``, ``ln``, ``exp``, a declared name.

The grammar reads ``ln x`` as the letters ``l`` and ``n``; this module merges
them back into the word they spell, except a letter bound by a sum around.
The conventional names written in plain letters (``softmax(z)``,
``sigmoid(x)``, ``relu(x)``: :data:`PLAIN_CONVENTIONS`) are words too, so that
inference sees one name where the grammar sees seven letters.
"""

from __future__ import annotations

from collections.abc import Callable

from lark import Token, Tree
from sympy import (
    Symbol,
)

from derivs.read.tree import FUNCTION_WORDS, Node, where
from derivs.read.vocabulary import Vocabulary

#: Conventional names merged from plain letters; ``lse`` is left out, as ``L S E`` may be a product.
PLAIN_CONVENTIONS = frozenset({"sigmoid", "softmax", "relu", "softplus", "logsumexp"})


def is_plain_convention(word: str) -> bool:
    return word.lower() in PLAIN_CONVENTIONS


def merge_words(
    items: list[Node], vocabulary: Vocabulary, bound: list[dict[str, Symbol]]
) -> list[Node]:
    """Letters written together that spell ``log``, ``ln``, ``exp`` or a declared name.

    A letter that is an index bound in ``bound`` (the scopes of the sums
    around) stands for itself: ``\\sum_{l=1}^{n} l n`` is ``l`` times ``n``.
    """
    in_scope = {key for scope in bound for key in scope}
    return merge_spelled(
        items, lambda word: vocabulary.lookup(word) is not None, frozenset(in_scope)
    )


def merge_spelled(
    items: list[Node], known: Callable[[str], bool], bound: frozenset[str] = frozenset()
) -> list[Node]:
    """Letters written together that spell ``log``, ``ln``, ``exp``, a conventional
    name or a word ``known`` knows; none of them a letter of ``bound``."""
    in_scope = bound
    out: list[Node] = []
    n = 0
    while n < len(items):
        letters = _word_at(items, n)
        for size in range(len(letters), 1, -1):
            candidate = "".join(letters[:size])
            if in_scope.intersection(letters[:size]):
                continue
            if candidate in FUNCTION_WORDS or is_plain_convention(candidate) or known(candidate):
                first, last = items[n], items[n + size - 1]
                assert isinstance(first, Tree) and isinstance(last, Tree)
                merged = Tree(
                    "letter", [Token("LETTER", candidate, *_token_position(first))], first.meta
                )
                out.append(Tree("scripted", [merged, *last.children[1:]], first.meta))
                n += size
                break
        else:
            out.append(items[n])
            n += 1
    return out


def _token_position(node: Node) -> tuple[int, int, int, int]:
    line, column = where(node)
    return (0, line, column, 0)


def _word_at(items: list[Node], start: int) -> list[str]:
    """The letters written together from ``items[start]``, up to the first with scripts."""
    letters: list[str] = []
    for item in items[start:]:
        if not (isinstance(item, Tree) and item.data == "scripted"):
            break
        head = item.children[0]
        if not (isinstance(head, Tree) and head.data == "letter"):
            break
        letters.append(str(head.children[0]))
        if len(item.children) > 1:
            break
    return letters
