"""Source text of derivation files, as users write them, for the front-end tests."""

from __future__ import annotations

from pathlib import Path

#: A softmax notation: K classes, indices i, j, k, logits z, S and a.
SOFTMAX_HEADER = """
from sympy import Derivative as D, Ne, Sum, exp
from derivs import Notation, derivation, step, then

n = Notation()
K = n.dimension("K")
i, j, k = n.indices("i j k", K)
z = n.vector("z", K)
S = n.define("S", Sum(exp(z[k]), (k, 1, K)))
a = n.define_vector("a", i, exp(z[i]) / S)
"""

#: A derivation file of one wrong step: its sign is flipped, so it is refuted.
WRONG_STEP = (
    SOFTMAX_HEADER
    + """
WRONG = derivation(
    "wrong",
    "A wrong step",
    n.context(),
    step(D(a[i], z[j]), then(a[i] * a[j], "sign flipped"), case=Ne(i, j)),
)
"""
)


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path: text) below ``root``; ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
