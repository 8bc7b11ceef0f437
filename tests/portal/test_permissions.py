import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from portal.models import Role
from portal.permissions import RULES, check, may

# URL namespaces that belong to this project (allauth, admin and i18n bring
# their own checks).
OWN_NAMESPACES = {"portal", "areas", "liaisons", "meetings", "surveys", "grants"}

STAFF_PAGES = ["/staff/", "/staff/audit-log/", "/areas/import/", "/areas/issues/new/"]


def _own_views(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _own_views(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and (
            namespace in OWN_NAMESPACES or pattern.name == "healthz"
        ):
            yield pattern


def test_every_project_view_declares_a_permission():
    views = list(_own_views())
    assert len(views) >= 10
    for pattern in views:
        callback = pattern.callback
        view_class = getattr(callback, "view_class", None)
        permission = (
            view_class.permission if view_class else getattr(callback, "portal_permission", None)
        )
        assert permission, f"{pattern.name} has no permission"
        assert permission == "public" or permission in RULES, pattern.name


@pytest.mark.django_db
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_residents_get_403_on_staff_pages(client_as, path):
    response = client_as(Role.RESIDENT).get(path)
    assert response.status_code == 403
    assert "このページを表示する権限がありません" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        (Role.RESIDENT, "portal.view_staff_dashboard", False),
        (Role.REPRESENTATIVE, "portal.view_staff_dashboard", False),
        (Role.REVIEWER, "portal.view_staff_dashboard", False),
        (Role.LIAISON_OFFICER, "portal.view_staff_dashboard", True),
        (Role.COORDINATOR, "portal.view_staff_dashboard", True),
        (Role.ADMINISTRATOR, "portal.view_staff_dashboard", True),
        (Role.COORDINATOR, "portal.view_audit_log", False),
        (Role.ADMINISTRATOR, "portal.view_audit_log", True),
        (Role.COORDINATOR, "areas.import_districts", False),
        (Role.ADMINISTRATOR, "areas.import_districts", True),
        (Role.LIAISON_OFFICER, "areas.manage_issue_catalogue", False),
        (Role.COORDINATOR, "areas.manage_issue_catalogue", True),
    ],
)
def test_role_rules(user_with_role, role, permission, allowed):
    assert may(user_with_role(role), permission) is allowed


@pytest.mark.django_db
def test_inactive_staff_are_refused(user_with_role):
    user = user_with_role(Role.ADMINISTRATOR, is_active=False)
    assert not may(user, "portal.view_audit_log")


