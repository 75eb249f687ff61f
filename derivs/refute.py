"""Searching for a counterexample to a link.

A link that the strategies cannot prove may be false.  To show that it is,
the search evaluates both sides at concrete values and looks for a
difference:

- the dimensions run from their minimum up to ``max_dimension`` (6 by
  default), smallest total first, so the counterexample reported is the
  smallest one found;
- at each size, every assignment of the free indices that the link's case
  allows (``i != j`` skips ``i = j``), in lexicographic order;
- for each assignment, a few draws of the entries (and more rounds of
  draws over the same assignments while fewer than ``min_samples`` were
  compared: a scalar link has one assignment only, and two draws would miss
  a claim that fails on half the line), each drawn as its kind's
  row of :data:`derivs.kinds.KINDS` says: reals in (-2, 2), positives in
  (0, 3), a probability vector on the simplex, a one-hot vector at its index,
  a ``Between(low, high)`` scalar in (low, high); a link's own hypotheses
  (``sum_k t_k = 1`` for a real ``t``) are then satisfied by solving for one
  entry;
- arbitrary functions (``u(x)`` in the quotient rule) become random cubic
  polynomials, so a false rule about functions is refuted too.

Sums and products are written out term by term, an empty range giving 0
and 1 (the convention of :mod:`derivs.canonical`, not SymPy's ``doit``).
The entries are exact rationals and both sides are evaluated to 40 digits; a
relative difference above 1e-25, confirmed again at 80 digits, is a
counterexample.  Everything is drawn
from a generator seeded by the link's own text and the run's seed, so a
report is reproducible.  Agreement at every sample proves nothing: it only
means that no counterexample was found.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import sympy
from sympy import Basic, Derivative, Expr, Indexed, Integer, Rational, Subs, Symbol
from sympy.core.function import AppliedUndef
from sympy.core.relational import Relational

from derivs.canonical import prepare, unfold, write_out
from derivs.context import Context, Hypothesis
from derivs.inequalities import violated
from derivs.kinds import indices_of, rational_between, rule_of
from derivs.model import Relation
from derivs.verdict import Assignment, Counterexample, assigned

#: Working precision, in decimal digits, of the evaluation of both sides.
DIGITS = 40
#: Relative difference above which the two sides are taken to differ.
TOLERANCE = sympy.Float("1e-25", DIGITS)


@dataclass(frozen=True)
class SearchLimits:
    """How far the search goes before it gives up."""

    max_dimension: int = 6
    draws: int = 2
    min_samples: int = 24
    max_samples: int = 300
    seconds: float = 10.0
    seed: int = 0


#: Sizes, an assignment of the free indices, both sides there and the hypotheses there.
Point = tuple[Mapping[Symbol, Integer], Mapping[Symbol, Integer], list[Expr], list[Expr]]


@dataclass(frozen=True)
class SearchResult:
    """The counterexample found, or how many samples agreed."""

    counterexample: Counterexample | None
    samples: int
    reason: str = ""


def search(
    lhs: Expr,
    rhs: Expr,
    context: Context,
    condition: tuple[Relational, ...],
    hypotheses: tuple[Hypothesis, ...],
    limits: SearchLimits,
    relation: Relation = Relation.EQUAL,
) -> SearchResult:
    """Look for concrete values at which ``lhs`` and ``rhs`` differ (or break ``relation``)."""
    rng = random.Random(_seed(lhs, rhs, limits.seed))
    functions = {f: _random_polynomial(rng) for f in context.functions}
    sides = [
        _instantiate_functions(
            unfold(_instantiate_functions(prepare(s), functions), context), functions
        )
        for s in (lhs, rhs)
    ]
    hypothesis_sides = [unfold(prepare(h.lhs - h.rhs), context) for h in hypotheses]
    dimensions = _dimensions(sides, context, condition)
    indices = _free_indices(sides, context, condition)
    deadline = time.monotonic() + limits.seconds
    samples = 0
    assignments: list[Point] = []
    for round_ in itertools.count():
        if round_:
            if samples >= limits.min_samples or not assignments:
                break
            enumerated = iter(assignments)
        else:
            enumerated = _assignments(
                sides,
                hypothesis_sides,
                dimensions,
                indices,
                context,
                condition,
                limits,
                assignments,
            )
        compared = samples
        for sizes, where, concrete, constraints in enumerated:
            for _ in range(limits.draws):
                if samples >= limits.max_samples or time.monotonic() > deadline:
                    return SearchResult(None, samples, "sample budget spent")
                values = _draw(concrete + constraints, context, {**sizes, **where}, rng)
                if values is None or not _satisfy(constraints, values):
                    continue
                samples += 1
                found = _compare(concrete, values, relation)
                if found is not None:
                    # Every scalar of the notation is drawn (the draws stay the same
                    # whatever a link mentions); a counterexample shows those it uses.
                    used = set().union(*(e.free_symbols for e in concrete + constraints))
                    shown = {k: v for k, v in values.items() if not k.is_Symbol or k in used}
                    return SearchResult(
                        _counterexample(sizes, where, shown, functions, *found), samples
                    )
        if round_ and samples == compared:
            break
    return SearchResult(None, samples, "no counterexample")


def _assignments(
    sides: list[Expr],
    hypothesis_sides: list[Expr],
    dimensions: list[Symbol],
    indices: list[Symbol],
    context: Context,
    condition: tuple[Relational, ...],
    limits: SearchLimits,
    seen: list[Point],
) -> Iterator[Point]:
    """Every size and index assignment, with both sides and the hypotheses evaluated there.

    Each is also appended to ``seen``, so that later rounds of draws reuse it.
    """
    for sizes in _sizes(dimensions, context, limits.max_dimension):
        for where in _index_assignments(indices, context, sizes, condition):
            at = {**sizes, **where}
            # Bound indices are fresh dummies (prepare), so xreplace cannot capture.
            concrete = [evaluated(side.xreplace(at)) for side in sides]
            constraints = [evaluated(h.xreplace(at)) for h in hypothesis_sides]
            seen.append((sizes, where, concrete, constraints))
            yield sizes, where, concrete, constraints


def evaluated(expr: Expr) -> Expr:
    """``expr`` at concrete sizes, its sums and products written out.

    Empty ranges count as empty (0 and 1: :func:`~derivs.canonical.write_out`)
    before SymPy's ``doit`` sees them, so the search judges a claim by the
    same convention as the proofs.
    """
    return write_out(expr).doit()


def _seed(lhs: Expr, rhs: Expr, seed: int) -> int:
    text = f"{seed}:{sympy.srepr(lhs)}={sympy.srepr(rhs)}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


# -- functions ------------------------------------------------------------------


def _random_polynomial(rng: random.Random) -> sympy.Lambda:
    x = sympy.Dummy("x")
    coefficients = [rational_between(rng, -2, 2) for _ in range(4)]
    return sympy.Lambda(x, sum(c * x**n for n, c in enumerate(coefficients)))


def _instantiate_functions(expr: Expr, functions: Mapping[object, sympy.Lambda]) -> Expr:
    """``expr`` with each undefined function replaced by its drawn polynomial.

    Applied to the sides as written and again once they are unfolded (a
    definition's body may apply one); a derivative of a drawn function is then
    a derivative of a polynomial, taken at once, so that no value is ever put
    in place of a variable of differentiation.
    """
    if not functions or not expr.has(*functions):
        return expr
    drawn = expr.replace(
        lambda e: isinstance(e, AppliedUndef) and e.func in functions,
        lambda e: functions[e.func](*e.args),
    )
    return drawn.replace(
        lambda e: isinstance(e, Derivative | Subs) and not e.has(*functions),
        lambda e: e.doit(deep=False),
    )


# -- what to enumerate ------------------------------------------------------------


def _dimensions(
    sides: list[Expr], context: Context, condition: tuple[Relational, ...]
) -> list[Symbol]:
    """The dimensions the sides depend on, directly or through ranges and shapes."""
    needed: set[Basic] = set()
    for side in sides:
        needed |= side.free_symbols
        for indexed in side.atoms(Indexed):
            if indexed.base in context.tensor_of:
                for extent in context.tensor_of[indexed.base].shape:
                    needed |= extent.free_symbols
    for relation in condition:
        needed |= relation.free_symbols
    needed |= _named_by_kinds(sides, context)
    for symbol in list(needed):
        if symbol in context.index_of:
            index = context.index_of[symbol]
            needed |= index.lower.free_symbols | index.upper.free_symbols
    return [d.symbol for d in context.dimensions if d.symbol in needed]


def _free_indices(
    sides: list[Expr], context: Context, condition: tuple[Relational, ...]
) -> list[Symbol]:
    """Indices to assign: those of the sides, of the case, and those the kinds name."""
    free: set[Basic] = _named_by_kinds(sides, context)
    for side in [*sides, *condition]:
        free |= side.free_symbols
    return [x.symbol for x in context.indices if x.symbol in free]


def _named_by_kinds(sides: list[Expr], context: Context) -> set[Basic]:
    """The indices the kinds of the used tensors name (a one-hot's class): they need values."""
    return {
        index
        for tensor in context.tensors
        if any(side.has(tensor.base) for side in sides)
        for index in indices_of(tensor.kind)
    }


def _sizes(
    dimensions: list[Symbol], context: Context, largest: int
) -> Iterator[dict[Symbol, Integer]]:
    ranges = [
        range(context.dimension_of[d].minimum, max(largest, context.dimension_of[d].minimum) + 1)
        for d in dimensions
    ]
    combos = sorted(itertools.product(*ranges), key=lambda combo: (sum(combo), combo))
    for combo in combos:
        yield {d: Integer(v) for d, v in zip(dimensions, combo, strict=True)}


def _index_assignments(
    indices: list[Symbol],
    context: Context,
    sizes: Mapping[Symbol, Integer],
    condition: tuple[Relational, ...],
) -> Iterator[dict[Symbol, Integer]]:
    ranges = []
    for symbol in indices:
        index = context.index_of[symbol]
        low, high = index.lower.xreplace(sizes), index.upper.xreplace(sizes)
        if not (low.is_Integer and high.is_Integer):
            return
        ranges.append(range(int(low), int(high) + 1))
    for combo in itertools.product(*ranges):
        where = {s: Integer(v) for s, v in zip(indices, combo, strict=True)}
        at = {**sizes, **where}
        if all(relation.xreplace(at) is sympy.true for relation in condition):
            yield where


# -- drawing entries -----------------------------------------------------------------


def _draw(
    exprs: list[Expr], context: Context, at: Mapping[Symbol, Integer], rng: random.Random
) -> dict[Basic, Expr] | None:
    values: dict[Basic, Expr] = {}
    used_bases = {x.base for e in exprs for x in e.atoms(Indexed)}
    for tensor in context.tensors:
        if tensor.base not in used_bases:
            continue
        shape = [extent.xreplace(at) for extent in tensor.shape]
        if not all(n.is_Integer for n in shape):
            return None
        positions = list(itertools.product(*(range(1, int(n) + 1) for n in shape)))
        entries = rule_of(tensor.kind).draw(tensor.kind, rng, positions, at)
        if entries is None:
            return None
        for position, entry in zip(positions, entries, strict=True):
            values[tensor.base[position]] = entry
    for scalar in context.scalars:
        (values[scalar.symbol],) = rule_of(scalar.kind).draw(scalar.kind, rng, [()], at)
    return values


def _satisfy(constraints: list[Expr], values: dict[Basic, Expr]) -> bool:
    """Make every constraint ``c = 0`` hold by solving it, linearly, for one of its entries."""
    for constraint in constraints:
        for unknown in sorted(constraint.atoms(Indexed), key=sympy.default_sort_key, reverse=True):
            others = {k: v for k, v in values.items() if k != unknown}
            reduced = sympy.expand(constraint.xreplace(others))
            slope = reduced.diff(unknown)
            alone = not reduced.free_symbols - {unknown, unknown.base.label}
            if alone and slope.is_number and slope != 0:
                values[unknown] = -reduced.xreplace({unknown: 0}) / slope
                break
        if constraint.xreplace(values) != 0:
            return False
    return True


# -- comparing ----------------------------------------------------------------------


def _compare(
    sides: list[Expr], values: Mapping[Basic, Expr], relation: Relation
) -> tuple[Expr, Expr] | None:
    """Both sides where ``relation`` fails between them, confirmed at twice the precision."""
    exact = (sides[0].xreplace(values), sides[1].xreplace(values))
    for digits in (DIGITS, 2 * DIGITS):
        evaluated = [side.evalf(digits) for side in exact]
        if not all(v.is_number and v.is_finite for v in evaluated):
            return None
        lhs, rhs = evaluated
        if not violated(relation, exact, (lhs, rhs), TOLERANCE):
            return None
    return lhs, rhs


def _counterexample(
    sizes: Mapping[Symbol, Integer],
    where: Mapping[Symbol, Integer],
    values: Mapping[Basic, Expr],
    functions: Mapping[object, sympy.Lambda],
    lhs: Expr,
    rhs: Expr,
) -> Counterexample:
    shown = [
        assigned(k, _decimal(v))
        for k, v in sorted(values.items(), key=lambda kv: sympy.default_sort_key(kv[0]))
    ]
    x = sympy.Symbol("x")
    shown += [Assignment(str(f), (), str(sympy.expand(p(x))), of="x") for f, p in functions.items()]
    return Counterexample(
        dimensions=tuple((str(k), int(v)) for k, v in sizes.items()),
        indices=tuple((str(k), int(v)) for k, v in where.items()),
        values=tuple(shown),
        lhs=_decimal(lhs),
        rhs=_decimal(rhs),
    )


def _decimal(value: Expr) -> str:
    """Exact text for a terminating decimal, else 30 significant digits."""
    if isinstance(value, Rational):
        denominator = int(value.q)
        while denominator % 2 == 0:
            denominator //= 2
        while denominator % 5 == 0:
            denominator //= 5
        if denominator == 1:
            return (
                str(sympy.Float(value, DIGITS)).rstrip("0").rstrip(".")
                if value.q != 1
                else str(value)
            )
    if value.is_number:
        text = str(sympy.N(value, 30))
        if "." in text and "e" not in text.lower():
            text = text.rstrip("0").rstrip(".")
        return text
    return str(value)


def zero_at(
    expr: Expr, context: Context, condition: tuple[Relational, ...], limits: SearchLimits
) -> str | None:
    """A point of the search (sizes, indices, drawn entries) at which ``expr`` is 0, as text.

    The same sizes, index assignments and draws as :func:`search`, so a
    divisor that vanishes where a counterexample could be sought is found.
    """
    rng = random.Random(_seed(expr, Integer(0), limits.seed))
    side = unfold(prepare(expr), context)
    samples = 0
    for sizes in _sizes(_dimensions([side], context, condition), context, limits.max_dimension):
        for where in _index_assignments(
            _free_indices([side], context, condition), context, sizes, condition
        ):
            at = {**sizes, **where}
            concrete = evaluated(side.xreplace(at))
            for _ in range(limits.draws):
                values = _draw([concrete], context, at, rng)
                samples += 1
                if samples > limits.max_samples:
                    return None
                if values is not None and concrete.xreplace(values) == 0:
                    named = [(str(k), str(v)) for k, v in at.items()]
                    named += [(str(k), str(v)) for k, v in values.items() if side.has(k)]
                    return ", ".join(f"{name} = {value}" for name, value in named)
    return None
