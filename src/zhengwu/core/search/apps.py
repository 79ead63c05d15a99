from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "zhengwu.core.search"
    label = "core_search"
    verbose_name = "core.search"
