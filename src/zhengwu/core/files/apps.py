from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "zhengwu.core.files"
    label = "core_files"
    verbose_name = "core.files"
