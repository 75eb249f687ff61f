"""Notation in TOML: what each section declares, and the errors a person can act on."""

from __future__ import annotations

from pathlib import Path

import pytest
from sympy import Indexed, Symbol

from derivs.errors import DerivsError
from derivs.kinds import OneHot, Probability
from derivs.read.notation import read_notation
from derivs.read.tex import parse, tokens
from derivs.read.translate import Translator
from derivs.read.vocabulary import Applied, IndexedDefinition, Plain, Tensor


def test_every_section_declares_what_it_says():
    notation = read_notation(
        r"""
[dimensions]
K = 2
[indices]
"i j" = "K"
l = { from = 0, to = "K" }
[scalars]
T = "positive"
[functions]
u = 1
[vectors]
z = "K"
t = { length = "K", kind = "one-hot", at = "j" }
p = { length = "K", kind = "probability" }
[matrices]
W = ["K", "K"]
[definitions]
S = '\sum_{k=1}^{K} e^{z_k / T}'
'a_i' = '\frac{e^{z_i / T}}{S}'
'\sigma(x)' = '\frac{1}{1 + e^{-x}}'
[hypotheses]
"p sums to one" = '\sum_{k=1}^{K} p_k = 1'
""",
        "notation.toml",
    )
    vocabulary = notation.vocabulary
    context = vocabulary.context
    assert context.dimensions[0].minimum == 2
    assert [x.symbol.name for x in context.indices] == ["i", "j", "l"]
    assert context.indices[2].lower == 0
    assert context.scalars[0].symbol.is_positive
    kinds = {t.base.name: t.kind for t in context.tensors}
    assert kinds["t"] == OneHot(Symbol("j", integer=True, positive=True))
    assert kinds["p"] == Probability()
    assert isinstance(vocabulary.lookup("W"), Tensor)
    assert isinstance(vocabulary.lookup("S"), Plain)
    assert isinstance(vocabulary.lookup("a"), IndexedDefinition)
    assert isinstance(vocabulary.lookup(r"\sigma"), Applied)
    assert isinstance(vocabulary.lookup("u"), Applied)
    assert [h.name for h in context.hypotheses] == ["p sums to one"]


def test_decorated_names_get_readable_sympy_names():
    vocabulary = read_notation(
        '[dimensions]\nK = 1\n[scalars]\nx = "real"\n[vectors]\n'
        "'\\hat{y}' = \"K\"\n'\\mathbf{x}' = \"K\"\n",
        "n",
    ).vocabulary
    assert {t.base.name for t in vocabulary.context.tensors} == {"yhat", "xbold"}
    translator = Translator(vocabulary)
    written = [r"\hat y_1", r"\hat{y}_1", r"\hat{ y }_{1}"]
    assert len({translator.value(parse(tokens(text))) for text in written}) == 1


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[dimensions\nK = 1", "not valid TOML"),
        ("[colours]\nred = 1", "unknown section [colours]"),
        ("[dimensions]\nK = 0", "side.toml: [dimensions] K: give the least value"),
        (
            '[dimensions]\nK = 1\n[vectors]\nt = { length = "K", kind = "one-hot", at = "c" }',
            "one-hot at",
        ),
        ('[dimensions]\nK = 1\n[vectors]\nz = { length = "K", kind = "fuzzy" }', "unknown kind"),
        ("[dimensions]\nK = 1\nK = 1", "not valid TOML"),
        ('[dimensions]\nK = 1\n[scalars]\nK = "real"', "declared twice"),
        ('[dimensions]\nK = 1\n[indices]\nb = "K"\n[scalars]\nb = "real"', "declared twice"),
        (
            '[dimensions]\nK = 1\n[indices]\nb = "K"\n[vectors]\nb = "K"\n'
            '[matrices]\nb = ["K", "K"]',
            "declared twice",
        ),
        ("[definitions]\nS = 'z_k'", "z is not declared"),
        ("[definitions]\nS = '\\frac{1}{'", "never closed"),
        ('errata = "3"', 'side.toml: [errata] is a table of line = "what is wrong"'),
        ('[errata]\n"line 3" = "x"', 'side.toml: [errata] line 3: write "LINE"'),
        ('[errata]\n"3" = 1', 'side.toml: [errata] 3: write "LINE"'),
        ("[dimensions]\nK = 1\n[errata]\n[colours]", "side.toml: unknown section [colours]"),
        ('[scalars]\nx = { kind = "between", low = 1, high = 0 }', "low must be below high"),
        ('[scalars]\nx = { kind = "between", high = 1 }', "between low None: give an integer"),
        ('[scalars]\nx = { kind = "between", low = 0, high = "1" }', "between high '1'"),
        ('[scalars]\nx = { kind = "probability" }', "a scalar cannot be probability"),
        ('[scalars]\nx = { kind = "between", low = 0, high = 1, at = "k" }', "unknown key 'at'"),
        ('[dimensions]\nK = 1\n[vectors]\nz = { length = "K", kind = "between" }', "a vector"),
        (
            '[dimensions]\nK = 1\n[indices]\nn = "K"\n[vectors]\n'
            'x = { length = "K", family = "n", kind = "probability" }',
            "a family cannot be probability: a family is real or positive",
        ),
        ('[dimensions]\nK = 1\n[matrices]\nW = { shape = ["K", "K"], lenght = 2 }', "'lenght'"),
        ('[scalars]\nx = "fuzzy"', "unknown kind 'fuzzy': a scalar is real, positive or between"),
    ],
)
def test_mistakes_name_the_file_the_section_and_the_key(toml, message):
    with pytest.raises(DerivsError) as raised:
        read_notation(toml, "side.toml")
    assert message in str(raised.value)
    assert str(raised.value).startswith("side.toml")


