"""Identifier factory: deterministic with a seed, vendor-shaped."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from mockserver.ids import IdFactory


def test_same_seed_same_ids() -> None:
    first, second = IdFactory(5), IdFactory(5)
    assert [first.uuid4(), first.base62(22)] == [second.uuid4(), second.base62(22)]
    assert IdFactory(6).uuid4() != IdFactory(5).uuid4()


def test_shapes() -> None:
    ids = IdFactory(1)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", ids.uuid4())
    assert re.fullmatch(r"[0-9A-Za-z]{22}", ids.base62(22))
    assert re.fullmatch(r"[A-Za-z0-9]{40}", ids.token())


def test_object_ids_carry_the_time_and_sort_in_creation_order() -> None:
    ids = IdFactory(1)
    at = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    made = [ids.object_id(at) for _ in range(50)]
    assert all(re.fullmatch(r"[0-9a-f]{24}", oid) for oid in made)
    assert made[0][:8] == f"{int(at.timestamp()):08x}"
    assert made == sorted(made)
    assert ids.object_id(datetime(2026, 3, 2, tzinfo=UTC)) > made[-1]
