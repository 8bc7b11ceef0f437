from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    path("", views.programme_list, name="programmes"),
    path("mine/", views.my_applications, name="my_applications"),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/apply/", views.application_create, name="apply"),
    path("programmes/<int:pk>/allocation/", views.allocation_view, name="allocation"),
    path(
        "programmes/<int:pk>/allocation/weights/",
        views.allocation_weights,
        name="allocation_weights",
    ),
    path(
        "programmes/<int:pk>/allocation/inputs/", views.allocation_inputs, name="allocation_inputs"
    ),
    path(
        "programmes/<int:pk>/allocation/import/", views.allocation_import, name="allocation_import"
    ),
    path("programmes/<int:pk>/allocation/fill/", views.allocation_fill, name="allocation_fill"),
    path(
        "programmes/<int:pk>/allocation/approve/",
        views.allocation_approve,
        name="allocation_approve",
    ),
    path(
        "programmes/<int:pk>/applications/",
        views.programme_applications,
        name="programme_applications",
    ),
    path("programmes/<int:pk>/ranking/", views.ranking_view, name="ranking"),
    path("programmes/<int:pk>/summary.pdf", views.programme_summary_pdf, name="summary_pdf"),
    path(
        "programmes/<int:pk>/export/<slug:table>.<slug:fmt>",
        views.table_export,
        name="table_export",
    ),
    path("programmes/<int:pk>/batch/", views.batch_start, name="batch"),
    path("exports/<str:token>/", views.export_file, name="export_file"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path("applications/<int:pk>/start-review/", views.start_review, name="start_review"),
    path("applications/<int:pk>/reviewers/", views.reviewers_view, name="reviewers"),
    path(
        "applications/<int:pk>/reviewers/<int:assignment_pk>/remove/",
        views.reviewer_remove,
        name="reviewer_remove",
    ),
    path("applications/<int:pk>/review/", views.review_view, name="review"),
    path("applications/<int:pk>/decide/", views.decide_view, name="decide"),
    path("applications/<int:pk>/report/", views.report_edit, name="report"),
    path("applications/<int:pk>/report/decide/", views.report_decide, name="report_decide"),
    path("applications/<int:pk>/payments/", views.payment_add, name="payment"),
    path("applications/<int:pk>/report.pdf", views.grant_report_pdf, name="grant_report_pdf"),
]