EXAMPLES = Path(__file__).parent.parent / "examples" / "seeds"


@pytest.mark.parametrize("name", ["000", "003", "004"])
def test_the_shipped_side_files_are_read_by_the_one_reader(name):
    path = EXAMPLES / f"{name}.toml"
    notation = read_notation(path.read_text("utf-8"), str(path))
    assert notation.vocabulary.context.dimensions
    assert notation.source == str(path)


def test_errata_are_read_with_their_place_normalised():
    notation = read_notation(
        '[dimensions]\nK = 1\n[errata]\n"45  entry (n,  2)" = "a sign"\n"139 #1" = "a factor"\n',
        "side.toml",
    )
    assert dict(notation.errata) == {"45 entry (n, 2)": "a sign", "139 #1": "a factor"}


def test_a_table_reads_as_its_text_does():
    text = '[dimensions]\nK = 2\n[errata]\n"3" = "a typo"\n'
    from_text = read_notation(text, "side.toml")
    from_table = read_notation({"dimensions": {"K": 2}, "errata": {"3": "a typo"}}, "side.toml")
    assert from_text == from_table


INDEX_AND_VECTOR = """
[dimensions]
N = 1
M = 1
[indices]
"p c" = "N"
r = "M"
[vectors]
u = "N"
c = "M"
[matrices]
A = ["M", "N"]
"""


@pytest.mark.parametrize(
    "written",
    ["u_c", "u_{c}", "A_{rc}", "A_{r,c}", "A_{r c}", "\\delta_{pc}", "c_r u_c"],
)
def test_a_letter_declared_index_and_vector_is_the_index_under_a_subscript(written):
    vocabulary = read_notation(INDEX_AND_VECTOR, "side.toml").vocabulary
    value = Translator(vocabulary).scalar(parse(tokens(written)))
    index = vocabulary.subscripts["c"]
    assert index in value.free_symbols
    assert isinstance(vocabulary.meanings["c"], Tensor)


@pytest.mark.parametrize("written", ["c", "2 c", "\\frac{\\partial u_p}{\\partial c}"])
def test_a_letter_declared_index_and_vector_written_alone_is_an_error(written):
    vocabulary = read_notation(INDEX_AND_VECTOR, "side.toml").vocabulary
    with pytest.raises(DerivsError, match="declared both as an index and as a vector"):
        Translator(vocabulary).value(parse(tokens(written)))


def test_a_sum_over_the_letter_binds_it_and_its_entries_stay_the_vectors():
    vocabulary = read_notation(INDEX_AND_VECTOR, "side.toml").vocabulary
    value = Translator(vocabulary).scalar(parse(tokens("\\sum_{c=1}^{N} u_c + c_r")))
    bias, inputs = vocabulary.meanings["c"], vocabulary.meanings["u"]
    assert isinstance(bias, Tensor) and isinstance(inputs, Tensor)
    assert vocabulary.subscripts["c"] not in value.free_symbols
    assert {x.base for x in value.atoms(Indexed)} == {bias.base, inputs.base}
