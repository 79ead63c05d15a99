"""/api/v1/statistics/."""

from django.urls import URLPattern, path

from . import views

app_name = "statistics_api"
urlpatterns: list[URLPattern] = [
    path("report/", views.ReportView.as_view(), name="report"),
    path("trend/", views.TrendView.as_view(), name="trend"),
]
