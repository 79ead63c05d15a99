# mypy: disable-error-code="misc"
"""A fast pre-check of case events against their published JSON Schemas, for the exchange intake.

The pure-Python `jsonschema` validator costs ~150 µs per event, a third of the intake's time. This
compiles the small subset of JSON Schema the event schemas use (type, properties, required,
additionalProperties: false, const, enum, pattern, min/maxLength, minimum, format, items, oneOf,
$ref to envelope.json) into plain closures. It is **never looser** than `jsonschema`: where in doubt
it says "no" (integral floats, bool/int in const, formats checked strictly), and every "no" is
re-judged by `core.events.schemas.validate_envelope`, which stays the authority and gives the
message. A schema using any other keyword is not compiled and always goes to `jsonschema`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable
from functools import cache
from typing import Any

from django.utils.dateparse import parse_datetime

from zhengwu.core.events import schemas

Check = Callable[[Any], bool]
ANNOTATIONS = {"$id", "$schema", "title", "description"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Unsupported(Exception):
    pass


def _is_type(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    raise Unsupported(name)


def _format(name: str) -> Check:
    def uuid_ok(v: str) -> bool:
        try:
            uuid.UUID(v)
        except ValueError:
            return False
        return len(v) == 36 and all(v[i] == "-" for i in (8, 13, 18, 23))

    def date_ok(v: str) -> bool:
        if not DATE.match(v):
            return False
        try:
            dt.date.fromisoformat(v)
        except ValueError:
            return False
        return True

    def datetime_ok(v: str) -> bool:
        try:
            parsed = parse_datetime(v)
        except ValueError:
            return False
        return parsed is not None and parsed.tzinfo is not None and "T" in v.upper()

    checks = {"uuid": uuid_ok, "date": date_ok, "date-time": datetime_ok}
    if name not in checks:
        raise Unsupported(name)
    check = checks[name]
    return lambda v: not isinstance(v, str) or check(v)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _compile(schema: Any) -> Check:
    if schema is True:
        return lambda v: True
    if not isinstance(schema, dict):
        raise Unsupported(repr(schema))
    checks: list[Check] = []
    for key, arg in schema.items():
        if key in ANNOTATIONS:
            continue
        if key == "$ref":
            if not str(arg).endswith("envelope.json"):
                raise Unsupported(arg)
            envelope = json.loads((schemas.schema_dir() / schemas.ENVELOPE_FILE).read_text(encoding="utf-8"))
            checks.append(_compile(envelope))
        elif key == "type":
            names = arg if isinstance(arg, list) else [arg]
            for name in names:
                _is_type(None, name)  # raises Unsupported for unknown names
            checks.append(lambda v, names=names: any(_is_type(v, n) for n in names))
        elif key == "properties":
            subs = {name: _compile(sub) for name, sub in arg.items()}
            checks.append(
                lambda v, subs=subs: (
                    not isinstance(v, dict)
                    or all(check(v[name]) for name, check in subs.items() if name in v)
                )
            )
        elif key == "required":
            checks.append(lambda v, req=tuple(arg): not isinstance(v, dict) or all(r in v for r in req))
        elif key == "additionalProperties":
            if arg is not False:
                raise Unsupported("additionalProperties")
            allowed = frozenset(schema.get("properties", {}))
            checks.append(lambda v, allowed=allowed: not isinstance(v, dict) or set(v) <= allowed)
        elif key == "const":
            checks.append(lambda v, c=arg: _same(v, c))
        elif key == "enum":
            checks.append(lambda v, options=tuple(arg): any(_same(v, o) for o in options))
        elif key == "pattern":
            rx = re.compile(arg)
            checks.append(lambda v, rx=rx: not isinstance(v, str) or rx.search(v) is not None)
        elif key == "minLength":
            checks.append(lambda v, n=arg: not isinstance(v, str) or len(v) >= n)
        elif key == "maxLength":
            checks.append(lambda v, n=arg: not isinstance(v, str) or len(v) <= n)
        elif key == "minimum":
            checks.append(
                lambda v, n=arg: not (isinstance(v, int | float) and not isinstance(v, bool)) or v >= n
            )
        elif key == "format":
            checks.append(_format(arg))
        elif key == "items":
            item = _compile(arg)
            checks.append(lambda v, item=item: not isinstance(v, list) or all(item(x) for x in v))
        elif key == "oneOf":
            options = [_compile(sub) for sub in arg]
            checks.append(lambda v, options=options: sum(1 for o in options if o(v)) == 1)
        else:
            raise Unsupported(key)
    return lambda v: all(check(v) for check in checks)


@cache
def fast_check(event_type: str) -> Check | None:
    """The compiled pre-check of a type, or None (unknown type or a keyword outside the subset)."""
    try:
        return _compile(schemas.schema_for(event_type))
    except (schemas.EventError, Unsupported, OSError, ValueError):
        return None


def validate(record: dict[str, Any]) -> None:
    """Raise what `validate_envelope` raises; skip it when the fast check already passed."""
    check = fast_check(str(record.get("type", "")))
    if check is not None and check(record):
        return
    schemas.validate_envelope(record)
