"""Streaming rows into a table: COPY on PostgreSQL, executemany elsewhere; sequences reset after."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max


class TableWriter:
    """Appends rows (dicts by attname) to one model's table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, model: type[models.Model], batch: int) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [str(f.column) for f in self.fields]
        self.defaults = {f.attname: (None if f.null else f.get_default()) for f in self.fields}
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        self.batch = batch
        self.rows: list[dict[str, Any]] = []
        self.written = 0
        self.pg = connection.vendor == "postgresql"
        self._next_id = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1

    def next_id(self) -> int:
        value = self._next_id
        self._next_id += 1
        return value

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def _values(self, row: dict[str, Any]) -> Iterator[Any]:
        for f in self.fields:
            name = f.attname
            value = row.get(name, self.defaults[name])
            if self.pg:
                yield json.dumps(value, ensure_ascii=False) if name in self.json else value
            else:
                yield f.get_db_prep_save(value, connection)

    def flush(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(tuple(self._values(row)))
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({cols}) VALUES ({marks})",  # noqa: S608 (names from _meta)
                    [tuple(self._values(row)) for row in self.rows],
                )
        self.written += len(self.rows)
        self.rows = []


def reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
