"""The names an expression mentions, and those a derivative in it may move.

A reading of a document names things; which of them a link *uses* decides
whether an open reading of a name (:mod:`derivs.readings`) can change its
verdict.  A name is used where it is written, and also where it sits inside
a derivative by another variable: differentiated, an undefined name that
depends on the variable (``Z`` in ``\\frac{\\partial}{\\partial s_i} e^{s_i}/Z``)
contributes a term that a constant does not, whether or not a counterexample
draws it.
"""

from __future__ import annotations

from collections.abc import Callable

from sympy import Basic, Derivative, Indexed, Symbol
from sympy.core.function import AppliedUndef


def mentioned(expr: Basic) -> set[str]:
    """The names ``expr`` mentions: symbols, the bases of entries, applied functions."""
    names = {str(s) for s in expr.atoms(Symbol)}
    names |= {str(x.base) for x in expr.atoms(Indexed)}
    return names | {str(f.func) for f in expr.atoms(AppliedUndef)}


def under_derivatives(
    expr: Basic, reach: Callable[[set[str]], set[str]] = lambda names: names
) -> set[str]:
    """The names inside a derivative of ``expr`` other than what it is differentiated by.

    ``reach`` adds the names that the definitions among them mention.  A name
    the document leaves open may depend on the variable of a derivative it
    sits in: its derivative then rests on the reading, drawn or not.
    """
    found: set[str] = set()
    for derivative in expr.atoms(Derivative):
        variables = {
            str(v.base) if isinstance(v, Indexed) else str(v) for v in derivative.variables
        }
        found |= reach(mentioned(derivative.expr)) - variables
    return found
