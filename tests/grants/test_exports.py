import io
import re
import subprocess
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from grants import pdf
from grants.models import ExportFile
from portal.models import Job, Role
from tests.factories import AreaFactory, OrganisationFactory, UserFactory, represent

from .factories import application, proposal_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme_with_applications():
    area = AreaFactory(code="E01", name="東地域")
    programme = proposal_programme()
    apps = []
    for i in range(3):
        user = UserFactory()
        organisation = OrganisationFactory(name=f"東{i}丁目自治会", areas=[area])
        represent(user, organisation)
        apps.append(
            application(
                programme=programme, organisation=organisation, applicant=user, status="submitted"
            )
        )
    return programme, apps


def test_batch_export_runs_as_a_job_and_reports_failed_renders(
    client_as, programme_with_applications, django_capture_on_commit_callbacks, monkeypatch
):
    programme, apps = programme_with_applications
    client = client_as(Role.COORDINATOR)
    original = pdf.render_pdf
    broken = apps[1].pk

    def render(template, context):
        if context["application"].pk == broken:
            raise RuntimeError("フォントが壊れています")
        return original(template, context)

    monkeypatch.setattr("grants.services.exports.render_pdf", render)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grants:batch", args=[programme.pk]))
    job = Job.objects.get(kind="grants.pdf_batch")
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.done == 3
    page = client.get(job.get_absolute_url()).content.decode()
    assert "1件は作成できませんでした" in page
    export = ExportFile.objects.get()
    result = client.get(reverse("grants:export_file", args=[export.token])).content.decode()
    assert f"申請 {broken}" in result and "フォントが壊れています" in result
    download = client.get(reverse("grants:export_file", args=[export.token]), {"download": "1"})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert sorted(archive.namelist()) == sorted(
        f"grant-report-{a.pk}.pdf" for a in apps if a.pk != broken
    )
    # Someone else's export is not theirs to see.
    other = client_as(Role.COORDINATOR)
    assert other.get(reverse("grants:export_file", args=[export.token])).status_code == 404


def test_programme_summary_pdf_totals_per_area_and_issue(client_as, programme_with_applications):
    programme, apps = programme_with_applications
    for app in apps[:2]:
        app.status = "approved"
        app.approved_amount = 120_000
        app.save()
        app.issues.add(1)
    response = client_as(Role.COORDINATOR).get(reverse("grants:summary_pdf", args=[programme.pk]))
    assert response.status_code == 200
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "事業集計" in text and "東地域" in text and "240,000" in text
    assert re.search(r"1\s*/\s*1", text)  # page numbers


def test_a_representative_cannot_export_tables(client_as, programme_with_applications):
    programme, _apps = programme_with_applications
    user = UserFactory()
    represent(user, OrganisationFactory())
    from django.test import Client

    client = Client()
    client.force_login(user)
    url = reverse("grants:table_export", args=[programme.pk, "applications", "csv"])
    assert client.get(url).status_code == 403


def test_xlsx_tables_drop_control_characters_and_neutralise_formulas(
    client_as, programme_with_applications
):
    # A vertical tab pasted from Word: openpyxl refuses it, so the sheet drops
    # it rather than fail; the formula guard is the CSV's.
    programme, apps = programme_with_applications
    apps[0].title = "防災\x0bマップ"
    apps[0].save()
    apps[0].organisation.name = "=東\x1f自治会"
    apps[0].organisation.save()
    client = client_as(Role.COORDINATOR)
    response = client.get(
        reverse("grants:table_export", args=[programme.pk, "applications", "xlsx"])
    )
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:5] == ("申請番号", "事業", "団体", "地域", "事業名")
    row = next(r for r in rows[1:] if r[0] == apps[0].pk)
    assert row[2] == "'=東自治会" and row[4] == "防災マップ"
    # Numbers stay numbers, so the sheet can add them up.
    assert row[6] == apps[0].requested_amount and isinstance(row[6], int)
