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
  :mod:`derivs.read.shapes`);
- ``\\delta_{ij}``, ``1\\{k = i\\}`` and ``\\mathbb{1}_{k=i}`` are Kronecker
  deltas; ``(f)_{i = j}`` is ``f`` at ``i = j``;
- ``\\cdot``, ``\\times``, ``*`` and juxtaposition multiply; ``^{\\top}``
  transposes;
- sums with conditions or no limits (:mod:`derivs.read.limits`), higher and
  mixed derivatives (:mod:`derivs.read.differentials`), ``\\nabla_x`` and
  primes (:mod:`derivs.read.marked`), the standard functions by name
  (:mod:`derivs.read.standard`), entries of brackets ``(A^\\top)_{ij}``
  (:mod:`derivs.read.entries`), indicators ``\\mathbb{1}[k = y]`` and
  ``[\\![k = y]\\!]`` and the vector of ones (:mod:`derivs.read.ones`).

Anything else is an error naming its line, column and token: a name the
notation does not declare is never read as a new symbol.  Two things are
not errors but *skips* (:class:`Skip`), because no reading is intended:
prose (``\\text{cross entropy}(a, \\hat y)``, a ``\\text`` that names nothing
declared) and an ellipsis in a formula (``w_{i1} x_1 + ...``).

