"""The softmax Jacobian: the diagonal, the off-diagonal, the Kronecker form and the matrix.

Catalog items 5 to 8.  Every document splits ``d a_i / d z_j`` into the cases
``i = j`` and ``i != j``; each route is encoded as the document writes it
(001 factors ``e^{z_i}(S - e^{z_i}) / S^2``, 000 and 003 go through
``a_i - a_i^2``, 004 ends at ``y_i (1 - y_j)``).  001 and 002 merge the cases
into ``a_i (delta_ij - a_j)``; 000 prints the whole matrix, one entry of
which has lost its minus sign.
"""

from __future__ import annotations

from sympy import Eq, Expr, Ge, KroneckerDelta, Ne, exp

from derivs import D, Notation, Step, derivation, step, then

from ._softmax import declare_softmax, minus, over, times
from .sources import DOC_000, DOC_001, DOC_002, DOC_003, DOC_004

# -- document 000 --------------------------------------------------------------------

_n0 = Notation()
_s0 = declare_softmax(_n0, classes="n", normaliser=None)
_a0, _z0, _n, _i0, _j0, _sum0 = _s0.output, _s0.z, _s0.classes, _s0.i, _s0.j, _s0.normaliser

JACOBIAN_CASES_000 = derivation(
    "000-jacobian-cases",
    r"$\partial a_i / \partial z_j$ when $i = j$ and when $i \neq j$",
    _n0.context(),
    step(
        D(_a0[_i0], _z0[_j0]),
        then(
            D(exp(_z0[_i0]) / _sum0, _z0[_j0]), r"$a_i = e^{z_i} / \sum e^{z_k}$", rule="definition"
        ),
        then(
            (times(exp(_z0[_i0]), _sum0) - times(exp(_z0[_i0]), exp(_z0[_i0]))) / _sum0**2,
            "quotient rule",
            rule="quotient rule",
        ),
        then(_a0[_i0] - _a0[_i0] ** 2, "split the fraction", rule="algebra"),
        then(_a0[_i0] * (1 - _a0[_i0]), "factor out $a_i$", rule="algebra"),
        case=Eq(_i0, _j0),
        title="when $i = j$",
    ),
    step(
        D(_a0[_i0], _z0[_j0]),
        then(
            D(exp(_z0[_i0]) / _sum0, _z0[_j0]), r"$a_i = e^{z_i} / \sum e^{z_k}$", rule="definition"
        ),
        then(
            over(minus(0, times(exp(_z0[_i0]), exp(_z0[_j0]))), _sum0**2),
            "quotient rule",
            rule="quotient rule",
        ),
        then(-_a0[_i0] * _a0[_j0], "definition of $a$", rule="definition"),
        case=Ne(_i0, _j0),
        title=r"when $i \neq j$",
    ),
    sources=(DOC_000,),
)


def _entry(row: Expr | int, column: Expr | int, value: Expr, why: str, erratum: str = "") -> Step:
    """One printed entry of the matrix; rows and columns 1, 2 and n need n >= 3."""
    return step(D(_a0[row], _z0[column]), then(value, why, erratum=erratum or None), case=Ge(_n, 3))


_one, _two = 1, 2
JACOBIAN_MATRIX_000 = derivation(
    "000-jacobian-matrix",
    r"The matrix $\partial a / \partial z = \operatorname{diag}(a) - a a^\top$, "
    "entry by entry as printed",
    _n0.context(),
    step(
        D(_a0[_i0], _z0[_j0]),
        then(
            KroneckerDelta(_i0, _j0) * _a0[_i0] - _a0[_i0] * _a0[_j0],
            r"entry $(i, j)$ of $\operatorname{diag}(a) - a a^\top$",
        ),
    ),
    _entry(_one, _one, _a0[1] * (1 - _a0[1]), "row 1: $a_1(1 - a_1)$"),
    _entry(_one, _two, -_a0[1] * _a0[2], "row 1: $-a_1 a_2$"),
    _entry(_one, _n, -_a0[1] * _a0[_n], "row 1: $-a_1 a_n$"),
    _entry(_two, _one, -_a0[2] * _a0[1], "row 2: $-a_2 a_1$"),
    _entry(_two, _two, _a0[2] * (1 - _a0[2]), "row 2: $a_2(1 - a_2)$"),
    _entry(_two, _n, -_a0[2] * _a0[_n], "row 2: $-a_2 a_n$"),
    _entry(_n, _one, -_a0[_n] * _a0[1], "row $n$: $-a_n a_1$"),
    _entry(
        _n,
        _two,
        _a0[_n] * _a0[2],
        "row $n$: $a_n a_2$, as printed",
        erratum="the minus sign of entry (n, 2) is lost",
    ),
    _entry(_n, _two, -_a0[_n] * _a0[2], "row $n$: $-a_n a_2$, corrected"),
    _entry(_n, _n, _a0[_n] * (1 - _a0[_n]), "row $n$: $a_n(1 - a_n)$"),
    sources=(DOC_000,),
    description=(
        "The printed matrix shows rows 1, 2 and n and columns 1, 2 and n, so n >= 3 is "
        "assumed for those entries; the ellipsis entries are covered by entry (i, j)."
    ),
)

