"""A small hand-computed data set for the assessment (2025-Q4, fixed dates; see test_assessment.py).

City market bureau (window W1 and W2 of the city hall; clerk 陈受理 and 张首席 accept, 王审批 decides):
  A  accepted Mon 29 Sep, 5 days promised → due Mon 13 Oct (National Day 1–8 Oct off, Sat 11 Oct
     worked); decided Fri 10 Oct: on time and early; used 3 of 5 working days.
  B  accepted Thu 9 Oct, 5 days → due Wed 15 Oct, suspended 13–14 Oct (1 working day) → due Thu 16 Oct;
     decided Thu 16 Oct: on time, not early; used 6 − 1 = 5 of 5.
  C  accepted Mon 3 Nov, 5 days → due Mon 10 Nov; decided Wed 12 Nov: late; used 7 of 5. A yellow
     card about C on 13 Nov; a correction order (no case) to the bureau on 20 Nov, due 25 Nov,
     answered 27 Nov (late).
Dongcheng market bureau (an external system: no window, no staff):
  D  accepted Mon 3 Nov, 5 days → due Mon 10 Nov; decided Fri 7 Nov: on time and early; used 4 of 5.
Outside the period: E decided Fri 5 Sep 2025 (Q3).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils.dateparse import parse_datetime

from zhengwu.core.calendar import add_workdays
from zhengwu.org import selectors as org_selectors
from zhengwu.supervision.models import Card, Correction, SupervisedCase
from zhengwu.supervision.models.records import ZHENGWU_SOURCE
from zhengwu.supervision.services._common import SYSTEM
from zhengwu.supervision.services.records import IncomingEvent, events_ingest

from .factories import CITY_MARKET, DC_MARKET, at, department_id, envelope

D = dt.date
CITY, DONGCHENG = "449900000000", "449902000000"
ON_DAY = D(2026, 1, 5)


def event(
    kind: str,
    case_id: str,
    day: dt.date,
    *,
    actor: int | None = None,
    source: str = ZHENGWU_SOURCE,
    uscc: str = CITY_MARKET,
    region_code: str = CITY,
    **payload: Any,
) -> IncomingEvent:
    env = envelope(kind, case_id=case_id, when=at(day), uscc=uscc, region_code=region_code, **payload)
    occurred = parse_datetime(env["occurred_at"])
    assert occurred is not None
    return IncomingEvent(env["id"], env["type"], occurred, env["payload"], source, actor)


def user_id(username: str) -> int:
    return int(org_selectors.staff_for(SYSTEM).get(user__username=username).user_id)


def windows() -> tuple[int, int]:
    ids = list(
        org_selectors.windows_for(SYSTEM)
        .filter(service_point__name="示范市政务服务中心")
        .order_by("code")
        .values_list("pk", flat=True)[:2]
    )
    return ids[0], ids[1]


def case_events(
    case_id: str,
    accepted: dt.date,
    decided: dt.date,
    *,
    window: int | None,
    clerk: int | None,
    approver: int | None,
    source: str = ZHENGWU_SOURCE,
    uscc: str = CITY_MARKET,
    region_code: str = CITY,
    suspended: tuple[dt.date, dt.date] | None = None,
) -> list[IncomingEvent]:
    common = {"source": source, "uscc": uscc, "region_code": region_code}
    accepted_payload: dict[str, Any] = {
        "status": "accepted",
        "accepted_on": accepted.isoformat(),
        "promised_limit": 5,
        "statutory_limit": 20,
        "promised_due": add_workdays(accepted, 5).isoformat(),
        "mode": "normal",
        "received_at": at(accepted, 9).isoformat(),
    }
    if window is not None:
        accepted_payload["window_id"] = window
    out = [
        event("case_received", case_id, accepted, **common, received_at=at(accepted, 9).isoformat()),
        event("case_accepted", case_id, accepted, actor=clerk, **common, **accepted_payload),
    ]
    if suspended:
        out.append(
            event("case_suspended", case_id, suspended[0], **common, started_on=suspended[0].isoformat())
        )
        out.append(event("case_resumed", case_id, suspended[1], **common, ended_on=suspended[1].isoformat()))
    out.append(event("case_decided", case_id, decided, actor=approver, **common, decision="grant"))
    return out


def load() -> dict[str, Any]:
    """Ingest the data set, add the card and the correction; returns ids for the assertions."""
    w1, w2 = windows()
    clerk, chief, approver = user_id("clerk"), user_id("chief"), user_id("approver")
    events = [
        *case_events("A", D(2025, 9, 29), D(2025, 10, 10), window=w1, clerk=clerk, approver=approver),
        *case_events(
            "B",
            D(2025, 10, 9),
            D(2025, 10, 16),
            window=w1,
            clerk=clerk,
            approver=approver,
            suspended=(D(2025, 10, 13), D(2025, 10, 14)),
        ),
        *case_events("C", D(2025, 11, 3), D(2025, 11, 12), window=w2, clerk=chief, approver=approver),
        *case_events(
            "D",
            D(2025, 11, 3),
            D(2025, 11, 7),
            window=w1,  # an external system's window id: not Zhengwu's, ignored
            clerk=clerk,
            approver=approver,
            source="dc-approval",
            uscc=DC_MARKET,
            region_code=DONGCHENG,
        ),
        *case_events("E", D(2025, 9, 1), D(2025, 9, 5), window=w1, clerk=clerk, approver=approver),
    ]
    events_ingest(events=events, on_day=ON_DAY)
    records = {r.case_id: r for r in SupervisedCase.objects.all()}
    city, dc = department_id(CITY_MARKET), department_id(DC_MARKET)
    Card.objects.create(
        department_id=city,
        department_name="示范市市场监督管理局",
        department_line="market",
        region_code=CITY,
        level=Card.Level.YELLOW,
        source=Card.Source.MANUAL,
        reason="超期",
        record=records["C"],
        issued_at=at(D(2025, 11, 13)),
    )
    Correction.objects.create(
        department_id=city,
        department_name="示范市市场监督管理局",
        department_line="market",
        region_code=CITY,
        title="整改",
        instructions="整改",
        due=D(2025, 11, 25),
        status=Correction.Status.ANSWERED,
        answer="已整改",
        answered_at=at(D(2025, 11, 27)),
        created_at=at(D(2025, 11, 20)),
    )
    return {
        "records": records,
        "city": city,
        "dc": dc,
        "w1": w1,
        "w2": w2,
        "clerk": clerk,
        "chief": chief,
        "approver": approver,
    }


def extra_case(n: int, data: dict[str, Any]) -> list[IncomingEvent]:
    """One more decided case of the city bureau (for the query-count test at a bigger size)."""
    return case_events(
        f"X{n}",
        D(2025, 11, 3),
        D(2025, 11, 7),
        window=data["w1"],
        clerk=data["clerk"],
        approver=data["approver"],
    )


def fresh_id() -> str:
    return str(uuid.uuid4())
