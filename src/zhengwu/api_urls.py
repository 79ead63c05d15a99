"""Every app's REST endpoints under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("org/", include("zhengwu.org.api.urls")),
    path("catalog/", include("zhengwu.catalog.api.urls")),
    path("cases/", include("zhengwu.cases.api.urls")),
    path("accounts/", include("zhengwu.accounts.api_urls")),
    path("exchange/", include("zhengwu.supervision.api.urls")),
    path("statistics/", include("zhengwu.statistics.api.urls")),
]
