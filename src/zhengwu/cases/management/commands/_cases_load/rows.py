"""One generated case's rows — the case, its timeline, steps, materials, suspension — and its applicant.

CaseRows holds the writers, the random source and the numbering counters; Generator (generator.py)
decides which rows each case gets.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from zhengwu.cases import clock
from zhengwu.cases.models import (
    AcceptanceMode,
    ApplicantKind,
    Case,
    CaseMaterial,
    CaseStep,
    IntakeChannel,
    MaterialState,
    StepStatus,
    Suspension,
    SuspensionKind,
    TimelineEntry,
)
from zhengwu.cases.services._base import QUERY_CODE_ALPHABET
from zhengwu.core.numbering.models import Counter
from zhengwu.core.numbering.services import format_number
from zhengwu.org.demo import AGENT_PHONE, PERSON_PHONE, org_uscc, resident_id

from .days import at, limit_due, plus_workdays
from .plan import ItemSpec, StepSpec
from .writer import TableWriter

LOAD_NOTE = "generate_cases_load"
NUMBER_KEY = "cases:{code}"  # core.numbering key of an item's case numbers (services.intake)
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


@dataclass
class Report:
    historical: int = 0
    open: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    steps: int = 0
    timeline: int = 0
    materials: int = 0
    counters: int = 0


class CaseRows:
    def __init__(
        self,
        *,
        items: list[ItemSpec],
        today: dt.date,
        seed: int,
        batch: int,
    ) -> None:
        if not items:
            raise ValueError("no effective items: run `manage.py seed_demo` first")
        self.items = items
        self.today = today
        self.rnd = random.Random(seed)
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
