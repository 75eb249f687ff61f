"""From a LaTeX parse tree to SymPy, in the notation a document declares.

The translator reads the notation of ML derivations and nothing else:

- a subscripted name is an entry of a declared vector or matrix (``z_k``,
  ``W_{ij}``, ``W_{i,j}``) or of an entry-wise definition (``a_i``); a bare
  vector name is the whole vector;
- ``e^{x}`` and ``\\exp`` are the exponential, ``\\log`` and ``\\ln`` (and the
  words ``log``, ``ln``, ``exp``) the natural logarithm and exponential;
- ``\\sum`` and ``\\prod`` bind their index: ``\\sum_{k=1}^{K} e^{z_k}`` is a
  sum over a bound ``k``; every written limit is honoured (``\\sum_{k}^{U}``
  runs from ``k``'s declared lower bound to ``U``); without bounds the index
  is the one declared index free in the body, over its declared range;
  ``\\sum_{i=1, i \\neq j}^{m}`` excludes ``i = j``;
- ``x^{(i)}`` is member ``i`` of a declared family (``x^{(i)}_m`` its
  entry); a parenthesised superscript that holds an index on anything else
  is an error, never a power;
- ``\\frac{\\partial f}{\\partial x}``, ``\\partial f / \\partial x``,
  ``\\frac{d f}{d x}`` and ``\\frac{\\partial}{\\partial x} (f)`` are
  derivatives; by a vector they are gradients and Jacobians (see
  :mod:`derivs.shapes`);
- ``\\delta_{ij}``, ``1\\{k = i\\}`` and ``\\mathbb{1}_{k=i}`` are Kronecker
  deltas; ``(f)_{i = j}`` is ``f`` at ``i = j``;
- ``\\cdot``, ``\\times``, ``*`` and juxtaposition multiply; ``^{\\top}``
  transposes.

Anything else is an error naming its line, column and token: a name the
notation does not declare is never read as a new symbol.  Two things are
not errors but *skips* (:class:`Skip`), because no reading is intended:
prose (``\\text{cross entropy}(a, \\hat y)``, a ``\\text`` that names nothing
declared) and an ellipsis in a formula (``w_{i1} x_1 + ...``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from lark import Token, Tree
from sympy import (
    Derivative,
    Eq,
    Expr,
    Ge,
    Gt,
    Indexed,
    IndexedBase,
    Integer,
    KroneckerDelta,
    Le,
    Lt,
    Ne,
    Pow,
    Product,
    Rational,
    Sum,
    Symbol,
    exp,
    log,
)
from sympy.core.relational import Relational

from derivs.errors import DerivsError
from derivs.magnitude import at_most
from derivs.read.tex import TexError
from derivs.read.vocabulary import Applied, Family, IndexedDefinition, Plain, Tensor, Vocabulary
from derivs.shapes import (
    Array,
    Dots,
    Value,
    Written,
    add,
    column,
    divide,
    elementwise,
    multiply,
    negate,
    row,
)

Node: TypeAlias = "Tree[Token] | Token"

MAX_EXPONENT = 1000
"""An integer power larger than this is refused: SymPy would evaluate it eagerly."""

CASE_WORDS = frozenset({"if", "for", "when", "where", "whenever", "with"})
OTHERWISE_WORDS = frozenset({"otherwise", "else", "elsewhere", "if not"})
FUNCTION_WORDS: dict[str, Callable[[Expr], Expr]] = {"log": log, "ln": log, "exp": exp}
TRANSPOSE = frozenset({"\\top", "\\intercal", "\\mathsf{T}", "\\mathrm{T}"})
RELATIONS: dict[str, str] = {
    "=": "=",
    "\\neq": "!=",
    "\\ne": "!=",
    "\\not=": "!=",
    "\\le": "<=",
    "\\leq": "<=",
    "\\ge": ">=",
    "\\geq": ">=",
    "<": "<",
    ">": ">",
    # "identically equal": the two sides are claimed equal everywhere, as with "=".
    "\\equiv": "=",
}
#: Signs a chain may be written with that claim nothing derivs checks, and why: a
#: link written with one is skipped with that reason (and counted as skipped).
UNCHECKED_RELATIONS: dict[str, str] = {
    "\\approx": "an approximation (\\approx) is not checked",
    "\\propto": "a proportionality (\\propto) is not checked",
    "\\in": "a membership (\\in) is not checked",
    "\\to": "an arrow (\\to) is not a relation derivs checks",
    "\\mapsto": "a map (\\mapsto) is not a relation derivs checks",
}


class Skip(Exception):
    """A link that is not checked, with the reason a report shows."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def where(node: Node) -> tuple[int, int]:
    if isinstance(node, Token):
        return (node.line or 0, node.column or 0)
    meta = node.meta
    return (getattr(meta, "line", 0), getattr(meta, "column", 0))


def fail(node: Node, message: str) -> TexError:
    return TexError(message, *where(node))


def written(node: Node) -> str:
    """The source text of a node, for messages (tokens joined)."""
    if isinstance(node, Token):
        return str(node.value)
    return " ".join(written(child) for child in node.children)


def text_content(token: Token) -> str:
    return str(token.value).split("{", 1)[1].rsplit("}", 1)[0].strip()


# -- pieces of a juxtaposition ----------------------------------------------------


