from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from zhengwu.org.demo import seed_demo

from .data import NOW


@pytest.fixture
def demo_org(db: Any) -> None:
    """The demo city's regions, departments and accounts (sup_city, sup_district …)."""
    seed_demo()


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def cases(demo_org: None) -> dict[str, Any]:
    from .data import ingest_all

    return ingest_all(on_day=dt.date(2025, 11, 20))
