"""The softmax Jacobian, checked: the README's example, runnable as it is."""

from sympy import Eq, Ne, Sum, exp

from derivs import D, Notation, check_derivation, derivation, step, then

# The notation: K classes, logits z, the normaliser S and the softmax a.
n = Notation()
K = n.dimension("K")
i, j, k = n.indices("i j k", K)
z = n.vector("z", K)
S = n.define("S", Sum(exp(z[k]), (k, 1, K)))
a = n.define_vector("a", i, exp(z[i]) / S)

JACOBIAN = derivation(
    "softmax-jacobian",
    "The derivative of the softmax",
    n.context(),
    step(
        D(a[i], z[j]),
        then((exp(z[i]) * S - exp(z[i]) * exp(z[j])) / S**2, "quotient rule", rule="quotient rule"),
        then(a[i] - a[i] ** 2, "split the fraction"),
        then(a[i] * (1 - a[i]), "factor out a_i"),
        case=Eq(i, j),
    ),
    step(
        D(a[i], z[j]),
        then((0 * S - exp(z[i]) * exp(z[j])) / S**2, "quotient rule", rule="quotient rule"),
        then(a[i] * a[j], "definition of a", erratum="the minus sign is lost"),
        case=Ne(i, j),
    ),
)

if __name__ == "__main__":
    result = check_derivation(JACOBIAN)
    for link in result.links:
        verdict = link.verdict
        print(f"link {link.number}: {verdict.status.value:8} {verdict.method}")
        if verdict.counterexample:
            print(f"    counterexample {verdict.counterexample}")
    print("as expected" if not result.unexpected else f"{len(result.unexpected)} unexpected")
