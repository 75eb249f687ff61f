"""Recognising the case a link holds in, when the author states one.

A link holds in a *case* when the author says so:

- a row of a ``cases`` environment (``\\text{if } i = j``, ``i \\neq j``,
  ``\\text{otherwise}``): each row is its own claim (:meth:`CaseReader.cases_claims`);
- beside the equation: ``\\text{if } i = j`` or ``(i \\neq j)`` after it
  (:func:`split_beside`), in words read with their meaning
  (:mod:`derivs.read.conditions`: ``\\text{unless } i = j`` is ``i \\neq j``,
  ``\\text{ and }`` joins relations that all hold); a disjunction
  (``\\text{ or }``) or words of no known sense leave the case unread, never
  narrowed to one relation and never dropped;
- a comment before the display: ``% derivs: case i = j`` (LaTeX) or
  ``<!-- derivs: case i = j -->`` (Markdown);
- in the *leading sentence*, the last sentence of prose before the display:
  an inline relation between declared indices (or dimensions) that opens the
  sentence or one of its clauses, alone or after a word that introduces a case
  (:data:`derivs.read.words.INTRODUCERS`).  A relation said of another symbol,
  one that comes with an alternative (``... and 0 otherwise``), a sentence that
  states several cases or negates or doubts one (:data:`derivs.read.words.DOUBT_WORDS`),
  and a relation in an earlier sentence are not cases of the display; the
  report names the sentence considered and why it was not used
  (:func:`not_a_case`).  A case read from the leading sentence also holds for
  the next display when only a connector stands between them, if that
  display's chain mentions one of the case's indices.

A case that cannot be made out is reported as such, and the link is checked
without one, never refuted (``Link.unread_case``): a case is never guessed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from lark import Token, Tree
from sympy import Basic
from sympy.core.relational import Relational

from derivs.errors import DerivsError
from derivs.model import CaseOrigin, CaseSource, relation_text
from derivs.read.brackets import opening, token_depths
from derivs.read.claims import Claim
from derivs.read.conditions import opens_case, states_condition, written_case
from derivs.read.scan import Display, Sentence
from derivs.read.shapes import Array
from derivs.read.signs import checked
from derivs.read.tex import Origin, TexError, parse, tokens
from derivs.read.translate import Translator
from derivs.read.tree import CASE_PHRASES, OTHERWISE_WORDS, CaseSense, text_content, written
from derivs.read.vocabulary import Vocabulary
from derivs.read.words import INTRODUCERS, WORDS, doubt


@dataclass(frozen=True)
class StatedCase:
    """A case and where it came from, for the report.

    A case stated but not read has no relations and keeps its text in
    ``unread``: its links are checked without it, and never refuted.
    """

    relations: tuple[Relational, ...]
    source: CaseSource
    unread: str = ""


class CaseReader:
    """Reads the cases of a document's links in one vocabulary (its indices and dimensions)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary

    def cases_claims(
        self, left: object, rows: list[Tree[Token]], translator: Translator
    ) -> list[Claim]:
        if not hasattr(left, "free_symbols") or isinstance(left, Array):
            raise DerivsError("a cases environment equals a scalar")
        conditions: list[Relational | str | None] = []
        values = []
        for row in rows:
            expr, written_condition = row.children[0], row.children[2]
            values.append(translator.scalar(expr, "a case's value"))
            conditions.append(self.row_condition(written_condition, translator))
        found: list[Claim] = []
        for n, (value, stated) in enumerate(zip(values, conditions, strict=True)):
            condition = stated
            if condition == "otherwise":
                others = [c for m, c in enumerate(conditions) if m != n]
                if len(others) == 1 and isinstance(others[0], Relational):
                    found.append(
                        Claim(
                            left, value, f"case {n + 1}", (others[0].negated,), notes=("otherwise",)
                        )
                    )
                    continue
                condition = None
            if isinstance(condition, Relational):
                found.append(Claim(left, value, f"case {n + 1}", (condition,)))
            else:
                found.append(
                    Claim(
                        left,
                        value,
                        f"case {n + 1}",
                        notes=("case not recognised: checked without one",),
                        unread_case=written(rows[n].children[2]),
                    )
                )
        return found

    def row_condition(
        self, node: Tree[Token] | Token, translator: Translator
    ) -> Relational | str | None:
        items = list(_flatten_condition(node))
        texts = [
            text_content(t).lower() for t in items if isinstance(t, Token) and t.type == "TEXT"
        ]
        rest = [t for t in items if not (isinstance(t, Token) and t.type == "TEXT")]
        if any(word in OTHERWISE_WORDS for word in texts) and not rest:
            return "otherwise"
        senses = {CASE_PHRASES.get(" ".join(word.split())) for word in texts}
        if None in senses or len(senses) > 1:
            return None
        relation = _relation_node(node)
        if relation is None:
            return None
        try:
            made = translator.relation(relation)
        except (TexError, DerivsError):
            return None
        return made.negated if CaseSense.EXCLUDED in senses else made

    def case_for(
        self, display: Display, beside: list[Token], translator: Translator, symbols: set[Basic]
    ) -> tuple[StatedCase | None, list[str]]:
        """The case of a display's links, and notes for the report."""
        if beside:
            found = self.read_case(beside, translator)
            written_beside = " ".join(str(t) for t in beside)
            line = beside[0].line or display.origin.line
            return self.stated(found, written_beside, CaseSource(CaseOrigin.BESIDE, line))
        if display.directive is not None:
            directive, line = display.directive
            if not directive.lower().startswith("case"):
                return None, [f"unknown directive {directive!r} at line {line}"]
            found = self.read_text_case(directive[4:].strip(), line, translator)
            return self.stated(found, directive, CaseSource(CaseOrigin.COMMENT, line))
        return self.text_case(display, translator, symbols)

    def text_case(
        self, display: Display, translator: Translator, symbols: set[Basic]
    ) -> tuple[StatedCase | None, list[str]]:
        """The case the sentence that leads into the display states for it, if it does.

        A relation between declared indices in that sentence is its case when
        it opens the sentence or a clause (``When $i = j$,``, ``Same: $i = j$``,
        ``and for $i \\neq j$ we get``); it is not when it is said of another
        symbol (``$\\delta_{ij}$ is 1 when $i = j$``), comes with an alternative
        (``... and 0 otherwise``), or when the sentence states several cases.
        ``symbols`` are those the chain mentions: a case carried past a
        connector reaches only a chain about its indices.
        """
        lead = display.lead
        stated = [
            (n, found)
            for n, (kind, content, line) in enumerate(lead.parts if lead else ())
            if kind == "math"
            for found in [self.read_text_case(content, line, translator)]
            if found is not None
        ]
        if lead is None or not stated:
            elsewhere = [
                (content, line)
                for content, line in display.inline
                if self.read_text_case(content, line, translator) is not None
            ]
            if not elsewhere:
                return None, []
            content, line = elsewhere[-1]
            considered = f"({lead.written()!r}, line {lead.line})" if lead else "(none)"
            return None, [
                f"no case from the text: ${content}$ (line {line}) is not in the sentence "
                f"that leads into the display {considered}; checked without one"
            ]
        position, found = stated[0]
        line = lead.parts[position][2]
        words = relation_words(found)
        source = CaseSource(CaseOrigin.SENTENCE, line)
        if len(stated) == 1 and excluding(lead, position):
            # "Unless $i = j$, ...": the display holds where the relation does not
            if len(found) == 1:
                return StatedCase((found[0].negated,), source), []
            return StatedCase((), source, unread=f"unless {words}"), []
        reason = not_a_case(lead, position, {relation_words(f) for _, f in stated})
        if reason:
            return None, [
                f"no case from the text: the sentence that leads into the display "
                f"({lead.written()!r}, line {lead.line}) mentions {words}, but {reason}; "
                "checked without one"
            ]
        if display.carried and not set().union(*(r.free_symbols for r in found)) & symbols:
            return None, [
                f"the case {words} (line {line}) is not carried past "
                f"{display.carried!r}: this chain mentions none of its indices"
            ]
        return StatedCase(found, CaseSource(CaseOrigin.SENTENCE, line)), []

    def stated(
        self, found: tuple[Relational, ...] | None, written_case: str, source: CaseSource
    ) -> tuple[StatedCase | None, list[str]]:
        if found is None:
            note = f"case not recognised: {written_case} ({source}); checked without one"
            return StatedCase((), source, unread=written_case), [note]
        return StatedCase(found, source), []

    def read_text_case(
        self, content: str, line: int, translator: Translator
    ) -> tuple[Relational, ...] | None:
        try:
            return self.read_case(tokens(content, Origin(line)), translator)
        except TexError:
            return None

    def read_case(
        self, found: Sequence[Token], translator: Translator
    ) -> tuple[Relational, ...] | None:
        """The relations of a case written beside a link, or None where it cannot be read.

        Its words say how (:mod:`derivs.read.conditions`): ``\\text{unless } i = j``
        is the case ``i \\neq j``, relations joined by ``\\text{ and }`` all hold.
        A disjunction (``\\text{ or }``) is no case of relations that all hold, and
        ``unless`` before several relations makes one: neither is narrowed to one
        of its relations.  Words not known to state a case leave it unread too.
        """
        case = written_case(found)
        if case.sense is None or case.disjunction or not case.relations:
            return None
        if case.sense is CaseSense.EXCLUDED and len(case.relations) > 1:
            return None
        relations = [self.index_relation(group, translator) for group in case.relations]
        if any(r is None for r in relations):
            return None
        read = tuple(r for r in relations if r is not None)
        if case.sense is CaseSense.EXCLUDED:
            return tuple(r.negated for r in read)
        return read

    def states_condition(self, found: Sequence[Token], translator: Translator) -> bool:
        """Whether ``found`` beside a link is its condition: a case read, or index relations."""
        return self.read_case(found, translator) is not None or states_condition(
            found, self.vocabulary.case_symbols()
        )

    def index_relation(
        self, relation_tokens: Sequence[Token], translator: Translator
    ) -> Relational | None:
        """One relation between declared indices or dimensions, or None."""
        found = list(relation_tokens)
        if found and found[-1].value == ")" and opening(found) == 0:
            found = found[1:-1]  # (i \\neq j) beside an equation
        try:
            tree = parse(found)
        except TexError:
            return None
        nodes, signs = translator.chain(tree)
        if len(signs) != 1:
            return None
        sign = checked(signs[0])
        written_sign = signs[0] if sign is None else sign.latex
        relation = Tree("relation", [nodes[0], Token("REL", written_sign), nodes[1]])
        try:
            made = translator.relation(relation)
        except (TexError, DerivsError):
            return None
        if not made.free_symbols <= set(self.vocabulary.case_symbols().values()):
            return None
        return made