@dataclass(frozen=True)
class Function:
    """Something applied to what follows it: ``\\log``, ``\\sigma(x)``, ``H(p, q)``."""

    name: str
    apply: Callable[[Sequence[Value], Node], Value]
    needs_parens: bool
    node: Node


@dataclass(frozen=True)
class DerivativeOperator:
    """``\\frac{\\partial}{\\partial x}``: applies to the rest of the product."""

    variable: Value
    node: Node


@dataclass(frozen=True)
class Partial:
    """``\\partial f``, waiting for ``/ \\partial x``."""

    value: Value
    node: Node


@dataclass(frozen=True)
class Group:
    """A parenthesised list; one item is a value, several are arguments."""

    items: tuple[Value, ...]
    node: Node


@dataclass(frozen=True)
class Condition:
    """``\\{k = i\\}``: a relation in braces, read after a ``1`` as an indicator."""

    relation: Relational
    node: Node


@dataclass(frozen=True)
class One:
    """A ``1`` (or ``\\mathbb{1}``) that may start an indicator ``1\\{...\\}``."""

    node: Node


Piece: TypeAlias = "Value | Function | DerivativeOperator | Partial | Group | Condition | One"


# -- the translator -----------------------------------------------------------------


class Translator:
    """Translates parse trees in one :class:`Vocabulary`."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.bound: list[dict[str, Symbol]] = []

    # entry points

    def chain(self, tree: Tree[Token]) -> tuple[list[Node], list[str]]:
        """The expressions of a chain and the relation signs between them."""
        nodes = [c for c in tree.children if not (isinstance(c, Token) and c.type == "REL")]
        signs = [
            normalise_relation(str(c.value))
            for c in tree.children
            if isinstance(c, Token) and c.type == "REL"
        ]
        return nodes, signs

    def value(self, node: Node) -> Value:
        piece = self.piece(node)
        return self.settle(piece, node)

    def scalar(self, node: Node, what: str = "this") -> Expr:
        result = self.value(node)
        if not isinstance(result, Expr):
            raise fail(node, f"{what} should be a scalar, not a vector or matrix")
        return result

    def relation(self, node: Node) -> Relational:
        """A relation such as ``k = i`` or ``i \\neq j`` (from a ``relation`` node)."""
        if not isinstance(node, Tree) or node.data != "relation":
            raise fail(node, f"expected a relation such as i = j, found {written(node)!r}")
        parts = node.children
        if len(parts) != 3:
            raise fail(node, f"expected one relation such as i = j, found {written(node)!r}")
        sign = normalise_relation(str(parts[1]))
        made = {"=": Eq, "!=": Ne, "<": Lt, "<=": Le, ">": Gt, ">=": Ge}.get(sign)
        if made is None:
            raise fail(parts[1], f"{parts[1]} is not a relation between indices")
        lhs, rhs = self.scalar(parts[0]), self.scalar(parts[2])
        return made(lhs, rhs, evaluate=False)

    # pieces

    def piece(self, node: Node) -> Piece:
        if isinstance(node, Token):
            raise fail(node, f"unexpected {node.value!r}")
        handler = getattr(self, "_" + node.data, None)
        if handler is None:
            raise fail(node, f"cannot read {written(node)!r} here")
        return handler(node)

    def settle(self, piece: Piece, node: Node) -> Value:
        if isinstance(piece, (Expr, Array, Written)):
            return piece
        if isinstance(piece, Group):
            if len(piece.items) != 1:
                raise fail(piece.node, "a list in parentheses is only read as arguments")
            return piece.items[0]
        if isinstance(piece, One):
            return Integer(1)
        if isinstance(piece, Function):
            raise fail(piece.node, f"{piece.name} is applied to nothing")
        if isinstance(piece, Partial):
            raise fail(piece.node, "a \\partial without the variable it is taken by")
        if isinstance(piece, DerivativeOperator):
            raise fail(piece.node, "a derivative operator applied to nothing")
        raise fail(node, f"{written(node)!r} in braces is only read after a 1, as 1\\{{...\\}}")

    def _chain(self, node: Tree[Token]) -> Piece:
        if len(node.children) != 1:
            raise fail(node, "a relation inside an expression")
        return self.piece(node.children[0])

    def _slist(self, node: Tree[Token]) -> Piece:
        items = [self.value(c) for c in node.children]
        if len(items) != 1:
            raise fail(node, "a list of several items where one value was expected")
        return items[0]

    def _relation(self, node: Tree[Token]) -> Piece:
        if len(node.children) != 1:
            raise fail(node, f"a relation {written(node)!r} where a value was expected")
        return self.piece(node.children[0])

    def _group(self, node: Tree[Token]) -> Piece:
        if not node.children:
            raise fail(node, "empty braces")
        return self.piece(node.children[0])

    def _add(self, node: Tree[Token]) -> Piece:
        return add(self.value(node.children[0]), self.value(node.children[2]))

    def _sub(self, node: Tree[Token]) -> Piece:
        return add(self.value(node.children[0]), self.value(node.children[2]), -1)

    def _neg(self, node: Tree[Token]) -> Piece:
        return negate(self.value(node.children[-1]))

    def _signed(self, node: Tree[Token]) -> Piece:
        return self.value(node.children[-1])

    def _mul(self, node: Tree[Token]) -> Piece:
        return multiply(self.value(node.children[0]), self.value(node.children[2]))

    def _div(self, node: Tree[Token]) -> Piece:
        top, bottom = self.piece(node.children[0]), self.piece(node.children[2])
        if isinstance(top, Partial) and isinstance(bottom, Partial):
            return self.derivative(top.value, bottom.value, node)
        if isinstance(top, Partial) or isinstance(bottom, Partial):
            raise fail(node, "\\partial f / \\partial x needs \\partial on both sides")
        return self.divided(self.settle(top, node), self.settle(bottom, node), node)

    def divided(self, top: Value, bottom: Value, node: Node) -> Value:
        try:
            return divide(top, bottom)
        except DerivsError as error:
            raise fail(node, str(error)) from None

    def _number(self, node: Tree[Token]) -> Piece:
        text = str(node.children[0])
        if text == "1":
            return One(node)
        return Rational(text) if "." in text else Integer(text)

    def _ellipsis(self, node: Tree[Token]) -> Piece:
        raise Skip(f"ellipsis {node.children[0]} (line {where(node)[0]})")

    def _text(self, node: Tree[Token]) -> Piece:
        token = node.children[0]
        assert isinstance(token, Token)
        return self.named(text_key(token), None, node)

    def _letter(self, node: Tree[Token]) -> Piece:
        return self.named(str(node.children[0]), None, node)

    def _command(self, node: Tree[Token]) -> Piece:
        return self.named(str(node.children[0]), None, node)

    def _decorated(self, node: Tree[Token]) -> Piece:
        return self.named(name_key(node), None, node)

    def _partial(self, node: Tree[Token]) -> Piece:
        raise fail(
            node,
            "\\partial is read only in \\frac{\\partial f}{\\partial x} "
            "or \\partial f / \\partial x",
        )

    def _parens(self, node: Tree[Token]) -> Piece:
        if not node.children:
            raise fail(node, "empty parentheses")
        (slist,) = node.children
        assert isinstance(slist, Tree)
        return Group(tuple(self.value(c) for c in slist.children), node)

    def _braces(self, node: Tree[Token]) -> Piece:
        slist = node.children[1]
        assert isinstance(slist, Tree)
        if len(slist.children) != 1:
            raise fail(node, "one relation in an indicator 1\\{...\\}")
        return Condition(self.relation(slist.children[0]), node)

    def _brackets(self, node: Tree[Token]) -> Piece:
        (slist,) = node.children
        assert isinstance(slist, Tree)
        if len(slist.children) == 1:
            return self.value(slist.children[0])
        return Written((tuple(self.cell(c) for c in slist.children),))

    def cell(self, node: Node) -> Any:
        """One cell of a written vector or matrix: a scalar, or an ellipsis."""
        inner = node
        while (
            isinstance(inner, Tree)
            and inner.data in {"relation", "juxt", "scripted"}
            and len(inner.children) == 1
        ):
            inner = inner.children[0]
        if isinstance(inner, Tree) and inner.data == "ellipsis":
            return Dots(str(inner.children[0]))
        return self.scalar(node, "a cell of a vector or matrix")

    def _matrix(self, node: Tree[Token]) -> Piece:
        rows = []
        for mrow in node.children:
            if not isinstance(mrow, Tree):
                continue
            cells = tuple(self.cell(c) for c in mrow.children if isinstance(c, Tree))
            if cells:
                rows.append(cells)
        widths = {len(r) for r in rows}
        if len(widths) > 1:
            raise fail(node, "the rows of this matrix have different numbers of cells")
        return Written(tuple(rows))

    def _cases(self, node: Tree[Token]) -> Piece:
        raise fail(node, "a cases environment is read only as the right-hand side of an equation")

    def _frac(self, node: Tree[Token]) -> Piece:
        _, top, bottom = node.children
        top_d, bottom_d = differential(top, self), differential(bottom, self)
        if top_d is not None and bottom_d is not None:
            variable = self.juxtaposed(bottom_d, bottom)
            if not top_d:
                return DerivativeOperator(variable, node)
            return self.derivative(self.juxtaposed(top_d, top), variable, node)
        if bottom_d is not None and top_d is None and bottom_d:
            raise fail(node, "a derivative needs \\partial (or d) in its numerator too")
        return self.divided(self.value(top), self.value(bottom), node)

    def _bigop(self, node: Tree[Token]) -> Piece:
        operator = str(node.children[0])
        scripts = next(
            (c for c in node.children[1:] if isinstance(c, Tree) and c.data == "scripts"), None
        )
        body = next(
            (c for c in node.children[1:] if not (isinstance(c, Tree) and c.data == "scripts")),
            None,
        )
        if body is None:
            raise fail(node, f"{operator} with nothing to add up")
        return self.big_operator(operator, scripts, body, node)

    def _juxt(self, node: Tree[Token]) -> Piece:
        items = merge_words(list(node.children), self.vocabulary, self.bound)
        if (
            items
            and isinstance(items[0], Tree)
            and items[0].data == "scripted"
            and _is_partial(items[0])
        ):
            return Partial(self.juxtaposed(items[1:], node), node)
        return self.fold([self.piece(i) for i in items], items, node)

    def juxtaposed(self, items: Sequence[Node], node: Node) -> Value:
        if not items:
            raise fail(node, "nothing after \\partial")
        return self.settle(self.fold([self.piece(i) for i in items], list(items), node), node)

    def fold(self, pieces: list[Piece], items: Sequence[Node], node: Node) -> Piece:
        """Apply functions to their arguments, then multiply what is left."""
        factors: list[Piece] = []
        n = 0
        while n < len(pieces):
            piece = pieces[n]
            following = pieces[n + 1] if n + 1 < len(pieces) else None
            if isinstance(piece, Function):
                if following is None:
                    raise fail(piece.node, f"{piece.name} is applied to nothing")
                if isinstance(following, Group):
                    arguments: Sequence[Value] = following.items
                elif piece.needs_parens:
                    raise fail(
                        piece.node, f"{piece.name} is written with its arguments in parentheses"
                    )
                else:
                    arguments = (self.settle(following, items[n + 1]),)
                factors.append(piece.apply(arguments, piece.node))
                n += 2
                continue
            if isinstance(piece, DerivativeOperator):
                rest = pieces[n + 1 :]
                if not rest:
                    raise fail(piece.node, "a derivative operator applied to nothing")
                target = self.settle(self.fold(rest, items[n + 1 :], node), node)
                factors.append(self.derivative(target, piece.variable, piece.node))
                break
            if isinstance(piece, One) and isinstance(following, Condition):
                factors.append(indicator(following.relation))
                n += 2
                continue
            if isinstance(piece, Partial):
                raise fail(piece.node, "\\partial in the middle of a product")
            factors.append(piece)
            n += 1
        if len(factors) == 1:
            return factors[0]
        result = self.settle(factors[0], node)
        for factor, item in zip(factors[1:], items[1:], strict=False):
            try:
                result = multiply(result, self.settle(factor, item))
            except DerivsError as error:
                raise fail(item, str(error)) from None
        return result

    def _scripted(self, node: Tree[Token]) -> Piece:
        primary = node.children[0]
        scripts = node.children[1] if len(node.children) > 1 else None
        sub, sup, primes = split_scripts(scripts)
        if primes:
            raise fail(node, "primes (f') are not read: write \\frac{d f}{d x}")
        assert isinstance(primary, Tree)
        is_name = primary.data in {"letter", "command", "decorated", "text"}
        member = self.member(name_key(primary) if is_name else None, sup)
        if member is not None:
            assert sup is not None
            return self.family_member(name_key(primary) if is_name else None, member, sub, sup)
        if is_name:
            key = name_key(primary)
            if (
                key == "e"
                and self.vocabulary.lookup("e") is None
                and sup is not None
                and sub is None
            ):
                return exp(self.scalar(script_body(sup), "an exponent"))
            if key in {"\\mathbb{1}", "\\mathbf{1}", "\\bm{1}", "\\boldsymbol{1}"}:
                if sub is not None:
                    return self.power(indicator(self.relation(single(script_body(sub)))), sup)
                return One(primary)
            base = self.named(key, sub, primary)
        elif primary.data == "parens" and sub is not None:
            base = self.substituted(primary, sub)
        else:
            if sub is not None:
                raise fail(sub, f"a subscript on {written(primary)!r}")
            base = self.piece(primary)
        if sup is None:
            return base
        if isinstance(base, Function):
            raise fail(sup, f"a power of the function {base.name}: write ({base.name}(x))^2")
        return self.power(self.settle(base, primary), sup)

    def member(self, key: str | None, sup: Node | None) -> Expr | None:
        """The member ``i`` of ``x^{(i)}``: a parenthesised superscript that holds an index.

        For a declared family any integer is a member (``x^{(2)}``); elsewhere
        only one that holds a declared or bound index is, and it is an error.
        """
        inner = _parenthesised(script_body(sup)) if sup is not None else None
        if inner is None:
            return None
        family = key is not None and isinstance(self.vocabulary.lookup(key), Family)
        try:
            value = self.scalar(inner, "a member")
        except (TexError, Skip):
            if family:
                raise
            return None
        indices = {x.symbol for x in self.vocabulary.context.indices}
        indices |= {s for scope in self.bound for s in scope.values()}
        if value.free_symbols & indices or (family and value.is_integer):
            return value
        return None

    def family_member(self, key: str | None, member: Expr, sub: Node | None, sup: Node) -> Value:
        """``x^{(i)}`` (member i of a declared family) and its entries ``x^{(i)}_m``."""
        meaning = self.vocabulary.lookup(key) if key is not None else None
        if not isinstance(meaning, Family):
            power = f"write {key or '(...)'}^{{{member}}} for a power"
            if key is None:
                raise fail(sup, f"^{{({member})}} holds the index {member}: {power}")
            index = sorted(member.free_symbols, key=str)[0]
            raise fail(
                sup,
                f"{key}^{{({member})}} holds the index {member}: is it member {member} of a "
                f'family (declare {key} with family = "{index}" in the notation), or a power '
                f"({power})?",
            )
        if member.is_integer is not True:
            raise fail(sup, f"the member {member} of {key} is not an index")
        if sub is not None:
            return meaning.base[(member, *self.indices(sub, len(meaning.shape), str(key)))]
        if not meaning.shape:
            return meaning.base[member]
        base = meaning.base
        return column(meaning.shape[0], lambda r: base[member, r])

    def power(self, base: Value, sup: Node | None) -> Value:
        if sup is None:
            return base
        body = script_body(sup)
        if transpose_mark(body, self.vocabulary):
            if not isinstance(base, Array):
                raise fail(sup, "a transpose of a scalar")
            return base.transpose()
        exponent = self.scalar(body, "an exponent")
        if not isinstance(base, Expr):
            raise fail(sup, "a power of a vector or matrix")
        # Checked on the written number, never computed: a tower is 38 bytes.
        if exponent.is_number and not at_most(exponent, MAX_EXPONENT):
            raise fail(sup, f"the exponent {exponent} is too large (at most {MAX_EXPONENT})")
        # A power of two numbers stays unevaluated: SymPy would compute 10^{10^{10}} eagerly.
        return Pow(base, exponent, evaluate=not (base.is_number and exponent.is_number))

    def substituted(self, parens: Tree[Token], sub: Node) -> Value:
        """``(f)_{i = j}``: ``f`` at ``i = j``."""
        inner = self.value(parens)
        relation = self.relation(single(script_body(sub)))
        if relation.rel_op != "==" or not isinstance(relation.lhs, Symbol):
            raise fail(sub, "(f)_{i = j} needs an index = value under the parentheses")
        old, new = relation.lhs, relation.rhs
        return elementwise(lambda x: x.subs(old, new), inner)

    # names

    def named(self, key: str, sub: Node | None, node: Node) -> Piece:
        for scope in reversed(self.bound):
            if key in scope:
                if sub is not None:
                    raise fail(sub, f"the bound index {key} has a subscript")
                return scope[key]
        meaning = self.vocabulary.lookup(key, entry=sub is not None)
        if meaning is None:
            return self.builtin(key, sub, node)
        if isinstance(meaning, Plain):
            if sub is not None:
                raise fail(sub, f"{key} is a {meaning.role}, it has no entries")
            return meaning.expr
        if isinstance(meaning, Family):
            raise fail(node, f"{key} is a family: write its member as {key}^{{(i)}}")
        if isinstance(meaning, Tensor):
            if sub is None:
                return whole(meaning.base, meaning.shape)
            return meaning.base[self.indices(sub, len(meaning.shape), key)]
        if isinstance(meaning, IndexedDefinition):
            if sub is None:
                make: Callable[[], Value] = lambda: whole(meaning.base, meaning.shape)  # noqa: E731
            else:
                entry = meaning.base[self.indices(sub, len(meaning.shape), key)]
                make = lambda: entry  # noqa: E731
            if not meaning.signature:
                return make()
            return Function(key, self.signature_check(key, meaning.signature, make), True, node)
        if sub is not None:
            raise fail(sub, f"{key} is a function; a subscript on it is not declared")
        return self.applied(key, meaning, node)

    def applied(self, key: str, meaning: Applied, node: Node) -> Piece:
        if meaning.symbol is not None:
            symbol = meaning.symbol
            return Function(
                key, self.signature_check(key, meaning.signature, lambda: symbol), True, node
            )
        function = meaning.function
        assert function is not None

        def apply(arguments: Sequence[Value], at: Node) -> Value:
            if len(arguments) != meaning.arity:
                raise fail(at, f"{key} takes {meaning.arity} argument(s), got {len(arguments)}")
            scalars = []
            for argument in arguments:
                if not isinstance(argument, Expr):
                    if meaning.arity == 1:
                        return elementwise(function, argument)
                    raise fail(at, f"{key} takes scalars")
                scalars.append(argument)
            return function(*scalars)

        return Function(key, apply, False, node)

    def signature_check(
        self, key: str, signature: tuple[str, ...], make: Callable[[], Value]
    ) -> Callable[[Sequence[Value], Node], Value]:
        declared = tuple(self.value(parse_name(s)) for s in signature)

        def apply(arguments: Sequence[Value], at: Node) -> Value:
            if len(arguments) != len(declared) or not all(
                same_value(a, b) for a, b in zip(arguments, declared, strict=True)
            ):
                raise fail(
                    at,
                    f"{key} is declared as {key}({', '.join(signature)}); "
                    "other arguments are not read",
                )
            return make()

        return apply

    def builtin(self, key: str, sub: Node | None, node: Node) -> Piece:
        if key in {"\\log", "\\ln", "\\exp"} or key in FUNCTION_WORDS:
            if sub is not None:
                raise fail(sub, f"{key} with a subscript (a logarithm base) is not read")
            function = FUNCTION_WORDS[key.lstrip("\\")]
            return Function(
                key, lambda args, at: self.one_argument(function, args, at), False, node
            )
        if key == "\\delta" and sub is not None:
            first, second = self.indices(sub, 2, "\\delta")
            return KroneckerDelta(first, second)
        if (
            key.startswith("\\text{")
            or key.startswith("\\operatorname{")
            or key.startswith("\\mathrm{")
        ):
            raise Skip(f"prose {key}")
        if key.startswith("\\") and "{" not in key and not is_greek(key):
            raise fail(node, f"unknown command {key}")
        raise fail(node, f"{key} is not declared in the notation")

    def one_argument(
        self, function: Callable[[Expr], Expr], arguments: Sequence[Value], at: Node
    ) -> Value:
        if len(arguments) != 1:
            raise fail(at, "this function takes one argument")
        return elementwise(function, arguments[0])

    def indices(self, sub: Node, arity: int, key: str) -> tuple[Expr, ...]:
        """The index expressions under a name: ``_k``, ``_{ij}``, ``_{i,j}``, ``_{i1}``."""
        body = script_body(sub)
        if isinstance(body, Tree) and body.data == "slist":
            parts: list[Node] = list(body.children)
            if len(parts) == 1:
                expr = single(body)
                if isinstance(expr, Tree) and expr.data == "relation" and len(expr.children) == 1:
                    expr = expr.children[0]
                # z_{ij} is two indices, never z at the product i j
                parts = (
                    list(expr.children)
                    if isinstance(expr, Tree) and expr.data == "juxt"
                    else [expr]
                )
        else:
            parts = [body]
        if len(parts) != arity:
            raise fail(
                sub, f"{key} takes {arity} index(es), found {len(parts)} in {written(sub)!r}"
            )
        found = tuple(self.index_expr(p, key) for p in parts)
        return found

    def index_expr(self, node: Node, key: str) -> Expr:
        if isinstance(node, Token):
            if node.type == "NUMBER":
                return Integer(str(node))
            return self.index_expr(Tree("letter", [node]), key)
        if node.data == "relation" and len(node.children) == 1:
            return self.index_expr(node.children[0], key)
        value = self.scalar(node, "an index")
        allowed = {x.symbol for x in self.vocabulary.context.indices} | {
            d.symbol for d in self.vocabulary.context.dimensions
        }
        allowed |= {s for scope in self.bound for s in scope.values()}
        strange = [s for s in value.free_symbols if s not in allowed]
        if strange or not value.is_integer:
            raise fail(node, f"{written(node)!r} under {key} is not an index")
        return value

    # derivatives and big operators

    def derivative(self, target: Value, variable: Value, node: Node) -> Value:
        if isinstance(variable, Array):
            return self.gradient(target, variable, node)
        if not isinstance(variable, (Symbol, Indexed)):
            raise fail(node, f"cannot differentiate with respect to {variable}")
        if isinstance(target, Array):
            return target.map(lambda f: Derivative(f, variable))
        if isinstance(target, Written):
            raise fail(node, "cannot differentiate a written-out vector")
        return Derivative(target, variable)

    def gradient(self, target: Value, variable: Array, node: Node) -> Value:
        if not variable.is_vector and isinstance(target, Array):
            raise fail(node, "the derivative of a vector by a matrix is not read")
        if isinstance(target, Written):
            raise fail(node, "cannot differentiate a written-out vector")
        if not variable.is_vector:
            scalar = target
            return Array(
                variable.rows, variable.columns, lambda r, c: Derivative(scalar, variable.at(r, c))
            )
        if isinstance(target, Array):
            if not target.is_vector:
                raise fail(node, "the derivative of a matrix is not read")
            return Array(
                target.length,
                variable.length,
                lambda r, c: Derivative(target.entry(r), variable.entry(c)),
            )
        scalar = target
        return row(variable.length, lambda c: Derivative(scalar, variable.entry(c)))

    def big_operator(
        self, operator: str, scripts: Tree[Token] | None, body: Node, node: Node
    ) -> Value:
        sub, sup, _ = split_scripts(scripts)
        variable_key, lower, upper, exclusions = self.limits(sub, sup, node)
        if variable_key is None:
            return self.unbounded(operator, body, node)
        symbol = self.bound_symbol(variable_key, lower, upper, node)
        self.bound.append({variable_key: symbol})
        try:
            summand = self.value(body)
            excluded = [self.relation(e) for e in exclusions]
        finally:
            self.bound.pop()
        if isinstance(summand, (Array, Written)):
            raise fail(node, f"{operator} of a vector is not read")
        for relation in excluded:
            if relation.rel_op != "!=" or symbol not in (relation.lhs, relation.rhs):
                raise fail(node, f"{operator}: only exclusions such as i \\neq j are read under it")
            other = relation.rhs if relation.lhs == symbol else relation.lhs
            if operator == "\\prod":
                raise fail(node, "\\prod with an exclusion is not read")
            summand = (1 - KroneckerDelta(symbol, other)) * summand
        return make_big(operator, summand, symbol, lower, upper)

    def bound_symbol(self, key: str, lower: Expr, upper: Expr, node: Node) -> Symbol:
        declared = self.vocabulary.index_symbols().get(key)
        if declared is not None:
            return declared
        if len(key) != 1 or not key.isalpha():
            raise fail(node, f"the summation index {key} is not a letter")
        return Symbol(key, integer=True, positive=bool((lower >= 1) is True or lower.is_positive))

    def limits(
        self, sub: Node | None, sup: Node | None, node: Node
    ) -> tuple[str | None, Expr, Expr, list[Node]]:
        if sub is None:
            if sup is not None:
                raise fail(node, "an upper limit without the index under the sum")
            return None, Integer(0), Integer(0), []
        body = script_body(sub)
        parts: list[Node] = (
            list(body.children) if isinstance(body, Tree) and body.data == "slist" else [body]
        )
        first, exclusions = parts[0], parts[1:]
        if isinstance(first, Tree) and first.data == "relation" and len(first.children) == 3:
            key = index_key(first.children[0])
            if key is None or normalise_relation(str(first.children[1])) != "=":
                raise fail(sub, f"cannot read the limits {written(sub)!r}: write k=1")
            lower = self.limit(first.children[2], "a lower limit")
            if sup is None:
                raise fail(sub, "a lower limit without an upper one")
            return key, lower, self.limit(script_body(sup), "an upper limit"), exclusions
        key = index_key(first)
        if key is None:
            raise fail(sub, f"cannot read the index under the sum: {written(sub)!r}")
        declared = next((x for x in self.vocabulary.context.indices if x.symbol.name == key), None)
        if declared is None:
            raise fail(
                sub, f"the index {key} has no declared range: write {key}=1 and an upper limit"
            )
        # \sum_{k}^{U}: from k's declared lower bound to the written U, never k's declared upper
        upper = declared.upper if sup is None else self.limit(script_body(sup), "an upper limit")
        return key, declared.lower, upper, exclusions

    def limit(self, node: Node, what: str) -> Expr:
        """A written limit of a sum or product: a scalar, or an error at its position."""
        try:
            return self.scalar(node, what)
        except Skip as skip:
            raise fail(node, f"cannot read {what}: {skip.reason}") from None

    def unbounded(self, operator: str, body: Node, node: Node) -> Value:
        """``\\sum p_i \\log q_i``: the one declared index free in the body, over its range."""
        summand = self.value(body)
        if not isinstance(summand, Expr):
            raise fail(node, f"{operator} of a vector is not read")
        indices = [x for x in self.vocabulary.context.indices if x.symbol in summand.free_symbols]
        if len(indices) != 1:
            names = ", ".join(x.symbol.name for x in indices) or "none"
            raise fail(
                node,
                f"{operator} without limits must have one free index in its body, found {names}",
            )
        (index,) = indices
        return make_big(operator, summand, index.symbol, index.lower, index.upper)


# -- helpers ------------------------------------------------------------------------


def make_big(operator: str, body: Expr, symbol: Symbol, lower: Expr, upper: Expr) -> Expr:
    if operator == "\\prod":
        return Product(body, (symbol, lower, upper))
    return Sum(body, (symbol, lower, upper))


def whole(base: IndexedBase, shape: tuple[Expr, ...]) -> Array:
    if len(shape) == 1:
        return column(shape[0], lambda r: base[r], base)
    if len(shape) == 2:
        return Array(shape[0], shape[1], lambda r, c: base[r, c], base)
    raise DerivsError(f"{base} has {len(shape)} indices")


def indicator(relation: Relational) -> Expr:
    if relation.rel_op == "==":
        return KroneckerDelta(relation.lhs, relation.rhs)
    if relation.rel_op == "!=":
        return 1 - KroneckerDelta(relation.lhs, relation.rhs)
    raise DerivsError("an indicator 1{...} of = or \\neq only")


def same_value(a: Value, b: Value) -> bool:
    if isinstance(a, Array) and isinstance(b, Array):
        return a.tensor is not None and a.tensor == b.tensor
    return a == b


def normalise_relation(sign: str) -> str:
    compact = sign.replace(" ", "")
    return RELATIONS.get(compact, compact)


def is_greek(key: str) -> bool:
    return key.lstrip("\\").lower() in GREEK


GREEK = frozenset(
    [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "varepsilon",
        "zeta",
        "eta",
        "theta",
        "vartheta",
        "iota",
        "kappa",
        "lambda",
        "mu",
        "nu",
        "xi",
        "pi",
        "varpi",
        "rho",
        "varrho",
        "sigma",
        "varsigma",
        "tau",
        "upsilon",
        "phi",
        "varphi",
        "chi",
        "psi",
        "omega",
    ]
)


def text_key(token: Token) -> str:
    command = str(token.value).split("{", 1)[0].strip()
    content = text_content(token)
    if command in {"\\mathrm", "\\operatorname", "\\text", "\\textrm", "\\mbox", "\\textnormal"}:
        return f"\\text{{{content}}}"
    return f"{command}{{{content}}}"


def name_key(node: Node) -> str:
    """The normalised LaTeX key of a name: ``z``, ``\\sigma``, ``\\hat{y}``, ``\\bm{\\hat{y}}``."""
    if isinstance(node, Token):
        return str(node.value)
    if node.data in {"letter", "command"}:
        return str(node.children[0])
    if node.data == "text":
        token = node.children[0]
        assert isinstance(token, Token)
        return text_key(token)
    if node.data == "decorated":
        decor, inner = node.children
        return f"{decor}{{{name_key(inner)}}}"
    if node.data in {"group", "slist", "relation", "juxt", "scripted"} and len(node.children) == 1:
        return name_key(node.children[0])
    if node.data == "number":
        return str(node.children[0])
    raise TexError(f"{written(node)!r} is not a name", *where(node))


def index_key(node: Node) -> str | None:
    try:
        key = name_key(node)
    except TexError:
        return None
    return key if key.isalpha() else None


def split_scripts(scripts: Node | None) -> tuple[Node | None, Node | None, int]:
    if scripts is None:
        return None, None, 0
    assert isinstance(scripts, Tree)
    sub = next((c for c in scripts.children if isinstance(c, Tree) and c.data == "sub"), None)
    sup = next((c for c in scripts.children if isinstance(c, Tree) and c.data == "sup"), None)
    primes = sum(1 for c in scripts.children if isinstance(c, Token) and c.type == "PRIME")
    return sub, sup, primes


def script_body(script: Node) -> Node:
    """The argument of ``_`` or ``^`` as a tree (``slist`` for a braced group)."""
    assert isinstance(script, Tree)
    arg = script.children[0]
    if isinstance(arg, Tree) and arg.data == "sarg_letter":
        return Tree("letter", list(arg.children), arg.meta)
    if isinstance(arg, Tree) and arg.data == "sarg_number":
        return Tree("number", list(arg.children), arg.meta)
    if isinstance(arg, Tree) and arg.data == "sarg_command":
        return Tree("command", list(arg.children), arg.meta)
    if isinstance(arg, Tree) and arg.data == "sarg_decorated":
        return Tree(
            "decorated",
            [arg.children[0], script_body(Tree("sub", [arg.children[1]], arg.meta))],
            arg.meta,
        )
    return arg


def _parenthesised(body: Node) -> Node | None:
    """The one item of ``(...)`` when a superscript is only that: ``^{(i)}``, ``^{(i+1)}``."""
    inner = body
    while (
        isinstance(inner, Tree)
        and inner.data in {"slist", "relation", "juxt", "scripted", "group"}
        and len(inner.children) == 1
    ):
        inner = inner.children[0]
    if not (isinstance(inner, Tree) and inner.data == "parens" and inner.children):
        return None
    (items,) = inner.children
    if not isinstance(items, Tree) or len(items.children) != 1:
        return None
    return items.children[0]


def single(node: Node) -> Node:
    """The one item of a braced list."""
    if isinstance(node, Tree) and node.data == "slist":
        if len(node.children) != 1:
            raise fail(node, "one item expected")
        return node.children[0]
    return node


def transpose_mark(body: Node, vocabulary: Vocabulary) -> bool:
    try:
        key = name_key(single(body))
    except TexError:
        return False
    if key in TRANSPOSE:
        return True
    return key == "T" and vocabulary.lookup("T") is None


def _is_partial(item: Tree[Token]) -> bool:
    return (
        len(item.children) == 1
        and isinstance(item.children[0], Tree)
        and item.children[0].data == "partial"
    )


def differential(group: Node, translator: Translator) -> list[Node] | None:
    """The items after ``\\partial`` (or ``d``) in a fraction's part, or None if none leads."""
    assert isinstance(group, Tree)
    if not group.children:
        return None
    node = single(group.children[0])
    if isinstance(node, Tree) and node.data == "relation" and len(node.children) == 1:
        node = node.children[0]
    items: list[Node] = (
        list(node.children) if isinstance(node, Tree) and node.data == "juxt" else [node]
    )
    first = items[0]
    if not (isinstance(first, Tree) and first.data == "scripted"):
        return None
    if _is_partial(first):
        return items[1:]
    head = first.children[0]
    if len(first.children) == 1 and isinstance(head, Tree):
        key = name_key(head) if head.data in {"letter", "text"} else None
        if key in {"d", "\\text{d}"} and translator.vocabulary.lookup("d") is None:
            return items[1:]  # [] for a bare d: the operator d/dx
    return None


