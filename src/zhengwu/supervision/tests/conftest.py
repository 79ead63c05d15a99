from __future__ import annotations

from typing import Any

import pytest

from zhengwu.org.demo import seed_demo


@pytest.fixture
def demo_org(db: Any) -> None:
    """The demo city's regions, departments and accounts (sup_city, sup_district …)."""
    seed_demo()


@pytest.fixture
def rules(db: Any) -> None:
    from zhengwu.supervision.demo import seed_rules

    seed_rules()
