"""Pure functions: fold a case's events into its supervision state, and the light of a state today.

Events are folded in (occurred_at, type rank, id) order, so the same set of events gives the same
state whatever order or how many times they arrived. All day arithmetic is `core.calendar`'s
(working days, first day not counted, Asia/Shanghai days); the sweep calls `clock_due` again every
run, so a calendar correction moves the deadlines of open cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from zhengwu.core.calendar.days import add_workdays, local_day, workdays_between

from .models.records import Light, Stage

ACCEPTANCE_WORKDAYS = 5  # 行政许可法 art. 32
DELIVERY_WORKDAYS = 10  # 行政许可法 art. 44

CLOSING_TYPES = {
    "cases.case_delivered",
    "cases.case_rejected",
    "cases.case_withdrawn",
    "cases.case_terminated",
}
# Tie-break for events with the same instant: the order in which a case normally moves.
TYPE_RANK = {
    "cases.case_received": 0,
    "cases.case_supplement_requested": 1,
    "cases.case_supplement_received": 2,
    "cases.case_rejected": 3,
    "cases.case_accepted": 4,
    "cases.case_accepted_with_deficiency": 4,
    "cases.case_step_completed": 5,
    "cases.case_step_returned": 5,
    "cases.case_deemed_consent": 5,
    "cases.case_suspended": 6,
    "cases.case_resumed": 7,
    "cases.case_extended": 8,
    "cases.case_deficiency_supplied": 8,
    "cases.case_decided": 9,
    "cases.case_completed": 10,
    "cases.case_delivered": 11,
    "cases.case_withdrawn": 12,
    "cases.case_terminated": 12,
}


@dataclass(frozen=True)
class EventIn:
    id: str
    type: str
    occurred_at: dt.datetime
    payload: Mapping[str, Any]
    actor_user_id: int | None = None  # the envelope's actor (None: the system or an external system)

    def sort_key(self) -> tuple[dt.datetime, int, str]:
        return (self.occurred_at, TYPE_RANK.get(self.type, 50), self.id)


@dataclass
class CaseState:
    case_number: str = ""
    item_code: str = ""
    item_name: str = ""
    department_id: int | None = None
    department_uscc: str = ""
    region_code: str = ""
    channel: str = ""
    status: str = ""
    stage: str = Stage.RECEIVE
    is_open: bool = True
    received_at: dt.datetime | None = None
    receive_clock_from: dt.date | None = None
    accepted_at: dt.datetime | None = None
    accepted_on: dt.date | None = None
    review_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    decision: str = ""
    window_id: int | None = None
    accepted_by_user_id: int | None = None
    decided_by_user_id: int | None = None
    handler_user_ids: list[int] = field(default_factory=list)
    supplement_open: bool = False
    suspensions: list[list[str | None]] = field(default_factory=list)
    extension_workdays: int = 0
    promised_limit: int | None = None
    statutory_limit: int | None = None
    step_overdue: bool = False
    last_event_at: dt.datetime | None = None
    event_count: int = 0


def _day(value: Any) -> dt.date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return parse_date(value[:10])
    except ValueError:
        return None


def _instant(value: Any) -> dt.datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _derived_limit(payload: Mapping[str, Any], due_key: str, region: str | None) -> int | None:
    """The base limit in working days behind a due date the sender computed (minus stops and extension)."""
    explicit = _int(payload.get(due_key.replace("_due", "_limit")))
    if explicit is not None:
        return explicit
    accepted_on, due = _day(payload.get("accepted_on")), _day(payload.get(due_key))
    if accepted_on is None or due is None:
        return None
    stops = (_int(payload.get("suspended_workdays")) or 0) + (_int(payload.get("extension_workdays")) or 0)
    return max(workdays_between(accepted_on, due, region) - stops, 0)


def fold(events: Iterable[EventIn]) -> CaseState:
    s = CaseState()
    ordered = sorted(events, key=EventIn.sort_key)
    for event in ordered:
        p = event.payload
        s.event_count += 1
        s.last_event_at = event.occurred_at
        s.case_number = p.get("case_number") or s.case_number
        s.item_code = p.get("item_code") or s.item_code
        s.item_name = p.get("item_name") or s.item_name
        s.department_id = _int(p.get("department_id")) or s.department_id
        s.department_uscc = p.get("department_uscc") or s.department_uscc
        s.region_code = p.get("region_code") or s.region_code
        s.channel = p.get("channel") or s.channel
        s.status = p.get("status") or s.status
        region = s.region_code or None
        day = local_day(event.occurred_at)
        received = _instant(p.get("received_at"))
        if received is not None and s.received_at is None:
            s.received_at = received
        for key in ("promised", "statutory"):
            if getattr(s, f"{key}_limit") is None:
                setattr(s, f"{key}_limit", _derived_limit(p, f"{key}_due", region))
        t = event.type
        if t == "cases.case_received":
            s.received_at = s.received_at or event.occurred_at
        elif t == "cases.case_supplement_requested":
            if not p.get("late"):
                s.supplement_open = True
        elif t == "cases.case_supplement_received":
            s.supplement_open = False
            s.receive_clock_from = day
        elif t in ("cases.case_accepted", "cases.case_accepted_with_deficiency"):
            s.supplement_open = False
            s.accepted_at = s.accepted_at or event.occurred_at
            s.accepted_on = _day(p.get("accepted_on")) or s.accepted_on or day
            s.window_id = s.window_id or _int(p.get("window_id"))
            s.accepted_by_user_id = s.accepted_by_user_id or event.actor_user_id
            _handled(s, event)
        elif t in ("cases.case_step_completed", "cases.case_step_returned", "cases.case_deemed_consent"):
            s.review_at = s.review_at or event.occurred_at
            _handled(s, event)
            step_due = _day(p.get("step_due"))
            if step_due is not None and day > step_due:
                s.step_overdue = True
        elif t == "cases.case_suspended":
            start = _day(p.get("started_on")) or day
            s.suspensions.append([start.isoformat(), None])
        elif t == "cases.case_resumed":
            end = _day(p.get("ended_on")) or day
            for interval in reversed(s.suspensions):
                if interval[1] is None:
                    interval[1] = end.isoformat()
                    break
        elif t == "cases.case_extended":
            s.extension_workdays += _int(p.get("workdays")) or 0
        elif t == "cases.case_decided":
            s.decided_at = _instant(p.get("decided_at")) or event.occurred_at
            s.decision = p.get("decision") or s.decision
            s.decided_by_user_id = event.actor_user_id or s.decided_by_user_id
            _handled(s, event)
        elif t == "cases.case_completed":
            s.completed_at = event.occurred_at
            s.decided_at = s.decided_at or event.occurred_at
            s.decision = p.get("decision") or s.decision
            s.decided_by_user_id = s.decided_by_user_id or event.actor_user_id
            _handled(s, event)
        elif t == "cases.case_delivered":
            s.delivered_at = event.occurred_at
        if t in CLOSING_TYPES:
            s.closed_at = event.occurred_at
    s.stage = _stage(s)
    s.is_open = s.stage != Stage.CLOSED
    s.handler_user_ids.sort()
    return s


def _handled(s: CaseState, event: EventIn) -> None:
    """The staff who accepted, worked a step on or decided the case (assessment of staff)."""
    if event.actor_user_id is not None and event.actor_user_id not in s.handler_user_ids:
        s.handler_user_ids.append(event.actor_user_id)


def _stage(s: CaseState) -> str:
    if s.closed_at is not None:
        return Stage.CLOSED
    if s.decided_at is not None:
        return Stage.DELIVER
    if s.accepted_on is not None:
        if any(end is None for _start, end in s.suspensions):
            return Stage.SUSPENDED
        return Stage.REVIEW
    if s.supplement_open:
        return Stage.SUPPLEMENT
    return Stage.RECEIVE


def stopped_workdays(suspensions: Iterable[list[str | None]], today: dt.date, region: str | None) -> int:
    """Working days the clock stood still (an open suspension counts up to today)."""
    total = 0
    for start, end in suspensions:
        first = _day(start)
        if first is None:
            continue
        total += max(workdays_between(first, _day(end) or today, region), 0)
    return total


@dataclass(frozen=True)
class Dues:
    acceptance_due: dt.date | None
    promised_due: dt.date | None
    statutory_due: dt.date | None
    delivery_due: dt.date | None
    suspended_workdays: int
    clock_start: dt.date | None
    clock_limit: int | None
    current_due: dt.date | None


def dues(
    *,
    stage: str,
    received_at: dt.datetime | None,
    receive_clock_from: dt.date | None,
    accepted_on: dt.date | None,
    decided_at: dt.datetime | None,
    promised_limit: int | None,
    statutory_limit: int | None,
    suspensions: list[list[str | None]],
    extension_workdays: int,
    today: dt.date,
    region: str | None,
) -> Dues:
    """Every deadline of a case as of `today` (an open suspension keeps pushing the decision dues)."""
    received_on = receive_clock_from or (local_day(received_at) if received_at else None)
    acceptance = add_workdays(received_on, ACCEPTANCE_WORKDAYS, region) if received_on else None
    stopped = stopped_workdays(suspensions, today, region)

    def decision_due(limit: int | None) -> dt.date | None:
        if accepted_on is None or limit is None:
            return None
        return add_workdays(accepted_on, limit + stopped + extension_workdays, region)

    promised, statutory = decision_due(promised_limit), decision_due(statutory_limit)
    decided_on = local_day(decided_at) if decided_at else None
    delivery = add_workdays(decided_on, DELIVERY_WORKDAYS, region) if decided_on else None
    start: dt.date | None
    limit: int | None
    if stage == Stage.RECEIVE:
        start, limit, current = received_on, ACCEPTANCE_WORKDAYS, acceptance
    elif stage in (Stage.REVIEW, Stage.SUSPENDED):
        base = promised_limit if promised_limit is not None else statutory_limit
        start, limit, current = accepted_on, base, promised if promised_limit is not None else statutory
    elif stage == Stage.DELIVER:
        start, limit, current = decided_on, DELIVERY_WORKDAYS, delivery
    else:
        start, limit, current = None, None, None
    return Dues(acceptance, promised, statutory, delivery, stopped, start, limit, current)


def light_for(due: dt.date | None, today: dt.date, *, yellow_workdays: int, region: str | None) -> str:
    """Green; yellow from `yellow_workdays` working days before the due day; red once it has passed."""
    if due is None:
        return Light.GREEN
    if today > due:
        return Light.RED
    if workdays_between(today, due, region) <= yellow_workdays:
        return Light.YELLOW
    return Light.GREEN
