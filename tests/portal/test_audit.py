from datetime import timedelta

import pytest
from django.utils import timezone

from portal import audit
from portal.models import AuditLogEntry, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_record_access_masks_secrets_and_keeps_who_and_where(rf, user_with_role):
    actor = user_with_role(Role.COORDINATOR, email="coord@example.jp")
    target = UserFactory(email="someone@example.jp")
    request = rf.get("/somewhere/?q=1", HTTP_USER_AGENT="TestBrowser", REMOTE_ADDR="10.0.0.5")
    entry = audit.record_access(
        actor=actor,
        action=AuditLogEntry.Action.EXPORT,
        target=target,
        request=request,
        purpose="第3回エリアミーティングの案内",
        data={"rows": 3, "password": "x", "nested": {"access_code": "ABC"}},
    )
    entry.refresh_from_db()
    assert entry.actor_email == "coord@example.jp"
    assert entry.actor_role == Role.COORDINATOR
    assert (entry.target_type, entry.target_id) == ("portal.user", str(target.pk))
    assert entry.data == {"rows": 3, "password": "***", "nested": {"access_code": "***"}}
    assert (entry.ip_address, entry.user_agent, entry.request_path) == (
        "10.0.0.5",
        "TestBrowser",
        "/somewhere/?q=1",
    )


def test_client_ip_trusts_only_the_configured_proxies(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8", REMOTE_ADDR="10.0.0.1")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert audit.client_ip(request) == "10.0.0.1"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert audit.client_ip(request) == "5.6.7.8"


def test_entries_are_never_changed(user_with_role):
    entry = audit.record_access(
        actor=user_with_role(Role.ADMINISTRATOR), action="view", target="resident register"
    )
    entry.purpose = "changed"
    with pytest.raises(ValueError):
        entry.save()


def test_entries_survive_the_actor_account(user_with_role):
    actor = user_with_role(Role.COORDINATOR, email="gone@example.jp")
    entry = audit.record_access(actor=actor, action="view", target="x")
    actor.delete()
    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.actor_email == "gone@example.jp"


def test_administrator_browses_and_filters_the_log(client_as):
    client = client_as(Role.ADMINISTRATOR)
    coordinator = UserFactory(email="coord@example.jp", role=Role.COORDINATOR)
    officer = UserFactory(email="officer@example.jp", role=Role.LIAISON_OFFICER)
    audit.record_access(actor=coordinator, action="export", target="名簿A")
    audit.record_access(actor=officer, action="view", target="名簿B")
    old = audit.record_access(actor=officer, action="view", target="名簿C")
    AuditLogEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))

    def listed(**filters):
        page = client.get("/staff/audit-log/", filters).content.decode()
        return {name for name in ("名簿A", "名簿B", "名簿C") if f">{name} <span" in page}

    assert listed() == {"名簿A", "名簿B", "名簿C"}
    assert listed(actor_email="coord") == {"名簿A"}
    assert listed(action="view") == {"名簿B", "名簿C"}
    since = timezone.localdate() - timedelta(days=7)
    assert listed(
        date_from_year=since.year, date_from_month=since.month, date_from_day=since.day
    ) == {"名簿A", "名簿B"}


def test_bad_filter_dates_are_explained(client_as):
    client = client_as(Role.ADMINISTRATOR)
    page = client.get(
        "/staff/audit-log/",
        {"date_from_year": "2026", "date_from_month": "2", "date_from_day": "30"},
    ).content.decode()
    assert "存在する日付を年・月・日の数字で入力してください。" in page


def test_reading_the_log_is_itself_logged(client_as):
    client = client_as(Role.ADMINISTRATOR)
    client.get("/staff/audit-log/", {"action": "export"})
    entry = AuditLogEntry.objects.get(target_type="portal.auditlogentry")
    assert entry.actor == client.user
    assert entry.data["filters"] == {"action": "export"}


