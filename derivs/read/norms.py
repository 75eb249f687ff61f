"""Norms, ``\\|x\\|^2``, ``\\lVert x \\rVert_2^2``, ``\\left\\| x \\right\\|``: sums of squares.

A bar ``\\|`` (or ``\\Vert``) both opens and closes a norm, so the lexer's
bars are paired before parsing (:func:`derivs.read.brackets.paired_bars`): a
bar closes the norm the innermost open bracket opened, and otherwise opens
one.  ``\\lVert`` and ``\\rVert`` say which they are.  Paired, they are
brackets like any other, and the grammar reads ``LNORM ... RNORM``.

The norm of a vector ``x`` of length ``n`` is ``\\sqrt{\\sum_{k=1}^{n} x_k^2}``
(:class:`NormReader`), so ``\\|x\\|^2`` is the sum of its squares.  Only the
Euclidean norm is read (no subscript, or ``_2``); a norm of a scalar or of a
matrix, or another norm (``_1``, ``_\\infty``, ``_F``), is skipped with its
reason: a scalar's bars may be an absolute value, a matrix's another norm.
"""

from __future__ import annotations

from sympy import Expr, sqrt

from derivs.read.parts import Reader
from derivs.read.shapes import Array, index_sum
from derivs.read.tree import Node, Skip, script_body, written

#: The subscripts of the Euclidean norm: ``\\|x\\|_2``.
EUCLIDEAN = frozenset({"2"})


class NormReader(Reader):
    """Reads ``\\|x\\|`` and its subscript ``_2``."""

    def norm(self, node: Node, sub: Node | None) -> Expr:
        if sub is not None and written(script_body(sub)) not in EUCLIDEAN:
            raise Skip(f"the norm _{written(script_body(sub))} is not read: only the Euclidean one")
        inside = node.children[1] if len(node.children) == 3 else None  # type: ignore[union-attr]
        if inside is None:
            raise Skip("an empty norm")
        value = self.value(inside)
        if not isinstance(value, Array):
            raise Skip(
                f"a norm of a scalar ({written(inside)}): an absolute value, or a vector "
                "the notation does not declare? Declare it as a vector"
            )
        if not value.is_vector:
            raise Skip(f"a norm of a matrix ({written(inside)}) is not read")
        vector = value
        return sqrt(index_sum(lambda k: vector.entry(k) ** 2, vector.length))
