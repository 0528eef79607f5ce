"""Domain errors of the mock: what went wrong, never how it is sent over HTTP.

    MockError
    ├── InvalidInput          the request is well-formed but breaks a rule (field errors attached)
    │   └── Malformed         the request cannot be read at all (bad JSON, bad UTF-8)
    ├── NotFound              an identifier names no record (or the route names no operation)
    ├── Conflict              the record exists but its state refuses the request
    │   ├── TransitionNotAllowed
    │   └── AlreadyExists     a name that must be new is taken (a session)
    ├── Unauthenticated       missing, malformed, unknown or expired credentials
    ├── MethodNotAllowed      the path exists, the method does not
    ├── PayloadTooLarge       the body is over the mock's size limit
    ├── UnsupportedMediaType  the Content-Type is not one the operation accepts
    ├── LimitReached          one more would pass a configured limit (sessions)
    ├── Unavailable           the state backend cannot be reached
    ├── StatusError           the status was decided elsewhere (a Connexion problem, ...)
    │   └── InjectedFault     a fault asked for through the control API
    └── ServerFault           the mock broke its own contract (a bug; answered as a 500)

`mockserver.http` maps each class to a status code (vendors may override the mapping) and hands an
`ErrorReport` to the vendor, which renders it in its own envelope.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input field, e.g. ("priority", "must be one of 1, 2, 3; got 7")."""

    field: str
    message: str


class MockError(Exception):
    """Base of every error the mock answers with an error response."""

    code = "error"

    def __init__(self, message: str, *, fields: Iterable[FieldError] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.fields: tuple[FieldError, ...] = tuple(fields)


class InvalidInput(MockError):
    code = "validation_failed"

    @classmethod
    def of(cls, field_name: str, message: str) -> InvalidInput:
        """One field, one message: the error text names both."""
        return cls(f"{field_name}: {message}", fields=[FieldError(field_name, message)])


class Malformed(InvalidInput):
    code = "malformed_request"


class NotFound(MockError):
    code = "not_found"

    def __init__(self, resource: str, identifier: object, *, hint: str = "") -> None:
        message = f"{resource} {identifier!r} does not exist"
        super().__init__(f"{message}; {hint}" if hint else message)
        self.resource = resource
        self.identifier = identifier


class Conflict(MockError):
    code = "conflict"


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"

    def __init__(self, resource: str, state: str, action: str, allowed: Sequence[str]) -> None:
        options = ", ".join(allowed) if allowed else "none"
        super().__init__(
            f"cannot {action} {resource}: its status is {state!r}; actions allowed from {state!r}: {options}"
        )
        self.state = state
        self.action = action
        self.allowed = tuple(allowed)


@dataclass(frozen=True, slots=True)
class Challenge:
    """A `WWW-Authenticate` challenge, e.g. Challenge("Bearer", 'realm="bobdesk"')."""

    scheme: str
    params: str = ""

    def __str__(self) -> str:
        return f"{self.scheme} {self.params}".strip()


class Unauthenticated(MockError):
    code = "unauthorized"

    def __init__(self, message: str, challenges: Sequence[Challenge] = ()) -> None:
        super().__init__(message)
        self.challenges = tuple(challenges)


class MethodNotAllowed(MockError):
    code = "method_not_allowed"

    def __init__(self, message: str, allow: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.allow = tuple(allow)


class PayloadTooLarge(MockError):
    code = "payload_too_large"


class UnsupportedMediaType(MockError):
    code = "unsupported_media_type"


class StatusError(MockError):
    """An error that carries its own status code."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class InjectedFault(StatusError):
    code = "injected_fault"

    def __init__(self, status: int, operation_id: str) -> None:
        super().__init__(status, f"fault injected through the control API for operation {operation_id!r}")


class AlreadyExists(Conflict):
    code = "already_exists"


class LimitReached(MockError):
    code = "limit_reached"


class Unavailable(MockError):
    code = "state_unavailable"


class ServerFault(MockError):
    code = "internal_error"


@dataclass(frozen=True, slots=True)
class ErrorReport:
    """Everything a vendor needs to render an error in its envelope."""

    status: int
    title: str
    detail: str
    code: str
    fields: tuple[FieldError, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    operation_id: str | None = None  # None when no operation matched (unknown route, 405)
