import re
import subprocess
import urllib.parse

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import AuditLogEntry, Job, Role
from surveys import services
from surveys.models import Draw, Register, Resident
from surveys.services import codes

from .factories import BAD_SAMPLE, LEGAL, SAMPLE, SYSTEM, import_sample

pytestmark = pytest.mark.django_db
NOT_ALLOWED = [
    Role.RESIDENT,
    Role.REPRESENTATIVE,
    Role.LIAISON_OFFICER,
    Role.REVIEWER,
    Role.ADMINISTRATOR,
]


def upload_form(path, date="2026-10-01"):
    year, month, day = date.split("-")
    return {
        "file": SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv"),
        "reference_date_era": "",
        "reference_date_year": year,
        "reference_date_month": month,
        "reference_date_day": day,
        "purpose": LEGAL["purpose"],
        "legal_basis": LEGAL["legal_basis"],
        "approval_body": "架空市個人情報保護審議会",
        "approval_number": "第12号",
    }


@pytest.fixture
def drawn(districts):
    import_sample()
    register = Register.objects.get()
    return services.draw_sample(
        register=register,
        size=8,
        seed="view",
        age_min=40,
        age_max=79,
        method="stratified",
        by=SYSTEM,
        **LEGAL,
    )


@pytest.mark.parametrize("role", NOT_ALLOWED)
def test_every_register_page_is_403_without_the_permission(client_as, drawn, role):
    client = client_as(role)
    register = drawn.register
    for url in [
        "/surveys/registers/",
        "/surveys/registers/import/",
        f"/surveys/registers/{register.pk}/",
        "/surveys/draws/",
        "/surveys/draws/new/",
        f"/surveys/draws/{drawn.pk}/",
        f"/surveys/draws/{drawn.pk}/letters.pdf",
        f"/surveys/draws/{drawn.pk}/mailing-list.csv",
        "/surveys/letters/calibration.pdf",
    ]:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(f"/surveys/registers/{register.pk}/purge/", {"confirm": "on"}).status_code
        == 403
    )
    assert client.post(f"/surveys/draws/{drawn.pk}/letters/").status_code == 403
    assert Resident.objects.filter(register=register).count() == 63


