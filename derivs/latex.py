"""LaTeX for derivations, through SymPy's printer protocol.

``DerivationLatexPrinter`` is a SymPy ``LatexPrinter`` that writes the symbols
as the documents write them: ``\\frac{\\partial a_i}{\\partial z_j}`` for a
derivative, ``S`` and ``a_i`` for definitions (never their unfolded bodies),
``\\delta_{ij}``, ``\\hat{y}``, and a product kept as written
(``e^{z_i} \\cdot e^{z_i}``, ``0 \\cdot S``) with an explicit dot.

:func:`render_document` lays derivations out as a LaTeX document (article
class, amsmath): each chain as an ``align*`` with the justification beside
each link and a verdict mark, the counterexample under a refuted link, and
the sources cited.  ``fragment=True`` gives only the body, for inclusion in
a paper.  The text is built from the printer's output for each expression
and from escaped prose; no expression is ever turned into text with ``str``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sympy import Basic, Expr, Indexed, Mul, Symbol
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from derivs.model import Link, Step
from derivs.verdict import DerivationResult, LinkResult, Status
from derivs.written import WrittenProduct, joined_terms, unevaluated


class DerivationLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the notation of the documents."""

    printmethod = "_latex"

    def _print_Derivative(self, expr: Basic) -> str:
        order = sum(n for _, n in expr.variable_count)
        top = r"\partial" if order == 1 else rf"\partial^{{{order}}}"
        bottom = " ".join(
            rf"\partial {self._print(v)}" + (f"^{{{n}}}" if n != 1 else "")
            for v, n in expr.variable_count
        )
        inner = expr.expr
        if isinstance(inner, (Symbol, Indexed, AppliedUndef)):
            return rf"\frac{{{top} {self._print(inner)}}}{{{bottom}}}"
        return rf"\frac{{{top}}}{{{bottom}}} \left({self._print(inner)}\right)"

    def _print_Mul(self, expr: Expr) -> str:
        # SymPy also routes x**-1 through here; only a product written unevaluated
        # (``times(e, e)``, ``0 * S``, ``over(S, S)``) keeps its factors as written.
        if isinstance(expr, Mul) and unevaluated(expr):
            written = WrittenProduct.of(expr)
            sign = "- " if written.negative else ""
            if written.denominator:
                top = self._factors(written.numerator, alone=True)
                bottom = self._factors(written.denominator, alone=True)
                return rf"{sign}\frac{{{top or '1'}}}{{{bottom}}}"
            return sign + self._factors(written.numerator, alone=False)
        return super()._print_Mul(expr)

    def _factors(self, factors: Sequence[Expr], alone: bool) -> str:
        """Factors joined by a dot; one factor standing alone needs no parentheses."""
        if alone and len(factors) == 1:
            return str(self._print(factors[0]))
        return r" \cdot ".join(
            self.parenthesize(f, PRECEDENCE["Mul"], strict=False) for f in factors
        )

    def _print_Add(self, expr: Expr, order: str | None = None) -> str:
        # A sum written unevaluated (``0 - e^{z_i} e^{z_j}``) keeps its terms in order.
        if unevaluated(expr):
            return joined_terms([self._print(term) for term in expr.args])
        return super()._print_Add(expr, order)


def latex(expr: Basic) -> str:
    """``expr`` in LaTeX, as the documents write it."""
    return DerivationLatexPrinter().doprint(expr)


_ESCAPES = {
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
}


def escape(prose: str) -> str:
    """Text made safe for LaTeX: every special character escaped."""
    return "".join(_ESCAPES.get(character, character) for character in prose)


def prose(text: str) -> str:
    """An author's prose: ``$...$`` is math, passed to LaTeX as written; the rest escaped.

    Titles and justifications follow the Markdown convention, so a
    justification can say ``"$u' = e^{z_i}$, $v' = e^{z_i}$"``.  Text with an
    odd number of dollars has no math: it is escaped whole.
    """
    pieces = text.split("$")
    if len(pieces) % 2 == 0:
        return escape(text)
    return "".join(
        f"${piece}$" if position % 2 else escape(piece) for position, piece in enumerate(pieces)
    )


_MARKS = {
    (Status.PROVED, True): r"\checkmark",
    (Status.REFUTED, True): r"\times\ \text{erratum}",
    (Status.PROVED, False): r"\checkmark\ \textbf{erratum proved!}",
    (Status.REFUTED, False): r"\boldsymbol{\times}\ \textbf{refuted}",
    (Status.UNKNOWN, False): r"\textbf{?}\ \text{unknown}",
    (Status.ERROR, False): r"\textbf{!}\ \text{error}",
    (Status.SKIPPED, True): r"\text{skipped}",
    (Status.SKIPPED, False): r"\text{skipped}",
}


def verdict_mark(result: LinkResult) -> str:
    """A mark for the verdict, whether it was expected, and whether it came from the cache."""
    mark = _MARKS[(result.verdict.status, result.as_expected)]
    return mark + (r"\ \text{\small (cached)}" if result.verdict.cached else "")


