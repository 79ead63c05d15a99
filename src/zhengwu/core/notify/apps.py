from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "zhengwu.core.notify"
    label = "core_notify"
    verbose_name = "core.notify"
