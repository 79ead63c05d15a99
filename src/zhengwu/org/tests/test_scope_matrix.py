"""Generated matrix: persona × (workbench page, API endpoint, get_scoped_or_404) → allowed or 404.

Expectations come from two small tables (which departments each persona sees; which roles a page
needs), not from the code under test, so a scope rule that drifts fails here.
"""

from __future__ import annotations

import itertools

import pytest
from django.http import Http404
from django.urls import reverse

from zhengwu.core.access.actor import actor_for
from zhengwu.core.access.shortcuts import get_scoped_or_404
from zhengwu.org.models import Department
from zhengwu.org.selectors import DEPARTMENT_SCOPE

pytestmark = pytest.mark.django_db

PERSONAS = ["sup_city", "sup_dc", "city_market", "dc_market", "other_dept", "applicant", "anonymous"]
STAFF = {"sup_city", "sup_dc", "city_market", "dc_market", "other_dept"}
TARGET_DEPARTMENTS = ["city_market", "dc_market", "xc_market"]  # city, own district (东城), other district

# "Two horizontals, two verticals": which of the three market departments each persona may see.
SEES = {
    "sup_city": {"city_market", "dc_market", "xc_market"},  # city supervision watches everything below
    "sup_dc": {"dc_market"},  # district supervision: its own district only
    "city_market": {"city_market", "dc_market", "xc_market"},  # its own line, at every level below
    "dc_market": {"dc_market"},  # its own department (no counterpart below it here)
    "other_dept": set(),  # housing sees nothing of the market line
    "applicant": set(),
    "anonymous": set(),
}
STAFF_LIST = {"sup_city", "sup_dc", "city_market"}  # supervisor / approver; not clerk or reviewer

PAGES = {
    "org:departments": STAFF,
    "org:service_points": STAFF,
    "org:windows": STAFF,
    "org:staff": STAFF_LIST,
    "org:import": set(),  # sysadmin only
}
API_LISTS = {
    "/api/v1/org/scope/departments/": STAFF,
    "/api/v1/org/scope/staff/": STAFF_LIST,
    "/api/v1/org/departments/": set(PERSONAS),  # public
    "/api/v1/org/regions/": set(PERSONAS),
    "/api/v1/org/service-points/": set(PERSONAS),
}


def _client(client, world, persona):
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


@pytest.mark.parametrize(("persona", "page"), list(itertools.product(PERSONAS, PAGES)))
def test_workbench_pages(client, world, persona, page):
    response = _client(client, world, persona).get(reverse(page))
    if persona == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    elif persona in PAGES[page]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize(("persona", "target"), list(itertools.product(PERSONAS, TARGET_DEPARTMENTS)))
def test_department_detail_page(client, world, persona, target):
    department = world.departments[target]
    response = _client(client, world, persona).get(reverse("org:department", args=[department.pk]))
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if target in SEES[persona] else 404)


@pytest.mark.parametrize(("persona", "url"), list(itertools.product(PERSONAS, API_LISTS)))
def test_api_lists(client, world, persona, url):
    response = _client(client, world, persona).get(url)
    if persona in API_LISTS[url]:
        assert response.status_code == 200
    elif persona == "anonymous":
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize(("persona", "target"), list(itertools.product(PERSONAS, TARGET_DEPARTMENTS)))
def test_api_scoped_department_detail(client, world, persona, target):
    department = world.departments[target]
    response = _client(client, world, persona).get(f"/api/v1/org/scope/departments/{department.pk}/")
    if persona == "anonymous":
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == (200 if target in SEES[persona] else 404)


@pytest.mark.parametrize(("persona", "target"), list(itertools.product(PERSONAS, TARGET_DEPARTMENTS)))
def test_get_scoped_or_404(world, persona, target):
    actor = actor_for(world.users.get(persona))
    department = world.departments[target]
    if target in SEES[persona]:
        found = get_scoped_or_404(Department, actor, pk=department.pk, **DEPARTMENT_SCOPE)
        assert found == department
    else:
        with pytest.raises(Http404):
            get_scoped_or_404(Department, actor, pk=department.pk, **DEPARTMENT_SCOPE)


@pytest.mark.parametrize("persona", sorted(STAFF))
def test_scoped_lists_show_exactly_the_scope(client, world, persona):
    """The list page and the API list agree with the table for the three market departments."""
    _client(client, world, persona)
    page = client.get(reverse("org:departments")).content.decode()
    shown = {key for key in TARGET_DEPARTMENTS if world.departments[key].name in page}
    assert shown == SEES[persona]
    data = client.get("/api/v1/org/scope/departments/").json()
    ids = {row["id"] for row in data["results"]}
    assert {k for k in TARGET_DEPARTMENTS if world.departments[k].pk in ids} == SEES[persona]


def test_missing_and_forbidden_look_the_same(client, world):
    client.force_login(world.users["sup_dc"])
    forbidden = client.get(reverse("org:department", args=[world.departments["xc_market"].pk]))
    missing = client.get(reverse("org:department", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404


def test_sysadmin_sees_everything(client, world):
    client.force_login(world.users["admin"])
    for page in PAGES:
        assert client.get(reverse(page)).status_code == 200
    for key in TARGET_DEPARTMENTS:
        url = f"/api/v1/org/scope/departments/{world.departments[key].pk}/"
        assert client.get(url).status_code == 200
