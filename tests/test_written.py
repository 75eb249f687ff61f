"""Written expressions: recognised, and split as an author reads them."""

from __future__ import annotations

from sympy import Add, Mul, Pow, Symbol

from derivs.written import WrittenProduct, joined_terms, unevaluated

x, y = Symbol("x"), Symbol("y")


def test_written_expressions_are_told_from_evaluated_ones():
    assert unevaluated(Mul(0, x, evaluate=False))
    assert unevaluated(Add(0, x, evaluate=False))
    assert not unevaluated(x * y)


def test_a_written_product_splits_into_sign_numerator_and_denominator():
    written = WrittenProduct.of(Mul(-1, x, Pow(y, -1, evaluate=False), evaluate=False))
    assert written == WrittenProduct(True, (x,), (y,))
    assert WrittenProduct.of(Mul(0, x, evaluate=False)) == WrittenProduct(False, (0, x), ())


def test_terms_join_with_their_own_signs():
    assert joined_terms(["0", "- e", "a"]) == "0 - e + a"
