from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from zhengwu.core.events import registry, schemas

TEST_TYPE = "test.thing_happened"

TEST_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://zhengwu.example/api/events/test.thing_happened.json",
    "$ref": "envelope.json",
    "properties": {
        "type": {"const": TEST_TYPE},
        "payload": {
            "type": "object",
            "required": ["n"],
            "properties": {"n": {"type": "integer", "minimum": 0}},
        },
    },
}


class Recorder:
    """A test handler whose behaviour the test sets; records every call."""

    def __init__(self) -> None:
        self.calls: list[Any] = []
        self.fail_with: Exception | None = None
        self.side_effect: Any = None

    def __call__(self, event: Any) -> None:
        self.calls.append(event.id)
        if self.side_effect is not None:
            self.side_effect(event)
        if self.fail_with is not None:
            raise self.fail_with


@pytest.fixture
def test_event_type() -> Iterator[str]:
    schemas.register_schema(TEST_TYPE, TEST_SCHEMA)
    yield TEST_TYPE
    schemas.unregister_schema(TEST_TYPE)


@pytest.fixture
def recorder(test_event_type: str) -> Iterator[Recorder]:
    rec = Recorder()
    registry.handler(test_event_type, name="tests.recorder")(rec)
    yield rec
    registry.unregister("tests.recorder")
