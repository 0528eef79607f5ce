"""The control API under /_ticketmock: resets, state dumps, the journal and fault injection."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockserver.errors import InvalidInput, NotFound
from mockserver.spec import iter_operations, load_spec
from mockserver.vendors import unknown_slug_message
from mockserver.vendors.base import Call, Handler, Reply, created, no_content, ok

if TYPE_CHECKING:
    from mockserver.app import Runtime

CONTROL_SPEC = Path(__file__).with_name("control.yaml")


def control_handlers(runtime: Runtime) -> Mapping[str, Handler]:
    """The control API's handlers, closed over the running mock."""

    def slug_of(call: Call) -> str:
        slug = call.params["slug"]
        if slug not in runtime.contexts:
            raise NotFound("API", slug, hint=unknown_slug_message(slug))
        return str(slug)

    def list_apis(call: Call) -> Reply:
        rows = []
        for slug, context in runtime.contexts.items():
            spec = load_spec(runtime.vendors[slug].spec_path)
            rows.append({
                "slug": slug, "title": spec["info"]["title"], "basePath": context.base_path,
                "uiPath": f"{context.base_path}/ui/", "operations": sum(1 for _ in iter_operations(spec)),
                "records": {name: len(c) for name, c in context.store.collections.items()},
            })
        return ok({"apis": rows})

    def reset_all(call: Call) -> Reply:
        return ok({"reset": runtime.reset()})

    def reset_api(call: Call) -> Reply:
        return ok({"reset": runtime.reset(slug_of(call))})

    def get_state(call: Call) -> Reply:
        slug = slug_of(call)
        return ok({"api": slug, **runtime.contexts[slug].store.dump()})

    def get_journal(call: Call) -> Reply:
        return ok({"entries": runtime.journal.entries(call.params.get("api"), call.params.get("limit"))})

    def clear_journal(call: Call) -> Reply:
        return ok({"cleared": runtime.journal.clear()})

    def list_faults(call: Call) -> Reply:
        return ok({"faults": [f.as_json() for f in runtime.faults.list()]})

    def inject_fault(call: Call) -> Reply:
        body: dict[str, Any] = call.body
        api, operation_id = body["api"], body["operationId"]
        if api not in runtime.contexts:
            raise NotFound("API", api, hint=unknown_slug_message(api))
        known = runtime.operation_ids[api]
        if operation_id not in known:
            raise NotFound("operation", operation_id, hint=f"{api} has: {', '.join(sorted(known))}")
        if body.get("status") is None and body.get("latencyMs") is None:
            raise InvalidInput.of("status", "give a status, a latencyMs, or both")
        fault = runtime.faults.arm(api, operation_id, status=body.get("status"),
                                   latency_ms=body.get("latencyMs"), mode=body.get("mode", "until-cleared"))
        return created(fault.as_json())

    def clear_faults(call: Call) -> Reply:
        return ok({"cleared": runtime.faults.clear()})

    def clear_fault(call: Call) -> Reply:
        if not runtime.faults.clear(call.params["faultId"]):
            raise NotFound("fault", call.params["faultId"])
        return no_content()

    return {
        "listApis": list_apis, "resetAll": reset_all, "resetApi": reset_api, "getApiState": get_state,
        "getJournal": get_journal, "clearJournal": clear_journal, "listFaults": list_faults,
        "injectFault": inject_fault, "clearFaults": clear_faults, "clearFault": clear_fault,
    }
