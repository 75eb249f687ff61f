"""A notation inferred from how a document uses its names, when it declares none.

A document with no ``derivs`` block and no ``--notation`` file is read in a
notation built from its own mathematics, the way a reader takes it:

- a letter used as an entry's subscript or as a sum's bound variable is an
  *index*; a single-letter upper limit of a sum (``\\sum_{k=1}^{K}``) is a
  *dimension*, the range of the indices it bounds and of the entries they
  reach; an entry whose range nothing writes gets a dimension of its own,
  named with a capital the document does not use;
- a name stated in a real space (``x \\in \\mathbb{R}^{n}``,
  ``W \\in \\mathbb{R}^{m \\times n}``) is a *vector* or *matrix* of those
  sizes, each size letter a *dimension*; it is any member of that space, so
  it is not open;
- a name written with one or two index subscripts (``z_i``, ``W_{ij}``) is a
  *vector* or *matrix*; ``x^{(i)}`` (``x^{(i)}_m``) is member ``i`` of a
  *family*; a name written before parentheses and never alone
  (``\\sigma(z)``) is a *function*; any other name is a real *scalar*;
- the first link of a display that gives a name, an entry or a function a
  formula (``S = \\sum_k e^{z_k}``, ``a_i = \\frac{e^{z_i}}{S}``,
  ``\\sigma(x) = \\frac{1}{1 + e^{-x}}``) is its *definition* for the whole
  document; a display that sets a sum of entries or an entry to a number
  (``\\sum_k y_k = 1``, ``y_c = 1``) states a *hypothesis*.

Nothing else is assumed: no kind (one-hot, positive) that the mathematics
does not state.  Every inference is an :class:`Inference` (what, and from
which line) and the result is a TOML table that
:func:`derivs.read.notation.read_notation` reads as it reads a declared one,
so :func:`inferred_toml` prints a notation the author can keep and edit.

A name whose meaning the document leaves open is *open*: a function it never
defines; a vector or matrix it never defines and never differentiates by (an
undefined ``a_i`` may be the softmax; a target ``y_k`` that the prose calls
one-hot is more than any real vector, even where a sum of it is stated); a
scalar it never defines but differentiates (``\\partial L``) or feeds into a
definition (a label ``y`` may be 0 or 1).  A name the document differentiates
by (``\\partial z_j``) is a variable, and a scalar that is only ever a variable
(``(x + 1)^2``) is any real number: neither is open.  A counterexample that
draws an open name refutes only one reading of the document, which
:mod:`derivs.readings` reports as unknown with a "declare ..." message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from derivs.errors import DerivsError
from derivs.read.conventions import CONVENTIONS, SHOWN, convention_of
from derivs.read.names import declared_key
from derivs.read.notation import SUMMATION, Notation, read_notation
from derivs.read.scan import Scan
from derivs.read.scopes import Scope, renamed_text, scopes
from derivs.read.sizing import Shape, Sizer
from derivs.read.tree import Skip
from derivs.read.uses import Uses, definition_key, first_line, name_key_of, uses_of
from derivs.read.vocabulary import IndexedDefinition, unbold

#: Capitals offered for a dimension the document does not name, in order.
SPARE_DIMENSIONS = ("N", "K", "M", "D", "P", "Q", "R")
#: Why a letter is a dimension: the upper limit of a sum, or a size in a membership.
LIMIT = "is the upper limit of a sum: a dimension"
SIZE = "is a size of an array stated (x \\in \\mathbb{R}^{n}) or defined: a dimension"
SIZED = "is a size in a shape note (&& (H \\times 1)): a dimension"
#: Letters offered for an index that compares entries of arrays of a stated size, in order.
SPARE_INDICES = ("i", "j", "k", "r", "s", "p", "q", "u", "v")
#: The sections whose names may be open.
OPEN_SECTIONS = frozenset({"scalars", "functions", "vectors", "matrices"})
#: What a stated hypothesis sets to a number: an entry, or a sum of bare entries.
STATED_DATA = re.compile(
    r"(?:\\sum(?:_\{[^{}]*\}|_[a-z])?(?:\^\{[^{}]*\}|\^[A-Za-z0-9])?\s*)?"
    r"\\?[A-Za-z]+_(?:\{[a-z0-9]\}|[a-z0-9])"
)
#: The stated kinds whose values are fixed numbers (0 or 1): constant wherever differentiated.
FIXED_KINDS = frozenset({"binary", "one-hot"})
#: The sections that declare a name by its use.
NAMES = ("dimensions", "indices", "scalars", "functions", "vectors", "matrices")


@dataclass(frozen=True)
class Inference:
    """One declaration inferred: its section, key and TOML value, the line, and why."""

    section: str
    key: str
    value: Any
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.key} {self.reason}"


@dataclass(frozen=True)
class Inferred:
    """The notation inferred from a document, how, and which names it leaves open."""

    notation: Notation
    table: dict[str, dict[str, Any]]
    inferences: tuple[Inference, ...]
    open_names: tuple[str, ...]
    unread: tuple[tuple[str, int, str], ...] = ()
    scopes: tuple[Scope, ...] = ()
    through_open: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()
    #: Scalars also written before parentheses (``g`` and ``g(2x)``): a product or a function.
    applied_alone: tuple[str, ...] = ()


def infer_notation(
    scan: Scan,
    source: str,
    declared: Mapping[str, Any] | None = None,
    heading_lines: Sequence[int] = (),
    summation: str = "explicit",
) -> Inferred:
    """The notation ``scan``'s displays imply, each inference with its line.

    Beside a ``declared`` notation (its TOML table) only the document's own
    definitions of names it does not declare are added: the author's
    declarations win, and nothing else is inferred.  Without one, the
    document's headings (``heading_lines``) may start scopes
    (:mod:`derivs.read.scopes`) in which a name means something else.
    ``summation`` is what the prose says of summation
    (:meth:`derivs.read.einstein.Convention.at` its first display): Einstein's
    convention, stated, is part of the notation; a definition that repeats an
    index where the convention is not pinned down defines nothing.
    """
    if declared is not None:
        return _Builder(uses_of(scan.displays), source, summation).beside(declared)
    found = scopes(scan.displays, heading_lines)
    uses = Uses()
    conflicts: dict[str, str] = {}
    for scope in found:
        rename = partial(renamed_text, renamed=scope.renamed)
        conflicts |= index_and_array(uses_of(scope.displays, rename))
        uses_of(scope.displays, rename, uses)
    inferred = _Builder(uses, source, summation, conflicts).build()
    shaped = _whole_definition_shapes(inferred, uses)
    if shaped:  # the entries of a whole array's definition run over its formula's sizes
        for key, shape in shaped.items():
            uses.shapes.setdefault(key, shape)
        inferred = _Builder(uses, source, summation, conflicts).build()
    origin = {alias: (name, scope.line) for scope in found for name, alias in scope.renamed.items()}
    inferences = tuple(
        replace(i, reason=f"{i.reason} ({origin[i.key][0]} from line {origin[i.key][1]} on)")
        if i.key in origin
        else i
        for i in inferred.inferences
    )
    return replace(inferred, inferences=inferences, scopes=tuple(found))


def _whole_definition_shapes(
    inferred: Inferred, uses: Uses
) -> dict[str, tuple[tuple[str, ...], int]]:
    """The sizes of each whole vector or matrix the document defines (``a = W x + b``) and
    also writes by entries (``a_h``), where each size is a dimension of the notation."""
    vocabulary = inferred.notation.vocabulary
    dimensions = {d.symbol for d in vocabulary.context.dimensions}
    found: dict[str, tuple[tuple[str, ...], int]] = {}
    for written_left, _, line, _ in uses.definitions:
        key = definition_key(written_left)
        meaning = vocabulary.lookup(key)
        if (
            written_left == key
            and key in uses.entries
            and isinstance(meaning, IndexedDefinition)
            and not meaning.signature
            and all(size in dimensions for size in meaning.shape)
        ):
            found[key] = (tuple(str(size) for size in meaning.shape), line)
    return found


def index_and_array(uses: Uses) -> dict[str, str]:
    """Letters one scope uses both as an index and as an array, each with why it is not read."""
    found = {}
    for name, entries in uses.entries.items():
        as_index = uses.bound.get(name) or first_line(uses, name)
        if not as_index:
            continue
        found[name] = (
            f"{name} is written both as an index (line {as_index}) and with a subscript, as a "
            f"vector or matrix (line {entries[0][0]}), in one section: declare which it is, "
            "or name one of them with another letter"
        )
    return found


def inferred_toml(inferred: Inferred) -> str:
    """The inferred notation as TOML, each declaration with the line it was inferred from."""
    lines = ["# inferred by derivs from the document; edit and give it with --notation"]
    if inferred.open_names:
        lines.append(
            f"# open: {', '.join(inferred.open_names)}: the document does not say what they are."
            " Their lines, and the definitions and hypotheses that use them, are commented out:"
            " declare each"
            " (a definition, a kind) before use, as a declared name's counterexamples refute"
        )
    if inferred.table.get(SUMMATION) == "einstein":
        lines.append(f'{SUMMATION} = "einstein"  # the prose states the convention')
    if len(inferred.scopes) > 1:
        lines.append(
            "# scoped: a later section redeclares a name; it is written here under an alias"
            " (\\check{z}), which a document read with this file does not use"
        )
    reasons = {(i.section, i.key): i for i in inferred.inferences}
    for section, declarations in inferred.table.items():
        if not isinstance(declarations, dict):
            continue
        lines.append(f"\n[{section}]")
        for key, value in declarations.items():
            why = reasons.get((section, key))
            note = f"  # line {why.line}: {why.reason}" if why else ""
            held = key in inferred.open_names and section in OPEN_SECTIONS
            held = held or (
                section in {"definitions", "hypotheses"} and key in inferred.through_open
            )
            mark = "# " if held else ""
            lines.append(f"{mark}{_toml_string(key)} = {_toml_value(value)}{note}")
    for key, line, reason in inferred.unread:
        lines.append(f"# line {line}: {key} was not taken as a definition: {reason}")
    lines += [f"# not declared: {reason}" for reason in inferred.notation.refused.values()]
    return "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    if "'" not in text and "\n" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"


class _Ranges:
    """Which indices and entry positions run together (union-find), and over what."""

    def __init__(self) -> None:
        self.parent: dict[tuple[str, ...], tuple[str, ...]] = {}

    def find(self, node: tuple[str, ...]) -> tuple[str, ...]:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            node = self.parent[node]
        return node

    def join(self, a: tuple[str, ...], b: tuple[str, ...]) -> None:
        self.parent[self.find(a)] = self.find(b)

    def members(self, node: tuple[str, ...]) -> list[tuple[str, ...]]:
        root = self.find(node)
        return [n for n in list(self.parent) if self.find(n) == root]


class _Builder:
    """Turns what the walk saw into declarations, each with its reason."""

    def __init__(
        self,
        uses: Uses,
        source: str,
        summation: str = "explicit",
        conflicts: Mapping[str, str] | None = None,
    ) -> None:
        self.uses = uses
        self.conflicts = dict(conflicts or {})
        self.shared: set[str] = set()
        self.source = source
        self.unsettled = summation == "unsettled"
        self.table: dict[str, Any] = {SUMMATION: summation} if summation == "einstein" else {}
        self.inferences: list[Inference] = []
        self.ranges = _Ranges()
        self.spare = [d for d in SPARE_DIMENSIONS if d not in uses.letters]
        self.extent: dict[tuple[str, ...], str] = {}
        self.unread: list[tuple[str, int, str]] = []
        self.shaped: dict[str, tuple[tuple[str, ...], int]] = {}
        #: Scalars a display sets to a number after using them: neither premise nor variable.
        self.assigned: set[str] = set()
        self.hot: dict[str, str] = {}
        for key, (_, other, line) in uses.zero_elsewhere.items():
            if uses.entry_values.get((key, other), ("", 0))[0] == "1":  # y_c = 1 stated too
                self.hot[key] = other
                uses.stated.setdefault(key, ("one-hot", line))
        self.declared_refusals: frozenset[str] = frozenset()

    def declare(self, section: str, key: str, value: Any, line: int, reason: str) -> None:
        if section in OPEN_SECTIONS and key in self.uses.stated:
            kind, said = self.uses.stated[key]
            reason += f" (stated {kind} on line {said}: not open)"
        self.table.setdefault(section, {})[key] = value
        self.inferences.append(Inference(section, key, value, line, reason))

    def build(self) -> Inferred:
        uses = self.uses
        indices = set(uses.bound) | {m for m, _ in uses.members.values()}
        for key, found in uses.entries.items():
            for _, letters in found:
                indices |= set(letters)
                for position, letter in enumerate(letters):
                    self.ranges.join(("index", letter), ("entry", key, str(position)))
        indices -= set(self.conflicts)
        # an index of one scope that another writes with subscripts is declared both ways:
        # its place in a formula says which it is (derivs.read.vocabulary)
        self.shared = {name for name in indices if name in uses.entries}
        for index, (limit, _) in uses.limits.items():
            self.ranges.join(("index", index), ("dimension", limit))
        self.shaped = {**self.sized(), **uses.shapes}
        for key, (sizes, _) in self.shaped.items():
            for position, size in enumerate(sizes):
                self.ranges.join(("entry", key, str(position)), ("dimension", size))
        for key, (length, _) in uses.stated_lengths.items():
            self.ranges.join(("entry", key, "0"), ("dimension", length))
        first_use: dict[str, tuple[int, str]] = {}
        for limit, line in uses.limits.values():
            first_use[limit] = min((line, LIMIT), first_use.get(limit, (line, LIMIT)))
        for key, (sizes, line) in self.shaped.items():
            why = SIZE if key in uses.shapes else SIZED
            for size in sizes:
                first_use[size] = min((line, why), first_use.get(size, (line, why)))
        for length, line in uses.stated_lengths.values():
            first_use[length] = min((line, SIZE), first_use.get(length, (line, SIZE)))
        dimensions = set(first_use)
        for limit, (line, why) in sorted(first_use.items()):
            self.declare("dimensions", limit, 1, line, why)
        for index in sorted(indices - dimensions):
            line = uses.bound.get(index) or first_line(uses, index)
            why = "is a sum's bound variable" if index in uses.bound else "is an entry's subscript"
            self.declare("indices", index, self.size(("index", index)), line, why + ": an index")
        indices |= self.comparing(indices)
        defined = {definition_key(d[0]) for d in uses.definitions} - indices - dimensions
        taken = indices | dimensions | defined | set(self.conflicts)
        self.names(taken)
        self.read()
        definitions = self.definitions()
        failed = defined - definitions
        if failed:  # a formula that does not read defines nothing: its name is declared by use
            self.unread = [u for u in self.unread if definition_key(u[0]) in failed]
            self.names((taken - failed) | set(self.conflicts))
            self.table.pop("definitions", None)
            self.inferences = [i for i in self.inferences if i.section != "definitions"]
            definitions = self.definitions()
        self.hypotheses()
        notation = self.read()
        inputs = set().union(
            *(d[3] for d in uses.definitions if definition_key(d[0]) in definitions)
        )
        open_keys = [
            i.key
            for i in self.inferences
            if (i.section == "functions" and i.value not in CONVENTIONS)
            or (i.section in OPEN_SECTIONS and i.key in failed)  # a formula it did not read
            or (i.section in OPEN_SECTIONS and i.key in uses.unread_formulas - definitions)
            or (i.section == "scalars" and i.key in self.assigned)
            or (
                i.section in {"scalars", "vectors", "matrices"}
                and i.key not in uses.varied
                and i.key not in uses.shapes  # stated any member of its real space
                and i.key not in uses.stated
                and (i.section != "scalars" or i.key in uses.differentiated or i.key in inputs)
            )
        ]
        reach, through = set(open_keys), []
        for written_left, _, _, names in uses.definitions:
            if written_left in self.table.get("definitions", {}) and names & reach:
                through.append(written_left)
                reach.add(definition_key(written_left))
        for written_left, value, _, names in uses.hypotheses:
            if names & reach:
                through.append(f"{written_left} = {value}")
        return Inferred(
            notation,
            self.table,
            tuple(self.inferences),
            tuple(open_keys),
            tuple(self.unread),
            through_open=tuple(through),
            fixed=tuple(k for k, (kind, _) in uses.stated.items() if kind in FIXED_KINDS),
            applied_alone=tuple(
                k for k in self.table.get("scalars", {}) if k in uses.applied and k in uses.bare
            ),
        )

    def sized(
        self, seeds: Mapping[str, Shape] | None = None
    ) -> dict[str, tuple[tuple[str, ...], int]]:
        """The shapes the document's annotations and equations force on names it does not
        state in a real space (:mod:`derivs.read.sizing`): columns and matrices only;
        ``seeds`` are the shapes a declared notation gives."""
        sizer = Sizer(name_key_of)
        for key, shape in (seeds or {}).items():
            sizer.shapes[key] = (shape, 0)
        for key, (sizes, line) in self.uses.shapes.items():
            sizer.shapes[key] = ((sizes[0], sizes[1] if len(sizes) > 1 else "1"), line)
        sizer.annotate(self.uses.annotated)
        sizer.equations(self.uses.equations)
        found: dict[str, tuple[tuple[str, ...], int]] = {}
        for key, ((rows, columns), line) in sizer.shapes.items():
            if key in self.uses.shapes or rows == "1" or key in self.uses.entries or not line:
                continue
            found[key] = ((rows,) if columns == "1" else (rows, columns), line)
        return found

    def comparing(self, indices: set[str]) -> set[str]:
        """An index over each size a membership states that no index of the document runs
        over, so that an equation between whole arrays of that size compares entries."""
        covered = set(self.table.get("indices", {}).values())
        spare = [x for x in SPARE_INDICES if x not in self.uses.letters and x not in indices]
        added: set[str] = set()
        for sizes, line in self.shaped.values():
            for size in sizes:
                if size in covered or not spare:
                    continue
                index = spare.pop(0)
                why = f"compares entries of the arrays of size {size}: an index"
                self.declare("indices", index, size, line, why)
                covered.add(size)
                added.add(index)
        return added

    def beside(self, declared: Mapping[str, Any]) -> Inferred:
        """The declared notation, with the definitions of names it does not declare."""
        self.table = {
            section: dict(value) if isinstance(value, dict) else value
            for section, value in declared.items()
        }
        self.declared_refusals = frozenset(
            read_notation(self.table, self.source, self.unsettled).refused
        )
        taken: set[str] = set()
        for value in declared.values():
            if isinstance(value, dict):
                for key in value:
                    taken |= {definition_key(k) for k in str(key).split()}
        self.uses.definitions = [
            d for d in self.uses.definitions if definition_key(d[0]) not in taken
        ]
        sized = self.shapes_beside(declared, taken)
        self.definitions()
        open_keys = tuple(key for key in sized if key not in self.uses.shapes)
        return Inferred(
            self.read(), self.table, tuple(self.inferences), open_keys, tuple(self.unread)
        )

    def shapes_beside(self, declared: Mapping[str, Any], taken: set[str]) -> list[str]:
        """The arrays the document states or sizes (``W_1``) that the declared notation does
        not declare (``taken`` holds what it declares or defines), where their sizes are its
        dimensions; and an index to compare them."""
        names = taken | {
            declared_key(part)
            for section in NAMES
            for key in dict(declared.get(section, {}) or {})
            for part in str(key).split()
        }
        dimensions = set(dict(declared.get("dimensions", {}) or {}))
        seeds: dict[str, Shape] = {}
        for key, value in dict(declared.get("vectors", {}) or {}).items():
            if isinstance(value, str):
                seeds[declared_key(key)] = (value, "1")
        for key, value in dict(declared.get("matrices", {}) or {}).items():
            if isinstance(value, list) and len(value) == 2:
                seeds[declared_key(key)] = (str(value[0]), str(value[1]))
        defined = {definition_key(d[0]) for d in self.uses.definitions}
        self.shaped = {
            key: found
            for key, found in {**self.sized(seeds), **self.uses.shapes}.items()
            if key not in names | defined and set(found[0]) <= dimensions
        }
        added = list(self.shaped)
        self.shaped_arrays(set())
        self.comparing(set(dict(declared.get("indices", {}) or {})))
        return added

    def names(self, taken: set[str]) -> None:
        """Arrays, families, functions and scalars by use, but for the ``taken`` names."""
        self.shaped_arrays(taken)
        self.arrays(taken - self.shared)
        self.families(taken)
        self.bold_vectors(taken)
        self.scalars(taken, self.functions(taken))

    def read(self) -> Notation:
        """The notation inferred so far; an inferred entry that cannot be read is an error
        (what the author declared and cannot be read is refused name by name instead)."""
        notation = read_notation(self.table, self.source + " (inferred)", self.unsettled)
        new = [r for name, r in notation.refused.items() if name not in self.declared_refusals]
        if new:
            raise DerivsError(new[0])
        if not self.conflicts:
            return notation
        refused = {**notation.vocabulary.refused, **self.conflicts}
        return replace(notation, vocabulary=replace(notation.vocabulary, refused=refused))

    def size(self, node: tuple[str, ...]) -> str:
        """The dimension a group of indices and entries runs over, named if need be."""
        root = self.ranges.find(node)
        if root in self.extent:
            return self.extent[root]
        limits = sorted(n[1] for n in self.ranges.members(node) if n[0] == "dimension")
        if limits:
            self.extent[root] = limits[0]
            return limits[0]
        if not self.spare:
            raise DerivsError("no capital letter is left to name a dimension")
        name = self.spare.pop(0)
        what = sorted(f"{n[1]}" for n in self.ranges.members(node) if n[0] in {"index", "entry"})
        self.declare("dimensions", name, 1, 0, f"is the unwritten range of {', '.join(what)}")
        self.extent[root] = name
        return name

    def arrays(self, taken: set[str]) -> None:
        for key, found in self.uses.entries.items():
            arity = {len(letters) for _, letters in found}
            if key in taken or len(arity) != 1 or key in self.uses.members:
                continue
            line = found[0][0]
            if arity == {1}:
                length = self.size(("entry", key, "0"))
                self.declare(
                    "vectors",
                    key,
                    self.kinded(key, {"length": length}),
                    line,
                    f"is written with a subscript: a vector of length {length}",
                )
            else:
                shape = [self.size(("entry", key, "0")), self.size(("entry", key, "1"))]
                self.declare(
                    "matrices", key, shape, line, "is written with two subscripts: a matrix"
                )
            taken.add(key)

    def shaped_arrays(self, taken: set[str]) -> None:
        """The arrays whose shape the document states or forces (``self.shaped``)."""
        for key, (sizes, line) in self.shaped.items():
            if key in taken:
                continue
            # an entry's index may tie a stated size to another range: one size for both
            shape = [self.tied(("entry", key, str(n)), size) for n, size in enumerate(sizes)]
            section, value = (
                ("vectors", self.kinded(key, {"length": shape[0]}))
                if len(shape) == 1
                else ("matrices", shape)
            )
            what = "a vector" if len(shape) == 1 else "a matrix"
            space = " \\times ".join(sizes)
            why = f"is stated in \\mathbb{{R}}^{{{space}}}: {what}"
            if key not in self.uses.shapes:
                why = f"is {' x '.join(sizes)} by the document's shapes and equations: {what}"
            if shape != list(sizes):
                why += f" whose entries the indices run over {' x '.join(shape)}"
            self.declare(section, key, value, line, why)
            taken.add(key)

    def tied(self, node: tuple[str, ...], size: str) -> str:
        """The dimension the entries at ``node`` run over where the ranges tie it to one
        (a stated size and an index's range: the one :meth:`size` names), else ``size``."""
        if any(member[0] == "dimension" for member in self.ranges.members(node)):
            return self.size(node)
        return size

    def kind(self, key: str) -> str:
        """The kind the document states for ``key`` (``y \\in \\{0, 1\\}``; ``y_c = 1`` with
        ``y_j = 0`` for ``j \\neq c``: one-hot at ``c``), else real."""
        return self.uses.stated.get(key, ("real", 0))[0]

    def kinded(self, key: str, spec: dict[str, str]) -> str | dict[str, str]:
        """A vector's declaration, with the kind the document states; its length alone if real."""
        kind = self.kind(key)
        if kind == "one-hot" and "family" not in spec:
            return {**spec, "kind": kind, "at": self.hot[key]}
        if kind == "binary":
            return {**spec, "kind": kind}
        return spec["length"] if list(spec) == ["length"] else spec

    def bold_vectors(self, taken: set[str]) -> None:
        """A bold name written only whole is a vector, of a length the document leaves unwritten."""
        for key in sorted(self.uses.bold - taken - set(self.uses.applied)):
            length = self.size(("entry", key, "0"))
            line = self.uses.bare.get(key, 0)
            why = f"is written bold: a vector of length {length}"
            self.declare("vectors", key, length, line, why)
            taken.add(key)

    def families(self, taken: set[str]) -> None:
        for key, (member, line) in self.uses.members.items():
            if key in taken or member not in self.uses.bound:  # a family is summed over
                continue
            found = self.uses.entries.get(key, [])
            if found and {len(x) for _, x in found} == {1}:
                length = self.size(("entry", key, "0"))
                self.declare(
                    "vectors",
                    key,
                    self.kinded(key, {"length": length, "family": member}),
                    line,
                    f"is written {key}^{{({member})}} with entries: one vector per {member}",
                )
            elif not found:
                self.declare(
                    "scalars",
                    key,
                    {"kind": self.kind(key), "family": member},
                    line,
                    f"is written {key}^{{({member})}}: one scalar per {member}",
                )
            else:
                continue
            taken.add(key)

    def functions(self, taken: set[str]) -> set[str]:
        """Names written before parentheses: each a function, open unless the document
        defines it or it is a conventional name (``\\operatorname{softmax}``), read in
        its conventional meaning and said so."""
        found = set()
        for key, (arity, line) in self.uses.applied.items():
            if key in taken or key in self.uses.bare or key in self.uses.entries:
                continue
            if key in self.uses.parameterised:  # h_{\theta}: declared only by its definition
                continue
            convention = convention_of(key)
            if convention is not None:
                self.declare(
                    "functions",
                    key,
                    convention,
                    line,
                    f"is not defined by the document: read as the conventional {convention}, "
                    f"{SHOWN[convention]}",
                )
            else:
                why = "is written before parentheses: a function"
                self.declare("functions", key, arity, line, why)
            found.add(key)
        taken |= found
        return found

    def scalars(self, taken: set[str], functions: set[str]) -> None:
        for key, line in self.uses.bare.items():
            # a bold name of a vector written with entries is that whole vector
            if key in taken or key in self.uses.entries or unbold(key) in self.uses.entries:
                continue
            kind = self.kind(key)
            self.declare("scalars", key, kind, line, f"is written alone: a {kind} scalar")
            taken.add(key)

    def definitions(self) -> set[str]:
        """The document's definitions that read, each after the ones it uses.

        A definition may use a name defined later (``a_i = e^{z_i} / S``, where
        ``S = ...``): one that does not read is tried again once another has been
        added; one that never reads is left out, with the reason.
        """
        read: set[str] = set()
        declared = {k for section in NAMES for k in self.table.get(section, {})}
        waiting = [d for d in self.uses.definitions if definition_key(d[0]) not in declared]
        failures: dict[str, str] = {}
        progress = True
        while waiting and progress:
            progress, still = False, []
            for written_left, body, line, names in waiting:
                self.table.setdefault("definitions", {})[written_left] = body
                try:
                    self.read()
                except (DerivsError, Skip) as error:
                    del self.table["definitions"][written_left]
                    failures[written_left] = str(error).rsplit(": ", 1)[-1]
                    still.append((written_left, body, line, names))
                    continue
                reason = "is given its formula here: a definition"
                self.inferences.append(Inference("definitions", written_left, body, line, reason))
                read.add(definition_key(written_left))
                progress = True
            waiting = still
        self.unread += [(left, line, failures[left]) for left, _, line, _ in waiting]
        return read

    def hypotheses(self) -> None:
        """The facts the document states of names it does not define.

        A premise is an entry (``y_c = 1``) or a sum of bare entries
        (``\\sum_k t_k = 1``) of a vector the document never defines nor varies,
        or a scalar set to a number before any other use (``t = 1``).  Anything
        else set to a number is a claim to check: ``S = 1`` of a defined ``S``,
        ``\\sum_k e^{z_k} = 0`` or ``\\sum_k \\delta_{kj} = 1`` (which a premise
        would make true).  A scalar set to a number after the links that use it
        as a variable (``b = 0`` in a later section) must not hold those links:
        it is open, so its own line and the lines after it ask for a declaration.
        """
        defined = {definition_key(k) for k in self.table.get("definitions", {})}
        data = set(self.table.get("vectors", {})) - self.uses.varied - defined
        ranges = set(self.table.get("indices", {})) | set(self.table.get("dimensions", {}))
        for written_left, value, line, names in self.uses.hypotheses:
            if names & defined:
                continue
            scalar = written_left in self.table.get("scalars", {})
            if scalar and self.uses.bare.get(written_left, line) < line:
                self.assigned.add(written_left)  # b = 0 after b was a variable
                continue
            if not scalar and not (names - ranges <= data and STATED_DATA.fullmatch(written_left)):
                continue
            statement = f"{written_left} = {value}"
            self.table.setdefault("hypotheses", {})[statement] = statement
            try:
                self.read()
            except (DerivsError, Skip) as error:
                del self.table["hypotheses"][statement]
                self.unread.append((statement, line, str(error).rsplit(": ", 1)[-1]))
                continue
            self.inferences.append(
                Inference("hypotheses", statement, statement, line, "is stated here: a hypothesis")
            )
