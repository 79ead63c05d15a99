"""Database triggers that make the audit table append-only below the ORM.

The ORM refuses updates and deletes too, but raw SQL, a shell or another program could still try.
On SQLite a schema change rebuilds the table and loses its triggers: a later migration that alters
the table must run `install_triggers` again (see docs/kernel/audit.md).
"""

from __future__ import annotations

from typing import Any

TABLE = "core_audit_auditentry"
MESSAGE = "audit log is append-only"

# SQLite: the guard asks a function that only Zhengwu's own connections define (see apps.py), so a
# foreign connection fails closed ("no such function") and `manage.py flush` can still empty the
# table in tests. A connection without the function cannot update or delete at all.
SQLITE_FUNCTION = "zhengwu_audit_guard"
SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS core_audit_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_audit_no_delete BEFORE DELETE ON {TABLE}
        WHEN {SQLITE_FUNCTION}() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS core_audit_no_update",
    "DROP TRIGGER IF EXISTS core_audit_no_delete",
]

# PostgreSQL: row triggers. TRUNCATE (used by `manage.py flush` in transactional tests) is left to
# whoever holds the table owner's rights, who could drop the trigger anyway.
POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION core_audit_forbid_change() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; END;
        $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS core_audit_append_only ON {TABLE}",
    f"""CREATE TRIGGER core_audit_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION core_audit_forbid_change()""",
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS core_audit_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS core_audit_forbid_change()",
]


def _run(schema_editor: Any, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install_triggers(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_INSTALL)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_INSTALL)


def remove_triggers(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_REMOVE)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_REMOVE)
