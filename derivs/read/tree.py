"""What the nodes of a LaTeX parse tree say before any meaning is given to them.

Positions (:func:`where`, :func:`fail`), the written text of a node, the
key a name is declared by (``\\hat{y}``, ``\\text{softmax}``), the sub- and
superscripts of a node, the Greek letters, and the
searches of a tree for an ellipsis or for prose.  The tables of words and
signs the translator knows live here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import Enum
from typing import TypeAlias

from lark import Token, Tree

from derivs.read.tex import TexError
from derivs.read.vocabulary import Vocabulary

Node: TypeAlias = "Tree[Token] | Token"


MAX_EXPONENT = 1000
"""An integer power larger than this is refused: SymPy would evaluate it eagerly."""

CASE_WORDS = frozenset({"if", "for", "when", "where", "whenever", "with"})


class CaseSense(Enum):
    """What words that state a case say of the relation after them."""

    HOLDS = "holds"  # the link holds where the relation does: if i = j
    EXCLUDED = "excluded"  # the link holds where the relation does not: unless i = j


CASE_PHRASES: Mapping[str, CaseSense] = {
    **{word: CaseSense.HOLDS for word in CASE_WORDS},
    **{
        phrase: CaseSense.HOLDS
        for phrase in (
            "for all", "for every", "for each", "for any", "provided", "provided that",
            "providing", "given", "given that", "assuming", "assuming that", "in case",
            "in the case", "in the case that", "iff", "if and only if",
        )
    },
    **{
        phrase: CaseSense.EXCLUDED
        for phrase in (
            "unless", "except", "except when", "except for", "except if", "except where",
            "not for", "not when", "but not for", "but not when",
        )
    },
}  # fmt: skip
"""Words that state a case beside a link, each with its sense: ``unless i = j`` is ``i \\neq j``."""
CASE_CONNECTIVES = frozenset({"and", "or"})
"""Words that join the relations of one case: both hold (and), or one of them (or)."""
OTHERWISE_WORDS = frozenset({"otherwise", "else", "elsewhere", "if not"})
PROSE_WORDS = frozenset(
    {p for p in CASE_PHRASES if " " not in p}
    | OTHERWISE_WORDS
    | {"and", "or", "since", "so", "thus", "hence"}
)
"""Single words of a ``\\text`` that are prose, never a function's name."""
FUNCTION_WORDS = frozenset({"log", "ln", "exp", "tanh"})
"""Standard functions read when spelled in plain letters (``ln x``, ``tanh z``)."""
UNREAD_MARKS = {
    "\\circ": "a composition (\\circ) is not read",
    "\\mid": "a conditional probability (p(a \\mid b)) is not read",
    "\\vert": "a bar (\\vert) is not read: a condition or an absolute value?",
}
"""Marks that make a side something derivs does not read: its link is skipped with the reason."""
TRANSPOSE = frozenset({"\\top", "\\intercal", "\\mathsf{T}", "\\mathrm{T}"})


