"""The notation a derivation is written in.

A derivation in a machine-learning note talks about a handful of objects: a
dimension ``K`` (a symbolic positive integer), indices that range over it
(``i, j, k`` in ``1..K``), vectors and matrices whose entries have a kind (real
logits ``z``, a probability vector ``t``, a one-hot target at class ``c``),
scalars (a temperature ``T > 0``), arbitrary functions (``u(x)`` in the
quotient rule), *definitions* (``S = sum_k e^{z_k}``, ``a_i = e^{z_i} / S``)
and *hypotheses* (``sum_k t_k = 1``).

A :class:`Context` is the frozen record of those declarations.  It is built
once with a :class:`Notation` (the only mutable object in the model, used at
authoring time) and then shared by every link of a derivation::

    n = Notation()
    K = n.dimension("K")
    i, j, k = n.indices("i j k", K)
    z = n.vector("z", K)
    S = n.define("S", Sum(exp(z[k]), (k, 1, K)))
    a = n.define_vector("a", i, exp(z[i]) / S)
    context = n.context()

Definitions print by their name (``a_i``, ``S``) and are unfolded by the
engine when a link is checked.  The kinds (:mod:`derivs.kinds`) say two
things: which facts the engine may use when it proves (a one-hot target is
``t_k = delta_kc``; a probability vector sums to one), and how entries are
drawn when it searches for a counterexample (on the simplex for a probability
vector).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import sympy
from sympy import Basic, Expr, Function, IndexedBase, Integer, Symbol
from sympy.core.function import FunctionClass

from derivs.bound import bound_variables, fresh_bound, integer_facts
from derivs.errors import DerivsError
from derivs.kinds import EntryKind, Real, ScalarKind, indices_of, rule_of

# -- declarations -------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    """A symbolic size such as ``K``: an integer at least ``minimum``."""

    symbol: Symbol
    minimum: int = 1


@dataclass(frozen=True)
class Index:
    """An index symbol ranging over ``lower..upper`` (both inclusive)."""

    symbol: Symbol
    lower: Expr
    upper: Expr


@dataclass(frozen=True)
class Tensor:
    """A vector (one index) or matrix (two) with the kind of its entries."""

    base: IndexedBase
    shape: tuple[Expr, ...]
    kind: EntryKind


@dataclass(frozen=True)
class Scalar:
    """A named scalar such as a temperature ``T`` or an input ``x``."""

    symbol: Symbol
    kind: ScalarKind


@dataclass(frozen=True)
class Definition:
    """``head(params) := body``; ``head`` prints by its name and unfolds to the body.

    ``head`` is a Symbol (``S``), an IndexedBase (``a`` with params ``(i,)``)
    or a SymPy function class (``sigma`` with params ``(x,)``).
    """

    name: str
    head: Any
    params: tuple[Symbol, ...]
    body: Expr

    @cached_property
    def renamed_body(self) -> Expr:
        """The body with bound variables renamed once, deterministically (:func:`fresh_bound`)."""
        return fresh_bound(self.body)

    @cached_property
    def _bound_in_body(self) -> frozenset[Basic]:
        return frozenset(bound_variables(self.renamed_body))

    def instance(self, args: tuple[Expr, ...]) -> Expr:
        """The body with the parameters replaced by ``args``.

        The body's bound variables are dummies named by :func:`fresh_bound`, so
        an argument never gets captured by a sum inside the body; an argument
        that mentions one of them (possible only if it comes from this very
        body) makes the body renamed again, by a name that depends on the
        arguments too.
        """
        if len(args) != len(self.params):
            raise DerivsError(f"{self.name} takes {len(self.params)} argument(s), got {len(args)}")
        body = self.renamed_body
        if self._bound_in_body and any(
            arg.free_symbols & self._bound_in_body for arg in args if isinstance(arg, Basic)
        ):
            body = fresh_bound(self.body, salt=sympy.srepr(sympy.Tuple(*args)))
        return body.xreplace(dict(zip(self.params, args, strict=True)))


@dataclass(frozen=True)
class Hypothesis:
    """A named fact ``lhs = rhs`` that a link may assume (``sum_k t_k = 1``)."""

    name: str
    lhs: Expr
    rhs: Expr


# -- the context ---------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """The frozen set of declarations a derivation is written in."""

    dimensions: tuple[Dimension, ...] = ()
    indices: tuple[Index, ...] = ()
    tensors: tuple[Tensor, ...] = ()
    scalars: tuple[Scalar, ...] = ()
    functions: tuple[FunctionClass, ...] = ()
    definitions: tuple[Definition, ...] = ()
    hypotheses: tuple[Hypothesis, ...] = ()

    @cached_property
    def dimension_of(self) -> dict[Symbol, Dimension]:
        return {d.symbol: d for d in self.dimensions}

    @cached_property
    def index_of(self) -> dict[Symbol, Index]:
        return {x.symbol: x for x in self.indices}

    @cached_property
    def tensor_of(self) -> dict[IndexedBase, Tensor]:
        return {t.base: t for t in self.tensors}

    @cached_property
    def scalar_of(self) -> dict[Symbol, Scalar]:
        return {s.symbol: s for s in self.scalars}

    @cached_property
    def definition_of(self) -> dict[Any, Definition]:
        return {d.head: d for d in self.definitions}

    @cached_property
    def unfolded(self) -> dict[tuple[Basic, frozenset[object]], Expr]:
        """The memo of :func:`derivs.canonical.unfold` in this context (per process)."""
        return {}

    @cached_property
    def labels(self) -> frozenset[Symbol]:
        """The label symbols of indexed objects, which SymPy counts as free symbols."""
        bases = [t.base for t in self.tensors]
        bases += [d.head for d in self.definitions if isinstance(d.head, IndexedBase)]
        return frozenset(base.label for base in bases)

    def implied_hypotheses(self) -> tuple[Hypothesis, ...]:
        """Facts that hold in every link because of the tensors' kinds."""
        return self._implied_hypotheses

    @cached_property
    def _implied_hypotheses(self) -> tuple[Hypothesis, ...]:
        facts = []
        for tensor in self.tensors:
            if rule_of(tensor.kind).sums_to_one and len(tensor.shape) == 1:
                dummy = sympy.Dummy("k", integer=True, positive=True)
                facts.append(
                    Hypothesis(
                        f"{tensor.base} is a probability vector",
                        sympy.Sum(tensor.base[dummy], (dummy, 1, tensor.shape[0])),
                        Integer(1),
                    )
                )
        return tuple(facts)

    def undeclared(self, expr: Basic) -> list[str]:
        """Names in ``expr`` that this context does not declare, each explained."""
        problems: list[str] = []
        bound = bound_variables(expr)
        for symbol in sorted(expr.free_symbols - bound, key=str):
            if isinstance(symbol, sympy.Indexed):
                continue
            if symbol in self.dimension_of or symbol in self.index_of or symbol in self.scalar_of:
                continue
            if symbol in self.definition_of or symbol in self.labels:
                continue
            if isinstance(symbol, sympy.Dummy):
                continue
            problems.append(f"symbol {symbol} is not declared")
        for indexed in sorted(expr.atoms(sympy.Indexed), key=str):
            base = indexed.base
            if base in self.tensor_of:
                rank = len(self.tensor_of[base].shape)
            elif base in self.definition_of:
                rank = len(self.definition_of[base].params)
            else:
                problems.append(f"{base} is neither a declared vector or matrix nor a definition")
                continue
            if len(indexed.indices) != rank:
                problems.append(
                    f"{base} takes {rank} index(es), written with {len(indexed.indices)}"
                )
        for applied in expr.atoms(sympy.core.function.AppliedUndef):
            if applied.func not in self.functions and applied.func not in self.definition_of:
                problems.append(f"function {applied.func} is not declared")
        return problems


