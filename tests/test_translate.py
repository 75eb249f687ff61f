"""LaTeX to SymPy in a declared notation: what each construct means, and what is refused."""

from __future__ import annotations

import pytest
from sympy import (
    Derivative,
    Indexed,
    KroneckerDelta,
    Product,
    Sum,
    Symbol,
    exp,
    log,
)

from derivs.errors import DerivsError
from derivs.read.names import abbreviate
from derivs.read.notation import read_notation
from derivs.read.tex import TexError, parse, tokens
from derivs.shapes import Array, Written
from derivs.translate import Skip, Translator

NOTATION = r"""
[dimensions]
K = 1
M = 1

[indices]
"i j k c" = "K"
"m" = "M"

[scalars]
x = "real"

[functions]
u = 1

[vectors]
z = "K"
q = { length = "K", kind = "probability" }
'\hat{y}' = { length = "K", kind = "one-hot", at = "c" }
'\mathbf{v}' = "K"

[matrices]
W = ["K", "M"]

[definitions]
S = '\sum_{k=1}^{K} e^{z_k}'
'a_i' = '\frac{e^{z_i}}{S}'
'\sigma(x)' = '\frac{1}{1 + e^{-x}}'
'\text{softmax}_i(z)' = '\frac{e^{z_i}}{S}'
'H(\hat{y}, q)' = '-\sum_{k=1}^{K} \hat{y}_k \log q_k'
"""


@pytest.fixture(scope="module")
def vocabulary():
    return read_notation(NOTATION, "test notation").vocabulary


def read(vocabulary, text: str):
    return Translator(vocabulary).value(parse(abbreviate(tokens(text), vocabulary)))


def names(vocabulary):
    context = vocabulary.context
    found = {x.symbol.name: x.symbol for x in context.indices}
    found |= {d.symbol.name: d.symbol for d in context.dimensions}
    found |= {t.base.name: t.base for t in context.tensors}
    found |= {d.name: d.head for d in context.definitions}
    return found


def test_a_sum_binds_its_index_and_never_collapses(vocabulary):
    n = names(vocabulary)
    total = read(vocabulary, r"\sum_{k=1}^{K} e^{z_k}")
    assert total == Sum(exp(n["z"][n["k"]]), (n["k"], 1, n["K"]))
    assert n["k"] not in total.free_symbols
    assert total != n["K"] * exp(n["z"][n["k"]])


def test_an_undeclared_letter_may_be_a_summation_index(vocabulary):
    n = names(vocabulary)
    total = read(vocabulary, r"\sum_{t=1}^{K} z_t")
    (variable,) = total.variables
    assert variable.name == "t" and variable not in total.free_symbols
    assert total.function == n["z"][variable]


def test_a_sum_without_limits_runs_over_its_one_free_index(vocabulary):
    n = names(vocabulary)
    assert read(vocabulary, r"\sum q_i \log q_i") == Sum(
        n["q"][n["i"]] * log(n["q"][n["i"]]), (n["i"], 1, n["K"])
    )
    with pytest.raises(TexError, match="one free index"):
        read(vocabulary, r"\sum q_i z_j")


def test_a_sum_can_exclude_an_index(vocabulary):
    n = names(vocabulary)
    i, j = n["i"], n["j"]
    assert read(vocabulary, r"\sum_{i=1, i \neq j}^{K} z_i") == Sum(
        (1 - KroneckerDelta(i, j)) * n["z"][i], (i, 1, n["K"])
    )


def test_products_are_products(vocabulary):
    n = names(vocabulary)
    assert read(vocabulary, r"\prod_{k=1}^{K} z_k") == Product(n["z"][n["k"]], (n["k"], 1, n["K"]))


@pytest.mark.parametrize(
    "text",
    [
        r"\frac{\partial a_i}{\partial z_j}",
        r"\partial a_i / \partial z_j",
        r"\frac{d a_i}{d z_j}",
        r"\frac{\partial}{\partial z_j} a_i",
        r"\frac{\partial}{\partial z_j} \left( a_i \right)",
    ],
)
def test_every_way_of_writing_a_derivative_is_one_derivative(vocabulary, text):
    n = names(vocabulary)
    assert read(vocabulary, text) == Derivative(n["a"][n["i"]], n["z"][n["j"]])


def test_a_derivative_of_an_expression_differentiates_all_of_it(vocabulary):
    n = names(vocabulary)
    found = read(vocabulary, r"\frac{\partial \frac{e^{z_i}}{S}}{\partial z_j}")
    assert found == Derivative(exp(n["z"][n["i"]]) / n["S"], n["z"][n["j"]])


