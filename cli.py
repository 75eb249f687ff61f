"""Run the ``derivs`` command from a source tree: ``python cli.py check TARGET``.

The command itself is :mod:`derivs.cli`, installed inside the package so that a
user's own ``cli.py`` can never stand in for it; this file only launches it,
through the same entry point as the installed script and ``python -m derivs``.
"""

from __future__ import annotations

from derivs.__main__ import main

if __name__ == "__main__":
    main()