def merge_words(
    items: list[Node], vocabulary: Vocabulary, bound: list[dict[str, Symbol]]
) -> list[Node]:
    """Letters written together that spell ``log``, ``ln``, ``exp`` or a declared name."""
    out: list[Node] = []
    n = 0
    while n < len(items):
        word, length = _word_at(items, n)
        for size in range(length, 1, -1):
            candidate = word[:size]
            if candidate in FUNCTION_WORDS or vocabulary.lookup(candidate) is not None:
                first, last = items[n], items[n + size - 1]
                assert isinstance(first, Tree) and isinstance(last, Tree)
                merged = Tree(
                    "letter", [Token("LETTER", candidate, *_token_position(first))], first.meta
                )
                out.append(Tree("scripted", [merged, *last.children[1:]], first.meta))
                n += size
                break
        else:
            out.append(items[n])
            n += 1
    return out


def _token_position(node: Node) -> tuple[int, int, int, int]:
    line, column = where(node)
    return (0, line, column, 0)


def _word_at(items: list[Node], start: int) -> tuple[str, int]:
    letters: list[str] = []
    for item in items[start:]:
        if not (isinstance(item, Tree) and item.data == "scripted"):
            break
        head = item.children[0]
        if not (isinstance(head, Tree) and head.data == "letter"):
            break
        letters.append(str(head.children[0]))
        if len(item.children) > 1:
            break
    return "".join(letters), len(letters)


def parse_name(latex: str) -> Node:
    """A declared argument name (``z``, ``\\bm{\\hat y}``) as a tree."""
    from derivs.read.tex import parse, tokens

    tree = parse(tokens(latex))
    return tree.children[0]


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Tree):
        for child in node.children:
            yield from walk(child)


def ellipsis_in(node: Node) -> str | None:
    """An ellipsis in a formula (``w_{i1} x_1 + ...``), outside written vectors and matrices."""
    if isinstance(node, Tree):
        if node.data in {"brackets", "matrix", "parens"}:
            return None
        if node.data == "ellipsis":
            return str(node.children[0])
        for child in node.children:
            found = ellipsis_in(child)
            if found is not None:
                return found
    return None


def prose_in(node: Node, vocabulary: Vocabulary) -> str | None:
    """The first ``\\text{...}`` that names nothing declared (prose), if any."""
    for item in walk(node):
        if isinstance(item, Tree) and item.data == "text":
            token = item.children[0]
            assert isinstance(token, Token)
            key = text_key(token)
            words = text_content(token).lower()
            if vocabulary.lookup(key) is None and words not in CASE_WORDS | OTHERWISE_WORDS | {"d"}:
                return key
    return None
