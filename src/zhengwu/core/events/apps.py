from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "zhengwu.core.events"
    label = "core_events"
    verbose_name = "core.events"

    def ready(self) -> None:
        from . import registry

        registry.autodiscover()
