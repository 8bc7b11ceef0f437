"""Consultation records after they are taken: corrections and the CSV and
XLSX exports, driven through the pages as each role."""

import csv
import io

import openpyxl
import pytest
from django.test import Client

from liaisons.models import Consultation
from portal.audit import MASK
from portal.models import AuditLogEntry, Role
from tests.factories import AreaFactory, UserFactory
from tests.liaisons.factories import ConsultationFactory, officer_on

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def city():
    north, south = AreaFactory(name="北地域"), AreaFactory(name="南地域")
    officer = officer_on(north)
    colleague = officer_on(north)
    stranger = officer_on(south)
    mine = ConsultationFactory(
        area=north,
        received_by=officer.user,
        summary="集会所の鍵の相談",
        received_on="2026-06-01",
    )
    colleagues = ConsultationFactory(
        area=north, received_by=colleague.user, summary="ごみ集積所の相談", received_on="2026-06-03"
    )
    south_one = ConsultationFactory(
        area=south, received_by=stranger.user, summary="南の防犯灯", received_on="2026-06-02"
    )
    return {
        "north": north,
        "south": south,
        "officer": officer.user,
        "colleague": colleague.user,
        "stranger": stranger.user,
        "mine": mine,
        "colleagues": colleagues,
        "south_one": south_one,
    }


def edit_data(consultation, **changes):
    data = {
        "received_on": consultation.received_on,
        "channel": consultation.channel,
        "area": consultation.area_id,
        "summary": consultation.summary,
        "outcome": consultation.outcome,
        "referred_department": consultation.referred_department,
    }
    data.update(changes)
    return data


def edit_url(consultation):
    return f"/liaisons/consultations/{consultation.pk}/edit/"


# --- Editing ----------------------------------------------------------------------


def test_the_edit_page_that_shows_the_summary_writes_an_audit_row(city):
    client = signed_in(city["officer"])
    assert client.get(edit_url(city["mine"])).status_code == 200
    entry = AuditLogEntry.objects.get(action="liaisons.consultation.viewed")
    assert entry.actor == city["officer"] and entry.target_id == str(city["mine"].pk)
    assert entry.request_path == edit_url(city["mine"])


