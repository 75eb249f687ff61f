"""The project's configuration: found upwards, every key checked, globs matched."""

from __future__ import annotations

from pathlib import Path

import pytest

from derivs.config import Config, ConfigError, find_config


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_nearest_pyproject_with_a_derivs_table_is_found_from_below(tmp_path):
    project = write(
        tmp_path / "pyproject.toml",
        '[tool.derivs]\npaths = ["notes", "derivations/main.py"]\ntimeout = 5\njobs = 2\n'
        'strict = true\ncache-dir = "build/cache"\nlibrary = true\n',
    )
    # A nearer pyproject.toml without [tool.derivs] (a sub-package) is passed over.
    write(tmp_path / "notes" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    config = find_config(tmp_path / "notes")
    assert config.file == project
    assert config.paths == (tmp_path / "notes", tmp_path / "derivations" / "main.py")
    assert (config.timeout, config.jobs) == (5.0, 2)
    assert (config.strict, config.allow_unknown) == (True, False)
    assert config.cache_dir == tmp_path / "build" / "cache"
    assert config.library


def test_no_configuration_is_the_defaults(tmp_path):
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path) == Config()
    assert Config().paths is None  # not configured, which differs from configured as nothing


@pytest.mark.parametrize(
    ("entry", "key", "reason"),
    [
        ("pathz = ['notes']", "pathz", "not a key derivs knows"),
        ("paths = 'notes'", "paths", "a list of paths is needed"),
        ("paths = ['']", "paths", "a path is needed"),
        ("timeout = '30'", "timeout", "a number of seconds is needed"),
        ("timeout = 0", "timeout", "is not a deadline"),
        ("timeout = nan", "timeout", "is not a deadline"),
        ("jobs = 0", "jobs", "a whole number of jobs"),
        ("jobs = true", "jobs", "a whole number of jobs"),
        ("strict = 'yes'", "strict", "true or false is needed"),
        ("allow-unknown = 1", "allow-unknown", "true or false is needed"),
        ("notation = 3", "notation", "a notation file, or a table"),
        ("strict = true\nallow-unknown = true", "strict", "contradict each other"),
    ],
)
def test_a_bad_entry_names_the_file_the_key_and_what_is_wrong(tmp_path, entry, key, reason):
    project = write(tmp_path / "pyproject.toml", f"[tool.derivs]\n{entry}\n")
    with pytest.raises(ConfigError) as raised:
        find_config(tmp_path)
    assert (raised.value.file, raised.value.key) == (project, key)
    assert reason in raised.value.reason
    assert str(raised.value).startswith(f"{project}: [tool.derivs] {key}: ")


def test_a_pyproject_that_is_not_toml_is_an_error_naming_it(tmp_path):
    project = write(tmp_path / "pyproject.toml", "[tool.derivs\n")
    with pytest.raises(ConfigError, match="not valid TOML") as raised:
        find_config(tmp_path)
    assert raised.value.file == project and raised.value.key is None


def test_a_notation_per_glob_first_match_wins(tmp_path):
    write(
        tmp_path / "pyproject.toml",
        "[tool.derivs.notation]\n"
        '"notes/softmax/*.md" = "softmax.toml"\n'
        '"*.tex" = "paper.toml"\n'
        '"notes/*" = "notes.toml"\n',
    )
    config = find_config(tmp_path)
    assert config.notation_for(tmp_path / "notes" / "softmax" / "a.md") == tmp_path / "softmax.toml"
    assert config.notation_for(tmp_path / "notes" / "deep" / "b.md") == tmp_path / "notes.toml"
    assert config.notation_for(tmp_path / "paper" / "main.tex") == tmp_path / "paper.toml"
    assert config.notation_for(tmp_path / "README.md") is None
    assert config.notation_for(tmp_path.parent / "elsewhere.tex") is None  # outside the project


def test_one_notation_for_every_document(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.derivs]\nnotation = "notation.toml"\n')
    config = find_config(tmp_path)
    assert config.notation_for(tmp_path / "a" / "b.md") == tmp_path / "notation.toml"


def test_covers_says_which_paths_are_configured(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.derivs]\npaths = ["notes", "one.py"]\n')
    config = find_config(tmp_path)
    assert config.covers(tmp_path / "notes" / "deep" / "a.md")
    assert config.covers(tmp_path / "one.py")
    assert not config.covers(tmp_path / "setup.py")
    assert not config.covers(tmp_path / "notes-old" / "a.md")
    assert Config().covers(tmp_path / "anything.py")
