"""Paths as reports show them: relative to a base folder, else absolute.

A report names the file of each link so that a reader (a person, an editor,
a CI service) can open it.  A path below the base folder (the current one,
or for GitHub the workspace) is shown relative to it, whatever form it was
given in; a path outside the base is shown absolute, never as ``../..``,
which would depend on where the reader stands.  Writing a report creates
the folder it goes into, as pytest does for ``--junitxml``.
"""

from __future__ import annotations

import os
from pathlib import Path


def shown_path(path: str, base: str | None = None) -> str:
    """``path`` relative to ``base`` (default: the current folder) if below it, else absolute."""
    absolute = os.path.abspath(path)
    root = os.path.abspath(base) if base else os.getcwd()
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive (Windows)
        return absolute
    return absolute if relative == ".." or relative.startswith(".." + os.sep) else relative


def write_text(path: str, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path``, creating its folder when it is missing."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
