"""LaTeX for derivations, through SymPy's printer protocol.

``DerivationLatexPrinter`` is a SymPy ``LatexPrinter`` that writes the symbols
as the documents write them: ``\\frac{\\partial a_i}{\\partial z_j}`` for a
derivative, ``S`` and ``a_i`` for definitions (never their unfolded bodies),
``\\delta_{ij}``, ``\\hat{y}``, and a product kept as written
(``e^{z_i} \\cdot e^{z_i}``, ``0 \\cdot S``) with an explicit dot.

:func:`render_document` lays derivations out as a paper prints them
(article class, Latin Modern, amsmath): each chain as an ``align`` whose rows
are tagged with the links' numbers, a side shrunk to the line only when it
is wider; under the chain, a numbered note per link (justification, case,
verdict mark), which wraps in any column; the counterexample under a refuted
link, to :data:`PRINTED_DIGITS` digits; the sources cited.  ``fragment=True``
gives the body and the macros it uses, for ``\\input`` into a paper.

Nothing an author wrote reaches TeX as written: the sides are printed from
the expressions, or regenerated from the author's LaTeX with derivs' own
lexer, and prose goes through :mod:`derivs.prose`.  The output depends only
on the derivation and its verdicts, never on where a verdict came from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from sympy import Basic, Expr, Indexed, Mul, Symbol
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from derivs.model import Derivation, Link, Step, UnreadLink
from derivs.prose import breakable, escape, prose, written_sides
from derivs.verdict import Assignment, Counterexample, DerivationResult, LinkResult, Status
from derivs.written import WrittenProduct, joined_terms, unevaluated

_TEX_IN_NAME = re.compile(r"[\\{}$%#&~^]|[^\x00-\x7f]")


class DerivationLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the notation of the documents."""

    printmethod = "_latex"

    def _deal_with_super_sub(self, string: str, style: str = "plain") -> str:
        # A name is the author's text: one that could be TeX, or that pdflatex
        # cannot typeset in math, is printed as text.
        if _TEX_IN_NAME.search(string):
            return rf"\text{{{escape(string)}}}"
        return str(super()._deal_with_super_sub(string, style))

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
            if not written.is_quotient:
                return sign + self._factors(written.factors, alone=False)
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


#: How much of an unread link's written LaTeX the document quotes.
QUOTED_CHARACTERS = 70

#: Significant digits of the counterexample values a paper prints (the JSON keeps 30).
PRINTED_DIGITS = 6

#: What a paper needs to ``\input`` a fragment, and the macros the output uses.
#: ``\derivslhs`` and ``\derivsrhs`` shrink a side that is wider than its room to
#: fit the line (with graphicx; without it, a wide side keeps its width).
_MACROS = r"""% derivs output.  Needs \usepackage{amsmath}; with \usepackage{graphicx}
% an equation wider than the line shrinks to fit it; \usepackage{amssymb}
% gives the check mark.  Only mathematics derivs printed is typeset as such.
\ifdefined\derivsroom\else\newdimen\derivsroom\fi
\providecommand{\checkmark}{\ensuremath{\surd}}
\providecommand{\derivsshrink}[1]{\ifdim\wd0>#1\relax
  \ifdefined\resizebox\sbox0{\resizebox{#1}{!}{\usebox0}}\fi\fi}
\providecommand{\derivslhs}[1]{\sbox0{$\displaystyle #1$}\derivsshrink{.4\linewidth}%
  \global\derivsroom=\linewidth\global\advance\derivsroom by -\wd0
  \global\advance\derivsroom by -5em\usebox0}
\providecommand{\derivsrhs}[1]{\sbox0{$\displaystyle #1$}\derivsshrink{\derivsroom}\usebox0}
\providecommand{\derivsnote}[3]{\par\noindent\hangindent=2.5em\hangafter=1
  \makebox[2.5em][l]{(#1)}#2\unskip\nobreak\hfil\penalty50\hskip1em\hbox{}\nobreak
  \hfil #3{\parfillskip=0pt\par}}
\providecommand{\derivsdetail}[1]{{\leftskip=2.5em\noindent #1\par}}
"""


def _tt(text: str) -> str:
    """Typewriter text that may break after punctuation and inside long runs."""
    return rf"\texttt{{{breakable(text, run=12)}}}"


