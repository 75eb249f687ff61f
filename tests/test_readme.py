"""The README's commands and example are the ones that work."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_the_readme_opens_with_the_two_commands():
    before_any_section = README.split("\n## ")[0]
    install_and_run, install_and_test = re.findall(r"```bash\n(.*?)```", before_any_section, re.S)
    assert install_and_run.strip().endswith(".venv/bin/derivs check")
    assert install_and_test.strip() == "bash .ci/run"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -q -e '.[test]'" in ci and ".venv/bin/python -m pytest" in ci


def test_the_readme_example_is_the_example_file():
    example = (ROOT / "examples" / "quickstart.py").read_text()
    assert code_blocks("python")[0] == example


def test_the_readme_example_runs_and_prints_what_the_readme_shows():
    shown = re.search(r"Its output:\n\n```\n(.*?)```", README, flags=re.DOTALL)
    assert shown is not None
    run = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    printed, expected = run.stdout.splitlines(), shown.group(1).splitlines()
    assert len(printed) == len(expected)
    for line, shown_line in zip(printed, expected, strict=True):
        if shown_line.startswith("    counterexample"):
            # Same shape; the drawn digits depend on how SymPy prints the link.
            number = r"-?[0-9.]+"
            shape = (
                rf"    counterexample at K = 2, i = 1, j = 2, z\[1\] = {number}, "
                rf"z\[2\] = {number}: lhs = {number}, rhs = {number}"
            )
            assert re.fullmatch(shape, line), line
            assert re.fullmatch(shape, shown_line), shown_line
        else:
            assert line == shown_line
