"""The main story through the pages: apply, review, decide, report, export."""

import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from grants.models import Application, Attachment, ReviewAssignment
from portal.models import AuditLogEntry, Role, StateChange
from tests.factories import AreaFactory, OrganisationFactory, UserFactory, represent

from .factories import PDF_BYTES, application, assign, proposal_programme

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def setting():
    area = AreaFactory(code="A01", name="桜ヶ丘地域")
    representative = UserFactory()
    organisation = OrganisationFactory(name="桜ヶ丘一丁目自治会", areas=[area])
    represent(representative, organisation)
    return {
        "area": area,
        "organisation": organisation,
        "representative": representative,
        "programme": proposal_programme(budget=500_000),
        "coordinator": UserFactory(role=Role.COORDINATOR),
        "reviewer": UserFactory(role=Role.REVIEWER, full_name="審査 一郎"),
        "conflicted": UserFactory(role=Role.REVIEWER, full_name="審査 次郎"),
    }


def _budget_post(area, **extra):
    data = {
        "title": "防災マップづくり",
        "purpose": "危険箇所を地図にする",
        "plan": "5月に町歩き",
        "area": area.pk,
        "budget-TOTAL_FORMS": "3",
        "budget-INITIAL_FORMS": "0",
        "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "50",
        "budget-0-kind": "expense",
        "budget-0-item": "印刷費",
        "budget-0-amount": "250000",
        "budget-1-kind": "expense",
        "budget-1-item": "会場費",
        "budget-1-amount": "50000",
        "budget-2-kind": "income",
        "budget-2-item": "自治会費",
        "budget-2-amount": "20000",
    }
    data.update(extra)
    return data


