"""Supervision pages under /supervision/."""

from django.urls import path

from .views import monitor, oversight

app_name = "supervision"
urlpatterns = [
    path("", monitor.wall, name="wall"),
    path("regions/", monitor.regions, name="regions"),
    path("regions/<str:code>/", monitor.region, name="region"),
    path("departments/<int:department_id>/", monitor.department, name="department"),
    path("departments/<int:department_id>/items/<str:item_code>/", monitor.item, name="item"),
    path("cases/<int:pk>/", monitor.case, name="case"),
    path("cards/", oversight.cards, name="cards"),
    path("corrections/", oversight.corrections, name="corrections"),
    path("corrections/<int:pk>/", oversight.correction, name="correction"),
    path("corrections/<int:pk>/<str:action>/", oversight.correction_action, name="correction_action"),
]
