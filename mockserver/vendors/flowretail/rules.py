"""What each serviceState lets a client do to a service order (a transition table) and the 409s."""

from __future__ import annotations

from mockserver.errors import Conflict, TransitionNotAllowed
from mockserver.store import Record
from mockserver.workflow import Workflow

OPEN = ("NOT_STARTED", "IN_PROGRESS", "WAITING", "READY")
STATES = (*OPEN, "COMPLETED", "CANCELLED")

# The spec's Conflict answer (inferred): a COMPLETED or CANCELLED order refuses deletion and changes to its
# items and hours, and a CANCELLED one refuses a sales order. Nothing else is refused: the order itself
# (status included, which is how a closed order is reopened) and its events can always be changed.
# None of these actions moves the order: its serviceState changes only with its serviceStatusUid, to the
# state that status carries, so every row leads back to the state it starts from.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "update": STATES,
    "log event": STATES,
    "update event": STATES,
    "delete event": STATES,
    "delete": OPEN,
    "add item": OPEN,
    "update item": OPEN,
    "remove item": OPEN,
    "log hours": OPEN,
    "update hours": OPEN,
    "delete hours": OPEN,
    "create sales order": (*OPEN, "COMPLETED"),
}

WORKFLOW = Workflow("service order", {
    (state, action): state for action, states in ALLOWED_FROM.items() for state in states
})


class OrderClosed(TransitionNotAllowed):
    """A COMPLETED or CANCELLED service order refuses the request (the spec's SERVICE_ORDER_CLOSED)."""

    code = "service_order_closed"

    def __init__(self, order_uid: str, refused: TransitionNotAllowed) -> None:
        super().__init__("service order", refused.state, refused.action, refused.allowed)
        self.message = (
            f"Service order {order_uid} is {refused.state} and can no longer be changed: '{refused.action}' is "
            f"not allowed from {refused.state} (allowed: {', '.join(refused.allowed) or 'none'}). Move the order "
            f"to a status whose serviceState is one of {', '.join(OPEN)} first (PUT the order with that "
            "serviceStatusUid)."
        )
        self.args = (self.message,)


def guard(order: Record, action: str) -> None:
    """Raise OrderClosed unless the order's serviceState allows `action` (see ALLOWED_FROM)."""
    try:
        WORKFLOW.next_state(order["serviceState"], action)
    except TransitionNotAllowed as refused:
        raise OrderClosed(order["serviceOrderUid"], refused) from None


class ItemAlreadyBilled(Conflict):
    code = "item_already_billed"


class NothingToBill(Conflict):
    code = "nothing_to_bill"


class DuplicateUid(Conflict):
    """A client-chosen uid is taken (409, the spec's UidTaken answer)."""

    code = "duplicate_uid"
