"""Static checks as tests: ruff (E, F, I, UP, B) and mypy --strict must stay clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mockserver.spec import ROOT

BIN = Path(sys.executable).parent
PACKAGES = ["mockserver", "contracts", "ticketmock"]
CHECKED = [*PACKAGES, "tests", "benchmarks", "examples"]  # ruff also checks these


def test_ruff_is_clean() -> None:
    result = subprocess.run([str(BIN / "ruff"), "check", *CHECKED, "--output-format", "concise"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = subprocess.run([str(BIN / "mypy"), *PACKAGES], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