def test_coordinator_uploads_the_register_as_a_job(
    client_as, districts, django_capture_on_commit_callbacks
):
    client = client_as(Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/surveys/registers/import/", upload_form(SAMPLE))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert "63" in job.message
    register = Register.objects.get()
    assert register.approval_number == "第12号"
    entry = AuditLogEntry.objects.get(action="surveys.register.imported")
    assert entry.actor == client.user and entry.actor_role == Role.COORDINATOR
    page = client.get(register.get_absolute_url()).content.decode()
    assert "63" in page and LEGAL["legal_basis"] in page
    assert AuditLogEntry.objects.filter(action="surveys.register.viewed").count() == 1


def test_bad_register_upload_shows_the_rows_and_imports_nothing(
    client_as, districts, django_capture_on_commit_callbacks
):
    client = client_as(Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/surveys/registers/import/", upload_form(BAD_SAMPLE))
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert [e["line"] for e in job.errors] == [16, 19, 21]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Z9999" in page
    assert not Register.objects.exists() and not Resident.objects.exists()


def test_draw_page_records_and_shows_strata_and_legal_basis(client_as, districts):
    import_sample()
    register = Register.objects.get()
    client = client_as(Role.COORDINATOR)
    assert client.get("/surveys/draws/new/").status_code == 200
    data = {
        "title": "市民意識調査",
        "register": register.pk,
        "size": "10",
        "method": "stratified",
        "age_min": "40",
        "age_max": "79",
        "exclude_recent": "0",
        "seed": "same-seed",
        "purpose": LEGAL["purpose"],
        "legal_basis": LEGAL["legal_basis"],
        "approval_body": "架空市個人情報保護審議会",
        "approval_number": "第12号",
    }
    response = client.post("/surveys/draws/new/", data)
    draw = Draw.objects.get()
    assert response.status_code == 302 and response.url == draw.get_absolute_url()
    page = client.get(draw.get_absolute_url()).content.decode()
    assert "same-seed" in page and "架空市個人情報保護審議会" in page and LEGAL["purpose"] in page
    assert "40–49" in page
    client.post("/surveys/draws/new/", data)
    again = Draw.objects.exclude(pk=draw.pk).get()
    assert services.drawn_numbers(again) == services.drawn_numbers(draw)
    assert AuditLogEntry.objects.filter(action="surveys.draw.viewed").exists()
    # Too many: a clear message, nothing recorded.
    response = client.post("/surveys/draws/new/", {**data, "size": "500"})
    assert "超えています" in response.content.decode()
    assert Draw.objects.count() == 2


def test_letters_pdf_has_japanese_text_codes_and_the_font(
    client_as, drawn, django_capture_on_commit_callbacks, tmp_path
):
    client = client_as(Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/surveys/draws/{drawn.pk}/letters/")
    job = Job.objects.get(kind="surveys.print_letters")
    assert response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    response = client.get(f"/surveys/draws/{drawn.pk}/letters.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "letters.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout  # noqa: S607
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout  # noqa: S607
    assert "Noto-Sans-CJK-JP" in fonts and " yes " in fonts
    assert "アクセスコード" in text and "無作為に選ばせていただいた" in text
    assert LEGAL["legal_basis"] in text and LEGAL["purpose"] in text
    for invitation in drawn.invitations.select_related("resident"):
        code = codes.display(codes.decrypt(invitation.code_encrypted))
        assert code in text, (code, re.findall(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", text))
        assert f"{invitation.resident.postal_code}" in text
    assert text.count(" 様") >= 8
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {"surveys.letters.printed", "surveys.letters.downloaded"} <= actions


def test_a_large_draw_prints_in_chunks_laid_out_by_worker_processes(
    client_as, drawn, django_capture_on_commit_callbacks, tmp_path, settings, monkeypatch
):
    from surveys.services import letters

    # Chunks of 3 letters in 2 worker processes: 8 letters make 3 chunk files,
    # concatenated in the order of the letters.
    monkeypatch.setattr(letters, "CHUNK", 3)
    settings.SURVEYS_LETTER_PROCESSES = 2
    client = client_as(Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/surveys/draws/{drawn.pk}/letters/")
    job = Job.objects.get(kind="surveys.print_letters")
    assert job.status == Job.Status.SUCCEEDED, job.message
    response = client.get(f"/surveys/draws/{drawn.pk}/letters.pdf")
    pdf = tmp_path / "letters.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    invitations = list(drawn.invitations.order_by("number"))
    for page, invitation in enumerate(invitations, start=1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout  # noqa: S607
        assert f"整理番号 {invitation.number}" in text
        assert codes.display(codes.decrypt(invitation.code_encrypted)) in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout  # noqa: S607
    assert re.search(r"Pages:\s+8\b", info)


def test_qr_code_points_at_the_answer_page_with_the_code(drawn):
    from surveys.services.letters import answer_link, qr_png

    invitation = drawn.invitations.first()
    code = codes.decrypt(invitation.code_encrypted)
    url = answer_link("http://testserver/surveys/answer/", code)
    # The code after "#": browsers never send it, so no access log sees it.
    assert url == f"http://testserver/surveys/answer/#{codes.display(code)}"
    # The QR in the letter is exactly the symbol of that URL.
    assert qr_png(url) == segno.make(url, error="m").png_data_uri(scale=4, border=2)
    decoded = urllib.parse.urlparse(url)
    assert decoded.path == "/surveys/answer/" and not decoded.query
    assert decoded.fragment == codes.display(code)


def test_the_answer_page_loads_the_script_that_posts_the_qr_codes_code(client):
    page = client.get("/surveys/answer/").content.decode()
    assert 'id="code-form"' in page and "js/answer-code.js" in page


def test_answer_page_checks_the_code_and_keeps_it_out_of_the_address(client, drawn):
    # Letters printed before the code moved after "#" carry ?code=: still taken.
    invitation = drawn.invitations.first()
    code = codes.display(codes.decrypt(invitation.code_encrypted))
    response = client.get(f"/surveys/answer/?code={code}")
    assert response.status_code == 302 and response.url == "/surveys/answer/questions/"
    page = client.get("/surveys/answer/questions/").content.decode()
    assert "まだ始まっていません" in page
    other = client.__class__()
    page = other.post("/surveys/answer/", {"code": "0000-0000-0000"}).content.decode()
    assert "正しくありません" in page


@pytest.mark.parametrize("encoding", ["utf-8", "cp932"])
def test_mailing_list_export_is_audited(client_as, drawn, encoding):
    client = client_as(Role.COORDINATOR)
    response = client.get(f"/surveys/draws/{drawn.pk}/mailing-list.csv?encoding={encoding}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    text = body.decode("utf-8-sig" if encoding == "utf-8" else "cp932")
    assert body.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8")
    lines = text.strip().splitlines()
    assert lines[0].startswith("整理番号,郵便番号,住所,宛名") and len(lines) == 9
    assert re.search(r" 様,", lines[1])
    entry = AuditLogEntry.objects.get(action="surveys.mailing_list.exported")
    assert entry.kind == AuditLogEntry.Kind.EXPORT and entry.data["encoding"] == encoding


def test_purge_from_the_register_page(client_as, drawn):
    client = client_as(Role.COORDINATOR)
    register = drawn.register
    client.post(f"/surveys/registers/{register.pk}/purge/", {})
    assert Resident.objects.exists()
    client.post(f"/surveys/registers/{register.pk}/purge/", {"confirm": "on"})
    assert not Resident.objects.exists()
    register.refresh_from_db()
    assert register.is_purged
    assert AuditLogEntry.objects.get(action="surveys.register.purged").actor == client.user


def test_calibration_page_is_a_pdf(client_as):
    response = client_as(Role.COORDINATOR).get("/surveys/letters/calibration.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_navigation_shows_the_survey_pages_to_coordinators(client_as):
    page = client_as(Role.COORDINATOR).get("/surveys/registers/").content.decode()
    assert "/surveys/draws/" in page and "/surveys/registers/import/" in page