#: Words that, right before a relation in a leading sentence, state its negation as the
#: display's case ("Unless $i = j$, ..."); "not when", "except for" and the other
#: doubts leave the sentence stating no case.
LEADING_EXCLUSIONS = frozenset({"unless", "except when", "except if", "except where"})


def excluding(lead: Sentence, position: int) -> bool:
    """The words just before the relation at ``lead.parts[position]`` exclude it
    (``Unless $i = j$``, ``except when $i = j$``) and the sentence doubts nothing else."""
    if position == 0 or lead.parts[position - 1][0] != "prose":
        return False
    before = WORDS.findall(lead.parts[position - 1][1].lower())
    for size in (3, 2, 1):
        phrase = " ".join(before[-size:])
        if len(before) >= size and phrase in LEADING_EXCLUSIONS:
            rest = before[:-size] + [
                w
                for kind, text, _ in lead.parts[position + 1 :]
                if kind == "prose"
                for w in WORDS.findall(text.lower())
            ]
            return doubt(" ".join(rest)) is None
    return False


def not_a_case(lead: Sentence, position: int, stated: set[str]) -> str:
    """Why the relation at ``lead.parts[position]`` is not a case stated for the display."""
    if len(stated) > 1:
        return f"it states several cases ({'; '.join(sorted(stated))})"
    prose = " ".join(text.lower() for kind, text, _ in lead.parts if kind == "prose")
    doubted = doubt(prose)
    if doubted is not None:
        return f"it negates or doubts it ({doubted!r})"
    alternative = next((w for w in WORDS.findall(prose) if w in OTHERWISE_WORDS), None)
    if alternative is not None:
        return f"it gives an alternative ({alternative!r})"
    clause: list[str] = []
    for kind, text, _ in reversed(lead.parts[:position]):
        if kind == "math":
            return f"there it is said of ${text}$"
        boundary = max(text.rfind(":"), text.rfind(";"))
        clause.insert(0, text[boundary + 1 :])
        if boundary >= 0:
            break
    words = WORDS.findall(" ".join(clause).lower())
    if words and not _introduces(words):
        return f"{' '.join(words[-3:])!r} does not introduce it as a case (when, if, for, ...)"
    return ""


