"""The `ticketmock` command: serve, apis, and (loaded lazily) lint and contract."""

from __future__ import annotations

import errno
import importlib
import json
import os
import re
import socket
import sys
import warnings
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from mockserver.curl import curl_line
from mockserver.spec import ROOT, count_inferred, iter_operations, load_spec, mock_base_path, spec_path, vendor_base_url
from mockserver.vendors import SLUGS, unknown_slug_message

if TYPE_CHECKING:
    from mockserver.app import MockOptions

LAZY_COMMANDS = {
    "lint": "contracts.lint.cli:lint",
    "contract": "contracts.cli:contract",
}


class LazyGroup(click.Group):
    """A group whose heavy subcommands are imported only when invoked (keeps `lint` fast)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            module, _, attr = LAZY_COMMANDS[name].partition(":")
            command: click.Command = getattr(importlib.import_module(module), attr)
            return command
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ticketmock")
def main() -> None:
    """ticketmock: mocks, contract tests and a linter for five vendors' service-ticket APIs."""
    # Starlette warns about its test client when Connexion imports it; nothing a user can act on.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")


def check_slugs(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    for slug in value:
        if slug not in SLUGS:
            raise click.BadParameter(unknown_slug_message(slug))
    return value


def api_rows(host: str, port: int) -> list[dict[str, Any]]:
    rows = []
    for slug in SLUGS:
        path = spec_path(slug)
        spec = load_spec(path)
        inferred_ops, inferred_schemas = count_inferred(spec)
        rows.append({
            "slug": slug,
            "title": spec["info"]["title"],
            "spec": str(path.relative_to(ROOT)),
            "vendorBaseUrl": vendor_base_url(spec),
            "mockBaseUrl": f"http://{host}:{port}{mock_base_path(slug, spec)}",
            "operations": sum(1 for _ in iter_operations(spec)),
            "inferredOperations": inferred_ops,
            "inferredSchemas": inferred_schemas,
        })
    return rows


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Host the mock URLs use.")
@click.option("--port", default=8000, show_default=True, help="Port the mock URLs use.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def apis(host: str, port: int, as_json: bool) -> None:
    """List the APIs: spec, vendor and mock base URLs, operations, inferred parts."""
    rows = api_rows(host, port)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    columns = [("SLUG", "slug"), ("TITLE", "title"), ("SPEC", "spec"), ("VENDOR BASE URL", "vendorBaseUrl"),
               ("MOCK BASE URL", "mockBaseUrl"), ("OPS", "operations"), ("INFERRED OPS", "inferredOperations"),
               ("INFERRED SCHEMAS", "inferredSchemas")]
    widths = [max(len(header), *(len(str(row[key])) for row in rows)) for header, key in columns]
    click.echo("  ".join(header.ljust(width) for (header, _), width in zip(columns, widths, strict=True)).rstrip())
    for row in rows:
        cells = (str(row[key]).ljust(width) for (_, key), width in zip(columns, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


def bind_problem(host: str, port: int) -> str | None:
    """Why uvicorn could not listen on host:port (None when it can), tried the way uvicorn binds: IPv6 when
    the host has a colon, else IPv4, resolving a name."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except socket.gaierror as exc:
            return (f"--host {host}: cannot resolve that name ({exc.strerror}); give an address such as "
                    "127.0.0.1 (this machine only) or 0.0.0.0 (every interface), or a name that resolves")
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is already in use; stop the other server or pass --port"
            if exc.errno == errno.EADDRNOTAVAIL:
                return (f"--host {host}: this machine has no such address, so nothing can listen on it; use "
                        "127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of its own addresses")
            if exc.errno == errno.EACCES:
                return f"--port {port} on {host}: permission denied (ports below 1024 need root); pass --port 8000"
            if exc.errno == errno.EAFNOSUPPORT:
                return f"--host {host}: this machine has no IPv6; use 127.0.0.1 or 0.0.0.0"
            return f"cannot listen on {host} port {port}: {exc.strerror}"
        except (UnicodeError, ValueError) as exc:
            return f"--host {host!r} is not a host name or address ({exc})"
    return None


def check_exposure(host: str, control_token: str | None, insecure_control: bool) -> str:
    """The warning to print for where the mock listens ('' on loopback); ClickException when a non-loopback
    address would leave the control API open without --insecure-control."""
    from mockserver.hosts import is_loopback

    if control_token is not None and not re.fullmatch(r"[\x21-\x7e]+", control_token):
        raise click.BadParameter(f"the token ({len(control_token)} characters, not shown) must be non-empty "
                                 "printable ASCII without spaces, to fit an Authorization header",
                                 param_hint="--control-token")
    if is_loopback(host):
        return ""
    if control_token:
        return (f"Warning: listening on {host}, which other machines can reach: anyone on the network can call the "
                "five APIs; the control API requires the control token, which plain HTTP carries in clear text")
    if not insecure_control:
        raise click.ClickException(
            f"--host {host} is not a loopback address: other machines could reset, read and replace the mock's "
            "state through its control API; pass --control-token TOKEN (or set TICKETMOCK_CONTROL_TOKEN) to "
            "require a Bearer token, or --insecure-control to serve it open")
    return (f"Warning: listening on {host}, which other machines can reach: anyone on the network can call the "
            "five APIs and, with --insecure-control, the control API (reset, state dumps, snapshots) without any "
            "credential")


@main.command()
@click.option("--api", "api_slugs", multiple=True, callback=check_slugs, metavar="SLUG",
              help="Serve only this API (repeatable). Default: all five.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--seed", type=int, help="Fix generated ids and data (same sequence after every reset).")
@click.option("--fixtures", "fixtures_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Directory with <slug>.yaml or <slug>/fixtures.yaml replacing the shipped data.")
@click.option("--latency", "latency_ms", type=click.FloatRange(0), default=0,
              help="Milliseconds added to every response.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Allowed CORS origin (repeatable; '*' for any). Default: any http://localhost:* / 127.0.0.1:*.")
@click.option("--token", "tokens", multiple=True, help="Accept only this bearer token / API key (repeatable).")
@click.option("--basic", multiple=True, metavar="USER:PASS", help="Accept only these basic credentials (repeatable).")
@click.option("--validate-responses", is_flag=True, help="Check every response against the spec (500 if not).")
@click.option("--max-body-bytes", default=1024 * 1024, show_default=True, type=click.IntRange(1))
@click.option("--freeze-time", type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]),
              help="Run with a frozen clock at this UTC time (reproducible timestamps).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1),
              help="Worker processes; more than one needs a shared --state (Redis).")
@click.option("--state", "state_url", envvar="TICKETMOCK_STATE", metavar="URL",
              help="Keep sessions in Redis or Valkey (redis://HOST:PORT/DB, rediss://, valkey://; env "
                   "TICKETMOCK_STATE): every process with the same URL and --state-prefix serves one mock. "
                   "Default: this process's memory.")
@click.option("--state-prefix", default="ticketmock:", show_default=True,
              help="The key prefix in --state: processes with the same one share their sessions.")
@click.option("--session-ttl", default=3600.0, show_default=True, type=click.FloatRange(min=1),
              help="Seconds a session other than 'default' may stay idle before it is removed.")
@click.option("--max-sessions", default=1000, show_default=True, type=click.IntRange(1),
              help="How many sessions besides 'default' may exist at once.")
@click.option("--state-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Load every session from FILE at start; save it every few seconds while something changes "
                   "and at exit (the previous good file is kept as FILE.bak).")
@click.option("--control-token", envvar="TICKETMOCK_CONTROL_TOKEN", show_envvar=True, metavar="TOKEN",
              help="Require 'Authorization: Bearer TOKEN' on every control API request.")
@click.option("--insecure-control", is_flag=True,
              help="With a non-loopback --host and no --control-token: serve the control API open anyway.")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="On a loopback --host, accept this Host name too (repeatable). Default: loopback names only.")
@click.option("--watch", is_flag=True, help="Reload an API when its fixture file or spec changes (the other APIs "
                                            "keep their state).")
@click.option("--quiet", is_flag=True, help="No per-request log lines.")
def serve(api_slugs: tuple[str, ...], host: str, port: int, seed: int | None, fixtures_dir: Path | None,
          latency_ms: float, cors_origins: tuple[str, ...], tokens: tuple[str, ...], basic: tuple[str, ...],
          validate_responses: bool, max_body_bytes: int, freeze_time: datetime | None, workers: int,
          session_ttl: float, max_sessions: int, state_file: Path | None, state_url: str | None, state_prefix: str,
          control_token: str | None, insecure_control: bool, allowed_hosts: tuple[str, ...], watch: bool,
          quiet: bool) -> None:
    """Serve the mock of all five APIs (or --api ones) with state, until Ctrl-C."""
    if workers > 1 and state_url is None:
        raise click.UsageError(
            f"--workers {workers} would split the mock's state: each worker process keeps its own "
            "in-memory store, so a ticket created on one would 404 on another. Share the state: add "
            "--state redis://HOST:PORT/DB, or run with one worker.")
    if state_file is not None and state_url is not None:
        raise click.UsageError("--state-file keeps a memory state across restarts; with --state the state already "
                               "lives in Redis: give one of them")
    for entry in basic:
        if ":" not in entry or entry.startswith(":"):
            raise click.BadParameter(f"{entry!r}: expected USER:PASS, e.g. --basic alice:s3cret",
                                     param_hint="--basic")
    if watch and state_url is not None:
        raise click.UsageError("--watch reloads the fixtures of one process, but processes sharing --state must all "
                               "serve the same fixtures: restart them after a change instead")
    problem = bind_problem(host, port)  # first: a host that cannot be bound is the problem to fix
    if problem:
        raise click.ClickException(problem)
    exposure = check_exposure(host, control_token, insecure_control)

    import uvicorn

    from mockserver import statefile
    from mockserver.app import create_app
    from mockserver.fixtures import FixtureError, stray_files
    from mockserver.server import protocol_for
    from mockserver.state import StateError, check_backend

    params = click.get_current_context().params
    if fixtures_dir is not None:
        strays = stray_files(fixtures_dir, SLUGS)
        if strays:
            raise click.ClickException("\n".join(strays))
    try:
        app = create_app(list(api_slugs) or None, mock_options(params))
    except FixtureError as exc:
        raise click.ClickException(f"invalid fixture data: {exc}") from None
    except StateError as exc:
        fail(str(exc))
    if state_url is not None:
        try:
            check_backend(app.runtime.backend, app.runtime.baselines)
        except StateError as exc:
            fail(str(exc))
    if state_file is not None:
        if not state_file.parent.is_dir():
            raise click.ClickException(f"--state-file {state_file}: the directory {state_file.parent} does not exist")
        try:
            app.runtime.restored = statefile.restore(app.runtime, state_file, statefile.read(state_file))
        except statefile.StateFileError as exc:
            raise click.ClickException(str(exc)) from None
    origin = f"http://{host}:{port}"
    for slug, base_path in app.runtime.base_paths.items():
        title = load_spec(spec_path(slug))["info"]["title"]
        base = origin + base_path
        click.echo(f"{title} [{slug}]\n  base URL    {base}\n  Swagger UI  {base}/ui/\n"
                   f"  fixtures    {app.runtime.fixture_sources[slug].describe(Path.cwd())}\n"
                   f"  try         {curl_line(slug, base, tokens, basic)}")
    click.echo(f"Control API   {origin}/_ticketmock (sessions, reset, state, snapshot, clock, journal, faults; "
               f"UI at {origin}/_ticketmock/ui/)")
    if control_token:
        click.echo("Control token required on every control request: 'Authorization: Bearer <token>' (the "
                   "--control-token value, not shown)")
    click.echo(f"Sessions      add 'X-Ticketmock-Session: NAME' or put /_session/NAME in front of a path; "
               f"idle ones expire after {session_ttl:g} s")
    if state_file is not None:
        click.echo(f"State file    {state_file} ({len(app.runtime.restored)} session(s) loaded; saved while "
                   "things change and at exit)")
    if state_url is not None:
        click.echo(f"State         {app.runtime.backend.describe()}; {workers} worker process(es) in this server")
    if exposure:
        click.echo(exposure, err=True)
    served: Any = app
    if watch:
        from mockserver.watch import Reloadable

        served = Reloadable(app, log=lambda line: click.echo(line))
        click.echo("Watching      every API's spec and fixture file: a change reloads that API in every session")
    click.echo(f"Dashboard     {origin}/")
    click.echo("Ctrl-C to stop." + ("" if quiet else " One line per request follows."))
    sys.stdout.flush()
    try:
        if workers == 1:
            # uvicorn's httptools protocol, answering malformed HTTP in the API's JSON envelope (mockserver/server.py).
            uvicorn.run(served, host=host, port=port, log_level="warning", access_log=False,
                        http=protocol_for(app.runtime.vendors))
        else:
            # Worker processes build their own app from the same options (they cannot be pickled).
            os.environ[WORKER_OPTIONS] = json.dumps(params, default=str)
            # The same warning filter as main(), for the fresh interpreters the workers are.
            quiet_warning = "ignore:Using `httpx` with `starlette.testclient` is deprecated"
            os.environ["PYTHONWARNINGS"] = ",".join(filter(None, (os.environ.get("PYTHONWARNINGS"), quiet_warning)))
            uvicorn.run("mockserver.cli:worker_app", factory=True, workers=workers, host=host, port=port,
                        log_level="warning", access_log=False, http="mockserver.server:WorkerProtocol")
    except KeyboardInterrupt:  # uvicorn shut down cleanly and re-raised Ctrl-C: no traceback
        sys.exit(130)


WORKER_OPTIONS = "TICKETMOCK_WORKER_OPTIONS"  # serve's options, for the worker processes of --workers N


def fail(message: str) -> NoReturn:
    """A startup problem the user must fix first: one line, exit 2."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


def mock_options(params: Mapping[str, Any]) -> MockOptions:
    """MockOptions from `serve`'s options (also in a worker process, from JSON)."""
    from mockserver.app import MockOptions
    from mockserver.state import open_backend

    freeze = params.get("freeze_time")
    fixtures = params.get("fixtures_dir")
    state_file = params.get("state_file")
    return MockOptions(
        seed=params.get("seed"), fixtures_dir=Path(fixtures) if fixtures else None,
        latency_ms=params.get("latency_ms", 0), cors_origins=tuple(params.get("cors_origins", ())),
        tokens=tuple(params.get("tokens", ())), basic=tuple(params.get("basic", ())),
        validate_responses=bool(params.get("validate_responses")), max_body_bytes=params["max_body_bytes"],
        freeze_time=datetime.fromisoformat(freeze) if isinstance(freeze, str) else freeze,
        session_ttl=params["session_ttl"], max_sessions=params["max_sessions"],
        state_file=Path(state_file) if state_file else None,
        backend=open_backend(params.get("state_url"), params.get("state_prefix", "ticketmock:")),
        host=params.get("host"), allowed_hosts=tuple(params.get("allowed_hosts", ())),
        control_token=params.get("control_token"),
        log=None if params.get("quiet") else (lambda line: click.echo(line)))


def worker_app() -> Any:
    """The app of one worker process of `serve --workers N` (uvicorn's factory)."""
    from mockserver.app import create_app

    params = json.loads(os.environ[WORKER_OPTIONS])
    return create_app(list(params.get("api_slugs") or ()) or None, mock_options(params))


@main.group()
def snapshot() -> None:
    """Save a session's whole state to a file, or load one into a running mock."""


def control_options(command: Any) -> Any:
    command = click.option("--control-token", envvar="TICKETMOCK_CONTROL_TOKEN", show_envvar=True, metavar="TOKEN",
                           help="The mock's control token, when it was started with one.")(command)
    command = click.option("--session", default="default", show_default=True, help="The session to act on.")(command)
    command = click.option("--url", default="http://127.0.0.1:8000", show_default=True,
                           help="The running mock (its origin).")(command)
    return command


@snapshot.command("save")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@control_options
def snapshot_save(file: Path, url: str, session: str, control_token: str | None) -> None:
    """Write the session's snapshot to FILE ('-' for standard output)."""
    from mockserver.client import ControlClient, ControlError
    from mockserver.statefile import write_atomically

    try:
        with ControlClient(url, session=session, token=control_token) as client:
            document = client.snapshot()
    except ControlError as exc:
        raise click.ClickException(str(exc)) from None
    content = json.dumps(document, ensure_ascii=False, indent=1).encode() + b"\n"
    if str(file) == "-":
        sys.stdout.buffer.write(content)
        return
    try:
        write_atomically(file.resolve(), content)
    except OSError as exc:
        raise click.ClickException(f"cannot write {file}: {exc.strerror}") from None
    records = sum(len(c) for api in document["apis"].values() for c in api["collections"].values())
    click.echo(f"saved session {session!r} of {url}: {len(document['apis'])} APIs, {records} records -> {file}")


@snapshot.command("load")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@control_options
def snapshot_load(file: Path, url: str, session: str, control_token: str | None) -> None:
    """Replace the session's state with the snapshot in FILE ('-' for standard input)."""
    from mockserver.client import ControlClient, ControlError

    try:
        raw = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror}") from None
    try:
        document = json.loads(raw)
    except ValueError as exc:
        raise click.ClickException(f"{file} is not JSON: {exc}") from None
    try:
        with ControlClient(url, session=session, token=control_token) as client:
            result = client.load_snapshot(document)
    except ControlError as exc:
        raise click.ClickException(str(exc)) from None
    records = sum(sum(counts.values()) for counts in result["records"].values())
    click.echo(f"loaded {file} into session {session!r} of {url}: {', '.join(result['loaded'])} ({records} records)")
