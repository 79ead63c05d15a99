"""/api/v1/exchange/: data-exchange intake for external approval systems."""

from django.urls import URLPattern, path

from . import exchange

app_name = "exchange_api"
urlpatterns: list[URLPattern] = [
    path("events/", exchange.receive_events, name="events"),
]
