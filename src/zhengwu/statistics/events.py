"""The rollup follows the supervision records: a periodic job in the worker (autodiscovered by
core.events) folds in the records changed since its last run."""

from __future__ import annotations

from zhengwu.core.events.periodic import periodic

REFRESH_SECONDS = 300


@periodic(seconds=REFRESH_SECONDS, name="statistics.rollup_refresh")
def rollup_refresh_job() -> object:
    from .services import rollup_refresh

    return rollup_refresh()
