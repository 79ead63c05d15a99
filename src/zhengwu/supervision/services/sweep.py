"""The periodic sweep: recompute deadlines and lights of every open record with today's calendar,
then issue the warnings and rule cards that are due. Works in chunks, one transaction each."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ..models import SupervisedCase
from ..selectors import coverage_gaps
from ._common import Thresholds, rows_update, today
from .alerts import cards_apply_rules, warnings_issue
from .records import CLOCK_FIELDS, apply_clock

logger = logging.getLogger(__name__)

SWEEP_FIELDS = [
    "id",
    "source",
    "case_number",
    "item_name",
    "department_id",
    "department_name",
    "department_line",
    "region_code",
    "stage",
    "is_open",
    "received_at",
    "receive_clock_from",
    "accepted_on",
    "decided_at",
    "delivered_at",
    "closed_at",
    "promised_limit",
    "statutory_limit",
    "suspensions",
    "extension_workdays",
    "updated_at",
    *CLOCK_FIELDS,
]


def _counted(record: SupervisedCase) -> tuple[object, ...]:
    """What of the clock the statistics count (supervision.selectors_stats.FACT_FIELDS)."""
    return (record.decided_on_time, record.decided_early, record.suspended_workdays)


@dataclass
class SweepResult:
    records: int = 0
    changed: int = 0
    warnings: int = 0
    cards: int = 0
    fallback_years: list[int] = field(default_factory=list)


def supervision_sweep(*, on_day: dt.date | None = None, chunk: int = 2000) -> SweepResult:
    day = on_day or today()
    thresholds = Thresholds()
    result = SweepResult()
    last_pk = 0
    while True:
        rows = list(
            SupervisedCase.objects.filter(is_open=True, pk__gt=last_pk)
            .order_by("pk")
            .only(*SWEEP_FIELDS)[:chunk]
        )
        if not rows:
            break
        last_pk = rows[-1].pk
        with transaction.atomic():
            changed, restated = [], []
            for record in rows:
                before = _counted(record)
                if apply_clock(record, day, thresholds):
                    changed.append(record)
                    if _counted(record) != before:
                        record.updated_at = timezone.now()
                        restated.append(record)
            rows_update(changed, [*CLOCK_FIELDS])
            # updated_at tells the statistics rollup to count the record again
            rows_update(restated, ["updated_at"])
            result.warnings += len(warnings_issue(rows))
            result.cards += len(cards_apply_rules([r for r in changed if r.ever_overdue], day=day))
        result.records += len(rows)
        result.changed += len(changed)
    result.fallback_years = coverage_gaps()
    if result.fallback_years:
        logger.warning("Supervision deadlines fall in years without holiday data: %s", result.fallback_years)
    return result
