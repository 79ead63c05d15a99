"""Public portal pages of the catalogue (办事指南), mounted at /services/."""

from django.urls import path

from .views import public as views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("search.json", views.search_json, name="search_json"),
    path("items/", views.item_list, name="items"),
    path("items/<str:code>/", views.item_detail, name="item"),
    path("bundles/", views.bundle_list, name="bundles"),
    path("bundles/<slug:code>/", views.bundle_detail, name="bundle"),
    path("announcements/", views.announcements, name="announcements"),
]
