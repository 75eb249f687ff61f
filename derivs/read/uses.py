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
from derivs.read.names import parameter_key, script_names, sympy_name
from derivs.read.onehot import zero_elsewhere
from derivs.read.rows import (
    blank_cell_punctuation,
    blank_markup,
    blank_sentence_end,
    chains_of,
    mask,
)
from derivs.read.scan import Display
from derivs.read.separators import Gap, statements
from derivs.read.sizing import Annotated, blank_shape_notes, shape_notes
from derivs.read.spelling import is_plain_convention, merge_spelled
from derivs.read.standard import standard_word
from derivs.read.tex import TexError, parse, tokens
from derivs.read.tree import (
    FUNCTION_WORDS,
    TRANSPOSE,
    Node,
    is_letter,
    name_key,
    names_a_function,
    parenthesised,
    parse_name,
    script_body,
    split_scripts,
)
from derivs.read.typography import plain
from derivs.read.vocabulary import unbold

#: Names every notation knows: Euler's number, the differential, the Kronecker delta, constants.
KNOWN = frozenset({"e", "d", "\\nabla", "\\partial", "\\delta", "\\pi", "\\top", "T", "\\infty"})
#: A decorated name's key: ``\\hat{y}`` holds ``y``.
DECORATED = re.compile(
    r"\\(?:hat|widehat|bar|overline|tilde|widetilde|vec|bm|mathbf|boldsymbol|mathcal|mathit|mathrm"
    r"|check|dot|ddot)\{(.*)\}"
)
#: Relation signs that introduce a definition, read here as ``=``.
DEFINING = re.compile(
    r":=|≔|\\coloneqq|\\triangleq|\\equiv"
    r"|\\(?:stackrel|overset)\{(?:\\(?:text|mathrm|textrm)\{)?(?:def\.?|\\triangle|\\Delta)\}?\}\{=\}"
)
#: The relation sign that opens a row continuing a chain, blanked when the row is read alone.
CONTINUED = re.compile(r"^\s*=")
#: The superscripts that transpose a name written whole: ``\\theta^\\top``, ``w^T``.
TRANSPOSED = TRANSPOSE | {"T"}
#: Sentence punctuation closing a display, blanked for inference.
CLOSING = re.compile(r"[.,;]\s*$")


@dataclass
class Uses:
    """What the walk over the displays saw, in order of first use."""

    entries: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    arity: dict[str, int] = field(default_factory=dict)
    members: dict[str, tuple[str, int]] = field(default_factory=dict)
    bare: dict[str, int] = field(default_factory=dict)
    whole: set[str] = field(default_factory=set)
    parameterised: set[str] = field(default_factory=set)
    bold: set[str] = field(default_factory=set)
    stated: dict[str, tuple[str, int]] = field(default_factory=dict)
    stated_lengths: dict[str, tuple[str, int]] = field(default_factory=dict)
    entry_values: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    zero_elsewhere: dict[str, tuple[str, str, int]] = field(default_factory=dict)
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
    for text, line, tree, inline, first in _chains(displays, rename, uses.unread_formulas):
        if not inline:
            uses.equations.append((tree, line))
        uses.letters |= set(re.findall(r"(?<!\\)\b[A-Za-z]\b", text))
        if _stated(tree, uses, line) and inline:
            continue
        if _statement(tree, text, line, uses, inline, first) or not inline:
            before = line - text[: len(text) - len(text.lstrip())].count("\n") - 1
            _collect(tree, uses, before, _parameters(tree))
    return uses


def _chains(
    displays: Iterable[Display], rename: Callable[[str], str] | None, unread: set[str]
) -> Iterator[tuple[str, int, Tree[Token], bool, bool]]:
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
) -> Iterator[tuple[str, int, Tree[Token], bool, bool]]:
    """Each statement of ``text`` that parses (``a = b, \\qquad c = d`` is two, as the
    reader cuts them: :mod:`derivs.read.separators`), as ``text`` with the others blanked,
    marked ``True`` when it is the first: a later one may be a restriction (``, \\quad x = 0``)
    that the reader checks as a claim, never a stated hypothesis.  Of a statement that does
    not parse, the name it may give a formula (left of its first ``=``) is added to
    ``unread``."""
    text = rename(text) if rename is not None else text
    text = DEFINING.sub(lambda m: "=".ljust(len(m.group())), text)
    text = CLOSING.sub(lambda m: " " * len(m.group()), text)
    try:
        found = tokens(text)
    except TexError:
        found = None
    fact = zero_elsewhere(text)  # y_j = 0, \text{for } j \neq c: the fact and its condition
    if fact is not None:
        yield (
            text,
            origin + text[: len(text) - len(text.lstrip())].count("\n"),
            fact.statement,
            inline,
            True,
        )
        return
    if found is None:
        _unread(text, unread)
        return
    gap: Gap = lambda before, after: text[before.end_pos or 0 : after.start_pos or 0]  # noqa: E731
    for n, statement in enumerate(statements(found, gap, lambda part: False)):
        if statement.problem:
            continue
        start, end = statement.found[0].start_pos or 0, statement.found[-1].end_pos or 0
        own = _blanked(text, start, end)
        try:
            if statement.condition:  # a formula that holds under a condition defines nothing
                raise TexError("a condition")
            tree = _words_merged(parse(tokens(own)))
        except TexError:
            _unread(own, unread)
            continue
        yield own, origin + own[: len(own) - len(own.lstrip())].count("\n"), tree, inline, n == 0


