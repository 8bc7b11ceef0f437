"""Panel selection pages, included in the surveys namespace under panels/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.PanelListView.as_view(), name="panels"),
    path("new/", views.PanelStartView.as_view(), name="panel_start"),
    path("<int:pk>/", views.PanelDetailView.as_view(), name="panel"),
    path("<int:pk>/quotas/", views.panel_quotas, name="panel_quotas"),
    path("<int:pk>/verify/", views.panel_verify, name="panel_verify"),
    path("<int:pk>/contacts/", views.panel_contacts, name="panel_contacts"),
    path("<int:pk>/files/<slug:name>.csv", views.panel_export, name="panel_export"),
    path("<int:pk>/probabilities.csv", views.panel_probabilities, name="panel_probabilities"),
    path("<int:pk>/features.csv", views.panel_features, name="panel_features"),
]
