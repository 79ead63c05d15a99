from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created

_maintenance = threading.local()


@contextmanager
def flush_allowed() -> Iterator[None]:
    """Lets `manage.py flush` empty the audit table on SQLite (PostgreSQL flushes with TRUNCATE)."""
    previous = getattr(_maintenance, "on", False)
    _maintenance.on = True
    try:
        yield
    finally:
        _maintenance.on = previous


def _guard() -> int:
    return 0 if getattr(_maintenance, "on", False) else 1


def _register_sqlite_guard(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        from .sql import SQLITE_FUNCTION

        connection.connection.create_function(SQLITE_FUNCTION, 0, _guard)
        _wrap_flush(type(connection.ops))


def _wrap_flush(operations: Any) -> None:
    original = operations.execute_sql_flush
    if getattr(original, "_zhengwu_audit", False):
        return

    def execute_sql_flush(self: Any, sql_list: Any) -> None:
        with flush_allowed():
            original(self, sql_list)

    execute_sql_flush._zhengwu_audit = True  # type: ignore[attr-defined]
    operations.execute_sql_flush = execute_sql_flush


class AuditConfig(AppConfig):
    name = "zhengwu.core.audit"
    label = "core_audit"
    verbose_name = "core.audit"

    def ready(self) -> None:
        connection_created.connect(_register_sqlite_guard, dispatch_uid="zhengwu.core.audit.sqlite_guard")
