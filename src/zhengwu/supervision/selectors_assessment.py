"""Reads of the assessment, scoped by "two horizontals, two verticals" like every supervision read:
supervisors see the subjects of their region and below, a department its own scores (and its line's
counterparts below it). Each page is a fixed number of queries whatever the number of subjects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.shortcuts import get_scoped_or_404

from . import providers, scoring
from .models import AssessmentRun, AssessmentScore, ManualScore
from .models.assessment import Grade, SubjectKind
from .selectors import SCOPE

INPUT_LABELS = {
    "on_time": _("按时办结率"),
    "early": _("提前办结率"),
    "time_used": _("用时比"),
    "cards": _("亮牌"),
    "corrections": _("纠错"),
    "complaints": _("投诉"),
    "ratings": _("评价"),
    "manual": _("人工评分"),
}


def scores_for(actor: Actor) -> QuerySet[AssessmentScore]:
    return AssessmentScore.objects.filter(actor.scope_q(**SCOPE))


def runs() -> list[AssessmentRun]:
    """Every computed period, newest first (the period selector and the list of past periods)."""
    return list(AssessmentRun.objects.order_by("-starts_on", "-kind"))


@dataclass(frozen=True)
class Ranking:
    run: AssessmentRun | None
    kind: str
    scores: QuerySet[AssessmentScore]
    grade_counts: dict[str, int]


def ranking(
    actor: Actor, *, period: scoring.Period | None, kind: str, all_runs: list[AssessmentRun]
) -> Ranking:
    """The visible scores of one period and subject kind, best first (unscored last)."""
    if kind not in SubjectKind.values:
        kind = SubjectKind.DEPARTMENT
    run = None
    if period is not None:
        run = next((r for r in all_runs if r.period == period.key), None)
    elif all_runs:
        run = all_runs[0]
    if run is None:
        return Ranking(None, kind, AssessmentScore.objects.none(), {})
    qs = scores_for(actor).filter(run=run, subject_kind=kind).order_by("rank", "subject_name", "subject_id")
    from django.db.models import Count, F

    counts = {g: 0 for g in Grade.values}
    for row in qs.order_by().values("grade").annotate(n=Count("id")):
        if row["grade"] in counts:
            counts[row["grade"]] = row["n"]
    return Ranking(
        run, kind, qs.order_by(F("rank").asc(nulls_last=True), "subject_name", "subject_id"), counts
    )


def score_for(actor: Actor, pk: Any) -> AssessmentScore:
    return get_scoped_or_404(AssessmentScore.objects.select_related("run"), actor, pk=pk, **SCOPE)


def manual_for(score: AssessmentScore) -> ManualScore | None:
    return ManualScore.objects.filter(
        period=score.run.period, subject_kind=score.subject_kind, subject_id=score.subject_id
    ).first()


def history_for(actor: Actor, score: AssessmentScore) -> list[AssessmentScore]:
    """The same subject's scores in every computed period (past periods kept)."""
    return list(
        scores_for(actor)
        .filter(subject_kind=score.subject_kind, subject_id=score.subject_id)
        .select_related("run")
        .order_by("-run__starts_on", "run__kind")
    )


def missing_inputs() -> list[tuple[str, str]]:
    """Inputs whose source app does not exist yet, with the note shown on the page."""
    keys = [key for key in providers.EXTERNAL_KEYS if providers.missing_note(key)]
    return [(str(INPUT_LABELS[key]), providers.missing_note(key)) for key in keys]