class Skip(Exception):
    """A link that is not checked, with the reason a report shows."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def where(node: Node) -> tuple[int, int]:
    if isinstance(node, Token):
        return (node.line or 0, node.column or 0)
    meta = node.meta
    return (getattr(meta, "line", 0), getattr(meta, "column", 0))


def fail(node: Node, message: str) -> TexError:
    return TexError(message, *where(node))


def written(node: Node) -> str:
    """The source text of a node, for messages (tokens joined)."""
    if isinstance(node, Token):
        return str(node.value)
    return " ".join(written(child) for child in node.children)


def text_content(token: Token) -> str:
    return str(token.value).split("{", 1)[1].rsplit("}", 1)[0].strip()


def is_letter(key: str) -> bool:
    """Whether a command names a letter (``\\sigma``, ``\\Sigma``, ``\\varepsilon``, ``\\ell``)."""
    return key.lstrip("\\").lower() in LETTERS


#: Letters written as commands that are not Greek: the script ell of a loss.
OTHER_LETTERS = frozenset({"ell"})


GREEK = frozenset(
    [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "varepsilon",
        "zeta",
        "eta",
        "theta",
        "vartheta",
        "iota",
        "kappa",
        "lambda",
        "mu",
        "nu",
        "xi",
        "pi",
        "varpi",
        "rho",
        "varrho",
        "sigma",
        "varsigma",
        "tau",
        "upsilon",
        "phi",
        "varphi",
        "chi",
        "psi",
        "omega",
    ]
)
LETTERS = GREEK | OTHER_LETTERS


def text_key(token: Token) -> str:
    """The key of upright text: a word (``\\text{softmax}``, ``\\mathrm{softmax}``), or an
    upright letter, a name of its own (``\\mathrm{L}`` is not ``L``; ``\\mathrm{d}`` is the
    differential and ``\\mathrm{e}`` Euler's number, read as words)."""
    command = str(token.value).split("{", 1)[0].strip()
    content = text_content(token)
    if command == "\\mathrm" and len(content) == 1 and content.isalpha() and content not in "de":
        return f"\\mathrm{{{content}}}"
    if command in {"\\mathrm", "\\operatorname", "\\text", "\\textrm", "\\mbox", "\\textnormal"}:
        return f"\\text{{{content}}}"
    return f"{command}{{{content}}}"


def name_key(node: Node) -> str:
    """The normalised LaTeX key of a name: ``z``, ``\\sigma``, ``\\hat{y}``, ``\\bm{\\hat{y}}``."""
    if isinstance(node, Token):
        return str(node.value)
    if node.data in {"letter", "command"}:
        return str(node.children[0])
    if node.data == "text":
        token = node.children[0]
        assert isinstance(token, Token)
        return text_key(token)
    if node.data == "decorated":
        decor, inner = node.children
        return f"{decor}{{{name_key(inner)}}}"
    if node.data in {"group", "slist", "relation", "juxt", "scripted"} and len(node.children) == 1:
        return name_key(node.children[0])
    if node.data == "number":
        return str(node.children[0])
    raise TexError(f"{written(node)!r} is not a name", *where(node))


def index_key(node: Node) -> str | None:
    try:
        key = name_key(node)
    except TexError:
        return None
    return key if key.isalpha() else None


def split_scripts(scripts: Node | None) -> tuple[Node | None, Node | None, int]:
    if scripts is None:
        return None, None, 0
    assert isinstance(scripts, Tree)
    sub = next((c for c in scripts.children if isinstance(c, Tree) and c.data == "sub"), None)
    sup = next((c for c in scripts.children if isinstance(c, Tree) and c.data == "sup"), None)
    primes = sum(1 for c in scripts.children if isinstance(c, Token) and c.type == "PRIME")
    return sub, sup, primes


def script_body(script: Node) -> Node:
    """The argument of ``_`` or ``^`` as a tree (``slist`` for a braced group)."""
    assert isinstance(script, Tree)
    arg = script.children[0]
    if isinstance(arg, Tree) and arg.data == "sarg_letter":
        return Tree("letter", list(arg.children), arg.meta)
    if isinstance(arg, Tree) and arg.data == "sarg_number":
        return Tree("number", list(arg.children), arg.meta)
    if isinstance(arg, Tree) and arg.data == "sarg_command":
        return Tree("command", list(arg.children), arg.meta)
    if isinstance(arg, Tree) and arg.data == "sarg_decorated":
        return Tree(
            "decorated",
            [arg.children[0], script_body(Tree("sub", [arg.children[1]], arg.meta))],
            arg.meta,
        )
    return arg


def parenthesised(body: Node) -> Node | None:
    """The one item of ``(...)`` when a superscript is only that: ``^{(i)}``, ``^{(i+1)}``."""
    inner = body
    while (
        isinstance(inner, Tree)
        and inner.data in {"slist", "relation", "juxt", "scripted", "group"}
        and len(inner.children) == 1
    ):
        inner = inner.children[0]
    if not (isinstance(inner, Tree) and inner.data == "parens" and inner.children):
        return None
    (items,) = inner.children
    if not isinstance(items, Tree) or len(items.children) != 1:
        return None
    return items.children[0]


#: Parse-tree nodes that may only wrap one item: a braced list, a relation, a product of one.
WRAPPERS = frozenset({"juxt", "relation", "slist", "group"})


def unwrapped(node: Node, *, scripted: bool = False) -> Node:
    """The one item inside wrappers of one child; through a name without scripts too
    when ``scripted`` (``{1}`` -> the number 1)."""
    through = WRAPPERS | {"scripted"} if scripted else WRAPPERS
    while isinstance(node, Tree) and node.data in through and len(node.children) == 1:
        node = node.children[0]
    return node


def single(node: Node) -> Node:
    """The one item of a braced list."""
    if isinstance(node, Tree) and node.data == "slist":
        if len(node.children) != 1:
            raise fail(node, "one item expected")
        return node.children[0]
    return node


def transpose_mark(body: Node, vocabulary: Vocabulary) -> bool:
    try:
        key = name_key(single(body))
    except TexError:
        return False
    if key in TRANSPOSE:
        return True
    return key == "T" and vocabulary.lookup("T") is None


def is_partial(item: Tree[Token]) -> bool:
    return (
        len(item.children) == 1
        and isinstance(item.children[0], Tree)
        and item.children[0].data == "partial"
    )


def parse_name(latex: str) -> Node:
    """A declared argument name (``z``, ``\\bm{\\hat y}``) as a tree."""
    from derivs.read.tex import parse, tokens

    tree = parse(tokens(latex))
    return tree.children[0]


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Tree):
        for child in node.children:
            yield from walk(child)


def ellipsis_in(node: Node) -> str | None:
    """An ellipsis in a formula (``w_{i1} x_1 + ...``), outside written vectors and matrices."""
    if isinstance(node, Tree):
        if node.data in {"brackets", "braces", "matrix", "parens"}:
            return None
        if node.data == "ellipsis":
            return str(node.children[0])
        for child in node.children:
            found = ellipsis_in(child)
            if found is not None:
                return found
    return None


def names_a_function(words: str) -> bool:
    """Whether a ``\\text``'s words name a function (``LSE``, ``ReLU``) rather than say prose.

    One word of letters that is not a word of prose is a name: read it, or
    report it as undeclared, never skip it as a sentence.
    """
    return words.isalpha() and words.lower() not in PROSE_WORDS


def is_words(token: Token) -> bool:
    """A ``\\text`` of words, not a function's name (``\\text{softplus}(x)`` opens a formula)."""
    return token.type == "TEXT" and not names_a_function(text_content(token))


def prose_in(node: Node, vocabulary: Vocabulary) -> str | None:
    """The first ``\\text{...}`` of prose (several words, naming nothing declared), if any."""
    for item in walk(node):
        if isinstance(item, Tree) and item.data == "text":
            token = item.children[0]
            assert isinstance(token, Token)
            key = text_key(token)
            words = text_content(token).lower()
            said = words not in CASE_WORDS | OTHERWISE_WORDS | {"d"} and not names_a_function(words)
            if said and vocabulary.lookup(key) is None:
                return key
    return None
