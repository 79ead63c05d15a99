"""Public read-only endpoints under /api/v1/catalog/."""

from django.urls import path

from . import public as views

urlpatterns = [
    path("items/", views.ItemListView.as_view(), name="catalog-api-items"),
    path("items/<str:code>/", views.ItemDetailView.as_view(), name="catalog-api-item"),
    path("items/<str:code>/versions/", views.ItemVersionsView.as_view(), name="catalog-api-item-versions"),
    path("search/", views.SearchView.as_view(), name="catalog-api-search"),
    path("bundles/", views.BundleListView.as_view(), name="catalog-api-bundles"),
    path("bundles/<slug:code>/", views.BundleDetailView.as_view(), name="catalog-api-bundle"),
]
