"""No interface can change or delete an audit row: not the ORM, not raw SQL."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from zhengwu.core.audit.models import AuditEntry, AuditLogImmutable
from zhengwu.core.audit.services import audit_record
from zhengwu.core.audit.sql import TABLE

# The table name is a constant of ours, not input.
UPDATE_ONE = f"UPDATE {TABLE} SET summary = %s WHERE id = %s"  # noqa: S608
DELETE_ONE = f"DELETE FROM {TABLE} WHERE id = %s"  # noqa: S608
DELETE_ALL = f"DELETE FROM {TABLE}"  # noqa: S608


@pytest.fixture
def entry(db):
    audit_record(actor=None, action="x.create", obj_type="x", obj_id=1, summary="原文")
    return AuditEntry.objects.get()


def test_save_of_existing_row_is_refused(entry):
    entry.summary = "篡改"
    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        entry.save(update_fields=["summary"])
    assert AuditEntry.objects.get().summary == "原文"


def test_delete_is_refused(entry):
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1


def test_queryset_update_and_bulk_update_are_refused(entry):
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="篡改")
    entry.summary = "篡改"
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.bulk_update([entry], ["summary"])
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.update_or_create(pk=entry.pk, defaults={"summary": "篡改"})
    assert AuditEntry.objects.get().summary == "原文"


def test_raw_sql_update_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(UPDATE_ONE, ["篡改", entry.pk])
    assert AuditEntry.objects.get().summary == "原文"


def test_raw_sql_delete_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(DELETE_ONE, [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(DELETE_ALL)
    assert AuditEntry.objects.count() == 1


def test_new_rows_can_still_be_added(entry):
    AuditEntry(action="y.create", obj_type="y", obj_id="2").save()
    assert AuditEntry.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_table_and_the_guard_comes_back():
    # Transactional tests end with `flush`; it must not trip over the trigger, and only it may.
    audit_record(actor=None, action="x.create", obj_type="x", obj_id=1)
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == 0
    audit_record(actor=None, action="x.create", obj_type="x", obj_id=2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(DELETE_ALL)
    assert AuditEntry.objects.count() == 1
