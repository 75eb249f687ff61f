"""The notation of a document, declared in TOML, and its one reader.

A document's symbols are declared once, in TOML (read with the standard
library's ``tomllib``; nothing is evaluated): in the document itself (a
``derivs`` block) or in a side file (``--notation``).  Every path reads it
with :func:`read_notation`, which gives a :class:`Notation`: what each
declared name means (its :class:`~derivs.read.vocabulary.Vocabulary`) and the
document's known errata.  Keys and formulas are LaTeX, as the document writes
them::

    summation = "einstein"     # optional, before the sections: a repeated index is summed

    [dimensions]
    K = 1                      # K is an integer >= 1

    [indices]
    "i j k" = "K"              # each ranges over 1..K

    [vectors]
    z = "K"
    '\\hat{y}' = { length = "K", kind = "one-hot", at = "k" }
    x = { length = "M", family = "n" }         # x^{(n)}: the n-th example, x^{(n)}_m its entry

    [matrices]
    W = ["K", "M"]

    [scalars]
    T = "positive"
    '\\epsilon' = { kind = "between", low = 0, high = 1 }
    y = { kind = "real", family = "n" }        # y^{(n)}: one scalar per example

    [functions]
    u = 1                      # an arbitrary function of one argument
    '\\operatorname{softmax}' = "softmax"   # a conventional meaning (derivs.read.conventions)

    [definitions]              # in order; each may use the ones before
    S = '\\sum_{k=1}^{K} e^{z_k}'
    'a_i' = '\\frac{e^{z_i}}{S}'
    '\\sigma(x)' = '\\frac{1}{1 + e^{-x}}'
    'H(p, q)' = '-\\sum_{i=1}^{K} p_i \\log q_i'
    '\\sum' = '\\sum_{j=1}^{K} e^{z_j}'   # a bare \\sum abbreviates this

    [hypotheses]
    "t sums to one" = '\\sum_{k=1}^{K} t_k = 1'

    [errata]                   # links expected to be refuted, by line
    "45 entry (n, 2)" = "the minus sign is lost"   # an entry of a written matrix
    "139 #1" = "a factor is dropped"               # the first link of line 139

An entry that cannot be read (a name declared twice, a formula that does not
parse, an unknown kind) costs only the links that use its names: it is kept
in :attr:`Notation.refused` with its reason, and a link that writes one of
its names is an error that gives it.  A hypothesis is the exception: every link
may rest on it, so one that cannot be read is an error for the whole notation,
as is a section or a switch that is not one.

Kinds are the words of :data:`derivs.kinds.KINDS`: ``real`` (the default),
``positive``, ``probability``, ``one-hot`` and ``between``, each where that
registry allows it, with its fields written by the names Python gives them
(``at``, a declared index; ``low`` and ``high``, integers); a key a
declaration does not take is an error.  A scalar or vector declared with
``family = "n"`` (a declared index from 1) has one member per value of that
index, written with the member as a parenthesised superscript: ``x^{(n)}``
is the n-th example and ``x^{(n)}_m`` its entry ``m``.  A parenthesised
superscript that holds a declared index on anything else is an error, never
a power (write ``x^{n}`` for a power).  Definition keys take four
forms: a name (``S``); an entry (``a_i``, ``\\sigma_i(z)``: the arguments in
parentheses are part of how the document writes it); a function of scalars
(``\\sigma(x)``: ``x`` is local to the definition); and a scalar written with
declared vectors as arguments (``H(p, q)``).
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, get_type_hints

from sympy import Expr, Integer, Symbol

from derivs.context import Notation as ContextBuilder
from derivs.errors import DerivsError
from derivs.kinds import KINDS, words_for
from derivs.read.conventions import CONVENTIONS
from derivs.read.einstein import SUMMATIONS, repeated, summed, unsettled
from derivs.read.names import (
    ABBREVIATED,
    DefinitionHead,
    declared_key,
    definition_head,
    parameterised_key,
    sympy_name,
)
from derivs.read.shapes import Array, Value
from derivs.read.templates import vector_lengths
from derivs.read.tex import parse, tokens
from derivs.read.translate import Translator
from derivs.read.vocabulary import (
    Applied,
    Conventional,
    Family,
    IndexedDefinition,
    Meaning,
    Plain,
    Template,
    Tensor,
    Vocabulary,
    unbold,
)
from derivs.read.whole import entry_rule

SECTIONS = (
    "dimensions",
    "indices",
    "scalars",
    "functions",
    "vectors",
    "matrices",
    "definitions",
    "hypotheses",
)
"""The sections that declare names, in the order they are read."""
ERRATA = "errata"
"""The section of a document's known errata, each expected to be refuted."""
REFUSABLE = frozenset(SECTIONS) - {"hypotheses"}
"""The sections whose unreadable entry costs only the links that use its names."""
SUMMATION = "summation"
"""The switch that states a summation convention: ``"explicit"`` (the default) or ``"einstein"``."""

