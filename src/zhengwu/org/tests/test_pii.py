from __future__ import annotations

import pytest

from zhengwu.core.access.actor import Actor, actor_for
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.models import AuditEntry
from zhengwu.org import selectors, services
from zhengwu.org.demo import resident_id

pytestmark = pytest.mark.django_db
ID = resident_id("44010619900101123")


@pytest.fixture
def person(world):
    user = world.users["applicant"]
    services.person_profile_upsert(
        actor=None,
        user_id=user.pk,
        name="张三",
        id_number=ID,
        phone="13900000009",
        address="示范市东城区东湖街道湖滨路8号3栋502房",
    )
    return user


def test_masked_by_default_and_no_audit(world, person):
    clerk = actor_for(world.users["dc_market"])
    before = AuditEntry.objects.filter(is_pii_read=True).count()
    view = selectors.person_profile_for(clerk, person.pk)
    assert view.masked
    assert ID not in view.id_number and view.id_number.endswith(ID[-4:])
    assert view.phone == "139****0009"
    assert "502" not in view.address
    assert AuditEntry.objects.filter(is_pii_read=True).count() == before


def test_full_read_is_audited(world, person):
    clerk = actor_for(world.users["dc_market"])
    view = selectors.person_profile_for(clerk, person.pk, full=True)
    assert (view.id_number, view.phone, view.masked) == (ID, "13900000009", False)
    entry = AuditEntry.objects.get(is_pii_read=True)
    assert entry.actor_user_id == world.users["dc_market"].pk
    assert entry.obj_type == "org.person_profile"
    assert set(entry.extra["fields"]) == {"id_number", "phone", "address"}


def test_full_id_never_lands_in_the_write_audit(world, person):
    for entry in AuditEntry.objects.filter(obj_type="org.person_profile"):
        assert ID not in str(entry.changes) and ID not in entry.summary


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("sup_city", False),
        ("sup_dc", False),
        ("other_dept", True),
        ("city_market", True),
        ("dc_market", True),
    ],
)
def test_only_case_handling_roles_read_applicant_data(world, person, persona, allowed):
    """Supervisors watch deadlines, not people; clerks, reviewers and approvers handle cases."""
    actor = actor_for(world.users[persona])
    view = selectors.person_profile_for(actor, person.pk, full=True)
    assert (view is not None) == allowed
    assert AuditEntry.objects.filter(is_pii_read=True, actor_user_id=actor.user_id).count() == int(allowed)


def test_another_applicant_gets_nothing(world, person):
    stranger = Actor(user_id=person.pk + 1000, roles=frozenset({Role.APPLICANT}))
    assert selectors.person_profile_for(stranger, person.pk, full=True) is None


def test_api_full_read_is_audited(client, world, person):
    client.force_login(person)
    body = client.get("/api/v1/org/me/person-profile/?full=1").json()
    assert body["id_number"] == ID
    assert AuditEntry.objects.filter(is_pii_read=True, actor_user_id=person.pk).count() == 1


def test_admin_list_masks_id_numbers(client, world, person):
    client.force_login(world.users["admin"])
    content = client.get("/admin/org/personprofile/").content.decode()
    assert ID not in content
    assert ID[-4:] in content
