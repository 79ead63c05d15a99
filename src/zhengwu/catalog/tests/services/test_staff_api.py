"""Staff draft API: happy path, 400s, scope 404s and idempotent creates."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rest_framework.test import APIClient

from zhengwu.catalog.models import ItemVersion
from zhengwu.catalog.models.choices import VersionStatus
from zhengwu.core.access.roles import Role

from ..factories import department, implementation_code, make_item, staff_user

BASE = "/api/v1/catalog/staff/"
PASS = {k: {"verdict": "pass"} for k in ("standard", "legal", "reasonable")}


def client_for(username: str) -> APIClient:
    client = APIClient()
    client.force_login(staff_user(username))
    return client


@pytest.mark.django_db
def test_change_draft_happy_path(demo_org):
    item = make_item()
    api = client_for("reviewer")
    r = api.post(f"{BASE}drafts/", {"item_id": item.pk, "reason": "压缩时限"}, format="json")
    assert r.status_code == 201, r.json()
    draft = r.json()
    assert draft["number"] == 2 and draft["editable"] and len(draft["materials"]) == 2
    url = f"{BASE}drafts/{draft['id']}/"
    r = api.patch(url, {"promised_limit": 6, "visits": 1}, format="json")
    assert r.status_code == 200 and r.json()["promised_limit"] == 6
    r = api.get(f"{url}check/")
    assert r.status_code == 200
    assert not r.json()["can_submit"]
    assert "visits_without_reason" in {f["code"] for f in r.json()["findings"]}
    r = api.post(f"{url}submit/")
    assert r.status_code == 400 and "visits_reason" in r.json()["errors"]
    api.patch(url, {"visits_reason": "须现场核验经营场所"}, format="json")
    r = api.put(f"{url}materials/", {"materials": [{"name": "营业执照", "originals": 1}]}, format="json")
    assert r.status_code == 200 and [m["name"] for m in r.json()["materials"]] == ["营业执照"]
    r = api.put(
        f"{url}steps/",
        {
            "steps": [
                {"name": n, "stage": s, "role": "reviewer", "limit": 1}
                for n, s in (
                    ("受理", "accept"),
                    ("审查", "review"),
                    ("决定", "decide"),
                    ("办结", "complete"),
                    ("送达", "deliver"),
                )
            ]
        },
        format="json",
    )
    assert r.status_code == 200
    r = api.put(f"{url}form-fields/", {"form_fields": [{"key": "shop", "label": "店名"}]}, format="json")
    assert r.status_code == 200
    assert api.post(f"{url}submit/").json()["status"] == "submitted"
    r = client_for("hallmgr").post(f"{url}review/", {"decisions": PASS, "announce_days": 3}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "announced"
    r = api.get(f"{BASE}versions/diff/", {"old": item.current_version_id, "new": draft["id"]})
    assert r.status_code == 200
    assert {c["field"] for c in r.json()["changes"]} >= {
        "promised_limit",
        "visits",
        "materials.经营场所使用证明",
    }
    listed = api.get(f"{BASE}drafts/").json()["results"]
    assert [v["id"] for v in listed] == [draft["id"]]


@pytest.mark.django_db
def test_new_item_draft_and_idempotent_replay(demo_org):
    dept = department()
    body = {
        "department_id": dept.pk,
        "item_type": "licensing",
        "name": "户外广告设施设置",
        "basic_code": "000120001000",
        "implementation_code": implementation_code(dept, "000120001000", "2"),
        "themes": ["advertising"],
    }
    api = client_for("reviewer")
    first = api.post(f"{BASE}drafts/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(f"{BASE}drafts/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert ItemVersion.objects.count() == 1
    dup = api.post(f"{BASE}drafts/", body, format="json")
    assert dup.status_code == 400 and "implementation_code" in dup.json()["errors"]


@pytest.mark.django_db
def test_bad_requests_are_400(demo_org):
    item = make_item()
    api = client_for("reviewer")
    r = api.post(f"{BASE}drafts/", {"name": "缺字段"}, format="json")
    assert r.status_code == 400 and {"department_id", "basic_code"} <= set(r.json()["errors"])
    r = api.patch(f"{BASE}drafts/{item.current_version_id}/", {"promised_limit": 1}, format="json")
    assert r.status_code == 400 and "已发布的版本不可修改，请新建变更草稿" in str(r.json())
    draft = api.post(f"{BASE}drafts/", {"item_id": item.pk, "reason": "x"}, format="json").json()
    url = f"{BASE}drafts/{draft['id']}/"
    assert api.patch(url, {"fees": [{"name": "费", "amount": "-1"}]}, format="json").status_code == 400
    assert api.patch(url, {"nonsense": 1}, format="json").status_code == 400
    assert api.put(f"{url}materials/", {"materials": "nope"}, format="json").status_code == 400
    r = client_for("hallmgr").post(
        f"{url}review/", {"decisions": {"standard": {"verdict": "maybe"}}}, format="json"
    )
    assert r.status_code == 400
    assert api.get(f"{BASE}versions/diff/", {"old": "x"}).status_code == 400
    assert api.get(f"{BASE}drafts/", {"status": "weird"}).status_code == 400
    assert ItemVersion.objects.get(pk=draft["id"]).status == VersionStatus.DRAFT


ORIGINAL_RESOLVER = "zhengwu.org.selectors.actor_for_user"


def housing_reviewer(user):
    """The demo's housing handler, promoted to reviewer of the housing bureau for this test."""
    from django.utils.module_loading import import_string

    actor = import_string(ORIGINAL_RESOLVER)(user)
    if user.username != "handler":
        return actor
    return replace(actor, roles=frozenset({Role.REVIEWER}))


@pytest.mark.django_db
def test_scope_and_roles(demo_org, settings):
    assert settings.ACTOR_RESOLVER == ORIGINAL_RESOLVER
    settings.ACTOR_RESOLVER = f"{__name__}.housing_reviewer"
    item = make_item()
    draft = (
        client_for("reviewer")
        .post(f"{BASE}drafts/", {"item_id": item.pk, "reason": "x"}, format="json")
        .json()
    )
    # the window clerk has no drafting role: the endpoint does not exist for them
    assert client_for("clerk").get(f"{BASE}drafts/").status_code == 404
    # the housing bureau's staff cannot see the market bureau's draft
    housing = client_for("handler")
    assert housing.get(f"{BASE}drafts/").json()["results"] == []
    assert housing.get(f"{BASE}drafts/{draft['id']}/").status_code == 404
    assert housing.patch(f"{BASE}drafts/{draft['id']}/", {"visits": 1}, format="json").status_code == 404
    body = {"item_id": item.pk, "reason": "x"}
    assert housing.post(f"{BASE}drafts/", body, format="json").status_code == 404
    assert APIClient().get(f"{BASE}drafts/").status_code in (401, 403)
