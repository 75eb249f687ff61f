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


def test_the_readme_document_is_the_example_file_and_its_output_is_real():
    shown = re.search(r"````markdown\n(.*?)````", README, flags=re.DOTALL)
    assert shown is not None
    assert shown.group(1) == (ROOT / "examples" / "softmax.md").read_text()
    table = re.search(r"derivs check examples/softmax.md\n```\n\n```\n(.*?)```", README, re.S)
    assert table is not None
    command = ["check", "examples/softmax.md", "--no-color", "--no-cache", "-j1"]
    run = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *command],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={"COLUMNS": "120", "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 1
    printed, expected = run.stdout, table.group(1)
    # Column widths follow the timings; what each row says does not.
    for pattern in (r"[✓✗] \w+", r"line \d+; case from", r"z\[\d\] = -?[\d.]+"):
        assert re.findall(pattern, printed) == re.findall(pattern, expected), pattern
    assert re.findall(r"[✓✗] \w+", printed) == ["✓ proved"] * 3 + ["✗ refuted"]
    assert printed.splitlines()[-1] == expected.splitlines()[-1]
