"""The three seed documents that write their derivations in LaTeX, checked once per run.

They live next to the repository (``../shared/seeds``), with the notation
files shipped in ``examples/seeds``.  Tests that render them (LaTeX, HTML)
share one check.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from derivs import CheckOptions, check_derivation
from derivs.verdict import DerivationResult

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
NOTATIONS = ROOT / "examples" / "seeds"


def seed_paths() -> list[Path]:
    """The three seeds, or none where they are not next to the repository."""
    paths = sorted(SEEDS.glob("00[034]_*.txt"))
    return paths if len(paths) == 3 else []


@cache
def checked_seeds() -> tuple[DerivationResult, ...]:
    from derivs.read.document import read_document

    results = []
    for path in seed_paths():
        notation = (NOTATIONS / f"{path.name[:3]}.toml").read_text(encoding="utf-8")
        derivation = read_document(str(path), path.read_text(encoding="utf-8"), notation, "n")
        results.append(check_derivation(derivation, CheckOptions(isolate=False)))
    return tuple(results)