def test_a_proposal_goes_from_draft_to_closed(setting, django_capture_on_commit_callbacks):
    s = setting
    rep = _client(s["representative"])
    response = rep.post(
        reverse("grants:apply", args=[s["programme"].pk]),
        {
            "organisation": s["organisation"].pk,
            "area": s["area"].pk,
            "title": "防災マップづくり",
            "purpose": "危険箇所を地図にする",
        },
    )
    app = Application.objects.get()
    assert response.status_code == 302
    assert app.representation.user == s["representative"]
    assert app.status == "draft"

    # Budget lines: the requested amount is expenses less income.
    response = rep.post(reverse("grants:application_edit", args=[app.pk]), _budget_post(s["area"]))
    assert response.status_code == 302, response.content.decode()[:2000]
    app.refresh_from_db()
    assert app.requested_amount == 280_000

    # Submitting without the required attachment is refused.
    rep.post(reverse("grants:submit", args=[app.pk]))
    app.refresh_from_db()
    assert app.status == "draft"
    rep.post(
        reverse("grants:attachment_add", args=[app.pk]),
        {"label": "事業計画書", "file": SimpleUploadedFile("plan.pdf", PDF_BYTES)},
    )
    assert Attachment.objects.filter(application=app).count() == 1
    rep.post(reverse("grants:submit", args=[app.pk]))
    app.refresh_from_db()
    assert app.status == "submitted"

    # After submission nothing can be edited.
    response = rep.post(
        reverse("grants:application_edit", args=[app.pk]), _budget_post(s["area"], title="変更")
    )
    app.refresh_from_db()
    assert app.title == "防災マップづくり"

    coord = _client(s["coordinator"])
    coord.post(reverse("grants:start_review", args=[app.pk]))
    for reviewer in (s["reviewer"], s["conflicted"]):
        coord.post(reverse("grants:reviewers", args=[app.pk]), {"reviewer": reviewer.pk})
    assert ReviewAssignment.objects.filter(application=app).count() == 2

    criteria = list(s["programme"].criteria.all())
    good = _client(s["reviewer"])
    good.post(reverse("grants:review", args=[app.pk]), {"declare": "1", "conflicted": "no"})
    scores = {f"criterion_{c.pk}": "4" for c in criteria}
    good.post(reverse("grants:review", args=[app.pk]), {"score": "1", "comment": "良い", **scores})

    bad = _client(s["conflicted"])
    bad.post(
        reverse("grants:review", args=[app.pk]),
        {"declare": "1", "conflicted": "yes", "note": "自治会の会員"},
    )
    response = bad.post(reverse("grants:review", args=[app.pk]), {"score": "1", **scores})
    assert response.status_code == 400
    assert "採点できません" in response.content.decode()
    assert not ReviewAssignment.objects.get(reviewer=s["conflicted"]).scores.exists()
    page = bad.get(reverse("grants:review", args=[app.pk])).content.decode()
    assert "other-scores" not in page and "良い" not in page
    # The conflicted reviewer does not see the scores on the application page either.
    page = bad.get(reverse("grants:application", args=[app.pk])).content.decode()
    assert "地域課題との関連 4" not in page
    page = good.get(reverse("grants:application", args=[app.pk])).content.decode()
    assert "地域課題との関連 4" in page

    ranking = coord.get(reverse("grants:ranking", args=[s["programme"].pk])).content.decode()
    assert "80.0" in ranking  # 4 of 5 on every criterion

    # Approval beyond the requested amount / the remaining budget is refused.
    response = coord.post(
        reverse("grants:decide", args=[app.pk]), {"decision": "approve", "amount": "600000"}
    )
    assert response.status_code == 400
    coord.post(
        reverse("grants:decide", args=[app.pk]),
        {"decision": "approve", "amount": "250000", "conditions": "領収書を添付すること"},
    )
    app.refresh_from_db()
    assert app.status == "approved" and app.approved_amount == 250_000

    lines = {line.item: line for line in app.budget_lines.all()}
    response = rep.post(
        reverse("grants:report", args=[app.pk]),
        {
            "activities": "町歩きを2回行い、防災マップを500部配布した。",
            "events_held": "2",
            "participants": "64",
            "outcomes": "避難経路を知る世帯が増えた。",
            f"actual_{lines['印刷費'].pk}": "240000",
            f"actual_{lines['会場費'].pk}": "45000",
            f"actual_{lines['自治会費'].pk}": "20000",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "reporting"

    coord.post(reverse("grants:report_decide", args=[app.pk]), {"decision": "accept"})
    app.refresh_from_db()
    assert app.status == "closed"
    moves = list(
        StateChange.objects.filter(object_id=str(app.pk)).values_list("to_state", flat=True)
    )
    assert moves == ["submitted", "in_review", "approved", "reporting", "closed"]

    response = coord.get(reverse("grants:grant_report_pdf", args=[app.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert AuditLogEntry.objects.filter(action="grants.grant_report.exported").exists()
    if shutil.which("pdftotext"):
        text = _pdf_text(response.content)
        for expected in (
            "交付金事業報告書",
            "防災マップづくり",
            "予算と実績",
            "240,000",
            "-10,000",
        ):
            assert expected in text
        fonts = subprocess.run(
            ["pdffonts", "-"], input=response.content, capture_output=True, check=False
        ).stdout.decode()
        assert "CJK" in fonts or "IPAex" in fonts


def _pdf_text(data):
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_another_organisations_representative_gets_404_on_the_application_and_files(setting):
    s = setting
    app = application(
        programme=s["programme"],
        organisation=s["organisation"],
        applicant=s["representative"],
    )
    rep = _client(s["representative"])
    rep.post(
        reverse("grants:attachment_add", args=[app.pk]),
        {"label": "計画書", "file": SimpleUploadedFile("plan.pdf", PDF_BYTES)},
    )
    attachment = app.attachments.get()
    response = rep.get(reverse("grants:attachment", args=[app.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert AuditLogEntry.objects.filter(action="grants.attachment.downloaded").count() == 1

    other = UserFactory()
    represent(other, OrganisationFactory(areas=[s["area"]]))
    client = _client(other)
    for url in (
        reverse("grants:application", args=[app.pk]),
        reverse("grants:attachment", args=[app.pk, attachment.pk]),
        reverse("grants:application_edit", args=[app.pk]),
        reverse("grants:grant_report_pdf", args=[app.pk]),
    ):
        assert client.get(url).status_code == 404, url
    # A reviewer not assigned to it does not see it either.
    assert (
        _client(s["reviewer"]).get(reverse("grants:application", args=[app.pk])).status_code == 404
    )
    assign(app, s["reviewer"])
    assert (
        _client(s["reviewer"]).get(reverse("grants:application", args=[app.pk])).status_code == 200
    )


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("plan.pdf", PDF_BYTES, True),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40, True),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"0" * 40, True),
        ("script.pdf", b"<script>alert(1)</script>", False),
        ("plan.exe", b"MZ\x90\x00" + b"0" * 40, False),
        ("fake.png", PDF_BYTES, False),  # the name does not match the content
        ("empty.pdf", b"", False),
    ],
)
def test_attachments_are_checked_by_content(setting, name, content, ok):
    s = setting
    app = application(
        programme=s["programme"], organisation=s["organisation"], applicant=s["representative"]
    )
    _client(s["representative"]).post(
        reverse("grants:attachment_add", args=[app.pk]),
        {"label": "書類", "file": SimpleUploadedFile(name, content)},
    )
    assert app.attachments.exists() is ok


def test_office_files_are_accepted_and_oversized_files_refused(setting, settings):
    import io
    import zipfile

    s = setting
    app = application(
        programme=s["programme"], organisation=s["organisation"], applicant=s["representative"]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    rep = _client(s["representative"])
    rep.post(
        reverse("grants:attachment_add", args=[app.pk]),
        {"label": "計画書", "file": SimpleUploadedFile("plan.docx", buffer.getvalue())},
    )
    assert app.attachments.count() == 1
    settings.GRANTS_MAX_ATTACHMENT_BYTES = 100
    rep.post(
        reverse("grants:attachment_add", args=[app.pk]),
        {"label": "大きい", "file": SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 200)},
    )
    assert app.attachments.count() == 1


@pytest.mark.parametrize("name", ["old.doc", "book.xlsm", "macro.docx"])
def test_office_files_that_can_carry_macros_are_refused(setting, name):
    import io
    import zipfile

    s = setting
    app = application(
        programme=s["programme"], organisation=s["organisation"], applicant=s["representative"]
    )
    if name == "old.doc":
        content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            part = "xl/workbook.xml" if name.endswith("xlsm") else "word/document.xml"
            archive.writestr(part, "<x/>")
            if name == "macro.docx":
                archive.writestr("word/vbaProject.bin", "VBA")
        content = buffer.getvalue()
    response = _client(s["representative"]).post(
        reverse("grants:attachment_add", args=[app.pk]),
        {"label": "計画書", "file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert "マクロを含められる形式" in response.content.decode()
    assert app.attachments.count() == 0


def test_table_exports_csv_with_bom_cp932_and_xlsx(setting):
    s = setting
    app = application(
        programme=s["programme"],
        organisation=s["organisation"],
        applicant=s["representative"],
        status="approved",
    )
    app.approved_amount = 100_000
    app.save()
    coord = _client(s["coordinator"])
    response = coord.get(
        reverse("grants:table_export", args=[s["programme"].pk, "applications", "csv"])
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "桜ヶ丘一丁目自治会" in response.content.decode("utf-8-sig")
    response = coord.get(
        reverse("grants:table_export", args=[s["programme"].pk, "awards", "csv"]),
        {"encoding": "cp932"},
    )
    assert "100000" in response.content.decode("cp932")
    response = coord.get(
        reverse("grants:table_export", args=[s["programme"].pk, "payments", "xlsx"])
    )
    assert response.content[:2] == b"PK"
    assert AuditLogEntry.objects.filter(action="grants.table.exported").count() == 3


def test_payments_respect_the_approved_amount_and_the_closing_period(setting):
    import datetime

    s = setting
    app = application(
        programme=s["programme"],
        organisation=s["organisation"],
        applicant=s["representative"],
        status="approved",
    )
    app.approved_amount = 100_000
    app.save()
    coord = _client(s["coordinator"])
    fy = s["programme"].fiscal_year

    def pay(amount, day):
        coord.post(
            reverse("grants:payment", args=[app.pk]),
            {
                "amount": str(amount),
                "paid_on_era": "",
                "paid_on_year": str(day.year),
                "paid_on_month": str(day.month),
                "paid_on_day": str(day.day),
            },
        )

    pay(60_000, datetime.date(fy + 1, 5, 31))  # 出納整理期間: still allowed
    pay(10_000, datetime.date(fy + 1, 6, 1))  # too late
    pay(50_000, datetime.date(fy, 6, 1))  # beyond the approved amount
    assert [p.amount for p in app.payments.all()] == [60_000]
