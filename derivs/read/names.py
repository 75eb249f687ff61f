"""Declared names: how the LaTeX keys of a notation become names.

A notation declares its names as the document writes them, in LaTeX
(``z``, ``'\\hat{y}'``, ``'\\text{softmax}'``, ``'a_i'``, ``'\\sigma(x)'``).
Three things are read from such a key, never evaluated:

- its normal form (:func:`declared_key`), the key under which the document's
  names are looked up: ``\\hat y`` and ``\\hat{ y }`` are ``\\hat{y}``;
- a readable SymPy name for it (:func:`sympy_name`): ``\\hat{y}`` is
  ``yhat``, ``\\mathcal{L}`` is ``Lcal``, ``\\text{softmax}`` is
  ``softmax``, by the decoration's suffix (:data:`DECORATION_SUFFIX`);
- for a definition, its head (:func:`definition_head`): the name, the
  indices written as a subscript (``a_i``) and the arguments in parentheses
  (``\\sigma_i(z)``, ``H(p, q)``).

A notation may also declare ``'\\sum'`` itself, for documents that write a
bare ``\\sum`` for the normaliser: :func:`abbreviate` reads such a ``\\sum``
as that name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from lark import Token, Tree

from derivs.errors import DerivsError
from derivs.read.layers import labelled, layer_parts
from derivs.read.spelling import merge_spelled
from derivs.read.tex import TexError, parse, tokens
from derivs.read.tree import name_key, split_scripts, written
from derivs.read.vocabulary import Meaning, Plain, Vocabulary, unbold

ABBREVIATED = "\\sum"
"""The one big operator a notation may declare as a name, for documents that
write ``\\sum`` alone for the normaliser."""

#: The SymPy name's suffix for each decoration of a declared name.
DECORATION_SUFFIX = {
    "\\hat": "hat",
    "\\widehat": "hat",
    "\\bar": "bar",
    "\\overline": "bar",
    "\\tilde": "tilde",
    "\\widetilde": "tilde",
    "\\vec": "vec",
    "\\dot": "dot",
    "\\ddot": "ddot",
    "\\check": "check",
    "\\mathcal": "cal",
    "\\mathbb": "bb",
    "\\mathrm": "rm",
}


@dataclass(frozen=True)
class DefinitionHead:
    """The left side of a definition: its name, indices and written arguments."""

    key: str
    indices: tuple[str, ...]
    arguments: tuple[str, ...]


def definition_head(latex: str) -> DefinitionHead:
    tree = parse(tokens(latex))
    if len(tree.children) != 1:
        raise DerivsError(f"{latex!r}: write a name, an entry a_i, or a function f(x)")
    return head_of(tree.children[0], latex)


def head_of(node: Any, latex: str) -> DefinitionHead:
    """The definition head ``node`` writes (``latex`` is how errors show it)."""
    if not isinstance(node, Tree) or node.data != "juxt":
        raise DerivsError(f"{latex!r}: write a name, an entry a_i, or a function f(x)")
    items = merge_spelled(list(node.children), lambda _: False)  # relu(x): one name
    if len(items) not in (1, 2):
        raise DerivsError(f"{latex!r}: write a name, an entry a_i, or a function f(x)")
    scripted = items[0]
    if not isinstance(scripted, Tree) or scripted.data != "scripted":
        raise DerivsError(f"{latex!r} does not start with a name")
    key = name_key(scripted.children[0])
    sub, sup, primes = split_scripts(scripted.children[1] if len(scripted.children) > 1 else None)
    if sup is not None or primes:
        raise DerivsError(f"{latex!r}: a definition's name has no power or prime")
    indices: tuple[str, ...] = ()
    if sub is not None:
        indices = tuple(script_names(sub))
    arguments: tuple[str, ...] = ()
    if len(items) == 2:
        parens = items[1]
        if (
            not isinstance(parens, Tree)
            or parens.data != "scripted"
            or not isinstance(parens.children[0], Tree)
            or parens.children[0].data != "parens"
        ):
            raise DerivsError(f"{latex!r}: after the name only (arguments) may follow")
        (slist,) = parens.children[0].children
        assert isinstance(slist, Tree)
        arguments = tuple(written_name(item) for item in slist.children)
    return DefinitionHead(key, indices, arguments)


def script_names(sub: Any) -> list[str]:
    """The names written in a subscript: ``_k``, ``_{ij}``, ``_{i,j}``, ``_\\theta``."""
    body = sub.children[0]
    if isinstance(body, Tree) and body.data in {"sarg_letter", "sarg_command"}:
        return [str(body.children[0])]
    if isinstance(body, Tree) and body.data == "slist":
        if len(body.children) > 1:
            return [written_name(c) for c in body.children]
        inner = body.children[0].children[0]
        if isinstance(inner, Tree) and inner.data == "juxt":
            return [written_name(c) for c in inner.children]
        return [written_name(inner)]
    raise DerivsError(f"cannot read the indices {written(sub)!r}")


def parameter_key(key: str, parameters: Sequence[str]) -> str:
    """The key of a function with parameters: ``h`` and ``\\theta`` -> ``h_{\\theta}``.

    A bold parameter is its plain name: ``f_{\\mathbf{w}}`` is ``f_{w}``.
    """
    return f"{key}_{{{','.join(unbold(p) for p in parameters)}}}"


def parameterised_key(head: DefinitionHead, lookup: Callable[[str], Meaning | None]) -> str:
    """The key of ``h_\\theta(x)``: a function whose subscript names declared parameters.

    A subscript on a function of new names is never an index: each name in it
    must be a declared scalar or vector (a parameter such as ``\\theta``).
    """
    for name in head.indices:
        meaning = lookup(declared_key(name))
        if meaning is None or (isinstance(meaning, Plain) and meaning.role == "index"):
            raise DerivsError(
                f"{head.key}: a function of new names has no indices; its subscript "
                f"{name} is read as a parameter when it is a declared scalar or vector"
            )
    return parameter_key(head.key, tuple(declared_key(n) for n in head.indices))


def written_name(node: Any) -> str:
    """The normal form of a name in a parse tree; an error for anything else."""
    try:
        return name_key(node)
    except TexError:
        raise DerivsError(f"{written(node)!r} is not a name") from None


def declared_key(key: str) -> str:
    """A declared key normalised as the document's names are (``\\hat y`` -> ``\\hat{y}``)."""
    stripped = key.strip()
    if stripped.isalnum():
        return stripped
    try:
        tree = parse(tokens(stripped))
        return _labelled_key(tree.children[0]) or name_key(tree.children[0])
    except TexError as error:
        raise DerivsError(f"{key!r} is not a name: {error}") from None


