"""Identifiers that look like each vendor's, deterministic when a seed is given."""

from __future__ import annotations

import os
import random
import string
import uuid
from collections.abc import Callable
from datetime import datetime

BASE62 = string.digits + string.ascii_letters
CROCKFORD32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # ULID's alphabet: no I, L, O, U
SEED_MASK = (1 << 64) - 1


def random_seed() -> int:
    return int.from_bytes(os.urandom(8), "big")


class IdFactory:
    """Makes uuids, Mongo ObjectIds, base62 uids and hex strings from a seed and a sequence.

    Every identifier is drawn from its own generator, seeded with (seed, position in the sequence).
    The position comes from `sequence` (by default a counter of this factory; in the mock, the API
    store's id sequence), so the ids a session makes are the same on every run, after every reset
    and whichever worker process makes them: the whole random state is one integer in the store.
    """

    def __init__(self, seed: int | None = None, sequence: Callable[[], int] | None = None) -> None:
        self.seed = (seed if seed is not None else random_seed()) & SEED_MASK
        if sequence is None:
            counter = iter(range(1, 1 << 62))
            sequence = counter.__next__
        self._sequence = sequence
        self._object_parts: tuple[str, int] | None = None  # made on first use: most requests make no ObjectId

    def _draw(self) -> tuple[random.Random, int]:
        position = self._sequence()
        return random.Random((self.seed << 40) | position), position

    def uuid4(self) -> str:
        generator, _ = self._draw()
        return str(uuid.UUID(int=generator.getrandbits(128), version=4))

    def hex(self, length: int) -> str:
        generator, _ = self._draw()
        return "".join(generator.choice("0123456789abcdef") for _ in range(length))

    def base62(self, length: int) -> str:
        generator, _ = self._draw()
        return "".join(generator.choice(BASE62) for _ in range(length))

    def object_id(self, at: datetime) -> str:
        """A MongoDB ObjectId: 4-byte seconds, 5-byte process value, 3-byte counter (24 hex chars).

        Ids made later sort after ids made earlier, which is what cursor pagination relies on.
        """
        if self._object_parts is None:
            # Like MongoDB, one random value per "process": ids made in the same second then sort by
            # the counter, i.e. in creation order.
            stream = random.Random(self.seed << 1)
            process = "".join(stream.choice("0123456789abcdef") for _ in range(10))
            self._object_parts = process, stream.randrange(1 << 20)  # room before the 24-bit wrap
        process, start = self._object_parts
        _, position = self._draw()
        return f"{int(at.timestamp()):08x}{process}{(start + position) % (1 << 24):06x}"

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
