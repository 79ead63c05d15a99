import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from zhengwu.core.events import periodic
from zhengwu.core.idempotency.models import IdempotencyRecord
from zhengwu.core.idempotency.services import KeyConflict, Outcome, idempotency_prune, idempotent_call


def call(counter, key="k1", fingerprint="f1", status=201):
    def run():
        counter.append(1)
        return Outcome(status_code=status, body={"n": len(counter)})

    return idempotent_call(user_id=7, key=key, scope="POST /x", fingerprint=fingerprint, run=run)


@pytest.mark.django_db
def test_a_retry_replays_the_first_answer_and_acts_once():
    counter: list[int] = []
    first = call(counter)
    second = call(counter)
    assert counter == [1]
    assert (second.status_code, second.body, second.replayed) == (201, {"n": 1}, True)
    assert not first.replayed


@pytest.mark.django_db
def test_same_key_with_a_different_body_is_refused():
    call([])
    with pytest.raises(KeyConflict) as info:
        call([], fingerprint="other")
    assert info.value.status_code == 422


@pytest.mark.django_db
def test_a_failed_request_releases_its_key():
    def boom():
        raise RuntimeError("gateway down")

    with pytest.raises(RuntimeError):
        idempotent_call(user_id=7, key="k2", scope="POST /x", fingerprint="f", run=boom)
    counter: list[int] = []
    assert not call(counter, key="k2", fingerprint="f").replayed
    assert counter == [1]


@pytest.mark.django_db
def test_server_errors_are_not_remembered():
    call([], key="k3", status=503)
    assert not IdempotencyRecord.objects.filter(key="k3").exists()


@pytest.mark.django_db
def test_bad_keys_are_refused():
    with pytest.raises(KeyConflict) as info:
        call([], key="x" * 129)
    assert info.value.status_code == 400


@pytest.mark.django_db
def test_old_keys_are_pruned_by_the_periodic_job():
    call([], key="old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    call([], key="new")
    assert idempotency_prune() == 1
    names = [job.name for job in periodic.registered_jobs()]
    assert "zhengwu.core.idempotency.events.prune_idempotency_keys" in names


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_act_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers")
    counter: list[int] = []
    barrier = threading.Barrier(4)
    results: list[object] = []

    def worker():
        barrier.wait()
        try:
            results.append(call(counter, key="race"))
        except KeyConflict as conflict:
            results.append(conflict.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert counter == [1]
    assert len(results) == 4


@pytest.mark.django_db
def test_the_api_replays_a_retried_create(client, django_user_model):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    admin = django_user_model.objects.get(username="admin")
    client.force_login(admin)
    body = {"code": "449902001003", "name": "新街道", "parent_code": "449902001000"}
    headers = {"HTTP_IDEMPOTENCY_KEY": "create-region-1"}
    first = client.post("/api/v1/org/regions/", body, content_type="application/json", **headers)
    second = client.post("/api/v1/org/regions/", body, content_type="application/json", **headers)
    assert first.status_code == 201, first.content
    assert second.status_code == 201 and second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    changed = client.post(
        "/api/v1/org/regions/", {**body, "name": "别的"}, content_type="application/json", **headers
    )
    assert changed.status_code == 422
