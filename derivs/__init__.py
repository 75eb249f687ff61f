"""derivs: check the derivations of machine-learning notes, step by step.

A derivation is written as chains of links (``e0 = e1 = e2``) in a context of
declared symbols; the checker proves each link for *symbolic* dimensions with
SymPy, or refutes it with a concrete counterexample, or says it does not
know.  See the README for a complete example.
"""

from __future__ import annotations

from sympy import Derivative as D

from derivs.cache import VerdictCache
from derivs.checker import CheckOptions, check_derivation, check_derivations, check_link
from derivs.context import (
    Between,
    Context,
    Hypothesis,
    Notation,
    OneHot,
    Positive,
    Probability,
    Real,
)
from derivs.errors import DerivsError
from derivs.model import Derivation, Erratum, Link, Step, derivation, step, then
from derivs.numbers import decimal, rounded, truncated
from derivs.refute import SearchLimits
from derivs.rules import RULES, Rule
from derivs.verdict import Counterexample, DerivationResult, LinkResult, Status, Verdict
from derivs.version import __version__

__all__ = [
    "RULES",
    "Between",
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
