"""A written side divides only by, and takes the logarithm only of, what cannot be zero.

The reader keeps each side as the author wrote it, and SymPy's evaluation
would cancel some of what it divides by or takes the logarithm of:
``\\delta_{ij} / \\delta_{ij}`` is 1, ``0 \\cdot \\frac{1}{x}`` is 0,
``\\log x - \\log x`` is 0.  The canonical form works on evaluated
expressions and takes an identity to hold wherever both sides are defined,
which is right for a divisor that is still there (the search skips the
points where it vanishes) but would prove a slip that evaluation hides.
So every factor of a divisor, and of a logarithm's argument, that
evaluation cancels (a *hidden* factor that must be nonzero) must be shown
nonzero in the link's case before anything is proved:

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
from sympy import Basic, Expr, IndexedBase, Mul, Pow, Symbol
from sympy.core.relational import Relational

from derivs.canonical import Problem
from derivs.context import Context
from derivs.errors import DerivsError
from derivs.refute import SearchLimits, zero_at
from derivs.written import holds_number_power


def as_evaluated(expr: Basic) -> Basic:
    """``expr`` rebuilt bottom-up with SymPy's automatic evaluation.

    A sum, product or power that holds a power of two numbers stays as
    written (``2 \\cdot 10^{10^{10}}`` is never computed).
    """
    if not expr.args or isinstance(expr, (Symbol, IndexedBase)):
        return expr
    args = [as_evaluated(arg) for arg in expr.args]
    if isinstance(expr, (sympy.Add, Mul, Pow)):
        written = expr.func(*args, evaluate=False)
        return written if holds_number_power(written) else expr.func(*args)
    if args != list(expr.args):
        return expr.func(*args)
    return expr


#: What each operation needs to be nonzero, as a verb for the message.
_NEEDS_NONZERO = {Pow: "divides by", sympy.log: "takes the logarithm of"}


def _nonzero_operand(node: Basic) -> tuple[Basic, str] | None:
    """The operand ``node`` needs nonzero (a divisor, a logarithm's argument), and the verb."""
    if isinstance(node, Pow) and node.exp.is_negative and not node.base.is_number:
        return node.base, _NEEDS_NONZERO[Pow]
    if isinstance(node, sympy.log) and not node.args[0].is_number:
        return node.args[0], _NEEDS_NONZERO[sympy.log]
    return None


def _nonzero_factors(expr: Basic) -> list[tuple[Expr, str]]:
    """The factors of every divisor and logarithm argument in ``expr``, in order, with verbs."""
    found: list[tuple[Expr, str]] = []
    for node in sympy.preorder_traversal(expr):
        needed = _nonzero_operand(node)
        if needed is None:
            continue
        operand, verb = needed
        for factor in Mul.make_args(operand):
            base = factor.base if isinstance(factor, Pow) else factor
            if not base.is_number and all(base != seen for seen, _ in found):
                found.append((base, verb))
    return found


def hidden_divisors(written: Basic) -> list[tuple[Expr, str]]:
    """The factors ``written`` needs nonzero that its evaluated form no longer needs."""
    kept = {factor for factor, _ in _nonzero_factors(as_evaluated(written))}
    return [(f, verb) for f, verb in _nonzero_factors(written) if f not in kept]


def refuse_hidden_division(
    side: Basic,
    name: str,
    context: Context,
    condition: tuple[Relational, ...],
    limits: SearchLimits,
) -> None:
    """Raise unless every hidden divisor of ``side`` is nonzero in the case ``condition``."""
    for factor, verb in hidden_divisors(side):
        canonical, _ = Problem.of(factor, sympy.S.Zero, context, condition, ()).canonical
        if canonical.is_zero is False:
            continue
        shown = sympy.sstr(factor)
        point = zero_at(factor, context, condition, limits)
        if point is not None:
            raise DerivsError(
                f"the {name} side as written {verb} {shown}, which is 0 at {point}: "
                "it is undefined there (evaluating it would cancel that)"
            )
        raise DerivsError(
            f"the {name} side as written {verb} {shown}, which nothing shows is nonzero "
            "(evaluating it would cancel that, so the side may be undefined)"
        )
