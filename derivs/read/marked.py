"""Derivatives written as a mark on a name: the gradient ``\\nabla_x`` and primes ``f'(x)``.

- ``\\nabla_w f`` is the derivative of ``f`` by ``w`` with the shape of
  ``w``: by a vector, the column of partial derivatives, compared with the
  other side entry by entry; by a scalar, the derivative itself.
  ``\\nabla^2_w f`` is the Hessian, the matrix of second derivatives.  A
  ``\\nabla`` with no variable under it is an error that asks for one.
- ``f'(x)``, ``\\sigma''(z_i)``: the first (second, ...) derivative of a
  declared or defined function of one variable, at the argument as written:
  ``\\frac{d}{ds} f(s)`` at ``s = x``.  A prime on anything else (an entry, a
  scalar, a function of several arguments) is an error saying what to
  declare.

:class:`MarkedDerivativeReader` is the part of the translator that reads them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sympy import Derivative, Dummy, Expr, Subs

from derivs.read.differentials import whole_number
from derivs.read.parts import Reader
from derivs.read.pieces import DerivativeOperator, Function, Group, Piece
from derivs.read.shapes import Array, Value, elementwise
from derivs.read.tree import Node, fail, parse_name, script_body

NABLA = "\\nabla"


class MarkedDerivativeReader(Reader):
    """Reads ``\\nabla_x`` and ``f'``."""

    def is_nabla(self, key: str) -> bool:
        return key == NABLA and self.vocabulary.lookup(NABLA) is None

    def nabla(self, sub: Node | None, sup: Node | None, node: Node) -> Piece:
        if sub is None:  # by the one argument of the function after it, if it has one
            times = 1 if sup is None else whole_number(script_body(sup))
            if times not in {1, 2}:
                raise fail(sup or node, "\\nabla^2 is read by a vector only, as the Hessian")
            return DerivativeOperator((), node, gradient=times == 1, unnamed=times)
        variable = self.value(script_body(sub))
        if sup is None:
            return DerivativeOperator((variable,), node, gradient=True)
        if whole_number(script_body(sup)) != 2 or not isinstance(variable, Array):
            raise fail(sup, "\\nabla^2 is read by a vector only, as the Hessian \\nabla^2_x f")
        return DerivativeOperator((variable, variable), node)

    def own_variable(self, rest: Sequence[Piece], at: Node) -> Value:
        """The variable of ``\\nabla f`` written with none: the one argument ``f`` is
        defined with (``\\operatorname{LSE}(z)``: ``z``), when ``f`` alone follows."""
        function = rest[0] if rest else None
        alone = len(rest) == 1 or (len(rest) == 2 and isinstance(rest[1], Group))
        if (
            isinstance(function, Function)
            and alone
            and function.bare is not None
            and len(function.parameters) == 1
        ):
            return self.value(parse_name(function.parameters[0]))
        raise fail(
            at,
            "\\nabla without its variable is read only before a function defined with one "
            "argument: write \\nabla_x f (\\nabla^2_x f)",
        )

    def primed(self, base: Piece, key: str, primes: int, node: Node) -> Function:
        if not isinstance(base, Function):
            raise fail(
                node,
                f"{key}{chr(39) * primes} is a derivative of a function of one variable: "
                f"declare {key} as one (under [functions], or define {key}(s) under "
                "[definitions]), or write \\frac{d f}{d x}",
            )

        def apply(arguments: Sequence[Value], at: Node) -> Value:
            if len(arguments) != 1:
                raise fail(at, f"{key}' takes one argument, got {len(arguments)}")
            return elementwise(lambda a: self.primed_at(base, key, primes, a, at), arguments[0])

        return Function(f"{key}'", apply, True, node)

    def primed_at(self, base: Function, key: str, primes: int, argument: Expr, at: Node) -> Expr:
        """The ``primes``-th derivative of ``base`` at ``argument``, unevaluated."""
        variable = Dummy("s", real=True)
        inner = base.apply((variable,), at)
        if not isinstance(inner, Expr):
            raise fail(at, f"{key} is not a scalar function")
        # never d/dx f(x): the body of a defined f may hold x itself ('q(u)' = 'u x')
        return Subs(Derivative(inner, (variable, primes)), variable, argument)
