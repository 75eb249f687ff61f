"""Run the ``derivs`` command from a source tree: ``python cli.py check TARGET``.

The command itself is :mod:`derivs.cli`, installed inside the package so that a
user's own ``cli.py`` can never stand in for it; this file only launches it.
"""

from __future__ import annotations

from derivs.cli import main

if __name__ == "__main__":
    main()
