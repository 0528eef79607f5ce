"""Sessions in Redis (or Valkey): every process with the same URL and prefix serves one mock.

Each process keeps a replica of the stores it serves (forks of the fixture baselines, as in memory),
so handlers and list indexes run at memory speed. Redis holds what a session changed, per API: the
records it wrote (a hash per collection; deleted fixture records as tombstones), its counters, id
sequence and issued tokens, a version, and a short log of recent change sets.

Why optimistic versions first: a request checks the version it read at its start, runs the handler
on the replica, and commits its change set with one Lua script that applies it only if the version
is still the one it read. A commit is one atomic Redis operation: a worker killed before it leaves
nothing half-applied. A process that loses the race catches up and runs the handler again, so of two
concurrent transitions on one ticket exactly one succeeds and the other gets the vendor's refusal.
Within a process, units of one session and API take turns (an asyncio lock). Under contention
(processes writing one session's API at once) losers would keep colliding, so a unit that lost a race
takes a lock on the (session, API) with a short expiry and retries holding it; while it is held only
its holder can commit (the commit script checks), and a killed holder blocks others for LOCK_TTL at
most. Uncontended writes never touch the lock.

Key layout (`P` = the prefix plus the layout version, `ticketmock:v1:`):

    P sessions                  zset  name -> expiry deadline (+inf: never)
    P s:NAME                    hash  settings, clock, seed, created, lastUsed, requests, versions, ids
    P s:NAME:faults / :hits     hash  fault id -> fault JSON / hits
    P s:NAME:journal            list  "id JSON", newest first, capped
    P s:NAME:a:API              hash  ver, epoch, idseq, c:COUNTER
    P s:NAME:a:API:tokens       hash  token -> expiry
    P s:NAME:a:API:log          list  "ver change-set", the last LOG_SIZE
    P s:NAME:a:API:lock         string  the token of the unit committing in turn (expires)
    P s:NAME:a:API:r:COLL       hash  key JSON -> record JSON ("null": a deleted fixture record)
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import secrets
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import orjson
import redis.asyncio as aredis
from redis.exceptions import RedisError, ResponseError

from mockserver.clock import ClockSetting, iso, parse_iso
from mockserver.errors import Unavailable
from mockserver.faults import Fault, FaultBoard
from mockserver.sessions import DEFAULT, Session, SessionSettings
from mockserver.state import StateError
from mockserver.state.lua import ADD, BEGIN, COMMIT, RECORD, TAKE_FAULT, UNLOCK
from mockserver.store import Changes, Store

T = TypeVar("T")
LAYOUT = 1
LOG_SIZE = 256  # change sets kept for processes catching up; further behind, a process reloads
RETRIES = 50  # commits lost in a row to other processes before a request gives up (503)
LOCK_TTL = 2.0  # seconds a (session, API) lock lives: the longest a killed worker can hold others up


class LayoutMismatch(StateError):
    """The keys under the prefix were written by an incompatible ticketmock, or from other fixtures."""


def safe_url(url: str) -> str:
    """The URL without its password (what may be printed)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username + ':' if parts.username else ':'}***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def client_url(url: str) -> str:
    """`valkey://` and `valkeys://` are Redis' protocol under Valkey's name."""
    for alias, scheme in (("valkeys://", "rediss://"), ("valkey://", "redis://")):
        if url.startswith(alias):
            return scheme + url[len(alias):]
    return url


def dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError:  # integers beyond 64 bits (Flow Retail's exact amounts)
        import json

        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()



class Replica:
    """A process's copy of one session's store of one API, and the version it is at."""

    __slots__ = ("store", "version", "epoch", "lock")

    def __init__(self, store: Store) -> None:
        self.store = store
        self.version = 0
        self.epoch = ""
        self.lock = asyncio.Lock()


