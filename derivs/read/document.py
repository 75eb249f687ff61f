"""Reading a derivation as its author wrote it: display math in Markdown, LaTeX or text.

A *document* is a Markdown note, a LaTeX file or any text with math in it.
Its derivations are its *display math*: ``$$...$$``, ``\\[...\\]`` and the
``equation``, ``align``, ``split``, ``gather``, ``multline`` environments
(starred or not; ``\\tag``, ``\\label`` ignored).  Each display is split
into *chains* at ``\\\\`` line breaks (a line that starts with a relation
continues the chain above it; any other line starts a new one), ``&``
alignment marks are dropped, and each relation sign of a chain is a link,
reported at the line where the sign is written.  ``=`` and ``\\equiv`` claim
an equality; ``\\leq``, ``<``, ``\\geq``, ``>`` and ``\\neq`` an order or a
difference, checked as such (:mod:`derivs.inequalities`); ``\\approx``,
``\\propto``, ``\\in`` and the arrows claim nothing derivs checks, and such a
link is skipped with that reason (:data:`derivs.read.signs.UNCHECKED`).

What the symbols mean is declared once, in TOML (see
:mod:`derivs.read.notation`): in a fenced ``derivs`` block of a Markdown
file, in a block of ``%`` lines after a ``% derivs`` line in a LaTeX file, or
in a side file.  A document that declares none is read in the notation its
own mathematics implies (:mod:`derivs.read.infer`): the derivation lists
every such assumption with its line, the first link that gives a name its
formula is reported as its definition, and a link that mentions a name the
document leaves open carries it, so that a counterexample drawing that name
is no refutation (:mod:`derivs.readings`).  A declared notation always wins:
nothing is inferred beside it.  The notation may also list the document's known errata by
line (``[errata]``: ``"45 entry (n, 2)" = "its minus sign is lost"`` for a cell
of a written matrix, ``"139 #1"`` for the first link written on line 139, a
bare line number for each link of that line): such a link is expected to be
refuted.

Text beside the mathematics is the author's *justification* of a link, kept
in its report while the mathematics is checked: words after a formula
(``\\quad \\text{(quotient rule)}``, ``, [\\text{by } (3)]``), an alignment column
of words (``&& \\text{by symmetry}``), the label of an ``\\underbrace`` (whose
body is the mathematics) and the label over a sign
(``\\overset{\\text{(a)}}{=}``).  A justification belongs to the link whose
sign comes last before it, or is under it.  Words between two formulas
(``a = b \\text{ and } c = d``) make two chains.  Only a link whose
mathematics is itself prose
(``L = \\text{cross entropy}(a, y)``, a row led by words such as ``\\text{For }
i = 1, \\ldots, K``) or holds an ellipsis is *skipped*.

A link holds in a *case* when the author says so:

- a row of a ``cases`` environment (``\\text{if } i = j``, ``i \\neq j``,
  ``\\text{otherwise}``);
- beside the equation: ``\\text{if } i = j`` or ``(i \\neq j)`` after it;
- a comment before the display: ``% derivs: case i = j`` (LaTeX) or
  ``<!-- derivs: case i = j -->`` (Markdown);
- in the *leading sentence*, the last sentence of prose before the display:
  an inline relation between declared indices (or dimensions) that opens the
  sentence or one of its clauses, alone or after a word that introduces a
  case (``When $i = j$,``, ``if $i \\neq j$:``, ``For $i = j$ we get``,
  ``Same: $i = j$``).  A relation said of another symbol (``$\\delta_{ij}$
  is 1 when $i = j$``), one that comes with an alternative (``... and 0
  otherwise``), a sentence that states several cases, and a relation in an
  earlier sentence are not cases of the display: its links are checked
  without a case, and the report names the sentence considered and why it
  was not used.  A case read from the leading sentence also holds for the
  next display when only a connector stands between them (``So that:``,
  ``Hence,``), if that display's chain mentions one of the case's indices.

A case holds for every link of the chain it is stated for, whether or not a
link's written sides mention its indices (the class ``c`` of a one-hot
target may sit inside a defined loss).  A case that cannot hold for the
declared ranges (``i = K + 1``) is an error, never a vacuous proof.  A case
the reader cannot make out is reported as such; that link is checked
without it.  Nothing in a document is evaluated: it is scanned, tokenised
and parsed.

The reading is done in rooms of one concept each: :mod:`derivs.read.scan`
finds the displays, :mod:`derivs.read.rows` cuts them into chains,
:mod:`derivs.read.asides` takes the justifications aside,
:mod:`derivs.read.cases` recognises cases, :mod:`derivs.read.tex` parses and
:mod:`derivs.read.reader` builds the links; this module finds the notation
(read by :mod:`derivs.read.notation`) and puts them together.
"""

