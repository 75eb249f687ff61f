"""What each LaTeX name of a document means.

A document writes ``z_k``, ``\\hat{y}_i``, ``\\bm y``, ``\\sigma_i(z)``,
``H(\\bm{\\hat y}, \\bm y)`` and ``\\text{softmax}(z)``; its notation (see
:mod:`derivs.read.notation`) declares what they are.  A :class:`Vocabulary`
maps each declared name, keyed by its normalised LaTeX (``z``, ``\\hat{y}``,
``\\sigma``, ``\\text{softmax}``), to a :class:`Meaning`:

- :class:`Plain`: a scalar symbol (a dimension, an index, a scalar, a named
  scalar definition such as ``S``);
- :class:`Tensor`: a declared vector or matrix, whose subscripted name is an
  entry and whose bare name is the whole array;
- :class:`IndexedDefinition`: an entry-wise definition (``a_i = ...``),
  possibly written with the arguments it was declared with (``\\sigma_i(z)``);
- :class:`Family`: a scalar or vector per member of a family, written with
  the member as a parenthesised superscript (``x^{(i)}``, ``x^{(i)}_m``);
- :class:`Applied`: a function of scalars (``\\sigma(x)``, an arbitrary
  ``u(x)``) or a scalar definition written with arguments (``H(p, q)``);
- :class:`Template`: a function of new names whose body does not read with
  scalars for them (``h_\\theta(x) := g(\\theta^\\top x)``, ``x`` a vector),
  read again at each application with its arguments in their place.
- :class:`Conventional`: a function named in letters read in its
  conventional meaning (``\\operatorname{softmax}``, see
  :mod:`derivs.read.conventions`).

A bold name (``\\bm y``, ``\\mathbf{y}``, ``\\boldsymbol y``, and under a
mark, ``\\hat{\\mathbf{y}}``) means the declaration of the plain name unless
it is declared itself, as authors bold a vector's name without changing what
it is.  Any other face or mark (``\\hat``, ``\\tilde``, ``\\bar``, ``\\dot``,
``\\mathcal``, ``\\mathbb``) is part of the name: ``\\hat{y}`` and ``y`` are
two names, never one.

A notation may declare one letter both an index and a vector or matrix (``b``
the bias and ``b`` the index of ``x_b``).  Where it is written decides which
is meant, and only there is it read: under a subscript (``W_{ab}``) it is the
index (:attr:`Vocabulary.subscripts`), written with a subscript (``b_i``) it is
the array; written alone it could be either, and that is an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lark import Token, Tree
from sympy import Expr, IndexedBase, Symbol
from sympy.core.function import FunctionClass

from derivs.context import Context

BOLD = frozenset({"bm", "mathbf", "boldsymbol", "pmb", "vec"})


@dataclass(frozen=True)
class Plain:
    """A scalar: dimension, index, scalar or named scalar definition."""

    expr: Expr
    role: str


@dataclass(frozen=True)
class Tensor:
    """A declared vector (one extent) or matrix (two)."""

    base: IndexedBase
    shape: tuple[Expr, ...]


@dataclass(frozen=True)
class IndexedDefinition:
    """``a_i := ...``: entries by index; ``signature`` is the written argument list."""

    base: IndexedBase
    shape: tuple[Expr, ...]
    signature: tuple[str, ...] = ()


@dataclass(frozen=True)
class Applied:
    """A function of scalars, or a scalar definition written with its arguments."""

    function: FunctionClass | None
    arity: int
    symbol: Expr | None = None
    signature: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class Family:
    """Members ``x^{(i)}`` (the i-th example), each a scalar or a vector of ``shape``.

    The base's first index is the member, counted from 1 to ``members``.
    """

    base: IndexedBase
    members: Expr
    shape: tuple[Expr, ...]


@dataclass(frozen=True)
class Template:
    """A function whose parameters stand for whatever it is applied to.

    ``h_\\theta(x) := g(\\theta^\\top x)`` takes a vector ``x``: its body is
    kept as written and read again at each application, each parameter
    standing for its argument, so an argument of any shape is what the body
    says of it (an application is a substitution, never a guess).
    """

    key: str
    parameters: tuple[str, ...]
    body: Tree[Token]
    #: The length its parameters were found to take, and a generic vector for each.
    length: Expr
    generic: tuple[tuple[str, IndexedBase], ...]


@dataclass(frozen=True)
class Conventional:
    """A function read in its conventional meaning, by the convention's name (``softmax``)."""

    convention: str


Meaning = Plain | Tensor | IndexedDefinition | Applied | Family | Template | Conventional


@dataclass(frozen=True)
class Vocabulary:
    """The context to check in and the meaning of each declared LaTeX name."""

    context: Context
    meanings: Mapping[str, Meaning]
    subscripts: Mapping[str, Symbol] = field(default_factory=dict)
    """Indices declared under the name of an array: what the name means under a subscript."""
    refused: Mapping[str, str] = field(default_factory=dict)
    """Names whose entry in the notation could not be read, each with why."""

    def lookup(self, key: str, entry: bool = False) -> Meaning | None:
        """The meaning of ``key``; for an ``entry`` (``x_1``) a bold vector ``\\mathbf{x}`` too."""
        if key in self.meanings:
            found = self.meanings[key]
            if not entry or isinstance(found, (Tensor, IndexedDefinition, Family)):
                return found
        inner = unbold(key)
        if inner != key:
            return self.meanings.get(inner)
        if entry:
            for command in sorted(BOLD):
                bold = self.meanings.get(f"\\{command}{{{key}}}")
                if bold is not None:
                    return bold
        return self.meanings.get(key)

    def entry_index(self, size: Expr, avoid: set[Symbol]) -> Symbol | None:
        """A declared index over ``1..size`` not in ``avoid``."""
        for index in self.context.indices:
            if index.upper == size and index.lower == 1 and index.symbol not in avoid:
                return index.symbol
        return None

    def index_symbols(self) -> dict[str, Symbol]:
        return {x.symbol.name: x.symbol for x in self.context.indices}


def unbold(key: str) -> str:
    """``\\bm{y}`` -> ``y``, ``\\hat{\\mathbf{y}}`` -> ``\\hat{y}``: the bold face taken off
    wherever it is in the key; other keys unchanged."""
    if not (key.startswith("\\") and key.endswith("}") and "{" in key):
        return key
    command, inner = key[1:-1].split("{", 1)
    if command in BOLD:
        return unbold(inner)
    if not command.isalpha() or "}" in command:
        return key
    return f"\\{command}{{{unbold(inner)}}}"