#: How a kind's field is written in TOML, by its type: what to give, and an example.
FIELD_TYPES: dict[type, tuple[str, str]] = {
    Symbol: ("a declared index", '"k"'),
    int: ("an integer", "0"),
}


@dataclass(frozen=True)
class Notation:
    """What a notation says: the meaning of each declared name and the known errata.

    ``errata`` maps a place (``"45 entry (n, 2)"``, ``"139 #1"``, ``"139"``:
    a line, then the link or the written entry) to what is wrong there; such a
    link is expected to be refuted.  ``source`` names where it was declared.
    """

    vocabulary: Vocabulary
    errata: Mapping[str, str]
    source: str
    summation: str = "explicit"

    @property
    def refused(self) -> Mapping[str, str]:
        """The names of entries that could not be read, each with why."""
        return self.vocabulary.refused


def read_notation(toml: str | Mapping[str, Any], source: str, unsettled: bool = False) -> Notation:
    """The notation declared by ``toml``, TOML text or its table (``source`` names it in errors).

    ``unsettled``: the document's prose speaks of summing repeated indices without
    switching the convention on, so a formula that repeats an index is not read.
    """
    table = _table(toml, source)
    unknown = sorted(set(table) - set(SECTIONS) - {ERRATA, SUMMATION})
    if unknown:
        raise DerivsError(
            f"{source}: unknown section [{unknown[0]}]; the sections are "
            f"{', '.join((*SECTIONS, ERRATA))}"
        )
    errata = _errata(table.get(ERRATA, {}), source)
    summation = table.get(SUMMATION, "explicit")
    if summation not in SUMMATIONS:
        raise DerivsError(
            f"{source}: {SUMMATION} = {summation!r}: write {' or '.join(map(repr, SUMMATIONS))}"
        )
    mode = "unsettled" if unsettled and summation != "einstein" else summation
    return Notation(_vocabulary(table, source, mode), errata, source, summation)


def _table(toml: str | Mapping[str, Any], source: str) -> Mapping[str, Any]:
    if not isinstance(toml, str):
        return toml
    try:
        return tomllib.loads(toml)
    except tomllib.TOMLDecodeError as error:
        raise DerivsError(f"{source}: not valid TOML: {error}") from None


def _vocabulary(table: Mapping[str, Any], source: str, summation: str) -> Vocabulary:
    """The declarations, section by section in :data:`SECTIONS` order."""
    builder = _Builder(summation)
    for section in SECTIONS:
        declarations = table.get(section, {})
        if not isinstance(declarations, dict):
            raise DerivsError(f"{source}: [{section}] must be a table of name = value")
        for key, value in declarations.items():
            try:
                getattr(builder, section)(key, value)
            except DerivsError as error:
                reason = f"{source}: [{section}] {key}: {error}"
                if section not in REFUSABLE:
                    raise DerivsError(reason) from None
                builder.refuse(_entry_names(section, key), reason)
    return builder.vocabulary()


def _entry_names(section: str, key: str) -> list[str]:
    """The names an entry declares, as the document writes them (``"i j"`` is two)."""
    names = []
    for written in key.split() if section == "indices" else [key]:
        try:
            names.append(
                definition_head(written).key if section == "definitions" else declared_key(written)
            )
        except DerivsError:
            names.append(written.strip())
    return names


