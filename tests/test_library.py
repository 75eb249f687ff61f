"""The whole library: every link's verdict, exactly as recorded.

``library_verdicts.json`` records the verdict of every link of every library
derivation; a test per derivation fails if any of them changes, if a link is
added or lost, or if anything is unknown or an error.  Each check runs
through the real checker, in child processes.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from derivs.proofs import LIBRARY, derivation_named, sources

from derivs import CheckOptions, DerivsError, Verdict, check_derivation, check_link
from derivs.verdict import DerivationResult

GOLDEN: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "library_verdicts.json").read_text()
)
_RESULTS: dict[str, DerivationResult] = {}


def result(name: str) -> DerivationResult:
    if name not in _RESULTS:
        _RESULTS[name] = check_derivation(derivation_named(name), CheckOptions())
    return _RESULTS[name]


def test_the_golden_record_names_every_derivation_once():
    assert sorted(GOLDEN) == sorted(d.name for d in LIBRARY)
    assert len({d.name for d in LIBRARY}) == len(LIBRARY)


@pytest.mark.parametrize("name", [d.name for d in LIBRARY])
def test_each_derivation_checks_exactly_as_recorded(name):
    checked = result(name)
    assert [r.verdict.status.value for r in checked.links] == GOLDEN[name]
    for link in checked.links:
        assert link.as_expected, link.verdict.message
        if link.verdict.status is Verdict.REFUTED:
            assert link.verdict.counterexample is not None


def test_the_library_is_large_and_every_erratum_is_refuted():
    statuses = [s for verdicts in GOLDEN.values() for s in verdicts]
    assert len(statuses) >= 60
    assert set(statuses) == {"proved", "refuted"}
    errata = [link for d in LIBRARY for link in d.links if link.erratum]
    assert len(errata) == statuses.count("refuted") == 3


def test_every_erratum_stands_beside_its_correction():
    for d in LIBRARY:
        assert d.checked_links == d.links
        for link in d.checked_links:
            if link.erratum:
                corrections = [
                    other
                    for other in d.checked_links
                    if not other.erratum and (other.lhs == link.lhs) != (other.rhs == link.rhs)
                ]
                assert corrections, f"{d.name}: erratum {link.erratum.note!r} has no correction"


def test_every_source_document_is_derived_from():
    documents = {getattr(sources, name) for name in dir(sources) if name.startswith("DOC_")}
    cited = {source for d in LIBRARY for source in d.sources}
    assert documents == cited


def test_sizes_are_symbolic_except_where_the_document_is_concrete():
    # Concrete sizes only where the document is about them: K = 2 and the worked example.
    concrete = {"000-sigmoid", "003-worked-example"}
    for d in LIBRARY:
        sizes = [x.upper for x in d.context.indices]
        sizes += [extent for t in d.context.tensors for extent in t.shape]
        symbolic = all(size.free_symbols for size in sizes)
        assert symbolic == (d.name not in concrete), d.name


@pytest.mark.parametrize("name", ["002-gradient", "004-gradient", "004-linear-layer"])
def test_the_last_step_is_refuted_without_its_hypothesis(name):
    links = [link for link in derivation_named(name).checked_links if link.assuming]
    assert links
    for link in links:
        bare = replace(link, assuming=())
        verdict = check_link(bare, derivation_named(name).context, CheckOptions())
        assert verdict.status is Verdict.REFUTED


def test_an_unknown_name_is_an_actionable_error():
    with pytest.raises(DerivsError, match="no derivation named 'softmax'"):
        derivation_named("softmax")


def test_every_link_shows_a_step_not_an_identity():
    # SymPy evaluates 0 * S or S / S on construction; the library keeps what the
    # document wrote (times, minus, over), so no link prints as "x = x".
    from derivs.text import text

    for d in LIBRARY:
        for number, link in enumerate(d.checked_links, start=1):
            assert text(link.lhs) != text(link.rhs), f"{d.name} link {number}"
