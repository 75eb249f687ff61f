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
in a side file.  The notation may also list the document's known errata by
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
import warnings

from derivs.errors import DerivsError, DerivsWarning
from derivs.model import Derivation, SourceLocation
from derivs.read.notation import Notation, read_notation
from derivs.read.reader import DocumentReader
from derivs.read.scan import Scan, document_kind, scan_document
from derivs.read.tex import room_to_read


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
    scan = scan_document(text, document_kind(path))
    if only is not None:
        scan = Scan(scan.displays[only : only + 1], scan.notation)
    declared = _notation(path, scan, notation, notation_path)
    vocabulary, errata = declared.vocabulary, declared.errata
    reader = DocumentReader(vocabulary, path, dict(errata))
    steps = reader.steps(scan)
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
    )


def _notation(path: str, scan: Scan, notation: str | None, notation_path: str) -> Notation:
    """The document's notation (vocabulary and errata), from its notation block or side file."""
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
        raise DerivsError(
            f"{path}: no notation: declare the symbols in a ```derivs block (Markdown), "
            "a '% derivs' comment block (LaTeX), or give --notation FILE"
        )
    return read_notation(toml_text, where)
