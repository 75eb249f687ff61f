"""The LaTeX math parser: trees, positions in the document, and bounded bad input."""

from __future__ import annotations

import pytest

from derivs.read.tex import MAX_CHARACTERS, MAX_DEPTH, MAX_TOKENS, Origin, TexError, parse, tokens


def tree_of(text: str):
    return parse(tokens(text))


def test_a_chain_parses_into_its_expressions_and_relations():
    tree = tree_of(r"\frac{\partial a_i}{\partial z_j} = a_i(1 - a_i) \neq a_i")
    relations = [str(c) for c in tree.children if getattr(c, "type", "") == "REL"]
    assert relations == ["=", r"\neq"]
    assert len(tree.children) == 5


def test_tokens_carry_the_line_and_column_of_the_document():
    found = tokens("a_i\n  = b", Origin(line=10, column=5))
    positions = {str(t): (t.line, t.column) for t in found}
    assert positions["a"] == (10, 5)
    assert positions["="] == (11, 3)


def test_the_body_of_a_sum_extends_over_the_product_after_it():
    tree = tree_of(r"\sum_{k=1}^{K} a_k \cdot b_k + c")
    top = tree.children[0]
    assert top.data == "add"
    assert "mul" in {t.data for t in top.children[0].iter_subtrees()}


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        (r"\frac{a}{b", "never closed", 9),
        (r"a + b}", "closes nothing", 6),
        (r"\left( a \right]", "closes '('", 16),
        (r"a + \# b", "unexpected character", 5),
        (r"a = = b", "unexpected '='", 5),
        (r"a +", "unexpected end of the math", 3),
    ],
)
def test_bad_input_is_an_error_naming_line_and_column(text, message, column):
    with pytest.raises(TexError) as raised:
        tree_of(text)
    assert message in str(raised.value)
    assert (raised.value.line, raised.value.column) == (1, column)
    assert str(raised.value).startswith(f"line 1, column {column}: ")


def test_deep_nesting_is_refused_before_parsing():
    text = "{" * (MAX_DEPTH + 1) + "a" + "}" * (MAX_DEPTH + 1)
    with pytest.raises(TexError, match="nested deeper than"):
        tokens(text)
    assert tree_of("{" * MAX_DEPTH + "a" + "}" * MAX_DEPTH) is not None


def test_very_long_math_is_refused():
    with pytest.raises(TexError, match="longer than"):
        tokens("a+" * (MAX_CHARACTERS // 2 + 1))
    with pytest.raises(TexError, match="tokens is longer"):
        tokens("a" * (MAX_TOKENS + 1))


def test_spacing_commands_tags_of_size_and_left_right_are_ignored():
    plain = tree_of("(a + b) c")
    spaced = tree_of(r"\left( a \, + \; b \right) \quad c")
    assert plain == spaced


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        (r"10\,000", "10000"),
        (r"1\ 024", "1024"),
        (r"10~000", "10000"),
        (r"10{,}000", "10000"),
        (r"1\,000\,000", "1000000"),
        (r"12\,345.25", "12345.25"),
    ],
)
def test_digits_in_groups_of_three_are_one_number_where_the_author_wrote_it(text, digits):
    (number,) = tokens(text, Origin(line=3, column=4))
    assert (number.type, number.value) == ("NUMBER", digits)
    assert (number.line, number.column, number.end_column) == (3, 4, 4 + len(text))


def test_a_thin_space_before_a_letter_or_after_a_subscript_digit_is_no_digit_group():
    assert [t.value for t in tokens(r"2\,x")] == ["2", "x"]
    assert [t.value for t in tokens(r"x_1\,000")] == ["x", "_", "1", "000"]


@pytest.mark.parametrize("text", [r"1{,}5", r"12\,34", r"1\,0000", r"2\,3", r"3~14"])
def test_digits_set_apart_not_in_groups_of_three_are_refused_never_guessed(text):
    with pytest.raises(TexError, match="groups of three"):
        tokens(text)


@pytest.mark.parametrize("written", ["x^12", "W_12", "x^1.5", "e^{z}_10"])
def test_a_script_of_several_digits_without_braces_is_an_error(written):
    with pytest.raises(TexError, match="in TeX: write"):
        tokens(written)


def test_a_braced_script_of_several_digits_is_read():
    assert [str(t) for t in tokens("x^{12}")] == ["x", "^", "{", "12", "}"]
