"""Who may open the catalogue's staff pages: login first, 404 for the wrong people, CSRF on posts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhengwu.catalog.models.choices import VersionStatus

from ..factories import make_item
from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(demo_org, item):
    for url in (
        reverse("catalog_staff:items"),
        reverse("catalog_staff:item", args=[item.pk]),
        reverse("catalog_staff:review_queue"),
        reverse("catalog_staff:report"),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"] and "next=" in response["Location"]


def test_applicant_gets_404(applicant_client, item):
    assert applicant_client.get(reverse("catalog_staff:items")).status_code == 404
    assert applicant_client.get(reverse("catalog_staff:item", args=[item.pk])).status_code == 404
    assert (
        applicant_client.get(reverse("catalog_staff:draft", args=[item.current_version_id])).status_code
        == 404
    )


def test_other_department_gets_404_on_an_item_outside_its_scope(outsider_client, item):
    # The list opens (its own department's items), but the market bureau's item is not there.
    listing = outsider_client.get(reverse("catalog_staff:items"))
    assert listing.status_code == 200
    assert item.name not in listing.content.decode()
    assert outsider_client.get(reverse("catalog_staff:item", args=[item.pk])).status_code == 404
    assert (
        outsider_client.get(reverse("catalog_staff:draft", args=[item.current_version_id])).status_code == 404
    )
    response = outsider_client.post(
        reverse("catalog_staff:item_change", args=[item.pk]), {"adjust-kind": "adjust", "adjust-reason": "x"}
    )
    assert response.status_code == 404
    assert item.versions.count() == 1


def test_department_staff_cannot_open_the_review_queue(drafter_client, item):
    assert drafter_client.get(reverse("catalog_staff:review_queue")).status_code == 404


def test_reform_office_cannot_draft(reform_client, item):
    response = reform_client.post(
        reverse("catalog_staff:item_change", args=[item.pk]), {"adjust-kind": "adjust", "adjust-reason": "x"}
    )
    assert response.status_code == 404
    assert item.versions.count() == 1


def test_a_window_clerk_of_the_same_department_gets_404(demo_org, item):
    assert client_for("clerk").get(reverse("catalog_staff:items")).status_code == 404


def test_posts_need_the_csrf_token(demo_org, item):
    from ..factories import staff_user

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user("reviewer"))
    response = client.post(
        reverse("catalog_staff:item_change", args=[item.pk]),
        {"adjust-kind": "adjust", "adjust-reason": "更新"},
    )
    assert response.status_code == 403
    assert item.versions.count() == 1
    # The same post with the token from the page goes through.
    page = client.get(reverse("catalog_staff:item", args=[item.pk]))
    token = page.context["csrf_token"]
    response = client.post(
        reverse("catalog_staff:item_change", args=[item.pk]),
        {"adjust-kind": "adjust", "adjust-reason": "更新", "csrfmiddlewaretoken": str(token)},
    )
    assert response.status_code == 302
    assert item.versions.filter(status=VersionStatus.DRAFT).count() == 1


def test_workbench_shows_the_catalogue_link_to_drafters_only(demo_org):
    assert "事项管理" in client_for("reviewer").get(reverse("web:workbench")).content.decode()
    assert "事项管理" not in client_for("clerk").get(reverse("web:workbench")).content.decode()
    assert "事项变更审核" in client_for("hallmgr").get(reverse("web:workbench")).content.decode()


def test_line_counterpart_below_is_in_scope(drafter_client, demo_org):
    from ..factories import department

    district = department("示范市东城区市场监督管理局")
    make_item(name="东城区食品经营许可", dept=district, basic_code="000101001001")
    assert "东城区食品经营许可" in drafter_client.get(reverse("catalog_staff:items")).content.decode()
