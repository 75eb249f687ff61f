"""What the checker says about a link, as data.

A verdict is three-valued plus two: a link is *proved* (symbolic algebra
showed both sides equal for every value of the symbolic dimensions),
*refuted* (a concrete counterexample makes the sides differ), *unknown*
(neither: SymPy could not decide, a strategy gave up, or the deadline or the
memory bound was hit), an *error* (the link is malformed or could not be
read) or *skipped* (a document's link with nothing to check: an ellipsis
entry, prose; the verdict says which).  Numeric
agreement never makes a link proved, and a timeout never refutes it.

Verdicts are frozen values that front ends render however they like; the
engine never prints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import ClassVar

from sympy import Basic, Indexed

from derivs.model import ChainLink, Derivation, UnreadLink


class Status(Enum):
    """The answers the checker can give about a link."""

    PROVED = "proved"
    REFUTED = "refuted"
    UNKNOWN = "unknown"
    ERROR = "error"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Assignment:
    """One value a counterexample draws: whose (a name, the indices of an entry,
    the variable of a function) and the value as exact text.

    ``z[1] = 0.5`` is ``Assignment("z", ("1",), "0.5")``; a function drawn as a
    polynomial, ``u(x) = 2*x + 1``, is ``Assignment("u", (), "2*x + 1", of="x")``.
    """

    name: str
    indices: tuple[str, ...]
    value: str
    of: str = ""

    @property
    def label(self) -> str:
        """``z[1]``, ``W[1, 2]``, ``u(x)`` or ``c``: the entry as plain text."""
        if self.of:
            return f"{self.name}({self.of})"
        return f"{self.name}[{', '.join(self.indices)}]" if self.indices else self.name


def assigned(target: Basic, value: str) -> Assignment:
    """The assignment of ``value`` to a drawn symbol or vector entry."""
    if isinstance(target, Indexed):
        return Assignment(str(target.base), tuple(str(i) for i in target.indices), value)
    return Assignment(str(target), (), value)


@dataclass(frozen=True)
class Counterexample:
    """Concrete values at which the two sides of a link differ.

    Every value is text, so that a report is exact and reproducible: the
    dimensions (``K = 3``), the free indices (``i = 1, j = 2``), the entries
    of each vector and scalar that were drawn (:class:`Assignment`), and the
    value of each side to at least 30 significant digits.
    """

    dimensions: tuple[tuple[str, int], ...]
    indices: tuple[tuple[str, int], ...]
    values: tuple[Assignment, ...]
    lhs: str
    rhs: str

    def __str__(self) -> str:
        parts = [f"{name} = {value}" for name, value in self.dimensions + self.indices]
        parts += [f"{entry.label} = {entry.value}" for entry in self.values]
        return f"at {', '.join(parts)}: lhs = {self.lhs}, rhs = {self.rhs}"


@dataclass(frozen=True)
class Verdict:
    """The checker's answer about one link: status, how, how long, and why."""

    status: Status
    method: str
    seconds: float = 0.0
    counterexample: Counterexample | None = None
    message: str = ""
    cached: bool = False

    PROVED: ClassVar[Status] = Status.PROVED
    REFUTED: ClassVar[Status] = Status.REFUTED
    UNKNOWN: ClassVar[Status] = Status.UNKNOWN
    ERROR: ClassVar[Status] = Status.ERROR
    SKIPPED: ClassVar[Status] = Status.SKIPPED

    def __post_init__(self) -> None:
        if (self.status is Status.REFUTED) != (self.counterexample is not None):
            raise ValueError("a refuted verdict carries a counterexample, and only it does")


@dataclass(frozen=True)
class LinkResult:
    """A link with its verdict and its number within the derivation."""

    number: int
    link: ChainLink
    verdict: Verdict

    @property
    def expected(self) -> Status:
        skipped = isinstance(self.link, UnreadLink) and self.link.skipped
        if skipped and not self.link.expects_refutation:
            return Status.SKIPPED
        return Status.REFUTED if self.link.expects_refutation else Status.PROVED

    @property
    def as_expected(self) -> bool:
        return self.verdict.status is self.expected


@dataclass(frozen=True)
class DerivationResult:
    """Every link of a derivation with its verdict, in order."""

    derivation: Derivation
    links: tuple[LinkResult, ...]

    def count(self, status: Status) -> int:
        return sum(1 for result in self.links if result.verdict.status is status)

    @property
    def unexpected(self) -> tuple[LinkResult, ...]:
        return tuple(result for result in self.links if not result.as_expected)

    @property
    def seconds(self) -> float:
        return sum(result.verdict.seconds for result in self.links)