_MARKS = {
    (Status.PROVED, True): r"$\checkmark$~proved",
    (Status.REFUTED, True): r"$\times$~refuted, an erratum",
    (Status.PROVED, False): r"$\checkmark$~\textbf{erratum proved!}",
    (Status.REFUTED, False): r"$\boldsymbol{\times}$~\textbf{refuted}",
    (Status.UNKNOWN, False): r"\textbf{?}~unknown",
    (Status.ERROR, False): r"\textbf{!}~error",
    (Status.SKIPPED, True): "skipped",
    (Status.SKIPPED, False): "skipped",
}


def verdict_mark(result: LinkResult) -> str:
    """A mark for the verdict and whether it was expected (never where it came from)."""
    return _MARKS[(result.verdict.status, result.as_expected)]


def _condition(link: Link) -> str:
    parts = [f"${latex(relation)}$" for relation in link.condition]
    parts += [prose(h.name) for h in link.assuming]
    return ", ".join(parts)


def shows_left_side(chain: Step, position: int) -> bool:
    """Whether a link's row shows its left side, or continues the row above.

    A chain's links continue one another; the entries of a written matrix,
    read as one chain, do not, nor does a link after one that was not read.
    """
    if position == 0:
        return True
    previous, link = chain.links[position - 1], chain.links[position]
    if isinstance(previous, UnreadLink) or isinstance(link, UnreadLink):
        return True
    return bool(previous.rhs != link.lhs)


def written_once(derivation: Derivation) -> frozenset[str]:
    """The written claims that stand for one link each.

    A written matrix or list is checked entry by entry, and every entry's
    link carries the whole equation as written: those links print what was
    checked, not the equation.
    """
    counts = Counter(link.written for link in derivation.links if link.written)
    return frozenset(written for written, count in counts.items() if count == 1)


def sides(link: Link, once: frozenset[str]) -> tuple[str, str]:
    """A read link's two sides in LaTeX: as the author wrote them where that is known.

    A document's link keeps its claim as written (``a_i (1 - a_i)``, not
    SymPy's ``(1 - a_i) a_i``), regenerated from derivs' tokens; a link of a
    derivation file prints its sides in the order of its source
    (:mod:`derivs.as_written`); otherwise (a claim that is one entry of a
    written matrix) the sides are printed from the checked expressions.
    """
    if link.written in once:
        written = written_sides(link.written)
        if written is not None:
            return written[0], written[2]
    lhs = link.written_lhs if link.written_lhs is not None else link.lhs
    rhs = link.written_rhs if link.written_rhs is not None else link.rhs
    return latex(lhs), latex(rhs)


def _row(result: LinkResult, lhs_shown: bool, once: frozenset[str]) -> str:
    """The link as a row of an ``align``: left side, relation, right side, its number."""
    link = result.link
    tag = rf" \tag{{{result.number}}}"
    if isinstance(link, UnreadLink):
        # The source is quoted in the note; a formula-sized quote would not be legible.
        return r"&\text{\small\itshape not checked: see the note}" + tag
    lhs, rhs = sides(link, once)
    shown = rf"\derivslhs{{{lhs}}} " if lhs_shown else ""
    return rf"{shown}&{link.relation.latex} \derivsrhs{{{rhs}}}" + tag


def _note(result: LinkResult) -> str:
    """The words under a chain for one link: justification, case, verdict."""
    link = result.link
    if isinstance(link, UnreadLink):
        words = _tt(_shortened(link.written)) + ": " + prose(link.reason)
    else:
        notes = [prose(str(link.justification))] if str(link.justification) else []
        condition = _condition(link)
        if condition:
            stated = "".join(f" ({prose(str(source))})" for source in link.case_sources)
            notes.append("if " + condition + stated)
        words = "; ".join(notes)
    return rf"\derivsnote{{{result.number}}}{{{words}}}{{{verdict_mark(result)}}}"


def _shortened(written: str) -> str:
    if len(written) <= QUOTED_CHARACTERS:
        return written
    return written[: QUOTED_CHARACTERS - 3] + "..."


def value_name(name: str) -> str:
    """A drawn name in LaTeX, through the printer (``yhat`` is ``\\hat{y}``)."""
    if name.isidentifier():
        return latex(Symbol(name))
    return rf"\text{{{escape(name)}}}"


