"""Identifiers that look like each vendor's, deterministic when a seed is given."""

from __future__ import annotations

import os
import random
import string
import uuid
from datetime import datetime

BASE62 = string.digits + string.ascii_letters
CROCKFORD32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # ULID's alphabet: no I, L, O, U


class IdFactory:
    """Makes uuids, Mongo ObjectIds, base62 uids and hex strings from one random stream.

    With a seed the stream, and so every generated identifier, is the same on every run and after
    every reset; without one it comes from the OS.
    """

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed
        self._random = random.Random(seed if seed is not None else int.from_bytes(os.urandom(8), "big"))
        self._object_counter = self._random.randrange(1 << 20)  # room before the 24-bit wrap
        # Like MongoDB, one random value per process: ids made in the same second then sort by
        # the counter, i.e. in creation order.
        self._object_process = self.hex(10)

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def hex(self, length: int) -> str:
        return "".join(self._random.choice("0123456789abcdef") for _ in range(length))

    def base62(self, length: int) -> str:
        return "".join(self._random.choice(BASE62) for _ in range(length))

    def object_id(self, at: datetime) -> str:
        """A MongoDB ObjectId: 4-byte seconds, 5-byte process value, 3-byte counter (24 hex chars).

        Ids made later sort after ids made earlier, which is what cursor pagination relies on.
        """
        self._object_counter = (self._object_counter + 1) % (1 << 24)
        return f"{int(at.timestamp()):08x}{self._object_process}{self._object_counter:06x}"

    def ulid(self, at: datetime) -> str:
        """A ULID: 48 bits of milliseconds since the epoch, then 80 random bits, as 26 Crockford base32 chars.

        Ids made in a later millisecond sort after earlier ones; within one millisecond their order is
        random, so a caller that needs strictly growing ids compares with the last one it made.
        """
        millis = int(at.timestamp()) * 1000 + at.microsecond // 1000
        value = (millis << 80) | int(self.hex(20), 16)
        return "".join(CROCKFORD32[(value >> shift) & 31] for shift in range(125, -1, -5))

    def token(self, prefix: str = "") -> str:
        """An opaque bearer token: URL-safe, 40 random characters."""
        return f"{prefix}{self.base62(40)}"
