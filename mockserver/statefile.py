"""`serve --state-file FILE`: every session survives a restart of a memory-backed mock.

The file is read at start (a corrupt or incompatible file stops startup with one line), written
every few seconds while something changed and once more at shutdown. Each write goes to a
temporary file that replaces FILE in one rename, after the previous good FILE became FILE.bak.
The request journal is not kept: it is a record of traffic, not of the world, and keeping it would
rewrite the file after every read.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from mockserver.clock import ClockSetting, iso, parse_iso
from mockserver.errors import InvalidInput
from mockserver.faults import MODES, Fault, FaultBoard
from mockserver.sessions import Session, SessionSettings, check_name
from mockserver.snapshot import read_api, token_expiries
from mockserver.store import Store

if TYPE_CHECKING:
    from mockserver.app import Runtime
    from mockserver.state.memory import MemoryBackend

FORMAT = "ticketmock-state"
VERSION = 1
INTERVAL = 2.0  # seconds between checks for changes


class StateFileError(Exception):
    """The state file cannot be used; the message names the file and the problem."""


def document(sessions: list[tuple[Session, dict[str, Store]]]) -> dict[str, Any]:
    """The state file's content. Only stores a session wrote to are kept; the others are its fixtures."""
    return {"format": FORMAT, "version": VERSION, "savedAt": iso(datetime.now(UTC)), "sessions": [{
        "name": session.name,
        "settings": {"seed": session.settings.seed, "strictAuth": session.settings.strict_auth,
                     "tokens": list(session.settings.tokens), "ttlSeconds": session.settings.ttl_seconds,
                     "freezeTime": iso(session.settings.freeze_time) if session.settings.freeze_time else None},
        "seed": session.seed, "created": session.created, "lastUsed": session.last_used,
        "requests": session.requests,
        "clock": {"frozenAt": iso(session.clock_setting.frozen_at) if session.clock_setting.frozen_at else None,
                  "offsetSeconds": session.clock_setting.offset.total_seconds()},
        "faults": [fault.as_json() for fault in session.faults.list()],
        "apis": {slug: {"collections": {name: list(c) for name, c in store.collections.items()},
                        "counters": dict(store.counters), "idSequence": store.id_sequence,
                        "tokens": token_expiries(store)} for slug, store in stores.items()},
    } for session, stores in sessions]}


def write_atomically(path: Path, content: bytes) -> None:
    """Replace `path` with `content` in one rename; the previous file becomes `path.bak`."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            backup = path.with_name(path.name + ".bak")
            link = path.with_name(f".{path.name}.bak.tmp")
            with contextlib.suppress(FileNotFoundError):
                link.unlink()
            os.link(path, link)  # FILE stays in place while the backup is made
            os.replace(link, backup)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {"format": FORMAT, "version": VERSION, "sessions": []}
    except OSError as exc:
        raise StateFileError(f"{path}: cannot read the state file ({exc.strerror})") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        backup = path.with_name(path.name + ".bak")
        hint = f"; the previous good state is in {backup}" if backup.exists() else ""
        raise StateFileError(f"{path}: not a ticketmock state file: invalid JSON ({exc}){hint}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StateFileError(f"{path}: not a ticketmock state file (expected \"format\": \"{FORMAT}\")")
    if data.get("version") != VERSION:
        raise StateFileError(f"{path}: state file version {data.get('version')!r} is not supported; this "
                             f"ticketmock reads version {VERSION}")
    if not isinstance(data.get("sessions"), list):
        raise StateFileError(f"{path}: \"sessions\" must be a list")
    return data


def restore(runtime: Runtime, path: Path, data: dict[str, Any]) -> list[tuple[Session, dict[str, Store]]]:
    """Rebuild the sessions a state file holds, validating every record like a snapshot load."""
    restored = []
    for index, item in enumerate(data["sessions"]):
        where = f"{path}: sessions[{index}]"
        try:
            restored.append(restore_session(runtime, item))
        except (InvalidInput, KeyError, TypeError, ValueError) as exc:
            message = exc.message if isinstance(exc, InvalidInput) else f"{type(exc).__name__}: {exc}"
            raise StateFileError(f"{where}: {message}") from None
    return restored


def restore_session(runtime: Runtime, item: dict[str, Any]) -> tuple[Session, dict[str, Store]]:
    name = check_name(item["name"])
    given = item.get("settings") or {}
    freeze = given.get("freezeTime")
    settings = SessionSettings(seed=given.get("seed"), strict_auth=bool(given.get("strictAuth")),
                               tokens=tuple(given.get("tokens") or ()), ttl_seconds=given.get("ttlSeconds"),
                               freeze_time=parse_iso(freeze) if freeze else None)
    session = runtime.sessions.new(name, settings)
    session.seed = int(item["seed"])
    session.created, session.last_used = float(item["created"]), float(item["lastUsed"])
    session.requests = int(item.get("requests", 0))
    clock = item.get("clock") or {}
    frozen = clock.get("frozenAt")
    session.clock_setting = ClockSetting(parse_iso(frozen) if frozen else None,
                                         timedelta(seconds=float(clock.get("offsetSeconds", 0))))
    session.faults = FaultBoard()
    for fault in item.get("faults") or []:
        if fault.get("api") not in runtime.vendors or fault.get("mode") not in MODES:
            continue  # an API this mock no longer serves
        session.faults.restore(Fault(int(fault["id"]), fault["api"], fault["operationId"], fault.get("status"),
                                     fault.get("latencyMs"), fault["mode"], int(fault.get("hits", 0))))
    stores = {}
    for slug, api in (item.get("apis") or {}).items():
        if slug in runtime.vendors:
            stores[slug] = read_api(runtime, slug, api)
            stores[slug].modified = True
    return session, stores


async def put_back(runtime: Runtime, restored: list[tuple[Session, dict[str, Store]]]) -> None:
    """Put restored sessions into the backend, replacing sessions of the same name."""
    for session, stores in restored:
        await runtime.backend.remove(session.name)
        await runtime.backend.add(session)
        if stores:
            await runtime.backend.replace_stores(session, stores)


async def save(runtime: Runtime, path: Path) -> None:
    """Write every session; stores are forked first, so serialising in a thread sees a still picture."""
    sessions = []
    for session in await runtime.backend.all():
        stores = {slug: store.fork() for slug, store in session.stores.items() if store.modified}
        sessions.append((session, stores))
    content = await asyncio.to_thread(lambda: orjson.dumps(document(sessions)))
    await asyncio.to_thread(write_atomically, path, content)


async def keep_saved(runtime: Runtime, backend: MemoryBackend, path: Path, interval: float = INTERVAL) -> None:
    """Save every `interval` seconds while something changed (runs until cancelled)."""
    saved = backend.generation
    while True:
        await asyncio.sleep(interval)
        if backend.generation != saved:
            saved = backend.generation
            await save(runtime, path)