def _condition(link: Link) -> str:
    parts = [latex(relation) for relation in link.condition]
    parts += [rf"\text{{{prose(h.name)}}}" for h in link.assuming]
    return r",\ ".join(parts)


#: How much of an unread link's written LaTeX the document quotes.
QUOTED_CHARACTERS = 70


def _unread_line(result: LinkResult) -> str:
    """A link that was skipped or could not be read: its source quoted as text, never as math."""
    written = result.link.written
    if len(written) > QUOTED_CHARACTERS:
        written = written[: QUOTED_CHARACTERS - 3] + "..."
    reason = result.verdict.message.rsplit(": ", 1)[-1] if result.link.problem else result.link.skip
    return (
        rf"&\text{{\small\ttfamily {escape(written)}}} && "
        rf"\text{{\small {escape(reason)}}} \quad {verdict_mark(result)}"
    )


def _link_line(result: LinkResult, lhs_shown: bool) -> str:
    link = result.link
    if link.skip or link.problem:
        return _unread_line(result)
    lhs = latex(link.lhs) if lhs_shown else ""
    notes = []
    if str(link.justification):
        notes.append(rf"\text{{\small {prose(str(link.justification))}}}")
    condition = _condition(link)
    if condition:
        notes.append(rf"\text{{\small if }} {condition}")
    notes.append(verdict_mark(result))
    return rf"{lhs} &{link.relation.latex} {latex(link.rhs)} && " + r" \quad ".join(notes)


_INDEXED_NAME = re.compile(r"^(\w+)\[(.+)\]$")


def _name(name: str) -> str:
    """``z[1]`` as ``z_{1}``; names go through the printer (``yhat`` is ``\\hat{y}``)."""
    match = _INDEXED_NAME.match(name)
    if match:
        return f"{latex(Symbol(match.group(1)))}_{{{match.group(2)}}}"
    return latex(Symbol(name))


def _value(text: str) -> str:
    return text if re.fullmatch(r"-?[0-9./]+", text) else rf"\text{{{escape(text)}}}"


def _refutation(result: LinkResult) -> str:
    counterexample = result.verdict.counterexample
    assert counterexample is not None
    values = [f"{_name(name)} = {value}" for name, value in counterexample.dimensions]
    values += [f"{_name(name)} = {value}" for name, value in counterexample.indices]
    values += [f"{_name(name)} = {_value(value)}" for name, value in counterexample.values]
    erratum = result.link.erratum
    opening = rf"\emph{{Link {result.number}"
    opening += f", erratum: {prose(erratum.note)}" if erratum else ""
    where = f" at ${', '.join(values)}$" if values else ""
    return (
        rf"\par\noindent\begin{{small}}{opening}.}} Refuted{where}: "
        rf"the left side is ${counterexample.lhs}$, the right side ${counterexample.rhs}$."
        "\\end{small}\n"
    )


def _blocks(chains: Sequence[Step]) -> list[list[Step]]:
    """Chains grouped for display: consecutive untitled one-link chains share a block."""
    blocks: list[list[Step]] = []
    for chain in chains:
        single = len(chain.links) == 1 and not chain.title
        if single and blocks and len(blocks[-1][-1].links) == 1 and not blocks[-1][-1].title:
            blocks[-1].append(chain)
        else:
            blocks.append([chain])
    return blocks


def render_derivation(result: DerivationResult) -> str:
    """One derivation: a heading, its sources, each chain as an ``align*``."""
    derivation = result.derivation
    lines = [rf"\section*{{{prose(derivation.title)}}}"]
    about = rf"\texttt{{{escape(derivation.name)}}}"
    if derivation.sources:
        about += ". Source: " + ", ".join(rf"\texttt{{{escape(s)}}}" for s in derivation.sources)
    lines.append(about + ".")
    if derivation.description:
        lines.append(r"\par " + prose(derivation.description))
    by_link = {id(r.link): r for r in result.links}
    for block in _blocks(derivation.steps):
        if block[0].title:
            lines.append(rf"\paragraph{{{prose(block[0].title)}}}")
        rows = [
            _link_line(by_link[id(link)], lhs_shown=position == 0)
            for chain in block
            for position, link in enumerate(chain.links)
        ]
        lines.append("\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}")
        for chain in block:
            for link in chain.links:
                found = by_link[id(link)]
                if found.verdict.counterexample is not None:
                    lines.append(_refutation(found))
    return "\n".join(lines) + "\n"


_PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[T1]{fontenc}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\title{Derivations checked by derivs}
\date{}
\begin{document}
\maketitle
"""


def render_document(results: Iterable[DerivationResult], fragment: bool = False) -> str:
    """A standalone LaTeX document, or with ``fragment`` only its body."""
    body = "\n".join(render_derivation(result) for result in results)
    if fragment:
        return body
    return _PREAMBLE + body + "\\end{document}\n"
