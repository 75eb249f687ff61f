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
    assert written == WrittenProduct(True, (x, Pow(y, -1, evaluate=False)))
    assert (written.numerator, written.denominator, written.is_quotient) == ((x,), (y,), True)
    zero = WrittenProduct.of(Mul(0, x, evaluate=False))
    assert (zero.numerator, zero.denominator) == ((0, x), ())


def test_a_product_of_products_is_one_product_and_a_quotient_stays_a_factor():
    over_y = Mul(x, Pow(y, -1, evaluate=False), evaluate=False)
    inner = Mul(Mul(-1, Pow(y, -1, evaluate=False), evaluate=False), y, evaluate=False)
    written = WrittenProduct.of(Mul(inner, Mul(x, x, evaluate=False), evaluate=False))
    assert written.negative and written.factors == (Pow(y, -1, evaluate=False), y, x, x)
    assert not written.is_quotient  # 1/y comes first: printed in place, as written
    assert WrittenProduct.of(Mul(-1, over_y, over_y, evaluate=False)).factors == (over_y, over_y)


def test_a_power_of_numbers_is_never_computed_to_tell_a_written_product():
    tower = Pow(9, Pow(999, 999, evaluate=False), evaluate=False)
    assert unevaluated(Mul(2, tower, evaluate=False))


def test_terms_join_with_their_own_signs():
    assert joined_terms(["0", "- e", "a"]) == "0 - e + a"