@pytest.mark.parametrize(
    "text", [r"\delta_{ij}", r"\delta_{i,j}", r"1\{i = j\}", r"\mathbb{1}_{i = j}", r"1\{j = i\}"]
)
def test_deltas_and_indicators_are_kronecker_deltas(vocabulary, text):
    n = names(vocabulary)
    assert read(vocabulary, text) == KroneckerDelta(n["i"], n["j"])


@pytest.mark.parametrize("text", [r"W_{im}", r"W_{i,m}", r"W_{i m}"])
def test_matrix_entries_take_two_indices_however_written(vocabulary, text):
    n = names(vocabulary)
    assert read(vocabulary, text) == n["W"][n["i"], n["m"]]


def test_entries_with_numbers_and_offsets(vocabulary):
    n = names(vocabulary)
    assert read(vocabulary, r"W_{i1}") == n["W"][n["i"], 1]
    assert read(vocabulary, r"z_{k+1}") == n["z"][n["k"] + 1]


def test_decorated_and_bold_names_are_read_by_declaration(vocabulary):
    n = names(vocabulary)
    assert read(vocabulary, r"\hat{y}_c") == n["yhat"][n["c"]]
    assert read(vocabulary, r"\hat y_c") == n["yhat"][n["c"]]
    assert read(vocabulary, r"v_k") == n["v"][n["k"]]
    assert isinstance(read(vocabulary, r"\bm z"), Array)
    assert isinstance(read(vocabulary, r"\mathbf{v}"), Array)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"e^{x}", lambda n: exp(n["x"])),
        (r"\exp(x)", lambda n: exp(n["x"])),
        (r"\exp x", lambda n: exp(n["x"])),
        (r"\log x", lambda n: log(n["x"])),
        (r"\ln(x)", lambda n: log(n["x"])),
        (r"log(x)", lambda n: log(n["x"])),
        (r"x \cdot x", lambda n: n["x"] ** 2),
        (r"x \times x", lambda n: n["x"] ** 2),
        (r"x x", lambda n: n["x"] ** 2),
        (r"x(1 - x)", lambda n: n["x"] * (1 - n["x"])),
        (r"\left(x\right)^2", lambda n: n["x"] ** 2),
    ],
)
def test_functions_and_products(vocabulary, text, expected):
    n = names(vocabulary) | {"x": Symbol("x", real=True)}
    assert read(vocabulary, text) == expected(n)


def test_declared_functions_apply_to_their_arguments(vocabulary):
    n = names(vocabulary) | {"x": Symbol("x", real=True)}
    assert read(vocabulary, r"\sigma(x)") == n["sigma"](n["x"])
    assert read(vocabulary, r"u(x)").func.__name__ == "u"
    assert read(vocabulary, r"\text{softmax}_j(z)") == n["softmax"][n["j"]]
    assert read(vocabulary, r"H(\hat{y}, q)") == n["H"]


def test_a_definition_written_with_other_arguments_is_refused(vocabulary):
    with pytest.raises(TexError, match=r"declared as H\(\\hat\{y\}, q\)"):
        read(vocabulary, r"H(q, q)")


def test_f_at_i_equals_j_substitutes_only_the_free_index(vocabulary):
    n = names(vocabulary)
    found = read(vocabulary, r"\left( z_i \sum_{i=1}^{K} z_i \right)_{i = j}")
    assert found == n["z"][n["j"]] * Sum(n["z"][n["i"]], (n["i"], 1, n["K"]))


def test_a_transpose_times_a_vector_is_a_scalar_sum(vocabulary):
    found = read(vocabulary, r"\hat{y}^{\top} \log q")
    assert isinstance(found, Sum)


def test_gradients_and_jacobians_are_arrays(vocabulary):
    gradient = read(vocabulary, r"\frac{\partial S}{\partial \mathbf z}")
    jacobian = read(vocabulary, r"\frac{\partial \mathbf a}{\partial \mathbf z}")
    assert isinstance(gradient, Array) and gradient.rows == 1
    assert isinstance(jacobian, Array) and jacobian.rows == jacobian.columns
    row, column = Symbol("r", integer=True), Symbol("s", integer=True)
    assert isinstance(jacobian.at(row, column), Derivative)


