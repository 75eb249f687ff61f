"""Reading ``python -X importtime``'s report: which modules a run imported.

Each line of the report (on stderr) is ``import time: self | cumulative | name``,
the name indented by its depth in the import tree.
"""

from __future__ import annotations


def imported_modules(report: str) -> set[str]:
    """The modules named in an importtime report."""
    return {
        line.rsplit("|", 1)[1].strip()
        for line in report.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }


def imports_sympy(modules: set[str]) -> bool:
    return any(name == "sympy" or name.startswith("sympy.") for name in modules)
