"""How a document uses its names: what its mathematics says of each, with lines.

One walk over a document's chains (the inline math of its prose, then each
display's chains, in order) notes, for each name, how it is written: with one
or two index subscripts (an entry), with a parenthesised superscript
(``x^{(i)}``, a member), alone, or before parentheses (applied); for each
sum its bound variable and a one-letter upper limit; and, for each chain
whose first link gives a name, an entry or a function a formula, that
formula (a *definition*: the first one of each name), or for a display that
sets a name, an entry or a sum to a number, that *statement*; and the shape
a membership states (``W \\in \\mathbb{R}^{m \\times n}``, in a display or
inline, :mod:`derivs.read.memberships`); and each name written with a layer
label (``W_1``, ``W^{[1]}``, :mod:`derivs.read.layers`) with the name it labels;
the shape annotations of rows and the equations, for :mod:`derivs.read.sizing`.  Definition
signs (``:=``, ``\\coloneqq``, ``\\triangleq``, ``\\equiv``) are read as
``=`` and a display's closing punctuation is set aside.  Inline math is
read only for the definitions it states.  :mod:`derivs.read.infer` turns the
result into declarations.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from lark import Token, Tree

from derivs.errors import DerivsError
from derivs.read.layers import labelled
from derivs.read.memberships import membership
from derivs.read.names import sympy_name
from derivs.read.rows import (
    blank_cell_punctuation,
    blank_markup,
    blank_sentence_end,
    chains_of,
    mask,
)
from derivs.read.scan import Display
from derivs.read.sizing import Annotated, blank_shape_notes, shape_notes
from derivs.read.tex import TexError, parse, tokens
from derivs.read.tree import (
    FUNCTION_WORDS,
    Node,
    is_greek,
    name_key,
    parenthesised,
    script_body,
    split_scripts,
)
from derivs.read.typography import plain
from derivs.read.vocabulary import unbold

#: Names every notation knows: Euler's number, the differential, the Kronecker delta, constants.
KNOWN = frozenset({"e", "d", "\\nabla", "\\partial", "\\delta", "\\pi", "\\top", "T", "\\infty"})
#: A decorated name's key: ``\\hat{y}`` holds ``y``.
DECORATED = re.compile(
    r"\\(?:hat|widehat|bar|overline|tilde|widetilde|vec|bm|mathbf|boldsymbol|mathcal|mathit"
    r"|check|dot|ddot)\{(.*)\}"
)
#: Relation signs that introduce a definition, read here as ``=``.
DEFINING = re.compile(r":=|\\coloneqq|\\triangleq|\\equiv|\\stackrel\{\\mathrm\{def\}\}\{=\}")
#: The relation sign that opens a row continuing a chain, blanked when the row is read alone.
CONTINUED = re.compile(r"^\s*=")
#: Sentence punctuation closing a display, blanked for inference.
CLOSING = re.compile(r"[.,;]\s*$")


@dataclass
class Uses:
    """What the walk over the displays saw, in order of first use."""

    entries: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    arity: dict[str, int] = field(default_factory=dict)
    members: dict[str, tuple[str, int]] = field(default_factory=dict)
    bare: dict[str, int] = field(default_factory=dict)
    applied: dict[str, tuple[int, int]] = field(default_factory=dict)
    bound: dict[str, int] = field(default_factory=dict)
    limits: dict[str, tuple[str, int]] = field(default_factory=dict)
    letters: set[str] = field(default_factory=set)
    differentiated: set[str] = field(default_factory=set)
    varied: set[str] = field(default_factory=set)
    definitions: list[tuple[str, str, int, set[str]]] = field(default_factory=list)
    hypotheses: list[tuple[str, str, int, set[str]]] = field(default_factory=list)
    shapes: dict[str, tuple[tuple[str, ...], int]] = field(default_factory=dict)
    layers: dict[str, tuple[str, int]] = field(default_factory=dict)
    annotated: list[Annotated] = field(default_factory=list)
    equations: list[tuple[Tree[Token], int]] = field(default_factory=list)
    #: Names a chain that does not parse gives a formula (``v_a = ..., \text{for } ...``).
    unread_formulas: set[str] = field(default_factory=set)


def uses_of(
    displays: Iterable[Display],
    rename: Callable[[str], str] | None = None,
    into: Uses | None = None,
) -> Uses:
    """What the chains of ``displays`` (and the inline math before each) say of their names.

    ``rename`` rewrites each chain's text first (a later scope's names under their
    aliases); ``into`` continues the uses of the displays before.
    """
    uses = into if into is not None else Uses()
    displays = list(displays)
    for display in displays:
        math = rename(display.math) if rename is not None else display.math
        uses.annotated += shape_notes(math, display.origin.line)
    for text, line, tree, inline in _chains(displays, rename, uses.unread_formulas):
        if not inline:
            uses.equations.append((tree, line))
        uses.letters |= set(re.findall(r"(?<!\\)\b[A-Za-z]\b", text))
        _membership(tree, line, uses)
        if _statement(tree, text, line, uses, inline) or not inline:
            _collect(tree, uses, line - text[: len(text) - len(text.lstrip())].count("\n") - 1)
    return uses


def _chains(
    displays: Iterable[Display], rename: Callable[[str], str] | None, unread: set[str]
) -> Iterator[tuple[str, int, Tree[Token], bool]]:
    """Each chain that parses, in document order: the inline math before a display
    (marked ``True``: it may define, never claims), then the display's chains, as text
    with definition signs read as ``=``, with the line of the chain's first row.  Of a
    chain that does not parse whole, each row that parses alone (a row that continues
    the chain without its leading relation sign)."""
    for display in displays:
        math = blank_cell_punctuation(plain(blank_markup(blank_shape_notes(display.math))))
        for inline, line in (*display.earlier, *display.inline):
            yield from _parsed(inline, line, rename, True, unread)
        for spans in chains_of(math):
            ended = blank_sentence_end(math, spans)
            whole = list(_parsed(mask(ended, spans), display.origin.line, rename, False, unread))
            yield from whole
            if not whole and len(spans) > 1:
                for span in spans:
                    row = CONTINUED.sub(lambda m: " " * len(m.group()), mask(ended, [span]))
                    yield from _parsed(row, display.origin.line, rename, False, unread)


def _parsed(
    text: str,
    origin: int,
    rename: Callable[[str], str] | None,
    inline: bool,
    unread: set[str],
) -> Iterator[tuple[str, int, Tree[Token], bool]]:
    """The chain of ``text``, parsed; if it does not parse, the name it may give a
    formula (what is left of its first ``=``) is added to ``unread``."""
    text = rename(text) if rename is not None else text
    text = DEFINING.sub(lambda m: "=".ljust(len(m.group())), text)
    text = CLOSING.sub(lambda m: " " * len(m.group()), text)
    try:
        tree = parse(tokens(text))
    except TexError:
        head = _formula_head(text)
        if head is not None:
            unread.add(head)
        return
    yield text, origin + text[: len(text) - len(text.lstrip())].count("\n"), tree, inline


def _key(node: Node) -> str | None:
    """The key of a name the notation may declare: a letter, a Greek letter, a decorated one."""
    try:
        key = name_key(node)
    except TexError:
        return None
    if key in KNOWN or key.lstrip("\\") in FUNCTION_WORDS:
        return None
    core = key
    while (match := DECORATED.fullmatch(core)) is not None:
        core = match.group(1)
    if not ((len(core) == 1 and core.isalpha()) or is_greek(core)):
        return None
    try:
        sympy_name(unbold(key))
    except DerivsError:
        return None
    return key


def name_key_of(node: Node) -> str | None:
    """The key a notation may declare for a name's node, or None (see :func:`_key`)."""
    return _key(node)


