"""Names in expressions: what a declared or bound name, with its scripts and arguments, stands for.

A subscripted name is an entry of a declared vector or matrix or of an
entry-wise definition; a bare vector name the whole vector; ``x^{(i)}`` a
member of a family; ``\\sigma(x)`` and ``H(p, q)`` definitions applied to
arguments checked against their declared signature.  :class:`NameReader`
is the part of the :class:`~derivs.read.translate.Translator` that reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lark import Token, Tree
from sympy import (
    Expr,
    IndexedBase,
    Integer,
    KroneckerDelta,
    Product,
    Sum,
)

from derivs.errors import DerivsError
from derivs.read.applying import applied_to
from derivs.read.conventions import CONVENTIONS, convention_of
from derivs.read.names import parameter_key, script_names
from derivs.read.parts import Reader
from derivs.read.pieces import Function, Piece
from derivs.read.shapes import (
    Array,
    Value,
    column,
    elementwise,
    mentioned_in,
)
from derivs.read.spelling import is_plain_convention
from derivs.read.standard import STANDARD, OnVector, Standard, standard_word, undeclared
from derivs.read.tex import TexError
from derivs.read.tree import (
    FUNCTION_WORDS,
    Node,
    Skip,
    fail,
    index_key,
    is_letter,
    names_a_function,
    parenthesised,
    parse_name,
    script_body,
    single,
    written,
)
from derivs.read.vocabulary import (
    Applied,
    Conventional,
    Family,
    IndexedDefinition,
    Plain,
    Template,
    Tensor,
    unbold,
)


class NameReader(Reader):
    """Reads names, their entries and their arguments."""

    def member(self, key: str | None, sup: Node | None) -> Expr | None:
        """The member ``i`` of ``x^{(i)}``: a parenthesised superscript that holds an index.

        For a declared family any integer is a member (``x^{(2)}``); elsewhere
        only one that holds a declared or bound index is, and it is an error.
        """
        inner = parenthesised(script_body(sup)) if sup is not None else None
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

    def named(self, key: str, sub: Node | None, node: Node) -> Piece:
        if unbold(key) in self.arguments:  # a template's parameter, bold or not
            argument = self.arguments[unbold(key)]
            return argument if sub is None else self.entry_of(argument, sub, node)
        for scope in reversed(self.bound):
            if key in scope:
                if sub is not None:
                    raise fail(sub, f"the bound index {key} has a subscript")
                return scope[key]
        refused = self.vocabulary.refused.get(key)
        if refused is not None:
            raise fail(node, f"{key} is not read: {refused}")
        meaning = self.vocabulary.lookup(key, entry=sub is not None)
        if meaning is None and sub is not None:
            parameterised = self.vocabulary.lookup(parameter_key(key, script_names(sub)))
            if isinstance(parameterised, Applied):
                return self.applied(key, parameterised, node)
            if isinstance(parameterised, Template):
                return self.template(key, parameterised, node)
        if meaning is None:
            return self.builtin(key, sub, node)
        if sub is None and key in self.vocabulary.subscripts:
            raise fail(
                node,
                f"{key} is declared both as an index and as a {_array_word(meaning)}: written "
                f"alone it may be either; write its entries ({key}_i) or name the index "
                "another letter",
            )
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
            check = self.signature_check(key, meaning.signature, make)
            return Function(key, check, True, node, make, meaning.signature)
        if sub is not None:
            raise fail(sub, f"{key} is a function; a subscript on it is not declared")
        if isinstance(meaning, Template):
            return self.template(key, meaning, node)
        if isinstance(meaning, Conventional):
            known = CONVENTIONS[meaning.convention]
            return Function(key, lambda args, at: self.standard(known, args, at), False, node)
        return self.applied(key, meaning, node)

    def template(self, key: str, meaning: Template, node: Node) -> Piece:
        """``h_\\theta(x^{(i)})``: the template's body read with each argument for its parameter.

        The body is read as its definition wrote it, apart from the sums around
        the application; a sum of the body over an index its argument mentions
        would capture that index, and is an error.
        """

        def apply(arguments: Sequence[Value], at: Node) -> Value:
            if len(arguments) != len(meaning.parameters):
                raise fail(
                    at, f"{key} takes {len(meaning.parameters)} argument(s), got {len(arguments)}"
                )
            outer = (self.bound, self.arguments)
            self.bound, self.arguments = [], dict(zip(meaning.parameters, arguments, strict=True))
            try:
                value = self.value(meaning.body)
            finally:
                self.bound, self.arguments = outer
            written_in = set().union(*(mentioned_in(a) for a in arguments))
            if isinstance(value, Expr) and any(
                variable in written_in
                for big in value.atoms(Sum, Product)
                for variable, *_ in big.limits
            ):
                raise fail(at, f"a sum in the definition of {key} binds an index its argument uses")
            return value

        return Function(key, apply, True, node)

    def applied(self, key: str, meaning: Applied, node: Node) -> Piece:
        if meaning.symbol is not None:
            symbol = meaning.symbol
            check = self.signature_check(key, meaning.signature, lambda: symbol)
            return Function(key, check, True, node, lambda: symbol, meaning.signature)
        function = meaning.function
        assert function is not None

        def apply(arguments: Sequence[Value], at: Node) -> Value:
            if len(arguments) != meaning.arity:
                raise fail(at, f"{key} takes {meaning.arity} argument(s), got {len(arguments)}")
            scalars = []
            for argument in arguments:
                if not isinstance(argument, Expr):
                    if not meaning.parameters:  # no definition says it takes a scalar
                        raise fail(at, undefined_of_vector(key))
                    if meaning.arity == 1:
                        return elementwise(function, argument)
                    raise fail(at, f"{key} takes scalars")
                scalars.append(argument)
            return function(*scalars)

        return Function(key, apply, False, node, parameters=meaning.parameters)

    def signature_check(
        self, key: str, signature: tuple[str, ...], make: Callable[[], Value]
    ) -> Callable[[Sequence[Value], Node], Value]:
        declared = tuple(self.value(parse_name(s)) for s in signature)

        def apply(arguments: Sequence[Value], at: Node) -> Value:
            if len(arguments) != len(declared) or not all(
                same_value(a, b) for a, b in zip(arguments, declared, strict=True)
            ):
                made = make() if len(arguments) == len(declared) else None
                if isinstance(made, Expr):
                    context = self.vocabulary.context
                    found = applied_to(made, declared, arguments, context)
                    if found is not None:
                        return found
                raise fail(
                    at,
                    f"{key} is declared as {key}({', '.join(signature)}); "
                    "other arguments are not read",
                )
            return make()

        return apply

    def builtin(self, key: str, sub: Node | None, node: Node) -> Piece:
        word = standard_word(key) or (key if key in FUNCTION_WORDS else None)
        if word is not None:
            if sub is not None:
                raise fail(sub, f"{key} with a subscript is not read")
            meaning = STANDARD[word]
            return Function(key, lambda args, at: self.standard(meaning, args, at), False, node)
        if key == "\\delta" and sub is not None:
            first, second = self.indices(sub, 2, "\\delta")
            return KroneckerDelta(first, second)
        if is_plain_convention(key):
            raise fail(node, undeclared_function(key))
        if key.startswith("\\text{"):
            words = key[len("\\text{") : -1].strip()
            if not names_a_function(words):
                raise Skip(f"prose {key}")
            raise fail(node, undeclared_function(key))
        if key.startswith("\\") and "{" not in key and not is_letter(key):
            raise fail(node, f"unknown command {key}")
        raise fail(node, f"{key} is not declared in the notation")

    def standard(self, meaning: Standard | OnVector, arguments: Sequence[Value], at: Node) -> Value:
        if isinstance(meaning, OnVector):
            if len(arguments) != 1:
                raise fail(at, "this function takes one vector")
            (vector,) = arguments
            if not isinstance(vector, Array) or not vector.is_vector:
                raise fail(at, "this function takes a vector (declared, or a product)")
            return meaning.build(vector)
        if meaning.arity == 1:
            return self.one_argument(meaning.build, arguments, at)
        scalars = [a for a in arguments if isinstance(a, Expr)]
        if len(scalars) != len(arguments) or len(scalars) < 2:
            raise fail(at, "this function takes two or more scalars")
        return meaning.build(*scalars)

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

    def subscript_index(self, node: Node) -> Expr | None:
        """Under a subscript, a letter declared both an index and an array is the index."""
        key = index_key(node) if self.vocabulary.subscripts else None
        if key is None or key not in self.vocabulary.subscripts:
            return None
        if any(key in scope for scope in self.bound):
            return None
        return self.vocabulary.subscripts[key]

    def index_expr(self, node: Node, key: str) -> Expr:
        if isinstance(node, Token):
            if node.type == "NUMBER":
                return Integer(str(node))
            return self.index_expr(Tree("letter", [node]), key)
        if node.data == "relation" and len(node.children) == 1:
            return self.index_expr(node.children[0], key)
        index = self.subscript_index(node)
        if index is not None:
            return index
        value = self.scalar(node, "an index")
        allowed = {x.symbol for x in self.vocabulary.context.indices} | {
            d.symbol for d in self.vocabulary.context.dimensions
        }
        allowed |= {s for scope in self.bound for s in scope.values()}
        strange = [s for s in value.free_symbols if s not in allowed]
        if strange or not value.is_integer:
            raise fail(node, f"{written(node)!r} under {key} is not an index")
        return value


def undeclared_function(key: str) -> str:
    """The message for an undeclared function in letters, with its conventional meaning."""
    convention = convention_of(key)
    if convention is None:
        return undeclared(key)
    return (
        f"{undeclared(key)}, or give it its conventional meaning "
        f"(under [functions], '{key}' = \"{convention}\")"
    )


def undefined_of_vector(key: str) -> str:
    """The message for a function nothing defines, applied to a vector or matrix."""
    return (
        f"{key} is applied to a vector, and nothing says how: entry by entry (as the "
        f"sigmoid) or to the whole vector (as the softmax); define it ({key}(s) = ... "
        "under [definitions] acts entry by entry) or give it a conventional meaning"
    )


def _array_word(meaning: object) -> str:
    shape = getattr(meaning, "shape", ())
    return "vector" if len(shape) == 1 else "matrix"


def whole(base: IndexedBase, shape: tuple[Expr, ...]) -> Array:
    if len(shape) == 1:
        return column(shape[0], lambda r: base[r], base)
    if len(shape) == 2:
        return Array(shape[0], shape[1], lambda r, c: base[r, c], base)
    raise DerivsError(f"{base} has {len(shape)} indices")


def same_value(a: Value, b: Value) -> bool:
    if isinstance(a, Array) and isinstance(b, Array):
        return a.tensor is not None and a.tensor == b.tensor
    return a == b
