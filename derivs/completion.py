"""Shell completion of a TARGET: the names of the library's derivations, and paths.

click's shell completion (``_DERIVS_COMPLETE=bash_source derivs``, and zsh and
fish alike) asks a parameter for the candidates of the word being typed.  A
TARGET is a library derivation's name or a file or folder, so both are offered:
first a request that the shell complete the word as a path, then the names
that start with it.  A word that is already a path (it holds a ``/`` or starts
with ``.`` or ``~``) is completed as a path only, without building the library.
"""

from __future__ import annotations

import os

import click
from click.shell_completion import CompletionItem

#: How a word that can only be a path begins or what it holds.
PATH_STARTS = (".", "~")
PATH_SEPARATORS = tuple({os.sep, "/"})


def is_a_path(word: str) -> bool:
    """Whether ``word`` can only be a path, never a derivation's name."""
    return word.startswith(PATH_STARTS) or any(sep in word for sep in PATH_SEPARATORS)


def complete_target(
    context: click.Context, parameter: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The candidates for a TARGET that begins with ``incomplete``."""
    as_path = CompletionItem(incomplete, type="file")
    if is_a_path(incomplete):
        return [as_path]
    from derivs.proofs import LIBRARY

    names = [
        CompletionItem(found.name, help=found.title)
        for found in LIBRARY
        if found.name.startswith(incomplete)
    ]
    return [as_path, *names]
