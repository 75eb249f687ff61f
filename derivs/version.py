"""The installed version of derivs (part of every cache key and report).

Both versions are read from the installed packages' metadata, so asking for
them imports neither the engine nor SymPy: ``derivs --version`` answers at once.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("derivs")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"


def version_line() -> str:
    """What ``derivs --version`` prints: the versions of derivs and of the SymPy it uses."""
    return f"derivs {__version__} (SymPy {version('sympy')})"
