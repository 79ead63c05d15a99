from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "zhengwu.core.idempotency"
    label = "core_idempotency"
    verbose_name = "core.idempotency"
