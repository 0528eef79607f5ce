"""Time for the mock: the system clock, or a frozen one for reproducible runs and tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to (`advance`)."""

    def __init__(self, at: datetime) -> None:
        self._now = at if at.tzinfo else at.replace(tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)


def iso(moment: datetime, *, millis: bool = False) -> str:
    """RFC 3339 in UTC with a `Z`: `2026-03-01T09:30:00Z` (or `...00.000Z` with millis)."""
    moment = moment.astimezone(UTC)
    text = moment.isoformat(timespec="milliseconds" if millis else "seconds")
    return text.replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    """Parse an RFC 3339 date-time (a `Z` suffix included); naive values are taken as UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_duration(text: str) -> timedelta:
    """An ISO 8601 duration of days and time (`PT2H`, `P1DT30M`, `PT0.5S`, `-PT1H`) as a timedelta.

    Years and months are refused: their length depends on the date they start from.
    """
    match = DURATION.fullmatch(text.strip())
    if not match or not any(match.group(name) for name in ("days", "hours", "minutes", "seconds")):
        raise ValueError(f"{text!r} is not an ISO 8601 duration such as PT2H, P1D or PT30M15S "
                         "(years and months are not supported)")
    parts = {name: float(value) for name, value in match.groupdict().items() if value and name != "sign"}
    delta = timedelta(**parts)
    return -delta if match.group("sign") == "-" else delta


DURATION = re.compile(r"(?P<sign>[-+])?P(?:(?P<days>\d+(?:\.\d+)?)D)?"
                      r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
                      r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ClockSetting:
    """How a session's clock relates to the server's: frozen at an instant, or running with an offset."""

    frozen_at: datetime | None = None
    offset: timedelta = timedelta(0)

    def now(self, base: Clock) -> datetime:
        return self.frozen_at if self.frozen_at is not None else base.now() + self.offset

    def freeze(self, at: datetime) -> ClockSetting:
        return ClockSetting(at if at.tzinfo else at.replace(tzinfo=UTC), self.offset)

    def advance(self, by: timedelta) -> ClockSetting:
        if self.frozen_at is not None:
            return ClockSetting(self.frozen_at + by, self.offset)
        return ClockSetting(None, self.offset + by)

    def resume(self, base: Clock) -> ClockSetting:
        """Run again from the frozen instant (time never jumps back for the session's records)."""
        if self.frozen_at is None:
            return self
        return ClockSetting(None, self.frozen_at - base.now())

    def as_json(self, base: Clock) -> dict[str, Any]:
        return {"now": iso(self.now(base), millis=True), "frozen": self.frozen_at is not None,
                "offsetSeconds": self.offset.total_seconds()}


class SessionClock:
    """A session's view of time: the server's clock adjusted by the session's setting."""

    def __init__(self, base: Clock, setting: Callable[[], ClockSetting]) -> None:
        self._base = base
        self._setting = setting

    def now(self) -> datetime:
        return self._setting().now(self._base)
