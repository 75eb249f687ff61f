"""LaTeX to SymPy in a declared notation: what each construct means, and what is refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lark import Tree
from sympy import (
    Add,
    Derivative,
    Eq,
    Indexed,
    IndexedBase,
    KroneckerDelta,
    Le,
    Mul,
    Ne,
    Pow,
    Product,
    Sum,
    Symbol,
    exp,
    log,
)

from derivs.definedness import as_evaluated
from derivs.errors import DerivsError
from derivs.model import Link
from derivs.read.document import read_document
from derivs.read.names import abbreviate
from derivs.read.notation import read_notation
from derivs.read.shapes import Array, Written
from derivs.read.tex import TexError, parse, tokens
from derivs.read.translate import Translator
from derivs.read.tree import Skip

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


def meaning(vocabulary, text: str):
    """What ``text`` means: its written form as SymPy evaluates it."""
    return as_evaluated(read(vocabulary, text))


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
    found = meaning(vocabulary, r"\frac{\partial \frac{e^{z_i}}{S}}{\partial z_j}")
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
    assert meaning(vocabulary, r"z_{k+1}") == n["z"][n["k"] + 1]


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
    assert meaning(vocabulary, text) == expected(n)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (r"x x", lambda x: Mul(x, x, evaluate=False)),
        (r"\frac{x}{x}", lambda x: Mul(x, Pow(x, -1, evaluate=False), evaluate=False)),
        (r"x - x", lambda x: Add(x, Mul(-1, x, evaluate=False), evaluate=False)),
        (
            r"0 \cdot x + x^{1}",
            lambda x: Add(Mul(0, x, evaluate=False), Pow(x, 1, evaluate=False), evaluate=False),
        ),
        (r"x + 1 + x + 2", lambda x: Add(x, 1, x, 2, evaluate=False)),
    ],
)
def test_each_side_is_kept_as_written(text, written):
    vocabulary = read_notation('[scalars]\nx = "real"\n', "n").vocabulary
    found = read(vocabulary, text)
    assert found == written(Symbol("x", real=True))
    assert found.args == written(Symbol("x", real=True)).args  # the author's order too


def test_declared_functions_apply_to_their_arguments(vocabulary):
    n = names(vocabulary) | {"x": Symbol("x", real=True)}
    assert read(vocabulary, r"\sigma(x)") == n["sigma"](n["x"])
    assert read(vocabulary, r"u(x)").func.__name__ == "u"
    assert read(vocabulary, r"\text{softmax}_j(z)") == n["softmax"][n["j"]]
    assert read(vocabulary, r"H(\hat{y}, q)") == n["H"]


def test_a_definition_written_with_other_arguments_is_refused(vocabulary):
    with pytest.raises(TexError, match=r"declared as H\(\\hat\{y\}, q\)"):
        read(vocabulary, r"H(x, q)")  # a scalar for a vector
    with pytest.raises(TexError, match=r"declared as \\text\{softmax\}\(z\)"):
        read(vocabulary, r"\text{softmax}_j(\mathbf{v})")  # an entry-wise definition


def test_a_definition_of_vectors_applied_to_other_vectors_is_its_formula(vocabulary):
    n = names(vocabulary)
    found = read(vocabulary, r"H(q, q)")
    assert n["yhat"] not in found.atoms(IndexedBase) and n["q"] in found.atoms(IndexedBase)


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
    assert meaning(vocabulary, r"\sum_{k}^{K-1} z_k") == Sum(
        n["z"][n["k"]], (n["k"], 1, n["K"] - 1)
    )
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


# -- a link's translation is a pure function of its document and notation ------------

CHAIN = r"""# The chain rule through softmax, with a product of a row and a matrix

```derivs
[dimensions]
n = 1

[indices]
"i j k" = "n"

[vectors]
z = "n"
'\mathbf{y}' = { length = "n", kind = "one-hot", at = "k" }

[definitions]
'a_i' = '\frac{e^{z_i}}{\sum_{j=1}^{n} e^{z_j}}'
l = '-\log a_k'
```

$$
\frac{\partial l}{\partial \mathbf z} = \frac{\partial l}{\partial \mathbf a}
  \frac{\partial \mathbf a}{\partial \mathbf z} = \mathbf a - \mathbf y
$$

A wrong sign, refuted:

$$
\frac{\partial l}{\partial \mathbf a}\frac{\partial \mathbf a}{\partial \mathbf z}
  = \mathbf a + \mathbf y
