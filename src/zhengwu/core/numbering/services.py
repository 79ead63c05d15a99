"""Gap-free daily numbers from a locked counter row backed by a unique constraint (DESIGN rule 6).

The row lock is held until the caller's transaction ends, so numbers are handed out in commit order
and a rolled-back caller gives its number back instead of leaving a gap.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _

from .models import Counter

_FIRST_USE_RETRIES = 5


class NumbersUsedUp(ValueError):
    """The serial does not fit its width: the day's numbers under this key are all given out."""


def next_number(*, key: str, day: datetime.date) -> int:
    """The next serial for (key, day), starting at 1."""
    if not key or len(key) > 100:
        raise ValueError(_("编号序列名不能为空，且不超过 100 个字符。"))
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        raise TypeError(_("编号日期必须是 datetime.date（按北京时间计算的日期）。"))
    connection = connections[router.db_for_write(Counter)]
    if connection.vendor in _UPSERT_VENDORS:
        return _upsert(connection, key, day)
    return _select_then_update(key, day)


# PostgreSQL and SQLite ≥ 3.35: one statement that creates or increments the row and returns the
# value. The UPDATE half row-locks the counter until the caller's transaction ends, exactly like
# SELECT … FOR UPDATE; a concurrent first use waits on the unique index instead of failing.
_UPSERT_VENDORS = frozenset({"postgresql", "sqlite"})


def _upsert(connection: BaseDatabaseWrapper, key: str, day: datetime.date) -> int:
    q = connection.ops.quote_name
    table = q(Counter._meta.db_table)
    # Identifiers come from the model's metadata, quoted; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({q('key')}, {q('day')}, {q('value')}) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({q('key')}, {q('day')}) DO UPDATE SET {q('value')} = {table}.{q('value')} + 1 "
        f"RETURNING {q('value')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, connection.ops.adapt_datefield_value(day)])
        row = cursor.fetchone()
    return int(row[0])


def _select_then_update(key: str, day: datetime.date) -> int:
    """Other databases: lock the row with SELECT … FOR UPDATE, or create it on first use."""
    for _attempt in range(_FIRST_USE_RETRIES):
        try:
            with transaction.atomic():
                counter = Counter.objects.select_for_update().filter(key=key, day=day).first()
                if counter is None:
                    # Two first uses of the day race here; the loser hits the unique constraint and
                    # retries, then finds and locks the winner's row.
                    Counter.objects.create(key=key, day=day, value=1)
                    return 1
                counter.value += 1
                counter.save(update_fields=["value"])
                return counter.value
        except IntegrityError:
            continue
    raise RuntimeError(f"Counter {key} {day} could not be created after {_FIRST_USE_RETRIES} attempts")


def format_number(prefix: str, day: datetime.date, serial: int, width: int = 4) -> str:
    """prefix + yyyymmdd + zero-padded serial: the case number of DOMAIN §3 (实施编码 + 日期 + 4 位流水号)."""
    if serial < 1:
        raise ValueError(_("流水号必须从 1 开始。"))
    if serial >= 10**width:
        raise NumbersUsedUp(_("流水号 %(serial)s 超出 %(width)s 位。") % {"serial": serial, "width": width})
    return f"{prefix}{day:%Y%m%d}{serial:0{width}d}"
