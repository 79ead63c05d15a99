"""Actors and helpers for the change-management tests (demo city: 示范市市场监督管理局 drafts, the
government services bureau's hall manager reviews)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhengwu.core.access.actor import Actor, actor_for
from zhengwu.core.access.roles import Role

from ..factories import department, staff_user

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def drafter(demo_org) -> Actor:
    return actor_for(staff_user("reviewer"))  # REVIEWER of the city market bureau


@pytest.fixture
def second_drafter(demo_org) -> Actor:
    return actor_for(staff_user("approver"))


@pytest.fixture
def reform(demo_org) -> Actor:
    return actor_for(staff_user("hallmgr"))


@pytest.fixture
def outsider(demo_org) -> Actor:
    """A reviewer of another department (housing) of the same city."""
    housing = department("示范市住房和城乡建设局")
    return Actor(
        user_id=staff_user("handler").pk,
        roles=frozenset({Role.REVIEWER}),
        department_id=housing.pk,
        department_line=housing.line,
        region_code=housing.region.code,
    )