$$
"""


def _documents(tmp_path):
    """(path, notation) of documents with matrix products and refuted links."""
    from tests.seeds import NOTATIONS, seed_paths

    chain = tmp_path / "chain.md"
    chain.write_text(CHAIN, encoding="utf-8")
    layer = Path(__file__).parent / "documents" / "linear_layer.tex"
    found: list[tuple[Path, str | None]] = [(chain, None), (layer, None)]
    seeds = [p for p in seed_paths() if p.name.startswith("000")]
    found += [(p, (NOTATIONS / "000.toml").read_text(encoding="utf-8")) for p in seeds]
    return found


def _read_and_check(documents, jobs):
    """Each document read in this process in the given order, then checked with ``jobs``."""
    from derivs import CheckOptions
    from derivs.cache import link_key
    from derivs.checker import check_derivations

    derivations = [
        read_document(str(path), path.read_text(encoding="utf-8"), notation, "notation")
        for path, notation in documents
    ]
    options = CheckOptions(jobs=jobs, isolate=jobs > 1)
    results = check_derivations(derivations, options)
    found = {}
    for result in results:
        context, links = result.derivation.context, result.links
        keys = [
            link_key(r.link, context, options.search, "v")
            for r in links
            if isinstance(r.link, Link)
        ]
        found[result.derivation.name] = (
            keys,
            [(r.number, r.verdict.counterexample) for r in links if r.verdict.counterexample],
        )
    return found


def test_the_same_document_gives_the_same_keys_and_counterexamples_whatever_came_before(
    tmp_path,
):
    documents = _documents(tmp_path)
    first = _read_and_check(documents, jobs=1)
    again = _read_and_check(documents[::-1], jobs=2)
    assert first == again
    assert first["chain"][1], "the wrong sign must be refuted with a counterexample"
    assert first["linear_layer"][1]


def test_a_bound_index_is_never_merged_into_a_word():
    vocabulary = read_notation('[dimensions]\nn = 1\n\n[scalars]\nx = "real"\n', "n").vocabulary
    by_juxtaposition = read(vocabulary, r"\sum_{l=1}^{n} l n")
    assert by_juxtaposition == read(vocabulary, r"\sum_{l=1}^{n} l \cdot n")
    (variable,) = by_juxtaposition.variables
    assert variable.name == "l"
    assert read(vocabulary, r"\sum_{l=1}^{n} l n x").function.has(variable)
    assert read(vocabulary, r"l n x") == log(Symbol("x", real=True))


# -- faithful claims: each side as written, and the slips evaluation would hide -------

SLIPS = r"""# Lines whose slips SymPy's evaluation would hide