def _flat(node: Node | None) -> str:
    """The token text of a script's body, joined: ``_{k=1}`` -> ``k=1``."""
    if node is None:
        return ""
    body = script_body(node)
    if isinstance(body, Token):
        return str(body)
    return "".join(str(t) for t in body.scan_values(lambda v: isinstance(v, Token)))


def _indices(sub: Node) -> list[str] | None:
    """The index letters of a subscript (``_i``, ``_{ij}``, ``_{i,j}``), or None."""
    letters = _flat(sub).replace(",", "")
    if 1 <= len(letters) <= 2 and letters.isalpha() and letters.islower():
        return list(letters)
    return None


def _names(node: Node) -> Iterator[Tree[Token]]:
    """The nodes of ``node`` outside decorated names and words, in order."""
    if isinstance(node, Tree):
        yield node
        if node.data not in {"decorated", "text"}:
            for child in node.children:
                yield from _names(child)


def _collect(tree: Tree[Token], uses: Uses, before: int) -> None:
    """The names, entries, sums and applications of one chain (``before`` its first line)."""
    heads: set[int] = set()
    for node in _names(tree):
        line = before + (node.meta.line if not node.meta.empty else 1)
        if node.data == "bigop":
            _sum(node, uses, line)
        elif node.data == "frac":
            numerator, denominator = node.children[1:3]
            uses.differentiated |= _after_differential(numerator)
            uses.varied |= _after_differential(denominator)
        elif node.data == "juxt":
            items = node.children
            for first, after in itertools.pairwise(items):
                key = _scripted_key(first)
                if key is not None and _is_parens(after):
                    heads.add(id(first))
                    arguments = after.children[0].children[0].children  # type: ignore[union-attr]
                    uses.applied.setdefault(key, (len(arguments), line))
        elif node.data == "scripted" and id(node) not in heads:
            _name(node, uses, line)


