"""Spacebring's records and how the API shows them: network check, lookups, ticket and activity views."""

from __future__ import annotations

from typing import Any

from mockserver.clock import iso
from mockserver.errors import InvalidInput, NotFound
from mockserver.store import Record, Store, public
from mockserver.vendors.base import Call

NETWORK_HEADER = "spacebring-network-id"
ADMIN = "admin"


def ref(value: str) -> str:
    """Ids are uuids: compare them the way the vendor's database does, case-insensitively."""
    return value.lower()


def now_iso(call: Call) -> str:
    return iso(call.context.now())


def number_counter(location_id: str) -> str:
    """Ticket numbers are counted per location."""
    return f"ticket_number:{location_id}"


def check_network(call: Call) -> Record:
    """The network a request acts in.

    Basic credentials belong to one network; a bearer token (a partner application) must name it in
    the `spacebring-network-id` header. When the header is sent it must name a known network.
    """
    networks = call.store["networks"]
    sent = call.headers.get(NETWORK_HEADER)
    default = next(iter(networks))
    if sent is None:
        scheme = call.headers.get("authorization", "").strip().partition(" ")[0].lower()
        if scheme == "bearer":
            raise InvalidInput.of(NETWORK_HEADER, "the header is required with bearer token authentication; "
                                                  f"send '{NETWORK_HEADER}: {default['id']}' "
                                                  f"(network {default['name']!r})")
        return default
    network = networks.find(ref(sent))
    if network is None:
        known = ", ".join(f"{n['id']} ({n['name']})" for n in networks)
        raise InvalidInput.of(NETWORK_HEADER, f"network {sent!r} does not exist or these credentials cannot "
                                              f"access it; known networks: {known}")
    return network


def locations_of(store: Store, network: Record) -> list[Record]:
    return store["locations"].where(lambda location: location["networkRef"] == network["id"])


def location_of(store: Store, network: Record, location_id: str, field: str) -> Record:
    """A location of the network, or a 400 naming the field and the known locations."""
    location = store["locations"].find(ref(location_id))
    if location is None or location["networkRef"] != network["id"]:
        known = ", ".join(f"{loc['id']} ({loc['name']})" for loc in locations_of(store, network))
        raise InvalidInput.of(field, f"location {location_id!r} does not exist in network {network['name']!r}; "
                                     f"known locations: {known}")
    return location


def ticket_of(call: Call, network: Record, ticket_id: str) -> Record:
    """A ticket of the network, or a 404."""
    ticket = call.store["tickets"].find(ref(ticket_id))
    if ticket is None or call.store["locations"].get(ticket["locationRef"])["networkRef"] != network["id"]:
        raise NotFound("ticket", ticket_id)
    return ticket


def membership_in(store: Store, location: Record, user_id: str) -> Record | None:
    return next((m for m in store["memberships"]
                 if m["locationRef"] == location["id"] and m["userRef"] == user_id), None)


def api_membership(store: Store, location: Record) -> Record:
    """Who acts for API calls in a location: its first admin membership (see the fixtures' header)."""
    for membership in store["memberships"]:
        if membership["locationRef"] == location["id"] and membership["roleType"] == ADMIN:
            return membership
    raise LookupError(f"location {location['id']} has no admin membership")


def member_of(store: Store, location: Record, user_id: str, field: str) -> Record:
    """The membership of a known, unblocked user in the location, or a 400 saying what is wrong."""
    user = store["users"].find(ref(user_id))
    if user is None:
        raise InvalidInput.of(field, f"user {user_id!r} does not exist; send the id of a user who is a member of "
                                     f"location {location['name']!r}")
    membership = membership_in(store, location, user["id"])
    if membership is None:
        elsewhere = [store["locations"].get(m["locationRef"])["name"] for m in store["memberships"]
                     if m["userRef"] == user["id"]]
        where = f"they are a member of {', '.join(elsewhere)}" if elsewhere else "they have no membership"
        raise InvalidInput.of(field, f"user {user['id']} ({full_name(user)}) is not a member of location "
                                     f"{location['name']!r}; {where}")
    if user.get("blocked"):
        raise InvalidInput.of(field, f"user {user['id']} ({full_name(user)}) is blocked; unblock them in the "
                                     "network settings or choose another user")
    return membership


def full_name(user: Record) -> str:
    return " ".join(part for part in (user.get("name"), user.get("surname")) if part) or user["id"]


# --- wire views ---------------------------------------------------------------------------------

def user_view(store: Store, user_id: str) -> Record:
    """A user as embedded in tickets and memberships: the vendor's user properties, nothing else."""
    return public(store["users"].get(user_id, resource="user"))