def test_written_vectors_and_matrices_keep_their_cells(vocabulary):
    vector = read(vocabulary, r"[z_1, z_2, \cdots, z_K]")
    matrix = read(vocabulary, r"\begin{bmatrix} z_1 & z_2 \\ \vdots & \vdots \end{bmatrix}")
    assert isinstance(vector, Written) and len(vector.cells()) == 4
    assert isinstance(matrix, Written) and len(matrix.rows) == 2


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        (r"a_i + s_j", "s is not declared", 7),
        (r"\foo(z_k)", r"unknown command \foo", 1),
        (r"\alpha z_k", r"\alpha is not declared", 1),
        (r"\partial z_k", r"\partial without the variable", 1),
        (r"z_{ij}", "takes 1 index(es)", 2),
        (r"S_k", "S is a definition, it has no entries", 2),
        (r"z_x", "is not an index", 3),
        (r"10^{10^{10}}", "too large", 3),
        (r"\sum_{k=1} z_k", "a lower limit without an upper one", 5),
    ],
)
def test_notation_that_is_not_understood_names_the_token(vocabulary, text, message, column):
    with pytest.raises(TexError) as raised:
        read(vocabulary, text)
    assert message in str(raised.value)
    assert (raised.value.line, raised.value.column) == (1, column)


def test_prose_and_ellipses_are_skips_not_errors(vocabulary):
    with pytest.raises(Skip, match="prose"):
        read(vocabulary, r"\text{cross entropy}(z)")
    with pytest.raises(Skip, match="ellipsis"):
        read(vocabulary, r"z_1 + z_2 + \cdots")


def test_shapes_that_do_not_fit_are_errors(vocabulary):
    with pytest.raises((TexError, DerivsError)):
        read(vocabulary, r"\mathbf z + S")


def test_indexed_results_are_entries(vocabulary):
    assert isinstance(read(vocabulary, r"\hat{y}_k"), Indexed)


def test_a_bare_index_under_a_sum_runs_from_its_lower_bound_to_the_written_limit(vocabulary):
    n = names(vocabulary)
    assert read(vocabulary, r"\sum_{k}^{K-1} z_k") == Sum(n["z"][n["k"]], (n["k"], 1, n["K"] - 1))
    assert read(vocabulary, r"\sum_{k} z_k") == Sum(n["z"][n["k"]], (n["k"], 1, n["K"]))


@pytest.mark.parametrize(
    ("text", "column"), [(r"\sum_{k}^{\text{all}} z_k", 11), (r"\sum_{k=\foo}^{K} z_k", 9)]
)
def test_a_sum_limit_that_cannot_be_read_is_an_error_at_its_column(vocabulary, text, column):
    with pytest.raises(TexError) as raised:
        read(vocabulary, text)
    assert (raised.value.line, raised.value.column) == (1, column)


FAMILIES = r"""
[dimensions]
N = 1
M = 1
[indices]
n = "N"
"m q" = "M"
[scalars]
y = { kind = "real", family = "n" }
b = "real"
[vectors]
x = { length = "M", family = "n" }
w = "M"
"""


@pytest.fixture(scope="module")
def families():
    return read_notation(FAMILIES, "families").vocabulary


def test_a_parenthesised_superscript_is_a_member_of_a_declared_family(families):
    n = names(families)
    x, y = n["x"], n["y"]
    assert read(families, r"x^{(n)}_m") == x[n["n"], n["m"]]
    assert read(families, r"y^{(n)}") == y[n["n"]]
    assert read(families, r"y^{(2)}") == y[2]
    assert read(families, r"\sum_{n=1}^{N} y^{(n)}") == Sum(y[n["n"]], (n["n"], 1, n["N"]))
    member = read(families, r"x^{(n)}")
    assert isinstance(member, Array) and member.rows == n["M"]
    assert read(families, r"w^{\top} x^{(n)}").function.has(x)


@pytest.mark.parametrize(
    ("text", "column"),
    [(r"w^{(n)}", 2), (r"b^{(n)}", 2), (r"w_m^{(n+1)}", 4), (r"e^{(n)}", 2), (r"(b + 1)^{(n)}", 8)],
)
def test_an_index_in_a_parenthesised_superscript_is_never_silently_a_power(families, text, column):
    with pytest.raises(TexError, match="holds the index") as raised:
        read(families, text)
    assert (raised.value.line, raised.value.column) == (1, column)
    assert "for a power" in str(raised.value)


def test_a_number_in_parentheses_is_still_a_power_of_what_is_not_a_family(families):
    (b,) = (s.symbol for s in families.context.scalars if s.symbol.name == "b")
    assert read(families, r"b^{(2)}") == b**2


def test_a_family_is_written_with_its_member(families):
    with pytest.raises(TexError, match=r"x is a family: write its member as x\^\{\(i\)\}"):
        read(families, r"x_m")
