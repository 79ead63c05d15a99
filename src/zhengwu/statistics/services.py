"""Keeping the rollup up to date (the only writes of this app).

`rollup_refresh()` reads the supervision records changed since the last refresh began (less an
overlap, so a record committed late is not missed), turns each into a fact, compares it with the
fact counted last time, and moves the difference into the daily and monthly sums. Running it twice
changes nothing the second time (idempotent); a record that moves (a case completed, a channel
corrected) leaves its old day and enters its new one. `rollup_refresh(full=True)` (`manage.py
statistics_rebuild`) starts from nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from zhengwu.core.calendar import local_day, workdays_between
from zhengwu.supervision.selectors_stats import records_changed_since

from .models import CaseFact, DailyStat, MonthlyStat, RefreshState

STATE = "rollup"
OVERLAP = dt.timedelta(minutes=10)  # records written in a transaction still open at the last refresh
FACT_FIELDS = (
    "record_id",
    "source",
    "region_code",
    "department_id",
    "department_line",
    "department_name",
    "item_code",
    "item_name",
    "channel",
    "received_on",
    "accepted_on",
    "completed_on",
    "timed",
    "on_time",
    "early",
    "handling_workdays",
)
DIMS = (
    "region_code",
    "department_id",
    "department_line",
    "department_name",
    "item_code",
    "item_name",
    "channel",
)
GROUP = ("region_code", "department_id", "item_code", "channel")
SUMS = ("received", "accepted", "completed", "timed", "on_time", "early", "handled", "handling_workdays")


def fact_of(row: dict[str, Any]) -> tuple[Any, ...]:
    """A supervision record (dict of selectors_stats.FACT_FIELDS) as a fact tuple in FACT_FIELDS order."""
    region = row["region_code"] or ""
    received = local_day(row["received_at"]) if row["received_at"] else None
    accepted = row["accepted_on"] or (local_day(row["accepted_at"]) if row["accepted_at"] else None)
    completed = local_day(row["completed_at"]) if row["completed_at"] else None
    timed = completed is not None and row["decided_on_time"] is not None
    handling = None
    start = accepted or received
    if completed is not None and start is not None:
        used = workdays_between(start, completed, region or None) - (row["suspended_workdays"] or 0)
        handling = max(used, 0)
    return (
        row["id"],
        row["source"] or "",
        region,
        row["department_id"] or 0,
        row["department_line"] or "",
        row["department_name"] or "",
        row["item_code"] or "",
        row["item_name"] or "",
        row["channel"] or "",
        received,
        accepted,
        completed,
        timed,
        timed and bool(row["decided_on_time"]),
        timed and bool(row["decided_early"]),
        handling,
    )


def _fact_days(fact: Iterable[Any]) -> set[dt.date]:
    values = dict(zip(FACT_FIELDS, fact, strict=True))
    return {
        d for d in (values["received_on"], values["accepted_on"], values["completed_on"]) if d is not None
    }


@dataclass(frozen=True)
class RefreshResult:
    full: bool
    records_read: int
    facts_changed: int
    days_rebuilt: int
    months_rebuilt: int
    seconds: float


def rollup_refresh(*, full: bool = False) -> RefreshResult:
    """Bring the rollup up to date with the supervision records (serialised by a row lock)."""
    started = time.monotonic()
    with transaction.atomic():
        RefreshState.objects.get_or_create(name=STATE)
        state = RefreshState.objects.select_for_update().get(name=STATE)
        if full:
            CaseFact.objects.all().delete()
            DailyStat.objects.all().delete()
            MonthlyStat.objects.all().delete()
        since = None if full or state.watermark is None else state.watermark - OVERLAP
        # The next refresh reads what changed after this one began (less OVERLAP, for records written in
        # a transaction that commits after our read): a record's updated_at is set before its commit.
        watermark = timezone.now()
        read = changed = 0
        days: set[dt.date] = set()
        deltas: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(SUMS))
        names: dict[tuple[Any, ...], tuple[str, str, str]] = {}
        for rows in records_changed_since(since):
            read += len(rows)
            new = {row["id"]: fact_of(row) for row in rows}
            old = (
                {}
                if full
                else {
                    f[0]: f
                    for f in CaseFact.objects.filter(record_id__in=list(new)).values_list(*FACT_FIELDS)
                }
            )
            moved = [fact for pk, fact in new.items() if old.get(pk) != fact]
            if not moved:
                continue
            for fact in moved:
                days |= _fact_days(fact)
                if full:
                    continue
                _contribute(deltas, names, fact, +1)
                if fact[0] in old:
                    days |= _fact_days(old[fact[0]])
                    _contribute(deltas, names, old[fact[0]], -1)
            if old:
                CaseFact.objects.filter(record_id__in=[f[0] for f in moved if f[0] in old]).delete()
            _insert_facts(moved)
            changed += len(moved)
        months = {d.replace(day=1) for d in days}
        if full:
            _sum_all_days()
            _rebuild_months(months)
        else:
            _apply_deltas(deltas, names)
        state.watermark = watermark
        state.refreshed_at = timezone.now()
        state.last_changed = changed
        state.last_seconds = round(time.monotonic() - started, 3)
        state.save()
    return RefreshResult(full, read, changed, len(days), len(months), time.monotonic() - started)


def _contribute(
    deltas: dict[tuple[Any, ...], list[int]],
    names: dict[tuple[Any, ...], tuple[str, str, str]],
    fact: tuple[Any, ...],
    sign: int,
) -> None:
    """Add (sign +1) or take back (-1) what one fact counts, on its days and their months."""
    v = dict(zip(FACT_FIELDS, fact, strict=True))
    dims = (v["region_code"], v["department_id"], v["item_code"], v["channel"])
    label = (v["department_line"], v["department_name"], v["item_name"])
    parts: list[tuple[dt.date, list[int]]] = []
    if v["received_on"] is not None:
        parts.append((v["received_on"], [1, 0, 0, 0, 0, 0, 0, 0]))
    if v["accepted_on"] is not None:
        parts.append((v["accepted_on"], [0, 1, 0, 0, 0, 0, 0, 0]))
    if v["completed_on"] is not None:
        used = v["handling_workdays"]
        parts.append(
            (
                v["completed_on"],
                [
                    0,
                    0,
                    1,
                    int(v["timed"]),
                    int(v["on_time"]),
                    int(v["early"]),
                    int(used is not None),
                    used or 0,
                ],
            )
        )
    for day, vector in parts:
        for key in (("day", day, *dims), ("month", day.replace(day=1), *dims)):
            total = deltas[key]
            for i, n in enumerate(vector):
                total[i] += sign * n
            if sign > 0 or key not in names:
                names[key] = label


def _apply_deltas(
    deltas: dict[tuple[Any, ...], list[int]], names: dict[tuple[Any, ...], tuple[str, str, str]]
) -> None:
    """Add the deltas to the daily and monthly rows (INSERT … ON CONFLICT DO UPDATE, additive), then
    drop the rows left with nothing in them."""
    from django.db import connection

    for kind, model in (("day", DailyStat), ("month", MonthlyStat)):
        rows = [
            (key[1], *key[2:], *names[key], *vector)
            for key, vector in deltas.items()
            if key[0] == kind and any(vector)
        ]
        if not rows:
            continue
        table = model._meta.db_table
        columns = [kind, *GROUP, "department_line", "department_name", "item_name", *SUMS]
        updates = [f"{c} = {table}.{c} + excluded.{c}" for c in SUMS] + [
            f"{c} = excluded.{c}" for c in ("department_line", "department_name", "item_name")
        ]
        # Table and column names come from the models; every value is a parameter.
        names_sql, marks = ", ".join(columns), ", ".join(["%s"] * len(columns))
        insert = f"INSERT INTO {table} ({names_sql}) VALUES ({marks})"  # noqa: S608
        sql = f"{insert} ON CONFLICT ({', '.join([kind, *GROUP])}) DO UPDATE SET {', '.join(updates)}"
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        touched = sorted({row[0] for row in rows})
        model.objects.filter(**{f"{kind}__in": touched}, received=0, accepted=0, completed=0).delete()


def _insert_facts(facts: list[tuple[Any, ...]]) -> None:
    """COPY on PostgreSQL (ten times faster than INSERTs for a full rebuild), bulk inserts elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        CaseFact.objects.bulk_create(
            [CaseFact(**dict(zip(FACT_FIELDS, f, strict=True))) for f in facts], batch_size=2000
        )
        return
    columns = ", ".join(FACT_FIELDS)  # the field names are the column names
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {CaseFact._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for fact in facts:
            copy.write_row(fact)


def _sum_all_days() -> None:
    """Every daily row from the facts in one INSERT … SELECT (the full rebuild; plain SQL that SQLite
    and PostgreSQL both run). In day order, so a period's rows sit together on disk: a hash GROUP BY
    would scatter them and a range of days would read a page per row."""
    from django.db import connection

    fact, daily = CaseFact._meta.db_table, DailyStat._meta.db_table
    dims = "region_code, department_id, item_code, channel"
    labels = "department_line, department_name, item_name"
    parts = [
        f"SELECT received_on AS d, {dims}, {labels}, 1 AS r, 0 AS a, 0 AS c, 0 AS t, 0 AS o, 0 AS e, "  # noqa: S608
        f"0 AS h, 0 AS w FROM {fact} WHERE received_on IS NOT NULL",
        f"SELECT accepted_on, {dims}, {labels}, 0, 1, 0, 0, 0, 0, 0, 0 FROM {fact} "  # noqa: S608
        "WHERE accepted_on IS NOT NULL",
        f"SELECT completed_on, {dims}, {labels}, 0, 0, 1, "  # noqa: S608
        "CASE WHEN timed THEN 1 ELSE 0 END, CASE WHEN on_time THEN 1 ELSE 0 END, "
        "CASE WHEN early THEN 1 ELSE 0 END, CASE WHEN handling_workdays IS NULL THEN 0 ELSE 1 END, "
        f"COALESCE(handling_workdays, 0) FROM {fact} WHERE completed_on IS NOT NULL",
    ]
    columns = f"day, {dims}, {labels}, {', '.join(SUMS)}"
    sql = (
        f"INSERT INTO {daily} ({columns}) "  # noqa: S608
        f"SELECT d, {dims}, MAX(department_line), MAX(department_name), MAX(item_name), "
        "SUM(r), SUM(a), SUM(c), SUM(t), SUM(o), SUM(e), SUM(h), SUM(w) "
        f"FROM ({' UNION ALL '.join(parts)}) facts GROUP BY d, {dims} ORDER BY d"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")  # the GROUP BY in memory, not on disk
        cursor.execute(sql)


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _rebuild_months(months: set[dt.date]) -> None:
    for month in sorted(months):
        MonthlyStat.objects.filter(month=month).delete()
        rows = (
            DailyStat.objects.filter(day__gte=month, day__lt=_next_month(month))
            .values(*GROUP)
            .annotate(
                line=Max("department_line"),
                dname=Max("department_name"),
                iname=Max("item_name"),
                **{f"s_{name}": Sum(name) for name in SUMS},
            )
            .order_by()
        )
        MonthlyStat.objects.bulk_create(
            [
                MonthlyStat(
                    month=month,
                    region_code=r["region_code"],
                    department_id=r["department_id"],
                    item_code=r["item_code"],
                    channel=r["channel"],
                    department_line=r["line"],
                    department_name=r["dname"],
                    item_name=r["iname"],
                    **{name: r[f"s_{name}"] for name in SUMS},
                )
                for r in rows
            ],
            batch_size=2000,
        )