def _labelled_key(node: Any) -> str | None:
    """The key of a layer's name written alone (``W_1``, ``W^{[1]}``), or None."""
    while isinstance(node, Tree) and node.data in {"juxt", "relation", "slist"}:
        if len(node.children) != 1:
            return None
        node = node.children[0]
    if not (isinstance(node, Tree) and node.data == "scripted" and len(node.children) == 2):
        return None
    sub, sup, primes = split_scripts(node.children[1])
    found = None if primes else labelled(name_key(node.children[0]), sub, sup)
    return found.key if found is not None and found.sub is None and found.sup is None else None


def sympy_name(key: str) -> str:
    """A readable SymPy name for a normalised key: ``\\hat{y}`` -> ``yhat``."""
    if key.isidentifier():
        return key
    if key.startswith("\\text{") or key.startswith("\\operatorname{"):
        return key.split("{", 1)[1].rstrip("}").replace(" ", "_")
    layer = layer_parts(key)
    if layer is not None:  # a layer's name, W_{1} or W^{[1]}
        return f"{sympy_name(layer[0])}_{layer[1]}"
    for decoration, suffix in DECORATION_SUFFIX.items():
        prefix = decoration + "{"
        if key.startswith(prefix):
            return sympy_name(key[len(prefix) : -1]) + suffix
    if key.startswith("\\") and key[1:].isalpha():
        return key[1:]
    if "_{" in key and key.endswith("}"):  # a function with parameters, h_{\theta}
        base, parameters = key[:-1].split("_{", 1)
        return "_".join([sympy_name(base), *(sympy_name(p) for p in parameters.split(","))])
    raise DerivsError(f"{key} cannot be declared as a name")


def abbreviate(found: list[Token], vocabulary: Vocabulary) -> list[Token]:
    """Bare ``\\sum`` (no limits) becomes the declared name, if the notation declares one."""
    if vocabulary.lookup(ABBREVIATED) is None:
        return found
    out = []
    for n, token in enumerate(found):
        following = found[n + 1].value if n + 1 < len(found) else ""
        if token.type == "BIGOP" and token.value == ABBREVIATED and following not in {"_", "^"}:
            token = Token.new_borrow_pos("CMD", ABBREVIATED, token)
        out.append(token)
    return out
