"""Assessment (绩效评估): compute and store a period's scores, publish them, and manual scores.

Computing reads supervision's own data only (records built from case events, cards, correction
orders, manual scores) plus the providers of `supervision/providers.py`. A draft period may be
recomputed any number of times (its scores are replaced); a published period is final and is never
touched again. Every write runs in one durable transaction and is audited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.regions import region_prefix
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.services import audit_record
from zhengwu.core.calendar.days import local_day, workdays_between
from zhengwu.org import selectors as org_selectors

from .. import providers, scoring
from ..models import (
    AssessmentRun,
    AssessmentScheme,
    AssessmentScore,
    Card,
    Correction,
    ManualScore,
    SupervisedCase,
)
from ..models.assessment import PeriodKind, SubjectKind
from ._common import SYSTEM, departments, notify_contacts, rows_insert_new, today

Key = tuple[str, int]  # (subject kind, subject id)


@dataclass(frozen=True)
class Subject:
    kind: str
    id: int
    name: str
    department_id: int | None
    department_name: str
    department_line: str
    region_code: str


class Schemes:
    """The scheme of a region: the most specific region prefix wins; the built-in default otherwise."""

    def __init__(self) -> None:
        rows = list(AssessmentScheme.objects.all())
        self.rows = rows
        self._by_prefix = sorted(
            ((region_prefix(r.region_code) if r.region_code else "", scoring.scheme_values(r)) for r in rows),
            key=lambda item: -len(item[0]),
        )

    def for_region(self, region_code: str) -> scoring.SchemeValues:
        for prefix, values in self._by_prefix:
            if region_code.startswith(prefix):
                return values
        return scoring.DEFAULT_SCHEME

    def period_kinds(self) -> set[str]:
        """Which periods the worker computes: those any scheme asks for (quarters by default)."""
        if not self.rows:
            return {PeriodKind.QUARTER}
        kinds: set[str] = set()
        for row in self.rows:
            if row.periods in (AssessmentScheme.Periods.QUARTER, AssessmentScheme.Periods.BOTH):
                kinds.add(PeriodKind.QUARTER)
            if row.periods in (AssessmentScheme.Periods.MONTH, AssessmentScheme.Periods.BOTH):
                kinds.add(PeriodKind.MONTH)
        return kinds


def may_manage(actor: Actor | None) -> bool:
    """The system, an administrator, or a supervisor who sees every region with supervised cases
    (the city's supervision office): a district supervisor may not publish the whole city's results."""
    if actor is None or Role.SYSADMIN in actor.roles:
        return True
    if not actor.has_role(Role.SUPERVISOR) or not actor.region_prefix:
        return False
    elsewhere = SupervisedCase.objects.exclude(region_code="")
    return not elsewhere.exclude(region_code__startswith=actor.region_prefix).exists()


# --- computing ----------------------------------------------------------------------------------


def assessment_compute(
    *, actor: Actor | None, period: str | scoring.Period, on_day: dt.date | None = None
) -> AssessmentRun:
    """Compute (or recompute) a period's draft. A published period raises ValidationError."""
    p = period if isinstance(period, scoring.Period) else scoring.parse_period(period)
    day = on_day or today()
    if p.starts_on > day:
        raise ValidationError({"period": [_("该周期尚未开始，不能评估。")]})
    if not may_manage(actor):
        raise PermissionDenied
    with transaction.atomic(durable=True):
        run = _lock_run(p)
        if run.status == AssessmentRun.Status.PUBLISHED:
            raise ValidationError({"period": [_("该周期的评估结果已发布，保持不变，不能重新计算。")]})
        _compute(run, p, actor, day)
    return run


def _lock_run(p: scoring.Period) -> AssessmentRun:
    rows_insert_new(
        [AssessmentRun(period=p.key, kind=p.kind, starts_on=p.starts_on, ends_on=p.ends_on, computations=0)],
        [
            "period",
            "kind",
            "starts_on",
            "ends_on",
            "status",
            "computed_at",
            "computations",
            "case_count",
            "computed_by_name",
            "published_by_name",
        ],
    )
    return AssessmentRun.objects.select_for_update().get(period=p.key)


def _compute(run: AssessmentRun, p: scoring.Period, actor: Actor | None, day: dt.date) -> None:
    start, end = p.bounds()
    as_of = min(day, p.ends_on + dt.timedelta(days=1))
    tallies: dict[Key, scoring.Tally] = defaultdict(scoring.Tally)
    case_count = _tally_cases(tallies, start, end)
    _tally_cards(tallies, start, end)
    _tally_corrections(tallies, start, end, as_of)
    manual = {
        (kind, sid): value
        for kind, sid, value in ManualScore.objects.filter(period=p.key).values_list(
            "subject_kind", "subject_id", "value"
        )
    }
    subjects = _subjects(set(tallies) | set(manual))
    schemes = Schemes()
    keys = sorted(subjects)
    external = providers.external_values(p, keys)
    scores: list[AssessmentScore] = []
    for key in keys:
        subject = subjects[key]
        scheme = schemes.for_region(subject.region_code)
        tally = tallies.get(key) or scoring.Tally()
        inputs = scoring.sub_scores(
            tally,
            scheme,
            manual=manual.get(key),
            external={name: values[key] for name, values in external.items() if key in values},
        )
        for name in providers.EXTERNAL_KEYS:
            if inputs[name]["score"] is None and not inputs[name].get("note"):
                inputs[name]["note"] = providers.missing_note(name)
        total = scoring.total(inputs)
        scores.append(
            AssessmentScore(
                run=run,
                subject_kind=subject.kind,
                subject_id=subject.id,
                subject_name=subject.name,
                department_id=subject.department_id,
                department_name=subject.department_name,
                department_line=subject.department_line,
                region_code=subject.region_code,
                scheme_name=scheme.name,
                cases_completed=tally.completed,
                inputs=inputs,
                score=total,
                grade=scoring.grade(total, scheme),
            )
        )
    _rank(scores)
    AssessmentScore.objects.filter(run=run).delete()
    AssessmentScore.objects.bulk_create(scores, batch_size=1000)
    run.kind, run.starts_on, run.ends_on = p.kind, p.starts_on, p.ends_on
    run.computed_at = timezone.now()
    run.computed_by_name = actor.display_name if actor is not None else str(SYSTEM.display_name)
    run.computations += 1
    run.case_count = case_count
    run.save()
    audit_record(
        actor=actor,
        action="supervision.assessment.compute",
        obj_type="supervision.assessmentrun",
        obj_id=run.pk,
        summary=_("%(period)s 绩效评估：%(n)s 个评估对象，%(c)s 件办结")
        % {
            "period": p.key,
            "n": len(scores),
            "c": case_count,
        },
        extra={"computations": run.computations},
    )


def _add(tallies: dict[Key, scoring.Tally], keys: Iterable[Key], **inc: float) -> None:
    for key in keys:
        tally = tallies[key]
        for name, value in inc.items():
            setattr(tally, name, getattr(tally, name) + value)


def _case_subjects(department_id: Any, window_id: Any, handlers: Any) -> list[Key]:
    keys: list[Key] = []
    if department_id is not None:
        keys.append((SubjectKind.DEPARTMENT, int(department_id)))
    if window_id is not None:
        keys.append((SubjectKind.WINDOW, int(window_id)))
    keys += [(SubjectKind.STAFF, int(u)) for u in (handlers or []) if isinstance(u, int)]
    return keys


def _tally_cases(tallies: dict[Key, scoring.Tally], start: dt.datetime, end: dt.datetime) -> int:
    """Cases decided in the period with a promised deadline: on-time, early, used / promised time."""
    rows = SupervisedCase.objects.filter(
        decided_at__gte=start, decided_at__lt=end, decided_on_time__isnull=False
    ).values_list(
        "department_id",
        "window_id",
        "handler_user_ids",
        "decided_on_time",
        "decided_early",
        "accepted_on",
        "decided_at",
        "suspended_workdays",
        "promised_limit",
        "extension_workdays",
        "region_code",
    )
    count = 0
    for row in rows.iterator(chunk_size=5000):
        dept, window, handlers, on_time, early, accepted_on, decided_at, stopped, limit, ext, region = row
        count += 1
        keys = _case_subjects(dept, window, handlers)
        inc: dict[str, float] = {"completed": 1, "on_time": int(bool(on_time)), "early": int(bool(early))}
        promised = (limit or 0) + (ext or 0)
        if accepted_on is not None and decided_at is not None and promised > 0:
            worked = workdays_between(accepted_on, local_day(decided_at), region or None)
            used = max(worked - (stopped or 0), 0)
            inc["used_ratio_sum"] = used / promised
            inc["used_ratio_n"] = 1
        _add(tallies, keys, **inc)
    return count


def _tally_cards(tallies: dict[Key, scoring.Tally], start: dt.datetime, end: dt.datetime) -> None:
    """Cards issued in the period: against the department, and against the window and staff of the
    case a card is about."""
    rows = Card.objects.filter(issued_at__gte=start, issued_at__lt=end).values_list(
        "department_id", "level", "record__window_id", "record__handler_user_ids"
    )
    for dept, level, window, handlers in rows:
        field = "red_cards" if level == Card.Level.RED else "yellow_cards"
        _add(tallies, _case_subjects(dept, window, handlers), **{field: 1})


def _tally_corrections(
    tallies: dict[Key, scoring.Tally], start: dt.datetime, end: dt.datetime, as_of: dt.date
) -> None:
    """Correction orders issued in the period; overdue: answered after the due day, or not answered
    and the due day passed (as of the period's end, or today while it runs)."""
    rows = Correction.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
        "department_id", "due", "answered_at", "record__window_id", "record__handler_user_ids"
    )
    for dept, due, answered_at, window, handlers in rows:
        late = local_day(answered_at) > due if answered_at is not None else as_of > due
        _add(tallies, _case_subjects(dept, window, handlers), corrections=1, overdue_answers=int(late))


