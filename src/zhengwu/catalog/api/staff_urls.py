"""/api/v1/catalog/staff/: drafts, review and the version diff."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .staff import DraftViewSet, VersionDiffView

router = SimpleRouter()
router.register("drafts", DraftViewSet, basename="catalog-staff-drafts")

urlpatterns = [
    path("versions/diff/", VersionDiffView.as_view(), name="catalog-staff-version-diff"),
    *router.urls,
]
