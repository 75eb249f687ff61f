"""Building the links of a document's displays: chains read into claims, with their reasons.

:class:`DocumentReader` walks a scanned document display by display: each
display's markup is blanked and its chains found (:mod:`derivs.read.rows`),
the author's justifications taken aside (:mod:`derivs.read.asides`), each
chain tokenised with the notation's abbreviations, parsed
(:mod:`derivs.read.tex`) and translated (:mod:`derivs.read.translate`), and its
case read (:mod:`derivs.read.cases`).  Each relation sign becomes one link
(one per entry for a written matrix, one per row of a ``cases`` block),
located at the line of its sign and carrying its known erratum.  A link the
reader cannot check (a relation derivs does not check, prose, an ellipsis, a
formula it cannot read) is kept with the reason, so that the report shows
every link the author wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from lark import Token, Tree
from sympy import Basic, Expr, Symbol

from derivs.errors import DerivsError, InputError
from derivs.model import (
    CaseOrigin,
    CaseSource,
    ChainLink,
    Erratum,
    Relation,
    SourceLocation,
    Step,
    UnreadLink,
    link,
    skipped_link,
    unreadable_link,
)
from derivs.read.asides import Asides, lift_leading_words, take_justifications
from derivs.read.cases import CaseReader, StatedCase, cases_node, split_beside
from derivs.read.claims import Claim, claims
from derivs.read.continuation import Continuations, Fact
from derivs.read.definitions import is_name, recorded, undefined_name
from derivs.read.einstein import EXPLICIT, Convention, repeated, summed, unsettled
from derivs.read.names import abbreviate
from derivs.read.operands import parse_by_operand, tokens_past_characters, unparsed_error
from derivs.read.rows import (
    blank_cell_punctuation,
    blank_markup,
    blank_sentence_end,
    chains_of,
    mask,
)
from derivs.read.scan import Display, Scan
from derivs.read.separators import Statement, statements
from derivs.read.shapes import Array, Written, mentioned
from derivs.read.signs import checked, defining, skip_reason
from derivs.read.spans import AsWritten, chain_written, link_written
from derivs.read.templates import defined_here
from derivs.read.tex import TexError, parse, position
from derivs.read.translate import Translator
from derivs.read.tree import UNREAD_MARKS, Skip, ellipsis_in, is_words, prose_in, where, written
from derivs.read.typography import bars_after_terms, plain
from derivs.read.vocabulary import Vocabulary


class DocumentReader:
    """Builds the links of one document's displays in one vocabulary."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        path: str,
        errata: dict[str, str],
        convention: Convention = EXPLICIT,
        headings: Sequence[int] = (),
    ) -> None:
        self.vocabulary = vocabulary
        self.headings = sorted(headings)
        self.convention = convention
        self.summation = convention.at(0)
        self.path = path
        self.errata = errata
        self.cases = CaseReader(vocabulary)
        self.seen: dict[int, int] = {}
        self.used: set[str] = set()
        self.defining: set[tuple[int, str]] = set()  # definitions checked: line, as written
        self.continuations = Continuations()
        self.past_fact = ""  # a fact the link being built goes on past, not held as a hypothesis

    def steps(self, scan: Scan) -> list[Step]:
        steps: list[Step] = []
        for display in scan.displays:
            self.summation = self.convention.at(display.origin.line)
            while self.headings and self.headings[0] < display.origin.line:
                # a new section: its displays go on from no chain of the sections before
                self.headings.pop(0)
                self.continuations = Continuations()
            math = blank_cell_punctuation(plain(blank_markup(display.math)))
            for written_spans in chains_of(math):
                math = blank_sentence_end(math, written_spans)
                asides = take_justifications(math, written_spans, display.origin, self.vocabulary)
                for spans in asides.chains(written_spans):
                    steps += self.chain_step(math, asides, spans, display)
        return steps

    def chain_step(
        self, math: str, asides: Asides, spans: list[tuple[int, int]], display: Display
    ) -> list[Step]:
        """The step of one chain (none for a chain without a relation)."""
        masked = mask(asides.plain, spans)
        try:
            links = self.chain_links(masked, display, asides.said_in(spans))
        except (RecursionError, MemoryError, ValueError, TypeError, AttributeError) as error:
            # A chain the reader fails on is reported, and the document goes on.
            line = display.origin.line + math[: spans[0][0]].count("\n")
            self.continuations.forget(line)
            problem = f"cannot read this chain ({type(error).__name__}: {error})"
            links = [self.unread(line, chain_written(masked, display), problem=problem)]
        if not links:
            return []
        return [Step(tuple(links), title=f"line {links[0].location.line}")]  # type: ignore[union-attr]

    def location(self, line: int) -> SourceLocation:
        return SourceLocation(self.path, line)

    def unread(
        self,
        line: int,
        written_link: AsWritten,
        problem: str | DerivsError = "",
        skip: str = "",
    ) -> UnreadLink:
        location, erratum = self.location(line), self.erratum(line)
        shown, source = written_link.shown, written_link.source
        if skip:
            return skipped_link(shown, skip, location, erratum, source)
        if isinstance(problem, InputError):
            column = problem.column or None
            return unreadable_link(shown, problem.reason, location, column, erratum, source)
        return unreadable_link(shown, str(problem), location, None, erratum, source)

    def erratum(self, line: int, label: str = "") -> Erratum | None:
        """The known erratum of the next link at ``line``.

        The notation names it by line (``"45"``), by the link's number on its
        line (``"139 #1"``), or by the entry of a written matrix
        (``"45 entry (n, 2)"``).
        """
        self.seen[line] = self.seen.get(line, 0) + 1
        for key in (f"{line} #{self.seen[line]}", f"{line} {label}".strip(), str(line)):
            if key in self.errata:
                self.used.add(key)
                return Erratum(self.errata[key])
        return None

    def chain_links(
        self, masked: str, display: Display, said: Sequence[tuple[tuple[int, int], str]] = ()
    ) -> list[ChainLink]:
        origin = display.origin
        first_line = origin.line + masked[: len(masked) - len(masked.lstrip())].count("\n")
        chain = chain_written(masked, display)
        try:
            found = abbreviate(tokens_past_characters(masked, origin), self.vocabulary)
        except TexError as error:
            self.continuations.forget(first_line)
            return [self.unread(error.line or first_line, chain, problem=error)]
        shift = (origin.line - 1) + (origin.column - 1)

        def gap(before: Token, after: Token) -> str:
            return masked[(before.end_pos or 0) - shift : (after.start_pos or 0) - shift]

        translator = Translator(self.vocabulary)
        found_statements = statements(
            found, gap, lambda part: self.cases.read_case(part, translator) is not None
        )
        starts = [position(s.found[0]) for s in found_statements[1:]]
        links: list[ChainLink] = []
        for n, statement in enumerate(found_statements):
            low = position(statement.found[0]) if n else (0, 0)
            high = starts[n] if n < len(starts) else (len(masked) + origin.line + 1, 0)
            own = [(place, words) for place, words in said if low <= place < high]
            links += self.statement_links(statement, masked, display, own, chain, first_line)
        return links

    def statement_links(
        self,
        statement: Statement,
        masked: str,
        display: Display,
        said: Sequence[tuple[tuple[int, int], str]],
        chain: AsWritten,
        first_line: int,
    ) -> list[ChainLink]:
        """The links of one statement of a chain (:mod:`derivs.read.separators`)."""
        if statement.problem:
            at = statement.found[0]
            ambiguous = TexError(statement.problem, at.line or first_line, at.column or 0)
            return [self.unread(at.line or first_line, chain, problem=ambiguous)]
        found, beside = split_beside(list(statement.found))
        beside += statement.condition
        found, leading = lift_leading_words(found)
        leading = " ".join(w for w in (statement.leading, leading) if w)
        if not found:
            return []
        try:
            found, carried = self.continuations.follow(found, masked, display)
        except TexError as error:
            return [self.unread(error.line or first_line, chain, problem=error)]
        if carried is not None:
            leading = " ".join(w for w in (leading, f"continues line {carried.line}") if w)
        past = self.unheld(carried.past) if carried is not None else ""
        found = bars_after_terms(found)
        try:
            tree = parse(found)
        except TexError as error:
            # a row that words open is a sentence: it is skipped whole, not link by link
            by_operand = None if is_words(found[0]) else parse_by_operand(found)
            if by_operand is None:
                prose = self.prose_token(found)
                if prose is not None:
                    return [self.unread(first_line, chain, skip=f"prose {prose}")]
                return [self.unread(error.line or first_line, chain, problem=error)]
            tree = by_operand
        translator = Translator(self.vocabulary)
        nodes, signs = translator.chain(tree)
        if not signs:
            return []
        translator.arguments = defined_here(nodes[0], self.vocabulary)
        values = [self.value_of(node, translator) for node in nodes]
        symbols = set().union(*(_written_symbols(v) for v in values))
        case, notes = self.cases.case_for(display, beside, translator, symbols)
        hint = next((v for v in values if isinstance(v, Array)), None)
        relation_tokens = [c for c in tree.children if isinstance(c, Token) and c.type == "REL"]
        # a justification explains the link whose sign comes last before it, or is it (the
        # first link for one written before any sign)
        why: list[list[str]] = [[] for _ in signs]
        if leading:
            why[0].append(leading)
        for place, words in said:
            before = sum((t.line or 0, t.column or 0) <= place for t in relation_tokens)
            why[max(before - 1, 0)].append(words)
        links: list[ChainLink] = []
        for n, sign in enumerate(signs):
            left, right = values[n], values[n + 1]
            line = relation_tokens[n].line or first_line
            shown = link_written(masked, nodes[n], nodes[n + 1], display, chain)
            if n == 0 and carried is not None:
                own = link_written(masked, relation_tokens[0], nodes[1], display, chain)
                shown = replace(own, shown=f"{carried.shown} {own.shown}")
            self.past_fact = past if n == 0 else ""
            relation, defined_by = checked(sign), defining(relation_tokens[n].value, why[n])
            if relation is None or (defined_by and undefined_name(left, self.vocabulary.context)):
                reason = recorded(defined_by) if defined_by else skip_reason(sign)
                links.append(self.unread(line, shown, skip=reason))
                continue
            if defined_by and is_name(left):
                self.defining.add((line, shown.shown))
            skipped = next((v for v in (left, right) if isinstance(v, Skip)), None)
            if skipped is not None:
                links.append(self.unread(line, shown, skip=skipped.reason))
                continue
            problem = next((v for v in (left, right) if isinstance(v, TexError)), None)
            if problem is not None:
                links.append(self.unread(line, shown, problem=problem))
                continue
            links += self.equation_links(
                left,
                right,
                nodes[n + 1],
                relation,
                line,
                shown,
                case,
                why[n] + notes,
                hint,
                translator,
            )
        return links

    def unheld(self, facts: Sequence[Fact]) -> str:
        """The facts a continuation went past that no hypothesis of the notation states,
        as the case that bounds its verdict: proved without them, never refuted."""
        hypotheses = {(h.lhs, h.rhs) for h in self.vocabulary.context.hypotheses}
        unheld = []
        for fact in facts:
            try:
                translator = Translator(self.vocabulary)
                nodes, _ = translator.chain(parse(list(fact.found)))
                sides = tuple(translator.scalar(node) for node in nodes)
            except (TexError, Skip, DerivsError):
                sides = ()
            if sides not in hypotheses:
                unheld.append(f"{fact.shown} (line {fact.line})")
        if not unheld:
            return ""
        return f"the fact {', '.join(unheld)} it goes on past: declare it under [hypotheses]"

    def prose_token(self, found: list[Token]) -> str | None:
        """A ``\\text`` word of a display that does not parse: the display is a sentence."""
        for token in found:
            if token.type == "TEXT":
                prose = prose_in(Tree("text", [token]), self.vocabulary)
                if prose is not None:
                    return prose
        return None

    def value_of(self, node: Tree[Token] | Token, translator: Translator) -> object:
        unparsed = unparsed_error(node)
        if unparsed is not None:
            assert isinstance(node, Tree)
            prose = self.prose_token([t for t in node.children if isinstance(t, Token)])
            return Skip(f"prose {prose}") if prose is not None else unparsed
        unread = next((UNREAD_MARKS[w] for w in written(node).split() if w in UNREAD_MARKS), None)
        if unread is not None:
            return Skip(unread)
        dots = ellipsis_in(node)
        if dots is not None:
            return Skip(f"ellipsis {dots}")
        if cases_node(node) is not None:
            return node
        try:
            value = translator.value(node)
            if self.summation == "explicit" or not isinstance(value, Expr):
                return value
            if self.summation == "einstein":
                return summed(value, self.vocabulary.context)
            found = repeated(value, self.vocabulary.context)
            if found:
                return TexError(unsettled(found[0], self.convention.said_at), *where(node))
            return value
        except Skip as skip:
            return skip
        except TexError as error:
            return error
        except DerivsError as error:
            line, column = where(node)
            return TexError(str(error), line, column)

    def equation_links(
        self,
        left: object,
        right: object,
        right_node: Tree[Token] | Token,
        relation: Relation,
        line: int,
        shown: AsWritten,
        case: StatedCase | None,
        notes: list[str],
        hint: Array | None,
        translator: Translator,
    ) -> list[ChainLink]:
        rows = cases_node(right_node) if isinstance(right, Tree) else None
        if isinstance(left, Tree):  # a cases block on the left, compared row by row
            rows = cases_node(left)
            left, right = right, left
        try:
            if rows is not None:
                found = self.cases.cases_claims(left, rows, translator)
            else:
                avoid = set().union(*(mentioned(r) for r in case.relations)) if case else set()
                found = claims(
                    left,
                    right,
                    entry_indices=lambda size, taken: self.entry_index(
                        size, left, right, avoid | set(taken)
                    ),
                    length_hint=hint,
                )
        except TexError as error:
            return [self.unread(error.line or line, shown, problem=error)]
        except DerivsError as error:
            return [self.unread(line, shown, problem=error)]
        row_source = (CaseSource(CaseOrigin.CASES_ROW, line),) if rows is not None else ()
        return [
            self.claim_link(claim, relation, line, shown, case, notes, row_source)
            for claim in found
        ]

    def entry_index(self, size: object, left: object, right: object, avoid: set[Basic]) -> Symbol:
        taken = set(avoid) | _written_symbols(left) | _written_symbols(right)
        index = self.vocabulary.entry_index(size, taken)
        if index is None:
            raise DerivsError(
                f"to compare entries, declare one more index over 1..{size} "
                "that this equation does not use"
            )
        return index

    def claim_link(
        self,
        claim: Claim,
        relation: Relation,
        line: int,
        shown: AsWritten,
        case: StatedCase | None,
        notes: list[str],
        row_source: tuple[CaseSource, ...] = (),
    ) -> ChainLink:
        label = f"line {line}" + (f", {claim.label}" if claim.label else "")
        if claim.skip:
            labelled = shown.shown + (f" ({claim.label})" if claim.label else "")
            return self.unread(line, replace(shown, shown=labelled), skip=claim.skip)
        condition = list(claim.condition)
        words = [label, *notes, *claim.notes]
        sources = row_source if claim.condition else ()
        unread_case = claim.unread_case or self.past_fact
        if case is not None and case.relations:
            # A stated case holds for every link it is stated for, whether or not the
            # link's written sides mention its indices (c may sit inside L's definition).
            condition += [r for r in case.relations if r not in condition]
            sources += (case.source,)
        elif case is not None:
            unread_case = unread_case or case.unread
        return link(
            claim.lhs,
            claim.rhs,
            "; ".join(words),
            case=condition,
            assuming=self.vocabulary.context.hypotheses,
            erratum=self.erratum(line, claim.label),
            location=self.location(line),
            written=shown.shown,
            source=shown.source,
            relation=relation,
            case_sources=sources,
            unread_case=unread_case,
        )


def _written_symbols(value: object) -> set[Basic]:
    """The symbols a side mentions: of an array's generic entry, of a written one's cells."""
    if isinstance(value, Array):
        return set(mentioned(value.at(Symbol("_row", integer=True), Symbol("_col", integer=True))))
    if isinstance(value, Written):
        return set().union(
            *(mentioned(c) for row in value.rows for c in row if isinstance(c, Basic))
        )
    if isinstance(value, Basic):
        return set(mentioned(value))
    return set()
