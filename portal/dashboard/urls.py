"""Added to portal's own patterns (names `portal:…`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("staff/dashboard/chart-<int:number>.svg", views.dashboard_chart, name="dashboard_chart"),
    path("staff/dashboard/areas/<str:code>/", views.area_dashboard, name="dashboard_area"),
    path(
        "staff/dashboard/areas/<str:code>/chart-<int:number>.svg",
        views.area_dashboard_chart,
        name="dashboard_area_chart",
    ),
    path("staff/logic-model/", views.logic_model, name="logic_model"),
    path("staff/logic-model/export.csv", views.logic_model_csv, name="logic_model_csv"),
    path("staff/logic-model/export.pdf", views.logic_model_pdf, name="logic_model_pdf"),
    path(
        "staff/logic-model/areas/<str:code>/export.csv",
        views.logic_model_area_csv,
        name="logic_model_area_csv",
    ),
    path(
        "staff/logic-model/areas/<str:code>/export.pdf",
        views.logic_model_area_pdf,
        name="logic_model_area_pdf",
    ),
    path(
        "staff/logic-model/measures/<int:pk>/indicators/new/",
        views.indicator_create,
        name="indicator_create",
    ),
    path(
        "staff/logic-model/indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"
    ),
    path(
        "staff/logic-model/indicators/<int:pk>/areas/<str:code>/target/",
        views.indicator_area_target,
        name="indicator_area_target",
    ),
]
