from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "zhengwu.core.access"
    label = "core_access"
    verbose_name = "core.access"
