"""Who may open each page of the grants app (see tests/permission_table.py)."""

from grants.models import Application, Attachment, ExportFile, Programme, Score
from grants.services.programmes import create_programme
from portal.audit import Actor
from tests.permission_table import ACTORS, Row

from .factories import PDF_BYTES, application, assign, proposal_programme


def build(world):
    from django.core.files.base import ContentFile

    users = world.users
    programme = proposal_programme(name="提案事業")
    world["programme"] = programme
    world["lump_sum"] = create_programme(
        name="一括交付金",
        kind=Programme.Kind.LUMP_SUM,
        fiscal_year=2026,
        budget=1_000_000,
        by=Actor.for_user(users["coordinator"]),
    )

    def make(organisation, user, status):
        return application(
            programme=programme, organisation=organisation, applicant=user, status=status
        )

    for prefix, organisation, user in (
        ("", world["organisation"], users["representative"]),
        ("other_", world["other_organisation"], users["other_representative"]),
    ):
        in_review = make(organisation, user, Application.Status.IN_REVIEW)
        world[f"{prefix}application"] = in_review
        world[f"{prefix}draft_application"] = make(organisation, user, Application.Status.DRAFT)
        approved = make(organisation, user, Application.Status.APPROVED)
        approved.approved_amount = 100_000
        approved.save()
        world[f"{prefix}approved_application"] = approved
        attachment = Attachment(
            application=in_review,
            label="計画書",
            token=f"{prefix}token",
            original_name="plan.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES),
            uploaded_by=user,
        )
        attachment.file.save(f"{prefix}plan", ContentFile(PDF_BYTES), save=False)
        attachment.save()
        world[f"{prefix}attachment"] = attachment
        draft_attachment = Attachment.objects.create(
            application=world[f"{prefix}draft_application"],
            label="下書きの書類",
            token=f"{prefix}draft-token",
            original_name="d.pdf",
            content_type="application/pdf",
            size=1,
            uploaded_by=user,
        )
        world[f"{prefix}draft_attachment"] = draft_attachment
    # The reviewer is assigned to the own application only.
    world["assignment"] = assign(world["application"], users["reviewer"], conflict=False)
    world["other_assignment"] = assign(world["other_application"], users["coordinator"])
    # Scored assignments cannot be removed, so a removal POST by one actor
    # leaves the row for the next.
    for key in ("assignment", "other_assignment"):
        for criterion in programme.criteria.all():
            Score.objects.create(assignment=world[key], criterion=criterion, score=3)
    world["export"] = ExportFile.objects.create(
        programme=programme, token="export-token", created_by=users["coordinator"]
    )


ALL_200 = dict.fromkeys(ACTORS, 200)
COORDINATORS = {"anonymous": 302, "coordinator": 200, "administrator": 200}
COORDINATORS_POST = {"anonymous": 302, "coordinator": 302, "administrator": 302}
TO_GRANTS = "/grants/"


def _pk(name):
    return lambda w: {"pk": w[name].pk}


def _both(url_name, key, own, other, **kwargs):
    """One row for the own object and one for the other organisation's."""
    return [
        Row(url_name, kwargs=_pk(key), note="own", expect=own, **kwargs),
        Row(url_name, kwargs=_pk(f"other_{key}"), note="other's", expect=other, **kwargs),
    ]


def _coordinator_rows(url_name, key, *, method="get", status=200, data=None, redirect_to=None):
    expect = {"anonymous": 302, "coordinator": status, "administrator": status}
    return _both(
        url_name,
        key,
        expect,
        expect,
        default=403,
        method=method,
        data=data,
        redirect_to=redirect_to,
    )


VIEW_OWN = {
    "anonymous": 302,
    "representative": 200,
    "other_representative": 404,
    "reviewer": 200,
    "officer_reviewer": 404,
    "coordinator": 200,
    "administrator": 200,
}
VIEW_OTHER = {**VIEW_OWN, "representative": 404, "other_representative": 200, "reviewer": 404}
REP_OWN = {"anonymous": 302, "representative": 200, "other_representative": 404}
REP_OTHER = {"anonymous": 302, "representative": 404, "other_representative": 200}


def _attachment_kwargs(key):
    return lambda w: {"pk": w[key].application_id, "attachment_pk": w[key].pk}


