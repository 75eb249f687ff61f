"""The derivation library: the softmax / cross-entropy gradient as five documents derive it.

One module per theme of ``shared/DERIVATIONS.md``; each derivation names the
document it comes from (see :mod:`proofs.sources`) and writes its steps as
the document does, errata included (marked, and expected to be refuted).

=======================  ============================================  =========
module                   what it derives                               items
=======================  ============================================  =========
``distribution``         softmax is a probability distribution         1
``sigmoid``              sigmoid is the two-class softmax              2
``quotient``             dS/dz_j and the quotient rule                 3, 4
``jacobian``             the diagonal, off-diagonal, Kronecker form    5 to 8
                         and the printed matrix
``cross_entropy``        cross-entropy and the combined gradient       9 to 11
``linear_layer``         through a linear layer                        12
``worked_example``       document 003's numbers, digit by digit        13
``stability``            shift invariance and log-softmax              14
``beyond``               log-sum-exp, sigmoid + BCE, temperature,      beyond
                         label smoothing, Jacobian properties
=======================  ============================================  =========
"""

from __future__ import annotations

from types import ModuleType

from derivs import Derivation, DerivsError

from . import (
    beyond,
    cross_entropy,
    distribution,
    jacobian,
    linear_layer,
    quotient,
    sigmoid,
    stability,
    worked_example,
)

MODULES: tuple[ModuleType, ...] = (
    distribution,
    sigmoid,
    quotient,
    jacobian,
    cross_entropy,
    linear_layer,
    worked_example,
    stability,
    beyond,
)

#: Every derivation of the library, in catalog order.
LIBRARY: tuple[Derivation, ...] = tuple(d for module in MODULES for d in module.DERIVATIONS)


def derivation_named(name: str) -> Derivation:
    """The library derivation called ``name``."""
    for found in LIBRARY:
        if found.name == name:
            return found
    raise DerivsError(f"no derivation named {name!r} in the library; see `derivs list`")