```derivs
[dimensions]
K = 1

[indices]
"i j k" = "K"

[scalars]
x = "real"

[vectors]
z = "K"
```
"""


def _checked(*displays: str):
    from derivs import CheckOptions, check_derivation

    text = SLIPS + "".join(f"\n$$\n{display}\n$$\n" for display in displays)
    derivation = read_document("slips.md", text)
    return check_derivation(derivation, CheckOptions(isolate=False)).links


@pytest.mark.parametrize(
    ("display", "message"),
    [
        (r"\frac{\delta_{ij}}{\delta_{ij}} = 1", r"divides by .*which is 0 at K = 2, i = 1, j = 2"),
        (r"\frac{x}{x} = 1", r"divides by x, which nothing shows is nonzero"),
        (r"0 \cdot \frac{1}{x} = 0", r"divides by x, which nothing shows is nonzero"),
        (r"0 \cdot \frac{1}{0} = 0", r"undefined"),
        (r"z_i - z_i \frac{x}{x} = 0", r"divides by x"),
        (r"\frac{x + 1}{x + 1} \cdot 0 = 0", r"divides by x \+ 1"),
        (r"\log x - \log x = 0", r"takes the log of x, which nothing shows is nonzero"),
        (r"0 \cdot \log(x) = 0", r"takes the log of x"),
        (r"\log \delta_{ij} - \log \delta_{ij} = 0", r"log of .*which is 0 at"),
    ],
)
def test_a_slip_that_evaluation_hides_is_never_proved(display, message):
    (result,) = _checked(display)
    assert result.verdict.status.value == "error", result.verdict
    assert re.search(message, result.verdict.message), result.verdict.message


@pytest.mark.parametrize(
    "display",
    [
        r"\frac{e^{z_i}}{e^{z_i}} = 1",  # cancelled, but e^{z_i} is never 0
        r"\frac{x}{x^2} = \frac{1}{x}",  # x stays a divisor: equal wherever defined
        r"\log e^{z_i} - \log e^{z_i} = 0",  # cancelled, but e^{z_i} is never 0
    ],
)
def test_a_divisor_shown_nonzero_or_kept_by_evaluation_is_proved(display):
    (result,) = _checked(display)
    assert result.verdict.status.value == "proved", result.verdict


def test_a_kronecker_delta_over_itself_is_fine_in_the_case_that_makes_it_one():
    from derivs import CheckOptions, check_derivation

    text = SLIPS + "\nWhen $i = j$:\n\n$$\n\\frac{\\delta_{ij}}{\\delta_{ij}} = 1\n$$\n"
    derivation = read_document("case.md", text)
    (result,) = check_derivation(derivation, CheckOptions(isolate=False)).links
    assert isinstance(result.link, Link) and result.link.condition, "i = j from the sentence"
    assert result.verdict.status.value == "proved", result.verdict


def _seed_003_links(line: int):
    """(the JSON's claim, the sides checked as text, the JSON's latex, the verdict) at ``line``."""
    from derivs.report import claim_latex, claim_text
    from derivs.text import text
    from tests.seeds import checked_seeds, seed_paths

    if not seed_paths():
        pytest.skip("the seed documents are not next to the repository")
    (seed,) = [r for r in checked_seeds() if r.derivation.name.startswith("003")]
    return [
        (
            " ".join(claim_text(r).split()),
            f"{text(r.link.lhs)} = {text(r.link.rhs)}",
            claim_latex(r),
            r.verdict.status.value,
        )
        for r in seed.links
        if isinstance(r.link, Link) and r.link.location is not None and r.link.location.line == line
    ]


def test_seed_003_line_130_keeps_the_product_the_author_wrote():
    ((claim, checked, latex, verdict),) = _seed_003_links(130)
    assert claim.endswith(r"e^{z_i} \times e^{z_i} } {(\sum)^2}")
    assert checked == "∂σ_i/∂z_j = (e^z_i·Σ - e^z_i·e^z_i)/Σ^2"
    assert latex == (
        r"\frac{\partial {\sigma}_{i}}{\partial {z}_{j}} = \frac{e^{{z}_{i}} \cdot \Sigma - "
        r"e^{{z}_{i}} \cdot e^{{z}_{i}}}{\Sigma^{2}}"
    )
    assert verdict == "proved"


def test_seed_003_line_139_keeps_the_factor_that_cancels():
    found = _seed_003_links(139)
    assert found[1][0] == (
        r"- \frac{1}{\sigma_i(z)} \times \sigma_i(z) (1 - \sigma_i(z)) = \sigma_i(z) - 1"
    )
    assert [checked for _, checked, _, _ in found] == [
        "∂L_i/∂σ_i*∂σ_i/∂s_j = -1/σ_i·σ_i·(1 - σ_i)",
        "-1/σ_i·σ_i·(1 - σ_i) = σ_i - 1",
    ]
    assert found[1][2] == (
        r"- \frac{1}{{\sigma}_{i}} \cdot {\sigma}_{i} \cdot \left(1 - {\sigma}_{i}\right)"
        r" = {\sigma}_{i} - 1"
    )
    assert [verdict for _, _, _, verdict in found] == ["refuted", "proved"]


def test_seed_003_line_153_keeps_the_zero_term_and_both_quotients():
    ((claim, checked, latex, _),) = _seed_003_links(153)
    assert claim.startswith(r"\frac {0 \times \sum - e^{z_i} \times e^{z_j} } {(\sum)^2}")
    assert checked == "(0·Σ - e^z_i·e^z_j)/Σ^2 = -(e^z_i/Σ)·(e^z_j/Σ)"
    assert latex == (
        r"\frac{0 \cdot \Sigma - e^{{z}_{i}} \cdot e^{{z}_{j}}}{\Sigma^{2}} = "
        r"- \left(\frac{e^{{z}_{i}}}{\Sigma}\right) \cdot \left(\frac{e^{{z}_{j}}}{\Sigma}\right)"
    )


@pytest.mark.parametrize(
    ("text", "made"),
    [(r"i \leq j", Le), (r"i \le j", Le), (r"i \equiv j", Eq), (r"i \not= j", Ne)],
)
def test_a_relation_is_read_by_the_one_table_of_signs(vocabulary, text, made):
    n = names(vocabulary)
    left, sign, right = parse(tokens(text)).children
    relation = Translator(vocabulary).relation(Tree("relation", [left, sign, right]))
    assert type(relation) is made
    assert (relation.lhs, relation.rhs) == (n["i"], n["j"])
