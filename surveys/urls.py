from django.urls import include, path

from . import views

app_name = "surveys"

urlpatterns = [
    path("registers/", views.RegisterListView.as_view(), name="registers"),
    path("registers/import/", views.RegisterImportView.as_view(), name="register_import"),
    path("registers/<int:pk>/", views.RegisterDetailView.as_view(), name="register"),
    path("registers/<int:pk>/purge/", views.register_purge, name="register_purge"),
    path("draws/", views.DrawListView.as_view(), name="draws"),
    path("draws/new/", views.DrawCreateView.as_view(), name="draw_create"),
    path("draws/<int:pk>/", views.DrawDetailView.as_view(), name="draw"),
    path("draws/<int:pk>/letters/", views.draw_letters, name="draw_letters"),
    path("draws/<int:pk>/letters.pdf", views.draw_letters_download, name="draw_letters_pdf"),
    path("draws/<int:pk>/mailing-list.csv", views.draw_mailing_list, name="draw_mailing_list"),
    path("letters/calibration.pdf", views.calibration, name="calibration"),
    path("answer/", views.answer, name="answer"),
    path("panels/", include("surveys.panels.urls")),
]
