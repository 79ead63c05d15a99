"""Placeholder: filled by the case pages / API."""

from django.urls import URLPattern, URLResolver

app_name = "cases_portal"
urlpatterns: list[URLPattern | URLResolver] = []
