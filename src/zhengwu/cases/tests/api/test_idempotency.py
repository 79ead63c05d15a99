"""Idempotency-Key on every create, and a submit retried ten times in parallel (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from zhengwu.cases.models import Case, CaseStatus, TimelineEntry
from zhengwu.core.events.models import Event

from .conftest import API, client_for, upload

pytestmark = pytest.mark.django_db


def draft(client: Any, item: Any, **headers: Any) -> Any:
    return client.post(
        f"{API}drafts/",
        {"item_id": item.pk, "form_data": {"applicant_name": "林示范"}},
        format="json",
        **headers,
    )


def test_same_key_twice_gives_the_same_draft(applicant: Any, item: Any) -> None:
    first = draft(applicant, item, HTTP_IDEMPOTENCY_KEY="draft-1")
    second = draft(applicant, item, HTTP_IDEMPOTENCY_KEY="draft-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["case"]["id"] == second.json()["case"]["id"]
    assert second["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    third = draft(applicant, item, HTTP_IDEMPOTENCY_KEY="draft-2")
    assert third.json()["case"]["id"] != first.json()["case"]["id"]


def test_same_key_with_another_body_is_422(applicant: Any, item: Any) -> None:
    assert draft(applicant, item, HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    other = applicant.post(f"{API}drafts/", {"item_id": item.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert other.status_code == 422


def test_same_key_twice_on_submit_gives_the_same_case(applicant: Any, item: Any) -> None:
    body = draft(applicant, item).json()
    case_id = body["case"]["id"]
    for material in body["materials"]:
        assert (
            upload(
                applicant, case_id, material["id"], HTTP_IDEMPOTENCY_KEY=f"up-{material['id']}"
            ).status_code
            == 201
        )
    first = applicant.post(f"{API}mine/{case_id}/submit/", HTTP_IDEMPOTENCY_KEY="submit-1")
    second = applicant.post(f"{API}mine/{case_id}/submit/", HTTP_IDEMPOTENCY_KEY="submit-1")
    assert first.status_code == second.status_code == 200
    assert first.json()["number"] == second.json()["number"] != ""
    assert first.json()["query_code"] == second.json()["query_code"]
    assert second["Idempotent-Replayed"] == "true"
    # Even without the key a second submit creates nothing new (the service returns the case).
    third = applicant.post(f"{API}mine/{case_id}/submit/")
    assert third.json()["number"] == first.json()["number"]
    assert Case.objects.filter(status=CaseStatus.SUBMITTED).count() == 1
    assert TimelineEntry.objects.filter(case_id=case_id, action="case_received").count() == 1


def test_upload_retried_with_its_key_stores_one_file(applicant: Any, item: Any) -> None:
    body = draft(applicant, item).json()
    case_id, material = body["case"]["id"], body["materials"][0]["id"]
    first = upload(applicant, case_id, material, HTTP_IDEMPOTENCY_KEY="up")
    second = upload(applicant, case_id, material, HTTP_IDEMPOTENCY_KEY="up")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    detail = applicant.get(f"{API}mine/{case_id}/").json()
    assert len(detail["materials"][0]["files"]) == 1


def test_staff_create_replays_too(applicant: Any, clerk: Any, item: Any) -> None:
    from .conftest import new_submitted_case

    case_id = new_submitted_case(applicant, item)["case"]["id"]
    material = applicant.get(f"{API}mine/{case_id}/").json()["materials"][1]["id"]
    payload = {"items": [{"material_id": material, "reason": "复印件不清晰"}]}
    url = f"{API}staff/cases/{case_id}/supplement-request/"
    first = clerk.post(url, payload, format="json", HTTP_IDEMPOTENCY_KEY="sr-1")
    second = clerk.post(url, payload, format="json", HTTP_IDEMPOTENCY_KEY="sr-1")
    assert first.status_code == second.status_code == 201
    assert len(second.json()["supplements"]) == 1


# --- real threads on PostgreSQL ---------------------------------------------------------------

needs_pg = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer on one database lock: parallel submits prove nothing there",
)


def _ready_draft(item: Any) -> int:
    client = client_for("13800000001")
    body = draft(client, item).json()
    for material in body["materials"]:
        assert upload(client, body["case"]["id"], material["id"]).status_code == 201
    return int(body["case"]["id"])


def _parallel(n: int, work: Any) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_submits_create_one_case(demo_org: Any, item: Any) -> None:
    case_id = _ready_draft(item)
    clients = [client_for("13800000001") for _ in range(10)]

    def submit(i: int) -> tuple[int, str]:
        response = clients[i].post(f"{API}mine/{case_id}/submit/")
        return response.status_code, response.json()["number"]

    results = _parallel(10, submit)
    assert all(not isinstance(r, Exception) for r in results), results
    assert {code for code, _n in results} == {200}
    assert len({number for _c, number in results}) == 1
    assert TimelineEntry.objects.filter(case_id=case_id, action="case_received").count() == 1
    assert Event.objects.filter(type="cases.case_received", aggregate_id=str(case_id)).count() == 1


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_retries_with_one_key_create_one_case(demo_org: Any, item: Any) -> None:
    """The same request (same Idempotency-Key) retried ten times at once: one draft, one submission."""
    clients = [client_for("13800000001") for _ in range(10)]

    def create(i: int) -> tuple[int, Any]:
        response = draft(clients[i], item, HTTP_IDEMPOTENCY_KEY="double-click")
        return response.status_code, response.json()

    results = _parallel(10, create)
    assert all(not isinstance(r, Exception) for r in results), results
    created = [body["case"]["id"] for code, body in results if code == 201]
    assert len(set(created)) == 1
    # A retry that arrives while the first is still running is told so (409), never a second case.
    assert {code for code, _b in results} <= {201, 409}
    assert Case.objects.count() == 1

    case_id = created[0]
    for material in Case.objects.get(pk=case_id).materials.all():
        assert upload(clients[0], case_id, material.pk).status_code == 201

    def submit(i: int) -> tuple[int, Any]:
        response = clients[i].post(f"{API}mine/{case_id}/submit/", HTTP_IDEMPOTENCY_KEY="submit-once")
        return response.status_code, response.json()

    results = _parallel(10, submit)
    assert all(not isinstance(r, Exception) for r in results), results
    assert {code for code, _b in results} <= {200, 409}
    numbers = {body["number"] for code, body in results if code == 200}
    assert len(numbers) == 1
    assert TimelineEntry.objects.filter(case_id=case_id, action="case_received").count() == 1
