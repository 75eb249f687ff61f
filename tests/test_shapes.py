"""Vectors and matrices compared entry by entry; written cells placed around their ellipses."""

from __future__ import annotations

import pytest
from sympy import Eq, Ge, IndexedBase, Integer, Ne, S, Sum, Symbol

from derivs.errors import DerivsError
from derivs.read.claims import claims, place
from derivs.read.shapes import Array, Dots, Written, add, column, dot, multiply, negate, row

n = Symbol("n", integer=True, positive=True)
k = Symbol("k", integer=True, positive=True)
i = Symbol("i", integer=True, positive=True)
a = IndexedBase("a")
DOTS = Dots(r"\cdots")


def entry_index(size, taken):
    return i


def test_cells_before_and_after_the_ellipsis_count_from_each_end():
    placed = place([a[1], a[2], DOTS, a[n]], n)
    assert [p.position for p in placed if not isinstance(p.cell, Dots)] == [1, 2, n]
    assert placed[0].condition == (Ge(n, 3),)


def test_a_cell_between_ellipses_sits_at_its_index_and_is_distinct_from_the_rest():
    placed = place([a[1], DOTS, a[k], DOTS, a[n]], n)
    assert placed[2].position == k
    assert set(placed[0].condition) == {Ge(n, 2), Ne(k, 1), Ne(k, n)}


def test_a_list_without_ellipsis_fixes_the_length():
    placed = place([a[1], a[2], a[3]], n)
    assert all(p.condition == (Eq(n, 3),) for p in placed)


def test_a_middle_cell_without_one_index_is_an_error():
    with pytest.raises(DerivsError, match="position"):
        place([a[1], DOTS, Integer(0), DOTS, a[n]], n)


def test_a_written_vector_against_a_vector_is_a_claim_per_cell_and_a_skip_per_ellipsis():
    vector = column(n, lambda r: a[r])
    found = claims(vector, Written(((a[1], DOTS, a[n]),)), entry_indices=entry_index)
    assert [(c.lhs, c.rhs, bool(c.skip)) for c in found] == [
        (a[1], a[1], False),
        (S.Zero, S.Zero, True),
        (a[n], a[n], False),
    ]


def test_two_arrays_compare_at_a_generic_entry():
    found = claims(
        column(n, lambda r: a[r]), column(n, lambda r: 2 * a[r]), entry_indices=entry_index
    )
    assert [(c.lhs, c.rhs) for c in found] == [(a[i], 2 * a[i])]


def test_a_gradient_row_compares_with_a_column_entry_by_entry():
    gradient = row(n, lambda c: 2 * a[c], gradient=True)
    for left, right in (
        (column(n, lambda r: a[r]), gradient),
        (gradient, column(n, lambda r: a[r])),
    ):
        found = claims(left, right, entry_indices=entry_index)
        assert len(found) == 1


def test_a_scaled_or_transposed_gradient_is_still_a_gradient():
    gradient = row(n, lambda c: a[c], gradient=True)
    assert negate(gradient).gradient and gradient.transpose().gradient  # type: ignore[union-attr]
    assert add(gradient, row(n, lambda c: a[c])).gradient  # type: ignore[union-attr]


def test_a_column_is_not_its_transpose():
    vector = column(n, lambda r: a[r])
    with pytest.raises(DerivsError, match="column of n is compared with a row of n"):
        claims(vector, vector.transpose(), entry_indices=entry_index)


def test_a_row_times_a_column_is_a_scalar_sum():
    product = multiply(row(n, lambda c: a[c]), column(n, lambda r: a[r]))
    assert isinstance(product, Sum) and product.function == a[product.variables[0]] ** 2
    assert product.limits[0][1:] == (1, n)


def test_a_dot_between_two_vectors_alike_is_their_dot_product():
    b = IndexedBase("b")
    product = dot(column(n, lambda r: a[r]), column(n, lambda r: b[r]))
    assert (
        isinstance(product, Sum)
        and product.function == a[product.variables[0]] * b[product.variables[0]]
    )
    assert dot(row(n, lambda c: a[c]), row(n, lambda c: b[c])) == product
    assert dot(Integer(2), a[k]) == 2 * a[k]  # of scalars, a product
    with pytest.raises(DerivsError, match="inner sizes differ"):
        dot(column(n, lambda r: a[r]), column(k, lambda r: b[r]))  # lengths differ: no dot
    matrix = Array(n, n, lambda r, c: a[r] * b[c])
    assert isinstance(dot(row(n, lambda c: a[c]), matrix), Array)  # a row times a matrix


def test_a_scalar_against_a_vector_is_an_error():
    with pytest.raises(DerivsError, match="scalar"):
        claims(a[1], column(n, lambda r: a[r]), entry_indices=entry_index)


def test_a_written_number_beside_a_vector_is_added_to_every_entry():
    vector = column(n, lambda r: a[r])
    spread = add(Integer(1), negate(vector))
    assert isinstance(spread, Array) and spread.rows == n
    assert claims(spread, column(n, lambda r: 1 - a[r]), entry_indices=entry_index)


def test_only_zero_is_added_to_a_matrix_and_no_name_to_a_vector():
    matrix = Array(n, n, lambda r, c: a[r] * a[c])
    with pytest.raises(DerivsError, match="identity"):
        add(matrix, Integer(1))
    assert isinstance(add(matrix, Integer(0)), Array)
    with pytest.raises(DerivsError, match="scalar and a vector"):
        add(column(n, lambda r: a[r]), k)


def test_a_written_zero_is_the_zero_array_of_its_partner():
    found = claims(column(n, lambda r: a[r] - a[r]), Integer(0), entry_indices=entry_index)
    assert [(c.lhs, c.rhs) for c in found] == [(0, 0)]
    with pytest.raises(DerivsError, match="scalar"):
        claims(column(n, lambda r: a[r]), Integer(1), entry_indices=entry_index)
