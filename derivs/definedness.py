"""A written side divides only by what cannot be zero where the link claims it.

The reader keeps each side as the author wrote it, and SymPy's evaluation
would cancel some of what it divides by: ``\\delta_{ij} / \\delta_{ij}`` is
1, ``0 \\cdot \\frac{1}{x}`` is 0.  The canonical form works on evaluated
expressions and takes an identity to hold wherever both sides are defined,
which is right for a divisor that is still there (the search skips the
points where it vanishes) but would prove a slip that evaluation hides.
So every factor of a divisor that evaluation cancels (a *hidden* divisor)
must be shown nonzero in the link's case before anything is proved:

- its canonical form in the case is nonzero (``e^{z_i}``, ``\\sigma_i``,
  ``\\delta_{ij}`` when ``i = j``): fine;
- the counterexample search's sample points hold one where it is 0: the
  side is undefined there, an error that names the point;
- otherwise nothing shows it nonzero (a real ``x`` may be 0): an error too,
  since the written side may be undefined.

A divisor that evaluation keeps is left to the canonical form, as before.
The body of a definition (``f = \\frac{x}{x}`` in a notation) is written
text too, evaluated when it is unfolded: the definitions a side reaches are
checked the same way, for every value of their parameters.
"""

from __future__ import annotations

import sympy
from sympy import Basic, Expr, Indexed, Mul, Pow
from sympy.core.relational import Relational

from derivs.canonical import Problem
from derivs.context import Context, Definition
from derivs.errors import DerivsError
from derivs.refute import SearchLimits, zero_at
from derivs.written import as_evaluated


def _divisor_factors(expr: Basic) -> list[Expr]:
    """The factors of every divisor in ``expr`` (bases of negative powers), in order."""
    found: list[Expr] = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, Pow) and node.exp.is_negative and not node.base.is_number:
            for factor in Mul.make_args(node.base):
                base = factor.base if isinstance(factor, Pow) else factor
                if not base.is_number and base not in found:
                    found.append(base)
    return found


def hidden_divisors(written: Basic) -> list[Expr]:
    """The factors ``written`` divides by that its evaluated form no longer does."""
    kept = set(_divisor_factors(as_evaluated(written)))
    return [factor for factor in _divisor_factors(written) if factor not in kept]


def reached_definitions(side: Basic, context: Context) -> list[Definition]:
    """The definitions ``side`` names, and those their bodies name, in order."""
    found: list[Definition] = []
    todo = [side]
    while todo:
        for node in sympy.preorder_traversal(todo.pop()):
            head = node.base if isinstance(node, Indexed) else getattr(node, "func", None)
            for key in (node, head):
                definition = context.definition_of.get(key)
                if definition is not None and definition not in found:
                    found.append(definition)
                    todo.append(definition.body)
    return found


def refuse_hidden_division(
    side: Basic,
    name: str,
    context: Context,
    condition: tuple[Relational, ...],
    limits: SearchLimits,
) -> None:
    """Raise unless every hidden divisor of ``side`` is nonzero in the case ``condition``.

    The body of each definition the side reaches is written text too, and
    unfolding it evaluates it: its hidden divisors must be nonzero for every
    value of its parameters.
    """
    _refuse_hidden_division(side, f"the {name} side as written", context, condition, limits)
    for definition in reached_definitions(side, context):
        what = f"the definition of {definition.name} as written"
        _refuse_hidden_division(definition.body, what, context, (), limits)


def _refuse_hidden_division(
    side: Basic,
    what: str,
    context: Context,
    condition: tuple[Relational, ...],
    limits: SearchLimits,
) -> None:
    for factor in hidden_divisors(side):
        canonical, _ = Problem.of(factor, sympy.S.Zero, context, condition, ()).canonical
        if canonical.is_zero is False:
            continue
        shown = sympy.sstr(factor)
        point = zero_at(factor, context, condition, limits)
        if point is not None:
            raise DerivsError(
                f"{what} divides by {shown}, which is 0 at {point}: "
                "it is undefined there (evaluating it would cancel the division)"
            )
        raise DerivsError(
            f"{what} divides by {shown}, which nothing shows is nonzero "
            "(evaluating it would cancel the division, so the side may be undefined)"
        )