def _unread(text: str, unread: set[str]) -> None:
    """A formula that does not parse: the name it may give a formula is noted as unread."""
    head = _formula_head(text)
    if head is not None:
        unread.add(head)


def _blanked(text: str, start: int, end: int) -> str:
    """``text`` with all but ``text[start:end]`` blanked; lines and columns stay."""
    return "".join(c if start <= n < end or c == "\n" else " " for n, c in enumerate(text))


def _words_merged(tree: Tree[Token]) -> Tree[Token]:
    """``tree`` with letters that spell a word merged: ``softmax(z)`` is one name, not
    seven letters (:mod:`derivs.read.spelling`)."""
    for node in tree.iter_subtrees():
        if node.data == "juxt":
            node.children = merge_spelled(list(node.children), lambda _: False)
    return tree


def _key(node: Node) -> str | None:
    """The key of a name the notation may declare: a letter, a Greek letter, a decorated one.

    A bold name is its plain name (``\\mathbf{w}`` is ``w``), as the vocabulary reads it.
    """
    key = _written_key(node)
    return unbold(key) if key is not None else None


def _written_key(node: Node) -> str | None:
    """The key of a name as written, bold or not; None for what no notation declares."""
    try:
        key = name_key(node)
    except TexError:
        return None
    if key in KNOWN or key.lstrip("\\") in FUNCTION_WORDS or standard_word(key) is not None:
        return None
    if key.startswith("\\text{"):  # a function named in letters: \operatorname{LSE}, \mathrm{Cost}
        return key if names_a_function(key[len("\\text{") : -1].strip()) else None
    if is_plain_convention(key):
        return key
    core = key
    while (match := DECORATED.fullmatch(core)) is not None:
        core = match.group(1)
    if not ((len(core) == 1 and core.isalpha()) or is_letter(core)):
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


def _collect(tree: Tree[Token], uses: Uses, before: int, local: frozenset[str]) -> None:
    """The names, entries, sums and applications of one chain (``before`` its first line);
    the ``local`` names (the parameters of a function the chain defines) are no uses."""
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
                key = _scripted_key(first) or _parameterised_key(first, uses)
                if key is not None and _is_parens(after, scripted=_is_word(key)):
                    heads.add(id(first))
                    arguments = after.children[0].children[0].children  # type: ignore[union-attr]
                    uses.applied.setdefault(key, (len(arguments), line))
        elif node.data == "scripted" and id(node) not in heads:
            _name(node, uses, line, local)


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


def _parameterised_key(node: Node, uses: Uses | None = None) -> str | None:
    """``h_\\theta``, ``f_{\\mathbf{w}}``: a name whose subscript names parameters, not indices.

    The key is the one a notation declares it by (``h_{\\theta}``); each
    parameter is written whole there, as a vector or scalar is (noted in ``uses``).
    """
    if not (isinstance(node, Tree) and node.data == "scripted" and len(node.children) == 2):
        return None
    key = _key(node.children[0])
    sub, sup, primes = split_scripts(node.children[1])
    if key is None or sub is None or sup is not None or primes or _indices(sub) is not None:
        return None
    try:
        written = [_written_key(parse_name(name)) for name in script_names(sub)]
    except (DerivsError, TexError):
        return None
    parameters = [p for p in written if p is not None]
    if len(parameters) != len(written):
        return None
    found = parameter_key(key, parameters)
    if uses is not None:
        uses.whole |= {unbold(p) for p in parameters}
        uses.parameterised.add(found)
    return found


def _parameters(tree: Tree[Token]) -> frozenset[str]:
    """The parameters of the function a chain's first link defines (``z`` of ``g(z) = ...``)."""
    children = tree.children
    if len(children) < 3 or str(children[1]) != "=":
        return frozenset()
    left = children[0]
    if not (isinstance(left, Tree) and left.data == "juxt" and len(left.children) == 2):
        return frozenset()
    parens = left.children[1]
    if _head(left) is None or not _is_parens(parens):
        return frozenset()
    arguments = parens.children[0].children[0].children  # type: ignore[union-attr]
    found = {_argument_key(a) for a in arguments}
    if None in found:  # a definition of its value at an expression, not of a function
        return frozenset()
    return frozenset(k for k in found if k is not None)


def _argument_key(node: Node) -> str | None:
    """The name an argument of a function's definition is, if it is a name alone."""
    while isinstance(node, Tree) and node.data in {"relation", "juxt"} and len(node.children) == 1:
        node = node.children[0]
    return _scripted_key(node)


def _is_word(key: str) -> bool:
    """Whether ``key`` is a name in letters (``\\mathrm{LSE}``, ``softmax``): never a scalar."""
    return key.startswith("\\text{") or is_plain_convention(key)


