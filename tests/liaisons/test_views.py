import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client

from liaisons import services
from liaisons.models import SupportRequest
from portal.audit import Actor
from portal.models import AuditLogEntry, Role
from tests.factories import AreaFactory, OrganisationFactory, UserFactory, represent
from tests.liaisons.factories import ConsultationFactory, SupportRequestFactory, officer_on

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def city():
    area, other_area = AreaFactory(name="北地域"), AreaFactory(name="南地域")
    organisation = OrganisationFactory(areas=[area])
    other_organisation = OrganisationFactory(areas=[other_area])
    representative = UserFactory()
    represent(representative, organisation)
    return {
        "area": area,
        "other_area": other_area,
        "organisation": organisation,
        "other_organisation": other_organisation,
        "representative": representative,
        "request": SupportRequestFactory(area=area, organisation=organisation, title="北の依頼"),
        "other_request": SupportRequestFactory(
            area=other_area, organisation=other_organisation, title="南の依頼"
        ),
    }


def test_representative_files_a_request_with_a_pdf(city, django_capture_on_commit_callbacks):
    client = signed_in(city["representative"])
    assert client.get("/liaisons/requests/new/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/liaisons/requests/new/",
            {
                "organisation": city["organisation"].pk,
                "area": city["area"].pk,
                "tier": "D",
                "title": "総会の進行",
                "description": "総会の進行をお願いしたい。",
                "files": [SimpleUploadedFile("議事次第.pdf", PDF)],
            },
        )
    request = SupportRequest.objects.get(title="総会の進行")
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    page = client.get(request.get_absolute_url()).content.decode()
    assert "対応前" in page and "議事次第.pdf" in page
    download = client.get(request.attachments.get().get_absolute_url())
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    assert AuditLogEntry.objects.filter(action="liaisons.attachment.downloaded").exists()


def test_a_bad_attachment_is_refused_with_a_message_and_nothing_saved(city):
    client = signed_in(city["representative"])
    response = client.post(
        "/liaisons/requests/new/",
        {
            "organisation": city["organisation"].pk,
            "area": city["area"].pk,
            "tier": "A",
            "title": "テント",
            "description": "手伝い",
            "files": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00binary")],
        },
    )
    assert response.status_code == 400
    assert "受け付けられない種類のファイル" in response.content.decode()
    assert not SupportRequest.objects.filter(title="テント").exists()


def test_representative_sees_only_their_organisations_requests(city):
    client = signed_in(city["representative"])
    page = client.get("/liaisons/requests/").content.decode()
    assert "北の依頼" in page and "南の依頼" not in page
    assert client.get(city["other_request"].get_absolute_url()).status_code == 404


def test_officer_sees_their_areas_and_their_assigned_requests(city):
    officer = officer_on(city["area"])
    client = signed_in(officer.user)
    page = client.get("/liaisons/requests/").content.decode()
    assert "北の依頼" in page and "南の依頼" not in page
    assert client.get(city["other_request"].get_absolute_url()).status_code == 404
    # Assigned to them in another area: now visible.
    other = city["other_request"]
    other.assignee = officer
    other.status = "assigned"
    other.save()
    assert client.get(other.get_absolute_url()).status_code == 200


def test_coordinator_sees_all_and_filters(city):
    client = signed_in(UserFactory(role=Role.COORDINATOR))
    page = client.get("/liaisons/requests/").content.decode()
    assert "北の依頼" in page and "南の依頼" in page
    page = client.get("/liaisons/requests/", {"area": city["other_area"].pk}).content.decode()
    assert "北の依頼" not in page and "南の依頼" in page


def _area_options(page):
    """(options, the value selected) of the area filter."""
    select = page.split('name="area"')[1].split("</select>")[0]
    return select.count("<option"), select.split(" selected>")[0].rsplit('value="', 1)[1][:-1]


def test_the_filter_form_shows_new_choices_and_the_chosen_value_at_once(city):
    # The form's HTML is kept in the cache, keyed by its choices and values.
    client = signed_in(UserFactory(role=Role.COORDINATOR))
    assert _area_options(client.get("/liaisons/requests/").content.decode()) == (3, "")
    AreaFactory(name="東地域")
    page = client.get("/liaisons/requests/").content.decode()
    assert _area_options(page) == (4, "") and "東地域" in page
    chosen = client.get("/liaisons/requests/", {"area": city["area"].pk}).content.decode()
    assert _area_options(chosen) == (4, str(city["area"].pk))
    # A bad value gets its own message, never a cached form without it.
    bad = client.get("/liaisons/requests/", {"since": "2026-13-40"}).content.decode()
    assert "入力内容を確認してください" in bad
    assert "入力内容を確認してください" not in client.get("/liaisons/requests/").content.decode()


