"""Mathematics typed in Unicode: ``σ(z)·(1 − σ(z))``, ``∂ℓ/∂zᵢ``, ``x² ≤ 1``.

Notes written in a plain editor, or pasted from a rendered page, type the
symbols themselves instead of their LaTeX commands.  Each such character
has one LaTeX reading (:data:`TYPED`): a Greek letter its command (``σ`` is
``\\sigma``, as ``unicode-math`` names them: ``ε`` is ``\\varepsilon`` and
``ϵ`` is ``\\epsilon``), an operator or relation its sign (``·`` and ``⋅``
are ``\\cdot``, ``≠`` is ``\\neq``), a prime ``′`` a prime, and a run of
superscript or subscript digits a script (``x²`` is ``x^{2}``, ``x₁₂`` is
``x_{12}``, ``xᵀ`` is ``x^{\\top}``).  The lexer takes such a character as one
``TYPED`` token (``tex_grammar.lark``) and :func:`retyped` replaces it by the
tokens of its reading, each at the character's own line and column, so that
every report points at what the author typed.

A character with more than one reading is refused, never guessed: a capital
``Σ`` or ``Π`` may be a name or a sum or product, and the error asks for
``\\sum`` or ``\\Sigma``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from lark import Token

#: Greek letters, lowercase and capital, as their LaTeX commands (``unicode-math``'s names).
GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "varepsilon",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "ι": "iota",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "π": "pi",
    "ρ": "rho",
    "ς": "varsigma",
    "σ": "sigma",
    "τ": "tau",
    "υ": "upsilon",
    "φ": "varphi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
    "ϵ": "epsilon",
    "ϑ": "vartheta",
    "ϕ": "phi",
    "ϖ": "varpi",
    "ϱ": "varrho",
    "Γ": "Gamma",
    "Δ": "Delta",
    "Θ": "Theta",
    "Λ": "Lambda",
    "Ξ": "Xi",
    "Φ": "Phi",
    "Ψ": "Psi",
    "Ω": "Omega",
}

#: Characters whose reading is a command, a sign or an operator.
SIGNS = {
    "ℓ": "\\ell",
    "∂": "\\partial",
    "∇": "\\nabla",
    "∑": "\\sum",
    "∏": "\\prod",
    "∞": "\\infty",
    "·": "\\cdot",
    "⋅": "\\cdot",
    "∙": "\\cdot",
    "×": "\\times",
    "⊙": "\\odot",
    "∘": "\\circ",
    "−": "-",
    "≠": "\\neq",
    "≤": "\\leq",
    "≥": "\\geq",
    "∈": "\\in",
    "≈": "\\approx",
    "∝": "\\propto",
    "≡": "\\equiv",
    "≔": ":=",
    "→": "\\to",
    "↦": "\\mapsto",
    "′": "'",
    "″": "''",
    "‴": "'''",
    "⊤": "\\top",
}

#: The characters of a script, and what each one is in the script.
SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ᵀ", [*"0123456789-+", "\\top "], strict=True))
SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₋₊", "0123456789-+", strict=True))

#: Characters that would be guessed at, and what to write instead.
AMBIGUOUS = {
    "Σ": "a capital sigma is a name or a sum: write \\Sigma or \\sum",
    "Π": "a capital pi is a name or a product: write \\Pi or \\prod",
}

#: Each typed character (or script) and its LaTeX reading.
TYPED: dict[str, str] = {**{c: f"\\{n}" for c, n in GREEK.items()}, **SIGNS}


def reading(typed: str) -> str | None:
    """The LaTeX reading of one ``TYPED`` token: a character, or a run of script characters."""
    if typed in TYPED:
        return TYPED[typed]
    for mark, table in (("^", SUPERSCRIPTS), ("_", SUBSCRIPTS)):
        if typed and all(c in table for c in typed):
            return mark + "{" + "".join(table[c] for c in typed) + "}"
    return None


def why_not(typed: str) -> str:
    """Why a typed character has no reading."""
    return AMBIGUOUS.get(typed, f"the character {typed!r} is not read: write it in LaTeX")


def retyped(
    found: Iterable[Token], lex: Callable[[str], Iterable[Token]], refuse: Callable[[Token], None]
) -> Iterator[Token]:
    """``found`` with each ``TYPED`` token replaced by the tokens of its reading.

    ``lex`` tokenises a reading; ``refuse`` is called with a token that has none.
    """
    for token in found:
        if token.type != "TYPED":
            yield token
            continue
        latex = reading(str(token.value))
        if latex is None:
            refuse(token)
            continue
        for part in lex(latex):
            yield Token.new_borrow_pos(part.type, part.value, token)
