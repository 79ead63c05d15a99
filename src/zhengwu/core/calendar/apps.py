from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "zhengwu.core.calendar"
    label = "core_calendar"
    verbose_name = "工作日历 Calendar"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the cache invalidation)
