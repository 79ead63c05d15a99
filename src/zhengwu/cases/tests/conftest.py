"""Fixtures shared by every case test package (services, documents, portal, workbench, api)."""

from __future__ import annotations

from typing import Any

import pytest

from zhengwu.org.demo import seed_demo


@pytest.fixture
def demo_org(db: Any) -> None:
    """The demo city's regions, departments, halls, windows and accounts (no catalogue)."""
    seed_demo()