def test_the_officer_who_took_it_corrects_it_and_the_audit_masks_the_summary(city):
    client = signed_in(city["officer"])
    detail = client.get(city["mine"].get_absolute_url()).content.decode()
    assert edit_url(city["mine"]) in detail
    page = client.get(edit_url(city["mine"]))
    assert page.status_code == 200
    assert "集会所の鍵の相談" in page.content.decode()
    response = client.post(
        edit_url(city["mine"]),
        edit_data(
            city["mine"],
            summary="集会所の鍵の貸し出しの相談",
            outcome="referred",
            referred_department="  施設管理課 ",
            fingerprint=page.context["form"].initial["fingerprint"],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == city["mine"].get_absolute_url()
    city["mine"].refresh_from_db()
    assert city["mine"].summary == "集会所の鍵の貸し出しの相談"
    assert city["mine"].referred_department == "施設管理課"
    assert city["mine"].received_by == city["officer"]
    entry = AuditLogEntry.objects.get(action="liaisons.consultation.updated")
    assert entry.actor == city["officer"]
    assert entry.actor_role == Role.LIAISON_OFFICER
    changes = entry.data["changes"]
    assert changes["summary"] == {"old": MASK, "new": MASK}
    assert changes["outcome"] == {"old": "answered", "new": "referred"}
    assert changes["referred_department"] == {"old": "", "new": "施設管理課"}
    assert "集会所" not in str(entry.data)


def test_a_coordinator_corrects_any_record(city):
    client = signed_in(UserFactory(role=Role.COORDINATOR))
    response = client.post(
        edit_url(city["south_one"]), edit_data(city["south_one"], channel="visit")
    )
    assert response.status_code == 302
    city["south_one"].refresh_from_db()
    assert city["south_one"].channel == "visit"
    entry = AuditLogEntry.objects.get(action="liaisons.consultation.updated")
    assert entry.actor_role == Role.COORDINATOR
    assert entry.data["changes"] == {"channel": {"old": "phone", "new": "visit"}}


def test_a_colleague_on_the_same_area_reads_but_cannot_edit(city):
    client = signed_in(city["colleague"])
    assert client.get(city["mine"].get_absolute_url()).status_code == 200
    assert (
        edit_url(city["mine"]) not in client.get(city["mine"].get_absolute_url()).content.decode()
    )
    assert client.get(edit_url(city["mine"])).status_code == 403
    response = client.post(edit_url(city["mine"]), edit_data(city["mine"], summary="書き換え"))
    assert response.status_code == 403
    city["mine"].refresh_from_db()
    assert city["mine"].summary == "集会所の鍵の相談"


def test_another_areas_officer_and_an_administrator_cannot_edit(city):
    stranger = signed_in(city["stranger"])
    assert stranger.get(edit_url(city["mine"])).status_code == 404
    assert stranger.post(edit_url(city["mine"]), edit_data(city["mine"])).status_code == 404
    administrator = signed_in(UserFactory(role=Role.ADMINISTRATOR))
    assert administrator.get(city["mine"].get_absolute_url()).status_code == 200
    assert administrator.get(edit_url(city["mine"])).status_code == 403
    assert not AuditLogEntry.objects.filter(action="liaisons.consultation.updated").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"outcome": "referred", "referred_department": "  "}, "部署名を入力してください"),
        ({"summary": ""}, "このフィールドは必須です"),
        ({"received_on": "令和八年十三月"}, "日付を正しく入力してください"),
        ({"channel": "fax"}, "正しく選択してください"),
        ({"summary": "長" * 4001}, "4000 文字以下"),
    ],
)
def test_bad_corrections_are_refused_in_japanese_and_nothing_changes(city, changes, message):
    client = signed_in(city["officer"])
    response = client.post(edit_url(city["mine"]), edit_data(city["mine"], **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    city["mine"].refresh_from_db()
    assert city["mine"].summary == "集会所の鍵の相談"
    assert not AuditLogEntry.objects.filter(action="liaisons.consultation.updated").exists()


def test_a_save_over_a_change_made_meanwhile_shows_the_saved_record_first(city):
    officer = signed_in(city["officer"])
    shown = officer.get(edit_url(city["mine"])).context["form"].initial["fingerprint"]
    coordinator = signed_in(UserFactory(role=Role.COORDINATOR))
    coordinator.post(edit_url(city["mine"]), edit_data(city["mine"], summary="調整役の訂正"))

    stale = officer.post(
        edit_url(city["mine"]),
        edit_data(city["mine"], summary="担当者の訂正", fingerprint=shown),
    )
    assert stale.status_code == 400
    page = stale.content.decode()
    assert "ほかの職員が更新しました" in page
    assert "調整役の訂正" in page  # what is saved now
    assert "担当者の訂正" in page  # what they typed, kept
    city["mine"].refresh_from_db()
    assert city["mine"].summary == "調整役の訂正"

    # Saving again, having seen it, is a deliberate choice and goes through.
    again = stale.context["form"].data
    assert officer.post(edit_url(city["mine"]), again).status_code == 302
    city["mine"].refresh_from_db()
    assert city["mine"].summary == "担当者の訂正"


def test_saving_without_a_change_writes_no_audit_row(city):
    client = signed_in(city["officer"])
    response = client.post(edit_url(city["mine"]), edit_data(city["mine"]), follow=True)
    assert "変更はありませんでした" in response.content.decode()
    assert not AuditLogEntry.objects.filter(action="liaisons.consultation.updated").exists()


# --- Export -----------------------------------------------------------------------


def read(response, encoding):
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode(encoding))))


def test_an_officer_exports_their_areas_records_filtered_like_the_list(city):
    client = signed_in(city["officer"])
    listed = client.get("/liaisons/consultations/").content.decode()
    assert "/liaisons/consultations/export/" in listed
    response = client.get("/liaisons/consultations/export/")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in response["Content-Disposition"]
    rows = read(response, "utf-8-sig")
    assert rows[0][:4] == ["番号", "受付日", "地域コード", "地域"]
    summaries = {row[10] for row in rows[1:]}
    assert summaries == {"集会所の鍵の相談", "ごみ集積所の相談"}  # not the south's

    filtered = read(
        client.get("/liaisons/consultations/export/", {"since": "2026-06-02", "page": "3"}),
        "utf-8-sig",
    )
    assert [row[10] for row in filtered[1:]] == ["ごみ集積所の相談"]

    entry = AuditLogEntry.objects.filter(action="liaisons.consultations.exported").latest("pk")
    assert entry.kind == AuditLogEntry.Kind.EXPORT
    assert entry.data["rows"] == 1
    assert entry.data["filters"] == {"since": "2026-06-02"}
    assert entry.data["format"] == "csv" and entry.data["encoding"] == "utf-8"
    assert "ごみ" not in str(entry.data)


