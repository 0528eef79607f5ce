"""Every spec under specs/ lints clean: no errors and no warnings, with the repository's config."""

from __future__ import annotations

from pathlib import Path

import pytest

from contracts.lint.config import load_config
from contracts.lint.linter import lint_paths
from mockserver.spec import SPECS_DIR

SPECS = sorted(SPECS_DIR.glob("*/openapi.yaml"))


@pytest.mark.parametrize("path", SPECS, ids=[p.parent.name for p in SPECS])
def test_spec_lints_clean(path: Path) -> None:
    config = load_config(start=SPECS_DIR.parent)
    result = lint_paths([path], config)
    if result.problems or result.failures:
        lines = [str(p) for p in result.problems] + [str(f) for f in result.failures]
        pytest.fail(f"ticketmock lint {path} found:\n" + "\n".join(lines), pytrace=False)
