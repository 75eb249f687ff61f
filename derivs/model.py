"""What a derivation is.

A *derivation* is what a note writes to get from a definition to a result: a
title, the documents it comes from, the :class:`~derivs.context.Context` of
its symbols, and a sequence of *steps*.  A step is a chain
``e0 = e1 = e2 = ...`` as an author writes it on consecutive lines; each ``=``
of the chain is a *link*, the unit the checker proves or refutes.

A link carries

- its two sides, as SymPy expressions in the context's symbols;
- its justification: the author's words and, where it applies one, a named
  :class:`~derivs.rules.Rule`;
- its *condition*: the case under which it is claimed (``i = j``,
  ``i != j``, ``K >= 3``), and the hypotheses it assumes (``sum_k t_k = 1``);
- whether it is a known *erratum* of its source (a false line that the
  document prints and the checker is expected to refute);
- the file and line where it was written, for reports and CI annotations;
- for a link of a derivation file, its sides as the author's source writes
  them (:mod:`derivs.as_written`), for printing only;
- for a link read from a document (:mod:`derivs.read.document`), the LaTeX as
  written, and where its case was stated (:class:`CaseSource`).

A link that cannot be checked is not a :class:`Link`: it is an
:class:`UnreadLink`, which holds the text as written, why it is not checked
and whether that is a *skip* (an ellipsis, prose: nothing to check) or an
*input problem* (text that could not be read: an error).  A chain holds
both kinds (:data:`ChainLink`), and whoever consumes a chain dispatches on
the type.

Everything here is an immutable value: a derivation is data, and this module
imports nothing of the engine that checks it.

Links are written with :func:`step` and :func:`then`::

    step(D(a[i], z[j]),
         then((0 * S - exp(z[i]) * exp(z[j])) / S**2, "quotient rule", rule="quotient rule"),
         then(-a[i] * a[j], "definition of a"),
         case=Ne(i, j))
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from types import FrameType
from typing import Union

import sympy
from sympy import Expr
from sympy.core.relational import Relational

from derivs.as_written import WrittenLater, written_later
from derivs.context import Context, Hypothesis, as_expr
from derivs.errors import DerivsError
from derivs.rules import Rule, rule_named

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


@dataclass(frozen=True)
class SourceLocation:
    """Where a link or a derivation was written."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Source:
    """The exact text an author wrote for a link, and where: 1-based lines and
    columns of its first character and of the character after its last."""

    text: str
    line: int
    column: int
    end_line: int
    end_column: int


def author_frame() -> FrameType | None:
    """The first frame outside derivs itself: the code the author wrote."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        path = os.path.abspath(frame.f_code.co_filename)
        if not path.startswith(_PACKAGE_DIR + os.sep):
            return frame
        frame = frame.f_back
    return None


def caller_location() -> SourceLocation | None:
    """The line the author wrote (see :func:`author_frame`)."""
    frame = author_frame()
    if frame is None:
        return None
    return SourceLocation(os.path.abspath(frame.f_code.co_filename), frame.f_lineno)


@dataclass(frozen=True)
class Justification:
    """Why a link holds, in the author's words, and the rule it applies."""

    text: str = ""
    rule: Rule | None = None

    def __str__(self) -> str:
        if self.rule and self.text:
            return f"{self.text} ({self.rule.name})"
        return self.text or (self.rule.name if self.rule else "")


@dataclass(frozen=True)
class Erratum:
    """A known error of a source document, encoded as the document writes it."""

    note: str
    source: str | None = None


Condition = tuple[Relational, ...]
ConditionLike = Union[Relational, sympy.And, Iterable[Relational], None]  # noqa: UP007 - sympy.And is untyped here


