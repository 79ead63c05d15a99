from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from zhengwu.accounts.models import User
from zhengwu.core.notify.backends import sms_outbox

PASSWORD = "Zw-correct-horse-9"
# 2025-03-03 10:00 in Shanghai; a Monday.
T0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _plain_static(settings):
    # Pages are rendered without running collectstatic (the manifest storage would refuse).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Argon2 is deliberately slow; test_argon2_is_the_default checks the real setting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms_outbox.clear()
    yield
    sms_outbox.clear()


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_user(
        username="clerk", password=PASSWORD, kind=User.Kind.STAFF, display_name="王小明"
    )


@pytest.fixture
def applicant(db) -> User:
    return User.objects.create_user(
        username="13800138000",
        password=PASSWORD,
        phone="13800138000",
        phone_verified_at=timezone.now(),
        kind=User.Kind.APPLICANT,
    )


def last_code(phone: str) -> str:
    texts = [m.text for m in sms_outbox if m.phone == phone]
    assert texts, f"no SMS to {phone}"
    match = re.search(r"\d{6}", texts[-1])
    assert match
    return match.group(0)
