"""Spacebring's ticket handlers: create, read, status, assignee, type, and comments."""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import quote

from mockserver.errors import InvalidInput, NotFound
from mockserver.store import Record
from mockserver.vendors.base import Call, Reply, created, no_content, ok
from mockserver.vendors.spacebring.model import (
    activities_of,
    activity_view,
    api_membership,
    check_network,
    location_of,
    member_of,
    now_iso,
    number_counter,
    record_activity,
    ref,
    ticket_of,
    ticket_view,
)
from mockserver.workflow import Workflow

STATUSES = ("new", "inProgress", "solved", "closed")
INITIAL_STATUS = "new"
# The vendor documents no transition rule: administrators set any status by hand, from any status
# (the same one included, which is recorded like any other change). The action is the status asked for.
WORKFLOW = Workflow.from_rules("ticket", {status: (STATUSES, status) for status in STATUSES})

FILES_URL = "https://files.spacebring.com/"


def create_support_ticket(call: Call) -> Reply:
    network = check_network(call)
    body: dict[str, Any] = call.body["ticket"]
    store = call.store
    location = location_of(store, network, body["locationRef"], "ticket.locationRef")
    if body.get("userRefRequester") is None:
        requester = api_membership(store, location)  # defaults to the authenticated user
    else:
        requester = member_of(store, location, body["userRefRequester"], "ticket.userRefRequester")
    now = now_iso(call)
    ticket = store["tickets"].insert({
        "id": call.context.ids.uuid4(), "number": store.next_number(number_counter(location["id"])),
        "locationRef": location["id"], "type": body["type"], "status": INITIAL_STATUS, "description": body["text"],
        "createDate": now, "updateDate": now, "membershipRefRequester": requester["id"],
    })
    activity = record_activity(call, ticket, "ticketCreated", requester)
    return created({"activities": [activity_view(store, activity)], "ticket": ticket_view(store, ticket)})


def get_support_ticket(call: Call) -> Reply:
    network = check_network(call)
    ticket = ticket_of(call, network, call.params["id"])
    return ok({"activities": activities_of(call.store, ticket),
               "ticket": ticket_view(call.store, ticket, with_membership=True)})


def update_support_ticket_status(call: Call) -> Reply:
    network = check_network(call)
    ticket = ticket_of(call, network, call.params["id"])
    status = WORKFLOW.next_state(ticket["status"], call.body["ticket"]["status"])
    actor = api_membership(call.store, call.store["locations"].get(ticket["locationRef"]))
    activity = record_activity(call, ticket, "statusUpdated", actor,
                               {"status": status, "previousAttributes": {"status": ticket["status"]}})
    now = activity["createDate"]
    ticket = call.store["tickets"].update(ticket["id"], {"status": status, "statusUpdateDate": now, "updateDate": now})
    return ok({"activity": activity_view(call.store, activity), "ticket": ticket_view(call.store, ticket)})


def new_assignee(call: Call, location: Record, body: dict[str, Any]) -> Record | None:
    """The membership to assign (None unassigns); `membershipRefAssignee` is the deprecated way to say it."""
    store = call.store
    by_user = by_membership = None
    if body.get("userRefAssignee") is not None:
        by_user = member_of(store, location, body["userRefAssignee"], "ticket.userRefAssignee")
    if body.get("membershipRefAssignee") is not None:
        by_membership = store["memberships"].find(ref(body["membershipRefAssignee"]))
        if by_membership is None or by_membership["locationRef"] != location["id"]:
            raise InvalidInput.of("ticket.membershipRefAssignee",
                                  f"membership {body['membershipRefAssignee']!r} does not exist in location "
                                  f"{location['name']!r}; send userRefAssignee (the user's id) instead")
        member_of(store, location, by_membership["userRef"], "ticket.membershipRefAssignee")
    if "userRefAssignee" in body and "membershipRefAssignee" in body and by_user != by_membership:
        raise InvalidInput.of("ticket", "userRefAssignee and membershipRefAssignee name different assignees; "
                                        "send only userRefAssignee (membershipRefAssignee is deprecated)")
    return by_user or by_membership


def update_support_ticket_assignee(call: Call) -> Reply:
    network = check_network(call)
    store = call.store
    ticket = ticket_of(call, network, call.params["id"])
    location = store["locations"].get(ticket["locationRef"])
    # Neither field (or null) unassigns: both are optional and nullable in the vendor's schema.
    membership = new_assignee(call, location, call.body["ticket"])
    data: dict[str, Any] = {}
    if membership is not None:
        data["userRefAssignee"] = membership["userRef"]
    if ticket.get("userRefAssignee"):
        data["previousAttributes"] = {"userRefAssignee": ticket["userRefAssignee"]}
    activity = record_activity(call, ticket, "assigneeUpdated", api_membership(store, location), data)
    changed = {key: value for key, value in ticket.items() if key not in ("userRefAssignee", "membershipRefAssignee")}
    changed["updateDate"] = activity["createDate"]
    if membership is not None:
        changed.update(userRefAssignee=membership["userRef"], membershipRefAssignee=membership["id"])
    ticket = store["tickets"].replace(ticket["id"], changed)
    return ok({"activity": activity_view(store, activity), "ticket": ticket_view(store, ticket)})


def update_support_ticket_type(call: Call) -> Reply:
    network = check_network(call)
    ticket = ticket_of(call, network, call.params["id"])
    # The vendor records no activity for a type change (its activity types have no typeUpdated).
    call.store["tickets"].update(ticket["id"], {"type": call.body["ticket"]["type"], "updateDate": now_iso(call)})
    return no_content()


def attachment_of(call: Call, key: str) -> Record:
    """The file description of an uploaded file, derived from its storage key."""
    name = key.rstrip("/").rsplit("/", 1)[-1] or "attachment"
    return {"key": key, "mime": mimetypes.guess_type(name)[0] or "application/octet-stream", "name": name,
            "size": 1024 + int(call.context.ids.hex(5), 16) % 4_000_000, "url": FILES_URL + quote(key)}


def create_support_ticket_comment(call: Call) -> Reply:
    network = check_network(call)
    store = call.store
    body: dict[str, Any] = call.body["activity"]
    if body.get("text") is None and not body.get("attachments"):
        raise InvalidInput.of("activity", "the comment is empty; give a text, an attachment, or both")
    ticket = ticket_of(call, network, body["ticketRef"])
    data: dict[str, Any] = {}
    if body.get("text") is not None:
        data["text"] = body["text"]
    if body.get("attachments"):
        data["attachments"] = [attachment_of(call, item["key"]) for item in body["attachments"]]
    author = api_membership(store, store["locations"].get(ticket["locationRef"]))
    activity = record_activity(call, ticket, "comment", author, data)
    store["tickets"].update(ticket["id"], {"updateDate": activity["createDate"]})
    return created({"activity": activity_view(store, activity)})


def delete_support_ticket_comment(call: Call) -> Reply:
    network = check_network(call)
    store = call.store
    activity_id = call.params["id"]
    activity = store["activities"].find(ref(activity_id))
    if activity is None:
        raise NotFound("comment", activity_id)
    try:
        ticket = ticket_of(call, network, activity["ticketRef"])
    except NotFound:
        raise NotFound("comment", activity_id) from None  # a comment of another network's ticket
    if activity["type"] != "comment":
        raise InvalidInput.of("id", f"activity {activity['id']} is a {activity['type']} activity of ticket "
                                    f"{ticket['number']}, not a comment; only comments can be deleted")
    store["activities"].delete(activity["id"])
    store["tickets"].update(ticket["id"], {"updateDate": now_iso(call)})
    return no_content()
