"""Jifeline mock: the ticket workflow, the per-state collections, the operator update and the fixtures."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.spec import resolve_ref
from mockserver.vendors.jifeline.states import STATES, WORKFLOW
from tests.helpers import auth_for, lookup, make_client, spec_of

SLUG = "jifeline"
BASE = "/jifeline/v2/tickets"
STATE_URL = "/_ticketmock/apis/jifeline/state"
AUTH = auth_for(SLUG, "listInProgressTickets")  # the bearer token alone: enough for every operation
NOW = "2026-11-20T09:30:00Z"
PROBLEM = "application/problem+json"

IN_PROGRESS_EXAMPLE = "f2c4cf2d-c633-466b-b161-c01ab5bf66f0"  # ticket 7179072
CLOSED_EXAMPLE = "1f8d4c2e-7a9b-4e36-b0d5-8c3f6a2e9d74"  # ticket 7178801
CUSTOMER_EXAMPLE = "5d0c3a8e-7f2b-4c61-9a4e-2b8f1e6d7c90"
OPERATOR_SANNE = "a41f6b0e-3c7d-4e25-8b9a-6f2d1c0e8b47"
OPERATOR_RUBEN = "c8e2d5f1-9a3b-4d7e-a6c4-1f0b2e9d8a36"
PROVIDER_EXAMPLE = "e3a9c7d2-6b14-4f05-8d3e-5c2b9a0f7e61"
BASE_PRODUCT = "7c2e9a14-0b5d-4f38-a6e1-93d8c4b07f52"
OUTSOURCE = {"transition": {"type": "outsource", "product_ids": [BASE_PRODUCT], "provider_id": PROVIDER_EXAMPLE}}
LIST_OPERATIONS = {
    "in-progress-tickets": "in_progress", "pending-tickets": "pending", "prepared-tickets": "prepared",
    "outsourced-tickets": "outsourced", "closed-tickets": "closed", "cancelled-tickets": "cancelled",
}


@pytest.fixture
def client() -> Any:
    return make_client(SLUG)


def state(client: Any) -> dict[str, Any]:
    return client.get(STATE_URL).json()


def records(client: Any, collection: str) -> list[dict[str, Any]]:
    return state(client)["collections"][collection]


def ticket_numbered(client: Any, number: int) -> dict[str, Any]:
    return next(t for t in records(client, "tickets") if t["ticket_number"] == number)


def transition(client: Any, ticket_id: str, body: dict[str, Any]) -> Any:
    return client.patch(f"{BASE}/in-progress-tickets/{ticket_id}", json=body, headers=AUTH, follow_redirects=False)


def ids_in(client: Any, segment: str, **query: Any) -> list[str]:
    answer = client.get(f"{BASE}/{segment}", params={"limit": 1000, **query}, headers=AUTH)
    assert answer.status_code == 200, answer.text
    return [t["id"] for t in answer.json()["result"]]


def assert_problem(answer: Any, status: int, *needles: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    body = answer.json()
    assert set(body) == {"status", "type", "title", "detail"}
    assert body["status"] == status and body["type"] == "about:blank"
    for needle in needles:
        assert needle in body["detail"], body["detail"]
    return body


# --- end to end --------------------------------------------------------------------------------

def test_end_to_end_reassign_outsource_read_back_and_reset(client: Any) -> None:
    fixtures = client.get(STATE_URL).content

    # the example ticket is listed in progress, with its number filter echoed in `query`
    listed = client.get(f"{BASE}/in-progress-tickets", params={"ticket_number": 7179072}, headers=AUTH).json()
    assert listed["query"] == {"limit": 25, "offset": 0, "ticket_number": 7179072}
    assert [t["id"] for t in listed["result"]] == [IN_PROGRESS_EXAMPLE] and listed["total"] == 1

    # reassign it to another operator, and read the change back
    updated = client.put(f"{BASE}/in-progress-tickets/{IN_PROGRESS_EXAMPLE}", json={"operator_id": OPERATOR_RUBEN},
                         headers=AUTH)
    assert updated.status_code == 200 and updated.json()["operator_id"] == OPERATOR_RUBEN
    read = client.get(f"{BASE}/in-progress-tickets/{IN_PROGRESS_EXAMPLE}", headers=AUTH).json()
    assert read == updated.json()

    # outsource it: the ticket moves collections and an outsource is created
    moved = transition(client, IN_PROGRESS_EXAMPLE, OUTSOURCE)
    assert moved.status_code == 303
    assert moved.headers["location"] == f"{BASE}/outsourced-tickets/{IN_PROGRESS_EXAMPLE}"
    outsourced = client.get(moved.headers["location"], headers=AUTH).json()
    assert outsourced["ticket_number"] == 7179072 and outsourced["outsource_provider_id"] == PROVIDER_EXAMPLE
    assert IN_PROGRESS_EXAMPLE in ids_in(client, "outsourced-tickets")
    assert IN_PROGRESS_EXAMPLE not in ids_in(client, "in-progress-tickets")
    outsources = client.get(f"{BASE}/outsources", params={"limit": 1000}, headers=AUTH).json()["result"]
    created = [o for o in outsources if o["ticket_id"] == IN_PROGRESS_EXAMPLE]
    assert len(created) == 1 and created[0] == outsources[-1]  # the newest sorts last

    # reset puts the fixtures back byte for byte
    assert client.post("/_ticketmock/apis/jifeline/reset").status_code == 200
    assert client.get(STATE_URL).content == fixtures
    assert IN_PROGRESS_EXAMPLE in ids_in(client, "in-progress-tickets")


# --- PUT: reassign the operator ----------------------------------------------------------------

def test_put_changes_the_operator_and_nothing_else(client: Any) -> None:
    before = client.get(f"{BASE}/in-progress-tickets/{IN_PROGRESS_EXAMPLE}", headers=AUTH).json()
    # The vendor's request sample also sends these members; the documented schema applies only operator_id.
    answer = client.put(f"{BASE}/in-progress-tickets/{IN_PROGRESS_EXAMPLE}", headers=AUTH, json={
        "operator_id": OPERATOR_RUBEN, "vin": "JH4KA7630PC007649", "voucher_code": "ZZZZ", "vehicle_model_id": 0})
    assert answer.status_code == 200
    assert answer.json() == {**before, "operator_id": OPERATOR_RUBEN}
    assert ticket_numbered(client, 7179072)["operator_id"] == OPERATOR_RUBEN


def test_put_with_an_unknown_operator_is_400_naming_it(client: Any) -> None:
    before = client.get(STATE_URL).content
    stranger = "3c0a1f7e-9d42-4b68-a5e1-7f2c8d0b6e94"
    answer = client.put(f"{BASE}/in-progress-tickets/{IN_PROGRESS_EXAMPLE}", json={"operator_id": stranger},
                        headers=AUTH)
    assert_problem(answer, 400, "operator_id", stranger, OPERATOR_SANNE)
    assert client.get(STATE_URL).content == before


def test_put_on_a_ticket_that_is_not_in_progress_is_404_saying_where_it_is(client: Any) -> None:
    answer = client.put(f"{BASE}/in-progress-tickets/{CLOSED_EXAMPLE}", json={"operator_id": OPERATOR_SANNE},
                        headers=AUTH)
    assert_problem(answer, 404, "7178801 is closed", f"{BASE}/closed-tickets/{CLOSED_EXAMPLE}")


# --- PATCH: outsource --------------------------------------------------------------------------

def test_outsource_answers_303_under_the_mock_prefix_and_creates_an_outsource(client: Any) -> None:
    known = {o["id"] for o in records(client, "outsources")}
    top = max(o["ticket_number"] for o in records(client, "outsources"))
    body = {"transition": {**OUTSOURCE["transition"], "allow_customer_chat_write_access": False,
                           "share_customer_information": True}}
    answer = transition(client, IN_PROGRESS_EXAMPLE, body)
    assert answer.status_code == 303 and answer.content == b""
    assert answer.headers["location"] == f"/jifeline/v2/tickets/outsourced-tickets/{IN_PROGRESS_EXAMPLE}"

    ticket = ticket_numbered(client, 7179072)
    assert ticket["$state"] == "outsourced" and ticket["outsourced"] is True and ticket["reclaimable"] is True
    assert ticket["outsource_provider_id"] == PROVIDER_EXAMPLE
    [outsource] = [o for o in records(client, "outsources") if o["id"] not in known]
    assert outsource == {
        "id": outsource["id"], "ticket_id": IN_PROGRESS_EXAMPLE, "assigned_at": None, "cancel_reason_id": None,
        "created_at": NOW, "finished_at": None, "operator_channel_id": outsource["operator_channel_id"],
        "provider_id": PROVIDER_EXAMPLE, "state": "pending", "ticket_number": top + 1,
        "$product_ids": [BASE_PRODUCT], "$allow_customer_chat_write_access": False,
        "$share_customer_information": True,
    }
    shown = client.get(f"{BASE}/outsources/{outsource['id']}", headers=AUTH).json()
    assert "$product_ids" not in shown and shown["state"] == "pending"


def test_following_the_outsource_redirect_lands_on_the_outsourced_ticket(client: Any) -> None:
    answer = client.patch(f"{BASE}/in-progress-tickets/{IN_PROGRESS_EXAMPLE}", json=OUTSOURCE, headers=AUTH)
    assert answer.status_code == 200 and answer.history[0].status_code == 303
    ticket = answer.json()
    assert set(ticket) == set(STATES["outsourced"].fields)
    assert ticket["id"] == IN_PROGRESS_EXAMPLE and ticket["vin"] == "WVWZZZAUZLP041732"
    assert ticket["voucher_code"] == "WQ4MM3" and ticket["connection_id"] == "9e71c0d4-2b6a-4f83-b5e9-0d4c7a1f3e28"
    gone = client.get(f"{BASE}/in-progress-tickets/{IN_PROGRESS_EXAMPLE}", headers=AUTH)
    assert_problem(gone, 404, "is outsourced", f"{BASE}/outsourced-tickets/{IN_PROGRESS_EXAMPLE}")


@pytest.mark.parametrize(("change", "needles"), [
    ({"provider_id": "3c0a1f7e-9d42-4b68-a5e1-7f2c8d0b6e94"},
     ["transition.provider_id", "3c0a1f7e-9d42-4b68-a5e1-7f2c8d0b6e94", "is not a partnered provider",
      PROVIDER_EXAMPLE]),
    ({"product_ids": [BASE_PRODUCT, "3c0a1f7e-9d42-4b68-a5e1-7f2c8d0b6e94"]},
     ["transition.product_ids[1]", "is not a product", BASE_PRODUCT]),
], ids=["unknown provider", "unknown product"])
def test_outsource_with_unknown_references_is_400(client: Any, change: dict[str, Any], needles: list[str]) -> None:
    before = client.get(STATE_URL).content
    answer = transition(client, IN_PROGRESS_EXAMPLE, {"transition": {**OUTSOURCE["transition"], **change}})
    assert_problem(answer, 400, *needles)
    assert client.get(STATE_URL).content == before


def test_only_base_products_can_be_outsourced(client: Any) -> None:
    other = next(p for p in records(client, "products") if p["type"] == "other")
    before = client.get(STATE_URL).content
    answer = transition(client, IN_PROGRESS_EXAMPLE,
                        {"transition": {**OUTSOURCE["transition"], "product_ids": [other["id"]]}})
    assert_problem(answer, 400, "transition.product_ids[0]", other["name"], "of type 'other'", "'base'")
    assert client.get(STATE_URL).content == before


def test_an_empty_product_list_is_400_naming_the_field(client: Any) -> None:
    answer = transition(client, IN_PROGRESS_EXAMPLE, {"transition": {**OUTSOURCE["transition"], "product_ids": []}})
    assert_problem(answer, 400, "transition.product_ids: [] should be non-empty")


def test_an_unknown_transition_type_is_400_explaining_the_transition_shapes(client: Any) -> None:
    answer = transition(client, IN_PROGRESS_EXAMPLE, {"transition": {"type": "reclaim"}})
    assert_problem(answer, 400, "transition", "{type: outsource, product_ids: [at least one product uuid]")


# --- PATCH: complete and cancel ----------------------------------------------------------------

def test_complete_closes_the_ticket_with_finish_time_and_detected_voltage(client: Any) -> None:
    truck = ticket_numbered(client, 7179081)  # a DAF XF: a 24 V vehicle
    answer = transition(client, truck["id"], {"transition": {"type": "complete"}})
    assert answer.status_code == 303 and answer.headers["location"] == f"{BASE}/closed-tickets/{truck['id']}"
    closed = client.get(answer.headers["location"], headers=AUTH).json()
    assert closed == {
        "id": truck["id"], "created_at": truck["created_at"], "customer_id": truck["customer_id"],
        "ticket_number": 7179081, "vehicle_model_id": truck["vehicle_model_id"], "vin": truck["vin"],
        "finished_at": NOW, "externally_processed": False, "external_reference": "",
        "operator_id": truck["operator_id"], "vehicle_battery_voltage": "24v", "connection_id": truck["connection_id"],
    }
    assert truck["id"] in ids_in(client, "closed-tickets")
    assert truck["id"] not in ids_in(client, "in-progress-tickets")


def test_cancel_with_a_manual_reason_moves_the_ticket_to_cancelled(client: Any) -> None:
    ticket = ticket_numbered(client, 7179044)
    answer = transition(client, ticket["id"], {"transition": {"type": "cancel", "cancel_reason_id": 7}})
    assert answer.status_code == 303 and answer.headers["location"] == f"{BASE}/cancelled-tickets/{ticket['id']}"
    cancelled = client.get(answer.headers["location"], headers=AUTH).json()
    assert cancelled["cancel_reason_id"] == 7 and cancelled["finished_at"] == NOW
    assert cancelled["operator_id"] == ticket["operator_id"] and set(cancelled) == set(STATES["cancelled"].fields)
    assert ticket["id"] in ids_in(client, "cancelled-tickets")


@pytest.mark.parametrize(("reason", "needle"), [(99, "99 is not a cancel reason"),
                                                (5, "is only applied by Jifeline itself")],
                         ids=["unknown", "not manually applicable"])
def test_cancel_needs_a_known_manually_applicable_reason(client: Any, reason: int, needle: str) -> None:
    before = client.get(STATE_URL).content
    answer = transition(client, IN_PROGRESS_EXAMPLE, {"transition": {"type": "cancel", "cancel_reason_id": reason}})
    assert_problem(answer, 400, "transition.cancel_reason_id", needle, "3 (Vehicle not available at the workshop.)")
    assert client.get(STATE_URL).content == before


# --- PATCH: wrong state and unknown ids --------------------------------------------------------

@pytest.mark.parametrize("body", [OUTSOURCE, {"transition": {"type": "complete"}},
                                  {"transition": {"type": "cancel", "cancel_reason_id": 3}}],
                         ids=["outsource", "complete", "cancel"])
def test_a_transition_of_a_ticket_not_in_progress_is_409_saying_its_state_and_place(client: Any,
                                                                                   body: dict[str, Any]) -> None:
    before = client.get(STATE_URL).content
    answer = transition(client, CLOSED_EXAMPLE, body)
    assert_problem(answer, 409, "ticket 7178801 is closed, not in progress",
                   f"it now lives at {BASE}/closed-tickets/{CLOSED_EXAMPLE}")
    assert client.get(STATE_URL).content == before


def test_a_second_transition_is_409_pointing_at_the_first_ones_result(client: Any) -> None:
    assert transition(client, IN_PROGRESS_EXAMPLE, {"transition": {"type": "complete"}}).status_code == 303
    answer = transition(client, IN_PROGRESS_EXAMPLE, {"transition": {"type": "complete"}})
    assert_problem(answer, 409, "is closed", f"{BASE}/closed-tickets/{IN_PROGRESS_EXAMPLE}")


def test_a_transition_of_an_unknown_ticket_is_404(client: Any) -> None:
    before = client.get(STATE_URL).content
    answer = transition(client, "3c0a1f7e-9d42-4b68-a5e1-7f2c8d0b6e94", {"transition": {"type": "complete"}})
    assert_problem(answer, 404, "3c0a1f7e-9d42-4b68-a5e1-7f2c8d0b6e94")
    assert client.get(STATE_URL).content == before


@pytest.mark.parametrize("segment", [s for s in LIST_OPERATIONS if s != "in-progress-tickets"])
def test_an_in_progress_id_on_another_states_collection_is_404(client: Any, segment: str) -> None:
    answer = client.get(f"{BASE}/{segment}/{IN_PROGRESS_EXAMPLE}", headers=AUTH)
    assert_problem(answer, 404, IN_PROGRESS_EXAMPLE, "is in progress", f"{BASE}/in-progress-tickets/")


def test_the_workflow_table() -> None:
    assert WORKFLOW.rows() == [("cancel", ["in_progress"], "cancelled"), ("complete", ["in_progress"], "closed"),
                               ("outsource", ["in_progress"], "outsourced")]
    assert all(WORKFLOW.actions_from(state) == [] for state in STATES if state != "in_progress")


# --- per-state projections ---------------------------------------------------------------------

def test_each_state_shows_exactly_the_fields_its_schema_lists() -> None:
    spec = spec_of(SLUG)
    for state in STATES.values():
        assert set(state.fields) == set(lookup(spec, "components", "schemas", state.schema, "properties")), state


def test_every_ticket_is_listed_in_exactly_its_states_collection_with_its_schemas_fields(client: Any) -> None:
    stored = {t["id"]: t for t in records(client, "tickets")}
    seen: list[str] = []
    for segment, state in LIST_OPERATIONS.items():
        page = client.get(f"{BASE}/{segment}", params={"limit": 1000}, headers=AUTH).json()
        for ticket in page["result"]:
            assert stored[ticket["id"]]["$state"] == state
            optional = set(STATES[state].optional)
            assert set(STATES[state].fields) - optional <= set(ticket) <= set(STATES[state].fields)
        seen += [t["id"] for t in page["result"]]
    assert sorted(seen) == sorted(stored)


# --- lists -------------------------------------------------------------------------------------

def test_list_query_echoes_the_applied_parameters_with_defaults(client: Any) -> None:
    page = client.get(f"{BASE}/closed-tickets", headers=AUTH).json()
    assert page["query"] == {"limit": 25, "offset": 0} and page["total"] == 6 and len(page["result"]) == 6
    page = client.get(f"{BASE}/cancel-reasons", params={"limit": 2, "offset": 2}, headers=AUTH).json()
    assert page["query"] == {"limit": 2, "offset": 2} and page["total"] == 8
    assert [r["id"] for r in page["result"]] == [3, 4]
    empty = client.get(f"{BASE}/pending-tickets", params={"limit": 0}, headers=AUTH).json()
    assert empty == {"query": {"limit": 0, "offset": 0}, "result": [], "total": 5}


def test_ticket_number_filter_on_outsourced_tickets(client: Any) -> None:
    page = client.get(f"{BASE}/outsourced-tickets", params={"ticket_number": "7178954"}, headers=AUTH).json()
    assert page["query"] == {"limit": 25, "offset": 0, "ticket_number": 7178954}
    assert [t["id"] for t in page["result"]] == ["b7f3a1c9-5e20-4d8b-9c64-2a0e7f5d1b83"]
    # a ticket in another state does not match, whatever its number
    assert client.get(f"{BASE}/outsourced-tickets", params={"ticket_number": 7179072},
                      headers=AUTH).json()["total"] == 0


def test_prepared_ticket_filters(client: Any) -> None:
    prepared = client.get(f"{BASE}/prepared-tickets", headers=AUTH).json()["result"]
    mine = client.get(f"{BASE}/prepared-tickets", params={"customer_id": CUSTOMER_EXAMPLE}, headers=AUTH).json()
    assert mine["query"] == {"limit": 25, "offset": 0, "customer_id": CUSTOMER_EXAMPLE}
    assert {t["id"] for t in mine["result"]} == {t["id"] for t in prepared if t["customer_id"] == CUSTOMER_EXAMPLE}
    assert mine["total"] == 2

    window = {"created_after": "2026-03-06T10:12:40Z", "created_before": "2026-03-12T00:00:00Z"}
    page = client.get(f"{BASE}/prepared-tickets", params=window, headers=AUTH).json()
    assert page["query"] == {"limit": 25, "offset": 0, **window}
    # strictly after: the ticket created at exactly 2026-03-06T10:12:40Z is left out
    assert [t["created_at"] for t in page["result"]] == ["2026-03-09T11:02:05Z", "2026-03-11T12:04:51Z"]

    both = client.get(f"{BASE}/prepared-tickets", params={**window, "customer_id": CUSTOMER_EXAMPLE},
                      headers=AUTH).json()
    assert [t["ticket_number"] for t in both["result"]] == [7178724]


def test_lists_are_sorted_by_ticket_number(client: Any) -> None:
    for segment in LIST_OPERATIONS:
        numbers = [t["ticket_number"] for t in
                   client.get(f"{BASE}/{segment}", params={"limit": 1000}, headers=AUTH).json()["result"]]
        assert numbers == sorted(numbers) and numbers, segment


def test_walking_every_page_finds_every_record_exactly_once(client: Any) -> None:
    for segment in [*LIST_OPERATIONS, "cancel-reasons", "outsources"]:
        seen: list[Any] = []
        offset, total = 0, None
        while total is None or offset < total:
            page = client.get(f"{BASE}/{segment}", params={"limit": 3, "offset": offset}, headers=AUTH).json()
            assert page["query"] == {"limit": 3, "offset": offset}
            total = page["total"]
            seen += [item["id"] for item in page["result"]]
            offset += 3
        assert len(seen) == len(set(seen)) == total, segment
        assert set(seen) == set(ids_in(client, segment)), segment


def test_pages_already_handed_out_do_not_shift_when_a_ticket_arrives(client: Any) -> None:
    first = client.get(f"{BASE}/closed-tickets", params={"limit": 2, "offset": 0}, headers=AUTH).json()
    second = client.get(f"{BASE}/closed-tickets", params={"limit": 2, "offset": 2}, headers=AUTH).json()
    arrived = ticket_numbered(client, 7179058)
    assert transition(client, arrived["id"], {"transition": {"type": "complete"}}).status_code == 303

    again = client.get(f"{BASE}/closed-tickets", params={"limit": 2, "offset": 0}, headers=AUTH).json()
    assert again["result"] == first["result"] and again["total"] == first["total"] + 1
    again = client.get(f"{BASE}/closed-tickets", params={"limit": 2, "offset": 2}, headers=AUTH).json()
    assert again["result"] == second["result"] and again["total"] == second["total"] + 1
    rest = client.get(f"{BASE}/closed-tickets", params={"limit": 10, "offset": 4}, headers=AUTH).json()["result"]
    walked = [t["id"] for t in first["result"] + second["result"] + rest]
    assert walked[-1] == arrived["id"] and len(walked) == len(set(walked)) == 7


# --- fixtures ----------------------------------------------------------------------------------

def test_fixtures_cover_every_state_and_outsource_state(client: Any) -> None:
    collections = state(client)["collections"]
    tickets = collections["tickets"]
    assert len(tickets) >= 25
    assert {t["$state"] for t in tickets} == set(STATES)
    assert all(sum(t["$state"] == s for t in tickets) >= 5 for s in STATES)
    assert {o["state"] for o in collections["outsources"]} == {"pending", "in_progress", "closed", "cancelled"}
    assert {3, 7} <= {r["id"] for r in collections["cancel_reasons"]}
    assert {p["type"] for p in collections["products"]} == {"base", "other"}
    # tickets being worked on are the newest, so moving them appends to the other collections
    moving = [t["ticket_number"] for t in tickets if t["$state"] == "in_progress"]
    settled = [t["ticket_number"] for t in tickets if t["$state"] in ("outsourced", "closed", "cancelled")]
    assert min(moving) > max(settled)


def test_every_outsourced_ticket_has_its_open_outsource(client: Any) -> None:
    collections = state(client)["collections"]
    for ticket in (t for t in collections["tickets"] if t["$state"] == "outsourced"):
        [outsource] = [o for o in collections["outsources"]
                       if o["ticket_id"] == ticket["id"] and o["state"] in ("pending", "in_progress")]
        assert outsource["provider_id"] == ticket["outsource_provider_id"]
        assert ticket["reclaimable"] is (outsource["state"] == "pending")


def example_reads() -> list[tuple[str, str, dict[str, Any]]]:
    """(operationId, path with the example ids, example response) for every documented GET."""
    spec = spec_of(SLUG)
    reads = []
    for path, item in spec["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        url = path
        for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
            parameter = resolve_ref(spec, parameter)
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", str(parameter["example"]))
        example = operation["responses"]["200"]["content"]["application/json"]["example"]
        reads.append((operation["operationId"], url, example))
    return reads


@pytest.mark.parametrize(("operation_id", "url", "example"), example_reads(), ids=[r[0] for r in example_reads()])
def test_the_specs_examples_are_the_fixtures(client: Any, operation_id: str, url: str,
                                             example: dict[str, Any]) -> None:
    if "result" not in example:
        assert client.get(f"/jifeline{url}", headers=AUTH).json() == example
        return
    listed = client.get(f"/jifeline{url}", params={"limit": 1000}, headers=AUTH).json()["result"]
    for item in example["result"]:
        assert item in listed, item


def test_the_specs_request_examples_work(client: Any) -> None:
    spec = spec_of(SLUG)
    put = lookup(spec, "paths", "/v2/tickets/in-progress-tickets/{in-progress-ticket-id}", "put")
    answer = client.put(f"{BASE}/in-progress-tickets/{IN_PROGRESS_EXAMPLE}",
                        json=put["requestBody"]["content"]["application/json"]["example"], headers=AUTH)
    assert answer.json() == put["responses"]["200"]["content"]["application/json"]["example"]
    patch = lookup(spec, "paths", "/v2/tickets/in-progress-tickets/{in-progress-ticket-id}", "patch")
    answer = transition(client, IN_PROGRESS_EXAMPLE, patch["requestBody"]["content"]["application/json"]["example"])
    example_location = lookup(spec, "paths", "/v2/tickets/in-progress-tickets/{in-progress-ticket-id}", "patch",
                              "responses", "303", "headers", "Location", "example")
    assert answer.status_code == 303 and answer.headers["location"] == f"/jifeline{example_location}"
