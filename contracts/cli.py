"""`ticketmock contract`: Schemathesis against the mock or a vendor, with safe defaults and CI reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mockserver.vendors import SLUGS, unknown_slug_message

if TYPE_CHECKING:
    from contracts.redaction import BasicPair, Secret

EXIT_FAILURES = 1
EXIT_USAGE = 2


def fail_usage(message: str) -> None:
    click.echo(f"ticketmock contract: {message}", err=True)
    sys.exit(EXIT_USAGE)


@click.command("contract")
@click.argument("slug", required=False)
@click.option("--all", "all_apis", is_flag=True, help="Run every API, one after another.")
@click.option("--base-url", help="Target a running server instead of the in-process mock.")
@click.option("--header", "headers", multiple=True, metavar="'NAME: VALUE'", help="Extra header (repeatable).")
@click.option("--allow-writes", is_flag=True, help="Send non-GET requests to a non-loopback target.")
@click.option("--rate-limit", help="Request rate for a --base-url target, e.g. 5/s or 100/m "
              "(default for non-loopback targets: 5/s, well under every vendor's documented limit).")
@click.option("--max-examples", default=25, show_default=True, type=click.IntRange(1))
@click.option("--seed", type=int, help="Reproduce a run (printed in the summary).")
@click.option("--max-time", type=click.IntRange(1), help="Stop after this many seconds.")
@click.option("--operation", "operations", multiple=True, metavar="ID|PATH",
              help="Only this operationId or path (repeatable).")
@click.option("--phases", default="examples,coverage,fuzzing,stateful", show_default=True)
@click.option("--exclude-check", "exclude_checks", multiple=True, metavar="CHECK",
              help="Turn one Schemathesis check off (repeatable), for a target known to deviate.")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path), help="Write JUnit XML here.")
@click.option("--quiet", is_flag=True, help="No progress lines.")
def contract(slug: str | None, all_apis: bool, base_url: str | None, headers: tuple[str, ...], allow_writes: bool,
             rate_limit: str | None, max_examples: int, seed: int | None, max_time: int | None,
             operations: tuple[str, ...], phases: str, exclude_checks: tuple[str, ...], junit_path: Path | None,
             quiet: bool) -> None:
    """Check an API (or --all) against its spec; exit 0 passed, 1 failures, 2 usage or connection error."""
    from contracts.mocksession import control_secrets
    from contracts.redaction import Redactor
    from contracts.report import format_run, format_summary, junit_xml
    from contracts.runner import CHECKS, PHASES, RunSettings, run
    from contracts.targets import TargetError, resolve_target, url_secrets

    if all_apis == bool(slug):
        fail_usage("give one API slug or --all (APIs: " + ", ".join(SLUGS) + ")")
    slugs = list(SLUGS) if all_apis else [str(slug)]
    if slug and slug not in SLUGS:
        fail_usage(unknown_slug_message(slug))
    chosen = tuple(p.strip() for p in phases.split(",") if p.strip())
    if unknown := [p for p in chosen if p not in PHASES]:
        fail_usage(f"unknown phase(s) {', '.join(unknown)}; choose from {', '.join(PHASES)}")
    if unknown := [c for c in exclude_checks if c not in CHECKS]:
        import difflib

        hint = difflib.get_close_matches(unknown[0], CHECKS, n=1)
        fail_usage(f"unknown check {unknown[0]!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
                   + f"; checks: {', '.join(CHECKS)}")
    settings = RunSettings(max_examples=max_examples, seed=seed, max_time=max_time, operations=operations,
                           phases=chosen, exclude_checks=exclude_checks, rate_limit=rate_limit)
    results = []
    secrets: list[Secret | BasicPair] = [*url_secrets(base_url), *control_secrets()]
    redactor = Redactor(secrets)
    interactive = sys.stderr.isatty()
    for name in slugs:
        try:
            if base_url:
                check_reachable(base_url)
            target = resolve_target(name, base_url=base_url, headers=headers, allow_writes=allow_writes)
            secrets += target.credentials.secrets
            redactor = Redactor(secrets)
            if not target.writes_allowed:
                click.echo(redactor.text(f"{name}: {target.describe()} is not localhost or a literal loopback "
                                         "address: only GET/HEAD/OPTIONS requests are sent (pass --allow-writes "
                                         "to send others)"), err=True)

            def progress(phase: str, done: int, total: int, name: str = name) -> None:
                # On a terminal one line per phase updates in place; in CI logs, one line per phase.
                if quiet or (done != total and not interactive):
                    return
                click.echo(f"\r{name}: {phase:<9} {done}/{total} operations", nl=done == total, err=True)

            try:
                result = run(target, settings, progress)
            finally:
                target.close()
        except TargetError as exc:
            fail_usage(redactor.text(str(exc)))
        results.append(result)
        click.echo(format_run(result, in_process=base_url is None, redactor=redactor))
    click.echo(format_summary(results))
    if junit_path is not None:
        junit_path.parent.mkdir(parents=True, exist_ok=True)
        junit_path.write_text(junit_xml(results, in_process=base_url is None, redactor=redactor), encoding="utf-8")
    if any(not r.passed for r in results):
        sys.exit(EXIT_FAILURES)


def check_reachable(base_url: str) -> None:
    """Fail fast with one line when the target cannot be reached at all."""
    import httpx

    from contracts.targets import TargetError

    try:
        httpx.get(base_url, timeout=10)
    except httpx.HTTPError as exc:
        reason = str(exc) or type(exc).__name__
        raise TargetError(f"cannot reach {base_url}: {reason}") from None
