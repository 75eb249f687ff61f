"""The ``derivs`` command's entry point: the installed script and ``python -m derivs``.

``derivs --version`` is answered here from the installed metadata, before the
command's module is imported: that module imports the engine and SymPy, which
take most of a second.  Every other command line is :mod:`derivs.cli`'s.
"""

from __future__ import annotations

import sys

from derivs.version import version_line

PROGRAM = "derivs"


def main() -> None:
    """Run the command line in ``sys.argv``."""
    if sys.argv[1:] == ["--version"]:
        print(version_line())
        return
    from derivs.cli import main as command

    command(prog_name=PROGRAM)


if __name__ == "__main__":
    main()
