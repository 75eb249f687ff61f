"""The installed version of derivs (part of every cache key and report)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("derivs")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
