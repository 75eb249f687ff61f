"""Named rules a link can cite as its justification.

A rule names the reasoning an author used for a link ("quotient rule",
"Kronecker contraction").  It is documentation that travels with the link into
every report and into the LaTeX output; it does not change what is checked.
The checker always verifies the *equality* the link states, whatever rule it
cites, so a link that names the right rule but applies it wrongly is still
refuted.  Keeping the rules in one table means a typo in a rule's name is an
error instead of a silently different justification.
"""

from __future__ import annotations

from dataclasses import dataclass

from derivs.errors import DerivsError


@dataclass(frozen=True)
class Rule:
    """A named rule: its name, its statement in LaTeX and what it says."""

    name: str
    statement: str
    description: str


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("definition", r"x := e", "replace a defined name by its definition, or back"),
        Rule("algebra", r"", "rearrange with the field axioms: expand, factor, cancel"),
        Rule(
            "quotient rule",
            r"\left(\frac{u}{v}\right)' = \frac{u'v - uv'}{v^2}",
            "derivative of a quotient of differentiable functions",
        ),
        Rule("product rule", r"(uv)' = u'v + uv'", "derivative of a product"),
        Rule(
            "chain rule",
            r"\frac{\partial L}{\partial z_j} = \sum_i \frac{\partial L}{\partial a_i}"
            r"\frac{\partial a_i}{\partial z_j}",
            "derivative of a composition, summed over the intermediate variables",
        ),
        Rule(
            "sum rule",
            r"\frac{\partial}{\partial x}\sum_k f_k = \sum_k \frac{\partial f_k}{\partial x}",
            "differentiate a sum term by term",
        ),
        Rule("exp derivative", r"\frac{d}{dx} e^x = e^x", "the exponential is its own derivative"),
        Rule(
            "log derivative",
            r"\frac{d}{dx} \log x = \frac{1}{x}",
            "derivative of the natural logarithm",
        ),
        Rule(
            "log laws",
            r"\log \frac{x}{y} = \log x - \log y",
            "logarithm of products and quotients of positives",
        ),
        Rule(
            "Kronecker contraction",
            r"\sum_k f_k \delta_{kj} = f_j",
            "a sum against a Kronecker delta picks one term (j in the sum's range)",
        ),
        Rule(
            "Kronecker delta",
            r"\delta_{ij} = [i = j]",
            "the delta is 1 on the diagonal and 0 off it",
        ),
        Rule("case", r"", "specialise to the link's case (i = j, i != j)"),
        Rule("hypothesis", r"", "use a stated hypothesis such as \\sum_k t_k = 1"),
        Rule("one-hot", r"t_k = \delta_{kc}", "a one-hot target is a Kronecker delta at its class"),
        Rule("evaluation", r"", "compute a number"),
    )
}


def rule_named(name: str) -> Rule:
    """The rule called ``name``; an unknown name is a user mistake."""
    try:
        return RULES[name]
    except KeyError:
        known = ", ".join(sorted(RULES))
        raise DerivsError(f"unknown rule {name!r}; the rules are: {known}") from None