def test_denials_carry_a_japanese_reason(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    decision = check(AnonymousUser(), "portal.view_staff_dashboard")
    assert not decision
    assert "権限" in str(decision.reason)


def _nav(page, css_class):
    """The links (href → text) of the <nav class=css_class> on a page, or None."""
    match = re.search(rf'<nav class="{css_class}"[^>]*>(.*?)</nav>', page, re.S)
    if match is None:
        return None
    return dict(re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', match[1]))


PUBLIC_LINKS = {"/": "ホーム", "/areas/": "地域", "/areas/organisations/": "団体"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_staff_link"),
    [
        (None, False),
        (Role.RESIDENT, False),
        (Role.REPRESENTATIVE, False),
        (Role.REVIEWER, False),
        (Role.LIAISON_OFFICER, True),
        (Role.COORDINATOR, True),
        (Role.ADMINISTRATOR, True),
    ],
)
def test_navigation_depends_on_the_role(client, client_as, role, sees_staff_link):
    browser = client_as(role) if role else client
    page = browser.get("/").content.decode()
    top = _nav(page, "site-nav")
    assert PUBLIC_LINKS.items() <= top.items()
    assert top["/areas/issues/"] == "地域課題"
    assert (top.get("/mypage/") == "マイページ") is (role is not None)
    assert (top.get("/staff/") == "職員ページ") is sees_staff_link
    # Staff pages are reached through the staff area, not the top navigation.
    assert "/staff/audit-log/" not in top and "/areas/import/" not in top
    assert _nav(page, "staff-nav") is None


STAFF_LINKS = {
    Role.LIAISON_OFFICER: {"/staff/": "ダッシュボード"},
    Role.COORDINATOR: {
        "/staff/": "ダッシュボード",
        "/areas/issues/": "地域課題の編集",
        "/areas/issues/new/": "地域課題の追加",
        "/areas/organisations/new/": "団体の登録",
        "/surveys/registers/": "住民基本台帳",
        "/surveys/registers/import/": "名簿の取込",
        "/surveys/draws/": "無作為抽出",
    },
    Role.ADMINISTRATOR: {
        "/staff/": "ダッシュボード",
        "/staff/audit-log/": "監査ログ",
        "/areas/import/": "町丁目の取込",
        "/areas/issues/": "地域課題の編集",
        "/areas/issues/new/": "地域課題の追加",
        "/areas/organisations/new/": "団体の登録",
        "/admin/": "管理サイト",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(STAFF_LINKS))
def test_staff_navigation_shows_only_what_the_role_may_open(client_as, role):
    client = client_as(role)
    page = client.get("/staff/").content.decode()
    assert _nav(page, "staff-nav") == STAFF_LINKS[role]
    assert '<a href="/staff/" aria-current="page">ダッシュボード</a>' in page
    # Every link in it opens for this role.
    for path in STAFF_LINKS[role]:
        assert client.get(path).status_code == 200, path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/staff/audit-log/", Role.ADMINISTRATOR),
        ("/areas/import/", Role.ADMINISTRATOR),
        ("/areas/issues/new/", Role.COORDINATOR),
        ("/areas/organisations/new/", Role.COORDINATOR),
    ],
)
def test_staff_pages_carry_the_staff_navigation(client_as, path, role):
    page = client_as(role).get(path).content.decode()
    assert _nav(page, "staff-nav") == STAFF_LINKS[role]
    assert f'<a href="{path}" aria-current="page">' in page
    # In the staff area the top navigation marks its staff link as the current section.
    assert '<a href="/staff/" aria-current="true">職員ページ</a>' in page


@pytest.mark.django_db
def test_a_representative_editing_their_organisation_sees_no_staff_navigation(client_as):
    from tests.factories import OrganisationFactory

    client = client_as(Role.REPRESENTATIVE)
    organisation = OrganisationFactory(representatives=[client.user])
    page = client.get(f"/areas/organisations/{organisation.pk}/edit/").content.decode()
    assert "<h1>" in page
    assert _nav(page, "staff-nav") is None
    assert "/staff/" not in _nav(page, "site-nav")


@pytest.mark.django_db
def test_navigation_skips_entries_of_apps_not_built_yet(client_as, monkeypatch):
    from portal import navigation

    monkeypatch.setattr(navigation, "_staff_items", dict(navigation._staff_items))
    monkeypatch.setattr(navigation, "_resident_items", dict(navigation._resident_items))
    navigation.staff_item("portal", "未実装の画面", "meetings:nothing_here", "public", order=1)
    navigation.resident_item("未実装", "surveys:nothing_here")
    page = client_as(Role.COORDINATOR).get("/staff/").content.decode()
    assert "未実装" not in page
    assert _nav(page, "staff-nav") == STAFF_LINKS[Role.COORDINATOR]


@pytest.mark.django_db
def test_only_administrators_reach_the_django_admin(client_as):
    assert client_as(Role.COORDINATOR).get("/admin/").status_code == 302
    assert client_as(Role.ADMINISTRATOR).get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_admin_site_signs_in_through_allauth_only(client, user_with_role):
    from tests.factories import PASSWORD

    user = user_with_role(Role.ADMINISTRATOR, email="boss@example.jp")
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302  # the admin's own form signed nobody in
