"""An applicant never sees another applicant's case or file — through ANY endpoint.

Every route of the case API is listed here (a new route without an entry fails
`test_every_route_is_covered`). Another applicant (and a company agent) gets a 404 on each, exactly
like a missing case, and the victim's case is left unchanged; applicants get 404 on every staff
route; the stored files behind the case answer 404 at /files/<uuid>/ too.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern

from zhengwu.cases.models import Case, CaseDocument, CaseFile

from .conftest import API, client_for, new_submitted_case

pytestmark = pytest.mark.django_db

# (route name, method, path template, body). Placeholders: {case} {material} {file} {document}
# {bundle} {step} {extension} of the victim's case.
APPLICANT_ROUTES = [
    ("mine-detail", "get", "mine/{case}/", None),
    ("mine-form", "put", "mine/{case}/form/", {"form_data": {"applicant_name": "x"}}),
    ("mine-upload", "post", "mine/{case}/materials/{material}/files/", "file"),
    ("mine-file", "get", "mine/{case}/files/{file}/", None),
    ("mine-file", "delete", "mine/{case}/files/{file}/", None),
    ("mine-document", "get", "mine/{case}/documents/{document}/", None),
    ("mine-submit", "post", "mine/{case}/submit/", None),
    ("mine-supplement", "post", "mine/{case}/supplement/", None),
    ("mine-withdraw", "post", "mine/{case}/withdraw/", {"reason": "x"}),
    ("mine-bundle", "get", "mine/bundles/{bundle}/", None),
    ("mine-bundle-submit", "post", "mine/bundles/{bundle}/submit/", None),
]
STAFF_ROUTES = [
    ("staff-queue", "get", "staff/queue/", None),
    ("staff-tasks", "get", "staff/tasks/", None),
    ("staff-extensions", "get", "staff/extensions/", None),
    ("staff-extension-decide", "post", "staff/extensions/{extension}/decide/", {"approve": True}),
    ("staff-draft-create", "post", "staff/drafts/", {"item_id": 1}),
    ("staff-cases", "get", "staff/cases/", None),
    ("staff-case", "get", "staff/cases/{case}/", None),
    ("staff-upload", "post", "staff/cases/{case}/materials/{material}/files/", "file"),
    ("staff-submit", "post", "staff/cases/{case}/submit/", None),
    ("staff-supplement", "post", "staff/cases/{case}/supplement/", None),
    ("staff-accept", "post", "staff/cases/{case}/accept/", {}),
    ("staff-reject", "post", "staff/cases/{case}/reject/", {"reasons": ["x"], "legal_basis": "x"}),
    (
        "staff-supplement-request",
        "post",
        "staff/cases/{case}/supplement-request/",
        {"items": [{"material_id": 1, "reason": "x"}]},
    ),
    (
        "staff-accept-deficiency",
        "post",
        "staff/cases/{case}/accept-with-deficiency/",
        {"deferred": [{"material_id": 1, "supply_by": "2026-03-05"}], "commitment_signed": True},
    ),
    (
        "staff-suspend",
        "post",
        "staff/cases/{case}/suspend/",
        {"kind": "testing", "reason": "x", "expected_workdays": 3},
    ),
    ("staff-resume", "post", "staff/cases/{case}/resume/", {}),
    ("staff-extension", "post", "staff/cases/{case}/extension/", {"reason": "x"}),
    ("staff-decide", "post", "staff/cases/{case}/decide/", {"decision": "grant"}),
    ("staff-complete", "post", "staff/cases/{case}/complete/", {}),
    ("staff-terminate", "post", "staff/cases/{case}/terminate/", {"reason": "other"}),
    ("staff-deliver", "post", "staff/cases/{case}/deliver/", {"method": "electronic"}),
    ("staff-step-complete", "post", "staff/steps/{step}/complete/", {"opinion": "agree", "comment": "x"}),
    ("staff-step-claim", "post", "staff/steps/{step}/claim/", None),
    ("staff-step-return", "post", "staff/steps/{step}/return/", {"comment": "x"}),
    ("staff-step-transfer", "post", "staff/steps/{step}/transfer/", {"to_user_id": 1}),
    ("staff-bundle", "get", "staff/bundles/{bundle}/", None),
    ("staff-bundle-deliver", "post", "staff/bundles/{bundle}/deliver/", {"method": "electronic"}),
]
# Routes whose answer is not about one case: creating one's own, listing one's own, the public query.
OWN_OR_PUBLIC = {"draft-create", "bundle-draft-create", "mine", "progress"}


def test_every_route_is_covered() -> None:
    from zhengwu.cases.api import urls

    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    covered = {r[0] for r in APPLICANT_ROUTES} | {r[0] for r in STAFF_ROUTES} | OWN_OR_PUBLIC
    assert names == covered


@pytest.fixture
def victim(applicant: Any, clerk: Any, item: Any) -> dict[str, Any]:
    """林示范's accepted case (with an acceptance notice and material files) and a bundle draft."""
    from zhengwu.cases.models import BundleCase, CaseStep, Extension
    from zhengwu.cases.tests.factories import make_case

    body = new_submitted_case(applicant, item)
    case_id = body["case"]["id"]
    assert clerk.post(f"{API}staff/cases/{case_id}/accept/", {}, format="json").status_code == 200
    case = Case.objects.get(pk=case_id)
    step = CaseStep.objects.filter(case=case).order_by("order").first()
    extension = Extension.objects.create(case=case, reason="x", requested_by_id=case.applicant_user_id)
    other = make_case(status="draft", item=item)  # the bundle holder below needs any case
    bundle = BundleCase.objects.create(
        applicant_kind=case.applicant_kind,
        applicant_name=case.applicant_name,
        applicant_id_number=case.applicant_id_number,
        applicant_user_id=case.applicant_user_id,
        query_code="ABCDEF",
        bundle_id=_any_bundle_id(),
        region_code=case.region_code,
        lead_department_id=case.department_id,
        channel="online",
    )
    other.bundle_case = bundle
    other.save(update_fields=["bundle_case"])
    return {
        "case": case_id,
        "material": body["materials"][0]["id"],
        "file": CaseFile.objects.filter(material__case_id=case_id).values_list("pk", flat=True).first(),
        "document": CaseDocument.objects.filter(case_id=case_id).values_list("pk", flat=True).first(),
        "bundle": bundle.pk,
        "step": step.pk if step else 0,
        "extension": extension.pk,
        "revision": case.revision,
    }