def _subjects(keys: set[Key]) -> dict[Key, Subject]:
    """Names, departments and regions of the subjects (three queries at most, through org selectors).
    Subjects org no longer knows (a deleted window, an account without a staff profile) are left out."""
    out: dict[Key, Subject] = {}
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, sid in keys:
        by_kind[kind].add(sid)
    if by_kind[SubjectKind.DEPARTMENT]:
        for info in departments(ids=by_kind[SubjectKind.DEPARTMENT]).values():
            key = (SubjectKind.DEPARTMENT, info.id)
            out[key] = Subject(key[0], info.id, info.name, info.id, info.name, info.line, info.region_code)
    if by_kind[SubjectKind.WINDOW]:
        windows = org_selectors.windows_for(SYSTEM).filter(pk__in=by_kind[SubjectKind.WINDOW])
        for w in windows.values(
            "id",
            "code",
            "name",
            "service_point__name",
            "service_point__region__code",
            "department_id",
            "department__name",
            "department__line",
        ):
            key = (SubjectKind.WINDOW, w["id"])
            out[key] = Subject(
                key[0],
                w["id"],
                f"{w['service_point__name']} {w['code']} {w['name']}",
                w["department_id"],
                w["department__name"] or "",
                w["department__line"] or "",
                w["service_point__region__code"],
            )
    if by_kind[SubjectKind.STAFF]:
        for profile in org_selectors.staff_for(SYSTEM).filter(user_id__in=by_kind[SubjectKind.STAFF]):
            key = (SubjectKind.STAFF, profile.user_id)
            out[key] = Subject(
                key[0],
                profile.user_id,
                str(profile.user),
                profile.department_id,
                profile.department.name,
                profile.department.line,
                profile.department.region.code,
            )
    return out