class Relation(Enum):
    """What a link claims of its two sides: equal, in an order, or different.

    The value is the sign as plain text; :attr:`symbol` and :attr:`latex`
    are how reports print it.  ``lhs <= rhs`` claims the order at every
    value the notation allows, just as ``lhs = rhs`` claims the equality.
    """

    EQUAL = "="
    LESS_EQUAL = "<="
    LESS = "<"
    GREATER_EQUAL = ">="
    GREATER = ">"
    NOT_EQUAL = "!="

    @property
    def symbol(self) -> str:
        return _RELATION_SYMBOLS[self]

    @property
    def latex(self) -> str:
        return _RELATION_LATEX[self]

    @property
    def relational(self) -> type[Relational]:
        """The SymPy relation that states it: ``Le`` for ``<=``."""
        return _RELATIONAL[self]

    @classmethod
    def of_relational(cls, relation: Relational) -> Relation:
        """The relation a SymPy relation states: ``<=`` for ``Le(a, b)``."""
        return _OF_RELATIONAL[type(relation)]

    @classmethod
    def of(cls, sign: Relation | str) -> Relation:
        """The relation a sign names: ``"<="``, ``"≤"``, or a :class:`Relation`."""
        if isinstance(sign, Relation):
            return sign
        for relation in cls:
            if sign in (relation.value, relation.symbol):
                return relation
        known = ", ".join(repr(r.value) for r in cls)
        raise DerivsError(f"unknown relation {sign!r}: use one of {known}")


_RELATION_SYMBOLS = {
    Relation.EQUAL: "=",
    Relation.LESS_EQUAL: "≤",
    Relation.LESS: "<",
    Relation.GREATER_EQUAL: "≥",
    Relation.GREATER: ">",
    Relation.NOT_EQUAL: "≠",
}
_RELATIONAL: dict[Relation, type[Relational]] = {
    Relation.EQUAL: sympy.Eq,
    Relation.LESS_EQUAL: sympy.Le,
    Relation.LESS: sympy.Lt,
    Relation.GREATER_EQUAL: sympy.Ge,
    Relation.GREATER: sympy.Gt,
    Relation.NOT_EQUAL: sympy.Ne,
}
_OF_RELATIONAL = {relational: relation for relation, relational in _RELATIONAL.items()}
_RELATION_LATEX = {
    Relation.EQUAL: "=",
    Relation.LESS_EQUAL: r"\leq",
    Relation.LESS: "<",
    Relation.GREATER_EQUAL: r"\geq",
    Relation.GREATER: ">",
    Relation.NOT_EQUAL: r"\neq",
}


class CaseOrigin(Enum):
    """Where a document states the case of a link; the value says it in words."""

    BESIDE = "written beside"
    CASES_ROW = "a row of its cases block"
    COMMENT = "the comment"
    SENTENCE = "the text"


@dataclass(frozen=True)
class CaseSource:
    """Where the case of a link was read: its origin and the line it was written on."""

    origin: CaseOrigin
    line: int

    def __str__(self) -> str:
        if self.origin in (CaseOrigin.BESIDE, CaseOrigin.CASES_ROW):
            return self.origin.value
        return f"from {self.origin.value} at line {self.line}"


@dataclass(frozen=True)
class OpenName:
    """A name whose meaning a link's notation inferred but its document leaves open.

    ``name`` is the SymPy name a counterexample draws it under (``a``, ``u``);
    ``written`` how the document writes it (``a``, ``\\sigma``).  A counterexample
    that draws it refutes one reading of the document, not the document.
    """

    name: str
    written: str


@dataclass(frozen=True)
class Conventional:
    """A name a link reads in a conventional meaning its document does not state.

    ``written`` is how the document writes it (``\\operatorname{softmax}``),
    ``convention`` the meaning taken (``softmax``), ``line`` where it was inferred.
    A refutation of such a link rests on that meaning and says so.
    """

    written: str
    convention: str
    line: int


@dataclass(frozen=True)
class Assumed:
    """What a reader assumed about a document's notation, and the line it read it from."""

    line: int
    statement: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.statement}" if self.line else self.statement


