"""A plain INSERT … executemany for rows whose primary keys nobody needs back (materials, fields, steps).

Django's bulk_create builds a model instance per row and prepares every value through the field API;
for the hundreds of thousands of part rows of a big import that is most of the time. Rows here are
plain dicts of attribute names; only JSON and UUID columns go through the field API, the rest are
Python values that both SQLite and psycopg accept as they are. Missing keys take the field default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connection, models


def _prep(field: Any) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    return convert


def insert_rows(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> int:
    if not rows:
        return 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    converters: list[Callable[[Any], Any] | None] = [
        _prep(f) if f.get_internal_type() in {"JSONField", "UUIDField"} else None for f in fields
    ]
    defaults = [f.get_default() for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column or f.attname) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = quote(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
    plan = list(zip([f.attname for f in fields], converters, defaults, strict=True))
    values = []
    for row in rows:
        out = []
        for attname, convert, default in plan:
            value = row.get(attname, default)
            out.append(convert(value) if convert is not None and value is not None else value)
        values.append(out)
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
    return len(values)


def update_rows(model: type[models.Model], objs: Sequence[models.Model], attnames: Sequence[str]) -> int:
    """UPDATE … WHERE pk = %s for each object, one executemany (bulk_update builds a CASE per row)."""
    if not objs:
        return 0
    fields: list[Any] = [model._meta.get_field(name) for name in attnames]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    pk_field: Any = model._meta.pk
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk_field.column)} = %s"  # noqa: S608
    values = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk] for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
    return len(values)
