"""办事指南 in a real browser: browse → search "开饭店" → guide page → download a sample form."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import assert_accessible, assert_no_horizontal_scroll, screenshot

pytestmark = pytest.mark.browser


def sample_pdf() -> bytes:
    """A small real PDF (the file checks sniff the content, not the name)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("Food business licence application - sample")
    pdf.drawString(72, 770, "Food business licence application form (sample)")
    pdf.drawString(72, 750, "Applicant: Shifan Noodle House")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.fixture
def portal_catalog(transactional_db) -> dict[str, Any]:
    from zhengwu.catalog.models import MaterialRequirement
    from zhengwu.catalog.search_index import catalog_reindex
    from zhengwu.catalog.tests.public.conftest import build_catalog
    from zhengwu.core.files.services import file_store
    from zhengwu.org.demo import seed_demo
    from zhengwu.org.selectors import service_points_for_portal

    seed_demo()
    catalog = build_catalog()
    item = catalog["items"]["食品经营许可"]
    name = "食品经营许可申请书（样表）.pdf"
    upload = SimpleUploadedFile(name, sample_pdf(), content_type="application/pdf")
    stored = file_store(actor=None, upload=upload, purpose="catalog_sample")
    MaterialRequirement.objects.create(
        version=item.current_version,
        order=4,
        name="食品经营许可申请书",
        originals=1,
        is_form=True,
        sample_file_id=stored.pk,
        notes="用黑色签字笔填写",
    )
    # Service points go through the version's ids (published versions are immutable through save()).
    points = [p["id"] for p in service_points_for_portal()[:2]]
    type(item.current_version).objects.filter(pk=item.current_version_id).update(service_point_ids=points)
    catalog_reindex()
    return {"item": item, "sample_id": stored.pk}


def test_browse_search_guide_and_download(open_page, portal_catalog, tmp_path: Path):
    page = open_page(1280)
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="办事指南").click()
    page.wait_for_url("**/services/")
    assert page.locator("h1").inner_text() == "办事指南"
    screenshot(page, "catalog-browse-1280")
    assert_accessible(page, "catalog browse 1280")

    page.get_by_role("searchbox", name="搜索办事事项").fill("开饭店")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/services/search/?q=*")
    results = page.locator(".result-list > li")
    assert results.count() >= 2
    assert "食品经营许可" in results.first.inner_text() or "开办餐饮店" in results.first.inner_text()
    assert page.locator(".result-bundle").filter(has_text="开办餐饮店").count() == 1
    screenshot(page, "catalog-search-1280")
    assert_accessible(page, "catalog search 1280")

    page.locator(".result-item h2 a").filter(has_text="食品经营许可").first.click()
    page.wait_for_url("**/services/items/*/")
    assert page.locator("h1").inner_text() == "食品经营许可"
    for heading in ("申请材料", "办理流程", "办理时限", "办理地点和时间", "咨询和投诉"):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator('a[href^="tel:"]').count() >= 2
    screenshot(page, "catalog-guide-1280")
    assert_accessible(page, "catalog guide 1280")

    with page.expect_download() as download_info:
        page.locator(".downloads a").filter(has_text="示例样表").first.click()
    target = tmp_path / "sample.pdf"
    download_info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF"), (
        "the sample did not download as a PDF: public catalogue files (purpose catalog_sample) must be "
        "downloadable without signing in"
    )


def test_guide_and_search_on_a_phone(open_page, portal_catalog):
    page = open_page(360, 780)
    page.goto("/services/search/?q=开饭店")
    assert_no_horizontal_scroll(page, 360)
    screenshot(page, "catalog-search-360")
    page.goto(f"/services/items/{portal_catalog['item'].implementation_code}/")
    assert_no_horizontal_scroll(page, 360)
    screenshot(page, "catalog-guide-360")
    assert_accessible(page, "catalog guide 360")
    page.goto("/services/bundles/kaiban-canyin/")
    assert_no_horizontal_scroll(page, 360)
    screenshot(page, "catalog-bundle-360")
    assert_accessible(page, "catalog bundle 360")


def test_print_view_fits_a4(open_page, portal_catalog):
    page = open_page(1280)
    page.goto(f"/services/items/{portal_catalog['item'].implementation_code}/?print=1")
    # 186 mm of content width (A4 minus margins) is about 703 CSS px.
    width = page.eval_on_selector("main", "e => e.getBoundingClientRect().width")
    assert width <= 710
    page.emulate_media(media="print")
    screenshot(page, "catalog-guide-print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
