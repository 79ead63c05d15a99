"""Supervision pages under /supervision/."""

from django.urls import path

from .views import assessment, monitor, oversight

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
    path("assessment/", assessment.ranking, name="assessment"),
    path("assessment/export.csv", assessment.export, name="assessment_export"),
    path("assessment/scores/<int:pk>/", assessment.score, name="assessment_score"),
    path("assessment/<str:action>/", assessment.manage, name="assessment_manage"),
]
