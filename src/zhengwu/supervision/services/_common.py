"""Lookups every supervision service shares: the system actor, org data, light thresholds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.regions import region_prefix
from zhengwu.core.access.roles import Role
from zhengwu.core.calendar.days import local_day
from zhengwu.core.notify.services import notify_send
from zhengwu.org import selectors as org_selectors

from ..models import LightThreshold
from ..models.config import DEFAULT_YELLOW_WORKDAYS

# Supervision reads org data for every department, whatever the triggering user may see.
SYSTEM = Actor(user_id=None, roles=frozenset({Role.SYSADMIN}), display_name="电子监察")


def today() -> dt.date:
    return local_day(timezone.now())


@dataclass(frozen=True)
class DepartmentInfo:
    id: int
    name: str
    uscc: str
    line: str
    region_code: str
    contact_phone: str


def departments(*, ids: Iterable[int] = (), usccs: Iterable[str] = ()) -> dict[int | str, DepartmentInfo]:
    """Departments by id and by USCC (one query)."""
    out: dict[int | str, DepartmentInfo] = {}
    for row in org_selectors.department_facts(ids=set(ids), usccs=set(usccs)):
        info = DepartmentInfo(*row)
        out[info.id] = info
        out[info.uscc] = info
    return out


def notify_contacts(template: str, contexts: dict[int, dict[str, str]]) -> None:
    """SMS `template` to each department's supervision contact with its own context (one lookup for
    all); a department without a contact phone gets none. Sent after the caller's commit."""
    infos = departments(ids=contexts)
    for department_id, context in contexts.items():
        info = infos.get(department_id)
        if info is not None and info.contact_phone:
            notify_send(template=template, context=context, phone=info.contact_phone, channels=("sms",))


class Thresholds:
    """Yellow-light thresholds: the most specific region prefix wins; the default is DOMAIN §5's 1 day."""

    def __init__(self) -> None:
        rows = list(LightThreshold.objects.values_list("region_code", "yellow_workdays"))
        self._by_prefix = sorted(
            ((region_prefix(code) if code else "", days) for code, days in rows), key=lambda r: -len(r[0])
        )

    def yellow_workdays(self, region_code: str) -> int:
        for prefix, days in self._by_prefix:
            if region_code.startswith(prefix):
                return days
        return DEFAULT_YELLOW_WORKDAYS


def rows_update(records: list[Any], fields: list[str]) -> None:
    """UPDATE … WHERE id = … for many rows in one executemany (bulk_update's CASE WHEN grows
    quadratically with rows × fields; this stays linear). Values go through each field's own
    database preparation, so JSON, dates and booleans are stored exactly as the ORM would."""
    if not records:
        return
    from django.db import connection

    model = type(records[0])
    meta = model._meta
    concrete = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - quoted model column names only
        quote(meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in concrete),  # type: ignore[union-attr]
        quote(meta.pk.column),  # type: ignore[union-attr]
    )
    params = _prepared(concrete, records, connection, with_pk=True)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _prepared(concrete: list[Any], objects: list[Any], connection: Any, *, with_pk: bool) -> list[list[Any]]:
    """Row parameters for raw statements. Plain values (str, int, bool, date, None) need no
    preparation on any backend; datetimes (on SQLite) and JSON go through the field, which knows the
    backend's adapters — so values are stored exactly as the ORM would store them."""
    from django.db import models as m

    plain: tuple[type[m.Field], ...] = (m.CharField, m.IntegerField, m.BooleanField, m.DateField, m.UUIDField)
    postgres = connection.vendor == "postgresql"
    prep = [
        None
        if isinstance(f, plain)
        and (postgres or not isinstance(f, m.DateTimeField))
        and not (isinstance(f, m.UUIDField) and not postgres)
        else f.get_db_prep_save
        for f in concrete
    ]
    names = [f.attname for f in concrete]
    params = []
    for obj in objects:
        row = [getattr(obj, n) for n in names]
        for i, fn in enumerate(prep):
            if fn is not None:
                row[i] = fn(row[i], connection)
        if with_pk:
            row.append(obj.pk)
        params.append(row)
    return params


def rows_insert_new(objects: list[Any], fields: list[str]) -> None:
    """INSERT … ON CONFLICT DO NOTHING for many rows in one executemany (3× faster than
    bulk_create here); rows whose unique key exists already are skipped, as with ignore_conflicts."""
    if not objects:
        return
    from django.db import connection

    meta = type(objects[0])._meta
    concrete = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING".format(  # noqa: S608 - quoted model names only
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in concrete),  # type: ignore[union-attr]
        ", ".join(["%s"] * len(concrete)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, _prepared(concrete, objects, connection, with_pk=False))
