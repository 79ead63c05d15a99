"""Project-wide test settings. Apps add their own fixtures in <app>/tests/conftest.py."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still work there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tasks run in-process at enqueue time; the real worker is exercised by its own tests.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SMS_BACKEND = "zhengwu.core.notify.backends.LocmemSmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # No collectstatic in tests: plain static storage instead of the hashed manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    from zhengwu.core.notify.backends import sms_outbox

    sms_outbox.clear()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # A rolled-back test transaction sends no signal, so drop calendar overrides cached by a previous test.
    from zhengwu.core.calendar import invalidate

    invalidate()
    yield
    invalidate()


@pytest.fixture(autouse=True)
def _fresh_catalog_cache():
    # SQLite hands out the ids of rolled-back rows again: a version cached by one test is not the next's.
    from zhengwu.catalog.selectors.for_cases import published_cache_clear

    published_cache_clear()
    yield
    published_cache_clear()
