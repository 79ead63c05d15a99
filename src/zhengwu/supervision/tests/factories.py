"""Case events as the outbox or an external system would send them, with fixed instants."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.dateparse import parse_datetime

from zhengwu.org import selectors as org_selectors
from zhengwu.org.demo import CITY, DONGCHENG, XICHENG, org_uscc
from zhengwu.supervision.models.records import ZHENGWU_SOURCE
from zhengwu.supervision.services.records import IncomingEvent, events_ingest

SHANGHAI = ZoneInfo("Asia/Shanghai")
CITY_MARKET = org_uscc(CITY, 1)  # 示范市市场监督管理局
DC_MARKET = org_uscc(DONGCHENG, 1)  # 示范市东城区市场监督管理局
XC_MARKET = org_uscc(XICHENG, 1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def department_id(uscc: str) -> int:
    return org_selectors.departments_by_uscc([uscc])[uscc].pk


def envelope(
    event_type: str,
    *,
    case_id: str,
    when: dt.datetime,
    uscc: str = CITY_MARKET,
    region_code: str = CITY,
    by_id: bool = True,
    **payload: Any,
) -> dict[str, Any]:
    """A full event envelope for case `case_id` (payload fields may be overridden)."""
    body: dict[str, Any] = {
        "case_number": f"N-{case_id}",
        "case_id": case_id,
        "item_code": "11449900000000001X44990000001000",
        "item_name": "食品经营许可",
        "region_code": region_code,
        "status": "submitted",
        **payload,
    }
    if by_id:
        body["department_id"] = department_id(uscc)
    else:
        body["department_uscc"] = uscc
    return {
        "id": str(uuid.uuid4()),
        "type": f"cases.{event_type}",
        "occurred_at": when.astimezone(dt.UTC).isoformat(),
        "aggregate": {"type": "cases.case", "id": case_id},
        "actor": None,
        "payload": body,
    }


def incoming(env: dict[str, Any], source: str = ZHENGWU_SOURCE) -> IncomingEvent:
    occurred = parse_datetime(env["occurred_at"])
    assert occurred is not None
    return IncomingEvent(
        id=env["id"], type=env["type"], occurred_at=occurred, payload=env["payload"], source=source
    )


def ingest(*envs: dict[str, Any], on_day: dt.date, source: str = ZHENGWU_SOURCE) -> Any:
    return events_ingest(events=[incoming(e, source) for e in envs], on_day=on_day)


def life(case_id: str, *, uscc: str = CITY_MARKET, region_code: str = CITY, promised: int = 5) -> list[dict]:
    """Received Fri 2025-09-26, accepted Mon 09-29 with a `promised`-day limit (National Day follows)."""
    from zhengwu.core.calendar import add_workdays

    accepted_on = dt.date(2025, 9, 29)
    common = {"uscc": uscc, "region_code": region_code, "received_at": at(dt.date(2025, 9, 26)).isoformat()}
    return [
        envelope("case_received", case_id=case_id, when=at(dt.date(2025, 9, 26)), **common),
        envelope(
            "case_accepted",
            case_id=case_id,
            when=at(dt.date(2025, 9, 29)),
            status="accepted",
            accepted_on=accepted_on.isoformat(),
            promised_due=add_workdays(accepted_on, promised).isoformat(),
            statutory_due=add_workdays(accepted_on, 20).isoformat(),
            mode="normal",
            **common,
        ),
    ]
