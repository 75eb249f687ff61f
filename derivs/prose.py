"""An author's prose made into LaTeX that cannot run TeX.

Titles, justifications, case names and erratum notes are prose with
Markdown's math convention (``"$u' = e^{z_i}$, by the quotient rule"``).
They come from documents and derivation files that anyone may submit, and a
CI that compiles the output must be able to trust it: TeX reads files
(``\\input``, ``\\openin``), writes them (``\\write``), runs programs
(``\\write18``) and can redefine itself (``\\def``, ``\\catcode``).

So nothing an author wrote reaches TeX as written.  The text between the
dollars is read with derivs' own lexer (:func:`derivs.read.tex.tokens`) and
regenerated token by token: letters, digits, the operators and relations of
the grammar, and only the commands of :data:`KNOWN_COMMANDS`.  Math that
holds anything else, or does not lex, is shown as escaped text with its
dollars.  Everything outside the dollars is escaped character by character;
``!=``, ``<=`` and ``>=`` in words print as the signs they mean.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from lark import Token

from derivs.model import Relation
from derivs.read.brackets import token_depths
from derivs.read.tex import TexError, tokens

_TYPESETTING = r"""
    \alpha \beta \gamma \delta \epsilon \varepsilon \zeta \eta \theta \vartheta \iota \kappa
    \lambda \mu \nu \xi \pi \varpi \rho \varrho \sigma \varsigma \tau \upsilon \phi \varphi
    \chi \psi \omega \Gamma \Delta \Theta \Lambda \Xi \Pi \Sigma \Upsilon \Phi \Psi \Omega
    \log \ln \exp \max \min \sup \inf \arg \det \lim \sin \cos \tan \tanh \sinh \cosh \Pr
    \infty \nabla \top \intercal \ell \mid \odot \otimes \oplus \circ \sqrt \pm \mp \div
    \forall \exists \prime \dagger \star \ast \langle \rangle \lvert \rvert \lVert \rVert
    \vert \Vert \int \sim \simeq \subset \subseteq \cup \cap \emptyset \ll \gg
    \leftarrow \rightarrow \Rightarrow \Leftrightarrow \implies \iff \checkmark \dots