@dataclass(frozen=True)
class Link:
    """One ``lhs = rhs`` (or ``<=``, ``<``, ``!=``, ...) of a chain, with its justification.

    ``unread_case`` is a case its author states for it that the reader could
    not read (as written).  The link is checked without it: a proof holds
    under any case, but a counterexample may lie outside the author's, so
    such a link is never refuted, only proved or unknown.
    """

    lhs: Expr
    rhs: Expr
    justification: Justification = Justification()
    condition: Condition = ()
    assuming: tuple[Hypothesis, ...] = ()
    erratum: Erratum | None = None
    location: SourceLocation | None = None
    written: str = ""
    relation: Relation = Relation.EQUAL
    case_sources: tuple[CaseSource, ...] = ()
    unread_case: str = ""
    lhs_as_written: WrittenLater | None = field(default=None, compare=False, repr=False)
    rhs_as_written: WrittenLater | None = field(default=None, compare=False, repr=False)
    source: Source | None = field(default=None, compare=False)
    open_names: tuple[OpenName, ...] = ()
    conventional: tuple[Conventional, ...] = ()

    @property
    def written_lhs(self) -> Expr | None:
        """The left side in the author's order of terms, when known (for printing only)."""
        return None if self.lhs_as_written is None else self.lhs_as_written.expression

    @property
    def written_rhs(self) -> Expr | None:
        """The right side in the author's order of terms, when known (for printing only)."""
        return None if self.rhs_as_written is None else self.rhs_as_written.expression

    @property
    def expects_refutation(self) -> bool:
        """A known erratum is expected to be refuted; every other link to be proved."""
        return self.erratum is not None

    def condition_text(self) -> str:
        parts = [relation_text(r) for r in self.condition]
        parts += [h.name for h in self.assuming]
        return ", ".join(parts)


def relation_text(relation: Relational) -> str:
    """``i != j``: a SymPy relation in plain text, with its sign as :class:`Relation` writes it."""
    return f"{relation.lhs} {Relation.of_relational(relation).value} {relation.rhs}"


class Unchecked(Enum):
    """Why a link is not checked: nothing to check, or text that could not be read."""

    SKIPPED = "skipped"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class UnreadLink:
    """A link of a chain that the checker does not check, as the author wrote it.

    ``reason`` says why, without its position; ``location`` and ``column``
    say where (the column of the problem, when one is known).  An unread
    link may still be a known erratum of its source.
    """

    written: str
    reason: str
    kind: Unchecked
    location: SourceLocation | None = None
    column: int | None = None
    erratum: Erratum | None = None
    source: Source | None = field(default=None, compare=False)

    @property
    def expects_refutation(self) -> bool:
        return self.erratum is not None

    @property
    def skipped(self) -> bool:
        return self.kind is Unchecked.SKIPPED

    def detail(self) -> str:
        """``line L, column C: reason``, as far as the position is known."""
        if self.location is None:
            return self.reason
        where = f"line {self.location.line}"
        where += f", column {self.column}" if self.column else ""
        return f"{where}: {self.reason}"


def skipped_link(
    written: str,
    reason: str,
    location: SourceLocation | None,
    erratum: Erratum | None = None,
    source: Source | None = None,
) -> UnreadLink:
    """A link with nothing to check (an ellipsis, prose, an unchecked relation)."""
    return UnreadLink(written, _reason(reason), Unchecked.SKIPPED, location, None, erratum, source)


def unreadable_link(
    written: str,
    reason: str,
    location: SourceLocation | None,
    column: int | None = None,
    erratum: Erratum | None = None,
    source: Source | None = None,
) -> UnreadLink:
    """A link whose text could not be read: ``reason`` without its position."""
    return UnreadLink(
        written, _reason(reason), Unchecked.UNREADABLE, location, column, erratum, source
    )


def _reason(reason: str) -> str:
    if not isinstance(reason, str) or not reason:
        raise DerivsError("an unread link needs the reason it is not checked")
    return reason


