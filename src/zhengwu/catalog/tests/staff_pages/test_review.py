"""Draft → submit → review (return, then approve) through the pages; the diff; the checker report."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from zhengwu.catalog.models.choices import VersionStatus

from ..factories import make_item
from .test_drafts import elements, start_change

pytestmark = pytest.mark.django_db


def verdicts(**overrides) -> dict:
    data = {
        "standard_verdict": "pass",
        "legal_verdict": "pass",
        "reasonable_verdict": "pass",
        "standard_comment": "",
        "legal_comment": "",
        "reasonable_comment": "",
        "comment": "",
        "announce_days": "5",
        "action": "approve",
    }
    data.update(overrides)
    return data


def test_draft_submit_return_resubmit_approve(drafter_client, reform_client, item):
    version = start_change(drafter_client, item)
    url = reverse("catalog_staff:draft", args=[version.pk])
    assert drafter_client.post(url, elements(version, promised_limit=5)).status_code == 302
    assert drafter_client.post(reverse("catalog_staff:draft_submit", args=[version.pk])).status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED

    queue = reform_client.get(reverse("catalog_staff:review_queue"))
    assert queue.status_code == 200 and "食品经营许可" in queue.content.decode()
    review_url = reverse("catalog_staff:review", args=[version.pk])
    page = reform_client.get(review_url)
    body = page.content.decode()
    assert "与现行第 1 版相比的变化" in body
    assert "承诺办结时限" in body  # the diff row
    assert page.context["form"]["announce_days"].value() == 5

    # A fail needs a reason; "approve" with a fail is refused; nothing is recorded meanwhile.
    response = reform_client.post(review_url, verdicts(legal_verdict="fail", action="return"))
    assert response.status_code == 400 and "合法性不通过时须写明理由" in response.content.decode()
    response = reform_client.post(review_url, verdicts(legal_verdict="fail", legal_comment="依据已废止"))
    assert response.status_code == 400
    assert not version.reviews.exists()

    response = reform_client.post(
        review_url, verdicts(legal_verdict="fail", legal_comment="设定依据已废止", action="return")
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.RETURNED
    # The drafter sees the reasons on the draft page and can fix and resubmit.
    body = drafter_client.get(url).content.decode()
    assert "审改部门退回意见" in body and "设定依据已废止" in body
    assert (
        drafter_client.post(
            url, elements(version, legal_basis="《食品安全法》第三十五条（2021年修正）")
        ).status_code
        == 302
    )
    assert drafter_client.post(reverse("catalog_staff:draft_submit", args=[version.pk])).status_code == 302

    response = reform_client.post(review_url, verdicts(comment="同意", announce_days="3"))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.ANNOUNCED
    assert version.announce_from == dt.date(2026, 3, 4)
    assert version.announce_until == dt.date(2026, 3, 9)  # three working days after Wed 4 March
    assert version.effective_on == dt.date(2026, 3, 10)
    history = drafter_client.get(reverse("catalog_staff:item", args=[item.pk])).content.decode()
    assert "公示中" in history and "2026-03-10" in history


def test_submit_is_blocked_with_the_list_of_errors(drafter_client, item):
    version = start_change(drafter_client, item)
    url = reverse("catalog_staff:draft", args=[version.pk])
    assert (
        drafter_client.post(url, elements(version, legal_basis="", supervision_phone="")).status_code == 302
    )
    response = drafter_client.post(reverse("catalog_staff:draft_submit", args=[version.pk]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "不能提交" in body
    assert "设定依据：未填写设定依据" in body and "监督投诉电话：未填写监督投诉电话" in body
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_review_of_a_new_item_says_so(drafter_client, reform_client, demo_org):
    item = make_item(name="新设事项", status=VersionStatus.SUBMITTED)
    page = reform_client.get(reverse("catalog_staff:review", args=[item.versions.get().pk]))
    assert page.status_code == 200
    assert "新增事项" in page.content.decode()
    assert page.context["baseline"] is None


def test_diff_between_two_versions(drafter_client, item):
    version = start_change(drafter_client, item)
    drafter_client.post(reverse("catalog_staff:draft", args=[version.pk]), elements(version, visits=1))
    page = drafter_client.get(
        reverse("catalog_staff:diff", args=[item.pk]), {"a": item.current_version_id, "b": version.pk}
    )
    assert page.status_code == 200
    labels = [c.label for c in page.context["changes"]]
    assert "到办事现场次数" in labels
    # A version of another item is not reachable through this item's diff page.
    other = make_item(name="其他事项", basic_code="000909009000")
    bad = drafter_client.get(
        reverse("catalog_staff:diff", args=[item.pk]), {"a": other.current_version_id, "b": version.pk}
    )
    assert bad.status_code == 404


def test_checker_report_and_csv(drafter_client, demo_org):
    make_item(name="合格事项")
    make_item(name="缺依据事项", basic_code="000101002000", legal_basis="", status=VersionStatus.DRAFT)
    body = drafter_client.get(reverse("catalog_staff:report")).content.decode()
    assert "示范市市场监督管理局" in body and "缺依据事项" in body and "合格事项" in body  # it has warnings
    body = drafter_client.get(reverse("catalog_staff:report"), {"severity": "error"}).content.decode()
    assert "缺依据事项" in body and "合格事项" not in body
    response = drafter_client.get(reverse("catalog_staff:report_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "部门"
    assert any(r[1] == "缺依据事项" and r[6] == "no_legal_basis" for r in rows[1:])


def test_checker_report_is_scoped(outsider_client, demo_org):
    make_item(name="缺依据事项", legal_basis="", status=VersionStatus.DRAFT)
    assert "缺依据事项" not in outsider_client.get(reverse("catalog_staff:report")).content.decode()