def _rank(scores: list[AssessmentScore]) -> None:
    """Competition ranking per subject kind (1, 2, 2, 4); subjects without a score are not ranked."""
    by_kind: dict[str, list[AssessmentScore]] = defaultdict(list)
    for s in scores:
        if s.score is not None:
            by_kind[s.subject_kind].append(s)
    for rows in by_kind.values():
        rows.sort(key=lambda s: (-(s.score or 0), s.subject_name, s.subject_id))
        previous: Decimal | None = None
        for position, s in enumerate(rows, start=1):
            s.rank = position if s.score != previous else rows[position - 2].rank
            previous = s.score


# --- publishing and manual scores ---------------------------------------------------------------


def assessment_publish(*, actor: Actor, period: str) -> AssessmentRun:
    """Draft → published: final from now on (recomputation and manual scores are refused)."""
    p = scoring.parse_period(period)
    if not may_manage(actor) or actor is None:
        raise PermissionDenied
    with transaction.atomic(durable=True):
        run = AssessmentRun.objects.select_for_update().filter(period=p.key).first()
        if run is None:
            raise ValidationError({"period": [_("该周期尚未计算，不能发布。")]})
        if run.status == AssessmentRun.Status.PUBLISHED:
            raise ValidationError({"period": [_("该周期的评估结果已发布。")]})
        run.status = AssessmentRun.Status.PUBLISHED
        run.published_at = timezone.now()
        run.published_by_name = actor.display_name
        run.save(update_fields=["status", "published_at", "published_by_name"])
        audit_record(
            actor=actor,
            action="supervision.assessment.publish",
            obj_type="supervision.assessmentrun",
            obj_id=run.pk,
            summary=_("发布 %(period)s 绩效评估结果") % {"period": p.key},
            changes={"status": [AssessmentRun.Status.DRAFT, AssessmentRun.Status.PUBLISHED]},
        )
        _notify_published(run, p)
    return run