#: A link of a chain: checked, or not checked and saying why.
ChainLink = Union[Link, UnreadLink]  # noqa: UP007 - a runtime alias


@dataclass(frozen=True)
class Then:
    """The next expression of a chain, as :func:`then` records it."""

    expr: Expr
    justification: Justification
    condition: Condition
    assuming: tuple[Hypothesis, ...]
    erratum: Erratum | None
    location: SourceLocation | None
    relation: Relation = Relation.EQUAL
    as_written: WrittenLater | None = field(default=None, compare=False, repr=False)

    @property
    def written(self) -> Expr | None:
        """The expression in the author's order of terms, when known (for printing only)."""
        return None if self.as_written is None else self.as_written.expression


def then(
    expr: object,
    why: str = "",
    *,
    rule: str | None = None,
    case: ConditionLike = None,
    assuming: Hypothesis | Iterable[Hypothesis] = (),
    erratum: str | Erratum | None = None,
    relation: Relation | str = Relation.EQUAL,
) -> Then:
    """``= expr`` as the next line of a chain.

    ``why`` is the author's justification, ``rule`` the name of a rule from
    :data:`derivs.rules.RULES`, ``case`` a relation (or several) under which
    this link is claimed, ``assuming`` the hypotheses it uses, and ``erratum``
    marks the line as a known error of its source document.  ``relation``
    (``"<="``, ``"<"``, ``">="``, ``">"``, ``"!="``) makes the line claim an
    order or a difference instead of an equality.
    """
    if not isinstance(why, str):
        raise DerivsError(f"the justification must be text, not {type(why).__name__}")
    checked = as_expr(expr, "each expression of a chain")
    return Then(
        expr=checked,
        justification=Justification(why, rule_named(rule) if rule else None),
        condition=_condition(case),
        assuming=_hypotheses(assuming),
        erratum=Erratum(erratum) if isinstance(erratum, str) else erratum,
        location=caller_location(),
        relation=Relation.of(relation),
        as_written=written_later(author_frame(), 0, checked),
    )


def link(
    lhs: object,
    rhs: object,
    justification: Justification | str = "",
    *,
    case: ConditionLike = None,
    assuming: Hypothesis | Iterable[Hypothesis] = (),
    erratum: str | Erratum | None = None,
    location: SourceLocation | None = None,
    relation: Relation | str = Relation.EQUAL,
    written: str = "",
    case_sources: Iterable[CaseSource] = (),
    source: Source | None = None,
    unread_case: str = "",
) -> Link:
    """A checked :class:`Link`, its parts validated as :func:`then` validates them.

    Every builder of links (:func:`step`, the document reader) goes through
    here, so that a link from a document is a link like any other.
    """
    why = Justification(justification) if isinstance(justification, str) else justification
    if not isinstance(why, Justification):
        raise DerivsError(f"the justification must be text, not {type(justification).__name__}")
    sources = tuple(case_sources)
    if not all(isinstance(s, CaseSource) for s in sources):
        raise DerivsError("case_sources takes CaseSource values")
    return Link(
        lhs=as_expr(lhs, "the left side of a link"),
        rhs=as_expr(rhs, "the right side of a link"),
        justification=why,
        condition=_condition(case),
        assuming=_hypotheses(assuming),
        erratum=Erratum(erratum) if isinstance(erratum, str) else erratum,
        location=location,
        written=written,
        relation=Relation.of(relation),
        case_sources=sources,
        source=source,
        unread_case=unread_case,
    )


@dataclass(frozen=True)
class Step:
    """A chain ``e0 = e1 = ... = en``: its links in order."""

    links: tuple[ChainLink, ...]
    title: str = ""

    @property
    def checked_links(self) -> tuple[Link, ...]:
        """The links the checker checks: every link but the unread ones."""
        return tuple(link for link in self.links if isinstance(link, Link))