def membership_view(store: Store, membership_id: str) -> Record:
    membership = store["memberships"].get(membership_id, resource="membership")
    return {"id": membership["id"], "roleType": membership["roleType"], "type": membership["type"],
            "user": user_view(store, membership["userRef"])}


def ticket_view(store: Store, ticket: Record, *, with_membership: bool = False) -> Record:
    """A ticket with its requester and assignee users; reading one ticket also embeds the requester's membership."""
    view: dict[str, Any] = public(ticket)
    requester = store["memberships"].get(ticket["membershipRefRequester"], resource="membership")
    view["userRequester"] = user_view(store, requester["userRef"])
    assignee = ticket.get("userRefAssignee")
    view["userAssignee"] = user_view(store, assignee) if assignee else None
    if with_membership:
        view["membershipRequester"] = membership_view(store, requester["id"])
    return dict(sorted(view.items()))


def activity_view(store: Store, activity: Record) -> Record:
    """An activity with its author's membership and, for assignee changes, the assignee users."""
    view: dict[str, Any] = public(activity)
    if activity.get("$membershipRef"):
        view["membership"] = membership_view(store, activity["$membershipRef"])
    data = activity.get("data")
    if data is not None:
        shown = dict(data)
        if shown.get("userRefAssignee"):
            shown["userAssignee"] = user_view(store, shown["userRefAssignee"])
        previous = shown.get("previousAttributes")
        if previous and previous.get("userRefAssignee"):
            shown["previousAttributes"] = {**previous,
                                           "userAssignee": user_view(store, previous["userRefAssignee"])}
        view["data"] = dict(sorted(shown.items()))
    return dict(sorted(view.items()))


def activities_of(store: Store, ticket: Record) -> list[Record]:
    """A ticket's activities in the order they happened (the collection keeps insertion order)."""
    return [activity_view(store, a) for a in store["activities"].group("ticketRef", ticket["id"])]


def record_activity(call: Call, ticket: Record, kind: str, membership: Record | None,
                    data: Record | None = None) -> Record:
    """Store a new activity of the ticket, dated now; the caller has finished every check."""
    activity: dict[str, Any] = {"id": call.context.ids.uuid4(), "ticketRef": ticket["id"], "type": kind,
                                "createDate": now_iso(call)}
    if data is not None:
        activity["data"] = data
    if membership is not None:
        activity["$membershipRef"] = membership["id"]
    return call.store["activities"].insert(activity)


# --- fixture integrity --------------------------------------------------------------------------

def check_references(store: Store) -> None:
    """Fail at startup when fixture records point at records that do not exist."""
    problems: list[str] = []
    locations, memberships, users = store["locations"], store["memberships"], store["users"]
    if not len(store["networks"]):
        problems.append("networks: at least one network is required (Basic credentials act in the first one)")
    for location in locations:
        if location["networkRef"] not in store["networks"]:
            problems.append(f"locations ({location['id']}): networkRef {location['networkRef']!r} is unknown")
        if not any(m["locationRef"] == location["id"] and m["roleType"] == ADMIN for m in memberships):
            problems.append(f"locations ({location['id']}): no admin membership; the first admin of a location "
                            "acts for API calls")
    for membership in memberships:
        if membership["locationRef"] not in locations:
            problems.append(f"memberships ({membership['id']}): locationRef {membership['locationRef']!r} is unknown")
        if membership["userRef"] not in users:
            problems.append(f"memberships ({membership['id']}): userRef {membership['userRef']!r} is unknown")
    for ticket in store["tickets"]:
        where = f"tickets ({ticket['id']})"
        requester = memberships.find(ticket["membershipRefRequester"])
        if ticket["locationRef"] not in locations:
            problems.append(f"{where}: locationRef {ticket['locationRef']!r} is unknown")
        if requester is None or requester["locationRef"] != ticket["locationRef"]:
            problems.append(f"{where}: membershipRefRequester is not a membership of the ticket's location")
        if ticket.get("userRefAssignee") and ticket["userRefAssignee"] not in users:
            problems.append(f"{where}: userRefAssignee {ticket['userRefAssignee']!r} is unknown")
    for activity in store["activities"]:
        where = f"activities ({activity['id']})"
        if activity["ticketRef"] not in store["tickets"]:
            problems.append(f"{where}: ticketRef {activity['ticketRef']!r} is unknown")
        if activity.get("$membershipRef") and activity["$membershipRef"] not in memberships:
            problems.append(f"{where}: $membershipRef {activity['$membershipRef']!r} is unknown")
        data = activity.get("data") or {}
        for user_id in (data.get("userRefAssignee"), (data.get("previousAttributes") or {}).get("userRefAssignee")):
            if user_id and user_id not in users:
                problems.append(f"{where}: data refers to unknown user {user_id!r}")
    if problems:
        raise ValueError("spacebring fixtures: " + "; ".join(problems))
