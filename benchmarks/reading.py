"""How much of a real-world derivation derivs reads, measured on write-ups it has never seen.

    python benchmarks/reading.py [--folder DIR] [--output FILE] [--timeout SECONDS]

The folder ``tests/wild/`` holds documents written in the styles of
public write-ups (blog posts, READMEs, course notes, papers) of the softmax,
cross-entropy, logistic-regression, log-sum-exp and linear-layer gradients.
Its side file ``expected.toml`` lists, for every link a careful human reader
sees in each display, the line of its relation sign, whether the link is
mathematically correct, its role (a step to check, a definition, or a stated
hypothesis) and the constructs of writing it uses (issue 13's list, numbered,
plus a few more; the table ``[constructs]`` of the side file names them all).

Each document is checked through the command line, ``derivs check FILE
--format json``, so the measurement does not depend on the reader's inner
modules.  The links derivs reports are paired with the expected ones line by
line (the line of the relation sign), in order; an expected link with no
reported partner was not read (the reader gave up on its display or merged it
into another link).  ``displays`` finds the displays of a document, so that a
test can check that the side file lists a link in every one of them.

Reported per document and overall, in two modes (``MODES``):

- ``expected`` and ``found``: links listed in the side file, links reported;
  ``extra``: reported links paired with no expected one (inline mathematics
  read as a display, a display split where a reader sees one link);
- ``read``: expected links whose partner was translated (proved, refuted or
  unknown; not an error and not skipped), and its share;
- ``proved``, ``refuted``, ``unknown``, ``error``, ``skipped``, ``missing``;
- ``wrong_found`` / ``wrong``: incorrect steps that derivs refuted;
- ``correct_refuted``: correct links (steps, definitions, hypotheses) refuted;
- per construct: the links that use it and the share of those not read.

A document marked ``probe`` (``construct_probes.md``) is no write-up: each of its
displays holds one construct under a notation that declares every name, so
that what derivs does with that construct alone is known.  Its links are kept
out of the overall counts and listed one by one under ``probe_links``.

The results are printed and written as JSON (``benchmarks/reading.json`` by
default).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tests" / "wild"
OUTPUT = ROOT / "benchmarks" / "reading.json"

READ = frozenset({"proved", "refuted", "unknown"})
"""Verdicts of a link that was translated into mathematics."""

LATEX_ENVIRONMENTS = (
    "equation",
    "align",
    "gather",
    "multline",
    "eqnarray",
    "displaymath",
    "flalign",
)
SCRIPT_DISPLAY = '<script type="math/tex; mode=display">'
"""MathJax's own display block, which kramdown emits and some posts write by hand."""
_BEGIN = re.compile(r"\\begin\{(" + "|".join(LATEX_ENVIRONMENTS) + r")(\*?)\}")


@dataclass(frozen=True)
class Display:
    """A display of mathematics: the lines of its opening and closing delimiters."""

    first: int
    last: int

    def holds(self, line: int) -> bool:
        return self.first <= line <= self.last


@dataclass(frozen=True)
class ExpectedLink:
    """One link of a wild document as a careful human reader sees it."""

    file: str
    line: int
    at: str
    role: str
    correct: bool
    constructs: tuple[str, ...]


@dataclass(frozen=True)
class ReportedLink:
    """One step of derivs's JSON report, reduced to what the pairing needs."""

    line: int
    verdict: str
    message: str


@dataclass
class Tally:
    """Counts of one document, or of all of them."""

    expected: int = 0
    found: int = 0
    paired: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    wrong: int = 0
    wrong_found: int = 0
    correct_refuted: int = 0
    construct_use: Counter[str] = field(default_factory=Counter)
    construct_unread: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.expected += other.expected
        self.found += other.found
        self.paired += other.paired
        self.verdicts.update(other.verdicts)
        self.wrong += other.wrong
        self.wrong_found += other.wrong_found
        self.correct_refuted += other.correct_refuted
        self.construct_use.update(other.construct_use)
        self.construct_unread.update(other.construct_unread)

    def as_json(self) -> dict[str, Any]:
        read = sum(self.verdicts[verdict] for verdict in READ)
        return {
            "expected": self.expected,
            "found": self.found,
            "extra": self.found - self.paired,
            "read": read,
            "read_share": round(read / self.expected, 3) if self.expected else None,
            **{
                verdict: self.verdicts[verdict]
                for verdict in ("proved", "refuted", "unknown", "error", "skipped", "missing")
            },
            "wrong": self.wrong,
            "wrong_found": self.wrong_found,
            "correct_refuted": self.correct_refuted,
            "constructs": {
                name: {
                    "links": (used := self.construct_use[name]),
                    "unread": (unread := self.construct_unread[name]),
                    "unread_share": round(unread / used, 3),
                }
                for name in sorted(self.construct_use)
            },
        }


