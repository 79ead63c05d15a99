"""Placeholder: filled by the case pages / API."""

from django.urls import URLPattern, URLResolver

app_name = "cases_staff"
urlpatterns: list[URLPattern | URLResolver] = []
