"""/api/v1/catalog/: public read-only endpoints and the staff draft endpoints."""

from django.urls import include, path

urlpatterns = [
    path("", include("zhengwu.catalog.api.public_urls")),
    path("staff/", include("zhengwu.catalog.api.staff_urls")),
]