# -- document 001 --------------------------------------------------------------------

_n1 = Notation()
_s1 = declare_softmax(_n1)
_S, _a, _z, _i, _j = _s1.normaliser, _s1.output, _s1.z, _s1.i, _s1.j
_e_i = exp(_z[_i])

DIAGONAL_001 = derivation(
    "001-jacobian-diagonal",
    r"Step 3: $\partial a_i / \partial z_i = a_i (1 - a_i)$",
    _n1.context(),
    step(
        D(_a[_i], _z[_i]),
        then(
            (D(_e_i, _z[_i]) * _S - _e_i * D(_S, _z[_i])) / _S**2,
            "quotient rule with $u = e^{z_i}$, $v = S$",
            rule="quotient rule",
        ),
        then(
            (times(_e_i, _S) - times(_e_i, _e_i)) / _S**2,
            "$u' = e^{z_i}$, $v' = e^{z_i}$",
            rule="exp derivative",
        ),
        then(_e_i * (_S - _e_i) / _S**2, "factor out $e^{z_i}$", rule="algebra"),
        then(
            times(_e_i / _S, (_S - _e_i) / _S),
            "divide by $S$ and split into two terms",
            rule="algebra",
        ),
        then(
            _a[_i] * (1 - _a[_i]),
            "$a_i = e^{z_i}/S$ and $(S - e^{z_i})/S = 1 - a_i$",
            rule="definition",
        ),
    ),
    step(
        (_S - _e_i) / _S,
        then(1 - _e_i / _S, "split the fraction", rule="algebra"),
        then(1 - _a[_i], "definition of $a_i$", rule="definition"),
    ),
    sources=(DOC_001,),
)

OFF_DIAGONAL_001 = derivation(
    "001-jacobian-off-diagonal",
    r"Step 4: $\partial a_i / \partial z_j = -a_i a_j$ for $i \neq j$",
    _n1.context(),
    step(
        D(_a[_i], _z[_j]),
        then(
            (D(_e_i, _z[_j]) * _S - _e_i * D(_S, _z[_j])) / _S**2,
            "quotient rule",
            rule="quotient rule",
        ),
        then(
            over(minus(times(0, _S), times(_e_i, exp(_z[_j]))), _S**2),
            r"the numerator does not contain $z_j$; $\partial S/\partial z_j = e^{z_j}$",
            rule="exp derivative",
        ),
        then(-_e_i * exp(_z[_j]) / _S**2, "simplify the numerator", rule="algebra"),
        then(-times(_e_i / _S, exp(_z[_j]) / _S), "recombine the terms", rule="algebra"),
        then(-_a[_i] * _a[_j], "$a_i = e^{z_i}/S$ and $a_j = e^{z_j}/S$", rule="definition"),
        case=Ne(_i, _j),
    ),
    sources=(DOC_001,),
)

_delta = KroneckerDelta(_i, _j)
KRONECKER_001 = derivation(
    "001-jacobian-kronecker",
    r"Step 5: the two cases as $a_i (\delta_{ij} - a_j)$",
    _n1.context(),
    step(D(_a[_i], _z[_j]), then(_a[_i] * (_delta - _a[_j]), "a complete, concise formula")),
    step(
        _a[_i] * (_delta - _a[_j]),
        then(_a[_i] * (1 - _a[_j]), r"$\delta_{ij} = 1$ when $i = j$", rule="Kronecker delta"),
        then(_a[_i] * (1 - _a[_i]), "i.e. $a_i (1 - a_i)$", rule="case"),
        case=Eq(_i, _j),
    ),
    step(
        _a[_i] * (_delta - _a[_j]),
        then(
            times(_a[_i], minus(0, _a[_j])),
            r"$\delta_{ij} = 0$ when $i \neq j$",
            rule="Kronecker delta",
        ),
        then(-_a[_i] * _a[_j], "$= -a_i a_j$", rule="algebra"),
        case=Ne(_i, _j),
    ),
    sources=(DOC_001,),
)

# -- document 002 --------------------------------------------------------------------

_n2 = Notation()
_s2 = declare_softmax(_n2, output="y", indices="k i j")
_y2, _z2, _k2, _i2 = _s2.output, _s2.z, _s2.i, _s2.j

