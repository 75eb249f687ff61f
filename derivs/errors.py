"""The one root exception of derivs.

Every mistake a user can make (an undeclared symbol, text where an expression
belongs, an unknown rule, a derivation file that fails to import) raises
:class:`DerivsError` with a message a person can act on: it names what is wrong
and, where it can, the derivation, the link and the file and line.  Front ends
turn it into a one-line error; the checker turns it into an ``error`` verdict
so that the other links are still checked.
"""

from __future__ import annotations


class DerivsError(Exception):
    """A user mistake that derivs can explain."""


class DerivsWarning(UserWarning):
    """Something a user wrote that is not an error but likely a mistake.

    The library issues it through :mod:`warnings`; the loader collects it and
    the command line shows each one once on stderr.
    """


class OptionError(DerivsError):
    """An option out of its valid range; ``option`` names it as the library spells it."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option
        self.reason = message
