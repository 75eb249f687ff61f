"""Bound indices: the variables of sums and products, and renaming them deterministically.

``Sum(z[k], (k, 1, K))`` *binds* ``k``: the sum means the same whatever its
index is called, and a substitution must never put a value into it.  The
engine relies on three operations on bound indices, here in one place:

- :func:`bound_variables`, the variables a sum, product, integral or lambda
  binds anywhere inside an expression;
- :func:`rename_bound`, renaming every binder's variable, innermost first,
  by a function of the old name and the binder's depth;
- :func:`fresh_bound`, renaming them to dummies chosen by a pure function of
  the expression, so that the same expression is always renamed the same way
  and a substitution into the result can never be captured.

:func:`integer_facts` gives a renamed index (or a declared one) the SymPy
facts of an integer at least its lower bound.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable

import sympy
from sympy import Basic, Expr, IndexedBase, Symbol
from sympy.concrete.expr_with_limits import ExprWithLimits


def bound_variables(expr: Basic) -> set[Basic]:
    """Every variable bound inside ``expr``: by a sum, product or integral, or by a lambda."""
    bound: set[Basic] = set()
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, ExprWithLimits):
            bound.update(limit[0] for limit in node.limits)
        elif isinstance(node, sympy.Lambda):
            bound.update(node.variables)
    return bound


def integer_facts(lower: Expr) -> dict[str, bool]:
    """SymPy's assumptions for an integer that is at least ``lower``.

    ``lower`` may be a bound (``1``, ``0``) or an index symbol, whose own
    facts then carry over (a fresh dummy for a bound ``k``).
    """
    facts = {"integer": True}
    if lower.is_positive:
        facts["positive"] = True
    elif lower.is_nonnegative:
        facts["nonnegative"] = True
    return facts


def fresh_bound(expr: Basic, salt: str = "") -> Basic:
    """``expr`` with every bound index renamed to a dummy of its own.

    The dummies are chosen by a pure function of ``expr`` (and ``salt``):
    their numbers come from a SHA-256 of ``srepr(expr)``, one per binder, and
    skip every dummy that ``expr`` already mentions, bound or free.  So the
    same expression is always renamed the same way (and SymPy's cache sees
    the same objects again), while a dummy never equals a declared symbol
    (a dummy is never equal to a ``Symbol``), nor a symbol of ``expr``, nor a
    dummy of another expression (another text gives other numbers).  A
    substitution into the result can never be captured by one of its sums.
    """
    if not expr.has(sympy.Sum, sympy.Product):
        return expr
    digest = hashlib.sha256(f"{salt}|{sympy.srepr(expr)}".encode()).digest()
    start = int.from_bytes(digest[:8], "big") | (1 << 64)
    taken = {d.dummy_index for d in expr.atoms(sympy.Dummy)}
    numbers = (n for n in itertools.count(start) if n not in taken)

    def make(old: Symbol, _depth: int) -> Symbol:
        return sympy.Dummy(old.name, dummy_index=next(numbers), **integer_facts(old))

    return rename_bound(expr, make)


def rename_bound(expr: Basic, make: Callable[[Symbol, int], Symbol]) -> Basic:
    """Rename the bound variable of every Sum/Product in ``expr``.

    ``make(old, depth)`` gives the new name; ``depth`` is 1 for a sum with no
    sum inside it, 2 for one that holds sums of depth 1, and so on.  Inner
    scopes are renamed first, so shadowed names are handled correctly.
    """
    renamed, _ = _rename(expr, make)
    return renamed


def _rename(expr: Basic, make: Callable[[Symbol, int], Symbol]) -> tuple[Basic, int]:
    if not expr.args or isinstance(expr, (Symbol, IndexedBase)):
        return expr, 0
    results = [_rename(arg, make) for arg in expr.args]
    args = [arg for arg, _ in results]
    depth = max((d for _, d in results), default=0)
    if isinstance(expr, (sympy.Sum, sympy.Product)):
        function, *limits = args
        # SymPy lists the limits innermost first: the index of limit p is in
        # scope in the function and in the ranges of the limits before it.
        for position in range(len(limits)):
            variable, low, high = limits[position]
            depth += 1
            new = make(variable, depth)
            function = function.xreplace({variable: new})
            for inner in range(position):
                v, lo, hi = limits[inner]
                limits[inner] = sympy.Tuple(
                    v, lo.xreplace({variable: new}), hi.xreplace({variable: new})
                )
            limits[position] = sympy.Tuple(new, low, high)
        return expr.func(function, *limits), depth
    if args == list(expr.args):
        return expr, depth
    return expr.func(*args, evaluate=False) if _takes_evaluate(expr) else expr.func(*args), depth


def _takes_evaluate(expr: Basic) -> bool:
    return isinstance(expr, (sympy.Add, sympy.Mul, sympy.Pow))
