"""The installed package in a user's project: only ``derivs`` is installed.

A wheel is built from a copy of the repository and installed (not editable)
into a fresh virtual environment with pip.  Beside it sits a user's project
with its own ``cli.py`` and ``proofs/`` package on ``PYTHONPATH``: neither
may stand in for derivs' command or library, so ``derivs check`` and
``pytest --derivs`` still refute a wrong step, and ``derivs list`` still shows
derivs' library, also while another distribution installs a ``proofs``.
These tests build and install with the real pip, so they are slow.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from derivs.report import json_schema
from tests.importtime import imported_modules, imports_sympy
from tests.user_files import WRONG_STEP

ROOT = Path(__file__).resolve().parent.parent
#: What a source tree holds that is not its source: environments, caches, builds.
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    ".derivs_cache",
)
#: Building and installing fetch packages: minutes on a slow index.
PIP_TIMEOUT = 1800
RUN_TIMEOUT = 600

#: The user's own command: importing it or calling it prints and succeeds.
USER_CLI = textwrap.dedent(
    """
    print("the project's own cli.py")


    def main():
        print("the project's own main")
    """
)
USER_PROOFS = '"""The project\'s own proofs."""\n\nTHEOREMS = ()\n'
#: A distribution that installs a top-level ``proofs`` package, as one on PyPI does.
OTHER_PROOFS_PYPROJECT = textwrap.dedent(
    """
    [build-system]
    requires = ["setuptools>=68"]
    build-backend = "setuptools.build_meta"

    [project]
    name = "other-proofs"
    version = "1.0"

    [tool.setuptools]
    packages = ["proofs"]
    """
)


def run(command: Sequence[str | Path], cwd: Path, timeout: float = RUN_TIMEOUT, **env: str):
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def pip(python: Path, *arguments: str | Path, cwd: Path) -> None:
    done = run([python, "-m", "pip", *arguments], cwd, PIP_TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr


def in_project(venv: Path, project: Path, program: str, *arguments: str):
    """Run one of the environment's programs in the user's project, which is on PYTHONPATH."""
    return run([venv / "bin" / program, *arguments], project, PYTHONPATH=str(project))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built by pip from a clean copy of the repository (no stale ``build/``)."""
    place = tmp_path_factory.mktemp("wheel")
    source = place / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    pip(Path(sys.executable), "wheel", "--no-deps", "-w", place / "dist", source, cwd=place)
    (built,) = (place / "dist").glob("derivs-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel (and pytest) installed, not editable."""
    place = tmp_path_factory.mktemp("venv") / "venv"
    created = run([sys.executable, "-m", "venv", place], place.parent, PIP_TIMEOUT)
    assert created.returncode == 0, created.stderr
    pip(place / "bin" / "python", "install", wheel, "pytest", cwd=place.parent)
    return place


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A user's project with its own ``cli.py``, ``proofs/`` and a wrong derivation."""
    (tmp_path / "cli.py").write_text(USER_CLI)
    (tmp_path / "proofs").mkdir()
    (tmp_path / "proofs" / "__init__.py").write_text(USER_PROOFS)
    (tmp_path / "bad.py").write_text(WRONG_STEP)
    return tmp_path


def test_the_wheel_installs_only_derivs(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (top_level,) = [name for name in names if name.endswith(".dist-info/top_level.txt")]
        assert archive.read(top_level).decode().split() == ["derivs"]
    tops = {name.split("/")[0] for name in names}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"derivs"}
    # the library and the command are inside the package
    assert "derivs/proofs/__init__.py" in names
    assert "derivs/proofs/_softmax.py" in names
    assert "derivs/cli.py" in names


def test_the_wheel_carries_the_license_the_typing_marker_and_its_classifiers(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (metadata,) = [name for name in names if name.endswith(".dist-info/METADATA")]
        fields = archive.read(metadata).decode().split("\n\n", 1)[0].splitlines()
    assert "derivs/py.typed" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    assert "License-Expression: MIT" in fields
    assert "License-File: LICENSE" in fields
    classifiers = {f.removeprefix("Classifier: ") for f in fields if f.startswith("Classifier: ")}
    assert {"Framework :: Pytest", "Typing :: Typed"} <= classifiers
    assert any(c.startswith("Programming Language :: Python :: 3.") for c in classifiers)
    assert any(c.startswith("Topic :: ") for c in classifiers)
    # the SPDX expression replaces the license classifiers and the deprecated table form
    assert not [f for f in fields if f.startswith(("License:", "Classifier: License ::"))]


def test_the_library_is_the_installed_one_not_the_repository(venv: Path, project: Path):
    done = in_project(venv, project, "python", "-c", "import derivs.proofs as p; print(p.__file__)")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).is_relative_to(venv)


def test_check_refutes_beside_a_users_own_cli_and_proofs(venv: Path, project: Path):
    done = in_project(venv, project, "derivs", "check", "bad.py", "--no-cache", "--no-color")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "refuted" in done.stdout
    assert "project's own" not in done.stdout + done.stderr


def test_pytest_fails_a_wrong_step_beside_a_users_own_cli_and_proofs(venv: Path, project: Path):
    done = in_project(venv, project, "pytest", "--derivs", "bad.py", "-p", "no:cacheprovider")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed" in done.stdout
    assert "INTERNALERROR" not in done.stdout + done.stderr


def test_pytest_collects_derivs_library_beside_a_users_own_proofs(venv: Path, project: Path):
    # ``--derivs-library`` collects derivs' built-in library, not the user's proofs/
    done = in_project(
        venv, project, "pytest", "--derivs", "--derivs-library", "--collect-only", "-q"
    )
    assert (done.returncode, "INTERNALERROR" in done.stdout + done.stderr) == (0, False), (
        done.stdout + done.stderr
    )
    assert "000-softmax" in done.stdout


def test_the_installed_version_answers_from_metadata_and_python_m_derivs_checks(
    venv: Path, project: Path
):
    version = in_project(venv, project, "python", "-X", "importtime", "-m", "derivs", "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("derivs 0.1.0 (SymPy ")
    modules = imported_modules(version.stderr)
    assert "derivs.version" in modules  # the report is read: it names what was imported
    assert not imports_sympy(modules)
    checked = in_project(venv, project, "python", "-m", "derivs", "check", "bad.py", "--no-cache")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "refuted" in checked.stdout


def test_list_shows_the_library_while_another_proofs_is_installed_and_after_it_goes(
    venv: Path, project: Path, tmp_path_factory: pytest.TempPathFactory
):
    other = tmp_path_factory.mktemp("other-proofs")
    (other / "pyproject.toml").write_text(OTHER_PROOFS_PYPROJECT)
    (other / "proofs").mkdir()
    (other / "proofs" / "__init__.py").write_text(USER_PROOFS)
    python = venv / "bin" / "python"
    pip(python, "install", other, cwd=other)
    try:
        with_other = in_project(venv, project, "derivs", "list", "--no-color")
        assert with_other.returncode == 0, with_other.stdout + with_other.stderr
        assert "000-softmax" in with_other.stdout
    finally:
        pip(python, "uninstall", "-y", "other-proofs", cwd=other)
    # uninstalling the other distribution leaves derivs' library in place
    after = run([venv / "bin" / "derivs", "list", "--no-color"], project)
    assert after.returncode == 0, after.stdout + after.stderr
    assert "000-softmax" in after.stdout


def test_the_wheel_ships_the_json_schema_of_the_reports(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        shipped = json.loads(archive.read("derivs/report.schema.json"))
    assert shipped == json_schema()  # the schema the tests validate every report against
