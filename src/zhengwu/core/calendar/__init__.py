"""Working-day calendar (DOMAIN §2): official Chinese holidays, administrator overrides, deadlines.

from zhengwu.core.calendar import add_workdays, is_workday, workdays_between
"""

from .days import (
    TZ,
    CoverageRow,
    DayInfo,
    add_workdays,
    calendar_coverage,
    day_detail,
    deadline_hours,
    deadline_natural_days,
    deadline_workdays,
    end_of_day_instant,
    fallback_years,
    invalidate,
    is_workday,
    local_day,
    workdays_between,
)

__all__ = [
    "TZ",
    "CoverageRow",
    "DayInfo",
    "add_workdays",
    "calendar_coverage",
    "day_detail",
    "deadline_hours",
    "deadline_natural_days",
    "deadline_workdays",
    "end_of_day_instant",
    "fallback_years",
    "invalidate",
    "is_workday",
    "local_day",
    "workdays_between",
]
