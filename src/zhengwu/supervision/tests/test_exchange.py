"""/api/v1/exchange/events/: signatures, scope, per-record errors, idempotency, order."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import pytest
import time_machine

from zhengwu.supervision.demo import DEMO_KEY_ID, DEMO_SECRET, seed_supervision_demo
from zhengwu.supervision.models import CaseEventRecord, ExchangeSystem, SupervisedCase
from zhengwu.supervision.services.exchange import signature

from .factories import CITY_MARKET, DC_MARKET, at, envelope

URL = "/api/v1/exchange/events/"
DONGCHENG = "449902000000"
D = dt.date
NOW = at(D(2025, 10, 9), 15)


@pytest.fixture(autouse=True)
def system(demo_org: None) -> ExchangeSystem:
    seed_supervision_demo()
    system = ExchangeSystem.objects.get(key_id=DEMO_KEY_ID)
    system.check_item_codes = False
    system.save()
    return system


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def dc(event_type: str, case_id: str, day: dt.date, **payload: Any) -> dict[str, Any]:
    return envelope(
        event_type,
        case_id=case_id,
        when=at(day),
        uscc=DC_MARKET,
        region_code=DONGCHENG,
        by_id=False,
        **payload,
    )


def received(case_id: str) -> dict[str, Any]:
    return dc("case_received", case_id, D(2025, 9, 26), received_at=at(D(2025, 9, 26)).isoformat())


def accepted(case_id: str) -> dict[str, Any]:
    return dc(
        "case_accepted",
        case_id,
        D(2025, 9, 29),
        status="accepted",
        mode="normal",
        accepted_on="2025-09-29",
        promised_due="2025-10-13",
        received_at=at(D(2025, 9, 26)).isoformat(),
    )


def post(
    client: Any, events: Any, *, secret: str = DEMO_SECRET, ts: int | None = None, raw: bytes | None = None
):
    body = raw if raw is not None else json.dumps({"events": events}).encode()
    stamp = str(int(time.time()) if ts is None else ts)
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={
            "X-Zhengwu-Key": DEMO_KEY_ID,
            "X-Zhengwu-Timestamp": stamp,
            "X-Zhengwu-Signature": signature(secret, stamp, body),
        },
    )


def test_good_batch_is_accepted_and_supervised(client: Any) -> None:
    response = post(client, [received("e1"), accepted("e1")])
    assert response.status_code == 200, response.content
    assert response.json()["accepted"] == 2
    record = SupervisedCase.objects.get(source="dc-approval", case_id="e1")
    assert record.promised_due == D(2025, 10, 13)
    assert record.light == "green"  # 10/9: 10/10, 10/11, 10/13 left
    assert record.department_line == "market"


def test_replayed_batch_adds_nothing(client: Any) -> None:
    events = [received("r1"), accepted("r1")]
    post(client, events)
    before = (CaseEventRecord.objects.count(), SupervisedCase.objects.count())
    again = post(client, events)
    assert again.status_code == 200
    assert again.json() | {"results": None} == {
        "accepted": 0,
        "duplicates": 2,
        "rejected": 0,
        "results": None,
    }
    assert (CaseEventRecord.objects.count(), SupervisedCase.objects.count()) == before


def test_bad_signature_is_401(client: Any) -> None:
    response = post(client, [received("s1")], secret="wrong")
    assert response.status_code == 401
    assert "签名" in response.json()["error"]
    assert not SupervisedCase.objects.exists()


def test_unknown_key_and_missing_headers_are_401(client: Any) -> None:
    assert client.post(URL, data=b"{}", content_type="application/json").status_code == 401
    body = b'{"events": []}'
    response = client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={"X-Zhengwu-Key": "nobody", "X-Zhengwu-Timestamp": "1", "X-Zhengwu-Signature": "00"},
    )
    assert response.status_code == 401


def test_stale_timestamp_is_refused(client: Any) -> None:
    response = post(client, [received("t1")], ts=int(time.time()) - 301)
    assert response.status_code == 401
    assert "5 分钟" in response.json()["error"]
    assert post(client, [received("t1")], ts=int(time.time()) - 200).status_code == 200


def test_one_malformed_record_among_good_ones(client: Any) -> None:
    bad = received("m1")
    del bad["payload"]["case_id"]
    response = post(client, [received("m0"), bad, accepted("m0")])
    assert response.status_code == 200
    data = response.json()
    assert (data["accepted"], data["rejected"]) == (2, 1)
    row = data["results"][1]
    assert row["index"] == 1 and row["code"] == 400 and "case_id" in row["error"]
    assert SupervisedCase.objects.filter(case_id="m0").get().event_count == 2


def test_out_of_scope_department_is_403_per_record(client: Any) -> None:
    city = envelope(
        "case_received",
        case_id="o1",
        when=at(D(2025, 9, 26)),
        by_id=False,
        received_at=at(D(2025, 9, 26)).isoformat(),
    )
    assert city["payload"]["department_uscc"] == CITY_MARKET
    response = post(client, [city])
    assert response.status_code == 403
    assert response.json()["results"][0]["code"] == 403
    mixed = post(client, [city, received("o2")]).json()
    assert [r["status"] for r in mixed["results"]] == ["rejected", "accepted"]
    assert not SupervisedCase.objects.filter(case_id="o1").exists()


def test_unknown_department_and_item_code_are_400(client: Any, system: ExchangeSystem) -> None:
    unknown = received("u1")
    unknown["payload"]["department_uscc"] = "11449902000000999X"
    assert post(client, [unknown]).json()["results"][0]["code"] == 400
    system.check_item_codes = True
    system.save()
    response = post(client, [received("u2")])
    assert response.status_code == 400
    assert "事项实施编码" in response.json()["results"][0]["error"]


@pytest.mark.parametrize(
    "records",
    [[1], ["x"], [None], [{}], [{"type": "cases.case_received"}], [{"type": "org.region_created", "id": 1}]],
)
def test_garbage_records_are_400_never_500(client: Any, records: list[Any]) -> None:
    response = post(client, records)
    assert response.status_code == 400
    assert response.json()["results"][0]["status"] == "rejected"


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b'{"events": 3}', '{"事件": 1}'.encode()])
def test_malformed_body_is_400(client: Any, raw: bytes) -> None:
    assert post(client, None, raw=raw).status_code == 400


def test_get_is_not_allowed(client: Any) -> None:
    assert client.get(URL).status_code == 405


def test_events_out_of_order_across_batches(client: Any) -> None:
    post(client, [accepted("a1")])
    post(client, [received("a1")])
    post(client, [received("a2"), accepted("a2")])
    first, second = (SupervisedCase.objects.filter(case_id=c).values().get() for c in ("a1", "a2"))
    for key in ("id", "case_id", "case_number", "updated_at"):
        first.pop(key), second.pop(key)
    assert first == second


def test_exchange_is_audited(client: Any) -> None:
    from zhengwu.core.audit.models import AuditEntry

    post(client, [received("au")])
    entry = AuditEntry.objects.get(action="supervision.exchange.receive")
    assert entry.channel == "exchange"


def test_exchange_endpoint_is_in_the_openapi_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/exchange/events/"]["post"]
    assert [p["name"] for p in operation["parameters"]] == [
        "X-Zhengwu-Key",
        "X-Zhengwu-Timestamp",
        "X-Zhengwu-Signature",
    ]
    assert set(operation["responses"]) == {"200", "400", "401", "403", "413"}
    assert operation["security"] == []  # the HMAC is the credential, not the session
