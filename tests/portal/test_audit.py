from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.checks import run_checks
from django.db import DatabaseError, transaction
from django.utils import timezone

from areas.models import Area, Organisation
from portal import audit
from portal.audit import Actor
from portal.models import AuditLogEntry, Role, User
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_row_says_who_acting_as_what_and_from_where_but_not_the_query(rf, user_with_role):
    actor = user_with_role(Role.COORDINATOR, email="coord@example.jp")
    target = UserFactory(email="someone@example.jp", full_name="住民 花子")
    request = rf.get(
        "/answer/?code=ABCD-EFGH", HTTP_USER_AGENT="TestBrowser", REMOTE_ADDR="10.0.0.5"
    )
    request.user = actor
    entry = audit.record(
        by=Actor.from_request(request),
        action="surveys.letters.printed",
        target=target,
        purpose="第3回エリアミーティングの案内",
        data={"rows": 3, "password": "x", "nested": {"access_code": "ABC"}},
    )
    entry.refresh_from_db()
    assert entry.actor_email == "coord@example.jp"
    assert entry.actor_role == Role.COORDINATOR
    assert entry.kind == AuditLogEntry.Kind.EXPORT
    assert (entry.target_type, entry.target_id) == ("portal.user", str(target.pk))
    # A label, never the person's name or address.
    assert entry.target_repr == f"利用者 #{target.pk}"
    assert "花子" not in str(entry.__dict__) and "someone@" not in str(entry.__dict__)
    assert entry.data == {"rows": 3, "password": "***", "nested": {"access_code": "***"}}
    # The access code in the query string never reaches the log.
    assert (entry.ip_address, entry.user_agent, entry.request_path) == (
        "10.0.0.5",
        "TestBrowser",
        "/answer/",
    )


def test_sensitive_fields_are_masked_by_model_not_by_key_name():
    changes = audit.changes_between(
        {"contact_email": "old@example.jp", "name": "旧名", "code": "A01"},
        {"contact_email": "new@example.jp", "name": "新名", "code": "A02"},
        model=Organisation,
    )
    assert changes["contact_email"] == {"old": "***", "new": "***"}
    assert changes["name"] == {"old": "旧名", "new": "新名"}
    # An area code is not personal data and stays readable.
    assert audit.changes_between({"code": "A01"}, {"code": "A02"}, model=Area) == {
        "code": {"old": "A01", "new": "A02"}
    }
    assert audit.changes_between(
        {"invitation_code": "X"}, {"invitation_code": "Y"}, model=Area
    ) == {"invitation_code": {"old": "***", "new": "***"}}


def test_an_organisation_update_records_old_and_new_values(client_as):
    from tests.factories import AreaFactory

    area = AreaFactory()
    organisation = OrganisationFactory(name="旧名の会", areas=[area], contact_phone="03-0000-0000")
    client = client_as(Role.COORDINATOR)
    client.post(
        f"/areas/organisations/{organisation.pk}/edit/",
        {
            "name": "新名の会",
            "name_kana": "",
            "kind": organisation.kind,
            "areas": [area.pk],
            "contact_phone": "03-1111-1111",
        },
    )
    entry = AuditLogEntry.objects.get(action="areas.organisation.updated")
    assert entry.actor_role == Role.COORDINATOR
    assert entry.data["changes"]["name"] == {"old": "旧名の会", "new": "新名の会"}
    assert entry.data["changes"]["contact_phone"] == {"old": "***", "new": "***"}
    assert "03-1111" not in str(entry.data)


def test_entries_are_never_changed(user_with_role):
    entry = audit.record(
        by=Actor.for_user(user_with_role(Role.ADMINISTRATOR)),
        action="surveys.register.viewed",
        target="resident register",
    )
    entry.purpose = "changed"
    with pytest.raises(ValueError):
        entry.save()