def step(
    first: object,
    *lines: Then,
    case: ConditionLike = None,
    assuming: Hypothesis | Iterable[Hypothesis] = (),
    title: str = "",
) -> Step:
    """A chain starting at ``first``; ``case`` and ``assuming`` apply to every link."""
    start = as_expr(first, "the first expression of a chain")
    if not lines:
        raise DerivsError("a chain needs at least one then(...) after its first expression")
    shared_case, shared_hypotheses = _condition(case), _hypotheses(assuming)
    links = []
    previous = start
    previous_written = written_later(author_frame(), 0, start)
    for line in lines:
        if not isinstance(line, Then):
            raise DerivsError(
                f"each line after the first must be then(...), not {type(line).__name__}"
            )
        links.append(
            replace(
                link(
                    previous,
                    line.expr,
                    line.justification,
                    case=_merge(shared_case, line.condition),
                    assuming=_merge(shared_hypotheses, line.assuming),
                    erratum=line.erratum,
                    location=line.location,
                    relation=line.relation,
                ),
                lhs_as_written=previous_written,
                rhs_as_written=line.as_written,
            )
        )
        previous = line.expr
        previous_written = line.as_written
    return Step(tuple(links), title)


@dataclass(frozen=True)
class Derivation:
    """A titled sequence of steps from named source documents."""

    name: str
    title: str
    context: Context
    steps: tuple[Step, ...]
    sources: tuple[str, ...] = ()
    description: str = ""
    location: SourceLocation | None = None
    assumed: tuple[Assumed, ...] = ()

    @property
    def links(self) -> tuple[ChainLink, ...]:
        return tuple(link for s in self.steps for link in s.links)

    @property
    def checked_links(self) -> tuple[Link, ...]:
        """The links the checker checks: every link but the unread ones."""
        return tuple(link for s in self.steps for link in s.checked_links)


def derivation(
    name: str,
    title: str,
    context: Context,
    *steps: Step,
    sources: Iterable[str] = (),
    description: str = "",
) -> Derivation:
    """Build a :class:`Derivation`, recording where it was written."""
    if not name or not all(c.isalnum() or c in "-_." for c in name):
        raise DerivsError(f"derivation name {name!r} must be letters, digits, '-', '_' or '.'")
    if not isinstance(context, Context):
        raise DerivsError(f"{name}: context must be a Context (Notation().context())")
    if not steps or not all(isinstance(s, Step) for s in steps):
        raise DerivsError(f"{name}: give one or more step(...) chains")
    return Derivation(
        name=name,
        title=title,
        context=context,
        steps=tuple(steps),
        sources=tuple(sources),
        description=description,
        location=caller_location(),
    )


def _condition(case: ConditionLike) -> Condition:
    if case is None:
        return ()
    if isinstance(case, sympy.And):
        items: list[object] = list(case.args)
    elif isinstance(case, Relational):
        items = [case]
    elif isinstance(case, (bool, sympy.logic.boolalg.BooleanAtom)):
        raise DerivsError(
            f"the case evaluated to {case}: write it with symbols, e.g. Ne(i, j), not i != j"
        )
    else:
        items = list(case)
    for item in items:
        if type(item) not in _OF_RELATIONAL:
            raise DerivsError(
                f"a case is a relation such as Eq(i, j), Ne(i, j) or Ge(K, 3), not {item!r}"
            )
    return tuple(items)


def _hypotheses(assuming: Hypothesis | Iterable[Hypothesis]) -> tuple[Hypothesis, ...]:
    items = (assuming,) if isinstance(assuming, Hypothesis) else tuple(assuming)
    for item in items:
        if not isinstance(item, Hypothesis):
            raise DerivsError(
                f"assuming= takes hypotheses declared with Notation.hypothesis, not {item!r}"
            )
    return items


def _merge(shared: tuple, own: tuple) -> tuple:
    return shared + tuple(x for x in own if x not in shared)
