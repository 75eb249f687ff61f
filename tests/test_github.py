"""GitHub Actions annotations, escaped as the toolkit escapes them."""

from __future__ import annotations

from sympy import Derivative, Ne

from derivs import CheckOptions, check_derivation, derivation, step, then
from derivs.github import escape_data, escape_property, github_annotations


def test_escaping_matches_the_toolkit():
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("a:b,c") == "a:b,c"


def test_one_error_line_per_unexpected_verdict_pointing_at_its_line(sm):
    a, z, i, j = sm.a, sm.z, sm.i, sm.j
    d = derivation(
        "gh",
        "GitHub",
        sm.context,
        step(Derivative(a[i], z[j]), then(-a[i] * a[j]), case=Ne(i, j)),
        step(Derivative(a[i], z[j]), then(a[i] * a[j], "wrong"), case=Ne(i, j)),
    )
    result = check_derivation(d, CheckOptions(isolate=False))
    (line,) = github_annotations([result])
    wrong = result.links[1].link
    assert wrong.location is not None
    assert line.startswith(f"::error file=tests/test_github.py,line={wrong.location.line},")
    assert "title=derivs%3A gh link 2 refuted::" in line
    message = line.split("::", 2)[2]
    assert "\n" not in message and "%0A" in message
    assert "counterexample at K = 2" in message


def test_a_cached_verdict_says_so_in_its_annotation(sm):
    from dataclasses import replace

    a, z, i, j = sm.a, sm.z, sm.i, sm.j
    d = derivation(
        "gh", "GitHub", sm.context, step(Derivative(a[i], z[j]), then(a[i] * a[j]), case=Ne(i, j))
    )
    result = check_derivation(d, CheckOptions(isolate=False))
    (link,) = result.links
    cached = replace(result, links=(replace(link, verdict=replace(link.verdict, cached=True)),))
    (line,) = github_annotations([cached])
    assert "verdict served from the cache" in line
