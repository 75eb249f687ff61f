"""The kinds of a declared quantity, and the one table of what each kind means.

A declared scalar, vector or matrix has a *kind* that says what its entries
may be: any real number (logits, weights), a positive number (a temperature),
a probability vector (positive entries that sum to one), a one-hot vector at
a declared index (a target class), a number strictly between two integers
(a smoothing epsilon), or 0 or 1 (a binary label).  A kind is a frozen value
(:class:`Real`, :class:`Positive`, :class:`Probability`, :class:`OneHot`,
:class:`Between`, :class:`Binary`).

What a kind means to each part of derivs is one row of one registry,
:data:`KINDS`, consulted by all of them instead of a chain of tests on the
kind:

- the notation (:class:`derivs.context.Notation`) gives each entry the SymPy
  assumptions of its kind (:attr:`KindRule.assumptions`), refuses a kind where
  it does not apply (:attr:`KindRule.holders`: a probability matrix, a
  one-hot scalar) and states the facts it implies (a probability vector sums
  to one: :attr:`KindRule.sums_to_one`);
- the canonical form (:mod:`derivs.canonical`) writes in the entries a kind
  fixes (a one-hot's entry ``t_k`` is ``delta_kc``: :attr:`KindRule.entry`);
- the TOML notation (:mod:`derivs.read.notation`) names a kind by its word
  (``kind = "one-hot"``) and writes its fields by the names Python gives them
  (``at = "k"``; ``low = 0, high = 1``), read by their types;
- the counterexample search (:mod:`derivs.refute`) draws each entry as its
  kind allows (:attr:`KindRule.draw`): reals in (-2, 2), positives in (0, 3),
  a probability vector on the simplex, a one-hot vector at its index, a
  ``Between(low, high)`` scalar in (low, high), a binary entry 0 or 1;
- the indices a kind names (a one-hot's ``at``, :func:`indices_of`) must be
  declared, and the search gives them values.

Adding a kind is adding its class and its row.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from sympy import Expr, Indexed, Integer, KroneckerDelta, Rational, Symbol

from derivs.errors import DerivsError


@dataclass(frozen=True)
class Real:
    """Entries are any real numbers (logits, weights, inputs)."""


@dataclass(frozen=True)
class Positive:
    """Entries are positive reals."""


@dataclass(frozen=True)
class Probability:
    """A probability vector: entries are positive and sum to one."""


@dataclass(frozen=True)
class OneHot:
    """A one-hot vector at the index ``at``: entry ``k`` is ``delta_{k, at}``."""

    at: Symbol


@dataclass(frozen=True)
class Between:
    """A scalar strictly between the integers ``low`` and ``high`` (a smoothing epsilon)."""

    low: int
    high: int

    def __post_init__(self) -> None:
        bounds = (self.low, self.high)
        if any(isinstance(b, bool) or not isinstance(b, int) for b in bounds):
            raise DerivsError(f"Between({self.low!r}, {self.high!r}): the bounds are integers")
        if self.low >= self.high:
            raise DerivsError(f"Between({self.low}, {self.high}): low must be below high")


@dataclass(frozen=True)
class Binary:
    """Entries are 0 or 1 (a label ``y \\in \\{0, 1\\}``): proved as nonnegative integers,
    drawn as 0 or 1."""


EntryKind = Real | Positive | Probability | OneHot | Binary
ScalarKind = Real | Positive | Between | Binary

Positions = Sequence[tuple[int, ...]]
At = Mapping[Symbol, Integer]
Draw = Callable[[Any, random.Random, Positions, At], Any]
"""``draw(kind, rng, positions, at)``: one value per position (a scalar has the one
position ``()``), at the indices' values ``at``; None if ``at`` lacks one it needs."""

#: Where a kind may be declared: a scalar, a vector, a matrix, a family's members.
HOLDERS = ("scalar", "vector", "matrix", "family")


