"""Derivatives of functions with kinks: defined where the function is differentiable.

``max(0, x)``, ``|x|``, ``\\mathbb{1}[x > 0]`` and every case split whose
condition moves with the variable have points where they have no derivative
(their *kinks*): ``x = 0`` for all three.  What a note means by
``d/dx max(0, x) = 1[x > 0]`` is an identity between functions on the domain
of the derivative, the points where it exists; it says nothing at the kink.

SymPy differentiates these functions with conventions of its own: the
derivative of ``max(0, x)`` is ``Heaviside(x)``, which is ``1/2`` at ``0``,
and the derivative of a case split is the split of the derivatives, defined
everywhere.  Taken as they are, these conventions would prove
``(d/dx max(0, x))|_{x=0} = 1/2``, a false claim: the derivative does not exist
there.  So a derivative of a function with kinks is kept as
:class:`OffKinks` ``(derivative, kink, ...)``: the derivative where every
kink expression is nonzero, undefined where one is zero.

- Evaluated at a point where a kink is zero (a substitution ``|_{x=0}``, or a
  draw of the counterexample search) it is undefined: a substitution is an
  error that names the kink, a draw is skipped.  A counterexample is never a
  point where the derivative does not exist.
- Off the kinks SymPy's step functions are what the derivative is:
  ``Heaviside(u)`` is ``1[u > 0]`` and ``DiracDelta(u)`` is ``0`` (their values at
  ``u = 0`` are conventions, and ``u = 0`` is excluded).
- A link is proved on the domain of its derivatives: :func:`strip` removes the
  wrappers and returns the kinks, and the verdict says where the link holds
  (``x != 0``).  A kink that mentions an index bound inside the derivative
  (``max(0, z_k)`` under a sum over ``k``) has its step functions read off the
  kink too, but is not tracked as a point (it has no value outside the sum): a
  substitution does not find it, and a draw of the search could land on it
  only by drawing an entry of exactly zero.

Functions whose kinks cannot be located (``floor``, ``ceiling``, ``frac``,
``Mod``) are not differentiated: that is an error, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations

import sympy
from sympy import Basic, Expr, Function, Piecewise
from sympy.concrete.expr_with_limits import ExprWithLimits
from sympy.core.relational import Relational

from derivs.errors import DerivsError

#: Functions whose kink is where their one argument is zero.
ZERO_KINKED = (sympy.Abs, sympy.sign, sympy.Heaviside)

#: Functions with kinks that derivs does not locate (infinitely many, or a DiracDelta already).
UNLOCATED = (sympy.floor, sympy.ceiling, sympy.frac, sympy.Mod, sympy.DiracDelta)


class OffKinks(Function):
    """``args[0]`` where every other argument (a kink) is nonzero; undefined elsewhere."""

    @classmethod
    def eval(cls, derivative: Expr, *kinks: Expr) -> Expr | None:
        if not kinks:
            return derivative
        kinks = tuple(_written_out(k) for k in kinks)
        if any(kink.is_zero for kink in kinks):
            return sympy.S.NaN
        if all(kink.is_zero is False and not kink.free_symbols for kink in kinks):
            return derivative
        return None

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real


def _written_out(kink: Expr) -> Expr:
    """A product of kinks over a concrete range, multiplied out (so that its zeros show)."""
    if isinstance(kink, sympy.Product) and all(
        lo.is_Integer and hi.is_Integer for _, lo, hi in kink.limits
    ):
        return kink.doit()
    return kink


def kinks_of(function: Basic, variable: Basic) -> tuple[Expr, ...]:
    """The expressions whose zeros are where ``function`` may have no derivative in ``variable``.

    Each sub-expression that moves with ``variable`` adds its own: ``|u|``,
    ``sign(u)`` and ``Heaviside(u)`` add ``u``; ``max``/``min`` add the
    difference of each pair of arguments; a case split adds ``lhs - rhs`` of
    each relation of its conditions.  A kink under a sum or a product that
    mentions its bound index is one kink per value of the index: their product
    over the range (``prod_{k=1}^{K} (x - k)``), zero exactly where one is.
    Raises :class:`DerivsError` for a function whose kinks derivs cannot locate.
    """
    signed = (-k if k.could_extract_minus_sign() else k for k in _kinks(function, variable))
    return tuple(dict.fromkeys(signed))


def _kinks(node: Basic, variable: Basic) -> list[Expr]:
    if not isinstance(node, Basic) or not _moves(node, variable):
        return []
    if isinstance(node, UNLOCATED):
        raise DerivsError(
            f"{node} is not differentiated: derivs cannot locate where it has no derivative"
        )
    found: list[Expr] = []
    if isinstance(node, ZERO_KINKED):
        found.append(node.args[0])
    elif isinstance(node, sympy.Max | sympy.Min):
        found += [a - b for a, b in combinations(node.args, 2)]
    elif isinstance(node, Piecewise):
        found += [
            relation.lhs - relation.rhs
            for _, condition in node.args
            for relation in _relations(condition)
            if _moves(relation, variable)
        ]
    if isinstance(node, ExprWithLimits):
        inner = _kinks(node.function, variable)
        for limit in reversed(node.limits):
            inner = [sympy.Product(k, limit) if k.has(limit[0]) else k for k in inner]
        return found + [k for k in inner if _moves(k, variable)]
    for arg in node.args:
        found += _kinks(arg, variable)
    return [k for k in found if _moves(k, variable)]


def _moves(expr: Basic, variable: Basic) -> bool:
    """``expr`` may change with ``variable``: ``z_j`` moves every entry ``z_k`` of ``z``."""
    if isinstance(variable, sympy.Indexed):
        return any(entry.base == variable.base for entry in expr.atoms(sympy.Indexed))
    return bool(expr.has(variable))


def _relations(condition: Basic) -> Iterable[Relational]:
    if isinstance(condition, Relational):
        yield condition
        return
    for arg in getattr(condition, "args", ()):
        yield from _relations(arg)


def off_kinks(derivative: Expr, kinks: tuple[Expr, ...]) -> Expr:
    """``derivative`` off its kinks: step functions of a kink read as the cases they are."""
    if not kinks:
        return derivative
    factors = {_factor(k) for k in kinks}
    signed = factors | {-k for k in factors}

    def step(u: Expr) -> Expr:
        if u in signed:
            return Piecewise((sympy.S.One, u > 0), (sympy.S.Zero, True))
        return sympy.Heaviside(u)

    def delta(u: Expr, *order: Expr) -> Expr:
        return sympy.S.Zero if u in signed else sympy.DiracDelta(u, *order)

    smoothed = derivative.replace(sympy.Heaviside, lambda u, *_: step(u))
    return smoothed.replace(sympy.DiracDelta, delta)


def _factor(kink: Expr) -> Expr:
    """One kink of a product of kinks over a range (the kink of each term of a sum)."""
    while isinstance(kink, sympy.Product):
        kink = kink.function
    return kink


def describe(kink: Expr) -> str:
    """``kink = 0`` as text: ``x - k = 0 for some k from 1 to K`` for a product of kinks."""
    kink = kink.xreplace({d: sympy.Symbol(d.name) for d in kink.atoms(sympy.Dummy)})
    if isinstance(kink, sympy.Product):
        ranges = " and ".join(f"{v} from {lo} to {hi}" for v, lo, hi in kink.limits)
        return f"{_factor(kink)} = 0 for some {ranges}"
    return f"{kink} = 0"


def strip(expr: Basic) -> tuple[Expr, tuple[Expr, ...]]:
    """``expr`` with every :class:`OffKinks` replaced by its derivative, and the kinks removed."""
    kinks: list[Expr] = []

    def unwrap(derivative: Expr, *found: Expr) -> Expr:
        kinks.extend(found)
        return derivative

    stripped = expr.replace(OffKinks, unwrap) if expr.has(OffKinks) else expr
    return stripped, tuple(dict.fromkeys(kinks))


def at_kink(expr: Basic, point: Mapping[Basic, Basic]) -> tuple[Expr, Basic] | None:
    """A kink of a derivative in ``expr`` that ``point`` puts at zero, with its derivative."""
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, OffKinks):
            for kink in node.args[1:]:
                if vanishes(kink, point):
                    return kink, node
    return None


def vanishes(kink: Expr, point: Mapping[Basic, Basic]) -> bool:
    """``point`` may put ``kink`` at zero (a product over a range derivs cannot write
    out may hold a zero factor, so it counts unless shown nonzero)."""
    at = _written_out(kink.xreplace(point))
    return bool(at.is_zero or (isinstance(at, sympy.Product) and at.is_zero is not False))


def domain(kinks: tuple[Expr, ...]) -> str:
    """Where a link with derivatives of these kinks holds, as text: ``x != 0, y - x != 0``."""
    return ", ".join(_unequal(k) for k in kinks)


def _unequal(kink: Expr) -> str:
    if isinstance(kink, sympy.Product):
        ranges = " and ".join(f"{v} from {lo} to {hi}" for v, lo, hi in kink.limits)
        return f"{kink.function} != 0 for {ranges}"
    return f"{kink} != 0"
