"""derivs: check the derivations of machine-learning notes, step by step.

A derivation is written as chains of links (``e0 = e1 = e2``) in a context of
declared symbols; the checker proves each link for *symbolic* dimensions with
SymPy, or refutes it with a concrete counterexample, or says it does not
know.  See the README for a complete example.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from derivs.version import __version__

if TYPE_CHECKING:
    from sympy import Derivative as D

    from derivs.cache import VerdictCache
    from derivs.checker import CheckOptions, check_derivation, check_derivations, check_link
    from derivs.context import Context, Hypothesis, Notation
    from derivs.errors import DerivsError
    from derivs.kinds import Between, Binary, OneHot, Positive, Probability, Real
    from derivs.model import Derivation, Erratum, Link, Step, UnreadLink, derivation, step, then
    from derivs.numbers import decimal, rounded, truncated
    from derivs.refute import SearchLimits
    from derivs.rules import RULES, Rule
    from derivs.verdict import (
        Assignment,
        Counterexample,
        DerivationResult,
        LinkResult,
        Status,
        Verdict,
    )

#: Each public name and where it lives.  They are imported on first use, so
#: that ``import derivs`` (the pytest plugin at every pytest start-up, the
#: command's ``--version``) costs nothing until the engine is needed.
_PUBLIC: dict[str, tuple[str, str]] = {
    "Assignment": ("derivs.verdict", "Assignment"),
    "Between": ("derivs.kinds", "Between"),
    "Binary": ("derivs.kinds", "Binary"),
    "CheckOptions": ("derivs.checker", "CheckOptions"),
    "Context": ("derivs.context", "Context"),
    "Counterexample": ("derivs.verdict", "Counterexample"),
    "D": ("sympy", "Derivative"),
    "Derivation": ("derivs.model", "Derivation"),
    "DerivationResult": ("derivs.verdict", "DerivationResult"),
    "DerivsError": ("derivs.errors", "DerivsError"),
    "Erratum": ("derivs.model", "Erratum"),
    "Hypothesis": ("derivs.context", "Hypothesis"),
    "Link": ("derivs.model", "Link"),
    "LinkResult": ("derivs.verdict", "LinkResult"),
    "Notation": ("derivs.context", "Notation"),
    "OneHot": ("derivs.kinds", "OneHot"),
    "Positive": ("derivs.kinds", "Positive"),
    "Probability": ("derivs.kinds", "Probability"),
    "RULES": ("derivs.rules", "RULES"),
    "Real": ("derivs.kinds", "Real"),
    "Rule": ("derivs.rules", "Rule"),
    "SearchLimits": ("derivs.refute", "SearchLimits"),
    "Status": ("derivs.verdict", "Status"),
    "Step": ("derivs.model", "Step"),
    "UnreadLink": ("derivs.model", "UnreadLink"),
    "Verdict": ("derivs.verdict", "Verdict"),
    "VerdictCache": ("derivs.cache", "VerdictCache"),
    "check_derivation": ("derivs.checker", "check_derivation"),
    "check_derivations": ("derivs.checker", "check_derivations"),
    "check_link": ("derivs.checker", "check_link"),
    "decimal": ("derivs.numbers", "decimal"),
    "derivation": ("derivs.model", "derivation"),
    "rounded": ("derivs.numbers", "rounded"),
    "step": ("derivs.model", "step"),
    "then": ("derivs.model", "then"),
    "truncated": ("derivs.numbers", "truncated"),
}


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'derivs' has no attribute {name!r}")
    module, attribute = _PUBLIC[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))


__all__ = [
    "RULES",
    "Assignment",
    "Between",
    "Binary",
    "CheckOptions",
    "Context",
    "Counterexample",
    "D",
    "Derivation",
    "DerivationResult",
    "DerivsError",
    "Erratum",
    "Hypothesis",
    "Link",
    "LinkResult",
    "Notation",
    "OneHot",
    "Positive",
    "Probability",
    "Real",
    "Rule",
    "SearchLimits",
    "Status",
    "Step",
    "UnreadLink",
    "Verdict",
    "VerdictCache",
    "__version__",
    "check_derivation",
    "check_derivations",
    "check_link",
    "decimal",
    "derivation",
    "rounded",
    "step",
    "then",
    "truncated",
]
