"""Included from areas/urls.py before the area catch-all: /areas/karte/…,
/areas/vision/…, /areas/directory/… (names `areas:karte:…`)."""

from django.urls import path

from . import views

app_name = "karte"

urlpatterns = [
    path("karte/", views.karte_index, name="index"),
    path("karte/import/", views.karte_import, name="import"),
    path("karte/issues/<int:pk>/delete/", views.karte_issue_delete, name="issue_delete"),
    path("karte/<str:code>/", views.karte_detail, name="detail"),
    path("karte/<str:code>/pdf/", views.karte_pdf, name="pdf"),
    path("karte/<str:code>/edit/", views.karte_edit, name="edit"),
    path("vision/<str:code>/", views.vision_detail, name="vision"),
    path("vision/<str:code>/edit/", views.vision_edit, name="vision_edit"),
    path("vision/plans/<int:pk>/goals/new/", views.goal_create, name="goal_create"),
    path("vision/goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("vision/goals/<int:pk>/delete/", views.goal_delete, name="goal_delete"),
    path("vision/goals/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("vision/actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("vision/actions/<int:pk>/delete/", views.action_delete, name="action_delete"),
    path("vision/actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("directory/", views.directory, name="directory"),
    path("directory/organisations/<int:pk>/offers/", views.offers, name="offers"),
    path("directory/offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("directory/offers/<int:pk>/delete/", views.offer_delete, name="offer_delete"),
]