def test_the_database_itself_refuses_to_change_or_delete_entries(user_with_role):
    entry = audit.record(
        by=Actor.for_user(user_with_role(Role.ADMINISTRATOR)),
        action="surveys.register.viewed",
        target="resident register",
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLogEntry.objects.filter(pk=entry.pk).update(purpose="hidden")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLogEntry.objects.filter(pk=entry.pk).delete()
    assert AuditLogEntry.objects.filter(pk=entry.pk, purpose="").exists()


def test_entries_survive_the_actor_account(user_with_role):
    actor = user_with_role(Role.COORDINATOR, email="gone@example.jp")
    actor_id = actor.pk
    audit.record(by=Actor.for_user(actor), action="surveys.register.viewed", target="x")
    actor.delete()
    entry = AuditLogEntry.objects.get()
    assert not User.objects.filter(pk=actor_id).exists()
    assert entry.actor_id == actor_id
    assert entry.actor_email == "gone@example.jp"


def test_a_personal_data_model_in_the_admin_without_the_audited_mixin_fails_the_checks():
    class Careless(admin.ModelAdmin):
        pass

    site_registry = admin.site._registry
    original = site_registry[Organisation]
    site_registry[Organisation] = Careless(Organisation, admin.site)
    try:
        ids = [message.id for message in run_checks()]
    finally:
        site_registry[Organisation] = original
    assert "portal.E010" in ids
    assert "portal.E010" not in [message.id for message in run_checks()]


def _entry(actor, action, target, *, created_at=None):
    entry = AuditLogEntry(
        actor=actor,
        actor_email=actor.email,
        actor_role=Role.LIAISON_OFFICER,
        action=action,
        kind=audit.kind_of(action),
        target_type="test",
        target_repr=target,
    )
    if created_at:
        entry.created_at = created_at
    entry.save()
    return entry


def test_administrator_browses_and_filters_the_log(client_as):
    client = client_as(Role.ADMINISTRATOR)
    coordinator = UserFactory(email="coord@example.jp", role=Role.COORDINATOR)
    officer = UserFactory(email="officer@example.jp", role=Role.LIAISON_OFFICER)
    _entry(coordinator, "surveys.register.exported", "名簿A")
    _entry(officer, "surveys.register.viewed", "名簿B")
    _entry(
        officer,
        "surveys.register.viewed",
        "名簿C",
        created_at=timezone.now() - timedelta(days=40),
    )

    def listed(**filters):
        page = client.get("/staff/audit-log/", filters).content.decode()
        return {name for name in ("名簿A", "名簿B", "名簿C") if name in page}

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
    assert entry.actor_role == Role.ADMINISTRATOR
    assert entry.data["filters"] == {"action": "export"}


def test_audit_log_list_paginates_without_n_plus_one(client_as, django_assert_max_num_queries):
    client = client_as(Role.ADMINISTRATOR)
    actors = [UserFactory() for _ in range(5)]
    for n in range(120):
        _entry(actors[n % 5], "x.record.viewed", f"記録{n}")
    # A fixed number (session, user, roles, representation, count, page, the
    # view's own entry, ...), not one per row.
    with django_assert_max_num_queries(12):
        response = client.get("/staff/audit-log/", {"page": 2})
    assert response.status_code == 200
    assert "2 / 3 ページ" in response.content.decode()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LIAISON_OFFICER, Role.REVIEWER])
def test_only_administrators_read_the_log(client_as, role):
    assert client_as(role).get("/staff/audit-log/").status_code == 403