def _markdown_displays(lines: Sequence[str]) -> Iterator[Display]:
    """Displays of Markdown: ``$$``, ``\\[ \\]``, ```math fences, script blocks, environments."""
    return _scan(lines, fences=True)


def _latex_displays(lines: Sequence[str]) -> Iterator[Display]:
    """Displays of a LaTeX file, its comment lines left out."""
    return _scan([("" if line.lstrip().startswith("%") else line) for line in lines], fences=False)


def _scan(lines: Sequence[str], fences: bool) -> Iterator[Display]:
    """The displays of ``lines``; with ``fences``, Markdown code fences are read too."""
    number = 0
    while number < len(lines):
        text = lines[number].strip()
        if fences and text.startswith(SCRIPT_DISPLAY):
            closing = _closing_line(lines, number, "</script>")
            yield Display(number + 1, closing + 1)
            number = closing + 1
            continue
        if fences and text.startswith("```"):
            closing = _closing_line(lines, number + 1, "```")
            if text[3:].strip() == "math":
                yield Display(number + 1, closing + 1)
            number = closing + 1
            continue
        opened = _opened_display(lines, number)
        if opened is not None:
            yield opened
            number = opened.last
            continue
        number += 1


def _opened_display(lines: Sequence[str], number: int) -> Display | None:
    """The display that opens on line ``number`` (0-based), if one does.

    A ``$$`` or ``\\[`` opens a display only at the start of a line: kramdown
    writes inline mathematics between ``$$`` too, in the middle of prose.
    """
    text = lines[number].strip()
    for opener, closer in (("$$", "$$"), ("\\[", "\\]")):
        if not text.startswith(opener):
            continue
        if closer in text[len(opener) :]:
            return Display(number + 1, number + 1)
        closing = _closing_line(lines, number + 1, closer)
        return Display(number + 1, closing + 1)
    begun = _BEGIN.search(text)
    if begun is not None:
        end = f"\\end{{{begun.group(1)}{begun.group(2)}}}"
        closing = _closing_line(lines, number, end)
        return Display(number + 1, closing + 1)
    return None


def _closing_line(lines: Sequence[str], start: int, mark: str) -> int:
    """The first line from ``start`` (0-based) that holds ``mark``."""
    for number in range(start, len(lines)):
        if mark in lines[number]:
            return number
    raise ValueError(f"a display opened before line {start} is never closed")


DISPLAY_FINDERS = {".md": _markdown_displays, ".tex": _latex_displays}


def displays(path: Path) -> list[Display]:
    """The displays of the document at ``path``, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return list(DISPLAY_FINDERS[path.suffix](lines))


def load_expected(path: Path) -> tuple[dict[str, Any], list[ExpectedLink]]:
    """The side file: its tables other than ``link``, and its links."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    links = [
        ExpectedLink(
            file=entry["file"],
            line=entry["line"],
            at=entry["at"],
            role=entry["role"],
            correct=entry["correct"],
            constructs=tuple(entry["constructs"]),
        )
        for entry in data.pop("link")
    ]
    return data, links


def check(path: Path, notation: Path | None, timeout: float) -> tuple[list[ReportedLink], str]:
    """derivs's steps for one document, and its error output when it gave none."""
    declared = ["--notation", _shown(notation)] if notation is not None else []
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "derivs.cli",
            "check",
            _shown(path),
            *declared,
            "--format",
            "json",
            "--no-cache",
            "--timeout",
            str(timeout),
            "--no-color",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        return [], completed.stderr.strip() or completed.stdout.strip()
    reported = [
        ReportedLink(
            line=int(step["location"]["line"]),
            verdict=step["verdict"],
            message=step.get("message") or "",
        )
        for derivation in report["derivations"]
        for step in derivation["steps"]
    ]
    return reported, "" if reported else completed.stderr.strip()


def _shown(path: Path) -> str:
    """``path`` as the report shows it: relative to the repository when it is inside."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def pair(
    expected: Sequence[ExpectedLink], reported: Sequence[ReportedLink]
) -> list[tuple[ExpectedLink, ReportedLink | None]]:
    """Each expected link with the reported link of the same line and place, or None."""
    by_line: dict[int, list[ReportedLink]] = defaultdict(list)
    for step in reported:
        by_line[step.line].append(step)
    taken: Counter[int] = Counter()
    pairs: list[tuple[ExpectedLink, ReportedLink | None]] = []
    for link in sorted(expected, key=lambda link: link.line):
        candidates = by_line.get(link.line, [])
        place = taken[link.line]
        taken[link.line] += 1
        pairs.append((link, candidates[place] if place < len(candidates) else None))
    return pairs


def tally(pairs: Iterable[tuple[ExpectedLink, ReportedLink | None]], found: int) -> Tally:
    counts = Tally(found=found)
    for link, partner in pairs:
        verdict = partner.verdict if partner is not None else "missing"
        counts.expected += 1
        counts.paired += partner is not None
        counts.verdicts[verdict] += 1
        if link.role == "step" and not link.correct:
            counts.wrong += 1
            counts.wrong_found += verdict == "refuted"
        if link.correct and verdict == "refuted":
            counts.correct_refuted += 1
        for construct in link.constructs:
            counts.construct_use[construct] += 1
            counts.construct_unread[construct] += verdict not in READ
    return counts


def _reason(message: str) -> str:
    """A reported message without the link's name and position that lead it."""
    reason = message.split("): ", 1)[-1]
    return re.sub(r"^line \d+(, column \d+)?: ", "", reason)


