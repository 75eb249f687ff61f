"""The expressions of a derivation file in the order their author wrote them.

SymPy sorts the terms of a sum and the factors of a product as it builds
them: ``a[i] * (1 - a[i])`` becomes ``(1 - a_i) a_i``.  The checker wants
that canonical expression; a paper wants the author's.  So when
:func:`~derivs.model.then` or :func:`~derivs.model.step` receives an
expression, :func:`as_written` finds the call in the author's source (the
exact span Python records for it), reads the argument's syntax tree, and
builds the same expression with ``evaluate=False`` at each ``+``, ``-``,
``*``, ``/``, ``**`` and unary minus.  The operands that are not arithmetic
(a name, ``z[i]``, ``exp(z[i])``, ``Sum(...)``) are evaluated again in the
caller's namespace, as the author's line did.

The result is only ever printed.  It is kept only if evaluating it gives back
exactly the expression that is checked; anything else (a file that changed,
an expression built in a helper, a call this cannot place) gives ``None``,
and the printers print the checked expression.

Most runs print no expression as written (a terminal shows the author's
source or the checked expression), so :func:`written_later` only notes the
call (its place and a copy of the names it saw) and builds the expression
when it is first asked for (:class:`WrittenLater`), or when it is pickled.
"""

from __future__ import annotations

import ast
import linecache
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import islice
from types import FrameType
from typing import Any

from sympy import Add, Basic, Expr, Integer, Mul, Pow, sympify

_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)


def as_written(frame: FrameType | None, argument: int, checked: Expr) -> Expr | None:
    """The ``argument``-th argument of the call running in ``frame``, as written."""
    later = written_later(frame, argument, checked)
    return None if later is None else later.expression


def _position(frame: FrameType) -> Span | None:
    positions = frame.f_code.co_positions()
    position = next(islice(positions, frame.f_lasti // 2, None), None)
    return None if position is None or None in position else position


def _argument_at(filename: str, position: Span | None, argument: int) -> ast.expr | None:
    if position is None:
        return None
    source = "".join(linecache.getlines(filename))
    if not source:
        return None
    node = _calls(source).get(position)
    if node is None or argument >= len(node.args):
        return None
    return node.args[argument]


@dataclass(frozen=True, eq=False)
class WrittenLater:
    """The ``argument``-th argument of a call as written, built when first asked for.

    It holds the call's file and place and copies of the names the call saw,
    so that what it builds is what :func:`as_written` would have built then.
    Pickled, it travels as the expression it builds.
    """

    filename: str
    position: Span | None
    argument: int
    names: dict[str, Any]
    local: dict[str, Any]
    checked: Expr

    @cached_property
    def expression(self) -> Expr | None:
        try:
            node = _argument_at(self.filename, self.position, self.argument)
            if node is None or not _arithmetic(node):
                return None
            written = _build(node, self.names, self.local)
        except Exception:  # the author's names, in the author's code: anything may fail
            return None
        if not isinstance(written, Expr) or _evaluated(written) != self.checked:
            return None
        return written

    def __reduce__(self) -> tuple[Any, ...]:
        return _built, (self.expression, self.checked)


def _built(expression: Expr | None, checked: Expr) -> WrittenLater:
    """A :class:`WrittenLater` unpickled: its expression built already, no names kept."""
    built = WrittenLater("", None, 0, {}, {}, checked)
    built.__dict__["expression"] = expression
    return built


def written_later(frame: FrameType | None, argument: int, checked: Expr) -> WrittenLater | None:
    """What :func:`as_written` gives for this call, built when it is first asked for."""
    if frame is None:
        return None
    position = _position(frame)
    if position is None:
        return None
    names = dict(frame.f_globals)
    local = names if frame.f_locals is frame.f_globals else dict(frame.f_locals)
    return WrittenLater(frame.f_code.co_filename, position, argument, names, local, checked)


Span = tuple[int | None, int | None, int | None, int | None]


@lru_cache(maxsize=32)
def _calls(source: str) -> dict[Span, ast.Call]:
    """The calls of a source file by their span, parsed once for all its links."""
    return {
        (node.lineno, node.end_lineno, node.col_offset, node.end_col_offset): node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
    }


def _arithmetic(node: ast.expr) -> bool:
    return isinstance(node, ast.BinOp) or (
        isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
    )


def _build(node: ast.expr, names: dict[str, Any], local: dict[str, Any]) -> Any:
    if isinstance(node, ast.BinOp) and isinstance(node.op, _ARITHMETIC):
        left = _build(node.left, names, local)
        right = _build(node.right, names, local)
        if isinstance(node.op, ast.Add):
            return Add(*_terms(node.left, left), right, evaluate=False)
        if isinstance(node.op, ast.Sub):
            return Add(*_terms(node.left, left), _negated(node.right, right), evaluate=False)
        if isinstance(node.op, ast.Mult):
            return Mul(*_factors(node.left, left), right, evaluate=False)
        if isinstance(node.op, ast.Div):
            reciprocal = Pow(right, Integer(-1), evaluate=False)
            return Mul(*_factors(node.left, left), reciprocal, evaluate=False)
        return Pow(left, right, evaluate=False)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _negated(node.operand, _build(node.operand, names, local))
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return Integer(node.value)
    value = eval(compile(ast.Expression(node), "<written>", "eval"), names, local)
    return sympify(value)


def _negated(node: ast.expr, expr: Any) -> Any:
    return Mul(Integer(-1), *_factors(node, expr), evaluate=False)


def _terms(node: ast.expr, expr: Any) -> tuple[Any, ...]:
    """The terms of a sum written here, to extend it: ``a + b - c`` is one sum of three."""
    written_sum = isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub))
    return tuple(expr.args) if written_sum and isinstance(expr, Add) else (expr,)


def _factors(node: ast.expr, expr: Any) -> tuple[Any, ...]:
    """The factors of a product written here, to extend it: ``-a * b / c`` is one product."""
    written_product = (
        isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div))
    ) or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub))
    return tuple(expr.args) if written_product and isinstance(expr, Mul) else (expr,)


def _evaluated(expr: Basic) -> Basic:
    """``expr`` with every unevaluated sum, product and power evaluated."""
    if isinstance(expr, (Add, Mul, Pow)):
        return expr.func(*(_evaluated(arg) for arg in expr.args))
    return expr