def _any_bundle_id() -> int:
    from zhengwu.catalog.models import Bundle

    bundle = Bundle.objects.first()
    if bundle is None:
        from zhengwu.catalog.tests.factories import department

        dept = department()
        bundle = Bundle.objects.create(
            code="test-bundle", name="测试一件事", region=dept.region, lead_department=dept, is_published=True
        )
    return bundle.pk


def call(client: Any, method: str, template: str, body: Any, ids: dict[str, Any]) -> Any:
    from zhengwu.cases.tests.factories import pdf_upload

    url = API + template.format(**ids)
    if body == "file":
        return client.post(url, {"file": pdf_upload()}, format="multipart")
    if method == "get":
        return client.get(url)
    if method == "delete":
        return client.delete(url)
    return getattr(client, method)(url, body or {}, format="json")


@pytest.mark.parametrize("intruder", ["13800000003", "13800000002"])
@pytest.mark.parametrize(("name", "method", "template", "body"), APPLICANT_ROUTES, ids=lambda v: str(v))
def test_another_applicant_gets_404(
    victim: dict[str, Any], intruder: str, name: str, method: str, template: str, body: Any
) -> None:
    response = call(client_for(intruder), method, template, body, victim)
    assert response.status_code == 404, (name, method, response.status_code)
    case = Case.objects.get(pk=victim["case"])
    assert case.revision == victim["revision"]
    assert case.status == "accepted"


@pytest.mark.parametrize(("name", "method", "template", "body"), STAFF_ROUTES, ids=lambda v: str(v))
def test_applicants_get_404_on_staff_routes(
    victim: dict[str, Any], applicant: Any, name: str, method: str, template: str, body: Any
) -> None:
    response = call(applicant, method, template, body, victim)
    assert response.status_code == 404, (name, method, response.status_code)
    assert Case.objects.get(pk=victim["case"]).revision == victim["revision"]


def test_lists_show_only_own_cases(victim: dict[str, Any], stranger: Any, agent: Any, applicant: Any) -> None:
    assert stranger.get(f"{API}mine/").json()["count"] == 0
    assert agent.get(f"{API}mine/").json()["count"] == 0
    assert applicant.get(f"{API}mine/").json()["count"] == 1


def test_stored_files_are_404_for_another_applicant(
    victim: dict[str, Any], stranger: Any, applicant: Any
) -> None:
    file_id = CaseFile.objects.get(pk=victim["file"]).file_id
    document_id = CaseDocument.objects.get(pk=victim["document"]).file_id
    for stored in (file_id, document_id):
        assert stranger.get(f"/files/{stored}/").status_code == 404
        assert applicant.get(f"/files/{stored}/").status_code == 200
    detail = applicant.get(f"{API}mine/{victim['case']}/").json()
    urls = [f["download_url"] for m in detail["materials"] for f in m["files"]] + [
        d["download_url"] for d in detail["documents"]
    ]
    assert urls
    for url in urls:
        assert stranger.get(url).status_code == 404


def test_staff_outside_their_scope_get_404(victim: dict[str, Any]) -> None:
    """The East district's clerk does not see a city department's case."""
    outsider = client_for("dc_clerk")
    assert outsider.get(f"{API}staff/cases/{victim['case']}/").status_code == 404
    assert outsider.post(f"{API}staff/cases/{victim['case']}/accept/", {}, format="json").status_code == 404
    housing = client_for("handler")  # a member unit's handler of the housing bureau: no case role
    assert housing.get(f"{API}staff/cases/{victim['case']}/").status_code == 404


def test_anonymous_gets_403_and_no_data(victim: dict[str, Any], client: Any) -> None:
    response = client.get(f"{API}mine/{victim['case']}/")
    assert response.status_code == 403
    assert "case" not in response.json()
