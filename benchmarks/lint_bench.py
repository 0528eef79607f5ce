"""Time `ticketmock lint` on the shipped specs, a generated 5 MB spec and GitHub's REST description, next to peers."""

# Usage: .venv/bin/python benchmarks/lint_bench.py [--runs 3] [--peer-runs 1] [--cache DIR] [--no-npm]
#                                                  [--resources N] [--keep DIR]
#
# Each measurement runs the tool as a fresh subprocess, so the figures include interpreter (or
# Node) start, and reads the child's CPU time (user + system) and peak resident set size from
# os.wait4 (Linux reports it in KiB). The spec is generated in a child process too: a forked child
# inherits its parent's resident pages in ru_maxrss, so the measuring process must stay small.
#
# The real document is GitHub's REST description, `generated/api.github.com.json` of the npm
# package @octokit/openapi; it and the peers, Spectral 6 (`spectral:oas`) and Redocly CLI 2 (its
# recommended rules), are installed with npm into the cache directory (default
# ~/.cache/ticketmock/lint-bench, never inside the repository) on first use. Without npm, or with
# --no-npm, those rows are skipped with the reason. Figures are machine-dependent: compare the
# rows of one run.

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


NPM_PACKAGES = ("@octokit/openapi@23.0.2", "@stoplight/spectral-cli@6.16.3", "@redocly/cli@2.77.0")
GITHUB_DOCUMENT = Path("node_modules/@octokit/openapi/generated/api.github.com.json")
CPU_TARGETS = {"ticketmock lint (GitHub REST)": 5.0}  # seconds of CPU, from the linter's issue


def measure(command: list[str], runs: int, cwd: Path) -> tuple[list[float], list[float], int, int, str]:
    """Run `command` `runs` times: (wall s per run, CPU s per run, max peak RSS KiB, exit code, last line)."""
    walls: list[float] = []
    cpus: list[float] = []
    peak = 0
    code = 0
    tail = ""
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}
    for _ in range(runs):
        with tempfile.TemporaryFile() as out:
            start = time.perf_counter()
            proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            walls.append(time.perf_counter() - start)
            cpus.append(usage.ru_utime + usage.ru_stime)
            proc.returncode = os.waitstatus_to_exitcode(status)
            code = proc.returncode
            peak = max(peak, usage.ru_maxrss)
            out.seek(0)
            lines = [line for line in out.read().decode(errors="replace").strip().splitlines() if line.strip()]
            tail = lines[-1].strip() if lines else ""
    return walls, cpus, peak, code, tail


def linter_command() -> list[str]:
    """`ticketmock lint` when the console script is installed, else the module entry point."""
    script = Path(sys.executable).with_name("ticketmock")
    if script.exists() or shutil.which("ticketmock"):
        return [str(script) if script.exists() else "ticketmock", "lint"]
    return [sys.executable, "-m", "contracts.lint"]


def report(label: str, walls: list[float], cpus: list[float], peak_kib: int, code: int, tail: str) -> None:
    print(
        f"{label:<36} CPU {statistics.median(cpus):7.2f} s  wall {statistics.median(walls):7.2f} s "
        f"(n={len(walls)})  peak RSS {peak_kib / 1024:7.1f} MiB  exit {code}  | {tail[:80]}"
    )


def npm_install(cache: Path) -> str | None:
    """Install the real document and the peers into `cache`; None when done, else why not."""
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed"
    missing = [p for p in NPM_PACKAGES if not (cache / "node_modules" / p.rsplit("@", 1)[0] / "package.json").exists()]
    if not missing:
        return None
    cache.mkdir(parents=True, exist_ok=True)
    print(f"npm install --prefix {cache} {' '.join(missing)} ...", flush=True)
    done = subprocess.run([npm, "install", "--prefix", str(cache), "--no-audit", "--no-fund", "--ignore-scripts",
                           *missing], capture_output=True, text=True)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return f"npm install failed: {lines[-1] if lines else done.returncode}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=0, help="generate this many resources (5 ops each)")
    parser.add_argument("--runs", type=int, default=3, help="runs of ticketmock lint per document")
    parser.add_argument("--peer-runs", type=int, default=1, help="runs of Spectral and Redocly per document")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "ticketmock" / "lint-bench",
                        help="where npm installs the GitHub description and the peers")
    parser.add_argument("--no-npm", action="store_true", help="skip the GitHub description and the peers")
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
    cache = args.cache.resolve()
    if cache == ROOT or ROOT in cache.parents:
        parser.error(f"--cache {cache} is inside the repository; the downloads must stay out of it")
    why_not = "--no-npm" if args.no_npm else npm_install(cache)
    github = cache / GITHUB_DOCUMENT
    bin_dir = cache / "node_modules" / ".bin"

    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        big = workdir / "large-openapi.yaml"
        generated = subprocess.run(
            [sys.executable, __file__, "--generate-only", str(big), "--resources", str(args.resources)],
            check=True, capture_output=True, text=True,
        )
        operations = int(generated.stdout.strip())
        print(f"shipped specs: {len(specs)} ({', '.join(p.parent.name for p in specs) or 'none'})")
        print(f"generated spec: {big} ({big.stat().st_size / 1024 / 1024:.1f} MiB, {operations} operations)")
        documents: list[tuple[str, list[Path]]] = []
        if specs:
            documents.append(("shipped specs", specs))
        documents.append(("generated 5 MB", [big]))
        if why_not is None and github.is_file():
            print(f"GitHub REST description: {github} ({github.stat().st_size / 1024 / 1024:.1f} MiB)")
            documents.append(("GitHub REST", [github]))
        else:
            print(f"GitHub REST description and peers: skipped ({why_not or 'not found after npm install'})")

        ruleset = workdir / ".spectral.yaml"
        ruleset.write_text('extends: ["spectral:oas"]\n', encoding="utf-8")
        # ticketmock's own configuration (it keeps the shipped specs clean; other documents it leaves alone).
        tools: list[tuple[str, list[str], int]] = [
            ("ticketmock lint", [*lint, "--config", str(ROOT / "pyproject.toml")], args.runs)]
        if why_not is None and (bin_dir / "spectral").exists():
            tools.append(("spectral 6", [str(bin_dir / "spectral"), "lint", "--ruleset", str(ruleset),
                                         "--fail-severity", "error"], args.peer_runs))
        if why_not is None and (bin_dir / "redocly").exists():
            tools.append(("redocly 2", [str(bin_dir / "redocly"), "lint", "--format", "summary"], args.peer_runs))

        missed = []
        for name, files in documents:
            for tool, command, runs in tools:
                label = f"{tool} ({name})"
                walls, cpus, peak, code, tail = measure([*command, *map(str, files)], runs, workdir)
                report(label, walls, cpus, peak, code, tail)
                target = CPU_TARGETS.get(label)
                if target is not None and statistics.median(cpus) >= target:
                    missed.append(f"{label}: median CPU {statistics.median(cpus):.2f} s >= {target} s")
    print("targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