def test_a_coordinator_exports_every_area_in_cp932_by_area(city):
    client = signed_in(UserFactory(role=Role.COORDINATOR))
    response = client.get(
        "/liaisons/consultations/export/", {"encoding": "cp932", "area": city["south"].pk}
    )
    assert response.status_code == 200
    rows = read(response, "cp932")
    assert [row[10] for row in rows[1:]] == ["南の防犯灯"]
    assert rows[1][3] == "南地域"
    assert AuditLogEntry.objects.get(action="liaisons.consultations.exported").data["encoding"] == (
        "cp932"
    )


def test_formulas_are_neutralised_and_cp932_names_what_it_cannot_hold(city):
    Consultation.objects.filter(pk=city["mine"].pk).update(summary='=HYPERLINK("x")𠮷')
    client = signed_in(city["officer"])
    rows = read(client.get("/liaisons/consultations/export/"), "utf-8-sig")
    summary = next(row[10] for row in rows[1:] if row[0] == str(city["mine"].pk))
    assert summary.startswith("'=")
    refused = client.get("/liaisons/consultations/export/", {"encoding": "cp932"}, follow=True)
    assert "𠮷" in refused.content.decode()
    assert "UTF-8で出力してください" in refused.content.decode()
    assert not AuditLogEntry.objects.filter(
        action="liaisons.consultations.exported", data__encoding="cp932"
    ).exists()


def test_bad_filters_export_nothing(city):
    client = signed_in(city["officer"])
    response = client.get("/liaisons/consultations/export/", {"since": "いつか"}, follow=True)
    assert "条件を直してください" in response.content.decode()
    assert not AuditLogEntry.objects.filter(action="liaisons.consultations.exported").exists()


@pytest.mark.parametrize("query", [{}, {"encoding": "cp932"}, {"format": "xlsx"}])
def test_export_is_refused_to_people_without_the_list(city, query):
    url = "/liaisons/consultations/export/"
    assert signed_in(UserFactory()).get(url, query).status_code == 403
    assert signed_in(UserFactory(role=Role.REVIEWER)).get(url, query).status_code == 403
    anonymous = Client().get(url, query)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert not AuditLogEntry.objects.filter(action="liaisons.consultations.exported").exists()


def sheet_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_a_coordinator_exports_the_filtered_list_as_xlsx(city):
    client = signed_in(UserFactory(role=Role.COORDINATOR))
    listed = client.get("/liaisons/consultations/", {"area": city["north"].pk}).content.decode()
    assert "format=xlsx" in listed and "Excel（XLSX）で出力" in listed

    response = client.get(
        "/liaisons/consultations/export/",
        {"format": "xlsx", "area": city["north"].pk, "since": "2026-06-01", "page": "2"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert ".xlsx" in response["Content-Disposition"]
    rows = sheet_rows(response)
    assert rows[0][:4] == ["番号", "受付日", "地域コード", "地域"]
    assert len(rows[0]) == 12
    # The list's order (newest first), the north's two only.
    assert [row[10] for row in rows[1:]] == ["ごみ集積所の相談", "集会所の鍵の相談"]
    assert rows[1][0] == city["colleagues"].pk  # the number stays a number
    assert rows[1][1] == "2026-06-03" and rows[1][3] == "北地域"

    entry = AuditLogEntry.objects.get(action="liaisons.consultations.exported")
    assert entry.kind == AuditLogEntry.Kind.EXPORT
    assert entry.data["format"] == "xlsx"
    assert entry.data["rows"] == 2
    assert entry.data["filters"] == {"area": city["north"].code, "since": "2026-06-01"}
    assert "ごみ" not in str(entry.data)


def test_an_officers_xlsx_holds_their_areas_records_only(city):
    client = signed_in(city["officer"])
    rows = sheet_rows(client.get("/liaisons/consultations/export/", {"format": "xlsx"}))
    assert {row[10] for row in rows[1:]} == {"集会所の鍵の相談", "ごみ集積所の相談"}


def test_xlsx_neutralises_formulas_and_drops_characters_a_sheet_cannot_hold(city):
    Consultation.objects.filter(pk=city["mine"].pk).update(summary='=HYPERLINK("x")\x0b𠮷')
    client = signed_in(city["officer"])
    response = client.get("/liaisons/consultations/export/", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = next(row[10] for row in sheet.iter_rows(min_row=2) if row[0].value == city["mine"].pk)
    assert cell.data_type == "s"  # text, not a formula
    assert cell.value == '\'=HYPERLINK("x")𠮷'


def test_an_unknown_format_exports_nothing(city):
    client = signed_in(city["officer"])
    response = client.get("/liaisons/consultations/export/", {"format": "pdf"}, follow=True)
    assert "出力する形式を選んでください" in response.content.decode()
    assert not AuditLogEntry.objects.filter(action="liaisons.consultations.exported").exists()