def messages(
    pairs: Iterable[tuple[ExpectedLink, ReportedLink | None]],
) -> dict[str, list[str]]:
    """For each construct, the distinct reader messages of the links that use it."""
    seen: dict[str, set[str]] = defaultdict(set)
    for link, partner in pairs:
        if partner is None or partner.verdict in READ or not partner.message:
            continue
        for construct in link.constructs:
            seen[construct].add(_reason(partner.message))
    return {name: sorted(found) for name, found in sorted(seen.items())}


MODES = ("as_written", "hand_notation")
"""``as_written``: each document alone, as its author left it; ``hand_notation``: a document
with no notation of its own is given the file a new user writes for it by hand
(``notation/NAME.toml`` beside it), as issue 13's evidence did."""


def measure(folder: Path, timeout: float) -> dict[str, Any]:
    tables, expected = load_expected(folder / "expected.toml")
    notation_of: Mapping[str, str] = {
        entry["file"]: entry["notation"] for entry in tables["document"]
    }
    probes = {entry["file"] for entry in tables["document"] if entry["probe"]}
    results: dict[str, Any] = {"folder": _shown(folder), "documents": {}}
    for mode in MODES:
        overall, with_block, without_block, probed = Tally(), Tally(), Tally(), Tally()
        every_pair: list[tuple[ExpectedLink, ReportedLink | None]] = []
        probe_pairs: list[tuple[ExpectedLink, ReportedLink | None]] = []
        print(f"-- {mode}")
        for name in sorted(notation_of):
            path = folder / name
            hand = folder / "notation" / f"{path.stem}.toml"
            given = hand if mode == "hand_notation" and hand.exists() else None
            reported, failure = check(path, given, timeout)
            mine = [link for link in expected if link.file == name]
            pairs = pair(mine, reported)
            counts = tally(pairs, len(reported))
            if name in probes:
                probe_pairs.extend(pairs)
                probed.add(counts)
            else:
                every_pair.extend(pairs)
                overall.add(counts)
                (with_block if notation_of[name] == "block" else without_block).add(counts)
            summary = counts.as_json()
            results["documents"].setdefault(name, {"notation": notation_of[name]})[mode] = {
                **summary,
                "failure": failure,
            }
            print(
                f"{name:34} {notation_of[name]:6} read {summary['read']:3}/{counts.expected:3}  "
                f"proved {summary['proved']:3}  refuted {summary['refuted']:2}  "
                f"wrong found {counts.wrong_found}/{counts.wrong}  "
                f"correct refuted {counts.correct_refuted}"
            )
        results[mode] = {
            "overall": overall.as_json(),
            "documents_without_notation": without_block.as_json(),
            "documents_with_notation": with_block.as_json(),
            "messages": messages(every_pair),
            "probes": probed.as_json(),
        }
        results["probe_links"] = [_probe_record(link, partner) for link, partner in probe_pairs]
        _print_overall(mode, results[mode]["overall"])
    return results


def _probe_record(link: ExpectedLink, partner: ReportedLink | None) -> dict[str, Any]:
    """One probe link: its construct, whether it is correct, and what derivs made of it."""
    return {
        "line": link.line,
        "at": link.at,
        "constructs": list(link.constructs),
        "correct": link.correct,
        "verdict": partner.verdict if partner is not None else "missing",
        "message": _reason(partner.message) if partner is not None else "",
    }


def _print_overall(mode: str, overall: Mapping[str, Any]) -> None:
    print(
        f"{mode}: read {overall['read']}/{overall['expected']} ({overall['read_share']}), "
        f"proved {overall['proved']}, refuted {overall['refuted']}, "
        f"wrong found {overall['wrong_found']}/{overall['wrong']}, "
        f"correct refuted {overall['correct_refuted']}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=FOLDER)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--timeout", type=float, default=20.0)
    arguments = parser.parse_args(argv)
    results = measure(arguments.folder.resolve(), arguments.timeout)
    arguments.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