def _is_parens(node: Node, scripted: bool = False) -> bool:
    """Whether ``node`` is a group in parentheses (``(z)``; ``(z)_j`` too when ``scripted``)."""
    return (
        isinstance(node, Tree)
        and node.data == "scripted"
        and (len(node.children) == 1 or scripted)
        and isinstance(node.children[0], Tree)
        and node.children[0].data == "parens"
        and bool(node.children[0].children)
    )


def _name(node: Tree[Token], uses: Uses, line: int, local: frozenset[str]) -> None:
    key = _key(node.children[0])
    # a word alone is a function named without its argument
    if key is None or key in local or _is_word(key):
        return
    if key != _written_key(node.children[0]):
        uses.bold.add(key)
    sub, sup, _ = split_scripts(node.children[1] if len(node.children) > 1 else None)
    layer = labelled(key, sub, sup)
    if layer is not None:
        uses.layers.setdefault(layer.key, (key, line))
        return
    if sup is not None and _flat(sup).strip() in TRANSPOSED:
        uses.whole.add(key)
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


def _stated(tree: Tree[Token], uses: Uses, line: int) -> bool:
    """Whether the chain states what a name is (``y^{(i)} \\in \\{0, 1\\}``,
    ``W^{[1]} \\in \\mathbb{R}^{m \\times n}``), kept in ``uses``: its kind; the shape of a
    name written alone or with a layer's label; the length of a member or an entry's vector."""
    found = membership(tree)
    name = found.name if found is not None else None
    if found is None or not isinstance(name, Tree) or not name.children:
        return False
    key = _key(name.children[0])
    if key is None:
        return False
    whole: str | None = key
    if len(name.children) > 1:
        sub, sup, primes = split_scripts(name.children[1])
        layer = None if primes else labelled(key, sub, sup)
        alone = layer is not None and layer.sub is None and layer.sup is None
        whole = layer.key if layer is not None and alone else None
    uses.stated.setdefault(whole or key, (found.kind, line))
    if whole is not None and found.sizes:
        uses.shapes.setdefault(whole, (found.sizes, line))
    elif whole is None and found.length is not None:
        uses.stated_lengths.setdefault(key, (found.length, line))
    return True


def _statement(
    tree: Tree[Token], text: str, line: int, uses: Uses, inline: bool, first: bool = True
) -> bool:
    """Whether a chain's first link defines a name (kept in ``uses``); in a display, a
    first statement that sets a name, an entry or a sum to a number is kept as a hypothesis."""
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
        if not inline and first and len(relations) == 1:
            mentioned = {_key(n.children[0]) for n in _names(left) if n.data == "scripted"}
            uses.hypotheses.append((written_left, body, line, {n for n in mentioned if n}))
            entry = _entry_of(left)
            if entry is not None:
                uses.entry_values.setdefault(entry, (body, line))
        return False
    elsewhere = zero_elsewhere(text)
    if elsewhere is not None:  # y_j = 0 for j \neq c: a fact, never a definition
        entry = _entry_of(elsewhere.statement.children[0])
        if not inline and entry is not None and entry[1] == elsewhere.index:
            uses.zero_elsewhere.setdefault(entry[0], (elsewhere.index, elsewhere.other, line))
        return False
    if head == "\\sum" or head in {definition_key(d[0]) for d in uses.definitions}:
        return False
    local = _parameters(tree)
    names = {_key(n.children[0]) for n in _names(right) if n.data == "scripted"} - local
    if head in names:
        return False
    uses.definitions.append((written_left, body, line, {n for n in names if n}))
    return True


def _entry_of(node: Node) -> tuple[str, str] | None:
    """``y_c`` written alone: its name and its one index letter (no superscript)."""
    if not (isinstance(node, Tree) and node.data == "juxt" and len(node.children) == 1):
        return None
    item = node.children[0]
    if not (isinstance(item, Tree) and item.data == "scripted" and len(item.children) == 2):
        return None
    key = _key(item.children[0])
    sub, sup, primes = split_scripts(item.children[1])
    letters = _indices(sub) if sub is not None else None
    if key is None or sup is not None or primes or letters is None or len(letters) != 1:
        return None
    return key, letters[0]


def _head(node: Node) -> str | None:
    """``a_i``, ``S`` or ``\\sigma(x)`` written alone on the left, or a sum (``\\sum``)."""
    if isinstance(node, Tree) and node.data == "juxt" and node.children:
        items = node.children
        if isinstance(items[0], Tree) and items[0].data == "bigop":
            return "\\sum"
        if len(items) == 1 and isinstance(items[0], Tree) and items[0].data == "scripted":
            return _key(items[0].children[0])
        if len(items) == 2 and _is_parens(items[1]):
            return _scripted_key(items[0]) or _parameterised_key(items[0])
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
        tree = _words_merged(parse(tokens(written_left)))
        return _head(tree.children[0]) or written_left
    except TexError:
        return written_left


def first_line(uses: Uses, letter: str) -> int:
    return min(
        (line for found in uses.entries.values() for line, x in found if letter in x), default=0
    )
