from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from zhengwu.core.events.views import healthz

urlpatterns = [
    path("", include("zhengwu.web.urls")),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("zhengwu.accounts.urls")),
    path("services/", include("zhengwu.catalog.urls_public")),
    path("workbench/catalog/", include("zhengwu.catalog.urls_staff")),
    path("cases/", include("zhengwu.cases.urls_portal")),
    path("workbench/cases/", include("zhengwu.cases.urls_staff")),
    path("workbench/org/", include("zhengwu.org.urls")),
    path("workbench/audit/", include("zhengwu.core.audit.urls")),
    path("supervision/stats/", include("zhengwu.statistics.urls")),
    path("supervision/", include("zhengwu.supervision.urls")),
    path("files/", include("zhengwu.core.files.urls")),
    path("inbox/", include("zhengwu.core.notify.urls")),
    path("api/v1/", include("zhengwu.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
