"""The quick check of events (jsonschema-rs, core.events.schemas) is never looser than jsonschema,
the reference, and passes ordinary valid events."""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

import pytest

from zhengwu.core.events.schemas import _quick_validator, _validator, known_types

from .factories import at, envelope

pytestmark = pytest.mark.usefixtures("demo_org")

ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    1.0,
    -1,
    "",
    "x" * 60,
    "2025-13-01",
    "2025-10-01",
    [],
    {},
    ["a"],
    "abc",
]


def jsonschema_ok(record: Any, event_type: str) -> bool:
    return bool(_validator(event_type).is_valid(record))


def quick_ok(record: Any, event_type: str) -> bool:
    return bool(_quick_validator(event_type).is_valid(record))


def samples() -> list[dict[str, Any]]:
    when = at(dt.date(2025, 9, 29))
    extra = {
        "received_at": when.isoformat(),
        "accepted_on": "2025-09-29",
        "mode": "normal",
        "round": 1,
        "step_name": "审查",
        "stage": "review",
        "kind": "testing",
        "started_on": "2025-09-30",
        "ended_on": "2025-10-09",
        "workdays": 3,
        "decision": "grant",
        "method": "window",
        "reason": "other",
    }
    out = []
    for event_type in known_types():
        if event_type.startswith("cases."):
            out.append(
                envelope(event_type.removeprefix("cases."), case_id="f1", when=when, by_id=False, **extra)
            )
    valid = [r for r in out if jsonschema_ok(r, r["type"])]
    assert len(valid) >= 15  # every type but a few with extra required fields
    return valid


def test_ordinary_events_pass_the_quick_check() -> None:
    for record in samples():
        assert quick_ok(record, record["type"]), record["type"]


def test_never_looser_than_jsonschema() -> None:
    rng = random.Random(7)
    for base in samples():
        for _n in range(150):
            record = copy.deepcopy(base)
            target = record["payload"] if rng.random() < 0.7 else record
            key = rng.choice([*target.keys(), "unknown_field"])
            action = rng.random()
            if action < 0.3:
                target.pop(key, None)
            else:
                target[key] = rng.choice(ODD_VALUES)
            if quick_ok(record, base["type"]):
                assert jsonschema_ok(record, base["type"]), (base["type"], key, target.get(key))
