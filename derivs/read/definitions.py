"""A link written with a definition sign: what its left side must be for it to be checked.

``S := \\sum_k e^{z_k}`` gives ``S`` its formula; it claims nothing until the
notation says what ``S`` is.  When the notation defines that name (declared,
or inferred from this very line), the link is checked against that
definition: the author's formula and the notation's must agree.  Otherwise
there is nothing to check it against, and the link is recorded as the
definition it is, never read as a claim about a name that means something
else (a declared scalar, an open name).  The signs themselves are listed in
:mod:`derivs.read.signs`.
"""

from __future__ import annotations

from sympy import Indexed, Symbol
from sympy.core.function import AppliedUndef

from derivs.context import Context
from derivs.read.shapes import Array


def defined_name(side: object, context: Context) -> str | None:
    """The name a definition's left side gives a formula to, when the notation defines it."""
    names = {d.name for d in context.definitions}
    if isinstance(side, Symbol):
        name = side.name
    elif isinstance(side, Indexed):
        name = str(side.base)
    elif isinstance(side, AppliedUndef):
        name = str(side.func)
    elif isinstance(side, Array) and side.tensor is not None:
        name = str(side.tensor)
    else:
        return None
    return name if name in names else None


def recorded(sign: str) -> str:
    """Why a definition with nothing to check it against is skipped."""
    return (
        f"a definition ({sign}) of a name the notation does not define: recorded, not "
        "checked (declare it under [definitions] to check it)"
    )