"""

#: Commands that only typeset: Greek letters, named functions and symbols.
KNOWN_COMMANDS = frozenset(_TYPESETTING.split())

#: Commands whose argument is words in math: regenerated only if the words are plain.
_WORD_COMMANDS = (r"\mathrm", r"\operatorname")

_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "_": r"\_",
    "^": r"\^{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}

#: Characters beyond ASCII that pdflatex typesets in text as they are.
_TEXT_CHARACTERS = frozenset(chr(code) for code in range(0xA0, 0x100)) | frozenset("–—‘’“”…•")

#: Mathematical characters, typeset as the commands that print them.
_MATH_CHARACTERS = {
    "∂": r"\partial",
    "≠": r"\neq",
    "≤": r"\leq",
    "≥": r"\geq",
    "∑": r"\sum",
    "∏": r"\prod",
    "−": "-",
    "∞": r"\infty",
    "→": r"\rightarrow",
    "∈": r"\in",
    "√": r"\surd",
    "ᵀ": r"^{\top}",
    "ŷ": r"\hat{y}",
}


def _character(character: str) -> str:
    """One character as text LaTeX typesets: escaped, kept, as math, or ``?``."""
    if character in _TEXT_ESCAPES:
        return _TEXT_ESCAPES[character]
    if character in "\n\t" or " " <= character <= "~" or character in _TEXT_CHARACTERS:
        return character
    command = _MATH_CHARACTERS.get(character) or _greek(character)
    if command:
        return rf"\ensuremath{{{command}}}"
    return "?"


def _greek(character: str) -> str:
    found = re.fullmatch(r"GREEK (SMALL|CAPITAL) LETTER (\w+)", unicodedata.name(character, ""))
    if not found:
        return ""
    word = found.group(2).lower()
    command = "\\" + (word if found.group(1) == "SMALL" else word.capitalize())
    return command if command in KNOWN_COMMANDS else ""


#: The signs written with two characters in plain words, as LaTeX math.
_WORD_SIGNS = {r.value: f"${r.latex}$" for r in Relation if r.value != r.symbol}
_SIGNS = re.compile("|".join(re.escape(sign) for sign in _WORD_SIGNS))


def escape(text: str) -> str:
    """Text made inert for LaTeX: every special character escaped.

    A character pdflatex cannot typeset in text is printed as the math
    command that shows it (``σ``, ``∂``, ``≤``) or, failing that, as ``?``,
    so that any text compiles.
    """
    return "".join(_character(character) for character in text)


#: Characters after which a line may break inside a long word (a path, a name).
BREAK_AFTER = "-_./,;:=+)\\"


def breakable(text: str, run: int = 24) -> str:
    """Escaped text that may break after :data:`BREAK_AFTER` and inside a run of ``run``."""
    pieces = []
    length = 0
    for character in text:
        pieces.append(_character(character))
        length = 0 if character.isspace() else length + 1
        if length and (character in BREAK_AFTER or length >= run):
            pieces.append(r"\allowbreak{}")
            length = 0
    return "".join(pieces)


def words(text: str) -> str:
    """Prose with no math: escaped, breakable, ``!=``, ``<=``, ``>=`` as the signs they mean."""
    pieces = []
    end = 0
    for match in _SIGNS.finditer(text):
        pieces.append(breakable(text[end : match.start()]))
        pieces.append(_WORD_SIGNS[match.group()])
        end = match.end()
    return "".join(pieces) + breakable(text[end:])


#: Spellings that need a package beyond amsmath and amssymb, as amsmath spells them.
_STANDARD = {
    "DECOR": {r"\bm": r"\boldsymbol"},
    "BEGIN_CASES": {r"\begin{dcases}": r"\begin{cases}", r"\begin{rcases}": r"\begin{cases}"},
    "END_CASES": {r"\end{dcases}": r"\end{cases}", r"\end{rcases}": r"\end{cases}"},
}


def _regenerated(source: str) -> list[tuple[str, str]] | None:
    """``source``'s tokens as (type, safe text), or None if it holds anything unknown.

    Alignment marks (``&``, ``\\\\``) are kept only inside a matrix or cases.
    """
    try:
        found = tokens(source)
    except TexError:
        return None
    if not found:
        return None
    regenerated: list[tuple[str, str]] = []
    environments = 0
    for token in found:
        value = str(token)
        if token.type == "CMD" and value not in KNOWN_COMMANDS:
            return None
        if token.type.startswith("BEGIN_"):
            environments += 1
        elif token.type.startswith("END_"):
            environments -= 1
        elif token.type in ("AMP", "ROWSEP") and not environments:
            return None
        if token.type == "TEXT":
            command, _, rest = value.partition("{")
            command = command.strip()
            content = rest[:-1]
            if command in _WORD_COMMANDS:
                if not re.fullmatch(r"[A-Za-z0-9 ]*", content):
                    return None
                value = f"{command}{{{content}}}"
            else:
                value = rf"\text{{{words(content)}}}"
        if token.type.startswith(("BEGIN_", "END_")):
            value = "".join(value.split())
        value = _STANDARD.get(token.type, {}).get(value, value)
        if value == "^" and regenerated and regenerated[-1][1] == "^":
            return None
        regenerated.append((token.type, value))
    return regenerated


def _joined(values: list[str]) -> str:
    """Token texts joined, with a space only where two words would run together."""
    return "".join(
        (" " if n and values[n - 1][-1].isalnum() and value[0].isalnum() else "") + value
        for n, value in enumerate(values)
    )


def math(source: str) -> str | None:
    """Math regenerated from derivs' tokens, or None if it holds anything unknown."""
    regenerated = _regenerated(source)
    if regenerated is None:
        return None
    return _joined([value for _, value in regenerated])


def written_sides(source: str) -> tuple[str, str, str] | None:
    """``lhs REL rhs`` as written, regenerated: (lhs, relation, rhs).

    None unless the math is safe (:func:`math`) and has exactly one relation
    outside brackets.
    """
    regenerated = _regenerated(source)
    if regenerated is None:
        return None
    row = [Token(kind, value) for kind, value in regenerated]
    depths = token_depths(row)
    relations = [n for n, token in enumerate(row) if token.type == "REL" and depths[n] == 0]
    if len(relations) != 1:
        return None
    (at,) = relations
    values = [value for _, value in regenerated]
    if at == 0 or at == len(values) - 1:
        return None
    return _joined(values[:at]), values[at], _joined(values[at + 1 :])


def rendered(
    text: str,
    shown_words: Callable[[str], str],
    shown_math: Callable[[str], str],
    shown_unread: Callable[[str], str],
) -> str:
    """Prose split at its dollars: words, regenerated math (:func:`math`), unread math.

    Text with an odd number of dollars has no math: it is words whole.
    Each output format (LaTeX here, HTML in :mod:`derivs.html`) says how it
    shows each piece.
    """
    pieces = text.split("$")
    if len(pieces) % 2 == 0:
        return shown_words(text)
    shown = []
    for position, piece in enumerate(pieces):
        if position % 2 == 0:
            shown.append(shown_words(piece))
            continue
        regenerated = math(piece)
        shown.append(shown_math(regenerated) if regenerated else shown_unread(f"${piece}$"))
    return "".join(shown)


def prose(text: str) -> str:
    """An author's prose as LaTeX: math between dollars regenerated, the rest escaped."""
    return rendered(text, words, lambda regenerated: f"${regenerated}$", breakable)
