"""The control API under /_ticketmock: sessions, resets, state, snapshots, clock, journal and faults.

Every endpoint but the session registry and the health check acts on the request's session (the
`X-Ticketmock-Session` header, the `/_session/NAME/` prefix, or `/_ticketmock/sessions/NAME/...`).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockserver import snapshot
from mockserver.clock import parse_duration, parse_iso
from mockserver.errors import Conflict, InvalidInput, NotFound
from mockserver.fixtures import FixtureError
from mockserver.journal import select
from mockserver.sessions import PREFIX, Session, check_name, parse_settings
from mockserver.spec import iter_operations, load_spec
from mockserver.vendors import unknown_slug_message
from mockserver.vendors.base import Call, ControlHandler, Reply, created, no_content, ok

if TYPE_CHECKING:
    from mockserver.app import Runtime

CONTROL_SPEC = Path(__file__).with_name("control.yaml")


def session_of(call: Call) -> Session:
    session = call.context.session
    assert session is not None, "control handlers always run in a session"
    return session


def control_handlers(runtime: Runtime) -> Mapping[str, ControlHandler]:
    """The control API's handlers, closed over the running mock."""
    titles = {slug: load_spec(vendor.spec_path)["info"]["title"] for slug, vendor in runtime.vendors.items()}
    operations = {slug: sum(1 for _ in iter_operations(load_spec(vendor.spec_path)))
                  for slug, vendor in runtime.vendors.items()}

    def slug_of(call: Call, value: Any = None) -> str:
        slug = call.params["slug"] if value is None else value
        if slug not in runtime.vendors:
            raise NotFound("API", slug, hint=unknown_slug_message(str(slug)))
        return str(slug)

    async def describe(session: Session) -> dict[str, Any]:
        info = session.info(runtime.clock)
        info["records"] = {slug: sum((await runtime.backend.store(session, slug, fresh=True)).record_count().values())
                           for slug in runtime.vendors}
        info["paths"] = {slug: f"{PREFIX}{session.name}{base}" for slug, base in runtime.base_paths.items()}
        return info

    async def list_sessions(call: Call) -> Reply:
        return ok({"sessions": [await describe(s) for s in await runtime.sessions.sessions()]})

    async def create_session(call: Call) -> Reply:
        name = check_name(call.body["name"])
        session = await runtime.sessions.create(name, parse_settings(call.body))
        return created(await describe(session), headers={"Location": f"/_ticketmock/sessions/{name}"})

    async def get_session(call: Call) -> Reply:
        name = call.params["name"]
        session = await runtime.sessions.find(name)
        if session is None:
            raise NotFound("session", name, hint="GET /_ticketmock/sessions lists them")
        return ok(await describe(session))

    async def delete_session(call: Call) -> Reply:
        name = call.params["name"]
        if not await runtime.sessions.delete(name):
            raise NotFound("session", name, hint="GET /_ticketmock/sessions lists them")
        return no_content()

    async def list_apis(call: Call) -> Reply:
        session = session_of(call)
        root = call.context.base_path.removesuffix("/_ticketmock")
        rows = []
        for slug in runtime.vendors:
            store = await runtime.backend.store(session, slug, fresh=True)
            base = root + runtime.base_paths[slug]
            rows.append({"slug": slug, "title": titles[slug], "basePath": base, "uiPath": f"{base}/ui/",
                         "operations": operations[slug], "records": store.record_count()})
        return ok({"apis": rows})

    def reload(call: Call, slugs: list[str]) -> dict[str, Any]:
        """With `reload=true`: read the fixture files again (all or none) before the reset."""
        if call.params.get("reload") and runtime.backend.name != "memory":
            # Processes that share a state must serve the same fixture data (checked when they start);
            # one process reading new files would quietly leave the others on the old data.
            raise Conflict("with a shared --state every process must serve the same fixtures: change the files "
                           "and restart the processes instead of reset?reload=true")
        if not call.params.get("reload"):
            return {}
        try:
            runtime.load_fixtures(*slugs)
        except FixtureError as exc:
            raise InvalidInput.of("reload", str(exc)) from None
        return {"reloaded": [str(runtime.fixture_sources[slug].path) for slug in slugs]}

    async def reset_all(call: Call) -> Reply:
        reloaded = reload(call, list(runtime.vendors))
        return ok({"reset": await runtime.reset(session_of(call)), **reloaded})

    async def reset_api(call: Call) -> Reply:
        slug = slug_of(call)
        reloaded = reload(call, [slug])
        return ok({"reset": await runtime.reset(session_of(call), slug), **reloaded})

    async def get_state(call: Call) -> Reply:
        slug = slug_of(call)
        store = await runtime.backend.store(session_of(call), slug, fresh=True)
        # A fork is a still picture (O(1)); written in slices, a large state never holds up other requests.
        return Reply(200, snapshot.write_state(slug, store.fork()))

    async def put_state(call: Call) -> Reply:
        session, slug, body = session_of(call), slug_of(call), call.body
        if body.get("api", slug) != slug:
            raise InvalidInput.of("api", f"the body is the state of {body['api']!r} but the path names {slug!r}; "
                                         f"PUT it to /_ticketmock/apis/{body['api']}/state")
        store = snapshot.read_api(runtime, slug, body, fill_in=runtime.baselines[slug])
        # As after a reset: the tokens this session's token endpoint issued stay valid.
        store.tokens = dict((await runtime.backend.store(session, slug)).tokens)
        await runtime.backend.replace_stores(session, {slug: store})
        return ok({"api": slug, "loaded": sorted(body["collections"]), "records": store.record_count()})

    async def get_snapshot(call: Call) -> Reply:
        session = session_of(call)
        # Forks: a consistent view, written out in slices while other requests go on.
        stores = {slug: (await runtime.backend.store(session, slug, fresh=True)).fork() for slug in runtime.vendors}
        chunks: AsyncIterator[bytes] = snapshot.write(session.name, stores)
        return Reply(200, chunks, headers={"Content-Disposition": f'attachment; filename="{session.name}.json"'})

    async def put_snapshot(call: Call) -> Reply:
        session = session_of(call)
        stores = snapshot.read(runtime, call.body)
        await runtime.backend.replace_stores(session, stores)
        return ok({"loaded": sorted(stores), "records": {slug: s.record_count() for slug, s in stores.items()}})

    async def get_clock(call: Call) -> Reply:
        return ok(session_of(call).clock_setting.as_json(runtime.clock))

    async def set_clock(call: Call) -> Reply:
        session, body = session_of(call), call.body
        given = [key for key in ("freeze", "advance", "resume") if body.get(key) not in (None, False)]
        if len(given) != 1:
            raise InvalidInput.of("(body)", 'give exactly one of {"freeze": "2026-03-01T09:00:00Z"}, '
                                            '{"advance": "PT2H"} or {"resume": true}')
        setting = session.clock_setting
        if given == ["freeze"]:
            try:
                setting = setting.freeze(parse_iso(body["freeze"]))
            except ValueError:
                raise InvalidInput.of("freeze", f"{body['freeze']!r} is not an RFC 3339 date-time, "
                                                "e.g. 2026-03-01T09:00:00Z") from None
        elif given == ["advance"]:
            try:
                setting = setting.advance(parse_duration(body["advance"]))
            except (ValueError, OverflowError) as exc:
                raise InvalidInput.of("advance", str(exc)) from None
        else:
            setting = setting.resume(runtime.clock)
        try:
            setting.now(runtime.clock)
        except OverflowError:
            raise InvalidInput.of("(body)", "that would move the clock outside the years 1-9999") from None
        session.clock_setting = setting
        await runtime.backend.save_settings(session)
        return ok(setting.as_json(runtime.clock))

    async def get_journal(call: Call) -> Reply:
        entries = await runtime.backend.entries(session_of(call))
        return ok({"entries": select(entries, api=call.params.get("api"), operation_id=call.params.get("operationId"),
                                     after=call.params.get("after"), limit=call.params.get("limit"))})

    async def clear_journal(call: Call) -> Reply:
        return ok({"cleared": await runtime.backend.clear_journal(session_of(call))})

    async def list_faults(call: Call) -> Reply:
        return ok({"faults": [f.as_json() for f in await runtime.backend.faults(session_of(call))]})

    async def inject_fault(call: Call) -> Reply:
        body: dict[str, Any] = call.body
        api, operation_id = slug_of(call, body["api"]), body["operationId"]
        known = runtime.operation_ids[api]
        if operation_id not in known:
            raise NotFound("operation", operation_id, hint=f"{api} has: {', '.join(sorted(known))}")
        if body.get("status") is None and body.get("latencyMs") is None:
            raise InvalidInput.of("status", "give a status, a latencyMs, or both")
        fault = await runtime.backend.arm_fault(session_of(call), api, operation_id, status=body.get("status"),
                                                latency_ms=body.get("latencyMs"),
                                                mode=body.get("mode", "until-cleared"))
        return created(fault.as_json())

    async def clear_faults(call: Call) -> Reply:
        return ok({"cleared": await runtime.backend.clear_faults(session_of(call))})

    async def clear_fault(call: Call) -> Reply:
        if not await runtime.backend.clear_faults(session_of(call), call.params["faultId"]):
            raise NotFound("fault", call.params["faultId"])
        return no_content()

    async def health(call: Call) -> Reply:
        report = await runtime.backend.health()
        report.update(apis=list(runtime.vendors), process=os.getpid())
        return Reply(200 if report.get("ok") else 503, report)

    return {
        "listSessions": list_sessions, "createSession": create_session, "getSession": get_session,
        "deleteSession": delete_session, "listApis": list_apis, "resetAll": reset_all, "resetApi": reset_api,
        "getApiState": get_state, "putApiState": put_state, "getSnapshot": get_snapshot,
        "putSnapshot": put_snapshot, "getClock": get_clock, "setClock": set_clock, "getJournal": get_journal,
        "clearJournal": clear_journal, "listFaults": list_faults, "injectFault": inject_fault,
        "clearFaults": clear_faults, "clearFault": clear_fault, "health": health,
    }