class RedisBackend:
    """Sessions kept in Redis, with a replica per (session, API) in each process."""

    name = "redis"

    def __init__(self, url: str, prefix: str = "ticketmock:", *, journal_size: int = 1000) -> None:
        self.url = url
        self.prefix = prefix
        self.keys = f"{prefix}v{LAYOUT}:"
        self.journal_size = journal_size
        self._baselines: Mapping[str, Store] = {}
        self._collections: dict[str, list[str]] = {}
        self._sessions: dict[str, Session] = {}  # replicas of the sessions this process has served
        self._incarnations: dict[str, str] = {}
        self._replicas: dict[tuple[str, str], Replica] = {}
        self._seen: dict[tuple[str, str], tuple[int, str]] = {}  # the newest (version, epoch) a request read
        self._client: Any = None  # redis.asyncio.Redis (its type stubs do not know our bytes-only use)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._scripts: dict[str, Any] = {}
        self._contended: dict[tuple[str, str], float] = {}  # (session, API) -> take the lock first until then
        self._journal_queue: list[tuple[str, bytes]] = []
        self._journal_flush: asyncio.Task[None] | None = None

    # --- plumbing ----------------------------------------------------------------------------------

    def describe(self) -> str:
        return f"redis {safe_url(self.url)} (prefix {self.prefix})"

    @property
    def redis(self) -> Any:
        """The client of this event loop (connections belong to the loop that opened them)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = aredis.Redis.from_url(client_url(self.url), socket_connect_timeout=2, socket_timeout=5)
            self._loop = loop
            self._scripts = {name: self._client.register_script(source) for name, source in
                             (("begin", BEGIN), ("commit", COMMIT), ("add", ADD), ("take", TAKE_FAULT),
                              ("record", RECORD), ("unlock", UNLOCK))}
        return self._client

    def script(self, name: str) -> Any:
        self.redis  # noqa: B018 - binds the scripts to this loop's client
        return self._scripts[name]

    @asynccontextmanager
    async def reachable(self) -> AsyncIterator[None]:
        """Turn a lost connection into `Unavailable` (503 in the vendor's envelope), naming the URL."""
        try:
            yield
        except ResponseError:
            raise
        except (RedisError, OSError) as exc:
            reason = str(exc).replace(self.url, safe_url(self.url)) or type(exc).__name__
            raise Unavailable(f"the mock's state at {safe_url(self.url)} cannot be reached ({reason}); retry when "
                              "it is back") from None

    def k_session(self, name: str) -> str:
        return f"{self.keys}s:{name}"

    def k_api(self, name: str, slug: str) -> str:
        return f"{self.keys}s:{name}:a:{slug}"

    def session_keys(self, name: str) -> list[str]:
        keys = [self.k_session(name), f"{self.k_session(name)}:faults", f"{self.k_session(name)}:hits",
                f"{self.k_session(name)}:journal"]
        for slug, collections in self._collections.items():
            api = self.k_api(name, slug)
            keys += [api, f"{api}:tokens", f"{api}:log", f"{api}:lock", *(f"{api}:r:{c}" for c in collections)]
        return keys

    # --- lifecycle ---------------------------------------------------------------------------------

    async def start(self, baselines: Mapping[str, Store]) -> None:
        self._baselines = baselines
        self._collections = {slug: list(store.collections) for slug, store in baselines.items()}
        async with self.reachable():
            await self.check_layout(self.redis, baselines)

    async def check_layout(self, client: Any, baselines: Mapping[str, Store]) -> None:
        """Refuse keys of another layout, and fixtures that differ from the other processes'."""
        marker = f"{self.prefix}layout"
        await client.set(marker, LAYOUT, nx=True)
        found = await client.get(marker)
        if found is not None and int(found) != LAYOUT:
            raise LayoutMismatch(f"{safe_url(self.url)} holds ticketmock state in key layout {int(found)} under "
                                 f"prefix {self.prefix!r}; this ticketmock uses layout {LAYOUT}: use another "
                                 "--state-prefix, or delete the keys under that prefix")
        prints = f"{self.keys}fixtures"
        for slug, store in baselines.items():
            mine = fingerprint(store)
            await client.hsetnx(prints, slug, mine)
            theirs = (await client.hget(prints, slug)).decode()
            if theirs != mine:
                raise LayoutMismatch(f"the {slug} fixtures differ from those of the other ticketmock processes "
                                     f"sharing {safe_url(self.url)} (prefix {self.prefix!r}): start every process "
                                     "with the same --fixtures, or use another --state-prefix")

    async def close(self) -> None:
        if self._journal_flush is not None and not self._journal_flush.done():
            await self._journal_flush
        if self._client is not None and self._loop is asyncio.get_running_loop():
            await self._client.aclose()
        self._client = None

    async def health(self) -> dict[str, Any]:
        report: dict[str, Any] = {"backend": self.name, "state": self.describe()}
        try:
            async with self.reachable():
                await self.redis.ping()
                report["sessions"] = await self.redis.zcard(f"{self.keys}sessions")
        except Unavailable as exc:
            return {**report, "ok": False, "error": exc.message}
        return {**report, "ok": True}

    # --- the registry ------------------------------------------------------------------------------

    async def get(self, name: str, *, now: float | None = None, touch: bool = False, counted: bool = False,
                  api: str | None = None) -> Session | None:
        async with self.reachable():
            found = await self.script("begin")(
                keys=[self.k_session(name), f"{self.keys}sessions", self.k_api(name, api or "-")],
                args=[repr(now if now is not None else -1.0), int(touch), int(counted), name, int(api is not None)])
        if not found:
            return None
        if found[0] == b"expired":
            await self.remove(name)
            return None
        incarnation, version, faults_version, api_version, api_epoch, last_used, requests = found
        session = self._sessions.get(name)
        if session is None or self._incarnations.get(name) != incarnation.decode():
            session = await self._load_session(name)
            if session is None:
                return None
        elif int(version or 0) != session.version:
            await self._refresh_meta(session)
        if int(faults_version or 0) != session.faults_version:
            await self._load_faults(session)
        session.last_used, session.requests = float(last_used), int(requests or 0)  # every process's use
        if api is not None:
            self._see(name, api, int(api_version or 0), (api_epoch or b"").decode())
        return session

    def _see(self, name: str, slug: str, version: int, epoch: str) -> None:
        seen = self._seen.get((name, slug))
        if seen is None or seen[1] != epoch or seen[0] < version:
            self._seen[(name, slug)] = (version, epoch)

    async def _load_session(self, name: str) -> Session | None:
        async with self.reachable():
            fields = await self.redis.hgetall(self.k_session(name))
        if not fields:
            return None
        data = {key.decode(): value.decode() for key, value in fields.items()}
        session = self._sessions.get(name)
        if session is None or self._incarnations.get(name) != data["incarnation"]:
            settings = orjson.loads(data["settings"])
            freeze = settings.get("freezeTime")
            session = Session(name, SessionSettings(seed=settings.get("seed"), strict_auth=settings["strictAuth"],
                                                    tokens=tuple(settings.get("tokens") or ()),
                                                    ttl_seconds=settings.get("ttlSeconds"),
                                                    freeze_time=parse_iso(freeze) if freeze else None),
                              int(data["seed"]), created=float(data["created"]), ttl=float(data["ttl"]) or None)
            session.faults_version = -1
            self._sessions[name] = session
            self._incarnations[name] = data["incarnation"]
            for slug in self._collections:  # a session of this name that existed before is gone
                self._replicas.pop((name, slug), None)
                self._seen.pop((name, slug), None)
        session.last_used, session.requests = float(data["lastUsed"]), int(data.get("requests", 0))
        self._apply_meta(session, data)
        return session

    def _apply_meta(self, session: Session, data: Mapping[str, str]) -> None:
        clock = orjson.loads(data["clock"])
        session.clock_setting = ClockSetting(parse_iso(clock["frozenAt"]) if clock.get("frozenAt") else None,
                                             timedelta(seconds=clock.get("offsetSeconds", 0)))
        session.version = int(data.get("version", 0))

    async def _refresh_meta(self, session: Session) -> None:
        async with self.reachable():
            clock, version = await self.redis.hmget(self.k_session(session.name), "clock", "version")
        if clock is not None:
            self._apply_meta(session, {"clock": clock.decode(), "version": (version or b"0").decode()})

    async def add(self, session: Session) -> bool:
        settings, ttl = session.settings, session.ttl
        fields = {"incarnation": secrets.token_hex(8), "version": 0, "faults": 0, "seed": session.seed,
                  "created": repr(session.created), "lastUsed": repr(session.last_used), "requests": 0,
                  "ttl": repr(ttl or 0), "clock": clock_json(session.clock_setting),
                  "settings": dumps({"seed": settings.seed, "strictAuth": settings.strict_auth,
                                     "tokens": list(settings.tokens), "ttlSeconds": settings.ttl_seconds,
                                     "freezeTime": iso(settings.freeze_time) if settings.freeze_time else None})}
        flat: list[Any] = [item for pair in fields.items() for item in pair]
        deadline = "+inf" if not ttl or session.name == DEFAULT else repr(session.last_used + ttl)
        async with self.reachable():
            added = await self.script("add")(keys=[self.k_session(session.name), f"{self.keys}sessions"],
                                             args=[deadline, session.name, *flat])
        if added:
            self._sessions[session.name] = session
            self._incarnations[session.name] = str(fields["incarnation"])
            session.version, session.faults_version = 0, 0
            for slug in self._collections:
                self._replicas.pop((session.name, slug), None)
                self._seen.pop((session.name, slug), None)
        return bool(added)

    async def remove(self, name: str) -> bool:
        async with self.reachable():
            pipe = self.redis.pipeline(transaction=True)
            pipe.zrem(f"{self.keys}sessions", name)
            pipe.unlink(*self.session_keys(name))
            removed, _ = await pipe.execute()
        self._sessions.pop(name, None)
        self._incarnations.pop(name, None)
        for slug in self._collections:
            self._replicas.pop((name, slug), None)
            self._seen.pop((name, slug), None)
        return bool(removed)

    async def all(self) -> list[Session]:
        async with self.reachable():
            names = [n.decode() for n in await self.redis.zrange(f"{self.keys}sessions", 0, -1)]
        found = [await self._load_session(name) for name in names]
        return [session for session in found if session is not None]

    async def sweep(self, now: float) -> list[str]:
        async with self.reachable():
            names = [n.decode() for n in await self.redis.zrangebyscore(f"{self.keys}sessions", "-inf", repr(now))]
        for name in names:
            await self.remove(name)
        return names

    async def count(self) -> int:
        async with self.reachable():
            return int(await self.redis.zcard(f"{self.keys}sessions"))

    async def save_settings(self, session: Session) -> None:
        async with self.reachable():
            pipe = self.redis.pipeline(transaction=True)
            pipe.hset(self.k_session(session.name), "clock", clock_json(session.clock_setting))
            pipe.hincrby(self.k_session(session.name), "version", 1)
            _, session.version = await pipe.execute()

    # --- stores ------------------------------------------------------------------------------------

    def _replica(self, name: str, slug: str) -> Replica:
        replica = self._replicas.get((name, slug))
        if replica is None:
            replica = self._replicas[(name, slug)] = Replica(self._baselines[slug].fork())
        return replica

    async def store(self, session: Session, slug: str, *, fresh: bool = False) -> Store:
        if fresh or (session.name, slug) not in self._seen:
            async with self.reachable():
                version, epoch = await self.redis.hmget(self.k_api(session.name, slug), "ver", "epoch")
            self._see(session.name, slug, int(version or 0), (epoch or b"").decode())
        replica = self._replica(session.name, slug)
        async with replica.lock:  # never while a unit of this process has the replica open
            await self._catch_up(session.name, slug, replica, *self._seen[(session.name, slug)])
        return replica.store

    async def _catch_up(self, name: str, slug: str, replica: Replica, version: int, epoch: str) -> None:
        """Bring the replica to at least `version` of `epoch`: the recent change sets, else everything."""
        if replica.epoch == epoch and replica.version >= version:
            return
        api = self.k_api(name, slug)
        if replica.epoch == epoch and version - replica.version <= LOG_SIZE:
            async with self.reachable():
                pipe = self.redis.pipeline(transaction=True)
                pipe.hmget(api, "ver", "epoch")
                pipe.lrange(f"{api}:log", -LOG_SIZE, -1)
                (now_version, now_epoch), log = await pipe.execute()
            batches = [entry.split(b" ", 1) for entry in log]
            wanted = [(int(v), payload) for v, payload in batches if int(v) > replica.version]
            if (now_epoch or b"").decode() == epoch and wanted and wanted[0][0] == replica.version + 1:
                for number, payload in wanted:
                    replica.store.apply(self._changes(slug, payload))
                    replica.version = number
                self._see(name, slug, int(now_version or 0), epoch)
                return
        await self._reload(name, slug, replica)

    async def _reload(self, name: str, slug: str, replica: Replica) -> None:
        """Rebuild a replica from the fixture baseline and everything the session changed."""
        api = self.k_api(name, slug)
        collections = self._collections[slug]
        async with self.reachable():
            pipe = self.redis.pipeline(transaction=True)
            pipe.hgetall(api)
            pipe.hgetall(f"{api}:tokens")
            for collection in collections:
                pipe.hgetall(f"{api}:r:{collection}")
            meta, tokens, *records = await pipe.execute()
        store = self._baselines[slug].fork()
        changes = Changes()
        for collection, rows in zip(collections, records, strict=True):
            for key, record in rows.items():
                changes.records[(collection, orjson.loads(key))] = None if record == b"null" else orjson.loads(record)
        fields = {key.decode(): value.decode() for key, value in meta.items()}
        changes.counters = {key[2:]: int(value) for key, value in fields.items() if key.startswith("c:")}
        changes.id_sequence = int(fields["idseq"]) if "idseq" in fields else None
        changes.tokens = {token.decode(): float(expiry) for token, expiry in tokens.items()}
        if changes:
            store.apply(changes)
        replica.store, replica.version, replica.epoch = store, int(fields.get("ver", 0)), fields.get("epoch", "")
        self._see(name, slug, replica.version, replica.epoch)

    def _changes(self, slug: str, payload: bytes) -> Changes:
        data = orjson.loads(payload)
        collections = self._collections[slug]
        changes = Changes()
        for index, key, record in data["r"]:
            changes.records[(collections[index - 1], orjson.loads(key))] = \
                None if record is False or record == "null" else orjson.loads(record)
        changes.counters = {name: int(value) for name, value in data["c"].items()}
        changes.id_sequence = data["i"]
        changes.tokens = {token: expiry for token, expiry in data["t"]}
        return changes

    def _payload(self, slug: str, changes: Changes) -> bytes:
        collections = self._collections[slug]
        baseline = self._baselines[slug]
        rows = []
        for (collection, key), record in changes.records.items():
            if record is None:  # a fixture record needs a tombstone; a record the session made just goes
                value: Any = "null" if key in baseline[collection] else False
            else:
                value = dumps(record).decode()
            rows.append([collections.index(collection) + 1, dumps(key).decode(), value])
        return dumps({"r": rows, "c": changes.counters, "i": changes.id_sequence,
                      "t": [[token, expiry] for token, expiry in changes.tokens.items()]})

    async def run(self, session: Session, slug: str, work: Callable[[Store], T]) -> T:
        replica = self._replica(session.name, slug)
        api = self.k_api(session.name, slug)
        keys = [api, f"{api}:log", f"{api}:tokens", *(f"{api}:r:{c}" for c in self._collections[slug]), f"{api}:lock"]
        token = ""  # the lock this unit holds once it lost a race (see _lock); the commit releases it
        async with replica.lock:
            try:
                for attempt in range(RETRIES):
                    if not token and (attempt or self._contended.get((session.name, slug), 0.0) > time.monotonic()):
                        token = await self._lock(f"{api}:lock", session.name, slug)
                    await self._catch_up(session.name, slug, replica, *self._seen.get((session.name, slug), (0, "")))
                    store, version, epoch = replica.store, replica.version, replica.epoch
                    transaction = store.begin()
                    try:
                        result = work(store)
                    except BaseException:
                        transaction.rollback()
                        raise
                    changes = transaction.changes()
                    if not changes:
                        transaction.commit()
                        return result
                    try:
                        async with self.reachable():
                            committed = await self.script("commit")(
                                keys=keys, args=[version, epoch, self._payload(slug, changes), LOG_SIZE, token])
                    except BaseException:
                        transaction.rollback()
                        raise
                    if committed >= 0:
                        transaction.commit()
                        token = ""  # released by the commit
                        replica.version = int(committed)
                        self._see(session.name, slug, replica.version, replica.epoch)
                        return result
                    # While processes collide on this API, take turns from the start for a second.
                    self._contended[(session.name, slug)] = time.monotonic() + 1.0
                    # Another process committed first (or holds the lock): undo, catch up, run again.
                    transaction.rollback()
                    async with self.reachable():
                        version_now, epoch_now = await self.redis.hmget(api, "ver", "epoch")
                    self._see(session.name, slug, int(version_now or 0), (epoch_now or b"").decode())
            finally:
                if token:
                    async with self.reachable():
                        await self.script("unlock")(keys=[f"{api}:lock"], args=[token])
        raise Unavailable(f"{slug} in session {session.name!r} is changed too often by other processes to commit "
                          f"(gave up after {RETRIES} attempts); retry")

    async def _lock(self, key: str, name: str, slug: str) -> str:
        """Take the (session, API) lock that units take after losing a race, so that under contention
        they commit in turn instead of colliding again. While it is held only its holder commits (the
        commit script checks it); it expires after LOCK_TTL, so a killed holder blocks no one for long."""
        token = secrets.token_hex(8)
        deadline = time.monotonic() + LOCK_TTL * 2
        while True:
            async with self.reachable():
                if await self.redis.set(key, token, nx=True, px=int(LOCK_TTL * 1000)):
                    return token
            if time.monotonic() > deadline:
                raise Unavailable(f"{slug} in session {name!r} stayed locked by another process for "
                                  f"{LOCK_TTL * 2:.0f} s; retry")
            await asyncio.sleep(0.0005 + random.random() * 0.001)

    async def replace_stores(self, session: Session, stores: Mapping[str, Store]) -> None:
        async with self.reachable():
            pipe = self.redis.pipeline(transaction=True)
            epochs = {}
            for slug, store in stores.items():
                api = self.k_api(session.name, slug)
                baseline = self._baselines[slug]
                pipe.unlink(api, f"{api}:tokens", f"{api}:log", *(f"{api}:r:{c}" for c in self._collections[slug]))
                for collection in self._collections[slug]:
                    overlay = overlay_of(baseline[collection], store[collection])
                    if overlay:
                        pipe.hset(f"{api}:r:{collection}", mapping=overlay)
                epochs[slug] = epoch = secrets.token_hex(8)
                meta: dict[str, Any] = {"ver": 0, "epoch": epoch, "idseq": store.id_sequence}
                meta.update({f"c:{name}": value for name, value in store.counters.items()})
                pipe.hset(api, mapping=meta)
                if store.tokens:
                    pipe.hset(f"{api}:tokens", mapping={t: repr(e) for t, e in store.tokens.items()})
            await pipe.execute()
        for slug, store in stores.items():
            replica = self._replica(session.name, slug)
            replica.store, replica.version, replica.epoch = store, 0, epochs[slug]
            self._seen[(session.name, slug)] = (0, epochs[slug])

    # --- faults ------------------------------------------------------------------------------------

    async def _load_faults(self, session: Session) -> None:
        key = self.k_session(session.name)
        async with self.reachable():
            pipe = self.redis.pipeline(transaction=True)
            pipe.hget(key, "faults")
            pipe.hgetall(f"{key}:faults")
            pipe.hgetall(f"{key}:hits")
            version, faults, hits = await pipe.execute()
        board = FaultBoard()
        for fault_id, data in sorted(faults.items(), key=lambda item: int(item[0])):
            fault = fault_of(orjson.loads(data))
            fault.hits = int(hits.get(fault_id, 0))
            board.restore(fault)
        session.faults, session.faults_version = board, int(version or 0)

    async def arm_fault(self, session: Session, api: str, operation_id: str, *, status: int | None,
                        latency_ms: int | None, mode: str) -> Fault:
        key = self.k_session(session.name)
        async with self.reachable():
            fault_id = int(await self.redis.hincrby(key, "faultseq", 1))
            fault = Fault(fault_id, api, operation_id, status, latency_ms, mode)
            pipe = self.redis.pipeline(transaction=True)
            pipe.hset(f"{key}:faults", str(fault_id), dumps(fault.as_json()))
            pipe.hincrby(key, "faults", 1)
            await pipe.execute()
        await self._load_faults(session)
        return fault

    async def take_fault(self, session: Session, api: str, operation_id: str) -> Fault | None:
        candidate = next((f for f in session.faults.list() if f.api == api and f.operation_id == operation_id), None)
        if candidate is None:
            return None
        key = self.k_session(session.name)
        async with self.reachable():
            found = await self.script("take")(keys=[key, f"{key}:faults", f"{key}:hits"],
                                              args=[str(candidate.id), candidate.mode])
        if not found:  # another process took it first
            await self._load_faults(session)
            return None
        if candidate.mode == "once":
            session.faults.clear(candidate.id)
        candidate.hits += 1
        return candidate

    async def clear_faults(self, session: Session, fault_id: int | None = None) -> int:
        key = self.k_session(session.name)
        async with self.reachable():
            pipe = self.redis.pipeline(transaction=True)
            if fault_id is None:
                pipe.hlen(f"{key}:faults")
                pipe.unlink(f"{key}:faults", f"{key}:hits")
            else:
                pipe.hdel(f"{key}:faults", str(fault_id))
                pipe.hdel(f"{key}:hits", str(fault_id))
            pipe.hincrby(key, "faults", 1)
            cleared, *_ = await pipe.execute()
        await self._load_faults(session)
        return int(cleared)

    async def faults(self, session: Session) -> list[Fault]:
        await self._load_faults(session)
        return session.faults.list()

    # --- the journal -------------------------------------------------------------------------------

    async def record(self, session: Session, entry: dict[str, Any]) -> None:
        """Queue the entry; queued entries go to Redis together, one round trip for many requests.

        A request's answer does not wait for its journal entry: under load that would double the
        round trips of a read. A journal read in this process sends what is queued first; entries
        queued by other processes arrive within one flush (a round trip) of their requests.
        """
        self._journal_queue.append((self.k_session(session.name), dumps(entry)))
        if self._journal_flush is None or self._journal_flush.done():
            self._journal_flush = asyncio.get_running_loop().create_task(self._flush_journal())

    async def _flush_journal(self) -> None:
        while self._journal_queue:
            batch, self._journal_queue = self._journal_queue, []
            try:
                async with self.reachable():
                    pipe = self.redis.pipeline(transaction=False)
                    for key, entry in batch:
                        await self.script("record")(keys=[key, f"{key}:journal"], args=[entry, self.journal_size],
                                                    client=pipe)  # queued: the pipeline sends them together
                    await pipe.execute()
            except Unavailable:
                return  # the journal of requests answered while the state was away is lost with it

    async def entries(self, session: Session) -> list[dict[str, Any]]:
        if self._journal_flush is not None and not self._journal_flush.done():
            await self._journal_flush
        async with self.reachable():
            rows = await self.redis.lrange(f"{self.k_session(session.name)}:journal", 0, -1)
        entries = []
        for row in reversed(rows):
            number, _, data = row.partition(b" ")
            entries.append({**orjson.loads(data), "id": int(number)})
        return entries

    async def clear_journal(self, session: Session) -> int:
        key = f"{self.k_session(session.name)}:journal"
        async with self.reachable():
            pipe = self.redis.pipeline(transaction=True)
            pipe.llen(key)
            pipe.unlink(key)
            count, _ = await pipe.execute()
        return int(count)


def clock_json(setting: ClockSetting) -> bytes:
    return dumps({"frozenAt": iso(setting.frozen_at) if setting.frozen_at else None,
                  "offsetSeconds": setting.offset.total_seconds()})


def fault_of(data: Mapping[str, Any]) -> Fault:
    return Fault(int(data["id"]), data["api"], data["operationId"], data.get("status"), data.get("latencyMs"),
                 data["mode"], int(data.get("hits", 0)))


def overlay_of(baseline: Any, current: Any) -> dict[bytes, bytes]:
    """What a collection holds beyond its fixture baseline: new or changed records, and tombstones."""
    overlay = {}
    for record in current:
        key = record[current.key]
        if baseline.find(key) is not record and baseline.find(key) != record:
            overlay[dumps(key)] = dumps(record)
    for record in baseline:
        key = record[baseline.key]
        if key not in current:
            overlay[dumps(key)] = b"null"
    return overlay


def fingerprint(store: Store) -> str:
    """A digest of an API's fixture baseline: processes sharing state must start from the same."""
    digest = hashlib.sha256()
    for name, collection in sorted(store.collections.items()):
        digest.update(name.encode())
        for record in collection:
            digest.update(dumps(record))
    digest.update(dumps(sorted(store.counters.items())))
    return digest.hexdigest()[:32]

