"""`ticketmock lint`: the click command (the `ticketmock` group loads it as contracts.lint.cli:lint)."""

# Imports of the linter happen inside the command, so building the CLI (and `ticketmock --help`)
# costs only click.

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

FORMATS = ("text", "json", "junit", "sarif", "github", "gitlab", "markdown")
DEFAULT_BASELINE = "lint-baseline.json"


_NAMES = ("openapi.yaml", "openapi.yml", "openapi.json")
NOTHING_FOUND = ("no OpenAPI documents found: looked for specs/**/openapi.{yaml,yml,json} and "
                 "openapi.{yaml,yml,json} in {cwd}; pass the files or directories to lint "
                 "(or --shipped for ticketmock's own specs)")


def default_paths(cwd: Path | None = None) -> list[Path]:
    """The current project's specs: ./specs/**/openapi.{yaml,yml,json}, else ./openapi.{yaml,yml,json}."""
    cwd = cwd or Path.cwd()
    specs = cwd / "specs"
    found = sorted(p for p in specs.rglob("openapi.*") if p.name in _NAMES and p.is_file()) if specs.is_dir() else []
    if found:
        return [Path(os.path.relpath(p, cwd)) if p.is_relative_to(cwd) else p for p in found]
    return [Path(name) for name in _NAMES if (cwd / name).is_file()]


def shipped_paths() -> list[Path]:
    """The five specs shipped with ticketmock (specs/<slug>/openapi.yaml of the installed package)."""
    from mockserver.spec import SPECS_DIR

    return sorted(SPECS_DIR.glob("*/openapi.yaml"))


def shipped_config() -> Path | None:
    """ticketmock's own pyproject.toml, whose [tool.ticketmock.lint] the shipped specs are kept clean with."""
    from mockserver.spec import ROOT

    candidate = ROOT / "pyproject.toml"
    return candidate if candidate.is_file() else None


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)


def _note(message: str) -> None:
    click.echo(f"note: {message}", err=True)


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of standard output.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read [tool.ticketmock.lint] from this TOML file instead of the nearest pyproject.toml.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Report only problems not recorded in this baseline (default: `baseline` of the configuration).")
@click.option("--write-baseline", "write_baseline", is_flag=False, flag_value="", default=None, metavar="[FILE]",
              help=f"Record every current problem in FILE (default: --baseline, the configured baseline, else "
                   f"{DEFAULT_BASELINE}) and exit 0.")
@click.option("--shipped", is_flag=True,
              help="Lint the five specs shipped with ticketmock (alone: with ticketmock's own configuration).")
@click.option("--list-rules", is_flag=True, help="List the rules (plugins' too) with their default severity, and exit.")
@click.pass_context
def lint(
    ctx: click.Context,
    paths: tuple[Path, ...],
    output_format: str,
    output: Path | None,
    strict: bool,
    config_file: Path | None,
    baseline_file: Path | None,
    write_baseline: str | None,
    shipped: bool,
    list_rules: bool,
) -> None:
    """Lint OpenAPI 3.0/3.1 documents (YAML or JSON).

    Without PATHs: the current project's specs/**/openapi.{yaml,yml,json}, else ./openapi.{yaml,yml,json}.

    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage error or a file that
    cannot be linted. Configure rules in pyproject.toml under [tool.ticketmock.lint].
    """
    from contracts.lint import baseline as baselines
    from contracts.lint.config import ConfigError, load_config
    from contracts.lint.linter import lint_paths
    from contracts.lint.report import RENDERERS, summary
    from contracts.lint.rules import RULES

    if shipped and not paths and config_file is None:
        config_file = shipped_config()
    try:
        config = load_config(config_file)
    except ConfigError as exc:
        _fail(str(exc))
        ctx.exit(2)
    if list_rules:
        for rule in RULES:
            click.echo(f"{rule.id:<38} {rule.severity.value:<6} {rule.summary}")
        ctx.exit(0)
    targets = [*paths, *(shipped_paths() if shipped else [])]
    if not targets:
        targets = default_paths()
    if not targets:
        _fail(NOTHING_FOUND.replace("{cwd}", str(Path.cwd())))
        ctx.exit(2)
    entries: dict[baselines.Key, baselines.Entry] | None = None
    baseline_path = baseline_file or config.baseline
    if write_baseline is None and baseline_path is not None:
        try:
            entries = baselines.read(baseline_path)
        except baselines.BaselineError as exc:
            _fail(str(exc))
            ctx.exit(2)
    result = lint_paths(targets, config)
    result.strict = strict
    for failed in result.failures:
        _fail(str(failed))
    if write_baseline is not None:
        target = Path(write_baseline) if write_baseline else (baseline_path or Path(DEFAULT_BASELINE))
        try:
            recorded = baselines.write(target, result.problems)
        except baselines.BaselineError as exc:
            _fail(str(exc))
            ctx.exit(2)
        click.echo(f"wrote {recorded} problem{'s' if recorded != 1 else ''} of {summary(result, counts=False)} to "
                   f"{target}; lint with --baseline {target} (or baseline = \"{target.as_posix()}\" in "
                   f"[tool.ticketmock.lint]) to report only new ones")
        ctx.exit(2 if result.failures else 0)
    if entries is not None and baseline_path is not None:
        outcome = baselines.apply(result.problems, entries, baseline_path.parent, result.sources)
        result.problems = outcome.problems
        result.baseline, result.baselined, result.stale = baseline_path, outcome.baselined, outcome.stale
        if result.stale and output_format != "text":
            for key, entry in result.stale:
                _note(baselines.stale_line(key, entry, baseline_path))
    report = RENDERERS[output_format](result, RULES)
    if output is not None:
        try:
            output.write_text(report, encoding="utf-8")
        except OSError as exc:
            _fail(f"{output}: cannot write the report: {exc.strerror or exc}")
            ctx.exit(2)
    else:
        sys.stdout.write(report)
    ctx.exit(result.exit_code())

