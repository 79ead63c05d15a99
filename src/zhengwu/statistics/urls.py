"""Statistics pages under /supervision/stats/ (mounted before supervision's own URLs)."""

from django.urls import path

from .views import pages

app_name = "statistics"
urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("regions/<str:code>/", pages.region, name="stats_region"),
    path("departments/<int:department_id>/", pages.department, name="stats_department"),
    path("export.csv", pages.export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", pages.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("bulletin/", pages.bulletin, name="bulletin"),
    path("bulletin.pdf", pages.bulletin_pdf, name="bulletin_pdf"),
]
