from __future__ import annotations

import uuid

import pytest
from django.core.files.storage import default_storage

from zhengwu.core.access.roles import Role
from zhengwu.core.audit.models import AuditEntry
from zhengwu.core.files.access import register_access_rule, unregister_access_rule
from zhengwu.core.files.services import file_store

from .samples import pdf_bytes, upload

CONTENT = pdf_bytes("download")


@pytest.fixture
def owner(make_user):
    return make_user(Role.APPLICANT, name="王五")


@pytest.fixture
def stored(owner):
    _user, actor = owner
    return file_store(actor=actor, upload=upload("申请表 v2.pdf", CONTENT), purpose="material")


def _url(stored):
    return f"/files/{stored.pk}/"


def test_owner_downloads_with_safe_headers_and_the_read_is_audited(client, owner, stored):
    client.force_login(owner[0])
    response = client.get(_url(stored))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    read = AuditEntry.objects.get(action="files.read")
    assert (read.obj_id, read.actor_user_id, read.channel) == (str(stored.pk), owner[0].pk, "web")


def test_other_user_gets_404_and_nothing_is_audited(client, make_user, stored):
    other, _ = make_user(Role.APPLICANT)
    client.force_login(other)
    assert client.get(_url(stored)).status_code == 404
    assert not AuditEntry.objects.filter(action="files.read").exists()


def test_staff_without_a_rule_gets_404(client, make_user, stored):
    clerk, _ = make_user(Role.WINDOW_CLERK, Role.SUPERVISOR, region_code="440600000000")
    client.force_login(clerk)
    assert client.get(_url(stored)).status_code == 404


def test_anonymous_is_sent_to_login(client, stored):
    response = client.get(_url(stored))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_sysadmin_may_read(client, make_user, stored):
    admin, _ = make_user(Role.SYSADMIN)
    client.force_login(admin)
    assert client.get(_url(stored)).status_code == 200


def test_unknown_id_is_404(client, owner, stored):
    client.force_login(owner[0])
    assert client.get(f"/files/{uuid.uuid4()}/").status_code == 404
    assert client.get("/files/not-a-uuid/").status_code == 404


def test_a_registered_rule_widens_access_for_its_purpose_only(client, make_user, stored, owner):
    reviewer, _ = make_user(Role.REVIEWER)

    def reviewers(actor, stored_file):
        return actor.has_role(Role.REVIEWER)

    register_access_rule("material", reviewers)
    try:
        client.force_login(reviewer)
        assert client.get(_url(stored)).status_code == 200
        other = file_store(actor=owner[1], upload=upload("b.pdf", CONTENT), purpose="attachment")
        assert client.get(_url(other)).status_code == 404
    finally:
        unregister_access_rule("material", reviewers)


def test_file_lost_from_storage_is_404_not_500(client, owner, stored):
    default_storage.delete(stored.storage_name)
    client.force_login(owner[0])
    assert client.get(_url(stored)).status_code == 404


def test_post_is_not_allowed(client, owner, stored):
    client.force_login(owner[0])
    assert client.post(_url(stored)).status_code == 405
