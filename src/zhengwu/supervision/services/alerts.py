"""Warnings (预警) and rule cards (规则亮牌) for records whose light is yellow or red.

Each warning is at most once per (record, level): a unique constraint, and the notifications are
sent only for rows this call really inserted (found again by their batch token).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import cast

from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core.access.regions import region_prefix
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.services import audit_record
from zhengwu.core.calendar import periods
from zhengwu.core.notify.services import notify_send
from zhengwu.org import selectors as org_selectors

from ..models import Card, CardRule, SupervisedCase, Warning
from ..models.records import Light, Stage
from ._common import SYSTEM, departments


def supervisor_user_ids(
    region_code: str, _cache: dict[str, list[tuple[str, int]]] | None = None
) -> list[int]:
    """Supervisors whose region contains `region_code` (city supervision and the district's own)."""
    if _cache is None:
        rows = _supervisors()
    else:
        if "all" not in _cache:
            _cache["all"] = _supervisors()
        rows = _cache["all"]
    return [user_id for prefix, user_id in rows if region_code.startswith(prefix)]


def _supervisors() -> list[tuple[str, int]]:
    return [
        (region_prefix(p.region.code), p.user_id)
        for p in org_selectors.staff_for(SYSTEM).filter(user__is_active=True)
        if Role.SUPERVISOR in (p.roles or [])
    ]


def warnings_issue(records: Iterable[SupervisedCase]) -> list[Warning]:
    """Create the missing warnings of yellow and red open records and notify; returns the new ones."""
    candidates = {r.pk: r for r in records if r.is_open and r.light in (Light.YELLOW, Light.RED)}
    if not candidates:
        return []
    with transaction.atomic():
        existing = set(
            Warning.objects.filter(record_id__in=list(candidates)).values_list("record_id", "level")
        )
        batch = uuid.uuid4()
        Warning.objects.bulk_create(
            [
                Warning(record_id=r.pk, level=r.light, stage=r.stage, due=r.current_due, batch=batch)
                for r in candidates.values()
                if (r.pk, r.light) not in existing
            ],
            ignore_conflicts=True,
        )
        created = list(Warning.objects.filter(batch=batch))
        if created:
            _notify(created, candidates)
    return created


def _notify(created: list[Warning], records: dict[int, SupervisedCase]) -> None:
    depts = departments(ids={records[w.record_id].department_id for w in created} - {None})  # type: ignore[arg-type]
    cache: dict[str, list[tuple[str, int]]] = {}
    stages = dict(Stage.choices)
    for warning in created:
        record = records[warning.record_id]
        info = depts.get(record.department_id) if record.department_id else None
        template = "supervision.warning_red" if warning.level == Light.RED else "supervision.warning_yellow"
        context = {
            "department": record.department_name or (info.name if info else ""),
            "item": record.item_name,
            "number": record.case_number,
            "stage": str(stages.get(record.stage, record.stage)),
            "due": warning.due.isoformat() if warning.due else "",
        }
        if info is not None and info.contact_phone:
            notify_send(template=template, context=context, phone=info.contact_phone, channels=("sms",))
        if warning.level == Light.RED:
            for user_id in supervisor_user_ids(record.region_code, cache):
                notify_send(template=template, context=context, user_id=user_id, channels=("inbox",))


# --- cards by rule ------------------------------------------------------------------------------


def period_key(day: dt.date, period: str) -> str:
    """The counting period of a card rule containing `day`, spelt like every period (2025-Q4)."""
    return periods.period_of(day, period).key


def period_bounds(day: dt.date, period: str) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the counting period containing `day`: midnight in Asia/Shanghai."""
    return periods.period_of(day, period).bounds()


def _applies(rule: CardRule, region_code: str) -> bool:
    return not rule.region_code or region_code.startswith(region_prefix(rule.region_code))


def cards_apply_rules(records: Iterable[SupervisedCase], *, day: dt.date) -> list[Card]:
    """Overdue cases → yellow cards; then N yellow cards of a department in a period → a red card."""
    rules = list(CardRule.objects.filter(active=True))
    overdue_rules = [r for r in rules if r.kind == CardRule.Kind.OVERDUE_CASE]
    count_rules = [r for r in rules if r.kind == CardRule.Kind.YELLOW_COUNT]
    overdue = [r for r in records if r.ever_overdue and r.department_id is not None]
    issued: list[Card] = []
    if not overdue_rules and not count_rules:
        return issued
    with transaction.atomic():
        if overdue and overdue_rules:
            existing = set(
                Card.objects.filter(
                    rule__in=overdue_rules, record_id__in=[r.pk for r in overdue]
                ).values_list("rule_id", "record_id")
            )
            new = [
                Card(
                    department_id=cast(int, r.department_id),  # overdue holds known departments only
                    department_name=r.department_name,
                    department_line=r.department_line,
                    region_code=r.region_code,
                    level=Card.Level.YELLOW,
                    source=Card.Source.RULE,
                    rule=rule,
                    record=r,
                    period=period_key(day, rule.period),
                    reason=_("办件%(number)s（%(item)s）超过办理时限")
                    % {"number": r.case_number, "item": r.item_name},
                )
                for rule in overdue_rules
                for r in overdue
                if _applies(rule, r.region_code) and (rule.pk, r.pk) not in existing
            ]
            issued += _create_cards(new)
        departments_touched = {
            (c.department_id, c.region_code, c.department_name, c.department_line) for c in issued
        }
        if count_rules and departments_touched:
            issued += _red_cards(count_rules, departments_touched, day)
    return issued


def _create_cards(cards: list[Card]) -> list[Card]:
    """Insert what is not there yet (the unique constraints decide under concurrency), audit each."""
    if not cards:
        return []
    batch = uuid.uuid4()
    for card in cards:
        card.batch = batch
    Card.objects.bulk_create(cards, ignore_conflicts=True)
    created = list(Card.objects.filter(batch=batch).order_by("pk"))
    for card in created:
        audit_record(
            actor=None,
            action="supervision.card.issue",
            obj_type="supervision.card",
            obj_id=card.pk,
            summary=f"{card.department_name} {card.get_level_display()} {card.reason}",
            reason=card.reason,
        )
    return created


def _red_cards(rules: list[CardRule], touched: set[tuple[int, str, str, str]], day: dt.date) -> list[Card]:
    new: list[Card] = []
    for rule in rules:
        start, end = period_bounds(day, rule.period)
        period = period_key(day, rule.period)
        ids = [d[0] for d in touched if _applies(rule, d[1])]
        counts: dict[int, int] = defaultdict(int)
        for dept_id in Card.objects.filter(
            department_id__in=ids, level=Card.Level.YELLOW, issued_at__gte=start, issued_at__lt=end
        ).values_list("department_id", flat=True):
            counts[dept_id] += 1
        have = set(
            Card.objects.filter(rule=rule, period=period, department_id__in=ids).values_list(
                "department_id", flat=True
            )
        )
        for dept_id, region_code, name, line in touched:
            if dept_id in ids and counts[dept_id] >= rule.threshold and dept_id not in have:
                new.append(
                    Card(
                        department_id=dept_id,
                        department_name=name,
                        department_line=line,
                        region_code=region_code,
                        level=Card.Level.RED,
                        source=Card.Source.RULE,
                        rule=rule,
                        period=period,
                        reason=_("%(period)s 内累计黄牌 %(n)s 张") % {"period": period, "n": counts[dept_id]},
                    )
                )
    return _create_cards(new)
