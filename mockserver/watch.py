"""`ticketmock serve --watch`: an API's fixtures or spec file changes, that API reloads; the rest keeps its state.

A fixture file is read again into the API's baseline and the API is reset to it in every session. A spec
is routed by Connexion when the app is built, and Connexion has no way to change one API's routes in place,
so a spec change builds a whole new app behind a stable ASGI front (`Reloadable`). The new app takes over
the running state: it keeps the same backend, so every session with its stores, journal, faults and clock
goes on; only the API whose spec changed is reset in every session (its records may not fit the new spec).
A file that does not load leaves everything as it was, and the log says why.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.types import Receive, Scope, Send

from mockserver.fixtures import FixtureError

if TYPE_CHECKING:
    from mockserver.app import MockApp, Runtime

FIXTURES, SPEC = "fixtures", "spec"


class Reloadable:
    """A stable ASGI app in front of the mock that `--watch` can swap; it also runs the watcher while the
    server lives (from lifespan startup to shutdown)."""

    def __init__(self, app: MockApp, log: Callable[[str], None]) -> None:
        self.app = app
        self.log = log

    @property
    def runtime(self) -> Runtime:
        return self.app.runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        stop = asyncio.Event()
        watcher = asyncio.create_task(self.watch(stop))
        try:
            await self.app(scope, receive, send)
        finally:
            stop.set()
            watcher.cancel()
            with suppress(asyncio.CancelledError):
                await watcher

    def watched(self) -> dict[Path, tuple[str, str]]:
        """Every file whose change reloads something: path -> (slug, FIXTURES or SPEC)."""
        runtime = self.runtime
        files: dict[Path, tuple[str, str]] = {}
        for slug, vendor in runtime.vendors.items():
            files[vendor.spec_path.resolve()] = (slug, SPEC)
            candidates = [vendor.fixtures_path]
            if runtime.options.fixtures_dir is not None:
                directory = runtime.options.fixtures_dir
                candidates += [directory / f"{slug}.yaml", directory / slug / "fixtures.yaml"]
            for path in candidates:
                files[path.resolve()] = (slug, FIXTURES)
        return files

    async def watch(self, stop: asyncio.Event) -> None:
        from watchfiles import awatch

        files = self.watched()
        # Folders, not files: editors save by writing a new file and renaming it over the old one.
        folders = sorted({path.parent for path in files if path.parent.is_dir()})
        if self.runtime.options.fixtures_dir is not None:
            folders.append(self.runtime.options.fixtures_dir.resolve())
        async for changes in awatch(*folders, stop_event=stop, debounce=300, step=50):
            touched: dict[str, str] = {}
            for _, name in changes:
                found = files.get(Path(name).resolve())
                if found is not None and touched.get(found[0]) != SPEC:  # a spec reload reloads fixtures too
                    touched[found[0]] = found[1]
            for slug, kind in touched.items():
                try:
                    await (self.reload_spec(slug) if kind == SPEC else self.reload_fixtures(slug))
                except Exception as exc:  # the server goes on with what it had, whatever broke
                    self.log(f"--watch: {slug}: {kind} not reloaded: {exc}")
            files = self.watched()  # a new file in the fixtures folder may now be the one an API uses

    async def reload_fixtures(self, slug: str) -> None:
        runtime = self.runtime
        try:
            runtime.load_fixtures(slug)
        except FixtureError as exc:
            self.log(f"--watch: {slug}: fixtures not reloaded, the API keeps its data: {exc}")
            return
        count = await self.reset_everywhere(runtime, slug)
        self.log(f"--watch: {slug}: reloaded {runtime.fixture_sources[slug].describe()}; reset in {count} "
                 "session(s), the other APIs keep their state")

    async def reload_spec(self, slug: str) -> None:
        from mockserver.app import create_app

        old = self.runtime
        options = dataclasses.replace(old.options, backend=old.backend, vendors=dict(old.vendors))
        def build() -> Any:
            app = create_app(list(old.vendors), options, clock=old.clock)
            # Connexion resolves operations when it builds its middleware stack, on the first request; build it
            # now, so that a spec naming an operation without a handler is refused here, not served broken.
            app.middleware.app, app.middleware.middleware_stack = app.middleware._build_middleware_stack()
            return app

        try:
            # Building reads every spec and fixture file: off the event loop, so requests go on meanwhile.
            app = await asyncio.to_thread(build)
        except Exception as exc:
            self.log(f"--watch: {slug}: spec not reloaded, the API keeps its routes: {type(exc).__name__}: {exc}")
            return
        await app.runtime.start()
        self.app = app
        count = await self.reset_everywhere(app.runtime, slug)
        self.log(f"--watch: {slug}: reloaded {old.vendors[slug].spec_path}; reset in {count} session(s), the other "
                 "APIs keep their state")

    @staticmethod
    async def reset_everywhere(runtime: Runtime, slug: str) -> int:
        sessions = await runtime.sessions.sessions()
        for session in sessions:
            await runtime.reset(session, slug)
        return len(sessions)