# -- authoring ------------------------------------------------------------------


class Notation:
    """Builds a :class:`Context` one declaration at a time.

    Each method returns the SymPy object to write expressions with; call
    :meth:`context` when done to get the frozen context.  A name is declared
    once: declaring it again is a mistake and raises :class:`DerivsError`.
    """

    def __init__(self) -> None:
        self._dimensions: list[Dimension] = []
        self._indices: list[Index] = []
        self._tensors: list[Tensor] = []
        self._scalars: list[Scalar] = []
        self._functions: list[FunctionClass] = []
        self._definitions: list[Definition] = []
        self._hypotheses: list[Hypothesis] = []
        self._names: set[str] = set()

    def _claim(self, name: str) -> None:
        if not name.isidentifier():
            raise DerivsError(f"{name!r} is not a usable name: use letters, digits and '_'")
        if name.startswith("_"):
            raise DerivsError(f"{name!r}: names starting with '_' are kept for bound indices")
        if name in self._names:
            raise DerivsError(f"{name!r} is declared twice")
        self._names.add(name)

    def dimension(self, name: str, minimum: int = 1) -> Symbol:
        """A symbolic size, an integer ``>= minimum`` (default 1)."""
        self._claim(name)
        symbol = Symbol(name, integer=True, positive=True)
        self._dimensions.append(Dimension(symbol, minimum))
        return symbol

    def index(self, name: str, upper: Expr | int, lower: Expr | int = 1) -> Symbol:
        """An index symbol ranging over ``lower..upper``."""
        self._claim(name)
        low, high = as_expr(lower, "an index bound"), as_expr(upper, "an index bound")
        symbol = Symbol(name, **integer_facts(low))
        self._indices.append(Index(symbol, low, high))
        return symbol

    def indices(self, names: str, upper: Expr | int, lower: Expr | int = 1) -> tuple[Symbol, ...]:
        """Several indices over the same range: ``i, j, k = n.indices("i j k", K)``."""
        return tuple(self.index(name, upper, lower) for name in names.split())

    def vector(self, name: str, length: Expr | int, kind: EntryKind | None = None) -> IndexedBase:
        """A vector of ``length`` entries of the given kind (default :class:`Real`)."""
        return self._tensor(name, (length,), kind or Real())

    def matrix(
        self, name: str, rows: Expr | int, columns: Expr | int, kind: EntryKind | None = None
    ) -> IndexedBase:
        """A ``rows x columns`` matrix (default entries :class:`Real`)."""
        return self._tensor(name, (rows, columns), kind or Real())

    def _tensor(self, name: str, shape: tuple[Expr | int, ...], kind: EntryKind) -> IndexedBase:
        self._claim(name)
        rule = rule_of(kind)
        rule.check("vector" if len(shape) == 1 else "matrix", name)
        declared = {x.symbol for x in self._indices}
        for index in indices_of(kind):
            if index not in declared:
                raise DerivsError(f"{name}: {rule.word} at {index}, which is not a declared index")
        extents = tuple(as_expr(n, "a length") for n in shape)
        base = IndexedBase(name, **rule.assumptions)
        self._tensors.append(Tensor(base, extents, kind))
        return base

    def scalar(self, name: str, kind: ScalarKind | None = None) -> Symbol:
        """A named scalar (default :class:`Real`)."""
        self._claim(name)
        kind = kind or Real()
        rule = rule_of(kind)
        rule.check("scalar", name)
        symbol = Symbol(name, **rule.assumptions)
        self._scalars.append(Scalar(symbol, kind))
        return symbol

    def function(self, name: str) -> FunctionClass:
        """An arbitrary differentiable function ``u`` (for rules such as the quotient rule)."""
        self._claim(name)
        function = Function(name, real=True)
        self._functions.append(function)
        return function

    def define(self, name: str, body: Expr) -> Symbol:
        """A named scalar definition ``name := body``, printed as ``name``."""
        self._claim(name)
        body = as_expr(body, f"the definition of {name}")
        symbol = Symbol(name, **_definition_assumptions(body))
        self._definitions.append(Definition(name, symbol, (), body))
        return symbol

    def define_vector(
        self, name: str, index: Symbol | tuple[Symbol, ...], body: Expr
    ) -> IndexedBase:
        """An indexed definition.

        ``define_vector("a", i, exp(z[i]) / S)`` makes ``a[j]`` mean ``exp(z[j]) / S``.
        """
        self._claim(name)
        params = index if isinstance(index, tuple) else (index,)
        body = as_expr(body, f"the definition of {name}")
        base = IndexedBase(name, **_definition_assumptions(body))
        self._definitions.append(Definition(name, base, params, body))
        return base

    def define_function(
        self, name: str, variable: Symbol | tuple[Symbol, ...], body: Expr
    ) -> FunctionClass:
        """A named function: ``define_function("sigma", x, 1 / (1 + exp(-x)))``."""
        self._claim(name)
        params = variable if isinstance(variable, tuple) else (variable,)
        body = as_expr(body, f"the definition of {name}")
        head = Function(name, **_definition_assumptions(body))
        self._definitions.append(Definition(name, head, params, body))
        return head

    def hypothesis(self, name: str, lhs: Expr, rhs: Expr | int) -> Hypothesis:
        """A named fact ``lhs = rhs`` that links may assume with ``assuming=``."""
        if any(h.name == name for h in self._hypotheses):
            raise DerivsError(f"hypothesis {name!r} is declared twice")
        fact = Hypothesis(
            name, as_expr(lhs, f"hypothesis {name!r}"), as_expr(rhs, f"hypothesis {name!r}")
        )
        self._hypotheses.append(fact)
        return fact

    def context(self) -> Context:
        """The frozen context of everything declared so far."""
        return Context(
            dimensions=tuple(self._dimensions),
            indices=tuple(self._indices),
            tensors=tuple(self._tensors),
            scalars=tuple(self._scalars),
            functions=tuple(self._functions),
            definitions=tuple(self._definitions),
            hypotheses=tuple(self._hypotheses),
        )


def _definition_assumptions(body: Expr) -> dict[str, bool]:
    if body.is_positive:
        return {"positive": True}
    if body.is_real:
        return {"real": True}
    return {}


def as_expr(value: object, what: str) -> Expr:
    """Convert numbers and SymPy objects; refuse strings (parsing text would run eval)."""
    if isinstance(value, Basic):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DerivsError(
            f"{what} must be a SymPy expression or a number, not {type(value).__name__}"
            + (
                " (text is never evaluated: build the expression with SymPy)"
                if isinstance(value, str)
                else ""
            )
        )
    return sympy.Integer(value) if isinstance(value, int) else sympy.Float(value)