from __future__ import annotations

import os
import re
import tomllib
import warnings
from dataclasses import replace
from functools import partial

from derivs.context import Context
from derivs.errors import DerivsError, DerivsWarning
from derivs.mentions import mentioned, under_derivatives
from derivs.model import (
    Assumed,
    Conventional,
    Derivation,
    Justification,
    Link,
    OpenName,
    SourceLocation,
    Step,
    UnreadLink,
    skipped_link,
)
from derivs.read.cases import CaseReader
from derivs.read.conventions import CONVENTIONS
from derivs.read.einstein import EXPLICIT, Convention, stated_in
from derivs.read.infer import Inferred, infer_notation, inferred_toml
from derivs.read.notation import Notation, read_notation
from derivs.read.reader import DocumentReader
from derivs.read.scan import Scan, document_kind, prose_of, scan_document
from derivs.read.scopes import Scope, headings
from derivs.read.tex import room_to_read
from derivs.read.uses import definition_key
from derivs.read.vocabulary import (
    Applied,
    Family,
    IndexedDefinition,
    Meaning,
    Plain,
    Tensor,
    Vocabulary,
)


def read_document(
    path: str,
    text: str,
    notation: str | None = None,
    notation_path: str = "",
    only: int | None = None,
) -> Derivation:
    """The derivation a document writes, read with its notation.

    ``notation`` (TOML text from a side file named ``notation_path``) is used
    when the document declares none; a document that declares one and is also
    given one is an error, so that no declaration is silently set aside.
    With ``only``, just that display (counted from 0) is read, as it would be
    in the whole document.
    """
    with room_to_read():
        return _read_document(path, text, notation, notation_path, only)


def _read_document(
    path: str, text: str, notation: str | None, notation_path: str, only: int | None
) -> Derivation:
    kind = document_kind(path)
    scan = scan_document(text, kind)
    said = stated_in(prose_of(text, kind), scan.notation is not None or notation is not None)
    sections = headings(text, kind)
    declared = _notation(path, scan, notation, notation_path, sections, said)
    if only is not None:
        scan = Scan(scan.displays[only : only + 1], scan.notation)
    inferred = declared if isinstance(declared, Inferred) else None
    if isinstance(declared, Inferred):
        declared = declared.notation
    vocabulary, errata = declared.vocabulary, declared.errata
    convention = replace(said, declared=declared.summation)
    reader = DocumentReader(vocabulary, path, dict(errata), convention, sections)
    if inferred is not None and len(inferred.scopes) > 1:
        steps = []
        for scope in inferred.scopes:
            scoped = _scoped(vocabulary, scope)
            reader.vocabulary, reader.cases = scoped, CaseReader(scoped)
            wanted = [d for d in scan.displays if d in scope.displays]
            steps += reader.steps(Scan(wanted, scan.notation))
    else:
        steps = reader.steps(scan)
    if inferred is not None:
        steps = [
            _with_inferences(step, inferred, vocabulary.context, reader.defining) for step in steps
        ]
    for reason in sorted(set(vocabulary.refused.values())):
        names = ", ".join(k for k, v in vocabulary.refused.items() if v == reason)
        warnings.warn(
            f"{path}: {reason}: the links that write {names} are not read",
            DerivsWarning,
            stacklevel=2,
        )
    unused = errata.keys() - reader.used if only is None else set()
    for key in sorted(unused, key=lambda k: int(k.split()[0])):
        warnings.warn(
            f"{path}:{key.split()[0]}: the [errata] entry {key!r} matches no link "
            "(no link is written there, or not that many): is the line number right?",
            DerivsWarning,
            stacklevel=2,
        )
    name = os.path.splitext(os.path.basename(path))[0]
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "document"
    return Derivation(
        name=name,
        title=f"the display math of {os.path.basename(path)}",
        context=vocabulary.context,
        steps=tuple(steps),
        sources=(os.path.basename(path),),
        location=SourceLocation(path, 1),
        assumed=_assumed(inferred) if inferred is not None else (),
    )


