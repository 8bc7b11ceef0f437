"""The liaisons app's rows of the permission table (tests/permission_table.py)."""

from django.core.files.base import ContentFile

from liaisons.models import Attachment
from tests.liaisons.factories import ConsultationFactory, SupportRequestFactory, officer_on
from tests.permission_table import Row

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _attachment(request):
    attachment = Attachment(
        request=request, original_name="資料.pdf", content_type="application/pdf", size=len(PDF)
    )
    attachment.file.save("table.pdf", ContentFile(PDF), save=False)
    attachment.save()
    return attachment


def build(world):
    users = world.users
    world["officer"] = officer_on(world.area, user=users["liaison_officer"], experienced=True)
    officer_on(world.area, user=users["officer_reviewer"])
    world["other_officer_profile"] = officer_on(world.other_area, user=users["other_officer"])
    world["support_request"] = SupportRequestFactory(
        area=world.area, organisation=world.organisation, status="triaged"
    )
    world["other_support_request"] = SupportRequestFactory(
        area=world.other_area, organisation=world.other_organisation, status="triaged"
    )
    world["request_attachment"] = _attachment(world["support_request"])
    world["other_request_attachment"] = _attachment(world["other_support_request"])
    world["consultation"] = ConsultationFactory(
        area=world.area, received_by=users["liaison_officer"], summary="北の集会所の相談"
    )
    world["other_consultation"] = ConsultationFactory(
        area=world.other_area, received_by=users["other_officer"], summary="南の防犯灯の相談"
    )
    world["officer_assignment"] = world["officer"].assignments.first()


ALL = {
    "anonymous": 302,
    "resident": 403,
    "representative": 403,
    "other_representative": 403,
    "liaison_officer": 403,
    "other_officer": 403,
    "coordinator": 403,
    "reviewer": 403,
    "administrator": 403,
    "officer_reviewer": 403,
}


def expect(**allowed):
    return {**ALL, **allowed}


OFFICERS_AND_COORDINATION = dict(
    liaison_officer=200, other_officer=200, officer_reviewer=200, coordinator=200, administrator=200
)
ADMIN_ONLY = expect(administrator=200)
COORDINATION = expect(coordinator=200, administrator=200)

OWN = lambda w: {"pk": w["support_request"].pk}  # noqa: E731
OTHERS = lambda w: {"pk": w["other_support_request"].pk}  # noqa: E731