KRONECKER_002 = derivation(
    "002-jacobian-kronecker",
    r"Appendix: $\partial y_k / \partial z_i$ in the cases $k = i$ and $k \neq i$, "
    r"then $1\{k = i\}$",
    _n2.context(),
    step(
        D(_y2[_k2], _z2[_i2]),
        then(_y2[_i2] * (1 - _y2[_i2]), "quotient rule", rule="quotient rule"),
        case=Eq(_k2, _i2),
    ),
    step(
        D(_y2[_k2], _z2[_i2]),
        then(
            -_y2[_k2] * _y2[_i2],
            "quotient rule; the numerator does not depend on $z_i$",
            rule="quotient rule",
        ),
        case=Ne(_k2, _i2),
    ),
    step(
        D(_y2[_k2], _z2[_i2]),
        then(
            _y2[_k2] * (KroneckerDelta(_k2, _i2) - _y2[_i2]),
            "wrap the two cases up",
            rule="Kronecker delta",
        ),
    ),
    sources=(DOC_002,),
    description=(
        "The document's equations did not survive; its words give each step. Its appendix "
        "writes the sum as sum_{j=1}^J while the classes number K: a change of name."
    ),
)

# -- document 003 --------------------------------------------------------------------

_n3 = Notation()
_s3 = declare_softmax(_n3, output="sigma", normaliser="Sigma")
_sg, _z3, _Sg, _i3, _j3 = _s3.output, _s3.z, _s3.normaliser, _s3.i, _s3.j
_e3 = exp(_z3[_i3])

JACOBIAN_003 = derivation(
    "003-jacobian-cases",
    r"$\partial \sigma_i / \partial z_j$: same ($i = j$) and different ($i \neq j$)",
    _n3.context(),
    step(
        D(_sg[_i3], _z3[_j3]),
        then((times(_e3, _Sg) - times(_e3, _e3)) / _Sg**2, "quotient rule", rule="quotient rule"),
        then(_e3 / _Sg - times(_e3 / _Sg, _e3 / _Sg), "split the fraction", rule="algebra"),
        then(_sg[_i3] * (1 - _sg[_i3]), r"definition of $\sigma_i$", rule="definition"),
        case=Eq(_i3, _j3),
        title="1. Same: $i = j$",
    ),
    step(
        D(_sg[_i3], _z3[_j3]),
        then(
            over(minus(times(0, _Sg), times(_e3, exp(_z3[_j3]))), _Sg**2),
            "quotient rule",
            rule="quotient rule",
        ),
        then(-times(_e3 / _Sg, exp(_z3[_j3]) / _Sg), "split the fraction", rule="algebra"),
        then(-_sg[_i3] * _sg[_j3], r"definition of $\sigma$", rule="definition"),
        case=Ne(_i3, _j3),
        title=r"2. Different: $i \neq j$",
    ),
    sources=(DOC_003,),
)

# -- document 004 --------------------------------------------------------------------

_n4 = Notation()
_s4 = declare_softmax(_n4, classes="m", output="y", indices="i j t", normaliser=None)
_y4, _z4, _i4, _j4, _sum4 = _s4.output, _s4.z, _s4.i, _s4.j, _s4.normaliser
_e4 = exp(_z4[_i4])

JACOBIAN_004 = derivation(
    "004-jacobian-cases",
    r"Equations (3) and (4): $\partial y_i / \partial z_j$ in the two cases",
    _n4.context(),
    step(
        D(_y4[_i4], _z4[_j4]),
        then(D(_e4 / _sum4, _z4[_j4]), "(2)", rule="definition"),
        then(
            (times(_e4, _sum4) - times(_e4, exp(_z4[_j4]))) / _sum4**2,
            "quotient rule",
            rule="quotient rule",
        ),
        then(_e4 / _sum4 - times(_e4 / _sum4, exp(_z4[_j4]) / _sum4), "split", rule="algebra"),
        then(_y4[_i4] * (1 - _y4[_j4]), "(3)", rule="definition"),
        case=Eq(_i4, _j4),
        title="(3) $i = j$",
    ),
    step(
        _y4[_i4] * (1 - _y4[_j4]),
        then(_y4[_i4] * (1 - _y4[_i4]), "also $y_i (1 - y_i)$, since $i = j$", rule="case"),
        then(_y4[_j4] * (1 - _y4[_j4]), "or $y_j (1 - y_j)$", rule="case"),
        case=Eq(_i4, _j4),
    ),
    step(
        D(_y4[_i4], _z4[_j4]),
        then(D(_e4 / _sum4, _z4[_j4]), "(2)", rule="definition"),
        then(
            over(minus(times(0, _sum4), times(_e4, exp(_z4[_j4]))), _sum4**2),
            "quotient rule",
            rule="quotient rule",
        ),
        then(-times(_e4 / _sum4, exp(_z4[_j4]) / _sum4), "split", rule="algebra"),
        then(-_y4[_i4] * _y4[_j4], "(4)", rule="definition"),
        case=Ne(_i4, _j4),
        title=r"(4) $i \neq j$",
    ),
    sources=(DOC_004,),
)

DERIVATIONS = (
    JACOBIAN_CASES_000,
    JACOBIAN_MATRIX_000,
    DIAGONAL_001,
    OFF_DIAGONAL_001,
    KRONECKER_001,
    KRONECKER_002,
    JACOBIAN_003,
    JACOBIAN_004,
)