def document_notation(path: str, text: str) -> str:
    """The notation of a document as TOML: the one it declares, or the one inferred."""
    with room_to_read():
        kind = document_kind(path)
        scan = scan_document(text, kind)
        if scan.notation is not None:
            toml_text, line = scan.notation
            return f"# declared by {os.path.basename(path)} at line {line}\n{toml_text.strip()}\n"
        inferred = _notation(
            path, scan, None, "", headings(text, kind), stated_in(prose_of(text, kind))
        )
        assert isinstance(inferred, Inferred)  # no notation is declared: it is inferred
        return inferred_toml(inferred)


def _scoped(vocabulary: Vocabulary, scope: Scope) -> Vocabulary:
    """The names of one scope: each redeclared name means its alias."""
    meanings = dict(vocabulary.meanings)
    for name, alias in scope.renamed.items():
        if alias in meanings:
            meanings[name] = meanings[alias]
    return replace(vocabulary, meanings=meanings)


def _assumed(inferred: Inferred) -> tuple[Assumed, ...]:
    """Every inference of the notation, and every formula not taken as a definition."""
    found = [Assumed(i.line, f"{i.key} {i.reason}") for i in inferred.inferences]
    found += [
        Assumed(line, f"{key} is not taken as a definition ({reason})")
        for key, line, reason in inferred.unread
    ]
    return tuple(sorted(found, key=lambda a: a.line))


SECOND = (
    "a definition that is not the one the document's notation takes for its name: "
    "recorded, not checked (declare the name to check it)"
)

#: What an inferred declaration makes of the link that states it.
ROLES = {"definitions": "the definition of", "hypotheses": "the stated hypothesis"}


def _with_inferences(
    step: Step, inferred: Inferred, context: Context, signed: set[tuple[int, str]]
) -> Step:
    """A step's links marked: a definition's own link, and the open names each reaches.

    A link written with a definition sign (``signed``: line, as written) on a
    line where the notation takes no definition is a second definition of its
    name: it is recorded, never checked against the first (the author may
    redefine).
    """
    defining: dict[int, list[str]] = {}
    for i in inferred.inferences:
        if i.section in ROLES:
            defining.setdefault(i.line, []).append(i.key)
    defined_on = set(defining)
    open_names = _open_names(inferred, inferred.open_names)
    free = _open_names(inferred, _inferred_quantities(inferred))
    bodies = {  # the written formula of each definition, by the name a link mentions
        _name_of(inferred.notation.vocabulary.lookup(definition_key(key))): body
        for key, body in inferred.table.get("definitions", {}).items()
    }
    links: list[Link | UnreadLink] = []
    for link in step.links:
        if isinstance(link, Link):
            names = _reached(mentioned(link.lhs) | mentioned(link.rhs), context)
            found = tuple(o for o in open_names if o.name in names)
            # A name the document never defines may depend on the variable of a
            # derivative it sits in (a Z described in words): as a constant it is
            # one reading of many.
            reach = partial(_reached, context=context)
            dependent = under_derivatives(link.lhs, reach) | under_derivatives(link.rhs, reach)
            found += tuple(o for o in free if o.name in dependent and o not in found)
            line = link.location.line if link.location else 0
            key = _stated_by(link, defining.get(line, []), link is _first_at(step, line))
            if key is not None:
                defining[line].remove(key)
                section = next(i.section for i in inferred.inferences if i.key == key)
                why = f"{ROLES[section]} {key}, inferred from this line"
                link = replace(link, justification=Justification(why))
            elif (line, link.written) in signed and line not in defined_on:
                where, erratum = link.location, link.erratum
                links.append(skipped_link(link.written, SECOND, where, erratum, link.source))
                continue
            text = link.written + " ".join(b for n, b in bodies.items() if n in names)
            link = replace(link, open_names=found, conventional=_conventional(text, inferred))
        links.append(link)
    return replace(step, links=tuple(links))


