"""The vector of ones sized by its neighbours, and indicators written three ways."""

from __future__ import annotations

import pytest

from derivs import Status
from tests.test_read_calculus import error, proved, refuted, verdict


@pytest.mark.parametrize(
    ("correct", "wrong"),
    [
        (r"\mathbf{1}^\top t = 1", r"\mathbf{1}^\top t = 0"),
        (r"t^\top \mathbf{1} = 1", r"t^\top \mathbf{1} = t_c + 1"),
        (r"\mathbf{1}^\top z = \sum_{k=1}^{K} z_k", r"\mathbf{1}^\top z = z_c"),
        (r"(z - x\mathbf{1})_i = z_i - x", r"(z - x\mathbf{1})_i = z_i"),
        (r"(A + \mathbf{1} w^\top)_{ij} = A_{ij} + w_j", r"(A + \mathbf{1} w^\top)_{ij} = A_{ij}"),
    ],
)
def test_a_vector_of_ones_takes_the_length_its_neighbours_force(correct, wrong):
    proved(correct)
    refuted(wrong)


def test_a_vector_of_ones_with_no_neighbour_to_size_it_is_an_error_never_the_number_one():
    error(r"\mathbf{1} = z", "the length of the vector of ones")
    error(r"x \mathbf{1} = x", "the length of the vector of ones")


def test_a_blackboard_one_without_a_condition_is_the_vector_of_ones_never_the_number_one():
    # \mathbb{1}^\top is the vector of ones, so \mathbb{1} alone is too: x \mathbb{1} is not x
    error(r"\mathbb{1} = 1", "the length of the vector of ones")
    error(r"x \mathbb{1} = x", "the length of the vector of ones")
    proved(r"(z - x \mathbb{1})_i = z_i - x")
    proved(r"(A \mathbb{1})_i = \sum_k A_{ik}")
    proved(r"\sum_k \mathbb{1}\{k = c\} z_k = z_c")


@pytest.mark.parametrize(
    ("correct", "wrong"),
    [
        (r"\mathbb{1}[k = c] = t_k", r"\mathbb{1}[k = c] = 1 - t_k"),
        (r"\mathbb{1}\{k = c\} = t_k", r"\mathbb{1}\{k = c\} = 0"),
        (r"[\![k = c]\!] = \delta_{kc}", r"[\![k \neq c]\!] = \delta_{kc}"),
        (r"\sum_{k=1}^{K} [\![k = c]\!] z_k = z_c", r"\sum_{k=1}^{K} [\![k = c]\!] z_k = z_k"),
    ],
)
def test_an_indicator_is_exact(correct, wrong):
    proved(correct)
    refuted(wrong)


def test_a_bare_condition_in_brackets_says_how_to_write_an_indicator():
    error(r"[k = c] = \delta_{kc}", "write \\mathbb{1}[k = y]")


def test_an_indicator_of_an_inequality_is_never_refuted_as_a_guess():
    status, _ = verdict(r"\mathbb{1}[x > 0] + \mathbb{1}[x \le 0] = 1")
    assert status is not Status.REFUTED
