"""A link written with a definition sign: what its left side must be for it to be checked.

``S := \\sum_k e^{z_k}`` gives ``S`` its formula; it claims nothing until the
notation says what ``S`` is.  When the notation defines that name (declared,
or inferred from this very line), the link is checked against that
definition: the author's formula and the notation's must agree.  Otherwise
there is nothing to check it against, and the link is recorded as the
definition it is, never read as a claim about a name that means something
else (a declared scalar, an open name).  Only a name can be defined: a
definition sign after a derivative or a sum is a claim with a label.  The
signs themselves are listed in :mod:`derivs.read.signs`.
"""

from __future__ import annotations

from sympy import Indexed, Symbol
from sympy.core.function import AppliedUndef

from derivs.context import Context
from derivs.read.shapes import Array


def _name_of(side: object) -> str | None:
    """The name a side is, when it is one: a scalar, an entry, a function applied, a vector."""
    if isinstance(side, Symbol):
        return side.name
    if isinstance(side, Indexed):
        return str(side.base)
    if isinstance(side, AppliedUndef):
        return str(side.func)
    if isinstance(side, Array) and side.tensor is not None:
        return str(side.tensor)
    return None


def is_name(side: object) -> bool:
    """Whether a side is a name, which a definition sign can define."""
    return _name_of(side) is not None


def undefined_name(side: object, context: Context) -> bool:
    """Whether a definition's left side is a name the notation gives no formula.

    Only a name can be defined: a definition sign after anything else (a
    derivative, a sum) is a claim with a label, and is checked.
    """
    name = _name_of(side)
    return name is not None and name not in {d.name for d in context.definitions}


def recorded(sign: str) -> str:
    """Why a definition with nothing to check it against is skipped."""
    return (
        f"a definition ({sign}) of a name the notation does not define: recorded, not "
        "checked (declare it under [definitions] to check it)"
    )
