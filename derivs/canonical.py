"""The canonical form of a link: what the strategies and the cache look at.

Checking ``lhs = rhs`` starts by bringing both sides to a canonical form in
which equal things tend to look equal.  The passes, in order:

1. **prepare**: unwrap ``UnevaluatedExpr`` and rename every bound index to a
   fresh dummy, so that no later substitution can be captured by a sum
   (SymPy's own ``simplify`` trips on clashing bound indices: issue 14570).
2. **unfold**: replace each defined name by its definition, evaluate each
   derivative and each decimal rounding of a number.  A derivative with
   respect to a *defined* quantity (``dL/da_i``) differentiates with that
   quantity kept as a variable and unfolds it afterwards, which is what a
   note means by it.
3. **kinds**: a one-hot vector's entries become Kronecker deltas
   (``t_k -> delta_{kc}``).
4. **case**: equalities of the link's case are substituted (``i = j`` puts
   ``i`` for ``j``); disequalities and inequalities become facts for the
   next pass.  A case that cannot hold for the declared ranges (``i > K``,
   ``i = K + 1``) is an error, as is an entry whose index provably lies
   outside its range (:func:`entries_out_of_range`): either would make a
   claim vacuous.
5. **normalise** (bottom-up): sums are split over ``+``, factors that do not
   depend on the summation index are pulled out, Kronecker deltas are
   contracted against the sum when the other index lies in the sum's range,
   a sum over a concrete range is written out, and every bound index is
   renamed canonically (by nesting depth), so that sums that differ only in
   their dummy compare equal.  A product over a concrete range is written
   out as its sum is.  Logarithms of positive products are split;
   a ``Piecewise`` whose conditions the declared ranges decide (SymPy leaves
   guards such as ``K >= j``, issue 13993) is resolved; ``delta_ij`` is 0
   where the facts say ``i != j``.

The problem also keeps the difference of the two sides over a common
denominator, with exponentials as opaque atoms (:attr:`Problem.numerator`),
computed once for every strategy that needs it.  The factors both sides
share are taken out first (:mod:`derivs.factors`): the derivative of a
product of ``n`` factors shares ``n - 1`` of them with its claim, and over a
common denominator they would multiply out into ``2^n`` terms.

**Empty ranges.**  A sum over an empty range is 0 and a product over one is 1,
whatever order its limits are written in: ``sum_{k=3}^{1} x_k = 0``.  This is
the mathematical convention, not SymPy's (Karr's, where a reversed sum is
minus a sum), and every pass keeps to it: a sum of ``n`` terms free of the
index becomes ``n`` times the term only where ``n >= 0`` follows from the
facts, a Kronecker delta is contracted only against a range that holds its
partner (so is not empty), and :func:`write_out` gives the refuter the same
convention when it evaluates at concrete sizes.  A claim that needs the range
to be non-empty is proved only under a case that says so (``i <= j``).

Every rewrite here is an equivalence under the link's declared ranges, case
and kinds; none is a guess.  Where a pass cannot decide (a range it cannot
bound, a log of something not known to be positive) it leaves the expression
as it is, so the worst outcome is an *unknown*, never a wrong proof.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, partial

import sympy
from sympy import (
    Add,
    Basic,
    Derivative,
    Expr,
    Indexed,
    IndexedBase,
    KroneckerDelta,
    Mul,
    Piecewise,
    Pow,
    Subs,
    Sum,
    Symbol,
)
from sympy.concrete.expr_with_limits import ExprWithLimits
from sympy.core.function import AppliedUndef
from sympy.core.relational import Relational

from derivs import kinks
from derivs.bound import bound_variables, fresh_bound, integer_facts
from derivs.context import Context, Hypothesis
from derivs.derivatives import derivative
from derivs.errors import DerivsError
from derivs.factors import Shared, shared_factors
from derivs.kinds import rule_of
from derivs.memo import remembered
from derivs.numbers import DecimalNumeral, DecimalPlaces
from derivs.written import as_evaluated

#: Sums over a concrete range of at most this many terms are written out.
MAX_WRITTEN_OUT_TERMS = 64

# -- 1. prepare -------------------------------------------------------------------


_prepared: dict[Basic, Expr] = {}


def prepare(expr: Basic) -> Expr:
    """Unwrap ``UnevaluatedExpr`` and give every bound index a dummy of its own.

    The dummies depend on the expression alone (:func:`~derivs.bound.fresh_bound`),
    so a side prepared twice, by the proof and by the search, is the same object.
    """
    return remembered(
        _prepared,
        expr,
        lambda: fresh_bound(
            expr.replace(lambda e: isinstance(e, sympy.UnevaluatedExpr), lambda e: e.args[0])
        ),
    )


# -- 2. unfold --------------------------------------------------------------------


def unfold(expr: Basic, context: Context, keep: frozenset[object] = frozenset()) -> Expr:
    """Replace definitions by their bodies and evaluate derivatives.

    Definitions whose head is in ``keep`` stay as they are (they are the
    variable of an enclosing derivative).  Each distinct expression is
    unfolded once per context and process: the result is a pure function of
    ``(expr, context, keep)``, so it is kept (in :attr:`Context.unfolded`)
    and shared by the links, the hypotheses and the counterexample search.
    """
    return remembered(context.unfolded, (expr, keep), lambda: _unfold(expr, context, keep))


def _unfold(expr: Basic, context: Context, keep: frozenset[object]) -> Expr:
    definitions = context.definition_of
    if isinstance(expr, Derivative):
        function = expr.expr
        for variable, count in expr.variable_count:
            head = _defined_head(variable, context)
            inner_keep = keep | {head} if head is not None else keep
            function = unfold(function, context, inner_keep)
            # d/dx of log(x - x) is no 0: the function is undefined before it is differentiated.
            refuse_undefined(function, f"the expression differentiated by {variable}")
            if head is not None:
                _refuse_mixed_variables(function, variable, context, keep)
            target = unfold(variable, context, inner_keep) if head is None else variable
            if not getattr(target, "_diff_wrt", False):
                raise DerivsError(f"cannot differentiate with respect to {variable}")
            function, inherited = kinks.strip(function)
            found = kinks.kinks_of(function, target)
            function = kinks.off_kinks(derivative(function, target, count), found)
            every = tuple(dict.fromkeys(inherited + found))
            if every:
                function = kinks.OffKinks(function, *every)
        if function == expr:  # the derivative of an arbitrary function stays as it is
            return expr
        return unfold(function, context, keep)
    if isinstance(expr, Subs):
        inner = unfold(expr.expr, context, keep)
        points = [unfold(p, context, keep) for p in expr.point]
        point = dict(zip(expr.variables, points, strict=True))
        kink = kinks.at_kink(inner, point)
        if kink is not None:
            at = ", ".join(f"{v} = {p}" for v, p in point.items())
            raise DerivsError(
                f"no derivative where {kinks.describe(kink[0])}: the function differentiated "
                f"has a kink there, and {at} puts it there"
            )
        if any(v in point for d in inner.atoms(Derivative) for v in d.variables):
            # d f(u)/du at u = x^2 stays a substitution: x^2 is no variable to differentiate by.
            return Subs(inner, tuple(point), tuple(point.values()))
        return unfold(inner.xreplace(point), context, keep)
    if isinstance(expr, DecimalNumeral):
        return expr.value
    if isinstance(expr, DecimalPlaces):
        return expr.func(*(unfold(arg, context, keep) for arg in expr.args)).doit()
    if isinstance(expr, Indexed) and expr.base in definitions and expr.base not in keep:
        indices = tuple(unfold(x, context, keep) for x in expr.indices)
        return unfold(definitions[expr.base].instance(indices), context, keep)
    if isinstance(expr, Symbol) and expr in definitions and expr not in keep:
        return unfold(definitions[expr].instance(()), context, keep)
    if isinstance(expr, AppliedUndef) and expr.func in definitions and expr.func not in keep:
        applied = tuple(unfold(x, context, keep) for x in expr.args)
        return unfold(definitions[expr.func].instance(applied), context, keep)
    if not expr.args or isinstance(expr, sympy.IndexedBase):
        return expr
    args = [unfold(arg, context, keep) for arg in expr.args]
    if all(new is old for new, old in zip(args, expr.args, strict=True)):
        return expr
    return expr.func(*args)


def _refuse_mixed_variables(
    function: Expr, variable: Basic, context: Context, keep: frozenset[object]
) -> None:
    """A derivative by a defined quantity needs an expression written in it alone.

    ``dL/da_c`` treats ``a`` as the variable, which is what a note means when
    ``L`` is written in ``a``.  If the expression (its other definitions
    unfolded) also depends on what ``a`` is defined from (``z``), ``a`` and
    ``z`` are not independent and "the derivative by ``a_c``" has no single
    meaning: taking ``a`` as independent would make ``d(-log(e^{z_c}/S))/da_c``
    zero.  That is an error, never a guess.
    """
    through = declared_variables(unfold(variable, context, keep), context)
    shared = declared_variables(function, context) & through
    if shared:
        names = ", ".join(sorted(str(v) for v in shared))
        raise DerivsError(
            f"the derivative by {variable} is taken of an expression that depends on {names}, "
            f"which {variable} is defined from: write the expression in {variable} alone, "
            f"or differentiate by {names}"
        )


def declared_variables(expr: Basic, context: Context) -> set[Basic]:
    """The declared vectors, matrices and scalars that ``expr`` depends on."""
    bases = {x.base for x in expr.atoms(Indexed) if x.base in context.tensor_of}
    return bases | {s for s in expr.free_symbols if s in context.scalar_of}


def _defined_head(variable: Basic, context: Context) -> object | None:
    if isinstance(variable, Indexed) and variable.base in context.definition_of:
        return variable.base
    if isinstance(variable, Symbol) and variable in context.definition_of:
        return variable
    return None


# -- 3. kinds -----------------------------------------------------------------------


def apply_kinds(expr: Expr, context: Context) -> Expr:
    """Write in the entries that the kinds fix (a one-hot vector's are Kronecker deltas)."""
    fixed: dict[IndexedBase, Callable[[Indexed], Expr]] = {}
    for tensor in context.tensors:
        entry = rule_of(tensor.kind).entry
        if entry is not None:
            fixed[tensor.base] = partial(entry, tensor.kind)
    if not fixed:
        return expr
    return expr.replace(
        lambda e: isinstance(e, Indexed) and e.base in fixed,
        lambda e: fixed[e.base](e),
    )


# -- 4. facts: ranges, case, bounds ------------------------------------------------

#: :meth:`Facts.lower_bound` by (lower bounds, upper bounds, expression).
_LOWER_BOUNDS: dict[tuple[object, Expr], Expr | None] = {}


@dataclass(frozen=True)
class Facts:
    """What is known about the integer symbols of a link.

    ``lower``/``upper`` bound dimensions, indices and summation dummies
    (inclusive); ``distinct`` holds pairs known to differ; ``equal`` is the
    substitution that the case's equalities make.
    """

    lower: Mapping[Basic, Expr] = field(default_factory=dict)
    upper: Mapping[Basic, Expr] = field(default_factory=dict)
    distinct: frozenset[frozenset[Basic]] = frozenset()
    equal: Mapping[Basic, Expr] = field(default_factory=dict)

    @classmethod
    def of(
        cls, context: Context, condition: tuple[Relational, ...] = (), refuse: bool = True
    ) -> Facts:
        lower: dict[Basic, Expr] = {d.symbol: sympy.Integer(d.minimum) for d in context.dimensions}
        upper: dict[Basic, Expr] = {}
        for index in context.indices:
            lower[index.symbol] = index.lower
            upper[index.symbol] = index.upper
        facts = cls(lower, upper)
        for relation in condition:
            facts = facts.assume(relation)
        if refuse:
            facts.refuse_empty_ranges(condition)
        return facts

    def refuse_empty_ranges(self, condition: tuple[Relational, ...]) -> None:
        """A case that leaves a symbol no value would make every claim vacuously true.

        That is a range the case empties at *every* size (``i > K``; but
        ``i >= 2`` for ``i`` in ``1..K`` is a case that holds once ``K >= 2``),
        or an equality that puts a value outside the range of the symbol it
        replaces (``i = K + 1``).
        """
        stated = ", ".join(str(r) for r in condition) or "the declared range"
        for symbol in self.lower.keys() & self.upper.keys():
            excess = self.lower_bound(self.lower[symbol] - self.upper[symbol])
            if excess is not None and excess > 0:
                raise DerivsError(f"{stated} leaves {symbol} no possible value")
        for symbol, value in self.equal.items():
            low, high = self.lower.get(symbol), self.upper.get(symbol)
            if self.outside(value, low, high):
                span = f"{low}..{high if high is not None else 'oo'}"
                raise DerivsError(f"{stated} cannot hold: {symbol} ranges over {span}")

    def outside(self, value: Expr, low: Expr | None, high: Expr | None) -> bool:
        """``value`` provably lies below ``low`` or above ``high`` (either may be unbounded)."""
        below = low is not None and self.nonnegative(low - 1 - value)
        above = high is not None and self.nonnegative(value - high - 1)
        return below or above

    def assume(self, relation: Relational) -> Facts:
        """These facts and ``relation`` (a case of the link)."""
        lhs, rhs = (self.substitute(side) for side in (relation.lhs, relation.rhs))
        if isinstance(relation, sympy.Eq):
            return self._assume_equal(lhs, rhs, relation)
        if isinstance(relation, sympy.Ne):
            if lhs == rhs:
                raise DerivsError(f"the case {relation} contradicts the case's equalities")
            return replace(self, distinct=self.distinct | {frozenset((lhs, rhs))})
        return self._assume_order(relation, lhs, rhs)

    def _assume_equal(self, lhs: Expr, rhs: Expr, relation: Relational) -> Facts:
        if lhs == rhs:
            return self
        if isinstance(lhs, Symbol) and (not isinstance(rhs, Symbol) or str(rhs) < str(lhs)):
            old, new = lhs, rhs
        elif isinstance(rhs, Symbol):
            old, new = rhs, lhs
        else:
            raise DerivsError(f"the case {relation} must equate a symbol with something")
        equal = {k: v.xreplace({old: new}) for k, v in self.equal.items()}
        equal[old] = new
        distinct = frozenset(
            frozenset(x.xreplace({old: new}) for x in pair) for pair in self.distinct
        )
        if any(len(pair) == 1 for pair in distinct):
            raise DerivsError(f"the case {relation} contradicts a stated i != j")
        return replace(self, equal=equal, distinct=distinct)

    def _assume_order(self, relation: Relational, lhs: Expr, rhs: Expr) -> Facts:
        strict = isinstance(relation, (sympy.Gt, sympy.Lt))
        # Normalise to "small <= big" (or "<" when strict).
        small, big = (rhs, lhs) if isinstance(relation, (sympy.Ge, sympy.Gt)) else (lhs, rhs)
        step = 1 if strict else 0
        if isinstance(big, Symbol) and big.is_integer:
            return replace(self, lower={**self.lower, big: small + step})
        if isinstance(small, Symbol) and small.is_integer:
            return replace(self, upper={**self.upper, small: big - step})
        raise DerivsError(
            f"the case {relation} must bound an integer symbol (an index or a dimension)"
        )

    def substitute(self, expr: Expr) -> Expr:
        return expr.xreplace(self.equal) if self.equal else expr

    def with_range(self, variable: Basic, low: Expr, high: Expr) -> Facts:
        return replace(
            self, lower={**self.lower, variable: low}, upper={**self.upper, variable: high}
        )

    @cached_property
    def _ranges(self) -> tuple[frozenset[tuple[Basic, Expr]], frozenset[tuple[Basic, Expr]]]:
        return frozenset(self.lower.items()), frozenset(self.upper.items())

    def lower_bound(self, expr: Expr) -> Expr | None:
        """A number that ``expr`` provably cannot go below, or None.

        A pure function of the bounds and ``expr``, kept for the process:
        the links of a context ask the same questions of the same ranges.
        """
        return remembered(_LOWER_BOUNDS, (self._ranges, expr), lambda: self._lower_bound(expr))

    def _lower_bound(self, expr: Expr) -> Expr | None:
        """A number that ``expr`` provably cannot go below, or None.

        ``expr`` must be linear in bounded symbols: each symbol is replaced by
        the bound that minimises the expression, symbols whose bounds mention
        other symbols first (``K - j`` with ``j <= K`` gives ``0``).
        """
        expr = sympy.expand(expr)
        for _ in range(32):
            if expr.is_number:
                return expr
            bounded = [s for s in expr.free_symbols if s in self.lower or s in self.upper]
            if not bounded:
                return None
            referenced = {
                t
                for s in bounded
                for bound in (self.lower.get(s), self.upper.get(s))
                if bound is not None
                for t in bound.free_symbols
            }
            order = sorted(bounded, key=lambda s: (s in referenced, str(s)))
            symbol = order[0]
            slope = expr.diff(symbol)
            # An entry z[k] differentiated by its index k is NaN: not linear in k.
            if not slope.is_number or slope is sympy.S.NaN:
                return None
            bound = self.lower.get(symbol) if slope > 0 else self.upper.get(symbol)
            if bound is None:
                return None
            expr = sympy.expand(expr.xreplace({symbol: bound}))
        return None

    def nonnegative(self, expr: Expr) -> bool:
        bound = self.lower_bound(expr)
        return bool(bound is not None and bound >= 0)

    def within(self, expr: Expr, low: Expr, high: Expr) -> bool:
        """``low <= expr <= high`` follows from the facts."""
        return self.nonnegative(expr - low) and self.nonnegative(high - expr)

    def differ(self, a: Expr, b: Expr) -> bool:
        """``a != b`` follows from the facts."""
        if frozenset((a, b)) in self.distinct:
            return True
        if (a - b).is_integer is not True:
            return False
        return self.nonnegative(a - b - 1) or self.nonnegative(b - a - 1)

    def decide(self, condition: Basic) -> bool | None:
        """The truth of a range guard, or None when the facts do not settle it."""
        if condition in (sympy.true, sympy.false):
            return bool(condition)
        if isinstance(condition, sympy.And):
            answers = [self.decide(c) for c in condition.args]
            return False if False in answers else (True if all(answers) else None)
        if isinstance(condition, sympy.Or):
            answers = [self.decide(c) for c in condition.args]
            return (
                True if True in answers else (False if all(a is False for a in answers) else None)
            )
        if isinstance(condition, sympy.Not):
            inner = self.decide(condition.args[0])
            return None if inner is None else not inner
        if isinstance(condition, sympy.Eq):
            if condition.lhs == condition.rhs:
                return True
            return False if self.differ(condition.lhs, condition.rhs) else None
        if isinstance(condition, sympy.Ne):
            inner = self.decide(sympy.Eq(condition.lhs, condition.rhs, evaluate=False))
            return None if inner is None else not inner
        if isinstance(condition, (sympy.Ge, sympy.Gt, sympy.Le, sympy.Lt)):
            small, big = (
                (condition.rhs, condition.lhs)
                if isinstance(condition, (sympy.Ge, sympy.Gt))
                else (condition.lhs, condition.rhs)
            )
            gap = big - small - (1 if isinstance(condition, (sympy.Gt, sympy.Lt)) else 0)
            if self.nonnegative(gap):
                return True
            if (big - small).is_integer and self.nonnegative(-gap - 1):
                return False
        return None


def entries_out_of_range(
    expr: Basic, context: Context, condition: tuple[Relational, ...] = ()
) -> list[str]:
    """Entries of ``expr`` whose index provably lies outside its declared range.

    ``theta_0`` of a vector over ``1..K`` and ``z_{K+1}`` name nothing; an
    index that may lie inside (``z_{k+1}`` under a sum, ``x_2`` when
    ``n >= 1``) is fine.  A summation index ranges over its sum's limits.
    """
    try:
        facts = Facts.of(context, condition)
    except DerivsError:  # a case or range that cannot hold: reported when the link is checked
        facts = Facts.of(context, refuse=False)
    return [
        f"{entry}: index {index} is outside {low}..{high}"
        for entry, facts_there in _entries(expr, facts)
        for index, (low, high) in zip(entry.indices, _entry_ranges(entry, context), strict=False)
        if facts_there.outside(facts_there.substitute(index), low, high)
    ]


def _entries(expr: Basic, facts: Facts) -> list[tuple[Indexed, Facts]]:
    if isinstance(expr, Indexed):
        return [(expr, facts)]
    if isinstance(expr, (sympy.Sum, sympy.Product)):
        inner = facts
        found: list[tuple[Indexed, Facts]] = []
        for variable, low, high in expr.limits:
            found += _entries(low, inner) + _entries(high, inner)
            excess = inner.lower_bound(low - high)
            if excess is not None and excess > 0:
                # Empty at every size: its terms are never evaluated and name nothing.
                return found
            inner = inner.with_range(variable, low, high)
        return found + _entries(expr.function, inner)
    return [found for arg in expr.args for found in _entries(arg, facts)]


def _entry_ranges(entry: Indexed, context: Context) -> list[tuple[Expr | None, Expr | None]]:
    """The range of each index of a declared vector's, matrix's or definition's entry.

    A definition's parameter that is not a declared index bounds nothing.
    """
    tensor = context.tensor_of.get(entry.base)
    if tensor is not None:
        return [(sympy.Integer(1), extent) for extent in tensor.shape]
    definition = context.definition_of.get(entry.base)
    if definition is None:
        return []
    declared = [context.index_of.get(p) for p in definition.params]
    return [(None, None) if x is None else (x.lower, x.upper) for x in declared]


# -- 5. normalise ---------------------------------------------------------------------


class Normalizer:
    """Bottom-up normalisation under a set of :class:`Facts` (see the module doc)."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self._memo: dict[Basic, Expr] = {}

    def __call__(self, expr: Basic) -> Expr:
        cached = self._memo.get(expr)
        if cached is None:
            cached = self._normalize(expr)
            self._memo[expr] = cached
        return cached

    def _normalize(self, expr: Basic) -> Expr:
        if isinstance(expr, Sum):
            return self._sum(expr)
        if isinstance(expr, sympy.Product):
            return self._product(expr)
        if not expr.args or isinstance(expr, (Symbol, sympy.IndexedBase)):
            return expr
        args = [self(arg) for arg in expr.args]
        rebuilt = (
            expr if all(a is b for a, b in zip(args, expr.args, strict=True)) else expr.func(*args)
        )
        if isinstance(rebuilt, sympy.log):
            return sympy.expand_log(rebuilt, force=False)
        if isinstance(rebuilt, KroneckerDelta):
            return self._delta(rebuilt)
        if (
            isinstance(rebuilt, Pow)
            and isinstance(rebuilt.base, KroneckerDelta)
            and rebuilt.exp.is_integer
            and rebuilt.exp.is_positive
        ):
            return rebuilt.base  # delta**n = delta
        if isinstance(rebuilt, Piecewise):
            return self._piecewise(rebuilt)
        return rebuilt

    def _delta(self, delta: KroneckerDelta) -> Expr:
        a, b = delta.args[:2]
        if self.facts.differ(a, b):
            return sympy.Integer(0)
        return delta

    def _piecewise(self, piecewise: Piecewise) -> Expr:
        pieces: list[tuple[Expr, Basic]] = []
        for value, condition in piecewise.args:
            answer = self.facts.decide(condition)
            if answer is False:
                continue
            if answer is True:
                if not pieces:
                    return value
                pieces.append((value, sympy.true))
                break
            pieces.append((value, condition))
        if not pieces:
            return piecewise
        return _deltas_outside(pieces)

    def _sum(self, expr: Sum) -> Expr:
        function = expr.function
        for variable, low, high in expr.limits:
            function = self._sum_over(function, variable, self(low), self(high))
        return function

    def _product(self, expr: sympy.Product) -> Expr:
        """A product over a concrete range written out (1 if empty); any other kept."""
        *inner, (variable, low, high) = expr.limits
        body = sympy.Product(expr.function, *inner) if inner else expr.function
        low, high = self(low), self(high)
        terms = terms_over(body, variable, low, high, MAX_WRITTEN_OUT_TERMS)
        if terms is not None:
            return self(Mul(*terms))
        inside = Normalizer(self.facts.with_range(variable, low, high))
        return sympy.Product(inside(body), (variable, low, high))

    def _sum_over(self, function: Expr, variable: Symbol, low: Expr, high: Expr) -> Expr:
        inner = Normalizer(self.facts.with_range(variable, low, high))
        body = inner(function)
        terms = terms_over(body, variable, low, high, MAX_WRITTEN_OUT_TERMS)
        if terms is not None:
            return self(Add(*terms))
        expanded = expand_terms(body)
        return Add(*(self._sum_term(term, variable, low, high) for term in Add.make_args(expanded)))

    def _sum_term(self, term: Expr, variable: Symbol, low: Expr, high: Expr) -> Expr:
        factors = Mul.make_args(term)
        outside = Mul(*(f for f in factors if variable not in f.free_symbols))
        inside = [f for f in factors if variable in f.free_symbols]
        if not inside:
            count = high - low + 1
            if self.facts.nonnegative(count):
                return outside * count
            # An empty range would make this 0, not the negative count: keep the sum.
            return outside * canonical_sum(sympy.Integer(1), variable, low, high)
        for position, factor in enumerate(inside):
            partner = _delta_partner(factor, variable)
            if (
                partner is not None
                and not partner.free_symbols & bound_variables(term)
                and self.facts.within(partner, low, high)
            ):
                rest = Mul(*(inside[:position] + inside[position + 1 :]))
                return outside * self(rest.xreplace({variable: partner}))
        return outside * canonical_sum(Mul(*inside), variable, low, high)


def _deltas_outside(pieces: list[tuple[Expr, Basic]]) -> Expr:
    """A case split with the Kronecker deltas its every value has as factors pulled out.

    ``{delta_jk if z_k > 0; 0 otherwise}`` is ``delta_jk {1 if z_k > 0; 0 otherwise}``
    (a zero value has every factor), so that a sum over ``k`` can contract the delta.
    """
    values = [value for value, _ in pieces if value != 0]
    shared = (
        set.intersection(
            *({f for f in Mul.make_args(v) if isinstance(f, KroneckerDelta)} for v in values)
        )
        if values
        else set()
    )
    if not shared:
        return Piecewise(*pieces)
    factor = Mul(*shared)
    return factor * Piecewise(*((value / factor, condition) for value, condition in pieces))


def _delta_partner(factor: Expr, variable: Symbol) -> Expr | None:
    """``x`` when ``factor`` is ``delta(variable, x)`` with ``x`` free of the variable."""
    if not isinstance(factor, KroneckerDelta):
        return None
    a, b = factor.args[:2]
    partner = b if a == variable else (a if b == variable else None)
    if partner is None or variable in partner.free_symbols:
        return None
    return partner


def binder_depth(expr: Basic) -> int:
    """How deeply binders (sums, products, integrals) nest in ``expr``; 0 if none.

    Every binder counts, not only sums: a sum's dummy must never be named
    like the dummy of a product inside it, or renaming would capture it.
    """
    if isinstance(expr, ExprWithLimits):
        return len(expr.limits) + binder_depth(expr.function)
    return max((binder_depth(arg) for arg in expr.args), default=0)


def expand_terms(expr: Expr) -> Expr:
    """Distribute products over sums and split ``exp(a + b)`` into ``exp(a) exp(b)``.

    SymPy's own ``power_exp`` expansion turns ``exp(Sum(...))`` into a
    ``Product``; here an exponential is split over ``+`` only.
    """
    expanded = sympy.expand(expr, power_exp=False, log=False, power_base=False)
    split = expanded.replace(
        lambda e: isinstance(e, sympy.exp) and isinstance(e.args[0], Add),
        lambda e: Mul(*(sympy.exp(term) for term in e.args[0].args)),
    )
    if split == expanded:
        return expanded
    return sympy.expand(split, power_exp=False, log=False, power_base=False)


def canonical_sum(body: Expr, variable: Symbol, low: Expr, high: Expr) -> Sum:
    """``Sum(body, (variable, low, high))`` with its dummy named by depth.

    The dummy of a sum with binders of depth ``d`` inside it is ``_d+1``;
    an enclosing sum always gets a larger number than the binders it holds,
    so a substitution into an inner one can never be captured.
    """
    depth = binder_depth(body) + 1
    facts = integer_facts(low)
    dummy = Symbol(f"_{depth}", **facts)
    while dummy in body.free_symbols and dummy != variable:  # never capture a free name
        depth += 1
        dummy = Symbol(f"_{depth}", **facts)
    return Sum(body.xreplace({variable: dummy}), (dummy, low, high))


def terms_over(
    body: Expr, variable: Symbol, low: Expr, high: Expr, max_terms: int
) -> list[Expr] | None:
    """The terms of a sum or product of ``body`` over ``low..high``, where there are few.

    An empty range has no terms, however its limits are written (the
    empty-range convention of the module doc: its sum is 0, its product 1).
    ``None`` when the number of terms is not a known integer or is over
    ``max_terms``.
    """
    count = high - low + 1
    if not count.is_Integer or count > max_terms:
        return None
    return [body.xreplace({variable: low + n}) for n in range(max(0, int(count)))]


def write_out(expr: Basic, max_terms: int = 4096) -> Basic:
    """Every sum and product over a concrete range written out, outermost first.

    An empty range gives the empty sum 0 and the empty product 1 (see the
    module doc; SymPy's ``doit`` would give a reversed range Karr's value).
    Outer binders are written out before inner ones, so an inner range that
    depends on an outer index is concrete when it is reached.  A binder
    whose range is not concrete, or longer than ``max_terms``, is left as it
    is, with what is inside it written out as far as it can be.
    """
    if isinstance(expr, (Sum, sympy.Product)):
        *inner, (variable, low, high) = expr.limits
        body = expr.func(expr.function, *inner) if inner else expr.function
        terms = terms_over(body, variable, low, high, max_terms)
        if terms is None:
            return expr.func(write_out(body, max_terms), (variable, low, high))
        written = [write_out(term, max_terms) for term in terms]
        return Add(*written) if isinstance(expr, Sum) else Mul(*written)
    if not expr.args or isinstance(expr, (Symbol, sympy.IndexedBase)):
        return expr
    args = [write_out(arg, max_terms) for arg in expr.args]
    if all(new is old for new, old in zip(args, expr.args, strict=True)):
        return expr
    return expr.func(*args)


# -- over a common denominator ------------------------------------------------------

#: The opaque atom of ``exp(x)`` for a real ``x``: positive, as ``exp`` of a real is.
_PositiveExp = sympy.Function("exp_atom", positive=True)
#: The opaque atom of ``exp(x)`` for an ``x`` not known to be real: no assumptions,
#: since ``exp(2 i x)`` is no positive number and ``sqrt(exp(2 i x)) != exp(i x)``.
_Exp = sympy.Function("exp_atom_c")


def atomize_exp(expr: Expr) -> Expr:
    """Write ``exp(2 z_i - z_j)`` as ``E(z_i)**2 / E(z_j)`` with opaque atoms.

    SymPy merges ``exp(x) * exp(x)`` into ``exp(2 x)`` but keeps
    ``exp(x) * exp(y)`` apart; atoms make products of exponentials a plain
    monomial, so that polynomial arithmetic sees through them.  An atom
    carries only the assumptions its expression has: positive where the
    exponent is real, none otherwise.
    """

    def split(e: sympy.exp) -> Expr:
        parts = []
        for term in sympy.Add.make_args(sympy.expand(e.args[0])):
            coefficient, atom = term.as_coeff_Mul()
            if atom == 1:
                parts.append(sympy.exp(coefficient))
            else:
                parts.append(_exp_power(atom, coefficient))
        return sympy.Mul(*parts)

    return expr.replace(lambda e: isinstance(e, sympy.exp), split)


def _exp_power(atom: Expr, coefficient: Expr) -> Expr:
    """``exp(coefficient * atom)`` as a power of an opaque atom, where that is exact.

    ``exp(c x) = exp(x)^c`` holds for every real ``c`` when ``exp(x)`` is
    positive (``x`` real), but for a complex ``x`` only for an integer ``c``.
    """
    if atom.is_real and coefficient.is_real:
        return _PositiveExp(atom) ** coefficient
    if coefficient.is_integer:
        return _Exp(atom) ** coefficient
    return _Exp(coefficient * atom)


def numerator(expr: Expr) -> Expr:
    """The expanded numerator of ``expr`` written over a common denominator."""
    top, _ = sympy.fraction(sympy.cancel(sympy.together(atomize_exp(expr))))
    return sympy.expand(top)


_SHAREABLE: dict[Basic, bool] = {}


def _shareable(base: Basic) -> bool:
    """A factor base that a link's sides may share: no case can zero it, nor is it zero.

    Zero as a rational function of its atoms, that is: its numerator over a
    common denominator expands to 0 (without the common factors cancelled, which
    cannot make a nonzero numerator zero).
    """
    if base.has(KroneckerDelta, Piecewise):
        return False
    return remembered(
        _SHAREABLE,
        base,
        lambda: sympy.expand(sympy.fraction(sympy.together(atomize_exp(base)))[0]) != 0,
    )


# -- undefined values -----------------------------------------------------------------

#: What SymPy makes of an undefined value: ``1/0`` is ``zoo``, ``0/0`` and
#: ``oo - oo`` are ``nan``, ``log 0`` is ``-oo``.  None of them is a real number,
#: and ``zoo = zoo`` is no identity.
UNDEFINED = (sympy.S.ComplexInfinity, sympy.S.NaN, sympy.S.Infinity, sympy.S.NegativeInfinity)


def _undefined_node(node: Basic) -> bool:
    """``0`` to a negative power or ``log 0``, kept unevaluated as written."""
    if isinstance(node, Pow):
        return bool(node.exp.is_negative) and _written_zero(node.base)
    return isinstance(node, sympy.log) and _written_zero(node.args[0])


def _written_zero(expr: Basic) -> bool:
    """``expr`` is the number 0, however written: ``1 - 1``, ``2^{2} - 4``, ``\\pi - \\pi``."""
    if expr == 0:
        return True
    if not expr.is_number:
        return False
    return bool(expr.is_zero or as_evaluated(expr).is_zero)


def refuse_undefined(expr: Basic, what: str, case: tuple[Relational, ...] = ()) -> None:
    """Raise if ``expr`` holds an undefined value (division by zero, ``log 0``, ...)."""
    found = [u for u in UNDEFINED if expr.has(u)] + [
        node for node in sympy.preorder_traversal(expr) if _undefined_node(node)
    ]
    if found:
        where = f" in the case {', '.join(str(r) for r in case)}" if case else ""
        raise DerivsError(
            f"{what} is undefined{where}: it evaluates to {found[0]} "
            "(a division by zero, log 0, 0/0 or oo - oo), which is no number to compare"
        )


# -- the whole pipeline ------------------------------------------------------------


#: One normaliser per context and case, with the context it belongs to.
_NORMALIZERS: dict[tuple[int, tuple[Relational, ...]], tuple[Context, Normalizer]] = {}


def _normalizer(context: Context, condition: tuple[Relational, ...]) -> Normalizer:
    """The normaliser of ``context`` in the case ``condition``, shared by its links.

    Normalising is a pure function of the facts, which are a pure function of
    the context and the case, so the links of a chain (which share their
    sides) and of a derivation reuse what the others normalised.
    """
    known = _NORMALIZERS.get((id(context), condition))
    if known is not None and known[0] is context:
        return known[1]
    normalizer = Normalizer(Facts.of(context, condition))
    if len(_NORMALIZERS) >= 1_000:
        _NORMALIZERS.clear()
    _NORMALIZERS[(id(context), condition)] = (context, normalizer)
    return normalizer


@dataclass(frozen=True)
class Problem:
    """A link reduced to what the strategies need: sides, facts, hypotheses.

    ``lhs``/``rhs`` are prepared, unfolded and have the kinds applied; the
    case is held in ``facts``.  :attr:`canonical` gives the normalised sides.
    """

    lhs: Expr
    rhs: Expr
    context: Context
    facts: Facts
    hypotheses: tuple[Hypothesis, ...]
    split: tuple[Relational, ...] = ()
    #: The normaliser of every problem of the same context and case (see :meth:`of`).
    shared: Normalizer | None = field(default=None, compare=False, repr=False)
    #: Where a derivative of the sides has no value (:mod:`derivs.kinks`): the
    #: sides are compared as identities, which hold on the derivatives' domain.
    kinks: tuple[Expr, ...] = ()

    @classmethod
    def of(
        cls,
        lhs: Expr,
        rhs: Expr,
        context: Context,
        condition: tuple[Relational, ...],
        hypotheses: tuple[Hypothesis, ...],
    ) -> Problem:
        # Evaluated too: a side kept as written holds log(x - x) * 0, which is no 0.
        for name, side in (("left", lhs), ("right", rhs)):
            refuse_undefined(side, f"the {name} side as written")
            refuse_undefined(as_evaluated(side), f"the {name} side as written")
        unfolded = [kinks.strip(unfold(prepare(side), context)) for side in (lhs, rhs)]
        sides = [apply_kinds(side, context) for side, _ in unfolded]
        kinked = tuple(dict.fromkeys(unfolded[0][1] + unfolded[1][1]))
        for name, side in zip(("left", "right"), sides, strict=True):
            refuse_undefined(side, f"the {name} side, its definitions unfolded,")
            refuse_undefined(as_evaluated(side), f"the {name} side, its definitions unfolded,")
        normalizer = _normalizer(context, tuple(apply_kinds(r, context) for r in condition))
        for kink in kinked:
            moved = kink.xreplace(normalizer.facts.equal) != kink
            if moved and kinks.vanishes(kink, normalizer.facts.equal):
                raise DerivsError(
                    f"no derivative where {kinks.describe(kink)}, and the case puts it there: "
                    "the function differentiated has a kink at that point"
                )
        return cls(
            sides[0],
            sides[1],
            context,
            normalizer.facts,
            hypotheses,
            shared=normalizer,
            kinks=kinked,
        )

    def refine(self, relation: Relational) -> Problem:
        """The same problem in the narrower case ``relation`` (for case splits)."""
        return replace(
            self, facts=self.facts.assume(relation), split=(*self.split, relation), shared=None
        )

    @cached_property
    def normalizer(self) -> Normalizer:
        return self.shared if self.shared is not None else Normalizer(self.facts)

    @cached_property
    def canonical(self) -> tuple[Expr, Expr]:
        sides = (
            self.normalizer(self.facts.substitute(self.lhs)),
            self.normalizer(self.facts.substitute(self.rhs)),
        )
        for name, side in zip(("left", "right"), sides, strict=True):
            refuse_undefined(side, f"the {name} side", self.split)
        return sides

    @cached_property
    def factored(self) -> Shared:
        """The canonical sides as ``common * rest``, ``common`` what both share.

        Only factors that are not zero as rational functions of their atoms and
        that no case can make zero (no Kronecker delta, no ``Piecewise``) are
        shared (see :mod:`derivs.factors`): the rests are then equal as rational
        functions exactly when the sides are.
        """
        return shared_factors(*self.canonical, keep=_shareable)

    @cached_property
    def difference(self) -> Expr:
        """The difference of the rests (:attr:`factored`): ``lhs - rhs = common * difference``."""
        return self.normalizer(expand_terms(self.factored.rest_lhs - self.factored.rest_rhs))

    @cached_property
    def whole_difference(self) -> Expr:
        """``lhs - rhs`` itself, for what a shared factor may matter to (hypotheses)."""
        if self.factored.common == 1:
            return self.difference
        lhs, rhs = self.canonical
        return self.normalizer(expand_terms(lhs - rhs))

    @cached_property
    def numerator(self) -> Expr:
        """The numerator of the difference over a common denominator (0 for an identity)."""
        return numerator(self.difference)

    @cached_property
    def canonical_hypotheses(self) -> tuple[Expr, ...]:
        """Each hypothesis as ``lhs - rhs`` in canonical form (its zero is assumed)."""
        facts = self.context.implied_hypotheses() + self.hypotheses
        return tuple(
            self.normalizer(
                self.facts.substitute(
                    apply_kinds(
                        kinks.strip(unfold(prepare(h.lhs - h.rhs), self.context))[0],
                        self.context,
                    )
                )
            )
            for h in facts
        )
