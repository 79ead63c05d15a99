"""Synthetic case volume for the benchmarks (`manage.py generate_cases_load`).

What it writes, straight into the case tables (benchmark data, not history: no audit rows, no outbox
events, no documents, no files):
- `historical` closed cases spread over the three years before the last 40 days: mostly delivered,
  some rejected, withdrawn or terminated, ~4 % decided after the promised day; each with its two
  review/decide steps (done) and a minimal timeline (received, accepted, closing entry);
- `open` cases received in the last 30 working days before today, in every open state: waiting at
  the window (some past the 5-day acceptance limit), supplement, under review (one active step; a
  few percent overdue, more near their due day), suspended, decided, completed — with their
  materials, steps and a full timeline;
- the numbering counters of every (item, day) used, so numbers handed out later by
  core.numbering continue after the generated ones.

Distribution: the demo catalogue's effective items, weighted Zipf-like (a few items take most of
the volume, as in a real hall); department, line and region follow the item; channel 50 % online,
42 % window, 8 % mobile; 1 % green channel. Applicants are synthetic people and companies with valid
ID numbers / USCCs and no account (applicant_user empty), except a handful of cases per demo
applicant so their "my cases" pages have history.

Speed: rows are generated in Python and streamed with PostgreSQL COPY (psycopg 3) in batches; on
SQLite they go through executemany. Primary keys are assigned here (from the current maximum) and
the sequences reset at the end, so children reference their case without a round trip.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from zhengwu.catalog.selectors.for_cases import Stage, effective_versions, window_category_for
from zhengwu.catalog.selectors.public import public_items
from zhengwu.core.calendar.days import add_workdays, is_workday
from zhengwu.core.numbering.models import Counter
from zhengwu.core.numbering.services import format_number
from zhengwu.org.demo import AGENT_PHONE, PERSON_PHONE, org_uscc, resident_id

from ... import clock
from ...models import (
    AcceptanceMode,
    ApplicantKind,
    Case,
    CaseMaterial,
    CaseStatus,
    CaseStep,
    Decision,
    DeliveryMethod,
    IntakeChannel,
    MaterialState,
    StepStatus,
    Suspension,
    SuspensionKind,
    TerminationReason,
    TimelineEntry,
)
from ...services._base import QUERY_CODE_ALPHABET

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOAD_NOTE = "generate_cases_load"
NUMBER_KEY = "cases:{code}"  # core.numbering key of an item's case numbers (services.intake)
HISTORY_YEARS = 3
OPEN_WORKDAYS = 30
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建波宁红梅亮晨欣怡浩宇子涵嘉俊雨轩梓睿"
SHOPS = [
    "餐饮店",
    "便利店",
    "科技有限公司",
    "贸易有限公司",
    "建筑工程有限公司",
    "物流有限公司",
    "诊所",
    "美容店",
]
STREETS = ["湖滨路", "中山路", "解放路", "人民路", "建设路", "文化路", "新华路", "东湖路"]


# --- the plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepSpec:
    order: int
    name: str
    stage: str
    role: str
    limit: int


@dataclass(frozen=True)
class MaterialSpec:
    requirement_id: int
    order: int
    name: str
    required: bool
    deferrable: bool


@dataclass
class ItemSpec:
    item_id: int
    version_id: int
    name: str
    code: str
    department_id: int
    line: str
    region: str
    audience: str
    window_category: str
    promised: tuple[int | None, str]
    statutory: tuple[int | None, str]
    steps: list[StepSpec] = field(default_factory=list)
    materials: list[MaterialSpec] = field(default_factory=list)


def load_items() -> list[ItemSpec]:
    """Every effective item of the catalogue, with what a case copies (catalog selectors only)."""
    ids = list(public_items().values_list("pk", flat=True))
    specs = []
    for version in effective_versions(ids).values():
        item = version.item
        dept = item.department
        steps = [
            StepSpec(s.order, s.name, s.stage, s.role, s.limit or 0)
            for s in version.steps.all()
            if s.stage in (Stage.REVIEW, Stage.DECIDE)
        ]
        if not steps:  # an item without back-office steps is decided at acceptance (即办)
            steps = []
        specs.append(
            ItemSpec(
                item_id=item.pk,
                version_id=version.pk,
                name=version.name,
                code=item.implementation_code,
                department_id=dept.pk,
                line=dept.line,
                region=dept.region.code,
                audience=getattr(item, "audience", "person") or "person",
                window_category=window_category_for(item),
                promised=(version.promised_limit, version.promised_unit),
                statutory=(version.statutory_limit, version.statutory_unit),
                steps=steps,
                materials=[
                    MaterialSpec(m.pk, m.order, m.name, m.required, m.deferrable)
                    for m in version.materials.all()
                ],
            )
        )
    specs.sort(key=lambda s: s.item_id)
    return specs


# --- the clock, memoised (a million cases share a few thousand distinct inputs) -----------------


@lru_cache(maxsize=200_000)
def plus_workdays(day: dt.date, n: int, region: str) -> dt.date:
    return add_workdays(day, n, region)


@lru_cache(maxsize=200_000)
def limit_due(day: dt.date, limit: int | None, unit: str, region: str) -> dt.date | None:
    return clock.limit_due(accepted_at=at(day, 10), limit=limit, unit=unit, region=region)


@lru_cache(maxsize=10_000)
def workdays_back(today: dt.date, count: int, region: str) -> list[dt.date]:
    """The `count` working days before `today` (oldest first)."""
    days: list[dt.date] = []
    day = today
    while len(days) < count:
        day -= dt.timedelta(days=1)
        if is_workday(day, region):
            days.append(day)
    return days[::-1]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI).astimezone(dt.UTC)


# --- writing ----------------------------------------------------------------------------------


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


# --- the generator ------------------------------------------------------------------------------


@dataclass
class Report:
    historical: int = 0
    open: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    steps: int = 0
    timeline: int = 0
    materials: int = 0
    counters: int = 0


class Generator:
    def __init__(
        self,
        *,
        items: list[ItemSpec],
        today: dt.date,
        seed: int = 20250926,
        batch: int = 10_000,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        if not items:
            raise ValueError("no effective items: run `manage.py seed_demo` first")
        self.items = items
        self.today = today
        self.rnd = random.Random(seed)
        self.progress = progress or (lambda _msg: None)
        ranks = list(range(len(items)))
        self.rnd.shuffle(ranks)
        self.weights = [1 / (r + 1) ** 0.9 for r in ranks]
        self.cases = TableWriter(Case, batch)
        self.steps = TableWriter(CaseStep, batch * 2)
        self.timeline = TableWriter(TimelineEntry, batch * 3)
        self.materials = TableWriter(CaseMaterial, batch * 3)
        self.suspensions = TableWriter(Suspension, batch)
        self.counters = self._existing_counters()
        self.report = Report()
        self._suspender: int | None = None
        users = get_user_model().objects.filter(username__in=[PERSON_PHONE, AGENT_PHONE])
        self.demo_users = {u.username: u.pk for u in users}
        self.people = [self._person(i) for i in range(5000)]
        self.companies = [self._company(i) for i in range(2000)]

    # applicants

    def _person(self, i: int) -> tuple[str, str, str, str]:
        name = self.rnd.choice(SURNAMES) + "".join(
            self.rnd.choice(GIVEN) for _ in range(self.rnd.choice((1, 2)))
        )
        born = dt.date(1955, 1, 1) + dt.timedelta(days=self.rnd.randrange(0, 365 * 48))
        base = f"449902{born:%Y%m%d}{i % 1000:03d}"
        phone = f"13{self.rnd.randrange(0, 10**9):09d}"
        address = f"示范市东城区{self.rnd.choice(STREETS)}{self.rnd.randrange(1, 300)}号"
        return name, resident_id(base), phone, address

    def _company(self, i: int) -> tuple[str, str, str, str]:
        name = "示范市" + "".join(self.rnd.choice(GIVEN) for _ in range(2)) + self.rnd.choice(SHOPS)
        phone = f"0757{self.rnd.randrange(0, 10**7):07d}"  # 11 characters, like the column
        address = f"示范市西城区{self.rnd.choice(STREETS)}{self.rnd.randrange(1, 300)}号"
        return name, org_uscc("449903000000", 1000 + i), phone, address

    def _applicant(self, item: ItemSpec) -> dict[str, Any]:
        company = item.audience == "company" or (item.audience == "both" and self.rnd.random() < 0.5)
        if company:
            name, code, phone, address = self.rnd.choice(self.companies)
            contact = self.rnd.choice(self.people)[0]
            kind = ApplicantKind.COMPANY
        else:
            name, code, phone, address = self.rnd.choice(self.people)
            contact = ""
            kind = ApplicantKind.PERSON
        return {
            "applicant_kind": kind,
            "applicant_name": name,
            "applicant_id_number": code,
            "applicant_phone": phone,
            "applicant_address": address,
            "contact_name": contact,
            "applicant_user_id": None,
            "company_id": None,
        }

    # numbering

    def _existing_counters(self) -> dict[tuple[str, dt.date], int]:
        return {(c.key, c.day): c.value for c in Counter.objects.filter(key__startswith="cases:")}

    def _number(self, item: ItemSpec, day: dt.date) -> str:
        key = NUMBER_KEY.format(code=item.code)
        serial = self.counters.get((key, day), 0) + 1
        self.counters[(key, day)] = serial
        return format_number(item.code, day, serial)

    def _query_code(self) -> str:
        return "".join(self.rnd.choice(QUERY_CODE_ALPHABET) for _ in range(6))

    # rows

    def _case_row(self, item: ItemSpec, day: dt.date, status: str, *, open_case: bool) -> dict[str, Any]:
        received = at(day, self.rnd.randrange(9, 17), self.rnd.randrange(0, 60))
        channel = self.rnd.choices(
            [IntakeChannel.ONLINE, IntakeChannel.WINDOW, IntakeChannel.MOBILE], weights=[50, 42, 8]
        )[0]
        row: dict[str, Any] = {
            "id": self.cases.next_id(),
            **self._applicant(item),
            "number": self._number(item, day),
            "query_code": self._query_code(),
            "public_id": uuid.uuid4(),  # unique across runs (the seed repeats the rest)
            "item_id": item.item_id,
            "item_version_id": item.version_id,
            "item_name": item.name,
            "implementation_code": item.code,
            "department_id": item.department_id,
            "department_line": item.line,
            "region_code": item.region,
            "bundle_case_id": None,
            "channel": channel,
            "window_id": None,
            "window_category": item.window_category,
            "green_channel": self.rnd.random() < 0.01,
            "form_data": {},
            "status": status,
            "acceptance_mode": "",
            "decision": "",
            "decision_reason": "",
            "decision_legal_basis": "",
            "termination_reason": "",
            "rejection_reasons": [],
            "note": LOAD_NOTE,
            "submitted_at": received,
            "acceptance_due": plus_workdays(day, clock.ACCEPTANCE_WORKDAYS, item.region),
            "suspended_workdays": 0,
            "extension_workdays": 0,
            "delivery_method": "",
            "delivery_address": "",
            "tracking_number": "",
            "delivered_to": "",
            "revision": 1,
            "created_at": received,
            "updated_at": received,
        }
        return row

    def _timeline(self, case: dict[str, Any], when: dt.datetime, action: str, title: str) -> None:
        self.timeline.add(
            {
                "id": self.timeline.next_id(),
                "case_id": case["id"],
                "at": when,
                "action": action,
                "title": title,
                "summary": "",
                "actor_user_id": None,
                "actor_name": "",
                "channel": case["channel"],
                "window_id": None,
                "public": True,
            }
        )

    def _accept(self, case: dict[str, Any], item: ItemSpec, accepted_on: dt.date) -> None:
        case["accepted_on"] = accepted_on
        case["accepted_at"] = at(accepted_on, self.rnd.randrange(9, 17), self.rnd.randrange(0, 60))
        if case["accepted_at"] < case["submitted_at"]:
            case["accepted_at"] = case["submitted_at"] + dt.timedelta(minutes=20)
        case["acceptance_mode"] = AcceptanceMode.NORMAL
        case["promised_due"] = limit_due(accepted_on, item.promised[0], item.promised[1], item.region)
        case["statutory_due"] = limit_due(accepted_on, item.statutory[0], item.statutory[1], item.region)

    def _step(
        self,
        case: dict[str, Any],
        item: ItemSpec,
        spec: StepSpec,
        status: str,
        started: dt.date | None,
        finished: dt.date | None,
    ) -> None:
        self.steps.add(
            {
                "id": self.steps.next_id(),
                "case_id": case["id"],
                "order": spec.order,
                "name": spec.name,
                "stage": spec.stage,
                "role": spec.role,
                "department_id": item.department_id,
                "limit": spec.limit,
                "status": status,
                "assignee_id": None,
                "started_at": at(started, 10) if started else None,
                "due_on": plus_workdays(started, spec.limit, item.region) if started and spec.limit else None,
                "finished_at": at(finished, 15) if finished else None,
                "finished_by_id": None,
                "opinion": "agree" if status == StepStatus.DONE else "",
                "comment": "同意。" if status == StepStatus.DONE else "",
                "attachment_ids": [],
            }
        )

    def _pick(self) -> ItemSpec:
        return self.rnd.choices(self.items, weights=self.weights)[0]

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

    def _suspend(self, case: dict[str, Any], item: ItemSpec, since: dt.date) -> None:
        started = min(plus_workdays(since, 1, item.region), self.today)
        self.suspensions.add(
            {
                "id": self.suspensions.next_id(),
                "case_id": case["id"],
                "kind": self.rnd.choice(
                    [SuspensionKind.SITE_CHECK, SuspensionKind.EXPERT_REVIEW, SuspensionKind.TESTING]
                ),
                "reason": "需现场核查经营场所。",
                "expected_workdays": self.rnd.choice([5, 10, 15]),
                "started_at": at(started, 11),
                "started_on": started,
                "ended_at": None,
                "ended_on": None,
                "workdays": 0,
                "result": "",
                "created_by_id": self._load_user(),
            }
        )
        self._timeline(case, at(started, 11), "case_suspended", "特别程序")

    def _load_user(self) -> int:
        if self._suspender is None:
            user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
            if user is None:
                raise ValueError(
                    "a superuser is needed to own generated suspensions: run `manage.py seed_demo`"
                )
            self._suspender = int(user.pk)
        return self._suspender

    def _materials(self, case: dict[str, Any], item: ItemSpec, state: str) -> None:
        for m in item.materials:
            self.materials.add(
                {
                    "id": self.materials.next_id(),
                    "case_id": case["id"],
                    "requirement_id": m.requirement_id,
                    "order": m.order,
                    "name": m.name,
                    "required": m.required,
                    "deferrable": m.deferrable,
                    "state": state if m.required or self.rnd.random() < 0.5 else MaterialState.MISSING,
                    "check_note": "",
                    "deferred_until": None,
                    "supplied_at": None,
                }
            )

    def _count(self, status: str) -> None:
        self.report.by_status[status] = self.report.by_status.get(status, 0) + 1

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
