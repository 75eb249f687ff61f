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
"""

from __future__ import annotations

import sympy
from sympy import Basic, Expr, Mul, Pow
from sympy.core.relational import Relational

from derivs.canonical import Problem
from derivs.context import Context
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


def refuse_hidden_division(
    side: Basic,
    name: str,
    context: Context,
    condition: tuple[Relational, ...],
    limits: SearchLimits,
) -> None:
    """Raise unless every hidden divisor of ``side`` is nonzero in the case ``condition``."""
    for factor in hidden_divisors(side):
        canonical, _ = Problem.of(factor, sympy.S.Zero, context, condition, ()).canonical
        if canonical.is_zero is False:
            continue
        shown = sympy.sstr(factor)
        point = zero_at(factor, context, condition, limits)
        if point is not None:
            raise DerivsError(
                f"the {name} side as written divides by {shown}, which is 0 at {point}: "
                "it is undefined there (evaluating it would cancel the division)"
            )
        raise DerivsError(
            f"the {name} side as written divides by {shown}, which nothing shows is nonzero "
            "(evaluating it would cancel the division, so the side may be undefined)"
        )