def test_admin_site_views_changes_and_password_sets_are_logged(client_as):
    client = client_as(Role.ADMINISTRATOR)
    person = UserFactory(email="resident@example.jp", full_name="住民 花子")
    client.get(f"/admin/portal/user/{person.pk}/change/")
    response = client.post(
        f"/admin/portal/user/{person.pk}/change/",
        {
            "email": "resident@example.jp",
            "full_name": "住民 はなこ",
            "full_name_kana": "",
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    client.post(
        f"/admin/portal/user/{person.pk}/password/",
        {"password1": "a-new-long-password-1", "password2": "a-new-long-password-1"},
    )
    actions = sorted(
        AuditLogEntry.objects.filter(target_id=str(person.pk)).values_list("action", flat=True)
    )
    assert actions == [
        "admin.portal.user.password_set",
        "admin.portal.user.updated",
        "admin.portal.user.viewed",
    ]
    change = AuditLogEntry.objects.get(action="admin.portal.user.updated")
    assert change.data["changes"]["full_name"] == {"old": "***", "new": "***"}
    assert "はなこ" not in str(change.data)


def test_admin_site_lists_searches_and_deletions_are_logged(client_as):
    client = client_as(Role.ADMINISTRATOR)
    organisation = OrganisationFactory()
    client.get("/admin/portal/user/", {"q": "hanako"})
    client.get("/admin/areas/organisation/")
    client.get(f"/admin/areas/organisation/{organisation.pk}/change/")
    client.get("/admin/account/emailaddress/")
    client.get(
        "/admin/autocomplete/",
        {"app_label": "areas", "model_name": "district", "field_name": "district", "term": "a"},
    )
    doomed = UserFactory()
    client.post(f"/admin/portal/user/{doomed.pk}/delete/", {"post": "yes"})
    logged = set(AuditLogEntry.objects.values_list("target_type", "target_id", "action"))
    assert {
        ("portal.user", "", "admin.portal.user.listed"),
        ("areas.organisation", "", "admin.areas.organisation.listed"),
        ("areas.organisation", str(organisation.pk), "admin.areas.organisation.viewed"),
        ("account.emailaddress", "", "admin.account.emailaddress.listed"),
        ("portal.user", str(doomed.pk), "admin.portal.user.deleted"),
    } <= logged
    search = AuditLogEntry.objects.get(action="admin.portal.user.listed")
    assert search.data == {"search": True, "filters": ["q"]}
    assert "hanako" not in str(search.__dict__)


def test_the_authenticator_admin_never_shows_or_edits_the_secret(client_as):
    from allauth.mfa.models import Authenticator

    client = client_as(Role.ADMINISTRATOR)
    staff = UserFactory(role=Role.COORDINATOR)
    authenticator = Authenticator.objects.create(
        user=staff, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    page = client.get(
        f"/admin/portal/staffauthenticator/{authenticator.pk}/change/"
    ).content.decode()
    assert "JBSWY3DPEHPK3PXP" not in page
    client.post(
        f"/admin/portal/staffauthenticator/{authenticator.pk}/change/",
        {"user": staff.pk, "type": "totp", "data": '{"secret": "X"}'},
    )
    authenticator.refresh_from_db()
    assert authenticator.data == {"secret": "JBSWY3DPEHPK3PXP"}


def test_administrator_exports_the_filtered_log_as_csv_for_excel(client_as):
    client = client_as(Role.ADMINISTRATOR)
    officer = UserFactory(email="officer@example.jp", role=Role.LIAISON_OFFICER)
    _entry(officer, "liaisons.consultation.viewed", "髙橋さんの相談記録")
    _entry(officer, "surveys.register.exported", "名簿")

    response = client.get("/staff/audit-log/export/", {"action": "view"})
    assert response["Content-Type"] == "text/csv"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("日時,操作者,操作者の役割,操作")
    assert len([line for line in lines[1:] if line]) == 1
    assert "髙橋さんの相談記録" in lines[1]
    # Japanese values, not `liaison_officer` / `view`.
    assert "地域担当職員" in lines[1] and "閲覧" in lines[1]

    sjis = client.get("/staff/audit-log/export/", {"action": "view", "encoding": "cp932"})
    assert "髙橋さんの相談記録" in sjis.content.decode("cp932")

    export = AuditLogEntry.objects.filter(kind="export", target_type="portal.auditlogentry")
    assert export.count() == 2
    assert export.first().data["rows"] == 1


def test_cp932_export_names_the_characters_it_cannot_hold(client_as):
    client = client_as(Role.ADMINISTRATOR)
    _entry(client.user, "x.record.viewed", "𠮷田さんの記録")
    response = client.get("/staff/audit-log/export/", {"encoding": "cp932"}, follow=True)
    page = response.content.decode()
    assert "Shift_JIS（CP932）で表せない文字があるため出力できません: 𠮷" in page
    assert not AuditLogEntry.objects.filter(kind="export").exists()


def test_only_administrators_export_the_log(client_as):
    assert client_as(Role.COORDINATOR).get("/staff/audit-log/export/").status_code == 403
