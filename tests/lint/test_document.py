"""Cross-file `$ref`s: problems inside referenced components point at their own file and line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from contracts.lint.config import Config
from contracts.lint.linter import lint_paths
from tests.lint.helpers import doc

ROOT = """
    openapi: 3.0.3
    info: {title: Tickets, version: "1"}
    paths:
      /tickets:
        post:
          requestBody:
            content:
              application/json:
                schema: {$ref: "schemas/ticket.yaml#/Ticket"}
                examples:
                  shared: {$ref: "examples.json#/NewTicket"}
          responses:
            "201":
              description: Created.
"""

TICKET = """
    Ticket:
      type: object
      properties:
        id: {type: string, readOnly: true}
        priority: {type: integer, enum: [1, 2, 2]}
"""


def test_problems_in_referenced_files_point_into_them(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "openapi.yaml").write_text(doc(ROOT))
    (tmp_path / "schemas" / "ticket.yaml").write_text(doc(TICKET))
    (tmp_path / "examples.json").write_text(json.dumps({"NewTicket": {"value": {"id": "T-1", "priority": 9}}},
                                                       indent=2))
    result = lint_paths([tmp_path / "openapi.yaml"], Config(root=tmp_path))
    where = {(Path(p.file).name, p.line, p.column, p.rule) for p in result.problems}
    assert ("ticket.yaml", 5, 44, "duplicated-entry-in-enum") in where
    # The example is written in examples.json: its readOnly `id` and out-of-enum priority point there.
    assert ("examples.json", 4, 7, "oas3-valid-media-example") in where
    assert ("examples.json", 5, 7, "oas3-valid-media-example") in where


def test_the_cli_import_chain_stays_light() -> None:
    code = (
        "import sys\n"
        "from contracts.lint.cli import lint\n"
        "heavy = {'schemathesis', 'connexion', 'openapi_spec_validator', 'openapi_core', 'jsonschema', 'hypothesis'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy | {'jsonschema_rs', 'yaml'}))\n"
        "from contracts.lint.linter import lint_paths\n"
        "from contracts.lint.config import Config\n"
        "from pathlib import Path\n"
        f"lint_paths([Path({str(Path(__file__).parent / 'data' / 'README.md')!r})], Config())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout.splitlines()
    assert out == ["[]", "[]"]
