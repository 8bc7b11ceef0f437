from django.urls import include, path

from . import views

app_name = "areas"

urlpatterns = [
    path("", views.AreaListView.as_view(), name="list"),
    path("import/", views.import_districts_view, name="import_districts"),
    path("issues/", views.LocalIssueListView.as_view(), name="issues"),
    path("issues/new/", views.LocalIssueCreateView.as_view(), name="issue_create"),
    path("issues/<int:pk>/edit/", views.LocalIssueUpdateView.as_view(), name="issue_edit"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisations"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path(
        "organisations/register/",
        views.OrganisationRegistrationView.as_view(),
        name="organisation_register",
    ),
    path(
        "organisations/<int:pk>/represent/",
        views.apply_representation_view,
        name="representation_apply",
    ),
    path(
        "organisations/<int:pk>/representatives/",
        views.organisation_representatives_view,
        name="organisation_representatives",
    ),
    path(
        "organisations/<int:pk>/approve/",
        views.approve_organisation_view,
        name="organisation_approve",
    ),
    path(
        "representations/",
        views.representation_applications_view,
        name="representation_applications",
    ),
    path(
        "representations/<int:pk>/decide/",
        views.decide_representation_view,
        name="representation_decide",
    ),
    path(
        "representations/<int:pk>/end/",
        views.end_representation_view,
        name="representation_end",
    ),
    path("organisations/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path(
        "organisations/<int:pk>/edit/",
        views.OrganisationUpdateView.as_view(),
        name="organisation_edit",
    ),
    path("", include("areas.news.urls")),
    path("", include("areas.karte.urls")),
    path("<str:code>/", views.AreaDetailView.as_view(), name="detail"),
]
