"""The admin: cases are read-only; document texts are validated on save and previewable as PDF."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from zhengwu.cases.documents.defaults import DEFAULTS
from zhengwu.cases.models import Case, DocumentKind, DocumentTemplate

from .conftest import flat, pdf_text


@pytest.fixture
def admin(client: Client, demo_org: Any) -> Client:
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def test_case_changelist_searches_by_number_and_filters(admin: Client, case: Case) -> None:
    url = reverse("admin:cases_case_changelist")
    response = admin.get(url, {"q": case.number})
    assert response.status_code == 200
    assert case.number in response.content.decode()
    assert case.applicant_id_number not in response.content.decode()  # masked
    response = admin.get(url, {"status__exact": "accepted", "department__id__exact": case.department_id})
    assert response.status_code == 200 and case.number in response.content.decode()
    response = admin.get(url, {"q": "no-such-number"})
    assert case.number not in response.content.decode()


def test_a_case_is_read_only_and_cannot_be_deleted(admin: Client, case: Case) -> None:
    from zhengwu.cases.models import TimelineEntry

    TimelineEntry.objects.create(case=case, at=case.accepted_at, action="case_accepted", title="窗口已受理")
    change = reverse("admin:cases_case_change", args=[case.pk])
    response = admin.get(change)
    body = response.content.decode()
    assert response.status_code == 200
    assert "窗口已受理" in body  # the timeline inline
    assert 'name="_save"' not in body
    assert admin.post(change, {"status": "rejected"}).status_code == 403
    assert Case.objects.get(pk=case.pk).status == "accepted"
    assert admin.get(reverse("admin:cases_case_delete", args=[case.pk])).status_code == 403
    assert admin.get(reverse("admin:cases_case_add")).status_code == 403


def _post_template(admin: Client, body: str, kind: str = DocumentKind.ACCEPTANCE) -> Any:
    return admin.post(
        reverse("admin:cases_documenttemplate_add"), {"kind": kind, "title": "受理通知书", "body": body}
    )


def test_a_template_that_does_not_parse_is_refused_on_save(admin: Client) -> None:
    response = _post_template(admin, "{% if %}受理")
    assert response.status_code == 200
    assert "模板语法错误" in response.content.decode()
    response = _post_template(admin, "{% for a, b, c in materials %}{% endfor %}")
    assert "模板渲染失败" in response.content.decode()
    response = _post_template(admin, "   {# 只有注释 #}  ")
    assert "正文渲染后为空" in response.content.decode()
    assert not DocumentTemplate.objects.exists()


def test_a_valid_template_is_saved_previewed_and_restored(admin: Client) -> None:
    response = _post_template(admin, "{{ applicant_name }}：\n\n已受理，编号{{ case_number }}。")
    assert response.status_code == 302
    row = DocumentTemplate.objects.get()
    assert row.updated_by is not None and row.updated_by.username == "admin"

    changelist = admin.get(reverse("admin:cases_documenttemplate_changelist"))
    preview_url = reverse("admin:cases_documenttemplate_preview", args=[row.pk])
    assert preview_url in changelist.content.decode()
    preview = admin.get(preview_url)
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    text = flat(pdf_text(preview.content))
    assert "已受理，编号" in text and "示范市市场监督管理局" in text

    response = admin.post(
        reverse("admin:cases_documenttemplate_changelist"),
        {"action": "restore_defaults", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.body == DEFAULTS[DocumentKind.ACCEPTANCE].body


def test_seed_creates_the_missing_templates(admin: Client) -> None:
    assert admin.get(reverse("admin:cases_documenttemplate_seed")).status_code == 403
    response = admin.post(reverse("admin:cases_documenttemplate_seed"))
    assert response.status_code == 302
    assert DocumentTemplate.objects.count() == len(DocumentKind.values)


def test_the_add_form_starts_from_the_default_text(admin: Client) -> None:
    response = admin.get(reverse("admin:cases_documenttemplate_add"), {"kind": DocumentKind.SUPPLEMENT})
    assert response.status_code == 200
    assert "一次性告知" in response.content.decode()
