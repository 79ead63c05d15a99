from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "zhengwu.statistics"
    label = "statistics"
    verbose_name = _("统计分析")
    default_auto_field = "django.db.models.BigAutoField"
