from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.test import Client

from zhengwu.core.events import services

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def _emit(event_type: str):
    return services.emit(event_type, {"n": 1}, aggregate_type="test.thing", aggregate_id=1)


@pytest.mark.django_db
class TestHealthz:
    def test_no_worker(self, client: Client):
        response = client.get("/healthz")
        assert response.status_code == 200
        body = response.json()
        assert body["database"] == "ok"
        assert body["worker"] == {"status": "missing", "last_heartbeat": None}
        assert body["events"] == {"pending": 0, "failed": 0, "undispatched": 0}

    def test_recent_and_stale_heartbeat(self, client: Client, settings):
        settings.EVENTS_WORKER_STALE_SECONDS = 60
        with time_machine.travel(T0, tick=False) as clock:
            services.worker_heartbeat(worker_id="w1", hostname="h", pid=1)
            clock.shift(dt.timedelta(seconds=30))
            body = client.get("/healthz").json()
            assert body["worker"] == {"status": "ok", "last_heartbeat": T0.isoformat()}
            clock.shift(dt.timedelta(seconds=60))
            response = client.get("/healthz")
        assert response.status_code == 200  # a stale worker is reported, the site still serves
        assert response.json()["worker"]["status"] == "stale"

    def test_counts_pending_and_failed(
        self, client: Client, recorder, settings, django_capture_on_commit_callbacks
    ):
        settings.EVENTS_MAX_ATTEMPTS = 1
        recorder.fail_with = RuntimeError("down")
        with django_capture_on_commit_callbacks(execute=True):
            _emit("test.thing_happened")
        with django_capture_on_commit_callbacks(execute=False):
            _emit("test.thing_happened")
        assert client.get("/healthz").json()["events"] == {"pending": 0, "failed": 1, "undispatched": 1}

    def test_database_down_is_503(self, client: Client):
        from django.db import OperationalError

        with mock.patch("zhengwu.core.events.views.connection.cursor", side_effect=OperationalError("gone")):
            response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["database"] == "down"
