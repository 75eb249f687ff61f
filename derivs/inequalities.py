"""Links that claim an order or a difference: ``<=``, ``<``, ``>=``, ``>``, ``!=``.

A link ``lhs <= rhs`` promises the order at every value its notation allows,
just as ``lhs = rhs`` promises the equality.  It is decided from its *gap*,
``rhs - lhs`` for ``<=`` and ``<`` and ``lhs - rhs`` for ``>=`` and ``>`` (the
difference for ``!=``), taken from the canonical sides of the link (see
:mod:`derivs.canonical`: definitions unfolded, derivatives taken, the case
applied):

- an order is only between real numbers: a side that is not real is an
  error, and one not known to be real leaves the order unproved;
- ``<=`` and ``>=`` hold where the gap is provably nonnegative, ``<`` and
  ``>`` where it is provably positive, ``!=`` where it is provably non-zero;
- "provably" means that SymPy's assumptions derive it from the declared
  kinds (the square of a real is nonnegative, an exponential of a real is
  positive, a probability entry is positive), asked of the gap in each of the
  forms of :data:`GAP_FORMS` in turn.  SymPy's ``None`` is no answer, so a
  true order that the forms do not show is *unknown*, never proved;
- a sum inside the gap is an opaque atom that keeps only what holds under
  the empty-range convention: nonnegative when its terms are, positive only
  when its terms are and its range is provably non-empty.

A relation is refuted by a sample where it fails (:func:`violated`): the gap
is negative beyond the search's tolerance, confirmed at twice the precision,
or, for ``<``, ``>`` and ``!=``, the two sides are *exactly* equal there.
Numbers that merely agree to many digits refute nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy
from sympy import Expr

from derivs.canonical import Problem, expand_terms
from derivs.errors import DerivsError
from derivs.model import Relation
from derivs.strategies import Attempt, Proof, opaque_sums


@dataclass(frozen=True)
class Sign:
    """What a relation needs of its gap, and how SymPy's assumptions are asked for it."""

    name: str
    shown: Callable[[Expr], bool]


_NONNEGATIVE = Sign("nonnegative", lambda gap: gap.is_nonnegative is True)
_POSITIVE = Sign("positive", lambda gap: gap.is_positive is True)
_NONZERO = Sign("nonzero", lambda gap: gap.is_zero is False)

#: The sign each relation needs of its gap.
NEEDS: dict[Relation, Sign] = {
    Relation.LESS_EQUAL: _NONNEGATIVE,
    Relation.GREATER_EQUAL: _NONNEGATIVE,
    Relation.LESS: _POSITIVE,
    Relation.GREATER: _POSITIVE,
    Relation.NOT_EQUAL: _NONZERO,
}


@dataclass(frozen=True)
class GapForm:
    """A way to write the gap in which SymPy's assumptions may see its sign."""

    name: str
    rewrite: Callable[[Expr], Expr]


#: The forms of the gap that are asked for its sign, in order (cheapest first).
GAP_FORMS: tuple[GapForm, ...] = (
    GapForm("as canonical", lambda gap: gap),
    GapForm("expanded", expand_terms),
    GapForm("factored", sympy.factor),
    GapForm("over a common denominator", sympy.together),
)


def gap(problem: Problem, relation: Relation) -> Expr:
    """The quantity whose sign decides ``relation`` between the canonical sides."""
    lhs, rhs = problem.canonical
    if relation in (Relation.GREATER_EQUAL, Relation.GREATER, Relation.NOT_EQUAL):
        return lhs - rhs
    return rhs - lhs


def attempt_order(problem: Problem, relation: Relation) -> Attempt:
    """A proof of ``relation`` from the sign of its gap, or what went wrong looking."""
    needs = NEEDS[relation]
    if relation is not Relation.NOT_EQUAL:
        for side in problem.canonical:
            if side.is_real is False:
                raise DerivsError(f"{side} is not a real number: it has no order")
            if side.is_real is not True:
                # An order between values not known to be real is no claim SymPy's signs
                # can settle (log x + 1 > log x is false where log x is not real).
                return Attempt(None, (f"{side} is not known to be real",))
    opaque = opaque_sums(gap(problem, relation), problem.facts)
    failures = []
    for form in GAP_FORMS:
        try:
            if needs.shown(form.rewrite(opaque)):
                return Attempt(Proof(f"sign of the gap ({needs.name}, {form.name})"))
        except (ArithmeticError, ValueError, TypeError, RecursionError, sympy.PolynomialError) as e:
            failures.append(f"sign of the gap {form.name}: {type(e).__name__}: {e}")
    return Attempt(None, tuple(failures))


def violated(
    relation: Relation, exact: tuple[Expr, Expr], numeric: tuple[Expr, Expr], tolerance: Expr
) -> bool:
    """Whether ``relation`` fails between two sides at one sample.

    ``exact`` are the sides at exact rational values, ``numeric`` the same
    evaluated to the working precision.  Only a clear failure counts: a
    difference beyond ``tolerance`` (relative to the sides' size), or, for a
    strict order and ``!=``, sides that are exactly equal.
    """
    lhs, rhs = numeric
    if not (lhs.is_real and rhs.is_real) and relation is not Relation.EQUAL:
        return False
    scale = max(sympy.Integer(1), abs(lhs), abs(rhs))
    beyond = tolerance * scale
    if relation is Relation.EQUAL:
        return bool(abs(lhs - rhs) > beyond)
    if relation in (Relation.LESS, Relation.GREATER, Relation.NOT_EQUAL):
        difference = exact[0] - exact[1]
        if difference.is_number and difference == 0:
            return True
    if relation in (Relation.LESS_EQUAL, Relation.LESS):
        return bool(lhs - rhs > beyond)
    if relation in (Relation.GREATER_EQUAL, Relation.GREATER):
        return bool(rhs - lhs > beyond)
    return False
