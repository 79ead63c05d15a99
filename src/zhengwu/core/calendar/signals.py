"""Any change to the override tables drops this process's cached working-day tables.

Other processes (worker, other web workers) notice through the periodic fingerprint check in days.py.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .days import invalidate
from .models import CalendarOverride, CalendarYear


@receiver(post_save, sender=CalendarOverride, dispatch_uid="core_calendar_override_saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="core_calendar_override_deleted")
@receiver(post_save, sender=CalendarYear, dispatch_uid="core_calendar_year_saved")
@receiver(post_delete, sender=CalendarYear, dispatch_uid="core_calendar_year_deleted")
def _calendar_changed(**kwargs: Any) -> None:
    invalidate()
