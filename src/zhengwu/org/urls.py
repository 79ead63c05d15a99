from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.index, name="index"),
    path("departments/", views.department_list, name="departments"),
    path("departments/<int:pk>/", views.department_detail, name="department"),
    path("service-points/", views.service_point_list, name="service_points"),
    path("windows/", views.window_list, name="windows"),
    path("staff/", views.staff_list, name="staff"),
    path("import/", views.csv_import, name="import"),
]