@dataclass(frozen=True)
class KindRule:
    """What one kind means: its word, where it applies, its facts and how it is drawn.

    ``entry(kind, z[k])``, for a kind that fixes its entries, is what the entry
    is (a one-hot's Kronecker delta), written in before a link is proved.
    """

    word: str
    kind: type
    holders: frozenset[str]
    assumptions: Mapping[str, bool]
    draw: Draw
    sums_to_one: bool = False
    entry: Callable[[Any, Indexed], Expr] | None = None
    #: ``never_zero(kind)``: every value of the kind is nonzero, beyond what the
    #: assumptions say (a scalar between 0 and 1 is real for SymPy, yet never 0).
    never_zero: Callable[[Any], bool] = lambda kind: False

    def check(self, holder: str, name: str = "") -> None:
        """Refuse this kind for a ``holder`` (a scalar, a vector...) that cannot have it."""
        if holder not in self.holders:
            prefix = f"{name}: " if name else ""
            raise DerivsError(
                f"{prefix}a {holder} cannot be {self.word}: a {holder} is {words_for(holder)}"
            )


def rational_between(rng: random.Random, low: int, high: int) -> Rational:
    """A rational with three decimals strictly between ``low`` and ``high``."""
    return Rational(rng.randint(low * 1000 + 1, high * 1000 - 1), 1000)


def _within(bounds: Callable[[Any], tuple[int, int]]) -> Draw:
    """Each entry a rational strictly inside the kind's ``bounds``."""

    def draw(kind: object, rng: random.Random, positions: Positions, at: At) -> list[Expr]:
        low, high = bounds(kind)
        return [rational_between(rng, low, high) for _ in positions]

    return draw


def _on_the_simplex(kind: object, rng: random.Random, positions: Positions, at: At) -> list[Expr]:
    weights = [rng.randint(1, 1000) for _ in positions]
    return [Rational(w, sum(weights)) for w in weights]


def _one_hot(kind: OneHot, rng: random.Random, positions: Positions, at: At) -> list[Expr] | None:
    hot = at.get(kind.at)
    if hot is None:
        return None
    return [Integer(1 if p[0] == hot else 0) for p in positions]


def _zero_or_one(kind: object, rng: random.Random, positions: Positions, at: At) -> list[Expr]:
    return [Integer(rng.randint(0, 1)) for _ in positions]


_EVERYWHERE = frozenset(HOLDERS)
_ARRAYS = frozenset({"vector", "matrix"})

#: The registry: every kind, by the word the TOML notation names it with.
KINDS: Mapping[str, KindRule] = {
    rule.word: rule
    for rule in (
        KindRule("real", Real, _EVERYWHERE, {"real": True}, _within(lambda _: (-2, 2))),
        KindRule("positive", Positive, _EVERYWHERE, {"positive": True}, _within(lambda _: (0, 3))),
        KindRule(
            "probability",
            Probability,
            frozenset({"vector"}),
            {"positive": True},
            _on_the_simplex,
            sums_to_one=True,
        ),
        KindRule(
            "one-hot",
            OneHot,
            _ARRAYS,
            {"nonnegative": True},
            _one_hot,
            entry=lambda kind, entry: KroneckerDelta(entry.indices[0], kind.at),
        ),
        KindRule(
            "between",
            Between,
            frozenset({"scalar"}),
            {"real": True},
            _within(lambda kind: (kind.low, kind.high)),
            never_zero=lambda kind: kind.low >= 0 or kind.high <= 0,
        ),
        KindRule(
            "binary",
            Binary,
            _EVERYWHERE,
            {"integer": True, "nonnegative": True},
            _zero_or_one,
        ),
    )
}

_RULE_OF: Mapping[type, KindRule] = {rule.kind: rule for rule in KINDS.values()}


def rule_of(kind: object) -> KindRule:
    """The registry's row for ``kind``; an error for what is not a kind."""
    rule = _RULE_OF.get(type(kind))
    if rule is None:
        raise DerivsError(
            f"{kind!r} is not a kind: use {', '.join(r.kind.__name__ for r in KINDS.values())}"
        )
    return rule


def words_for(holder: str) -> str:
    """The kinds a ``holder`` may have, as a reader would list them."""
    words = [rule.word for rule in KINDS.values() if holder in rule.holders]
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]


def indices_of(kind: object) -> tuple[Symbol, ...]:
    """The indices a kind names (a one-hot's ``at``): each must be declared."""
    values = (getattr(kind, f.name) for f in fields(kind))  # type: ignore[arg-type]
    return tuple(v for v in values if isinstance(v, Symbol))
