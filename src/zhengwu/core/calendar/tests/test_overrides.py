import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhengwu.core.audit.models import AuditEntry
from zhengwu.core.calendar import add_workdays, calendar_coverage, day_detail, days, is_workday
from zhengwu.core.calendar.models import CalendarOverride, CalendarYear
from zhengwu.core.calendar.services import (
    calendar_override_create,
    calendar_override_delete,
    calendar_override_save,
    calendar_year_save,
)

pytestmark = pytest.mark.django_db

D = dt.date
DISTRICT = "440604000000"
TOWN_IN_DISTRICT = "440604001000"
OTHER_DISTRICT = "440605000000"
CITY = "440600000000"


def test_override_makes_a_holiday_and_a_workday():
    assert is_workday(D(2027, 2, 10)) is True  # a Wednesday, fallback year
    assert is_workday(D(2027, 2, 20)) is False  # a Saturday
    calendar_override_create(actor=None, date=D(2027, 2, 10), kind="holiday", name="春节")
    calendar_override_create(actor=None, date=D(2027, 2, 20), kind="workday", name="春节调休")
    assert is_workday(D(2027, 2, 10)) is False
    assert is_workday(D(2027, 2, 20)) is True
    assert day_detail(D(2027, 2, 10)).name == "春节"
    # Tuesday 9th + 1: skips the holiday on the 10th.
    assert add_workdays(D(2027, 2, 9), 1) == D(2027, 2, 11)
    # Friday 19th + 1: the Saturday make-up day.
    assert add_workdays(D(2027, 2, 19), 1) == D(2027, 2, 20)


def test_override_corrects_official_data():
    assert is_workday(D(2025, 9, 28)) is True  # official Sunday make-up day
    calendar_override_create(actor=None, date=D(2025, 9, 28), kind="holiday", name="更正")
    assert is_workday(D(2025, 9, 28)) is False
    assert add_workdays(D(2025, 9, 26), 5) == D(2025, 10, 11)  # Saturday 11th is an official make-up day


def test_entered_year_counts_as_covered():
    assert calendar_coverage([2027]) == [{"year": 2027, "source": "fallback"}]
    calendar_year_save(actor=None, entry=CalendarYear(year=2027))
    assert calendar_coverage([2026, 2027, 2028]) == [
        {"year": 2026, "source": "official"},
        {"year": 2027, "source": "admin"},
        {"year": 2028, "source": "fallback"},
    ]


def test_regional_closure_applies_to_its_region_and_below_only():
    typhoon = D(2025, 7, 10)  # a Thursday
    calendar_override_create(actor=None, date=typhoon, kind="closure", name="台风停工", region_code=DISTRICT)
    assert is_workday(typhoon, DISTRICT) is False
    assert is_workday(typhoon, TOWN_IN_DISTRICT) is False
    assert is_workday(typhoon, OTHER_DISTRICT) is True
    assert is_workday(typhoon, CITY) is True
    assert is_workday(typhoon) is True
    assert add_workdays(D(2025, 7, 9), 1, TOWN_IN_DISTRICT) == D(2025, 7, 11)
    assert add_workdays(D(2025, 7, 9), 1) == typhoon


def test_the_most_specific_region_wins():
    day = D(2025, 7, 11)
    calendar_override_create(actor=None, date=day, kind="closure", name="全市停工", region_code=CITY)
    calendar_override_create(actor=None, date=day, kind="workday", name="本区照常上班", region_code=DISTRICT)
    assert is_workday(day, OTHER_DISTRICT) is False
    assert is_workday(day, TOWN_IN_DISTRICT) is True


def test_saved_override_invalidates_the_cache_at_once():
    day = D(2025, 7, 9)
    assert is_workday(day) is True  # builds the tables
    override = calendar_override_create(actor=None, date=day, kind="closure", name="暴雨停工")
    assert is_workday(day) is False
    override.kind = "workday"
    calendar_override_save(actor=None, override=override)
    assert is_workday(day) is True
    override.kind = "holiday"
    calendar_override_save(actor=None, override=override)
    assert is_workday(day) is False
    calendar_override_delete(actor=None, override=override)
    assert is_workday(day) is True


def test_change_by_another_process_is_seen_after_the_recheck(monkeypatch, settings):
    settings.CALENDAR_RECHECK_SECONDS = 5
    clock = [1000.0]
    monkeypatch.setattr(days, "_monotonic", lambda: clock[0])
    day = D(2025, 7, 9)
    assert is_workday(day) is True
    # bulk_create sends no signal: this process learns of it only like another process would.
    CalendarOverride.objects.bulk_create([CalendarOverride(date=day, kind="closure", name="停电")])
    clock[0] += 1
    assert is_workday(day) is True  # still within the recheck interval: no database query
    clock[0] += 10
    assert is_workday(day) is False


def test_no_query_on_the_hot_path(django_assert_num_queries):
    add_workdays(D(2025, 1, 2), 3)
    with django_assert_num_queries(0):
        for i in range(1000):
            add_workdays(D(2025, 1, 1) + dt.timedelta(days=i % 300), 1 + i % 40)
            is_workday(D(2025, 1, 1) + dt.timedelta(days=i % 300))


def test_validation_messages_name_the_field():
    with pytest.raises(ValidationError) as err:
        calendar_override_create(actor=None, date=D(2025, 7, 9), kind="closure", name="x", region_code="4406")
    assert "区划代码" in str(err.value.message_dict["region_code"])
    with pytest.raises(ValidationError) as err:
        calendar_override_create(actor=None, date=D(2150, 7, 9), kind="closure", name="x")
    assert "date" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        calendar_override_create(actor=None, date=D(2025, 7, 9), kind="holiday", name="   ")
    assert "name" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        calendar_override_create(actor=None, date=D(2025, 7, 9), kind="nap", name="午休")
    assert "kind" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        calendar_year_save(actor=None, entry=CalendarYear(year=2200))
    assert "year" in err.value.message_dict
    assert CalendarOverride.objects.count() == 0


def test_duplicate_day_and_region_is_refused():
    calendar_override_create(
        actor=None, date=D(2025, 7, 9), kind="closure", name="停工", region_code=DISTRICT
    )
    calendar_override_create(actor=None, date=D(2025, 7, 9), kind="closure", name="停工", region_code=CITY)
    with pytest.raises(ValidationError) as err:
        calendar_override_create(
            actor=None, date=D(2025, 7, 9), kind="holiday", name="重复", region_code=DISTRICT
        )
    assert "已经有一条" in str(err.value)
    assert CalendarOverride.objects.count() == 2


def test_writes_are_audited():
    override = calendar_override_create(actor=None, date=D(2025, 7, 9), kind="closure", name="停工")
    override.name = "台风停工"
    calendar_override_save(actor=None, override=override, reason="更正名称")
    calendar_override_delete(actor=None, override=override)
    actions = list(
        AuditEntry.objects.filter(obj_type="core_calendar.CalendarOverride")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["calendar.override.create", "calendar.override.update", "calendar.override.delete"]
    update = AuditEntry.objects.get(action="calendar.override.update")
    assert update.changes == {"name": ["停工", "台风停工"]}
