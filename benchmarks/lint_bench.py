"""Time `ticketmock lint` on the shipped specs and on a generated 5 MB spec (wall time, peak RSS)."""

# Usage: .venv/bin/python benchmarks/lint_bench.py [--resources N] [--runs 3] [--spectral DIR] [--keep DIR]
#
# Each measurement runs the linter as a fresh subprocess, so the figures include interpreter start,
# and reads the child's peak resident set size from os.wait4 (Linux reports it in KiB). The spec is
# generated in a child process too: a forked child inherits its parent's resident pages in
# ru_maxrss, so the measuring process must stay small.
# `--spectral DIR` also times Spectral from DIR/node_modules/.bin/spectral (install it there with
# `npm install --prefix DIR @stoplight/spectral-cli@6.16.3`; never inside the repository).

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPECS_DIR = ROOT / "specs"
TARGET_BYTES = 5 * 1024 * 1024


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Write shared sub-objects out in full: hand-written specs do not use YAML anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _resource(i: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Paths and schemas of one generated resource: list, create, get, update, delete."""
    name = f"Widget{i}"
    coll = f"/widgets{i}"
    item = f"{coll}/{{widget{i}Id}}"
    pid = f"widget{i}Id"
    ref = {"$ref": f"#/components/schemas/{name}"}
    sample = {
        "id": f"3f9c{i:04d}-1d2e-4b7a-9c1f-0a2b3c4d5e6f",
        "name": f"Widget number {i}",
        "status": "active",
        "createdAt": "2025-11-03T09:30:00Z",
        "quantity": i % 90 + 1,
        "price": 12.5,
        "labels": ["blue", "large"],
        "address": {"street": "Keizersgracht 123", "city": "Amsterdam", "postcode": "1015 CJ"},
    }
    create = {k: v for k, v in sample.items() if k not in ("id", "createdAt")}
    errors = {
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
    }
    not_found = {**errors, "404": {"$ref": "#/components/responses/NotFound"}}
    link = {"operationId": f"getWidget{i}", "parameters": {pid: "$response.body#/id"}}
    id_param = {
        "name": pid, "in": "path", "required": True, "example": sample["id"],
        "description": "The widget's identifier.", "schema": {"type": "string", "format": "uuid"},
    }
    common = {"tags": ["widgets"], "security": [{"bearerAuth": []}]}
    paths = {
        coll: {
            "get": {
                **common, "operationId": f"listWidgets{i}", "summary": f"List widgets of family {i}",
                "parameters": [{"$ref": "#/components/parameters/Limit"}],
                "responses": {
                    "200": {
                        "description": "A page of widgets.",
                        "content": {"application/json": {
                            "schema": {"type": "object", "properties": {
                                "items": {"type": "array", "items": ref},
                                "total": {"type": "integer", "minimum": 0}}},
                            "example": {"items": [sample], "total": 1}}},
                        "links": {"GetFirst": {"operationId": f"getWidget{i}",
                                               "parameters": {pid: "$response.body#/items/0/id"}}},
                    },
                    **errors,
                },
            },
            "post": {
                **common, "operationId": f"createWidget{i}", "summary": f"Create a widget of family {i}",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": f"#/components/schemas/{name}Create"}, "example": create}}},
                "responses": {
                    "201": {"description": "Created.", "content": {"application/json": {
                        "schema": ref, "example": sample}}, "links": {"Get": link}},
                    **errors,
                },
            },
        },
        item: {
            "parameters": [id_param],
            "get": {
                **common, "operationId": f"getWidget{i}", "summary": f"Read a widget of family {i}",
                "responses": {
                    "200": {"description": "The widget.", "content": {"application/json": {
                        "schema": ref, "example": sample}},
                        "links": {"Update": {"operationId": f"updateWidget{i}",
                                             "parameters": {pid: "$response.body#/id"}}}},
                    **not_found,
                },
            },
            "put": {
                **common, "operationId": f"updateWidget{i}", "summary": f"Replace a widget of family {i}",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": f"#/components/schemas/{name}Create"}, "example": create}}},
                "responses": {
                    "200": {"description": "Updated.", "content": {"application/json": {
                        "schema": ref, "example": sample}}},
                    **not_found,
                },
            },
            "delete": {
                **common, "operationId": f"deleteWidget{i}", "summary": f"Delete a widget of family {i}",
                "responses": {"204": {"description": "Deleted."}, **not_found},
            },
        },
    }
    properties = {
        "name": {"type": "string", "minLength": 1, "maxLength": 120, "example": "Widget"},
        "status": {"type": "string", "enum": ["active", "retired", "draft"]},
        "quantity": {"type": "integer", "format": "int32", "minimum": 1},
        "price": {"type": "number", "format": "double", "nullable": True},
        "labels": {"type": "array", "items": {"type": "string"}, "maxItems": 10},
        "address": {"$ref": "#/components/schemas/Address"},
    }
    schemas = {
        name: {
            "type": "object",
            "required": ["id", "name", "status"],
            "properties": {
                "id": {"type": "string", "format": "uuid", "readOnly": True},
                "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
                **properties,
            },
        },
        f"{name}Create": {"type": "object", "required": ["name"], "properties": properties,
                          "additionalProperties": False},
    }
    return paths, schemas


def generate_spec(resources: int) -> str:
    """A valid OpenAPI 3.0.3 document with `resources` x 5 operations, every body exemplified."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "Address": {"type": "object", "properties": {
            "street": {"type": "string"}, "city": {"type": "string"}, "postcode": {"type": "string"}}},
        "Error": {"type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string"}, "message": {"type": "string"}}},
    }
    for i in range(resources):
        more_paths, more_schemas = _resource(i)
        paths.update(more_paths)
        schemas.update(more_schemas)

    def error(code: str, text: str) -> dict[str, Any]:
        return {"description": text, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Error"}, "example": {"code": code, "message": text}}}}

    document = {
        "openapi": "3.0.3",
        "info": {"title": "Generated widgets", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.test/v1"}],
        "tags": [{"name": "widgets", "description": "Widgets."}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "parameters": {"Limit": {"name": "limit", "in": "query", "example": 20,
                                     "schema": {"type": "integer", "minimum": 1, "maximum": 100}}},
            "responses": {
                "BadRequest": error("bad_request", "The request is malformed."),
                "Unauthorized": error("unauthorized", "The token is missing or invalid."),
                "NotFound": error("not_found", "No widget has this id."),
            },
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }
    return str(yaml.dump(document, Dumper=_Dumper, sort_keys=False, width=100))


def write_large_spec(directory: Path, minimum_bytes: int = TARGET_BYTES) -> tuple[Path, int]:
    """Write the smallest generated spec of at least `minimum_bytes`; return (path, operations)."""
    resources = 640  # ~5.1 MB; grown below if the generator's output shrinks
    while True:
        text = generate_spec(resources)
        if len(text.encode()) >= minimum_bytes:
            break
        resources = int(resources * minimum_bytes / len(text.encode())) + 10
    path = directory / "large-openapi.yaml"
    path.write_text(text, encoding="utf-8")
    return path, resources * 5


def measure(command: list[str], runs: int, cwd: Path) -> tuple[list[float], int, int, str]:
    """Run `command` `runs` times; return (wall seconds per run, max peak RSS KiB, exit code, tail)."""
    walls: list[float] = []
    peak = 0
    code = 0
    tail = ""
    for _ in range(runs):
        with tempfile.TemporaryFile() as out:
            start = time.perf_counter()
            proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(proc.pid, 0)
            walls.append(time.perf_counter() - start)
            proc.returncode = os.waitstatus_to_exitcode(status)
            code = proc.returncode
            peak = max(peak, usage.ru_maxrss)
            out.seek(0)
            lines = out.read().decode(errors="replace").strip().splitlines()
            tail = lines[-1] if lines else ""
    return walls, peak, code, tail


def linter_command() -> list[str]:
    """`ticketmock lint` when the console script is installed, else the module entry point."""
    script = Path(sys.executable).with_name("ticketmock")
    if script.exists() or shutil.which("ticketmock"):
        return [str(script) if script.exists() else "ticketmock", "lint"]
    return [sys.executable, "-m", "contracts.lint"]


def report(label: str, walls: list[float], peak_kib: int, code: int, tail: str) -> None:
    print(
        f"{label:<34} wall median {statistics.median(walls):6.3f} s "
        f"(min {min(walls):.3f}, max {max(walls):.3f}, n={len(walls)})  "
        f"peak RSS {peak_kib / 1024:7.1f} MiB  exit {code}  | {tail[:90]}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=0, help="generate this many resources (5 ops each)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spectral", type=Path, help="directory holding node_modules/.bin/spectral")
    parser.add_argument("--keep", type=Path, help="write the generated spec here instead of a temp dir")
    parser.add_argument("--generate-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate_only:
        if args.resources:
            args.generate_only.write_text(generate_spec(args.resources), encoding="utf-8")
            print(args.resources * 5)
        else:
            print(write_large_spec(args.generate_only.parent)[1])
        return 0

    specs = sorted(SPECS_DIR.glob("*/openapi.yaml"))
    lint = linter_command()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; linter: {' '.join(lint)}")

    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        big = workdir / "large-openapi.yaml"
        generated = subprocess.run(
            [sys.executable, __file__, "--generate-only", str(big), "--resources", str(args.resources)],
            check=True, capture_output=True, text=True,
        )
        operations = int(generated.stdout.strip())
        size_mb = big.stat().st_size / 1024 / 1024
        print(f"shipped specs: {len(specs)} ({', '.join(p.parent.name for p in specs) or 'none'})")
        print(f"generated spec: {big} ({size_mb:.1f} MiB, {operations} operations)")

        # (label, command, wall-time target s, memory target MiB); targets from the lint brief.
        rows: list[tuple[str, list[str], float | None, float | None]] = []
        if specs:
            rows.append(("ticketmock lint (shipped specs)", [*lint, *map(str, specs)], 1.0, None))
        rows.append(("ticketmock lint (generated spec)", [*lint, str(big)], 10.0, 500.0))
        if args.spectral:
            spectral = args.spectral / "node_modules" / ".bin" / "spectral"
            ruleset = workdir / ".spectral.yaml"
            ruleset.write_text('extends: ["spectral:oas"]\n', encoding="utf-8")
            base = [str(spectral), "lint", "--ruleset", str(ruleset), "--fail-severity", "error"]
            if specs:
                rows.append(("spectral 6 (shipped specs)", [*base, *map(str, specs)], None, None))
            rows.append(("spectral 6 (generated spec)", [*base, str(big)], None, None))
        missed = []
        for label, command, wall_target, memory_target in rows:
            walls, peak, code, tail = measure(command, args.runs, ROOT)
            report(label, walls, peak, code, tail)
            if wall_target is not None and statistics.median(walls) >= wall_target:
                missed.append(f"{label}: median wall {statistics.median(walls):.2f} s >= {wall_target} s")
            if memory_target is not None and peak / 1024 >= memory_target:
                missed.append(f"{label}: peak RSS {peak / 1024:.0f} MiB >= {memory_target} MiB")
    print("targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