def test_request_list_has_no_n_plus_one(city, django_assert_max_num_queries):
    officer = officer_on(city["area"], user=UserFactory(full_name="担当 一郎"))
    for n in range(15):
        SupportRequestFactory(
            area=city["area"],
            organisation=city["organisation"],
            assignee=officer if n % 2 else None,
            routed_to=city["other_organisation"] if n == 4 else None,
        )
    client = signed_in(UserFactory(role=Role.COORDINATOR))
    with django_assert_max_num_queries(14):
        page = client.get("/liaisons/requests/").content.decode()
    rows = page.split("<tbody>")[1]
    assert rows.count("担当 一郎") == 7 and city["other_organisation"].name in rows


def test_viewing_a_request_audits_the_requester_contact_data(city):
    client = signed_in(UserFactory(role=Role.COORDINATOR))
    page = client.get(city["request"].get_absolute_url()).content.decode()
    assert "chair@example.jp" in page
    entry = AuditLogEntry.objects.get(action="liaisons.request.viewed")
    assert entry.target_repr == f"支援依頼 #{city['request'].pk}"
    assert "chair@example.jp" not in str(entry.data)


def test_coordinator_is_refused_a_general_officer_for_d_then_assigns_an_experienced_one(city):
    request = city["request"]
    request.tier, request.status = "D", "triaged"
    request.save()
    general = officer_on(city["area"])
    experienced = officer_on(city["area"], experienced=True)
    client = signed_in(UserFactory(role=Role.COORDINATOR))
    page = client.get(f"/liaisons/requests/{request.pk}/assign/").content.decode()
    assert "主担当の地域" in page and "この種類（D〜F）は担当できません" in page
    response = client.post(
        f"/liaisons/requests/{request.pk}/assign/", {"officer": general.pk, "version": 1}
    )
    assert response.status_code == 400
    assert "経験者の職員にのみ割り当てられます" in response.content.decode()
    response = client.post(
        f"/liaisons/requests/{request.pk}/assign/", {"officer": experienced.pk, "version": 1}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.assignee == experienced


def test_a_second_person_acting_on_an_old_page_gets_the_current_state(city):
    request = city["request"]
    client = signed_in(UserFactory(role=Role.COORDINATOR))
    client.post(f"/liaisons/requests/{request.pk}/move/", {"to": "triaged", "version": 1})
    response = client.post(
        f"/liaisons/requests/{request.pk}/move/",
        {"to": "declined", "reason": "重複", "version": 1},
        follow=True,
    )
    page = response.content.decode()
    assert "ほかの職員が先にこの依頼を更新しました" in page and "確認済" in page
    request.refresh_from_db()
    assert request.status == "triaged"


def test_requester_rates_when_done(city):
    request = city["request"]
    request.status = "done"
    request.save()
    client = signed_in(city["representative"])
    page = client.get(request.get_absolute_url()).content.decode()
    assert "対応済" in page and "支援の評価" in page
    client.post(f"/liaisons/requests/{request.pk}/rate/", {"rating": "5", "comment": "良かった"})
    request.refresh_from_db()
    assert request.rating == 5


def _done_d_request(city):
    officer = officer_on(city["area"], experienced=True)
    coordinator = Actor.for_user(UserFactory(role=Role.COORDINATOR), Role.COORDINATOR)
    worker = Actor.for_user(officer.user, Role.LIAISON_OFFICER)
    request = SupportRequestFactory(
        area=city["area"], organisation=city["organisation"], tier="D", title="髙橋さんの総会"
    )
    services.triage_request(request_id=request.pk, by=coordinator)
    services.assign_request(request_id=request.pk, officer_id=officer.pk, by=coordinator)
    services.start_request(request_id=request.pk, by=worker)
    services.complete_request(request_id=request.pk, hours=Decimal("3"), outcome="同席", by=worker)
    return request


def test_report_counts_d_for_the_area_and_exports_in_both_encodings_and_xlsx(city):
    request = _done_d_request(city)
    client = signed_in(UserFactory(role=Role.COORDINATOR))
    page = client.get("/liaisons/reports/").content.decode()
    assert "<svg" in page and "北地域" in page and "D 運営支援" in page
    csv_utf8 = client.get("/liaisons/reports/export/", {"table": "share", "format": "csv"})
    text = csv_utf8.content.decode("utf-8-sig")
    assert csv_utf8.content.startswith(b"\xef\xbb\xbf")
    assert f"北地域,{city['area'].code},1,1,50.0" in text
    cp932 = client.get("/liaisons/reports/export/", {"table": "requests", "format": "cp932"})
    assert "髙橋さんの総会" in cp932.content.decode("cp932")
    xlsx = client.get("/liaisons/reports/export/", {"table": "requests", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "番号"
    assert [request.pk, "D", "髙橋さんの総会"] in [[r[0], r[4], r[5]] for r in rows[1:]]
    assert AuditLogEntry.objects.filter(action="liaisons.report.exported").count() == 3
    hours = client.get("/liaisons/reports/export/", {"table": "hours", "format": "csv"})
    assert ",3.0," in hours.content.decode("utf-8-sig")


def test_cp932_export_names_the_characters_it_cannot_hold(city):
    SupportRequestFactory(area=city["area"], organisation=city["organisation"], title="𠮷野家の会")
    client = signed_in(UserFactory(role=Role.COORDINATOR))
    response = client.get(
        "/liaisons/reports/export/", {"table": "requests", "format": "cp932"}, follow=True
    )
    assert (
        "Shift_JIS（CP932）で表せない文字があるため出力できません: 𠮷" in response.content.decode()
    )
    assert not AuditLogEntry.objects.filter(action="liaisons.report.exported").exists()


def test_referrals_by_department_per_month(city):
    request = city["request"]
    coordinator = Actor.for_user(UserFactory(role=Role.COORDINATOR), Role.COORDINATOR)
    services.refer_request(request_id=request.pk, department="防災安全課", by=coordinator)
    client = signed_in(coordinator.user)
    text = client.get(
        "/liaisons/reports/export/", {"table": "referrals", "format": "csv"}
    ).content.decode("utf-8-sig")
    assert "防災安全課" in text and text.strip().splitlines()[1].endswith(",1")


def test_administrator_assigns_an_officer_and_the_area_page_shows_them(city):
    officer_user = UserFactory(role=Role.LIAISON_OFFICER, full_name="関戸 健")
    client = signed_in(UserFactory(role=Role.ADMINISTRATOR))
    response = client.post(
        "/liaisons/officers/new/",
        {"user": officer_user.pk, "department": "協働推進課", "experience": "general"},
    )
    officer = officer_user.liaison_profile
    assert response["Location"] == f"/liaisons/officers/{officer.pk}/"
    response = client.post(
        f"/liaisons/officers/{officer.pk}/",
        {"form": "assignment", "area": city["area"].pk, "kind": "main", "valid_from": "2026-04-01"},
    )
    assert response.status_code == 302
    html = Template('{% include "liaisons/_area_officers.html" %}').render(
        Context({"area": city["area"]})
    )
    assert "関戸 健" in html and "協働推進課" in html and officer_user.email not in html
    other = Template('{% include "liaisons/_area_officers.html" %}').render(
        Context({"area": city["other_area"]})
    )
    assert "関戸 健" not in other


def test_administrator_sets_the_a_to_c_routing(city):
    intermediary = OrganisationFactory(name="まちづくりセンター")
    client = signed_in(UserFactory(role=Role.ADMINISTRATOR))
    client.post("/liaisons/settings/", {"route_a_to_c_to": intermediary.pk})
    from liaisons.models import LiaisonSettings

    assert LiaisonSettings.current().route_a_to_c_to == intermediary
    assert AuditLogEntry.objects.filter(action="liaisons.settings.updated").exists()


def test_officer_logs_a_consultation_and_another_areas_officer_cannot_read_it(city):
    officer = officer_on(city["area"])
    client = signed_in(officer.user)
    response = client.post(
        "/liaisons/consultations/new/",
        {
            "received_on": "2026-06-01",
            "channel": "walk_in",
            "area": city["area"].pk,
            "summary": "防犯灯の相談",
            "outcome": "referred",
            "referred_department": "道路管理課",
        },
    )
    assert response.status_code == 302
    from liaisons.models import Consultation

    consultation = Consultation.objects.get()
    assert client.get(consultation.get_absolute_url()).status_code == 200
    stranger = signed_in(officer_on(city["other_area"]).user)
    assert stranger.get(consultation.get_absolute_url()).status_code == 404
    assert "防犯灯" not in stranger.get("/liaisons/consultations/").content.decode()
    ConsultationFactory(area=city["other_area"], summary="南の相談")
