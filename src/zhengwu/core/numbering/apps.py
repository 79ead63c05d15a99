from django.apps import AppConfig


class NumberingConfig(AppConfig):
    name = "zhengwu.core.numbering"
    label = "core_numbering"
    verbose_name = "core.numbering"
