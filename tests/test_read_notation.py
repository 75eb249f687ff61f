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


WHOLE_MISTAKES = [
    ("[dimensions\nK = 1", "not valid TOML"),
    ("[colours]\nred = 1", "unknown section [colours]"),
    ("[dimensions]\nK = 1\nK = 1", "not valid TOML"),
    ('errata = "3"', 'side.toml: [errata] is a table of line = "what is wrong"'),
    ('[errata]\n"line 3" = "x"', 'side.toml: [errata] line 3: write "LINE"'),
    ('[errata]\n"3" = 1', 'side.toml: [errata] 3: write "LINE"'),
    ("[dimensions]\nK = 1\n[errata]\n[colours]", "side.toml: unknown section [colours]"),
    ('summation = "implicit"', "side.toml: summation = 'implicit'"),
    ("[hypotheses]\n\"h\" = 'q = 1'", "q is not declared"),
]
"""Mistakes that leave no notation to read: the whole notation is an error."""

ENTRY_MISTAKES = [
    ("[dimensions]\nK = 0", "K", "side.toml: [dimensions] K: give the least value"),
    (
        '[dimensions]\nK = 1\n[vectors]\nt = { length = "K", kind = "one-hot", at = "c" }',
        "t",
        "one-hot at",
    ),
    ('[dimensions]\nK = 1\n[vectors]\nz = { length = "K", kind = "fuzzy" }', "z", "unknown kind"),
    ('[dimensions]\nK = 1\n[scalars]\nK = "real"', "K", "declared twice"),
    ('[dimensions]\nK = 1\n[indices]\nb = "K"\n[scalars]\nb = "real"', "b", "declared twice"),
    (
        '[dimensions]\nK = 1\n[indices]\nb = "K"\n[vectors]\nb = "K"\n[matrices]\nb = ["K", "K"]',
        "b",
        "declared twice",
    ),
    ('[indices]\n"i j" = "Q"', "j", "Q is not declared"),
    ("[definitions]\nS = 'z_k'", "S", "z is not declared"),
    ("[definitions]\n'a_i' = '\\frac{1}{'", "a", "never closed"),
    ('[scalars]\nx = { kind = "between", low = 1, high = 0 }', "x", "low must be below high"),
    ('[scalars]\nx = { kind = "between", high = 1 }', "x", "between low None: give an integer"),
    ('[scalars]\nx = { kind = "between", low = 0, high = "1" }', "x", "between high '1'"),
    ('[scalars]\nx = { kind = "probability" }', "x", "a scalar cannot be probability"),
    ('[scalars]\nx = { kind = "between", low = 0, high = 1, at = "k" }', "x", "unknown key 'at'"),
    ('[dimensions]\nK = 1\n[vectors]\nz = { length = "K", kind = "between" }', "z", "a vector"),
    (
        '[dimensions]\nK = 1\n[indices]\nn = "K"\n[vectors]\n'
        'x = { length = "K", family = "n", kind = "probability" }',
        "x",
        "a family cannot be probability: a family is real, positive or binary",
    ),
    ('[dimensions]\nK = 1\n[matrices]\nW = { shape = ["K", "K"], lenght = 2 }', "W", "'lenght'"),
    (
        '[scalars]\nx = "fuzzy"',
        "x",
        "unknown kind 'fuzzy': a scalar is real, positive, between or binary",
    ),
]
"""Mistakes in one entry: only the names it declares are refused, each with the reason."""


@pytest.mark.parametrize(("toml", "message"), WHOLE_MISTAKES)
def test_mistakes_of_the_whole_notation_name_the_file(toml, message):
    with pytest.raises(DerivsError) as raised:
        read_notation(toml, "side.toml")
    assert message in str(raised.value)
    assert str(raised.value).startswith("side.toml")


@pytest.mark.parametrize(("toml", "name", "message"), ENTRY_MISTAKES)
def test_a_mistaken_entry_refuses_its_names_with_the_file_the_section_and_the_key(
    toml, name, message
):
    refused = read_notation(toml, "side.toml").refused
    assert message in refused[name]
    assert refused[name].startswith("side.toml: [")


def test_a_refused_name_is_an_error_where_it_is_written_and_the_others_read():
    notation = read_notation(
        '[dimensions]\nK = 1\n[indices]\nk = "K"\n[vectors]\nz = "K"\n'
        "[scalars]\nT = \"warm\"\n[definitions]\nS = '\\sum_{k=1}^{K} e^{z_k / T}'",
        "side.toml",
    )
    assert set(notation.refused) == {"T", "S"}
    translator = Translator(notation.vocabulary)
    assert translator.scalar(parse(tokens("z_k + 1"))).free_symbols
    for written in ("T", "e^{z_k / T}", "S + 1"):
        with pytest.raises(DerivsError, match=r"is not read: side\.toml: \["):
            translator.value(parse(tokens(written)))


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
