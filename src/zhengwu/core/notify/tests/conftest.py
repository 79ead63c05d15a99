import pytest

from zhengwu.core.notify.backends import sms_outbox


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms_outbox.clear()
    yield
    sms_outbox.clear()


class FlakySmsBackend:
    """Fails the first `failures` sends, then succeeds."""

    failures = 0
    calls = 0

    def send_sms(self, phone: str, text: str) -> str:
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise ConnectionError("gateway timeout")
        return f"flaky-{type(self).calls}"


@pytest.fixture
def flaky_sms(settings):
    FlakySmsBackend.calls = 0
    FlakySmsBackend.failures = 0
    settings.SMS_BACKEND = "zhengwu.core.notify.tests.conftest.FlakySmsBackend"
    return FlakySmsBackend


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Pages render {% static %}; tests run without collectstatic's manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
