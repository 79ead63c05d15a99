"""Inputs of the assessment that other apps will supply: complaints (12345 hotline) and ratings (好差评).

Neither app exists yet. Until one registers a provider here, its input has **no data** (not a zero,
not a made-up number): the assessment passes its weight on to the other inputs and the page says so.

A future app registers in its `events.py` (autodiscovered by the worker and the web process):

    from zhengwu.supervision.providers import register

    class ComplaintsProvider:
        key = "complaints"
        def values(self, period, subjects):
            # subjects: [(subject_kind, subject_id), …]; period: scoring.Period
            return {("department", 12): External(score=85.0, raw="3 件", note="有效投诉 3 件")}

    register(ComplaintsProvider())

`values` returns a sub-score from 0 to 100 per subject it knows; subjects it leaves out have no data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from .scoring import External, Period

Subject = tuple[str, int]
EXTERNAL_KEYS = ("complaints", "ratings")
MISSING_NOTES = {
    "complaints": _("暂无数据：12345 热线（投诉）模块尚未接入，该项权重按比例计入其他指标。"),
    "ratings": _("暂无数据：好差评模块尚未接入，该项权重按比例计入其他指标。"),
}


class AssessmentProvider(Protocol):
    key: str

    def values(self, period: Period, subjects: Iterable[Subject]) -> Mapping[Subject, External]: ...


_providers: dict[str, AssessmentProvider] = {}


def register(provider: AssessmentProvider) -> None:
    if provider.key not in EXTERNAL_KEYS:
        raise ValueError(f"unknown assessment input {provider.key!r}; expected one of {EXTERNAL_KEYS}")
    _providers[provider.key] = provider


def unregister(key: str) -> None:
    _providers.pop(key, None)


def is_available(key: str) -> bool:
    return key in _providers


def external_values(period: Period, subjects: list[Subject]) -> dict[str, Mapping[Subject, External]]:
    """Per input key, the values of the registered provider (an empty mapping when none is)."""
    out: dict[str, Mapping[Subject, External]] = {}
    for key in EXTERNAL_KEYS:
        provider = _providers.get(key)
        out[key] = provider.values(period, subjects) if provider is not None else {}
    return out


def missing_note(key: str) -> str:
    return "" if is_available(key) else str(MISSING_NOTES[key])