def _notify_published(run: AssessmentRun, p: scoring.Period) -> None:
    """Each assessed department learns its result (SMS to its supervision contact), after commit."""
    scores = list(run.scores.filter(subject_kind=SubjectKind.DEPARTMENT, score__isnull=False))
    contexts = {
        s.subject_id: {
            "period": p.label(),
            "department": s.subject_name,
            "score": f"{s.score}",
            "grade": s.get_grade_display() or "—",
            "rank": str(s.rank or "—"),
            "total": str(len(scores)),
        }
        for s in scores
    }
    notify_contacts("supervision.assessment_published", contexts)


def parse_manual_value(raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": [_("人工评分应为 0 到 100 之间的数字。")]}) from None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise ValidationError({"value": [_("人工评分应在 0 到 100 之间。")]})
    return value.quantize(Decimal("0.01"))


def manual_score_set(*, actor: Actor, score_id: int, value: Any, reason: str) -> AssessmentScore:
    """A supervisor scores a subject of a draft period (0–100, with a reason); the draft is recomputed.
    Entering a new score for the same subject and period replaces the old one (both audited)."""
    if not actor.has_role(Role.SUPERVISOR):
        raise PermissionDenied
    number = parse_manual_value(value)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写评分理由。")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("评分理由不能超过 2000 字。")]})
    from ..selectors_assessment import scores_for

    with transaction.atomic(durable=True):
        score = scores_for(actor).select_related("run").filter(pk=score_id).first()
        if score is None:
            raise PermissionDenied
        run = AssessmentRun.objects.select_for_update().get(pk=score.run_id)
        if run.status == AssessmentRun.Status.PUBLISHED:
            raise ValidationError({"value": [_("该周期的评估结果已发布，不能再录入人工评分。")]})
        old = ManualScore.objects.filter(
            period=run.period, subject_kind=score.subject_kind, subject_id=score.subject_id
        ).first()
        ManualScore.objects.update_or_create(
            period=run.period,
            subject_kind=score.subject_kind,
            subject_id=score.subject_id,
            defaults={
                "subject_name": score.subject_name,
                "value": number,
                "reason": reason,
                "entered_by_user_id": actor.user_id,
                "entered_by_name": actor.display_name,
                "entered_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            action="supervision.assessment.manual_score",
            obj_type="supervision.assessmentscore",
            obj_id=score.pk,
            summary=f"{run.period} {score.subject_name} {number}",
            reason=reason,
            changes={"value": [str(old.value) if old else None, str(number)]},
        )
        _compute(run, scoring.parse_period(run.period), actor, today())
    return AssessmentScore.objects.get(run=run, subject_kind=score.subject_kind, subject_id=score.subject_id)


def assessment_job(*, on_day: dt.date | None = None) -> list[str]:
    """Worker: compute the last closed period of each kind a scheme asks for, once (skip existing)."""
    day = on_day or today()
    done: list[str] = []
    for kind in sorted(Schemes().period_kinds()):
        p = scoring.last_closed(day, kind)
        if AssessmentRun.objects.filter(period=p.key).exists():
            continue
        assessment_compute(actor=None, period=p, on_day=day)
        done.append(p.key)
    return done
