"""A definition of named vectors applied to other vectors: its formula, with them put in.

A document defines ``\\operatorname{LSE}(z) = \\log \\sum_k e^{z_k}`` on its
vector ``z`` and then writes ``\\operatorname{LSE}(z - c\\mathbf{1})``: the
same formula with each entry ``z_k`` replaced by the entry ``k`` of the new
argument.  The formula's sums are renamed first (:attr:`Definition.renamed_body`),
so an argument that mentions a letter the formula binds is never captured.

The replacement is read only where it is exact: each argument a vector or
matrix of the declared one's shape, and a formula that uses no other
definition (``a_i = e^{z_i} / S`` reaches ``z`` through ``S`` too, which a
replacement of ``z_k`` alone would miss).  Anything else is not read, and the
caller says which arguments the definition is declared with.
"""

from __future__ import annotations

from collections.abc import Sequence

from sympy import Expr, Indexed, IndexedBase

from derivs.context import Context
from derivs.read.shapes import Array, Value


def applied_to(
    head: Expr, declared: Sequence[Value], arguments: Sequence[Value], context: Context
) -> Expr | None:
    """The formula of the definition ``head`` with ``arguments`` for its ``declared``
    vectors, or None where that is not exact."""
    definition = next((d for d in context.definitions if d.head == head), None)
    if definition is None or definition.params:
        return None
    replacements: dict[IndexedBase, Array] = {}
    for old, new in zip(declared, arguments, strict=True):
        if not (isinstance(old, Array) and old.tensor is not None and isinstance(new, Array)):
            return None
        if (old.rows, old.columns) != (new.rows, new.columns):
            return None
        replacements[old.tensor] = new
    body = definition.renamed_body
    others = {d.head for d in context.definitions} - {head}
    if any(body.has(other) for other in others):
        return None

    def entry(written: Indexed) -> Expr:
        new = replacements[written.base]
        if len(written.indices) == 1:
            return new.entry(written.indices[0])
        return new.at(*written.indices)

    return body.replace(
        lambda e: isinstance(e, Indexed) and e.base in replacements,
        entry,
    )