ROWS = [
    Row(
        "liaisons:requests",
        expect=expect(representative=200, other_representative=200, **OFFICERS_AND_COORDINATION),
    ),
    Row(
        "liaisons:request_create",
        expect=expect(representative=200, other_representative=200, **OFFICERS_AND_COORDINATION),
    ),
    Row(
        "liaisons:request",
        kwargs=OWN,
        note="own area and organisation",
        expect=expect(
            representative=200,
            other_representative=404,
            liaison_officer=200,
            other_officer=404,
            officer_reviewer=200,
            coordinator=200,
            administrator=200,
        ),
    ),
    Row(
        "liaisons:request",
        kwargs=OTHERS,
        note="another area's and organisation's",
        default=404,
        expect={
            "anonymous": 302,
            "resident": 403,
            "reviewer": 403,
            "other_representative": 200,
            "other_officer": 200,
            "coordinator": 200,
            "administrator": 200,
        },
    ),
    Row(
        "liaisons:request_transition",
        method="post",
        kwargs=OWN,
        data=lambda w: {"to": "in_progress", "version": w["support_request"].version},
        note="own area; a move not allowed from 確認済 goes back with a message",
        redirect_to=lambda w: w["support_request"].get_absolute_url(),
        expect=expect(
            representative=302,
            other_representative=404,
            liaison_officer=302,
            other_officer=404,
            officer_reviewer=302,
            coordinator=302,
            administrator=302,
        ),
    ),
    Row(
        "liaisons:request_transition",
        method="post",
        kwargs=OTHERS,
        data=lambda w: {"to": "in_progress", "version": w["other_support_request"].version},
        note="another area's",
        default=404,
        redirect_to=lambda w: w["other_support_request"].get_absolute_url(),
        expect={
            "anonymous": 302,
            "resident": 403,
            "reviewer": 403,
            "other_representative": 302,
            "other_officer": 302,
            "coordinator": 302,
            "administrator": 302,
        },
    ),
    Row(
        "liaisons:request_assign",
        kwargs=OWN,
        note="own area",
        expect=expect(
            other_officer=404,
            liaison_officer=200,
            officer_reviewer=200,
            coordinator=200,
            administrator=200,
        ),
    ),
    Row(
        "liaisons:request_assign",
        kwargs=OTHERS,
        note="another area's",
        default=404,
        expect={
            "anonymous": 302,
            "resident": 403,
            "reviewer": 403,
            "representative": 403,
            "other_representative": 403,
            "other_officer": 200,
            "coordinator": 200,
            "administrator": 200,
        },
    ),
    Row(
        "liaisons:request_rate",
        method="post",
        kwargs=OWN,
        data={"rating": "5"},
        note="own organisation; not done yet: back with a message",
        redirect_to=lambda w: w["support_request"].get_absolute_url(),
        expect=expect(representative=302, other_representative=404),
    ),
    Row(
        "liaisons:request_rate",
        method="post",
        kwargs=OTHERS,
        data={"rating": "5"},
        note="another organisation's",
        redirect_to=lambda w: w["other_support_request"].get_absolute_url(),
        expect=expect(representative=404, other_representative=302),
    ),
    Row(
        "liaisons:attachment",
        kwargs=lambda w: {"pk": w["request_attachment"].pk},
        note="own",
        expect=expect(
            representative=200,
            other_representative=404,
            liaison_officer=200,
            other_officer=404,
            officer_reviewer=200,
            coordinator=200,
            administrator=200,
        ),
    ),
    Row(
        "liaisons:attachment",
        kwargs=lambda w: {"pk": w["other_request_attachment"].pk},
        note="another area's",
        default=404,
        expect={
            "anonymous": 302,
            "resident": 403,
            "reviewer": 403,
            "other_representative": 200,
            "other_officer": 200,
            "coordinator": 200,
            "administrator": 200,
        },
    ),
    Row("liaisons:officers", expect=ADMIN_ONLY),
    Row("liaisons:officer_create", expect=ADMIN_ONLY),
    Row("liaisons:officer", kwargs=lambda w: {"pk": w["officer"].pk}, expect=ADMIN_ONLY),
    Row(
        "liaisons:assignment_end",
        method="post",
        kwargs=lambda w: {"pk": w["officer_assignment"].pk},
        data={"valid_until": "2000-01-01"},
        note="a date before the start: back with a message",
        redirect_to=lambda w: f"/liaisons/officers/{w['officer'].pk}/",
        expect=expect(administrator=302),
    ),
    Row("liaisons:settings", expect=ADMIN_ONLY),
    Row(
        "liaisons:consultations",
        expect=expect(**OFFICERS_AND_COORDINATION),
    ),
    Row(
        "liaisons:consultation_create",
        expect=expect(
            liaison_officer=200, other_officer=200, officer_reviewer=200, coordinator=200
        ),
    ),
    Row(
        "liaisons:consultation",
        kwargs=lambda w: {"pk": w["consultation"].pk},
        note="own area",
        expect=expect(
            liaison_officer=200,
            officer_reviewer=200,
            other_officer=404,
            coordinator=200,
            administrator=200,
        ),
    ),
    Row(
        "liaisons:consultation",
        kwargs=lambda w: {"pk": w["other_consultation"].pk},
        note="another area's",
        expect=expect(
            liaison_officer=404,
            officer_reviewer=404,
            other_officer=200,
            coordinator=200,
            administrator=200,
        ),
    ),
    Row(
        "liaisons:consultation_export",
        note="the list's rows: own area's (and own) for an officer, all for coordination",
        expect=expect(**OFFICERS_AND_COORDINATION),
        reveals=lambda w: w["consultation"].summary,
        revealed_to=frozenset(
            {"liaison_officer", "officer_reviewer", "coordinator", "administrator"}
        ),
    ),
    Row(
        "liaisons:consultation_export",
        kwargs=None,
        data={"encoding": "cp932"},
        note="CP932",
        expect=expect(**OFFICERS_AND_COORDINATION),
    ),
    Row(
        "liaisons:consultation_export",
        data={"format": "xlsx"},
        note="XLSX",
        expect=expect(**OFFICERS_AND_COORDINATION),
    ),
    Row(
        "liaisons:consultation_edit",
        kwargs=lambda w: {"pk": w["consultation"].pk},
        note="recorded by liaison_officer; the area's other officer may read, not edit",
        expect=expect(
            liaison_officer=200,
            officer_reviewer=403,
            other_officer=404,
            coordinator=200,
        ),
        reveals=lambda w: w["consultation"].summary,
        revealed_to=frozenset({"liaison_officer", "coordinator"}),
    ),
    Row(
        "liaisons:consultation_edit",
        kwargs=lambda w: {"pk": w["other_consultation"].pk},
        note="another area's, recorded by other_officer",
        expect=expect(
            liaison_officer=404,
            officer_reviewer=404,
            other_officer=200,
            coordinator=200,
        ),
    ),
    Row(
        "liaisons:consultation_edit",
        method="post",
        kwargs=lambda w: {"pk": w["consultation"].pk},
        data=lambda w: {
            "received_on": w["consultation"].received_on.isoformat(),
            "channel": "walk_in",
            "area": w.area.pk,
            "summary": "北の集会所の相談（訂正）",
            "outcome": "answered",
        },
        note="a correction",
        redirect_to=lambda w: w["consultation"].get_absolute_url(),
        expect=expect(
            liaison_officer=302,
            officer_reviewer=403,
            other_officer=404,
            coordinator=302,
        ),
    ),
    Row("liaisons:report", expect=COORDINATION),
    Row(
        "liaisons:report_export",
        kwargs=None,
        data={"table": "share", "format": "csv"},
        expect=COORDINATION,
    ),
]
