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
  ``\\delta_{ij}`` when ``i = j``), or it is a scalar whose kind keeps it
  off 0 (between 0 and 1): fine;
- the counterexample search's sample points hold one where it is 0: the
  side is undefined there, an error that names the point;
- otherwise nothing shows it nonzero (a real ``x`` may be 0): an error too,
  since the written side may be undefined.

A logarithm is undefined where its argument is 0 just as a quotient is where
its divisor is: ``\\ln x - \\ln x`` and ``0 \\cdot \\ln x`` lose a log that
evaluation cancels, so each factor of its argument is a hidden factor too.

A divisor (or log) that evaluation keeps is left to the canonical form, as before.
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
from derivs.kinds import rule_of
from derivs.refute import SearchLimits, zero_at
from derivs.written import as_evaluated


def _singular_factors(expr: Basic) -> list[tuple[str, Expr]]:
    """What ``expr`` is undefined where it is 0, with what it does to it, in order.

    The factors of every divisor (bases of negative powers) and of every
    logarithm's argument: ``("divides by", x)``, ``("takes the log of", x)``.
    """
    found: list[tuple[str, Expr]] = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, Pow) and node.exp.is_negative and not node.base.is_number:
            doing, inner = "divides by", node.base
        elif isinstance(node, sympy.log) and not node.args[0].is_number:
            doing, inner = "takes the log of", node.args[0]
        else:
            continue
        factors = Mul.make_args(inner)
        if any(factor.is_zero for factor in factors if factor.is_number):
            factors = (inner,)  # 0 \cdot x is 0 whatever x is: the whole is what is 0
        for factor in factors:
            base = factor.base if isinstance(factor, Pow) else factor
            if not base.is_number and (doing, base) not in found:
                found.append((doing, base))
    return found


def hidden_factors(written: Basic) -> list[tuple[str, Expr]]:
    """What ``written`` divides by or takes the log of that its evaluated form no longer does."""
    kept = set(_singular_factors(as_evaluated(written)))
    return [found for found in _singular_factors(written) if found not in kept]


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
    for doing, factor in hidden_factors(side):
        if _never_zero(factor, context):
            continue
        canonical, _ = Problem.of(factor, sympy.S.Zero, context, condition, ()).canonical
        if canonical.is_zero is False:
            continue
        shown = sympy.sstr(factor)
        point = zero_at(factor, context, condition, limits)
        if point is not None:
            where = f"at {point}" if point else "wherever it is drawn"
            raise DerivsError(
                f"{what} {doing} {shown}, which is 0 {where}: "
                "it is undefined there (evaluating the side would cancel it)"
            )
        raise DerivsError(
            f"{what} {doing} {shown}, which nothing shows is nonzero "
            "(evaluating the side would cancel it, so the side may be undefined)"
        )


def _never_zero(factor: Expr, context: Context) -> bool:
    """A scalar whose kind keeps it off 0 (between 0 and 1), which SymPy is not told."""
    scalar = context.scalar_of.get(factor)
    return scalar is not None and rule_of(scalar.kind).never_zero(scalar.kind)