def test_audit_log_list_paginates_without_n_plus_one(client_as, django_assert_max_num_queries):
    client = client_as(Role.ADMINISTRATOR)
    actors = [UserFactory() for _ in range(5)]
    for n in range(120):
        audit.record_access(actor=actors[n % 5], action="view", target=f"記録{n}")
    with django_assert_max_num_queries(10):
        response = client.get("/staff/audit-log/", {"page": 2})
    assert response.status_code == 200
    assert "2 / 3 ページ" in response.content.decode()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LIAISON_OFFICER, Role.REVIEWER])
def test_only_administrators_read_the_log(client_as, role):
    assert client_as(role).get("/staff/audit-log/").status_code == 403


def test_admin_site_views_and_changes_of_accounts_are_logged(client_as):
    client = client_as(Role.ADMINISTRATOR)
    person = UserFactory(email="resident@example.jp")
    client.get(f"/admin/portal/user/{person.pk}/change/")
    client.post(
        f"/admin/portal/user/{person.pk}/change/",
        {
            "email": "resident@example.jp",
            "full_name": "住民 花子",
            "full_name_kana": "",
            "role": Role.REPRESENTATIVE,
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    person.refresh_from_db()
    assert person.role == Role.REPRESENTATIVE
    actions = list(
        AuditLogEntry.objects.filter(target_id=str(person.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["change", "view"]
    change = AuditLogEntry.objects.get(action="change")
    assert change.data["changed"]["role"] == "representative"


def test_admin_site_lists_of_accounts_and_organisations_are_logged(client_as):
    from tests.factories import OrganisationFactory

    client = client_as(Role.ADMINISTRATOR)
    organisation = OrganisationFactory()
    client.get("/admin/portal/user/", {"q": "hanako"})
    client.get("/admin/areas/organisation/")
    client.get(f"/admin/areas/organisation/{organisation.pk}/change/")
    logged = set(AuditLogEntry.objects.values_list("target_type", "target_id", "action"))
    assert logged == {
        ("portal.user", "", "view"),
        ("areas.organisation", "", "view"),
        ("areas.organisation", str(organisation.pk), "view"),
    }
    assert AuditLogEntry.objects.get(target_type="portal.user").data == {"query": {"q": "hanako"}}


def test_administrator_exports_the_filtered_log_as_csv_for_excel(client_as):
    client = client_as(Role.ADMINISTRATOR)
    officer = UserFactory(email="officer@example.jp", role=Role.LIAISON_OFFICER)
    audit.record_access(actor=officer, action="view", target="髙橋さんの相談記録")
    audit.record_access(actor=officer, action="export", target="名簿")

    response = client.get("/staff/audit-log/export/", {"action": "view"})
    assert response["Content-Type"] == "text/csv"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("日時,操作者,操作者の役割,操作")
    assert len([line for line in lines[1:] if line]) == 1
    assert "髙橋さんの相談記録" in lines[1]

    sjis = client.get("/staff/audit-log/export/", {"action": "view", "encoding": "cp932"})
    assert "髙橋さんの相談記録" in sjis.content.decode("cp932")

    export = AuditLogEntry.objects.filter(action="export", target_type="portal.auditlogentry")
    assert export.count() == 2
    assert export.first().data["rows"] == 1


def test_cp932_export_names_the_characters_it_cannot_hold(client_as):
    client = client_as(Role.ADMINISTRATOR)
    audit.record_access(actor=client.user, action="view", target="𠮷田さんの記録")
    response = client.get("/staff/audit-log/export/", {"encoding": "cp932"}, follow=True)
    page = response.content.decode()
    assert "Shift_JIS（CP932）で表せない文字があるため出力できません: 𠮷" in page
    assert not AuditLogEntry.objects.filter(action="export").exists()


def test_only_administrators_export_the_log(client_as):
    assert client_as(Role.COORDINATOR).get("/staff/audit-log/export/").status_code == 403
