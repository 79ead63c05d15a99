"""The two phases — closed history, then open work — and `generate`, which runs them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from zhengwu.cases import clock
from zhengwu.cases.models import (
    Case,
    CaseMaterial,
    CaseStatus,
    CaseStep,
    Decision,
    DeliveryMethod,
    MaterialState,
    StepStatus,
    Suspension,
    TerminationReason,
    TimelineEntry,
)
from zhengwu.core.calendar.days import is_workday
from zhengwu.core.numbering.models import Counter
from zhengwu.org.demo import AGENT_PHONE, PERSON_PHONE

from .days import at, plus_workdays, workdays_back
from .plan import ItemSpec, load_items
from .rows import CaseRows, Report
from .writer import reset_sequences

HISTORY_YEARS = 3
OPEN_WORKDAYS = 30


class Generator(CaseRows):
    def __init__(
        self,
        *,
        items: list[ItemSpec],
        today: dt.date,
        seed: int = 20250926,
        batch: int = 10_000,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(items=items, today=today, seed=seed, batch=batch)
        self.progress = progress or (lambda _msg: None)

    # historical

    def historical(self, count: int) -> None:
        end = self.today - dt.timedelta(days=40)
        start = end - dt.timedelta(days=365 * HISTORY_YEARS)
        span = (end - start).days
        demo_left = {PERSON_PHONE: 12, AGENT_PHONE: 8}
        for n in range(count):
            item = self._pick()
            day = start + dt.timedelta(days=self.rnd.randrange(span))
            while not is_workday(day, item.region):
                day += dt.timedelta(days=1)
            roll = self.rnd.random()
            status = (
                CaseStatus.DELIVERED
                if roll < 0.87
                else CaseStatus.REJECTED
                if roll < 0.91
                else CaseStatus.WITHDRAWN
                if roll < 0.97
                else CaseStatus.TERMINATED
            )
            case = self._case_row(item, day, status, open_case=False)
            self._demo_owner(case, demo_left)
            self._timeline(case, case["submitted_at"], "case_received", "收件")
            if status == CaseStatus.REJECTED:
                closed = plus_workdays(day, self.rnd.randrange(0, 4), item.region)
                case["rejection_reasons"] = ["申请材料不齐全且逾期未补正"]
                case["closed_at"] = at(closed, 16)
                self._timeline(case, case["closed_at"], "case_rejected", "不予受理")
            elif status == CaseStatus.WITHDRAWN:
                closed = plus_workdays(day, self.rnd.randrange(0, 6), item.region)
                case["closed_at"] = at(closed, 16)
                self._timeline(case, case["closed_at"], "case_withdrawn", "申请人撤回")
            else:
                accepted_on = plus_workdays(day, self.rnd.choice((0, 0, 0, 1, 2)), item.region)
                self._accept(case, item, accepted_on)
                self._timeline(case, case["accepted_at"], "case_accepted", "受理")
                limit = item.promised[0] or 5
                late = self.rnd.random() < 0.04
                took = limit + self.rnd.randrange(1, 6) if late else self.rnd.randrange(0, max(limit, 1))
                decided = plus_workdays(accepted_on, took, item.region)
                if status == CaseStatus.TERMINATED:
                    case["termination_reason"] = TerminationReason.SUPPLEMENT_OVERDUE
                    case["closed_at"] = at(decided, 16)
                    self._timeline(case, case["closed_at"], "case_terminated", "终止办理")
                    self._steps_done(case, item, accepted_on, None)
                else:
                    case["decision"] = Decision.GRANT if self.rnd.random() < 0.97 else Decision.DENY
                    case["decided_at"] = at(decided, 15)
                    case["delivery_due"] = plus_workdays(decided, clock.DELIVERY_WORKDAYS, item.region)
                    delivered = plus_workdays(decided, self.rnd.randrange(0, 4), item.region)
                    case["closed_at"] = at(delivered, 16)
                    case["delivery_method"] = self.rnd.choice(list(DeliveryMethod.values))
                    self._steps_done(case, item, accepted_on, decided)
                    self._timeline(case, case["closed_at"], "case_delivered", "送达")
            case["updated_at"] = case["closed_at"]
            self.cases.add(case)
            self._count(status)
            self.report.historical += 1
            if (n + 1) % 100_000 == 0:
                self.progress(f"  {n + 1:,} historical cases")

    def _steps_done(
        self, case: dict[str, Any], item: ItemSpec, accepted: dt.date, decided: dt.date | None
    ) -> None:
        end = decided or accepted
        for spec in item.steps:
            self._step(case, item, spec, StepStatus.DONE, accepted, end)

    def _demo_owner(self, case: dict[str, Any], left: dict[str, int]) -> None:
        """A few cases for each demo applicant, so their pages show history."""
        for phone, remaining in left.items():
            user_id = self.demo_users.get(phone)
            if remaining and user_id and self.rnd.random() < 0.001:
                left[phone] = remaining - 1
                case["applicant_user_id"] = user_id
                return

    # open

    def open(self, count: int) -> None:
        demo_left = {PERSON_PHONE: 6, AGENT_PHONE: 4}
        for n in range(count):
            item = self._pick()
            days = workdays_back(self.today, OPEN_WORKDAYS, item.region)
            roll = self.rnd.random()
            if roll < 0.12:
                status, age = CaseStatus.SUBMITTED, self.rnd.choice([0, 0, 1, 1, 2, 3, 4, 5, 6])
            elif roll < 0.16:
                status, age = CaseStatus.SUPPLEMENT, self.rnd.randrange(2, 12)
            elif roll < 0.78:
                status, age = CaseStatus.ACCEPTED, self.rnd.randrange(0, OPEN_WORKDAYS)
            elif roll < 0.82:
                status, age = CaseStatus.SUSPENDED, self.rnd.randrange(5, OPEN_WORKDAYS)
            elif roll < 0.91:
                status, age = CaseStatus.DECIDED, self.rnd.randrange(3, OPEN_WORKDAYS)
            else:
                status, age = CaseStatus.COMPLETED, self.rnd.randrange(3, OPEN_WORKDAYS)
            day = days[-1 - min(age, len(days) - 1)]
            case = self._case_row(item, day, status, open_case=True)
            self._demo_owner(case, demo_left)
            self._timeline(case, case["submitted_at"], "case_received", "收件")
            material_state = MaterialState.SUBMITTED
            if status == CaseStatus.SUPPLEMENT:
                self._timeline(
                    case, at(plus_workdays(day, 1, item.region), 11), "case_supplement_requested", "补正告知"
                )
            elif status != CaseStatus.SUBMITTED:
                material_state = MaterialState.ACCEPTED
                self._open_accepted(case, item, day, status)
            self._materials(case, item, material_state)
            self.cases.add(case)
            self._count(status)
            self.report.open += 1
            if (n + 1) % 5_000 == 0:
                self.progress(f"  {n + 1:,} open cases")

    def _open_accepted(self, case: dict[str, Any], item: ItemSpec, day: dt.date, status: str) -> None:
        accepted_on = day if self.rnd.random() < 0.7 else plus_workdays(day, 1, item.region)
        accepted_on = min(accepted_on, self.today)
        self._accept(case, item, accepted_on)
        self._timeline(case, case["accepted_at"], "case_accepted", "受理")
        steps = item.steps
        if status in (CaseStatus.ACCEPTED, CaseStatus.SUSPENDED) and steps:
            # The active step: the first, or (half the time, when there is time) the second.
            elapsed = self._elapsed(accepted_on, item)
            active = 1 if len(steps) > 1 and elapsed > steps[0].limit and self.rnd.random() < 0.6 else 0
            started = accepted_on if active == 0 else plus_workdays(accepted_on, steps[0].limit, item.region)
            started = min(started, self.today)
            for index, spec in enumerate(steps):
                if index < active:
                    self._step(case, item, spec, StepStatus.DONE, accepted_on, started)
                elif index == active:
                    self._step(case, item, spec, StepStatus.ACTIVE, started, None)
                else:
                    self._step(case, item, spec, StepStatus.PENDING, None, None)
            if active:
                self._timeline(case, at(started, 9, 30), "case_step_completed", f"{steps[0].name}完成")
            if status == CaseStatus.SUSPENDED:
                self._suspend(case, item, started)
            return
        # decided or completed
        decided = min(plus_workdays(accepted_on, self.rnd.randrange(1, 4), item.region), self.today)
        case["decision"] = Decision.GRANT if self.rnd.random() < 0.95 else Decision.DENY
        case["decided_at"] = at(decided, 15)
        case["delivery_due"] = plus_workdays(decided, clock.DELIVERY_WORKDAYS, item.region)
        for spec in steps:
            self._step(case, item, spec, StepStatus.DONE, accepted_on, decided)
        self._timeline(case, case["decided_at"], "case_decided", "作出决定")
        if status == CaseStatus.COMPLETED:
            self._timeline(case, case["decided_at"] + dt.timedelta(hours=1), "case_completed", "办结")
        case["updated_at"] = case["decided_at"]

    def _elapsed(self, accepted_on: dt.date, item: ItemSpec) -> int:
        days = workdays_back(self.today, OPEN_WORKDAYS + 5, item.region)
        return sum(1 for d in days if d > accepted_on)

    # finishing

    def flush(self) -> None:
        # Parents before children (foreign keys are checked at once on SQLite, deferred on PostgreSQL).
        for writer in (self.cases, self.steps, self.materials, self.suspensions, self.timeline):
            writer.flush()

    def finish(self) -> Report:
        self.flush()
        reset_sequences([Case, CaseStep, CaseMaterial, Suspension, TimelineEntry])
        rows = [Counter(key=key, day=day, value=value) for (key, day), value in self.counters.items()]
        Counter.objects.bulk_create(
            rows,
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["key", "day"],
            update_fields=["value"],
        )
        self.report.counters = len(rows)
        self.report.steps = self.steps.written
        self.report.timeline = self.timeline.written
        self.report.materials = self.materials.written
        return self.report


def generate(
    *,
    historical: int,
    open_cases: int,
    today: dt.date | None = None,
    seed: int = 20250926,
    batch: int = 10_000,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Write the volume in one transaction per phase (a failed run leaves the earlier phases)."""
    today = today or timezone.localdate()
    gen = Generator(items=load_items(), today=today, seed=seed, batch=batch, progress=progress)
    with transaction.atomic():
        gen.historical(historical)
        gen.flush()
    with transaction.atomic():
        gen.open(open_cases)
        report = gen.finish()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (Case, CaseStep, TimelineEntry, CaseMaterial):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table._meta.db_table)}")
    return report
