"""The registry of kinds: one row per kind, the same meaning in TOML and in Python."""

from __future__ import annotations

import random
from dataclasses import fields
from typing import get_type_hints

import pytest
from sympy import IndexedBase, Integer, KroneckerDelta, Rational, Sum, Symbol

from derivs import (
    Between,
    Binary,
    CheckOptions,
    DerivsError,
    Notation,
    OneHot,
    Positive,
    Probability,
    Real,
    Status,
    check_derivation,
    derivation,
    step,
    then,
)
from derivs.kinds import KINDS, indices_of, rule_of, words_for
from derivs.loader import load
from derivs.read.notation import FIELD_TYPES, read_notation
from derivs.read.vocabulary import Family, Plain

FAST = CheckOptions(isolate=False)

SIDE_FILE = r"""
[dimensions]
K = 1
[indices]
"i k" = "K"
[scalars]
T = "positive"
'\epsilon' = { kind = "between", low = 0, high = 1 }
[vectors]
q = { length = "K", kind = "probability" }
t = { length = "K", kind = "one-hot", at = "i" }
"""

#: Links whose verdicts depend on the kinds, as a document writes them.
WRITTEN = [
    r"T > 0",
    r"\epsilon < 1",
    r"\epsilon > 1",
    r"\epsilon^2 = \epsilon",
    r"t_i = 1",
    r"\sum_{k=1}^{K} q_k = 1",
    r"\sum_{k=1}^{K} t_k = 1",
    r"\sum_{k=1}^{K} q_k = 2",
]


def python_derivation():
    n = Notation()
    K = n.dimension("K")
    i, k = n.indices("i k", K)
    T = n.scalar("T", Positive())
    eps = n.scalar("epsilon", Between(0, 1))
    q = n.vector("q", K, Probability())
    t = n.vector("t", K, OneHot(i))
    links = [
        (T, 0, ">"),
        (eps, 1, "<"),
        (eps, 1, ">"),
        (eps**2, eps, "="),
        (t[i], 1, "="),
        (Sum(q[k], (k, 1, K)), 1, "="),
        (Sum(t[k], (k, 1, K)), 1, "="),
        (Sum(q[k], (k, 1, K)), 2, "="),
    ]
    steps = [step(lhs, then(rhs, relation=sign)) for lhs, rhs, sign in links]
    return derivation("kinds", "the kinds in Python", n.context(), *steps)


def test_kinds_declared_in_toml_give_the_verdicts_of_the_python_declarations(tmp_path):
    (tmp_path / "kinds.toml").write_text(SIDE_FILE, "utf-8")
    document = tmp_path / "kinds.md"
    document.write_text("".join(f"$$ {link} $$\n\n" for link in WRITTEN), "utf-8")
    loaded = load([str(document)], (), str(tmp_path / "kinds.toml"))
    assert not loaded.problems
    (read,) = loaded.derivations
    from_toml = [r.verdict for r in check_derivation(read, FAST).links]
    from_python = [r.verdict for r in check_derivation(python_derivation(), FAST).links]
    assert [v.status for v in from_toml] == [
        Status.PROVED,
        Status.UNKNOWN,  # true on (0, 1): the search finds no counterexample there
        Status.REFUTED,
        Status.REFUTED,
        Status.PROVED,
        Status.PROVED,
        Status.PROVED,
        Status.REFUTED,
    ]
    assert [v.status for v in from_python] == [v.status for v in from_toml]
    assert [v.counterexample for v in from_python] == [v.counterexample for v in from_toml]
    for verdict in (from_toml[2], from_toml[3]):
        assert verdict.counterexample is not None
        (epsilon,) = [a.value for a in verdict.counterexample.values if a.name == "epsilon"]
        assert 0 < Rational(epsilon) < 1


def test_every_kind_has_one_row_and_its_word_reads_back_to_it():
    assert {rule.kind for rule in KINDS.values()} == {
        Real,
        Positive,
        Probability,
        OneHot,
        Between,
        Binary,
    }
    for word, rule in KINDS.items():
        assert rule.word == word
    assert rule_of(Between(0, 1)) is KINDS["between"]
    assert indices_of(OneHot(Symbol("c"))) == (Symbol("c"),)
    assert indices_of(Between(0, 1)) == ()


@pytest.mark.parametrize(
    ("toml", "kind"),
    [
        ('x = "real"', Real()),
        ('x = { kind = "positive" }', Positive()),
        ('x = { kind = "between", low = -1, high = 2 }', Between(-1, 2)),
        ('x = "binary"', Binary()),
    ],
)
def test_every_scalar_kind_can_be_declared_in_toml(toml, kind):
    notation = read_notation(f"[scalars]\n{toml}\n", "side.toml")
    (scalar,) = notation.vocabulary.context.scalars
    assert scalar.kind == kind
    assert scalar.symbol == Notation().scalar("x", kind)