def _introduces(words: list[str]) -> bool:
    """Whether a clause's last words introduce the relation after them as a case."""
    ends = (words[-len(p.split()) :] == p.split() for p in CASE_PHRASES)
    return words[-1] in INTRODUCERS or any(ends)


def split_beside(found: list[Token], names: Collection[str]) -> tuple[list[Token], list[Token]]:
    """Cut a case written beside an equation off its chain.

    ``\\text{if } i = j``, ``\\text{unless } i = j`` and ``(i \\neq j)`` after the
    equation are cases, and so are words of any kind before relations between
    indices (``names``) only: a condition, never a claim.
    """
    depths = token_depths(found)
    for n, token in enumerate(found):
        leads = depths[n] == 0 and token.type == "TEXT" and n > 0
        if leads and (opens_case(token) or states_condition(found[n:], names)):
            return found[:n], found[n:]
    if len(found) > 3 and found[-1].value == ")":
        start = opening(found)
        if start is not None and start > 0:
            inside = found[start + 1 : -1]
            previous = found[start - 1]
            if any(t.type == "REL" for t in inside) and previous.type not in {"LETTER", "CMD"}:
                return found[:start], found[start:]
            if any(t.type == "REL" for t in inside) and _relation_only(inside):
                return found[:start], found[start:]
    return found, []