def _after_differential(group: Node) -> set[str]:
    """The names of ``\\partial L``, ``d s``, ``\\partial z_i \\partial z_j``: what is
    differentiated (a numerator) or what it is differentiated by (a denominator)."""
    found: set[str] = set()
    for node in _names(group):
        if node.data != "juxt":
            continue
        items = node.children
        for first, after in itertools.pairwise(items):
            if _is_differential(first) and isinstance(after, Tree) and after.data == "scripted":
                key = _key(after.children[0])
                if key is not None:
                    found.add(key)
    return found


def _is_differential(node: Node) -> bool:
    if not (isinstance(node, Tree) and node.data == "scripted" and len(node.children) == 1):
        return False
    inner = node.children[0]
    if isinstance(inner, Tree) and inner.data == "partial":
        return True
    return isinstance(inner, Tree) and inner.data == "letter" and str(inner.children[0]) == "d"


def _scripted_key(node: Node) -> str | None:
    if isinstance(node, Tree) and node.data == "scripted" and len(node.children) == 1:
        return _key(node.children[0])
    return None


def _is_parens(node: Node) -> bool:
    return (
        isinstance(node, Tree)
        and node.data == "scripted"
        and len(node.children) == 1
        and isinstance(node.children[0], Tree)
        and node.children[0].data == "parens"
        and bool(node.children[0].children)
    )


def _name(node: Tree[Token], uses: Uses, line: int) -> None:
    key = _key(node.children[0])
    if key is None:
        return
    sub, sup, _ = split_scripts(node.children[1] if len(node.children) > 1 else None)
    layer = labelled(key, sub, sup)
    if layer is not None:
        uses.layers.setdefault(layer.key, (key, line))
        return
    inner = parenthesised(script_body(sup)) if sup is not None else None
    member = _key(inner) if inner is not None else None
    if member is not None and len(member) == 1 and member.islower():
        uses.members.setdefault(key, (member, line))
    if sub is not None:
        found = _indices(sub)
        if found is not None:
            uses.entries.setdefault(key, []).append((line, "".join(found)))
            uses.arity.setdefault(key, len(found))
            return
    if member is None:
        uses.bare.setdefault(key, line)


