"""The project's URLs plus views that fail on purpose, to render the error pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from zhengwu.urls import urlpatterns as project_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret-internal-detail")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("secret-internal-detail")


def bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("secret-internal-detail")


urlpatterns = [
    path("test-errors/boom/", boom),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/bad/", bad),
    *project_urlpatterns,
]
