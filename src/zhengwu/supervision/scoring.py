"""The assessment formula (绩效评估, docs/supervision/assessment.md), as pure functions.

Every input is turned into a sub-score from 0 to 100; the total is the weighted mean of the
sub-scores *that have data* (an input without data — no completed case, no manual score, a source
app that does not exist yet — passes its weight on to the others in proportion); the grade comes from
the scheme's thresholds. Periods are calendar months (2025-09) and quarters (2025-Q3; 2025Q3 is read
too) in Asia/Shanghai, read and spelt by core.calendar.periods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhengwu.core.calendar import periods

from .models.assessment import WEIGHTS, Grade, PeriodKind

INPUT_KEYS = [key for key, _field, _default in WEIGHTS]

# --- periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date  # inclusive

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as instants: midnight in Asia/Shanghai."""
        return periods.day_bounds(self.starts_on, self.ends_on)

    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return _("%(y)s 年第 %(q)s 季度") % {
                "y": self.starts_on.year,
                "q": (self.starts_on.month - 1) // 3 + 1,
            }
        return _("%(y)s 年 %(m)s 月") % {"y": self.starts_on.year, "m": self.starts_on.month}


def _of(period: periods.CalendarPeriod) -> Period:
    return Period(period.key, period.kind, period.start, period.end)


def parse_period(raw: Any) -> Period:
    """'2025-Q3' (or '2025Q3') or '2025-09'; anything else is a field error on `period`."""
    try:
        parsed = periods.parse_period(
            raw,
            kinds=PeriodKind.values,
            format_message=_("评估周期格式应为“2025-Q3”（季度）或“2025-09”（月度）。"),
        )
    except periods.PeriodError as exc:
        raise ValidationError({"period": [str(exc)]}) from None
    return _of(parsed)


def period_of(day: dt.date, kind: str) -> Period:
    return _of(periods.period_of(day, kind))


def last_closed(day: dt.date, kind: str) -> Period:
    """The latest period of `kind` that ended before `day`."""
    return period_of(period_of(day, kind).starts_on - dt.timedelta(days=1), kind)


# --- scheme values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemeValues:
    name: str
    weights: Mapping[str, int]
    excellent_from: Decimal
    good_from: Decimal
    pass_from: Decimal
    yellow_card_points: int
    red_card_points: int
    correction_points: int
    overdue_answer_points: int


DEFAULT_SCHEME = SchemeValues(
    name="默认方案",
    weights={key: default for key, _field, default in WEIGHTS},
    excellent_from=Decimal(90),
    good_from=Decimal(80),
    pass_from=Decimal(60),
    yellow_card_points=10,
    red_card_points=30,
    correction_points=10,
    overdue_answer_points=10,
)


def scheme_values(row: Any) -> SchemeValues:
    return SchemeValues(
        name=row.name,
        weights=row.weights(),
        excellent_from=Decimal(row.excellent_from),
        good_from=Decimal(row.good_from),
        pass_from=Decimal(row.pass_from),
        yellow_card_points=row.yellow_card_points,
        red_card_points=row.red_card_points,
        correction_points=row.correction_points,
        overdue_answer_points=row.overdue_answer_points,
    )


# --- inputs -------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What one subject did in the period (counted by services/assessment.py from supervision data)."""

    completed: int = 0  # decided in the period, with a promised deadline
    on_time: int = 0  # decided on or before the promised due day
    early: int = 0  # decided before the promised due day
    used_ratio_sum: float = 0.0  # Σ used working days / promised working days
    used_ratio_n: int = 0
    yellow_cards: int = 0
    red_cards: int = 0
    corrections: int = 0  # correction orders issued in the period
    overdue_answers: int = 0  # of them, answered after their due day (or still unanswered past it)


@dataclass(frozen=True)
class External:
    """A value from a provider (complaints, ratings): a sub-score 0–100, or None for "no data"."""

    score: float | None
    raw: str = ""
    note: str = ""


def _pct(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def sub_scores(
    tally: Tally, scheme: SchemeValues, *, manual: Decimal | None, external: Mapping[str, External]
) -> dict[str, dict[str, Any]]:
    """Each input: its raw value (for display), its sub-score (None = no data) and a short note."""
    mean_ratio = tally.used_ratio_sum / tally.used_ratio_n if tally.used_ratio_n else None
    out: dict[str, dict[str, Any]] = {
        "on_time": {
            "raw": f"{tally.on_time}/{tally.completed}",
            "score": _pct(tally.on_time, tally.completed),
        },
        "early": {"raw": f"{tally.early}/{tally.completed}", "score": _pct(tally.early, tally.completed)},
        "time_used": {
            "raw": f"{mean_ratio:.2f}" if mean_ratio is not None else "",
            "score": _clamp(100.0 * (1 - mean_ratio / 2)) if mean_ratio is not None else None,
        },
        "cards": {
            "raw": f"{tally.yellow_cards}/{tally.red_cards}",
            "score": _clamp(
                100.0
                - tally.yellow_cards * scheme.yellow_card_points
                - tally.red_cards * scheme.red_card_points
            ),
        },
        "corrections": {
            "raw": f"{tally.corrections}/{tally.overdue_answers}",
            "score": _clamp(
                100.0
                - tally.corrections * scheme.correction_points
                - tally.overdue_answers * scheme.overdue_answer_points
            ),
        },
        "manual": {
            "raw": str(manual) if manual is not None else "",
            "score": float(manual) if manual is not None else None,
        },
    }
    for key in ("complaints", "ratings"):
        value = external.get(key) or External(None)
        out[key] = {"raw": value.raw, "score": value.score, "note": value.note}
    for key, item in out.items():
        item["weight"] = int(scheme.weights.get(key, 0))
        if item["score"] is not None:
            item["score"] = float(_round(item["score"]))
    return {key: out[key] for key in INPUT_KEYS}


def _round(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def total(inputs: Mapping[str, Mapping[str, Any]]) -> Decimal | None:
    """Weighted mean over the inputs with data; None when no weighted input has data."""
    weight = sum(i["weight"] for i in inputs.values() if i["score"] is not None and i["weight"] > 0)
    if not weight:
        return None
    points = sum(
        Decimal(str(i["score"])) * i["weight"]
        for i in inputs.values()
        if i["score"] is not None and i["weight"] > 0
    )
    return _round(points / weight)


def grade(score: Decimal | None, scheme: SchemeValues) -> str:
    if score is None:
        return ""
    if score >= scheme.excellent_from:
        return Grade.EXCELLENT
    if score >= scheme.good_from:
        return Grade.GOOD
    if score >= scheme.pass_from:
        return Grade.PASS
    return Grade.FAIL
