"""A whole vector or matrix given a formula, defined entry by entry.

Authors define arrays whole: ``a = \\operatorname{softmax}(z)``,
``\\delta = a - y``, ``z = W x + b``.  Such a definition means the entry rule
of its formula: entry ``r`` (of a column) or ``(r, c)`` (of a matrix) of the
name is that entry of the formula, so a later link may use the name whole
(``\\delta x^\\top``) or by entries (``\\delta_i``) alike.  The rule's
parameters are names no document can write (LaTeX names never start with
``_``), so they capture nothing.  A formula that is a row is defined as
nothing: a named vector is a column, and reading a row as one would drop the
author's transpose.
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Expr, Integer, Symbol

from derivs.errors import DerivsError
from derivs.read.shapes import Array, shape_name

ROW = Symbol("_r", integer=True, positive=True)
COLUMN = Symbol("_c", integer=True, positive=True)


@dataclass(frozen=True)
class EntryRule:
    """The parameters, the entry at them and the shape of a whole array's definition."""

    parameters: tuple[Symbol, ...]
    body: Expr
    shape: tuple[Expr, ...]


def entry_rule(key: str, array: Array) -> EntryRule:
    """The entry rule of ``key = array``, a column or a matrix."""
    if array.rows == 1 and array.columns != 1:
        raise DerivsError(
            f"{key} is given a {shape_name(array)}: a named vector is a column; "
            f"define its transpose, {key}^\\top"
        )
    if array.columns == 1:
        return EntryRule((ROW,), array.at(ROW, Integer(1)), (array.rows,))
    return EntryRule((ROW, COLUMN), array.at(ROW, COLUMN), (array.rows, array.columns))