Each side is built as written, never evaluated (:mod:`derivs.written`).
A node of the grammar's rule ``r`` is read by the method ``_read_r``, and by
nothing else: a private helper can never be taken for a rule.  The reading
of names, of derivatives and big operators, and of juxtapositions are parts
of the translator of their own (:mod:`derivs.read.names`,
:mod:`derivs.read.operators`, :mod:`derivs.read.juxtaposition`).
"""

from __future__ import annotations

from typing import Any

from lark import Token, Tree
from sympy import (
    Expr,
    Integer,
    Pow,
    Rational,
    Symbol,
    exp,
)
from sympy.core.relational import Relational

from derivs.errors import DerivsError
from derivs.magnitude import at_most
from derivs.read import signs
from derivs.read.declared import NameReader
from derivs.read.differentials import whole_number
from derivs.read.entries import BracketEntryReader
from derivs.read.juxtaposition import JuxtapositionReader
from derivs.read.layers import labelled, unstated_layer
from derivs.read.marked import MarkedDerivativeReader
from derivs.read.norms import NormReader
from derivs.read.ones import BOLD_ONES, OnesReader
from derivs.read.operators import OperatorReader, indicator
from derivs.read.pieces import (
    Condition,
    DerivativeOperator,
    Function,
    Group,
    One,
    Ones,
    Partial,
    Piece,
)
from derivs.read.shapes import (
    Array,
    Dots,
    Value,
    Written,
    add,
    divide,
    dot,
    elementwise_product,
    multiply,
    negate,
)
from derivs.read.standard import powered, standard_power, unread_function_power
from derivs.read.tree import (
    MAX_EXPONENT,
    Node,
    Skip,
    fail,
    name_key,
    script_body,
    single,
    split_scripts,
    text_key,
    transpose_mark,
    where,
    written,
)
from derivs.read.vocabulary import Vocabulary


class Translator(
    OnesReader,
    NormReader,
    NameReader,
    OperatorReader,
    MarkedDerivativeReader,
    BracketEntryReader,
    JuxtapositionReader,
):
    """Translates parse trees in one :class:`Vocabulary`: the rules of the grammar."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.bound: list[dict[str, Symbol]] = []
        self.arguments: dict[str, Value] = {}
        self.sum_shapes: list[tuple[Expr, Expr]] = []

    # entry points

    def chain(self, tree: Tree[Token]) -> tuple[list[Node], list[str]]:
        """The expressions of a chain and the relation signs between them."""
        nodes = [c for c in tree.children if not (isinstance(c, Token) and c.type == "REL")]
        between = [
            signs.normalise(str(c.value))
            for c in tree.children
            if isinstance(c, Token) and c.type == "REL"
        ]
        return nodes, between

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
        made = signs.checked(str(parts[1]))
        if made is None:
            raise fail(parts[1], f"{parts[1]} is not a relation between indices")
        lhs, rhs = self.scalar(parts[0]), self.scalar(parts[2])
        return made.relational(lhs, rhs, evaluate=False)

    # pieces

    def piece(self, node: Node) -> Piece:
        if isinstance(node, Token):
            raise fail(node, f"unexpected {node.value!r}")
        handler = getattr(self, "_read_" + node.data, None)
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
        if isinstance(piece, One) and not piece.blackboard:
            return Integer(1)
        if isinstance(piece, One):
            return self.sized_ones(Ones(piece.node))
        if isinstance(piece, Ones):
            return self.sized_ones(piece)
        if isinstance(piece, Function):
            if piece.bare is not None:
                return piece.bare()
            raise fail(piece.node, f"{piece.name} is applied to nothing")
        if isinstance(piece, Partial):
            raise fail(piece.node, "a \\partial without the variable it is taken by")
        if isinstance(piece, DerivativeOperator):
            raise fail(piece.node, "a derivative operator applied to nothing")
        raise fail(
            node,
            f"the condition {written(node)!r} is read only as an indicator: "
            "write \\mathbb{1}[k = y], \\mathbb{1}\\{k = y\\} or [\\![k = y]\\!]",
        )

    def _read_chain(self, node: Tree[Token]) -> Piece:
        if len(node.children) != 1:
            raise fail(node, "a relation inside an expression")
        return self.piece(node.children[0])

    def _read_slist(self, node: Tree[Token]) -> Piece:
        items = [self.value(c) for c in node.children]
        if len(items) != 1:
            raise fail(node, "a list of several items where one value was expected")
        return items[0]

    def _read_relation(self, node: Tree[Token]) -> Piece:
        if len(node.children) != 1:
            raise fail(node, f"a relation {written(node)!r} where a value was expected")
        return self.piece(node.children[0])

    def _read_group(self, node: Tree[Token]) -> Piece:
        if not node.children:
            raise fail(node, "empty braces")
        return self.piece(node.children[0])

    def _read_add(self, node: Tree[Token]) -> Piece:
        return self.summed(node.children[0], node.children[2], add)

    def _read_sub(self, node: Tree[Token]) -> Piece:
        return self.summed(node.children[0], node.children[2], lambda a, b: add(a, b, -1))

    def _read_neg(self, node: Tree[Token]) -> Piece:
        return negate(self.value(node.children[-1]))

    def _read_signed(self, node: Tree[Token]) -> Piece:
        return self.value(node.children[-1])

    def _read_mul(self, node: Tree[Token]) -> Piece:
        product = dot if str(node.children[1]) == "\\cdot" else multiply
        return product(self.value(node.children[0]), self.value(node.children[2]))

    def _read_hadamard(self, node: Tree[Token]) -> Piece:
        return elementwise_product(self.value(node.children[0]), self.value(node.children[2]))

    def _read_div(self, node: Tree[Token]) -> Piece:
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

    def _read_number(self, node: Tree[Token]) -> Piece:
        text = str(node.children[0])
        if text == "1":
            return One(node)
        return Rational(text) if "." in text else Integer(text)

    def _read_ellipsis(self, node: Tree[Token]) -> Piece:
        raise Skip(f"ellipsis {node.children[0]} (line {where(node)[0]})")

    def _read_text(self, node: Tree[Token]) -> Piece:
        token = node.children[0]
        assert isinstance(token, Token)
        return self.named(text_key(token), None, node)

    def _read_letter(self, node: Tree[Token]) -> Piece:
        return self.named(str(node.children[0]), None, node)

    def _read_command(self, node: Tree[Token]) -> Piece:
        return self.named(str(node.children[0]), None, node)

    def _read_decorated(self, node: Tree[Token]) -> Piece:
        return self.named(name_key(node), None, node)

    def _read_norm(self, node: Tree[Token]) -> Piece:
        return self.norm(node, None)

    def _read_partial(self, node: Tree[Token]) -> Piece:
        raise fail(
            node,
            "\\partial is read only in \\frac{\\partial f}{\\partial x} "
            "or \\partial f / \\partial x",
        )

    def _read_parens(self, node: Tree[Token]) -> Piece:
        if not node.children:
            raise fail(node, "empty parentheses")
        (slist,) = node.children
        assert isinstance(slist, Tree)
        return Group(tuple(self.value(c) for c in slist.children), node)

    def _read_braces(self, node: Tree[Token]) -> Piece:
        slist = node.children[1]
        assert isinstance(slist, Tree)
        if len(slist.children) != 1:
            raise fail(node, "one relation in an indicator 1\\{...\\}")
        return Condition(self.relation(slist.children[0]), node)

    def _read_brackets(self, node: Tree[Token]) -> Piece:
        (slist,) = node.children
        assert isinstance(slist, Tree)
        if len(slist.children) == 1:
            (item,) = slist.children
            if isinstance(item, Tree) and item.data == "relation" and len(item.children) == 3:
                # the condition of \mathbb{1}[k = y], or inside Iverson's [\![k = y]\!]
                return Condition(self.relation(item), node)
            inner = self.piece(item)
            if isinstance(inner, Condition):
                return indicator(inner.relation)  # [\![k = y]\!]: Iverson's bracket
            return self.settle(inner, item)
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

    def _read_matrix(self, node: Tree[Token]) -> Piece:
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

    def _read_cases(self, node: Tree[Token]) -> Piece:
        raise fail(node, "a cases environment is read only as the right-hand side of an equation")

    def _read_scripted(self, node: Tree[Token]) -> Piece:
        primary = node.children[0]
        scripts = node.children[1] if len(node.children) > 1 else None
        sub, sup, primes = split_scripts(scripts)
        assert isinstance(primary, Tree)
        is_name = primary.data in {"letter", "command", "decorated", "text"}
        if primes:
            if not is_name or sup is not None:
                raise fail(node, "primes (f') on a function's name only: write \\frac{d f}{d x}")
            key = name_key(primary)
            return self.primed(self.named(key, sub, primary), key, primes, node)
        if is_name and self.is_nabla(name_key(primary)):
            return self.nabla(sub, sup, primary)
        layer = labelled(name_key(primary), sub, sup) if is_name else None
        if layer is not None and self.vocabulary.lookup(layer.key) is not None:
            base = self.named(layer.key, layer.sub, primary)
            return base if layer.sup is None else self.power(self.settle(base, primary), layer.sup)
        if layer is not None and self.vocabulary.lookup(name_key(primary)) is None:
            raise fail(node, unstated_layer(layer.key))
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
            if key in BOLD_ONES | {"\\mathbb{1}"}:
                if sub is not None:
                    return self.power(indicator(self.relation(single(script_body(sub)))), sup)
                if key == "\\mathbb{1}" and sup is None:
                    return One(primary, blackboard=True)
                if sup is not None and not transpose_mark(script_body(sup), self.vocabulary):
                    raise fail(sup, f"a power of {key}: only its transpose is read")
                return Ones(primary, sup is not None)
            base = self.named(key, sub, primary)
        elif primary.data == "norm":
            base = self.norm(primary, sub)
        elif primary.data in {"parens", "brackets"} and sub is not None:
            base = self.bracket_subscript(primary, sub)
        else:
            if sub is not None:
                raise fail(sub, f"a subscript on {written(primary)!r}")
            base = self.piece(primary)
        if sup is None:
            return base
        if isinstance(base, Function):
            times = whole_number(script_body(sup))
            if standard_power(base.name, times):
                assert times is not None
                return powered(base, times)
            raise fail(sup, unread_function_power(base.name))
        return self.power(self.settle(base, primary), sup)

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
        # As written (and a power of two numbers is never computed: 10^{10^{10}}).
        return Pow(base, exponent, evaluate=False)