def _errata(table: object, source: str) -> dict[str, str]:
    """``{"45 entry (n, 2)": note}``: a line, and for a written matrix the entry."""
    if not isinstance(table, dict):
        raise DerivsError(f'{source}: [{ERRATA}] is a table of line = "what is wrong"')
    errata: dict[str, str] = {}
    for key, note in table.items():
        line, _, label = str(key).strip().partition(" ")
        if not line.isdigit() or not isinstance(note, str):
            raise DerivsError(
                f'{source}: [{ERRATA}] {key}: write "LINE", "LINE #N" or "LINE entry (r, c)" '
                '= "what is wrong"'
            )
        errata[f"{int(line)} {' '.join(label.split())}".strip()] = note
    return errata


class _Builder:
    """Declares a notation's names one by one, each read in those before it."""

    def __init__(self, summation: str = "explicit") -> None:
        self.summation = summation
        self.declarations = ContextBuilder()
        self.meanings: dict[str, Meaning] = {}
        self.subscripts: dict[str, Symbol] = {}
        self.refused: dict[str, str] = {}
        self.taken: set[str] = set()

    def vocabulary(self) -> Vocabulary:
        """What is declared so far: each definition is read in the ones before it."""
        return Vocabulary(
            self.declarations.context(),
            dict(self.meanings),
            dict(self.subscripts),
            dict(self.refused),
        )

    def refuse(self, names: list[str], reason: str) -> None:
        """An entry that cannot be read: its names mean nothing, and say why."""
        for name in names:
            self.refused.setdefault(name, reason)

    def expr(self, latex: object, what: str) -> Expr:
        if isinstance(latex, int) and not isinstance(latex, bool):
            return Integer(latex)
        if not isinstance(latex, str):
            raise DerivsError(f"{what} must be LaTeX text or an integer")
        tree = parse(tokens(latex))
        vocabulary = self.vocabulary()
        value = Translator(vocabulary).scalar(tree, what)
        if self.summation == "einstein":
            return summed(value, vocabulary.context)
        found = repeated(value, vocabulary.context) if self.summation == "unsettled" else []
        if found:
            raise DerivsError(unsettled(found[0]))
        return value

    def value(self, latex: str) -> Value:
        """A definition's formula, a scalar or a whole vector or matrix."""
        return Translator(self.vocabulary()).value(parse(tokens(latex)))

    def internal(self, key: str) -> str:
        """A SymPy name for a LaTeX key: ``\\hat{y}`` -> ``yhat``, ``\\sigma`` -> ``sigma``."""
        name = sympy_name(unbold(key))
        if name in self.taken:
            name = name + "bold" if unbold(key) != key else name + "2"
        if name in self.taken or not name.isidentifier():
            raise DerivsError(f"{key} is declared twice")
        self.taken.add(name)
        return name

    def parameter_name(self, parameter: str, function: str) -> str:
        """A template's generic parameter: ``x`` of ``h_{\\theta}`` is ``x_h_theta``."""
        name = f"{sympy_name(unbold(parameter))}_{sympy_name(function)}"
        if name in self.taken:
            raise DerivsError(f"{parameter} of {function} is declared twice")
        self.taken.add(name)
        return name

    def claim(self, key: str, meaning: Meaning) -> None:
        before = self.meanings.get(key)
        index = _index(before)
        if index is not None and isinstance(meaning, Tensor):
            # an index and an array of one letter: its place in a formula says which is meant
            self.subscripts[key] = index
        elif before is not None or key in self.subscripts:
            raise DerivsError(f"{key} is declared twice")
        self.meanings[key] = meaning

    # sections

    def dimensions(self, key: str, value: object) -> None:
        minimum = value if isinstance(value, int) and not isinstance(value, bool) else None
        if minimum is None or minimum < 1:
            raise DerivsError("give the least value of the dimension, an integer >= 1 (K = 1)")
        key = declared_key(key)
        symbol = self.declarations.dimension(self.internal(key), minimum)
        self.claim(key, Plain(symbol, "dimension"))

    def indices(self, keys: str, value: object) -> None:
        if isinstance(value, dict):
            lower, upper = value.get("from", 1), value.get("to")
        else:
            lower, upper = 1, value
        low, high = self.expr(lower, "a lower bound"), self.expr(upper, "an upper bound")
        for key in keys.split():
            key = declared_key(key)
            symbol = self.declarations.index(self.internal(key), high, low)
            self.claim(key, Plain(symbol, "index"))

    def vectors(self, key: str, value: object) -> None:
        spec = value if isinstance(value, dict) else {"length": value}
        if "family" in spec:
            self.family(key, (spec.get("length"),), spec)
            return
        kind = self.kind(spec, "vector", {"length"})
        self.tensor(key, (spec.get("length"),), kind)

    def matrices(self, key: str, value: object) -> None:
        spec = value if isinstance(value, dict) else {"shape": value}
        shape = spec.get("shape")
        if not isinstance(shape, list) or len(shape) != 2:
            raise DerivsError('a matrix needs its shape: W = ["K", "M"]')
        self.tensor(key, tuple(shape), self.kind(spec, "matrix", {"shape"}))

    def scalars(self, key: str, value: object) -> None:
        spec = value if isinstance(value, dict) else {"kind": value}
        if "family" in spec:
            self.family(key, (), spec)
            return
        kind = self.kind(spec, "scalar", set())
        key = declared_key(key)
        symbol = self.declarations.scalar(self.internal(key), kind)
        self.claim(key, Plain(symbol, "scalar"))

    def family(self, key: str, shape: tuple[object, ...], spec: Mapping[str, object]) -> None:
        """``x = { length = "M", family = "i" }``: ``x^{(i)}`` for each i of i's range."""
        kind = self.kind(spec, "family", {"family", "length"} if shape else {"family"})
        key = declared_key(key)
        members = self.index_range(self.index(str(spec["family"])))
        extents = tuple(self.expr(n, "a length") for n in shape)
        name = self.internal(key)
        if extents:
            base = self.declarations.matrix(name, members, extents[0], kind)
        else:
            base = self.declarations.vector(name, members, kind)
        self.claim(key, Family(base, members, extents))

    def tensor(self, key: str, shape: tuple[object, ...], kind: Any) -> None:
        key = declared_key(key)
        extents = tuple(self.expr(n, "a length") for n in shape)
        name = self.internal(key)
        if len(extents) == 1:
            base = self.declarations.vector(name, extents[0], kind)
        else:
            base = self.declarations.matrix(name, extents[0], extents[1], kind)
        self.claim(key, Tensor(base, extents))

    def kind(self, spec: Mapping[str, object], holder: str, keys: set[str]) -> Any:
        """The kind ``spec`` names (``real`` if none) for a ``holder``, its fields read by type.

        ``keys`` are the other keys the holder takes; any other key is a mistake.
        """
        word = spec.get("kind", "real")
        rule = KINDS.get(word) if isinstance(word, str) else None
        if rule is None:
            raise DerivsError(f"unknown kind {word!r}: a {holder} is {words_for(holder)}")
        rule.check(holder)
        types = get_type_hints(rule.kind)
        names = [f.name for f in fields(rule.kind)]
        unknown = sorted(set(spec) - keys - {"kind", *names})
        if unknown:
            expected = ", ".join(sorted(keys | {"kind", *names}))
            raise DerivsError(f"unknown key {unknown[0]!r}: a {word} {holder} takes {expected}")
        return rule.kind(**{n: self.field(rule.word, n, types[n], spec.get(n)) for n in names})

    def field(self, word: str, name: str, field_type: type, value: object) -> object:
        """A kind's field written in TOML: a declared index, or an integer."""
        if field_type is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if field_type is Symbol and isinstance(value, str):
            with contextlib.suppress(DerivsError):
                return self.index(value)
        what, example = FIELD_TYPES[field_type]
        raise DerivsError(f"{word} {name} {value!r}: give {what} ({name} = {example})")

    def functions(self, key: str, value: object) -> None:
        key = declared_key(key)
        if isinstance(value, str) and value in CONVENTIONS:
            self.claim(key, Conventional(value))
            return
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise DerivsError(
                "give the number of arguments (u = 1) or a conventional meaning "
                f"({', '.join(repr(c) for c in CONVENTIONS)})"
            )
        function = self.declarations.function(self.internal(key))
        self.claim(key, Applied(function, value))

    def hypotheses(self, name: str, value: object) -> None:
        if not isinstance(value, str):
            raise DerivsError("a hypothesis is LaTeX text such as '\\sum_{k=1}^{K} t_k = 1'")
        tree = parse(tokens(value))
        translator = Translator(self.vocabulary())
        nodes, signs = translator.chain(tree)
        if signs != ["="]:
            raise DerivsError("a hypothesis is one equation, lhs = rhs")
        lhs, rhs = (translator.scalar(n, "a side of a hypothesis") for n in nodes)
        self.declarations.hypothesis(name, lhs, rhs)

    def definitions(self, key: str, value: object) -> None:
        if not isinstance(value, str):
            raise DerivsError("a definition is LaTeX text")
        if key.strip() == ABBREVIATED:
            body = self.expr(value, "the definition")
            symbol = self.declarations.define(self.internal("\\Sigma"), body)
            self.claim(ABBREVIATED, Plain(symbol, "definition"))
            return
        head = definition_head(key)
        translator = Translator(self.vocabulary())
        if head.arguments and not any(
            isinstance(self.lookup(declared_key(a)), (Tensor, IndexedDefinition))
            for a in head.arguments
        ):
            self.function_definition(head, value, translator)
            return
        signature = tuple(declared_key(a) for a in head.arguments)
        for argument in signature:
            if not isinstance(self.lookup(argument), (Tensor, IndexedDefinition)):
                raise DerivsError(
                    f"{argument}: the arguments of {head.key} are declared vectors, "
                    "or all new names for a function"
                )
        if not head.indices and not signature and self.vector_definition(head.key, value):
            return
        body = self.expr(value, "the definition")
        name = self.internal(head.key)
        if head.indices:
            params = tuple(self.index(i) for i in head.indices)
            base = self.declarations.define_vector(name, params, body)
            shape = tuple(self.index_range(p) for p in params)
            self.claim(head.key, IndexedDefinition(base, shape, signature))
        elif signature:
            symbol = self.declarations.define(name, body)
            self.claim(head.key, Applied(None, len(signature), symbol, signature))
        else:
            symbol = self.declarations.define(name, body)
            self.claim(head.key, Plain(symbol, "definition"))

    def vector_definition(self, key: str, value: str) -> bool:
        """``p = \\operatorname{softmax}(z)``, ``z = W x + b``: a name given a whole vector
        or matrix is defined entry by entry (:func:`derivs.read.whole.entry_rule`); False if
        the formula is no array (it is read as a scalar then)."""
        whole = self.value(value)
        if not isinstance(whole, Array):
            return False
        rule = entry_rule(key, whole)
        entry = rule.body
        if self.summation == "einstein":
            entry = summed(entry, self.vocabulary().context)
        base = self.declarations.define_vector(self.internal(key), rule.parameters, entry)
        self.claim(key, IndexedDefinition(base, rule.shape))
        return True

    def function_definition(self, head: DefinitionHead, value: str, translator: Translator) -> None:
        key = head.key
        if head.indices:
            key = parameterised_key(head, self.lookup)
        params = tuple(Symbol(sympy_name(unbold(a)), real=True) for a in head.arguments)
        translator.bound.append(
            dict(zip((declared_key(a) for a in head.arguments), params, strict=True))
        )
        tree = parse(tokens(value))
        parameters = tuple(unbold(declared_key(a)) for a in head.arguments)
        try:
            body = translator.scalar(tree, "the definition")
        except DerivsError:
            length = vector_lengths(self.vocabulary(), parameters, tree)
            if length is None:
                raise
            generic = tuple(
                (p, self.declarations.vector(self.parameter_name(p, key), length))
                for p in parameters
            )
            self.claim(key, Template(key, parameters, tree, length, generic))
            return
        function = self.declarations.define_function(self.internal(key), params, body)
        keys = tuple(declared_key(a) for a in head.arguments)
        self.claim(key, Applied(function, len(params), parameters=keys))

    def lookup(self, key: str) -> Meaning | None:
        return self.vocabulary().lookup(key)

    def index(self, key: str) -> Symbol:
        key = declared_key(key)
        found = self.subscripts.get(key) or _index(self.meanings.get(key))
        if found is None:
            raise DerivsError(f"{key} is not a declared index")
        return found

    def index_range(self, symbol: Symbol) -> Expr:
        declared = next(x for x in self.declarations.context().indices if x.symbol == symbol)
        if declared.lower != 1:
            raise DerivsError(f"{symbol} starts at {declared.lower}: entries count from 1")
        return declared.upper


def _index(meaning: Meaning | None) -> Symbol | None:
    """The symbol of a declared index, or None for any other meaning."""
    if isinstance(meaning, Plain) and meaning.role == "index":
        assert isinstance(meaning.expr, Symbol)
        return meaning.expr
    return None
