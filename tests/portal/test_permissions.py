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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_dashboard_link", "sees_audit_link"),
    [
        (Role.RESIDENT, False, False),
        (Role.REPRESENTATIVE, False, False),
        (Role.REVIEWER, False, False),
        (Role.LIAISON_OFFICER, True, False),
        (Role.COORDINATOR, True, False),
        (Role.ADMINISTRATOR, True, True),
    ],
)
def test_navigation_depends_on_the_role(client_as, role, sees_dashboard_link, sees_audit_link):
    page = client_as(role).get("/").content.decode()
    assert ('href="/staff/"' in page) is sees_dashboard_link
    assert ('href="/staff/audit-log/"' in page) is sees_audit_link
    assert ('href="/admin/"' in page) is (role == Role.ADMINISTRATOR)


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
