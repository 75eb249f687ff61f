"""The verdict cache: content addresses, strict JSON, hits and misses."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sympy import Derivative, Ne, Sum, exp

from derivs import (
    CheckOptions,
    Notation,
    Positive,
    Verdict,
    check_derivation,
    derivation,
    step,
    then,
)
from derivs import text as text_module
from derivs.cache import (
    VerdictCache,
    context_digest,
    link_key,
    verdict_from_json,
    verdict_to_json,
)
from derivs.model import Link, Relation
from derivs.refute import SearchLimits
from derivs.verdict import Assignment, Counterexample, Status
from tests.conftest import softmax_notation

SM = softmax_notation()
LIMITS = SearchLimits()


def key(link: Link, context=SM.context, search=LIMITS, version="1") -> str:
    return link_key(link, context, search, version)


def off_diagonal(rhs=None) -> Link:
    a, z, i, j = SM.a, SM.z, SM.i, SM.j
    return Link(
        Derivative(a[i], z[j]), rhs if rhs is not None else -a[i] * a[j], condition=(Ne(i, j),)
    )


def test_the_key_is_stable_and_ignores_where_the_link_was_written():
    link = off_diagonal()
    assert key(link) == key(link)
    assert len(key(link)) == 64
    moved = replace(link, location=None, justification=replace(link.justification, text="moved"))
    assert key(moved) == key(link)


def test_the_key_changes_with_everything_the_verdict_depends_on():
    link = off_diagonal()
    other = Notation()
    K = other.dimension("K")
    other.indices("i j k", K)
    assert key(off_diagonal(SM.a[SM.i] * SM.a[SM.j])) != key(link)
    assert key(replace(link, condition=())) != key(link)
    assert key(link, search=SearchLimits(seed=1)) != key(link)
    assert key(link, version="2") != key(link)
    assert key(link, context=other.context()) != key(link)


def declared(change: str = "") -> tuple[Notation, Link]:
    """A small notation, with one declaration changed as ``change`` says, and a link in it."""
    n = Notation()
    K = n.dimension("K", minimum=2 if change == "minimum" else 1)
    i, k = n.indices("i k", K, lower=0 if change == "range" else 1)
    z = n.vector("z", K, kind=Positive() if change == "vector kind" else None)
    n.scalar("x", kind=Positive() if change == "scalar kind" else None)
    n.function("g" if change == "function" else "f")
    n.define("S", Sum(exp(z[k]) if change != "definition" else z[k], (k, 1, K)))
    n.hypothesis("h", Sum(z[k], (k, 1, K)), 2 if change == "hypothesis" else 1)
    return n, Link(exp(z[i]), exp(z[i]))


@pytest.mark.parametrize(
    "change",
    ["minimum", "range", "vector kind", "scalar kind", "function", "definition", "hypothesis"],
)
def test_the_key_changes_with_every_declaration_of_the_context(change):
    base, link = declared()
    changed, _ = declared(change)
    assert key(link, context=changed.context()) != key(link, context=base.context())
    assert key(link, context=declared()[0].context()) == key(link, context=base.context())


def test_the_key_changes_with_the_relation_and_the_hypotheses_assumed():
    link = off_diagonal()
    assert key(replace(link, relation=Relation.LESS_EQUAL)) != key(link)
    assert key(replace(link, assuming=(SM.t_sums_to_one,))) != key(link)


def test_the_store_keeps_the_printed_sides_and_a_hit_shows_them_without_printing(
    tmp_path, monkeypatch
):
    link = off_diagonal()
    printed = (text_module.text(link.lhs), text_module.text(link.rhs))
    cache = VerdictCache(tmp_path / "cache", sides=text_module)
    cache.put("a", Verdict(Status.PROVED, "canonical form", 0.5), link)
    monkeypatch.setattr(text_module, "_PRINTED", {})

    def no_printing(self, expr):
        raise AssertionError("printed through SymPy")

    monkeypatch.setattr(text_module.TextPrinter, "doprint", no_printing)
    assert cache.get("a", link) is not None
    assert (text_module.text(link.lhs), text_module.text(link.rhs)) == printed
    cache.close()


def test_a_verdict_whose_printed_sides_are_off_is_still_a_hit_that_prints_afresh(tmp_path):
    link = off_diagonal()
    cache = VerdictCache(tmp_path / "cache", sides=text_module)
    stored = json.loads(verdict_to_json(Verdict(Status.PROVED, "canonical form", 0.5)))
    stored["sides"] = ["only one"]
    cache._execute("INSERT INTO verdicts (key, verdict) VALUES (?, ?)", ("a", json.dumps(stored)))
    text_module._PRINTED.clear()
    assert cache.get("a", link) is not None
    assert text_module.text(link.lhs) != "only one"
    cache.close()


def test_a_context_is_digested_once_and_by_its_declarations_alone():
    first = context_digest(SM.context)
    assert context_digest(SM.context) is first  # computed once for this context
    # Another context object with the same declarations has the same digest.
    assert context_digest(softmax_notation().context) == first
    other = Notation()
    other.dimension("K")
    assert context_digest(other.context()) != first


def test_verdicts_round_trip_through_json():
    proved = Verdict(Status.PROVED, "canonical form", 0.01)
    refuted = Verdict(
        Status.REFUTED,
        "counterexample search (K=2)",
        0.02,
        Counterexample((("K", 2),), (("i", 1),), (Assignment("z", ("1",), "0.5"),), "1", "2"),
    )
    for verdict in (proved, refuted):
        assert verdict_from_json(verdict_to_json(verdict)) == verdict


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "__import__('os').system('false')",
        json.dumps({"status": "proved"}),
        json.dumps(
            {
                "status": "unknown",
                "method": "m",
                "seconds": 0,
                "message": "",
                "counterexample": None,
            }
        ),
        json.dumps(
            {"status": "proved", "method": 3, "seconds": 0, "message": "", "counterexample": None}
        ),
        json.dumps(
            {
                "status": "refuted",
                "method": "m",
                "seconds": 0,
                "message": "",
                "counterexample": None,
            }
        ),
        json.dumps(
            {
                "status": "refuted",
                "method": "m",
                "seconds": 0,
                "message": "",
                "counterexample": {
                    "dimensions": [["K", "2"]],
                    "indices": [],
                    "values": [],
                    "lhs": "1",
                    "rhs": "2",
                },
            }
        ),
    ],
)
def test_anything_off_in_a_stored_verdict_is_a_miss(text):
    assert verdict_from_json(text) is None


def test_the_store_tags_its_folder_and_keeps_only_deterministic_verdicts(tmp_path):
    cache = VerdictCache(tmp_path / "cache")
    cache.put("a", Verdict(Status.PROVED, "canonical form", 0.5))
    cache.put("b", Verdict(Status.UNKNOWN, "timeout", 30.0, message="slow"))
    assert (
        (tmp_path / "cache" / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert (tmp_path / "cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    hit = cache.get("a")
    assert hit is not None and hit.cached and hit.status is Status.PROVED and hit.seconds == 0.0
    assert cache.get("b") is None
    assert cache.clear() == 1
    assert cache.get("a") is None
    cache.close()


def test_a_second_run_is_served_from_the_cache_and_a_changed_link_is_checked_again(tmp_path):
    a, z, i, j = SM.a, SM.z, SM.i, SM.j
    first = derivation(
        "cached",
        "Cached",
        SM.context,
        step(Derivative(a[i], z[j]), then(-a[i] * a[j]), case=Ne(i, j)),
        step(Derivative(a[i], z[j]), then(a[i] * a[j], erratum="sign"), case=Ne(i, j)),
    )
    cache = VerdictCache(tmp_path / "cache")
    options = CheckOptions(isolate=False)
    cold = check_derivation(first, options, cache)
    warm = check_derivation(first, options, cache)
    assert [r.verdict.cached for r in cold.links] == [False, False]
    assert [r.verdict.cached for r in warm.links] == [True, True]
    assert [r.verdict.status for r in warm.links] == [r.verdict.status for r in cold.links]
    assert warm.links[1].verdict.counterexample == cold.links[1].verdict.counterexample
    changed = derivation(
        "cached",
        "Cached",
        SM.context,
        step(Derivative(a[i], z[j]), then(-a[i] * a[j]), case=Ne(i, j)),
        step(Derivative(a[i], z[j]), then(-exp(z[i]) * exp(z[j]) / SM.S**2), case=Ne(i, j)),
    )
    again = check_derivation(changed, options, cache)
    assert [r.verdict.cached for r in again.links] == [True, False]
    assert again.links[1].verdict.status is Verdict.PROVED


def test_a_change_to_the_engine_source_is_a_new_key_whatever_the_version(tmp_path, monkeypatch):
    import shutil

    from derivs import cache as cache_module

    package = Path(cache_module.__file__).parent
    copy = tmp_path / "derivs"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = cache_module.source_digest(copy)
    assert before == cache_module.engine_digest()
    (copy / "canonical.py").write_text((copy / "canonical.py").read_text() + "\n# fixed\n")
    changed = cache_module.source_digest(copy)
    assert changed != before
    (copy / "report.py").write_text((copy / "report.py").read_text() + "\n# shown differently\n")
    assert cache_module.source_digest(copy) == changed  # output alone decides no verdict
    link = off_diagonal()
    old = key(link)
    monkeypatch.setattr(cache_module, "engine_digest", lambda: "0" * 64)
    assert key(link) != old


def test_switching_to_wal_waits_out_another_run_that_holds_the_store(tmp_path):
    import sqlite3
    import threading

    from derivs.cache import _switch_to_wal

    path = tmp_path / "store.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    released = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    released.start()
    waiting = sqlite3.connect(path, timeout=0.01, isolation_level=None)
    try:
        _switch_to_wal(waiting)
        (mode,) = waiting.execute("PRAGMA journal_mode").fetchone()
        assert mode == "wal"
    finally:
        released.join()
        waiting.close()
        holder.close()


def test_a_locked_store_is_told_by_its_result_code_not_its_message(tmp_path):
    import sqlite3

    from derivs.cache import _busy

    holder = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(tmp_path / "x.db", timeout=0)
    with pytest.raises(sqlite3.OperationalError) as caught:
        other.execute("PRAGMA journal_mode=WAL")
    assert _busy(caught.value)
    assert not _busy(sqlite3.OperationalError("database is locked"))  # no code: not parsed
    holder.close()
    other.close()