def assignment_name(entry: Assignment) -> str:
    """``z[1]`` as ``z_{1}``, ``u(x)`` as ``u(x)``: from the entry's fields."""
    if entry.of:
        return f"{value_name(entry.name)}({value_name(entry.of)})"
    if entry.indices:
        base = value_name(entry.name)
        if "_" in base or "^" in base:  # a layer's name, W_{1}: its entry is {W_{1}}_{r, c}
            base = f"{{{base}}}"
        return f"{base}_{{{', '.join(entry.indices)}}}"
    return value_name(entry.name)


def number(text: str) -> str:
    """A value of a counterexample to :data:`PRINTED_DIGITS` significant digits, as math."""
    try:
        value = Decimal(text) if "/" not in text else None
    except InvalidOperation:
        value = None
    if value is not None and value.is_finite():
        shown = f"{value:.{PRINTED_DIGITS}g}"
        if "e" in shown or "E" in shown:
            mantissa, _, exponent = shown.lower().partition("e")
            return rf"{mantissa} \times 10^{{{int(exponent)}}}"
        return shown
    if re.fullmatch(r"-?[0-9]+/[0-9]+", text):
        numerator, denominator = text.lstrip("-").split("/")
        return ("-" if text.startswith("-") else "") + rf"\frac{{{numerator}}}{{{denominator}}}"
    return rf"\text{{{escape(text)}}}"


def assignments(counterexample: Counterexample) -> list[str]:
    """Each value of a counterexample as LaTeX math: ``K = 2``, ``z_{1} = -0.983``."""
    found = [f"{value_name(name)} = {value}" for name, value in counterexample.dimensions]
    found += [f"{value_name(name)} = {value}" for name, value in counterexample.indices]
    found += [f"{assignment_name(e)} = {number(e.value)}" for e in counterexample.values]
    return found


def _refutation(result: LinkResult) -> str:
    counterexample = result.verdict.counterexample
    assert counterexample is not None
    values = [f"${assignment}$" for assignment in assignments(counterexample)]
    erratum = result.link.erratum
    opening = rf"\emph{{Link ({result.number})"
    opening += f", erratum: {prose(erratum.note)}" if erratum else ""
    where = f" at {', '.join(values)}" if values else ""
    return (
        rf"\derivsdetail{{\small {opening}.}} Refuted{where}: the left side is "
        rf"${number(counterexample.lhs)}$, the right side ${number(counterexample.rhs)}$.}}"
    )


def chain_blocks(chains: Sequence[Step]) -> list[list[Step]]:
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
    """One derivation: a heading, its sources, each chain as a numbered ``align``.

    Each link is tagged with its number in the derivation, as the terminal
    and the JSON number it; the justification, the case and the verdict of
    each link follow the chain as numbered notes, which wrap in any column.
    """
    derivation = result.derivation
    lines = [rf"\section*{{{prose(derivation.title)}}}"]
    about = _tt(derivation.name)
    if derivation.sources:
        about += ". Source: " + ", ".join(_tt(s) for s in derivation.sources)
    lines.append(about + ".")
    if derivation.description:
        lines.append(r"\par " + prose(derivation.description))
    by_link = {id(r.link): r for r in result.links}
    once = written_once(derivation)
    for block in chain_blocks(derivation.steps):
        if block[0].title:
            lines.append(rf"\paragraph{{{prose(block[0].title)}}}")
        found = [by_link[id(link)] for chain in block for link in chain.links]
        rows = [
            _row(by_link[id(link)], shows_left_side(chain, position), once)
            for chain in block
            for position, link in enumerate(chain.links)
        ]
        lines.append("\\begin{align}\n" + " \\\\\n".join(rows) + "\n\\end{align}")
        notes = []
        for link in found:
            notes.append(_note(link))
            if link.verdict.counterexample is not None:
                notes.append(_refutation(link))
        lines.append("{\\small\n" + "\n".join(notes) + "\n\\par}")
    return "{\\sloppy\\emergencystretch=3em\n" + "\n".join(lines) + "\n\\par}\n"


_PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb,graphicx}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\title{Derivations checked by derivs}
\date{}
"""


def render_document(results: Iterable[DerivationResult], fragment: bool = False) -> str:
    """A standalone LaTeX document, or with ``fragment`` only its body.

    A fragment opens with a comment naming the packages it needs and defines
    its own macros with ``\\providecommand``, so that it can be ``\\input``
    into any article that loads amsmath.
    """
    body = "\n".join(render_derivation(result) for result in results)
    if fragment:
        return _MACROS + body
    return _PREAMBLE + _MACROS + "\\begin{document}\n\\maketitle\n" + body + "\\end{document}\n"