def _stated_by(link: Link, keys: list[str], first: bool) -> str | None:
    """Which of the declarations inferred from a link's line the link states: the one its
    written left side is (of several side by side), else the first, for the line's first link."""
    written = link.written.replace(" ", "")
    mine = next((k for k in keys if written.startswith(k.replace(" ", ""))), None)
    return mine if mine is not None or not first or not keys else keys[0]


def _inferred_quantities(inferred: Inferred) -> tuple[str, ...]:
    """The scalars, vectors and matrices inferred from use (none of them given a formula),
    but for those whose stated kind fixes their values (a label 0 or 1, a one-hot target):
    what takes only 0 and 1 has no derivative to lend a link where it has one."""
    sections = {"scalars", "vectors", "matrices"}
    return tuple(
        dict.fromkeys(
            i.key
            for i in inferred.inferences
            if i.section in sections and i.key not in inferred.fixed
        )
    )


def _conventional(text: str, inferred: Inferred) -> tuple[Conventional, ...]:
    """The names a link written as ``text`` (with the formulas of the definitions it
    reaches) reads in a conventional meaning inferred for its document."""
    named = re.findall(r"\\(?:operatorname|mathrm|text|textrm|mbox)\s*\{\s*(\w+)\s*\}", text)
    words = {f"\\text{{{word}}}" for word in named}
    words |= set(re.findall(r"(?<![\\{A-Za-z])([A-Za-z]+)", text))  # softmax(z) in plain letters
    return tuple(
        Conventional(i.key, str(i.value), i.line)
        for i in inferred.inferences
        if i.section == "functions" and i.value in CONVENTIONS and i.key in words
    )


def _reached(names: set[str], context: Context) -> set[str]:
    """``names`` and every name the definitions among them mention, and so on."""
    bodies = {str(d.head): mentioned(d.body) for d in context.definitions}
    todo = list(names)
    while todo:
        for name in bodies.pop(todo.pop(), set()) - names:
            names.add(name)
            todo.append(name)
    return names


def _first_at(step: Step, line: int) -> object:
    return next((x for x in step.links if x.location is not None and x.location.line == line), None)


def _open_names(inferred: Inferred, keys: tuple[str, ...]) -> tuple[OpenName, ...]:
    """The SymPy names of ``keys``, names the document leaves open."""
    found = [(_name_of(inferred.notation.vocabulary.lookup(k)), k) for k in keys]
    return tuple(OpenName(name, key) for name, key in found if name)


def _name_of(meaning: Meaning | None) -> str:
    """The SymPy name a link mentions a declared name by (empty if none)."""
    if isinstance(meaning, Plain):
        return str(meaning.expr)
    if isinstance(meaning, (Tensor, Family, IndexedDefinition)):
        return str(meaning.base)
    if isinstance(meaning, Applied):
        return str(meaning.function if meaning.function is not None else meaning.symbol)
    return ""


def _notation(
    path: str,
    scan: Scan,
    notation: str | None,
    notation_path: str,
    heading_lines: list[int],
    said: Convention = EXPLICIT,
) -> Notation | Inferred:
    """The document's notation (vocabulary and errata): declared in a notation block or a
    side file, or else inferred from the document's own mathematics; ``said`` is what its
    prose says of summation."""
    if scan.notation is not None and notation is not None:
        raise DerivsError(
            f"{path}: the document declares its notation at line {scan.notation[1]} "
            f"and {notation_path} was given too; use one"
        )
    if scan.notation is not None:
        toml_text, toml_line = scan.notation
        where = f"notation at line {toml_line}"
    elif notation is not None:
        toml_text, where = notation, notation_path
    else:
        first = scan.displays[0].origin.line if scan.displays else 0
        return infer_notation(scan, path, heading_lines=heading_lines, summation=said.at(first))
    unsettled = said.at(0) == "unsettled"
    found = read_notation(toml_text, where, unsettled)
    summation = "unsettled" if unsettled else "explicit"
    beside = infer_notation(scan, where, tomllib.loads(toml_text), summation=summation)
    return beside if beside.inferences else found
