from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "zhengwu.core.audit"
    label = "core_audit"
    verbose_name = "core.audit"