def _relation_only(inside: list[Token]) -> bool:
    return (
        all(t.type in {"LETTER", "REL"} for t in inside)
        and sum(t.type == "REL" for t in inside) == 1
    )


def cases_node(node: Tree[Token] | Token) -> list[Tree[Token]] | None:
    inner = node
    while (
        isinstance(inner, Tree) and inner.data in {"juxt", "scripted"} and len(inner.children) == 1
    ):
        inner = inner.children[0]
    if isinstance(inner, Tree) and inner.data == "cases":
        return [c for c in inner.children if isinstance(c, Tree) and c.data == "crow"]
    return None


def _flatten_condition(node: Tree[Token] | Token) -> Iterator[Tree[Token] | Token]:
    if isinstance(node, Token):
        yield node
        return
    if node.data == "text":
        yield node.children[0]
        return
    for child in node.children:
        yield from _flatten_condition(child)


def _relation_node(node: Tree[Token] | Token) -> Tree[Token] | None:
    """The relation of a cases row's condition, with leading ``\\text{if}`` words dropped."""
    if not isinstance(node, Tree):
        return None
    relations = [c for c in node.children if isinstance(c, Tree) and c.data == "relation"]
    if len(relations) != 1 or len(relations[0].children) != 3:
        return None
    relation = relations[0]
    left = relation.children[0]
    if isinstance(left, Tree) and left.data == "juxt":
        kept = [c for c in left.children if not _is_text(c)]
        if not kept:
            return None
        left = Tree("juxt", kept, left.meta)
    return Tree("relation", [left, relation.children[1], relation.children[2]], relation.meta)


def _is_text(node: Tree[Token] | Token) -> bool:
    return (
        isinstance(node, Tree)
        and node.data == "scripted"
        and isinstance(node.children[0], Tree)
        and node.children[0].data == "text"
    )


def relation_words(relations: tuple[Relational, ...]) -> str:
    return ", ".join(relation_text(r) for r in relations)