def test_the_python_declarations_consult_the_same_rows():
    n = Notation()
    K = n.dimension("K")
    with pytest.raises(DerivsError, match="z: a vector cannot be between"):
        n.vector("z", K, Between(0, 1))  # type: ignore[arg-type]
    with pytest.raises(DerivsError, match="W: a matrix cannot be probability"):
        n.matrix("W", K, K, Probability())
    with pytest.raises(DerivsError, match="T: a scalar cannot be one-hot"):
        n.scalar("T", OneHot(Symbol("c")))  # type: ignore[arg-type]
    with pytest.raises(DerivsError, match="is not a kind"):
        n.scalar("x", "positive")  # type: ignore[arg-type]
    with pytest.raises(DerivsError, match="low must be below high"):
        Between(1, 1)
    with pytest.raises(DerivsError, match="the bounds are integers"):
        Between(0.5, 1)  # type: ignore[arg-type]
    assert words_for("matrix") == "real, positive, one-hot or binary"


@pytest.mark.parametrize(
    ("kind", "low", "high"),
    [(Real(), -2, 2), (Positive(), 0, 3), (Between(-5, -4), -5, -4), (Between(0, 1), 0, 1)],
)
def test_each_kind_is_drawn_inside_its_range(kind, low, high):
    rng = random.Random(7)
    values = rule_of(kind).draw(kind, rng, [(p,) for p in range(200)], {})
    assert all(low < v < high for v in values)


def test_a_probability_vector_is_drawn_on_the_simplex_and_a_one_hot_at_its_index():
    rng = random.Random(7)
    positions = [(1,), (2,), (3,)]
    probabilities = rule_of(Probability()).draw(Probability(), rng, positions, {})
    assert sum(probabilities) == 1 and all(p > 0 for p in probabilities)
    c = Symbol("c")
    one_hot = rule_of(OneHot(c)).draw(OneHot(c), rng, positions, {c: Integer(2)})
    assert one_hot == [0, 1, 0]
    assert rule_of(OneHot(c)).draw(OneHot(c), rng, positions, {}) is None


def test_every_field_of_every_kind_can_be_written_in_toml():
    for rule in KINDS.values():
        types = get_type_hints(rule.kind)
        assert all(types[f.name] in FIELD_TYPES for f in fields(rule.kind))


def test_only_a_one_hot_fixes_its_entries_and_they_are_kronecker_deltas():
    c, k = Symbol("c", integer=True), Symbol("k", integer=True)
    t = IndexedBase("t")
    entry = rule_of(OneHot(c)).entry
    assert entry is not None and entry(OneHot(c), t[k]) == KroneckerDelta(k, c)
    assert [word for word, rule in KINDS.items() if rule.entry is not None] == ["one-hot"]


def test_no_module_but_the_registry_tests_the_class_of_a_kind():
    """Every other module consults a kind's row: no isinstance chain on kinds comes back."""
    import ast
    from pathlib import Path

    kinds = {rule.kind.__name__ for rule in KINDS.values()}
    package = Path(__file__).parent.parent / "derivs"
    testing = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "kinds.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "isinstance":
                named = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
                if named & kinds:
                    testing.append(f"{path.relative_to(package)}:{node.lineno}")
    assert testing == []


def test_a_binary_entry_is_drawn_as_0_or_1_and_proved_for_every_nonnegative_integer():
    rng = random.Random(7)
    values = rule_of(Binary()).draw(Binary(), rng, [(p,) for p in range(200)], {})
    assert set(values) == {0, 1}
    notation = read_notation(
        '[dimensions]\nm = 1\n[indices]\ni = "m"\n'
        '[scalars]\ny = { kind = "binary", family = "i" }\nu = "real"\n',
        "side.toml",
    )
    vocabulary = notation.vocabulary
    family, index = vocabulary.meanings["y"], vocabulary.meanings["i"]
    assert isinstance(family, Family) and isinstance(index, Plain)
    y, i = family.base, index.expr
    checked = check_derivation(
        derivation(
            "binary",
            "binary labels",
            vocabulary.context,
            step((-1) ** (2 * y[i]), then(1)),  # true of every integer
            step(y[i] ** 2, then(y[i])),  # true of 0 and 1 only: never refuted
        ),
        CheckOptions(isolate=False),
    )
    statuses = [r.verdict.status for r in checked.links]
    assert statuses[0] is Status.PROVED
    assert statuses[1] is not Status.REFUTED
