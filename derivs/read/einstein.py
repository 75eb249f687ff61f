"""Einstein's convention: an index repeated in a product is summed over its range.

A document that states the convention writes ``W_{ij} x_j`` for ``\\sum_j W_{ij}
x_j``.  In each term of a side, an index that two factors of the product mention
(free in each: not bound by a sum already) is summed over its declared range; an
index that one factor mentions stays free.  Without the convention nothing is
summed that the document does not write as a sum: a repeated index stays free.

A document states it in its notation (``summation = "einstein"``), or in its
prose, by name: "we use the Einstein summation convention" puts it in force from
that line on (:class:`Convention`).  Prose that speaks of summing repeated
indices in words that do not pin the convention down ("repeated indices are
summed", a sentence that negates it, a name in the prose that the declared
notation does not switch on) leaves each link with a repeated index unread, with
what to declare: read either way, such a link could be proved or refuted.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sympy import Add, Basic, Expr, Mul, Sum, Symbol

from derivs.context import Context
from derivs.errors import DerivsError

#: The values the notation's ``summation`` switch takes.
SUMMATIONS = ("explicit", "einstein")

#: Prose that names the convention: it is in force from there on.
NAMED = re.compile(r"\bEinstein(?:'s)?\s+(?:summation\s+)?(?:convention|notation|summation)", re.I)
#: Prose that speaks of summing repeated indices without naming the convention.
SPOKEN = (
    re.compile(
        r"\b(?:repeated|recurring|doubled|twice[- ]\w+)\s+(?:\w+\s+)?ind(?:ex|ices)\b"
        r"(?:(?!\n\s*\n)[^.]){0,40}\bsum",
        re.I,
    ),
    re.compile(r"\bsum(?:s|med|ming|mation)?\s+over\s+(?:all\s+|any\s+)?repeated\b", re.I),
    re.compile(r"\b(?:implied|implicit|implicitly)\s+sum", re.I),
)
#: Words that turn a sentence naming the convention into one that may set it aside.
NEGATION = re.compile(r"\b(?:not|no|never|without|don't|doesn't|avoid|instead of)\b", re.I)


def unsettled(index: Symbol, line: int = 0) -> str:
    """What a formula that repeats ``index`` asks for when the convention is not pinned down."""
    where = f" at line {line}" if line else ""
    return (
        f"{index} is repeated in a product, and the prose{where} speaks of summing repeated "
        'indices without switching the convention on: declare summation = "einstein" in '
        "the notation to sum it, or write the sum"
    )


@dataclass(frozen=True)
class Convention:
    """What a document says of summation: its notation's switch and its prose.

    ``named`` is the line of prose that names Einstein's convention, ``spoken``
    the first line that speaks of summing repeated indices in words that do not
    pin it down (0: none).
    """

    declared: str = "explicit"
    named: int = 0
    spoken: int = 0
    notation: bool = False

    def at(self, line: int) -> str:
        """``"einstein"``, ``"explicit"`` or ``"unsettled"`` for a display at ``line``."""
        if self.declared == "einstein":
            return "einstein"
        if self.named and not self.notation and not self.spoken and line > self.named:
            return "einstein"
        return "unsettled" if self.named or self.spoken else "explicit"

    @property
    def said_at(self) -> int:
        """The line of prose a link left unread names."""
        return self.spoken or self.named


EXPLICIT = Convention()
"""A document that says nothing of summation: nothing is summed that is not written."""


def stated_in(prose: str, notation: bool = False) -> Convention:
    """The convention ``prose`` (a document's text outside its code) states.

    ``notation`` says the document declares a notation: then only its switch
    (:attr:`Convention.declared`) puts the convention in force, and prose that
    names it is not pinned down.
    """
    named = spoken = 0
    for match in NAMED.finditer(prose):
        line = prose.count("\n", 0, match.start()) + 1
        if NEGATION.search(_sentence(prose, match.start(), match.end())):
            spoken = spoken or line
        else:
            named = named or line
    for pattern in SPOKEN:
        for match in pattern.finditer(prose):
            if not NAMED.search(_sentence(prose, match.start(), match.end())):
                line = prose.count("\n", 0, match.start()) + 1
                spoken = min(spoken, line) if spoken else line
    return Convention("explicit", named, spoken, notation)


def _sentence(prose: str, start: int, end: int) -> str:
    """The sentence around ``prose[start:end]``: from the stop or blank line before it."""
    before = max(prose.rfind(". ", 0, start), prose.rfind("\n\n", 0, start)) + 1
    after = min((n for n in (prose.find(". ", end), prose.find("\n\n", end)) if n >= 0), default=-1)
    return prose[before : after if after >= 0 else len(prose)]


def repeated(expr: Expr, context: Context, bound: frozenset[Basic] = frozenset()) -> list[Symbol]:
    """The indices that two factors of a product in ``expr`` share (at any depth: under
    a derivative, in an argument), in order; an index a written sum binds is not one."""
    if isinstance(expr, Sum):
        inner = bound | {limit[0] for limit in expr.limits}
        return repeated(expr.function, context, inner)
    found = [i for i in _shared(expr, context) if i not in bound] if isinstance(expr, Mul) else []
    for argument in expr.args:
        if isinstance(argument, Expr):
            found += [i for i in repeated(argument, context, bound) if i not in found]
    return found


def summed(expr: Expr, context: Context, bound: frozenset[Basic] = frozenset()) -> Expr:
    """``expr`` with each index that two factors of a product share summed over its range.

    Products inside a factor (under a derivative, in a function's argument) are
    summed first; an index a written sum binds is its own; an index that three
    factors of one product share is an error.
    """
    if isinstance(expr, Sum):
        binds = bound | {limit[0] for limit in expr.limits}
        return Sum(summed(expr.function, context, binds), *expr.limits)
    if isinstance(expr, Add):
        return Add(*(summed(term, context, bound) for term in expr.args), evaluate=False)
    if isinstance(expr, Mul):
        term: Expr = Mul(*(summed(f, context, bound) for f in expr.args), evaluate=False)
        for index in _shared(term, context):
            if index not in bound:
                declared = context.index_of[index]
                term = Sum(term, (index, declared.lower, declared.upper))
        return term
    if expr.args:
        inner = [summed(a, context, bound) if isinstance(a, Expr) else a for a in expr.args]
        return expr if inner == list(expr.args) else expr.func(*inner)
    return expr


def _shared(product: Mul, context: Context) -> list[Symbol]:
    """The indices free in exactly two factors of ``product``; one in more is an error."""
    ranges = context.index_of
    counts: Counter[Symbol] = Counter()
    for factor in product.args:
        counts.update(i for i in factor.free_symbols if isinstance(i, Symbol) and i in ranges)
    crowded = sorted((str(i) for i, n in counts.items() if n > 2))
    if crowded:
        raise DerivsError(
            f"{crowded[0]} is written in more than two factors of one product: Einstein's "
            "convention sums an index written twice; write the sum"
        )
    return sorted((i for i, n in counts.items() if n == 2), key=str)
