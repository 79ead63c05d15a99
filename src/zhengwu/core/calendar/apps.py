from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "zhengwu.core.calendar"
    label = "core_calendar"
    verbose_name = "工作日历 Calendar"
