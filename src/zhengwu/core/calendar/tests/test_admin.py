import datetime as dt

import pytest

from zhengwu.core.audit.models import AuditEntry
from zhengwu.core.calendar import is_workday
from zhengwu.core.calendar.models import CalendarOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged_in(client, django_user_model, settings):
    # Tests run without collectstatic: the manifest storage would fail on every {% static %}.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    user = django_user_model.objects.create_superuser(username="caladmin", password="x-Very-long-1")
    client.force_login(user)
    return client


def test_changelist_warns_about_fallback_years(admin_client_logged_in, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC))
    response = admin_client_logged_in.get("/admin/core_calendar/calendaroverride/", {"scope": "regional"})
    assert response.status_code == 200
    assert "2027" in response.content.decode()
    response = admin_client_logged_in.get("/admin/core_calendar/calendaryear/", {"q": "2027"})
    assert response.status_code == 200


def test_add_override_through_the_admin(admin_client_logged_in):
    url = "/admin/core_calendar/calendaroverride/add/"
    data = {
        "date": "2025-07-10",
        "kind": "closure",
        "name": "台风停工",
        "region_code": "440604000000",
        "note": "",
    }
    response = admin_client_logged_in.post(url, data)
    assert response.status_code == 302
    assert is_workday(dt.date(2025, 7, 10), "440604001000") is False
    assert AuditEntry.objects.filter(action="calendar.override.create").count() == 1


def test_bad_region_code_in_the_admin_names_the_field(admin_client_logged_in):
    url = "/admin/core_calendar/calendaroverride/add/"
    data = {"date": "2025-07-10", "kind": "closure", "name": "台风停工", "region_code": "44060", "note": ""}
    response = admin_client_logged_in.post(url, data)
    assert response.status_code == 200
    assert "区划代码必须是 12 位数字" in response.content.decode()
    assert not CalendarOverride.objects.exists()