def _membership(tree: Tree[Token], line: int, uses: Uses) -> None:
    """The shape a membership ``x \\in \\mathbb{R}^{n}`` states of a name written alone."""
    found = membership(tree)
    if found is None:
        return
    name = found.name
    assert isinstance(name, Tree)
    key = _key(name.children[0])
    if key is not None and len(name.children) > 1:
        sub, sup, primes = split_scripts(name.children[1])
        layer = None if primes else labelled(key, sub, sup)
        key = layer.key if layer is not None and layer.sub is None and layer.sup is None else None
    if key is not None:
        uses.shapes.setdefault(key, (found.sizes, line))


def _sum(node: Tree[Token], uses: Uses, line: int) -> None:
    sub, sup, _ = split_scripts(node.children[1] if len(node.children) > 1 else None)
    match = re.fullmatch(r"([a-z])(=1)?", _flat(sub))
    if match is None:
        return
    index = match.group(1)
    uses.bound.setdefault(index, line)
    upper = _flat(sup)
    if len(upper) == 1 and upper.isalpha():
        uses.limits.setdefault(index, (upper, line))


def _statement(tree: Tree[Token], text: str, line: int, uses: Uses, inline: bool) -> bool:
    """Whether a chain's first link defines a name (kept in ``uses``); in a display, a
    link that sets a name, an entry or a sum to a number is kept as a hypothesis."""
    children = tree.children
    if len(children) < 3 or str(children[1]) != "=":
        return False
    left, right = children[0], children[2]
    head = _head(left)
    if head is None:
        return False
    relations = [c for c in children if isinstance(c, Token) and c.type == "REL"]
    end = relations[1].start_pos if len(relations) > 1 else len(text)
    written_left = " ".join(text[: relations[0].start_pos].split())
    body = " ".join(text[relations[0].end_pos : end].split())
    if re.fullmatch(r"[0-9]+", body):
        if not inline and len(relations) == 1:
            mentioned = {_key(n.children[0]) for n in _names(left) if n.data == "scripted"}
            uses.hypotheses.append((written_left, body, line, {n for n in mentioned if n}))
        return False
    if head == "\\sum" or head in {definition_key(d[0]) for d in uses.definitions}:
        return False
    names = {_key(n.children[0]) for n in _names(right) if n.data == "scripted"}
    if head in names:
        return False
    uses.definitions.append((written_left, body, line, {n for n in names if n}))
    return True


def _head(node: Node) -> str | None:
    """``a_i``, ``S`` or ``\\sigma(x)`` written alone on the left, or a sum (``\\sum``)."""
    if isinstance(node, Tree) and node.data == "juxt" and node.children:
        items = node.children
        if isinstance(items[0], Tree) and items[0].data == "bigop":
            return "\\sum"
        if len(items) == 1 and isinstance(items[0], Tree) and items[0].data == "scripted":
            return _key(items[0].children[0])
        if len(items) == 2 and _is_parens(items[1]):
            return _scripted_key(items[0])
    return None


def _formula_head(text: str) -> str | None:
    """The name ``text`` gives a formula: a name or an entry alone left of its first ``=``."""
    left = text.split("=", 1)[0] if "=" in text else ""
    try:
        tree = parse(tokens(left)) if left.strip() else None
    except TexError:
        return None
    head = _head(tree.children[0]) if tree is not None and tree.children else None
    return head if head != "\\sum" else None


def definition_key(written_left: str) -> str:
    """What a definition's left side defines: ``a_i`` -> ``a``, ``\\sigma(x)`` -> ``\\sigma``."""
    try:
        tree = parse(tokens(written_left))
        return _head(tree.children[0]) or written_left
    except TexError:
        return written_left


def first_line(uses: Uses, letter: str) -> int:
    return min(
        (line for found in uses.entries.values() for line, x in found if letter in x), default=0
    )
