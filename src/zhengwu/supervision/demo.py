"""Demo data of supervision: the default light threshold and card rules (DOMAIN §5), one external
system (东城区审批系统) with a published demo secret, and the assessment of the last closed quarter
and month (`seed_assessment_demo`, after the statistics demo in settings.DEMO_SEEDERS). Idempotent."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction

from .models import CardRule, ExchangeSystem, LightThreshold
from .models.config import DEFAULT_YELLOW_WORKDAYS, DEFAULT_YELLOWS_FOR_RED

DEMO_SYSTEM_CODE = "dc-approval"
DEMO_KEY_ID = "zx_demo_dongcheng"
DEMO_SECRET = "demo-secret-dongcheng-2026"  # noqa: S105 - published demo credential (docs/api/exchange.md)
DONGCHENG = "449902000000"


def seed_rules() -> int:
    n = 0
    if not LightThreshold.objects.filter(region_code="").exists():
        LightThreshold.objects.create(region_code="", yellow_workdays=DEFAULT_YELLOW_WORKDAYS)
        n += 1
    defaults = [
        ("办件超期亮黄牌", CardRule.Kind.OVERDUE_CASE, 1),
        ("季度累计黄牌亮红牌", CardRule.Kind.YELLOW_COUNT, DEFAULT_YELLOWS_FOR_RED),
    ]
    for name, kind, threshold in defaults:
        if not CardRule.objects.filter(kind=kind).exists():
            CardRule.objects.create(name=name, kind=kind, threshold=threshold, period=CardRule.Period.QUARTER)
            n += 1
    return n


def seed_supervision_demo() -> dict[str, int]:
    with transaction.atomic():
        rules = seed_rules()
        systems = 0
        if not ExchangeSystem.objects.filter(code=DEMO_SYSTEM_CODE).exists():
            ExchangeSystem.objects.create(
                code=DEMO_SYSTEM_CODE,
                name="东城区行政审批系统",
                key_id=DEMO_KEY_ID,
                secret=DEMO_SECRET,
                region_codes=[DONGCHENG],
            )
            systems = 1
    return {"supervision_rules": rules, "exchange_systems": systems}


# --- assessment (绩效评估) -------------------------------------------------------------------------

HISTORY_PREFIX = "demo-assessment-"
HISTORY_NAMESPACE = uuid.UUID("6c0e3d4a-51f2-4c1e-9a43-0d7c2b9a5e10")
# (hall, clerks, reviewer, approver, department USCC, region, items): the demo accounts of org.demo
HISTORY_TEAMS = [
    (
        "示范市政务服务中心",
        ("clerk", "chief"),
        "reviewer",
        "approver",
        "114499000000000018",
        "449900000000",
        [
            ("114499000000000018000101005000000", "食品经营许可"),
            ("114499000000000018000101001000000", "企业设立登记"),
        ],
    ),
    (
        "东城区政务服务中心",
        ("dc_clerk",),
        "dc_market_reviewer",
        "dc_market_approver",
        "114499020000000015",
        "449902000000",
        [("114499020000000015000101002000000", "个体工商户登记")],
    ),
]
HISTORY_PER_MONTH = 12


def _history_events(today: dt.date) -> list[Any]:
    """Decided cases of the demo staff in the months of the last closed quarter and the last closed
    month, as the outbox would have delivered them (actor, window): the assessment of windows and
    staff needs Zhengwu's own events, the statistics demo's history is an external source."""
    import random

    from zhengwu.core.calendar import add_workdays, is_workday
    from zhengwu.org import selectors as org_selectors

    from .scoring import PeriodKind, last_closed
    from .services._common import SYSTEM, departments
    from .services.records import IncomingEvent

    quarter, month = last_closed(today, PeriodKind.QUARTER), last_closed(today, PeriodKind.MONTH)
    months = sorted(
        {(d.year, d.month) for p in (quarter, month) for d in (p.starts_on, p.ends_on)}
        | {(quarter.starts_on.year, quarter.starts_on.month + 1)}
    )
    names = {u for team in HISTORY_TEAMS for u in (*team[1], team[2], team[3])}
    staff = {p.user.username: p for p in org_selectors.staff_for(SYSTEM).filter(user__username__in=names)}
    if len(staff) < len(names):
        return []  # the demo city is not loaded
    rng = random.Random(2025)
    out: list[Any] = []
    for hall, clerks, reviewer, approver, uscc, region, items in HISTORY_TEAMS:
        info = departments(usccs=[uscc]).get(uscc)
        windows = list(
            org_selectors.windows_for(SYSTEM)
            .filter(service_point__name=hall, staff__user__username__in=clerks)
            .order_by("code")
            .distinct()
            .values_list("pk", "staff__user__username")
        )
        if info is None or not windows:
            continue
        for year, mon in months:
            first = dt.date(year, mon, 1)
            days = [
                first + dt.timedelta(days=i) for i in range(28) if is_workday(first + dt.timedelta(days=i))
            ]
            for n in range(HISTORY_PER_MONTH):
                key = f"{HISTORY_PREFIX}{region}-{year}{mon:02d}-{n}"
                case_id = str(uuid.uuid5(HISTORY_NAMESPACE, key))
                window, clerk = windows[rng.randrange(len(windows))]
                code, item = items[n % len(items)]
                accepted = days[rng.randrange(max(len(days) - 8, 1))]
                promised = rng.choice([5, 8, 10])
                decided = add_workdays(accepted, max(promised + rng.choice([-3, -2, -1, -1, 0, 0, 1, 2]), 0))
                base = {
                    "case_id": case_id,
                    "case_number": f"{code[-12:]}{accepted:%Y%m%d}{n:04d}",
                    "item_code": code,
                    "item_name": item,
                    "department_id": info.id,
                    "region_code": region,
                    "channel": "window",
                    "received_at": _history_at(accepted, 9).isoformat(),
                }
                steps: list[tuple[str, dt.date, int, int | None, dict[str, Any]]] = [
                    ("case_received", accepted, 9, None, {"status": "submitted"}),
                    (
                        "case_accepted",
                        accepted,
                        10,
                        staff[clerk].user_id,
                        {
                            "status": "accepted",
                            "mode": "normal",
                            "window_id": window,
                            "accepted_on": accepted.isoformat(),
                            "promised_limit": promised,
                            "promised_due": add_workdays(accepted, promised).isoformat(),
                        },
                    ),
                    ("case_step_completed", decided, 11, staff[reviewer].user_id, {"status": "accepted"}),
                    (
                        "case_decided",
                        decided,
                        15,
                        staff[approver].user_id,
                        {"status": "decided", "decision": "grant"},
                    ),
                    ("case_completed", decided, 16, staff[approver].user_id, {"status": "completed"}),
                    ("case_delivered", add_workdays(decided, 1), 11, None, {"status": "delivered"}),
                ]
                out += [
                    IncomingEvent(
                        id=str(uuid.uuid5(HISTORY_NAMESPACE, f"{key}/{kind}")),
                        type=f"cases.{kind}",
                        occurred_at=_history_at(day, hour),
                        payload={**base, **extra},
                        source="zhengwu",
                        actor_user_id=actor,
                    )
                    for kind, day, hour, actor, extra in steps
                ]
    return out


def _history_at(day: dt.date, hour: int) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Shanghai"))


def seed_assessment_history(today: dt.date | None = None) -> dict[str, int]:
    """The handled-by history (fixed event ids: idempotent). Runs before the statistics demo, so its
    rollup counts these cases too."""
    from .services._common import today as local_today
    from .services.records import events_ingest

    day = today or local_today()
    events = _history_events(day)
    added = 0
    with transaction.atomic():
        for i in range(0, len(events), 500):
            added += len(events_ingest(events=events[i : i + 500], on_day=day).accepted)
    return {"assessment_demo_events": added}


def seed_assessment_demo(today: dt.date | None = None) -> dict[str, int]:
    """A default scheme (monthly and quarterly) and the computed (draft) assessment of the last closed
    quarter and month. Idempotent: a period already computed is left as it is. Runs after the
    statistics demo, whose year of history counts for the departments too."""
    from .models import AssessmentRun, AssessmentScheme
    from .scoring import PeriodKind, last_closed
    from .services._common import today as local_today
    from .services.assessment import assessment_compute

    day = today or local_today()
    schemes = 0
    if not AssessmentScheme.objects.exists():
        AssessmentScheme.objects.create(name="默认方案", periods=AssessmentScheme.Periods.BOTH)
        schemes = 1
    runs = 0
    for kind in (PeriodKind.QUARTER, PeriodKind.MONTH):
        period = last_closed(day, kind)
        if not AssessmentRun.objects.filter(period=period.key).exists():
            assessment_compute(actor=None, period=period, on_day=day)
            runs += 1
    return {"assessment_schemes": schemes, "assessment_runs": runs}
