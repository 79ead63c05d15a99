from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("large-text/", views.toggle_large_text, name="toggle_large_text"),
    path("workbench/", views.workbench, name="workbench"),
]
