"""Functions of vectors: a definition whose parameters read only as vectors.

A document defines ``h_\\theta(x) = \\frac{1}{1 + e^{-\\theta^\\top x}}``
and applies ``h_\\theta`` to the examples ``x^{(i)}``: ``x`` is a vector,
though nothing declares it.  A function's parameters are first read as new
scalars; when the body does not read so, and does read with each parameter a
vector as long as a declared one (:func:`takes_vectors`), the definition is a
:class:`~derivs.read.vocabulary.Template`: its body is read again at each
application with the arguments in place of the parameters.  The probe only
decides that the definition is one of vectors; the length of each argument is
its own, and a body that does not read with it is an error at that link.
"""

from __future__ import annotations

from lark import Token, Tree
from sympy import Expr, IndexedBase

from derivs.errors import DerivsError
from derivs.read.declared import whole
from derivs.read.names import declared_key, head_of, parameterised_key
from derivs.read.shapes import Value
from derivs.read.translate import Translator
from derivs.read.tree import Node, Skip, written
from derivs.read.vocabulary import (
    Family,
    IndexedDefinition,
    Template,
    Tensor,
    Vocabulary,
    unbold,
)


def lengths(vocabulary: Vocabulary) -> list[Expr]:
    """The lengths a vector of the notation may have: its dimensions and declared extents."""
    found: list[Expr] = [d.symbol for d in vocabulary.context.dimensions]
    for meaning in vocabulary.meanings.values():
        if isinstance(meaning, (Tensor, IndexedDefinition, Family)):
            found += [extent for extent in meaning.shape if extent not in found]
    return found


def vector_lengths(
    vocabulary: Vocabulary, parameters: tuple[str, ...], body: Tree[Token]
) -> Expr | None:
    """The first declared length with which ``body`` reads as a scalar, each parameter a
    vector of that length; None if there is none."""
    for length in lengths(vocabulary):
        translator = Translator(vocabulary)
        translator.arguments = {
            key: whole(IndexedBase(f"probe{n}", real=True), (length,))
            for n, key in enumerate(parameters)
        }
        try:
            if isinstance(translator.value(body), Expr):
                return length
        except (DerivsError, Skip):
            continue
    return None


def defined_here(node: Node, vocabulary: Vocabulary) -> dict[str, Value]:
    """The parameters of a template when ``node`` is its head as defined (``h_\\theta(x)``).

    The chain that states a template's formula is read with its parameters
    standing for generic vectors (declared with the template, each an array of
    its own: the parameter ``x`` of ``h_\\theta(x)`` is not the family ``x`` of
    the examples), as the definition says it holds for any.
    """
    try:
        head = head_of(node, written(node))
        key = parameterised_key(head, vocabulary.lookup) if head.indices else head.key
    except DerivsError:
        return {}
    meaning = vocabulary.lookup(key)
    parameters = tuple(unbold(declared_key(a)) for a in head.arguments)
    if not isinstance(meaning, Template) or parameters != meaning.parameters:
        return {}
    return {key: whole(base, (meaning.length,)) for key, base in meaning.generic}
