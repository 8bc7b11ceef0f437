import datetime

import pytest
from django.test import Client
from django.utils import timezone

from areas.models import LocalIssue, Organisation, Representation, SdgGoal
from portal.models import AuditLogEntry, Role
from tests.factories import AreaFactory, DistrictFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    area = AreaFactory(code="A01", name="北部")
    DistrictFactory(area=area, code="A0101", name="桜ヶ丘一丁目")
    return area


def test_area_list_is_public_and_counts_in_one_query(client, area, django_assert_max_num_queries):
    for n in range(15):
        other = AreaFactory(code=f"Z{n:02d}")
        DistrictFactory(area=other)
        OrganisationFactory(areas=[other])
    with django_assert_max_num_queries(3):
        response = client.get("/areas/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "北部" in page and "Z14" in page


def test_area_detail_shows_districts_and_active_organisations(client, area):
    OrganisationFactory(name="桜ヶ丘自治会", areas=[area])
    OrganisationFactory(name="解散した会", areas=[area], is_active=False)
    page = client.get("/areas/A01/").content.decode()
    assert "桜ヶ丘一丁目" in page
    assert "桜ヶ丘自治会" in page
    assert "解散した会" not in page


def test_unknown_area_is_404(client):
    assert client.get("/areas/NOPE/").status_code == 404


def test_organisation_contacts_are_for_staff_only_and_audited(client, client_as, area):
    representative = UserFactory(email="rep@example.jp", full_name="代表 太郎")
    organisation = OrganisationFactory(areas=[area], representatives=[representative])

    public = client.get(f"/areas/organisations/{organisation.pk}/").content.decode()
    assert "rep@example.jp" not in public and "contact@example.jp" not in public
    assert not AuditLogEntry.objects.exists()

    officer = client_as(Role.LIAISON_OFFICER)
    page = officer.get(f"/areas/organisations/{organisation.pk}/").content.decode()
    assert "rep@example.jp" in page and "contact@example.jp" in page
    entry = AuditLogEntry.objects.get()
    assert entry.actor == officer.user
    assert entry.actor_role == Role.LIAISON_OFFICER
    assert entry.action == "areas.organisation_contacts.viewed"
    assert entry.kind == AuditLogEntry.Kind.VIEW
    assert (entry.target_type, entry.target_id) == ("areas.organisation", str(organisation.pk))
    assert entry.ip_address == "127.0.0.1"


def test_retired_organisations_are_not_reachable_by_the_public(client, client_as):
    organisation = OrganisationFactory(is_active=False)
    assert client.get(f"/areas/organisations/{organisation.pk}/").status_code == 404
    assert (
        client_as(Role.COORDINATOR).get(f"/areas/organisations/{organisation.pk}/").status_code
        == 200
    )


def test_representative_edits_their_own_organisation(client_as, area):
    client = client_as(Role.REPRESENTATIVE)
    organisation = OrganisationFactory(representatives=[client.user])
    response = client.post(
        f"/areas/organisations/{organisation.pk}/edit/",
        {
            "name": organisation.name,
            "name_kana": "ｻｸﾗ",
            "kind": Organisation.Kind.JICHIKAI,
            "areas": [area.pk],
            "description": "夏祭りを開きます。",
            "website": "example.jp/sakura",
            "contact_email": "",
            "contact_phone": "",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name_kana == "サクラ"
    assert organisation.website == "https://example.jp/sakura"
    assert list(organisation.areas.all()) == [area]


def test_representative_cannot_reach_another_organisation(client_as):
    client = client_as(Role.REPRESENTATIVE)
    OrganisationFactory(representatives=[client.user])
    other = OrganisationFactory()
    assert client.get(f"/areas/organisations/{other.pk}/edit/").status_code == 404
    assert client.post(f"/areas/organisations/{other.pk}/edit/", {"name": "x"}).status_code == 404


def test_resident_cannot_edit_organisations(client_as):
    organisation = OrganisationFactory()
    assert (
        client_as(Role.RESIDENT).get(f"/areas/organisations/{organisation.pk}/edit/").status_code
        == 403
    )


def test_invalid_organisation_edit_shows_errors_and_saves_nothing(client_as):
    client = client_as(Role.COORDINATOR)
    organisation = OrganisationFactory(name="元の名前")
    response = client.post(
        f"/areas/organisations/{organisation.pk}/edit/",
        {"name": "", "kind": "unknown", "contact_email": "not-an-address"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "入力内容を確認してください" in page
    assert 'aria-invalid="true"' in page
    organisation.refresh_from_db()
    assert organisation.name == "元の名前"


def test_catalogue_holds_the_21_survey_issues(client):
    assert LocalIssue.objects.filter(is_active=True).count() == 21
    page = client.get("/areas/issues/").content.decode()
    assert "防災意識を高めたり、日常的に備えたりすること" in page
    assert "情報化や情報格差への対応" in page


def test_coordinator_adds_and_retires_an_issue(client, client_as):
    coordinator = client_as(Role.COORDINATOR)
    response = coordinator.post(
        "/areas/issues/new/",
        {
            "number": 22,
            "title": "空き家の活用",
            "description": "",
            "sdg_goals": [],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    issue = LocalIssue.objects.get(number=22)
    assert "空き家の活用" in client.get("/areas/issues/").content.decode()

    coordinator.post(
        f"/areas/issues/{issue.pk}/edit/",
        {"number": 22, "title": "空き家の活用", "sdg_goals": [SdgGoal.objects.get(number=11).pk]},
    )
    issue.refresh_from_db()
    assert not issue.is_active
    assert [g.number for g in issue.sdg_goals.all()] == [11]
    client.logout()
    assert "空き家の活用" not in client.get("/areas/issues/").content.decode()


def test_duplicate_issue_titles_are_refused(client_as):
    response = client_as(Role.COORDINATOR).post(
        "/areas/issues/new/", {"number": 30, "title": "高齢者の生活支援", "is_active": "on"}
    )
    assert response.status_code == 200
    assert LocalIssue.objects.filter(title="高齢者の生活支援").count() == 1


def test_liaison_officers_cannot_edit_the_catalogue(client_as):
    issue = LocalIssue.objects.get(number=1)
    assert client_as(Role.LIAISON_OFFICER).get(f"/areas/issues/{issue.pk}/edit/").status_code == 403


def test_organisation_directory_filters_and_paginates(client, area, django_assert_max_num_queries):
    other = AreaFactory(code="A02", name="東部")
    OrganisationFactory(name="北部のNPO", kind=Organisation.Kind.NPO, areas=[area])
    OrganisationFactory(name="東部の自治会", areas=[other])
    for n in range(25):
        OrganisationFactory(
            name=f"企業{n:02d}", name_kana=f"キギョウ{n:02d}", kind="company", areas=[other]
        )

    page = client.get("/areas/organisations/", {"kind": "npo"}).content.decode()
    assert "北部のNPO" in page and "東部の自治会" not in page
    page = client.get("/areas/organisations/", {"area": area.pk}).content.decode()
    assert "北部のNPO" in page and "東部の自治会" not in page
    with django_assert_max_num_queries(5):
        page = client.get("/areas/organisations/", {"kind": "company", "page": 2}).content.decode()
    assert "企業24" in page and "企業00" not in page
    assert "2 / 2 ページ" in page


def test_bad_directory_filters_show_everything_with_a_message(client, area):
    OrganisationFactory(name="北部のNPO", areas=[area])
    page = client.get("/areas/organisations/", {"kind": "nonsense"}).content.decode()
    assert "北部のNPO" in page
    assert "入力内容を確認してください" in page


def test_coordinator_registers_an_organisation(client_as, area):
    client = client_as(Role.COORDINATOR)
    response = client.post(
        "/areas/organisations/new/",
        {"name": "NPO法人みどり", "name_kana": "みどり", "kind": "npo", "areas": [area.pk]},
    )
    organisation = Organisation.objects.get(name="NPO法人みどり")
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.name_kana == "ミドリ"
    assert list(organisation.areas.all()) == [area]


def test_the_same_organisation_cannot_be_registered_twice(client_as):
    client = client_as(Role.COORDINATOR)
    OrganisationFactory(name="桜ヶ丘自治会", kind="jichikai")
    response = client.post(
        "/areas/organisations/new/", {"name": "桜ヶ丘自治会", "kind": "jichikai"}
    )
    assert response.status_code == 200
    assert Organisation.objects.filter(name="桜ヶ丘自治会").count() == 1


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.REPRESENTATIVE, Role.LIAISON_OFFICER])
def test_only_coordinators_register_organisations(client_as, role):
    response = client_as(role).post("/areas/organisations/new/", {"name": "x", "kind": "npo"})
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="x").exists()


def test_directory_sorts_by_kana_in_gojuon_order(client, settings):
    if not settings.USING_POSTGRESQL:
        pytest.skip("the ICU collation (ja-x-icu) is PostgreSQL's")
    # Code-point order would put ｲ (half-width) last and カード after カトウ.
    names = [
        ("和田会", "ワダカイ"),
        ("青木会", "アオキカイ"),
        ("伊藤会", "ｲﾄｳｶｲ"),
        ("加藤会", "カトウカイ"),
        ("カード研究会", "カードケンキュウカイ"),
    ]
    for name, kana in names:
        OrganisationFactory(name=name, name_kana=kana)
    page = client.get("/areas/organisations/").content.decode()
    expected = ("青木会", "伊藤会", "カード研究会", "加藤会", "和田会")
    positions = [page.index(name) for name in expected]
    assert positions == sorted(positions)


def test_staff_link_a_representative_and_ending_the_period_ends_their_access(client_as, area):
    resident = UserFactory(email="new-rep@example.jp")
    organisation = OrganisationFactory(name="和田町内会", kind="chonaikai", areas=[area])
    coordinator = client_as(Role.COORDINATOR)
    client = Client()
    today = timezone.localdate()
    since = today - datetime.timedelta(days=10)
    response = coordinator.post(
        f"/areas/organisations/{organisation.pk}/representatives/",
        {"email": "NEW-REP@example.jp", "position": "chair", "valid_from": since.isoformat()},
    )
    assert response.status_code == 302
    representation = Representation.objects.get(user=resident, organisation=organisation)
    assert representation.status == Representation.Status.APPROVED
    assert representation.approved_by == coordinator.user
    linked = AuditLogEntry.objects.get(action="areas.representation.approved")
    assert linked.actor_role == Role.COORDINATOR
    assert linked.target_repr == f"団体 #{organisation.pk} の代表・担当 #{representation.pk}"

    client.force_login(resident)
    assert client.get(f"/areas/organisations/{organisation.pk}/edit/").status_code == 200

    yesterday = today - datetime.timedelta(days=1)
    coordinator.post(
        f"/areas/representations/{representation.pk}/end/", {"valid_until": yesterday.isoformat()}
    )
    representation.refresh_from_db()
    assert representation.valid_until == yesterday
    assert AuditLogEntry.objects.filter(action="areas.representation.ended").count() == 1
    # The record stays; the access ends with the period.
    assert client.get(f"/areas/organisations/{organisation.pk}/edit/").status_code == 403


def test_a_resident_registers_an_organisation_and_staff_approve_it(client_as, area):
    resident = client_as(Role.RESIDENT)
    client = Client()
    response = resident.post(
        "/areas/organisations/register/",
        {
            "name": "桜ヶ丘見守りの会",
            "name_kana": "さくら",
            "kind": "other",
            "areas": [area.pk],
            "position": "chair",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="桜ヶ丘見守りの会")
    assert organisation.approved_at is None
    # Not public until approved; the applicant sees their own registration.
    assert client.get(f"/areas/organisations/{organisation.pk}/").status_code == 404
    assert "桜ヶ丘見守りの会" not in client.get("/areas/organisations/").content.decode()
    assert resident.get(f"/areas/organisations/{organisation.pk}/").status_code == 200
    assert resident.get(f"/areas/organisations/{organisation.pk}/edit/").status_code == 403

    coordinator = Client()
    coordinator.force_login(UserFactory(role=Role.COORDINATOR))
    assert "桜ヶ丘見守りの会" in coordinator.get("/areas/representations/").content.decode()
    coordinator.post(f"/areas/organisations/{organisation.pk}/approve/")
    organisation.refresh_from_db()
    assert organisation.approved_at is not None
    representation = Representation.objects.get(organisation=organisation)
    assert representation.user == resident.user
    assert representation.status == Representation.Status.APPROVED
    assert client.get(f"/areas/organisations/{organisation.pk}/").status_code == 200
    assert resident.get(f"/areas/organisations/{organisation.pk}/edit/").status_code == 200


def test_a_resident_applies_to_represent_an_existing_organisation(client_as, area):
    organisation = OrganisationFactory(areas=[area])
    resident = client_as(Role.RESIDENT)
    url = f"/areas/organisations/{organisation.pk}/represent/"
    response = resident.post(
        url, {"position": "treasurer", "valid_from": "2026-04-01", "note": "総会で選任"}
    )
    assert response.status_code == 302
    again = resident.post(url, {"position": "treasurer", "valid_from": "2026-04-01"})
    assert "申請はすでに受け付けています" in again.content.decode()
    representation = Representation.objects.get(organisation=organisation)
    entry = AuditLogEntry.objects.get(action="areas.representation.applied")
    assert "総会で選任" not in str(entry.data)

    coordinator = Client()
    coordinator.force_login(UserFactory(role=Role.COORDINATOR))
    coordinator.post(f"/areas/representations/{representation.pk}/decide/", {"decision": "reject"})
    representation.refresh_from_db()
    assert representation.status == Representation.Status.REJECTED


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.REPRESENTATIVE, Role.LIAISON_OFFICER])
def test_only_coordinators_manage_representatives(client_as, role):
    organisation = OrganisationFactory()
    client = client_as(role)
    assert client.get(f"/areas/organisations/{organisation.pk}/representatives/").status_code == 403
    assert client.get("/areas/representations/").status_code == 403
