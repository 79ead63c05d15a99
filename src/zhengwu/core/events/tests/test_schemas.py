from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from zhengwu.core.events.schemas import known_types, schema_dir, schema_for

FILES = sorted(schema_dir().glob("*.json"))


def test_schema_directory_is_found():
    assert schema_dir().is_dir()
    names = {path.stem for path in FILES}
    assert {
        "envelope",
        "org.department_created",
        "org.department_updated",
        "org.region_created",
        "accounts.user_locked",
    } <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_schema_file_is_valid_draft_2020_12(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + path.name)  # relative $ref "envelope.json" resolves beside it
    assert schema.get("title")


@pytest.mark.parametrize("event_type", known_types())
def test_every_event_type_extends_the_envelope_and_fixes_its_type(event_type):
    schema = schema_for(event_type)
    assert schema["$ref"] == "envelope.json"
    assert schema["properties"]["type"] == {"const": event_type}
    assert schema["properties"]["payload"]["type"] == "object"
    assert schema["properties"]["payload"]["required"]


def test_envelope_is_not_an_event_type():
    assert "envelope" not in known_types()


def test_readme_example_is_a_valid_event():
    from zhengwu.core.events.schemas import validate_envelope

    readme = (schema_dir() / "README.md").read_text(encoding="utf-8")
    example = readme.split("```json", 1)[1].split("```", 1)[0]
    validate_envelope(json.loads(example))


def _readme_example() -> dict:
    readme = (schema_dir() / "README.md").read_text(encoding="utf-8")
    return json.loads(readme.split("```json", 1)[1].split("```", 1)[0])


def test_a_value_json_has_no_type_for_is_named_not_crashed_on():
    import datetime as dt

    from zhengwu.core.events.schemas import InvalidEvent, validate_envelope

    event = _readme_example()
    event["occurred_at"] = dt.datetime(2025, 9, 26, 9, tzinfo=dt.UTC)  # a datetime, not its text
    with pytest.raises(InvalidEvent, match="occurred_at"):
        validate_envelope(event)


def test_without_the_quick_check_jsonschema_checks_alone(monkeypatch):
    from zhengwu.core.events import schemas

    def cannot(*args, **kwargs):
        raise ValueError("unsupported")

    monkeypatch.setattr(schemas.jsonschema_rs, "validator_for", cannot)
    schemas._quick_validator.cache_clear()
    try:
        event = _readme_example()
        schemas.validate_envelope(event)  # valid: passes
        event["payload"] = "not an object"
        with pytest.raises(schemas.InvalidEvent, match="payload"):
            schemas.validate_envelope(event)
    finally:
        schemas._quick_validator.cache_clear()
