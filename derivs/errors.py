"""The one root exception of derivs.

Every mistake a user can make (an undeclared symbol, text where an expression
belongs, an unknown rule, a derivation file that fails to import) raises
:class:`DerivsError` with a message a person can act on: it names what is wrong
and, where it can, the derivation, the link and the file and line.  Front ends
turn it into a one-line error; the checker turns it into an ``error`` verdict
so that the other links are still checked.

An error that a later layer needs to take apart carries its parts as fields:
an :class:`InputError` (text that cannot be read) its kind, file, line,
column, offending token and the reason alone; an :class:`OptionError` the
option it is about.  Front ends read the fields, never the message.
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


class InputError(DerivsError):
    """Text that cannot be read, with where and what as fields.

    ``reason`` is what is wrong, without its position; ``kind`` says what
    was being read (``"latex"``, ``"notation"``); ``path``, ``line`` and
    ``column`` (1-based, 0 when unknown) say where, and ``token`` is the
    offending text when there is one.  ``str()`` puts them in one line.
    """

    kind: str = "input"

    def __init__(
        self, reason: str, line: int = 0, column: int = 0, *, token: str = "", path: str = ""
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column
        self.token = token
        self.path = path

    def __str__(self) -> str:
        where = [self.path] if self.path else []
        if self.line:
            where.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        return ": ".join([*where, self.reason])