ROWS = [
    Row("grants:programmes", expect=ALL_200),
    Row("grants:programme", kwargs=_pk("programme"), expect=ALL_200),
    Row(
        "grants:my_applications",
        default=403,
        expect={"anonymous": 302, "representative": 200, "other_representative": 200},
    ),
    Row(
        "grants:my_reviews",
        default=403,
        expect={"anonymous": 302, "reviewer": 200, "officer_reviewer": 200},
    ),
    Row("grants:programme_create", default=403, expect=COORDINATORS),
    Row("grants:programme_edit", kwargs=_pk("programme"), default=403, expect=COORDINATORS),
    Row(
        "grants:apply",
        kwargs=_pk("programme"),
        default=403,
        expect={"anonymous": 302, "representative": 200, "other_representative": 200},
    ),
    Row(
        "grants:allocation",
        kwargs=_pk("lump_sum"),
        default=403,
        expect={
            "anonymous": 302,
            "coordinator": 200,
            "administrator": 200,
            "liaison_officer": 200,
            "other_officer": 200,
            "officer_reviewer": 200,
        },
    ),
    Row(
        "grants:allocation_weights",
        kwargs=_pk("lump_sum"),
        method="post",
        data={"base_weight": "1", "per_capita_weight": "1", "per_household_weight": "1"},
        default=403,
        expect=COORDINATORS_POST,
        redirect_to=TO_GRANTS,
    ),
    Row(
        "grants:allocation_inputs",
        kwargs=_pk("lump_sum"),
        method="post",
        default=403,
        expect={"anonymous": 302, "coordinator": 400, "administrator": 400},
    ),
    Row(
        "grants:allocation_import",
        kwargs=_pk("lump_sum"),
        method="post",
        default=403,
        expect={"anonymous": 302, "coordinator": 400, "administrator": 400},
    ),
    *[
        Row(
            name,
            kwargs=_pk("lump_sum"),
            method="post",
            default=403,
            expect=COORDINATORS_POST,
            redirect_to=TO_GRANTS,
        )
        for name in ("grants:allocation_fill", "grants:allocation_approve")
    ],
    *[
        Row(name, kwargs=_pk("programme"), default=403, expect=COORDINATORS)
        for name in ("grants:programme_applications", "grants:ranking", "grants:summary_pdf")
    ],
    Row(
        "grants:table_export",
        kwargs=lambda w: {"pk": w["programme"].pk, "table": "applications", "fmt": "csv"},
        default=403,
        expect=COORDINATORS,
    ),
    Row(
        "grants:batch",
        kwargs=_pk("programme"),
        method="post",
        default=403,
        expect=COORDINATORS_POST,
        redirect_to="/staff/jobs/",
    ),
    Row(
        "grants:export_file",
        kwargs=lambda w: {"token": w["export"].token},
        note="made by the coordinator",
        default=403,
        expect={"anonymous": 302, "coordinator": 200, "administrator": 404},
    ),
    *_both("grants:application", "application", VIEW_OWN, VIEW_OTHER, default=403),
    Row(
        "grants:attachment",
        kwargs=_attachment_kwargs("attachment"),
        note="own",
        default=403,
        expect=VIEW_OWN,
    ),
    Row(
        "grants:attachment",
        kwargs=_attachment_kwargs("other_attachment"),
        note="other's",
        default=403,
        expect=VIEW_OTHER,
    ),
    *_both("grants:application_edit", "draft_application", REP_OWN, REP_OTHER, default=403),
    Row(
        "grants:attachment_add",
        kwargs=_pk("draft_application"),
        method="post",
        note="own",
        default=403,
        expect={"anonymous": 302, "representative": 302, "other_representative": 404},
        redirect_to=TO_GRANTS,
    ),
    Row(
        "grants:attachment_add",
        kwargs=_pk("other_draft_application"),
        method="post",
        note="other's",
        default=403,
        expect={"anonymous": 302, "representative": 404, "other_representative": 302},
        redirect_to=TO_GRANTS,
    ),
    Row(
        "grants:attachment_delete",
        kwargs=_attachment_kwargs("draft_attachment"),
        method="post",
        note="own",
        default=403,
        expect={"anonymous": 302, "representative": 302, "other_representative": 404},
        redirect_to=TO_GRANTS,
    ),
    Row(
        "grants:attachment_delete",
        kwargs=_attachment_kwargs("other_draft_attachment"),
        method="post",
        note="other's",
        default=403,
        expect={"anonymous": 302, "representative": 404, "other_representative": 302},
        redirect_to=TO_GRANTS,
    ),
    Row(
        "grants:submit",
        kwargs=_pk("draft_application"),
        method="post",
        note="own",
        default=403,
        expect={"anonymous": 302, "representative": 302, "other_representative": 404},
        redirect_to=TO_GRANTS,
    ),
    Row(
        "grants:submit",
        kwargs=_pk("other_draft_application"),
        method="post",
        note="other's",
        default=403,
        expect={"anonymous": 302, "representative": 404, "other_representative": 302},
        redirect_to=TO_GRANTS,
    ),
    *_coordinator_rows(
        "grants:start_review", "application", method="post", status=302, redirect_to=TO_GRANTS
    ),
    *_coordinator_rows("grants:reviewers", "application"),
    Row(
        "grants:reviewer_remove",
        kwargs=lambda w: {"pk": w["application"].pk, "assignment_pk": w["assignment"].pk},
        method="post",
        note="own",
        default=403,
        expect=COORDINATORS_POST,
        redirect_to=TO_GRANTS,
    ),
    Row(
        "grants:reviewer_remove",
        kwargs=lambda w: {
            "pk": w["other_application"].pk,
            "assignment_pk": w["other_assignment"].pk,
        },
        method="post",
        note="other's",
        default=403,
        expect=COORDINATORS_POST,
        redirect_to=TO_GRANTS,
    ),
    *_both(
        "grants:review",
        "application",
        {"anonymous": 302, "reviewer": 200, "officer_reviewer": 404},
        {"anonymous": 302, "reviewer": 404, "officer_reviewer": 404},
        default=403,
    ),
    *_coordinator_rows("grants:decide", "application"),
    *_both("grants:report", "approved_application", REP_OWN, REP_OTHER, default=403),
    *_coordinator_rows(
        "grants:report_decide",
        "approved_application",
        method="post",
        status=302,
        redirect_to=TO_GRANTS,
    ),
    *_coordinator_rows(
        "grants:payment", "approved_application", method="post", status=302, redirect_to=TO_GRANTS
    ),
    *_both(
        "grants:grant_report_pdf",
        "application",
        {**REP_OWN, "coordinator": 200, "administrator": 200},
        {**REP_OTHER, "coordinator": 200, "administrator": 200},
        default=403,
    ),
]
