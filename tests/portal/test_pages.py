import io

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from areas.models import Area, District, Organisation
from areas.selectors import current_organisations_of
from portal.models import AuditLogEntry, Role, User
from portal.tasks import clear_expired_sessions
from tests.factories import DistrictFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_is_safe_to_run_twice():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    counts = (Area.objects.count(), District.objects.count(), Organisation.objects.count())
    users = User.objects.count()
    call_command("seed_demo", stdout=out)
    # Six organisations and one resident's registration waiting for approval.
    assert counts == (5, 23, 7)
    assert (Area.objects.count(), District.objects.count(), Organisation.objects.count()) == counts
    assert User.objects.count() == users == 7
    assert "resident@example.jp" in out.getvalue() and "portal-demo" in out.getvalue()
    representative = User.objects.get(email="representative@example.jp")
    assert [o.name for o in current_organisations_of(representative)] == ["桜ヶ丘一丁目自治会"]
    # The demo's records were made through the services: its audit log is not empty.
    assert AuditLogEntry.objects.filter(action="areas.representation.approved").count() == 1


def test_home_page_is_japanese_and_lists_areas(client):
    DistrictFactory(area__name="北部")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ja">' in page
    assert 'href="#main"' in page and '<main id="main"' in page
    assert "北部" in page


def test_switching_to_english_is_remembered(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert '<h2 id="areas-heading">Areas</h2>' in page
    assert client.get("/areas/").content.decode().count('<html lang="en">') == 1


def test_resident_sets_name_kana_and_district_on_the_profile(client_as):
    district = DistrictFactory(area__name="東部", name="和田")
    client = client_as(Role.RESIDENT)
    response = client.post(
        "/profile/",
        {"full_name": "多摩　花子", "full_name_kana": "たま　ﾊﾅｺ", "district": district.pk},
        follow=True,
    )
    assert "登録情報を保存しました。" in response.content.decode()
    client.user.refresh_from_db()
    # The name is kept as typed (full-width space); kana becomes full-width katakana.
    assert client.user.full_name == "多摩　花子"
    assert client.user.full_name_kana == "タマ　ハナコ"
    assert client.user.district == district
    assert "東部" in client.get("/").content.decode()


def test_profile_refuses_an_unknown_district(client_as):
    client = client_as(Role.RESIDENT)
    response = client.post("/profile/", {"full_name": "x", "district": 999999})
    assert response.status_code == 200
    assert "入力内容を確認してください" in response.content.decode()
    client.user.refresh_from_db()
    assert client.user.full_name != "x"


def test_pages_carry_a_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_accessibility_policy_page_states_the_target(client):
    page = client.get("/accessibility/").content.decode()
    assert "JIS X 8341-3:2016" in page


def test_staff_dashboard_shows_the_fiscal_year_in_wareki(client_as, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: timezone.datetime(2027, 2, 1).date())
    page = client_as(Role.COORDINATOR).get("/staff/").content.decode()
    assert "令和9年（2027年）2月1日" in page
    assert "令和8年度" in page


def test_periodic_tasks_run_inline_on_the_embedded_default():
    Session.objects.create(
        session_key="old", session_data="", expire_date=timezone.now() - timezone.timedelta(days=1)
    )
    result = clear_expired_sessions.delay()
    assert result.successful()
    assert not Session.objects.filter(session_key="old").exists()


def test_my_page_lists_the_organisations_the_user_represents(client_as):
    client = client_as(Role.REPRESENTATIVE)
    OrganisationFactory(name="本町一丁目自治会", representatives=[client.user])
    OrganisationFactory(name="よその自治会")
    page = client.get("/mypage/").content.decode()
    assert "本町一丁目自治会" in page
    assert "よその自治会" not in page
    assert 'href="/profile/"' in page
    assert '<a href="/mypage/" aria-current="page">マイページ</a>' in page


def test_my_page_needs_a_signed_in_user(client):
    response = client.get("/mypage/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_english_pages_name_sdgs_in_english(client_as):
    client = _english(client_as(Role.COORDINATOR))
    issues = client.get("/areas/issues/").content.decode()
    assert "Sustainable Cities and Communities" in issues
    assert "住み続けられるまちづくりを" not in issues
    form = client.get("/areas/issues/new/").content.decode()
    assert "11. Sustainable Cities and Communities" in form
    assert "17. Partnerships for the Goals" in form


def test_japanese_pages_keep_the_japanese_sdg_names(client_as):
    form = client_as(Role.COORDINATOR).get("/areas/issues/new/").content.decode()
    assert "11. 住み続けられるまちづくりを" in form


def test_english_dashboard_shows_western_dates(client_as, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: timezone.datetime(2027, 2, 1).date())
    page = _english(client_as(Role.COORDINATOR)).get("/staff/").content.decode()
    assert "令和" not in page
    assert "2027" in page and "FY2026" in page


def test_audit_log_names_target_types_by_their_model(client_as):
    client = client_as(Role.ADMINISTRATOR)
    AuditLogEntry.objects.create(
        actor_email="a@example.jp", action="view", target_type="areas.organisation"
    )
    AuditLogEntry.objects.create(
        actor_email="a@example.jp", action="view", target_type="gone.model"
    )
    client.get("/staff/audit-log/")  # logs a view of the audit log itself
    page = client.get("/staff/audit-log/").content.decode()
    assert '<option value="portal.auditlogentry">監査ログ</option>' in page
    assert '<option value="areas.organisation">団体</option>' in page
    assert '<option value="gone.model">gone.model</option>' in page
    assert "(監査ログ)" in page and "portal.auditlogentry" not in page.split("<tbody>")[1]


def test_audit_log_filters_by_a_japanese_era_year(client_as):
    client = client_as(Role.ADMINISTRATOR)
    AuditLogEntry.objects.create(
        actor_email="x@example.jp",
        action="surveys.register.viewed",
        kind="view",
        target_repr="名簿R",
        created_at=timezone.make_aware(timezone.datetime(2026, 4, 1, 10)),
    )
    query = {"date_from_era": "R", "date_from_year": "8", "date_from_month": "4"}
    page = client.get("/staff/audit-log/", {**query, "date_from_day": "1"}).content.decode()
    assert "名簿R" in page
    page = client.get("/staff/audit-log/", {**query, "date_from_day": "2"}).content.decode()
    assert "名簿R" not in page


def test_an_invalid_audit_filter_lists_and_exports_nothing(client_as):
    client = client_as(Role.ADMINISTRATOR)
    AuditLogEntry.objects.create(
        actor_email="x@example.jp", action="x.y.viewed", kind="view", target_repr="名簿Z"
    )
    bad = {"action": "view", "date_from_year": "8", "date_from_month": "4", "date_from_day": "1"}
    response = client.get("/staff/audit-log/", bad)
    page = response.content.decode()
    assert "西暦の年は4桁で入力してください" in page
    assert "名簿Z" not in page
    assert "検索条件に誤りがあるため、記録を表示していません" in page
    # The typed values stay in the form.
    assert 'name="date_from_year" value="8"' in page

    export = client.get("/staff/audit-log/export/", bad, follow=True)
    assert export["Content-Type"].startswith("text/html")
    assert "検索条件に誤りがあるため出力できません" in export.content.decode()
    assert not AuditLogEntry.objects.filter(action="export").exists()


def test_page_titles_name_the_page_then_the_portal(client):
    assert "<title>ホーム | 地域協働ポータル</title>" in client.get("/").content.decode()
    missing = client.get("/no-such-page/")
    assert "<title>ページが見つかりません | 地域協働ポータル</title>" in missing.content.decode()
