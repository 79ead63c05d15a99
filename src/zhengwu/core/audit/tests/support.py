"""Test users with chosen Actors, without depending on the org app (the kernel may not import it)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role

ACTORS: dict[int, Actor] = {}
_seq = itertools.count(1)


def resolve(user) -> Actor:
    return ACTORS.get(user.pk, Actor(user_id=user.pk, display_name=user.get_username()))


@pytest.fixture
def make_user(db, settings) -> Callable[..., tuple[object, Actor]]:
    settings.ACTOR_RESOLVER = "zhengwu.core.audit.tests.support.resolve"
    settings.LOGIN_URL = "/accounts/login/"
    created: list[int] = []

    def make(*roles: Role, region_code: str = "", name: str = "", department_id: int | None = None):
        n = next(_seq)
        user = get_user_model().objects.create(username=f"user{n}")
        actor = Actor(
            user_id=user.pk,
            roles=frozenset(roles),
            region_code=region_code,
            department_id=department_id,
            display_name=name or f"用户{n}",
        )
        ACTORS[user.pk] = actor
        created.append(user.pk)
        return user, actor

    yield make
    for pk in created:
        ACTORS.pop(pk, None)


@pytest.fixture(autouse=True)
def _plain_static(settings):
    # Pages render {% static %}; tests do not run collectstatic, so skip the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
