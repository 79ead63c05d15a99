from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="org-region")
router.register("departments", views.DepartmentViewSet, basename="org-department")
router.register("service-points", views.ServicePointViewSet, basename="org-service-point")
router.register("scope/departments", views.ScopedDepartmentViewSet, basename="org-scope-department")
router.register("scope/staff", views.ScopedStaffViewSet, basename="org-scope-staff")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="org-me"),
    path("me/person-profile/", views.MyPersonProfileView.as_view(), name="org-me-person-profile"),
    *router.urls,
]
