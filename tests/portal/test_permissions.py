import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from portal.models import Role
from portal.permissions import RULES, check, may

# URL namespaces that belong to this project (allauth, admin and i18n bring
# their own checks).
OWN_NAMESPACES = {"portal", "areas", "liaisons", "meetings", "surveys", "grants"}


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


# Who gets which status on every page is the permission table's work
# (tests/test_permission_table.py); here, what a refusal looks like.


@pytest.mark.django_db
def test_a_refusal_is_a_403_page_saying_so(client_as):
    response = client_as(Role.RESIDENT).get("/staff/")
    assert response.status_code == 403
    assert "このページを表示する権限がありません" in response.content.decode()


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
    Role.LIAISON_OFFICER: {
        "/staff/": "ダッシュボード",
        "/staff/logic-model/": "施策の論理構造",
        "/meetings/staff/": "ミーティングの一覧",
        "/meetings/staff/series/": "シリーズと参加の推移",
        "/liaisons/requests/": "支援依頼",
        "/liaisons/requests/new/": "依頼の代理入力",
        "/liaisons/consultations/": "相談記録",
    },
    Role.COORDINATOR: {
        "/staff/": "ダッシュボード",
        "/staff/logic-model/": "施策の論理構造",
        "/areas/issues/": "地域課題の編集",
        "/areas/issues/new/": "地域課題の追加",
        "/areas/organisations/new/": "団体の登録",
        "/areas/representations/": "団体・代表者の申請",
        "/areas/karte/": "地域カルテ",
        "/areas/karte/import/": "地域カルテの数値の取込",
        "/meetings/staff/": "ミーティングの一覧",
        "/meetings/staff/series/": "シリーズと参加の推移",
        "/meetings/staff/new/": "ミーティングの作成",
        "/liaisons/requests/": "支援依頼",
        "/liaisons/requests/new/": "依頼の代理入力",
        "/liaisons/consultations/": "相談記録",
        "/liaisons/reports/": "支援依頼の集計",
        "/grants/": "交付金事業の一覧",
        "/grants/programmes/new/": "交付金事業の登録",
        "/areas/news/review/": "確認待ちの活動報告",
        "/areas/news/new/": "お知らせを書く",
        "/areas/circulars/": "回覧板",
        "/areas/facilities/": "公共施設",
        "/surveys/registers/": "住民基本台帳",
        "/surveys/registers/import/": "名簿の取込",
        "/surveys/draws/": "無作為抽出",
        "/surveys/panels/": "パネル選出",
        "/surveys/surveys/": "調査と分析",
        "/surveys/questionnaires/": "調査票",
        "/surveys/surveys/import/": "回答ファイルの取込",
    },
    Role.ADMINISTRATOR: {
        "/staff/": "ダッシュボード",
        "/staff/logic-model/": "施策の論理構造",
        "/staff/users/": "利用者と役割",
        "/staff/audit-log/": "監査ログ",
        "/areas/import/": "町丁目の取込",
        "/areas/issues/": "地域課題の編集",
        "/areas/issues/new/": "地域課題の追加",
        "/areas/organisations/new/": "団体の登録",
        "/areas/representations/": "団体・代表者の申請",
        "/areas/karte/": "地域カルテ",
        "/areas/karte/import/": "地域カルテの数値の取込",
        "/meetings/staff/": "ミーティングの一覧",
        "/meetings/staff/series/": "シリーズと参加の推移",
        "/meetings/staff/new/": "ミーティングの作成",
        "/liaisons/requests/": "支援依頼",
        "/liaisons/requests/new/": "依頼の代理入力",
        "/liaisons/consultations/": "相談記録",
        "/liaisons/reports/": "支援依頼の集計",
        "/liaisons/officers/": "地域担当職員の任命",
        "/liaisons/settings/": "制度の設定",
        "/grants/": "交付金事業の一覧",
        "/grants/programmes/new/": "交付金事業の登録",
        "/areas/news/review/": "確認待ちの活動報告",
        "/areas/news/new/": "お知らせを書く",
        "/areas/circulars/": "回覧板",
        "/areas/facilities/": "公共施設",
        "/surveys/panels/": "パネル選出",
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


# --- The object check itself, whatever the view's queryset ----------------------
# Project views find their object among the rows the rule lets the user see
# (a guessed id is 404), so the object check is what stops a view whose
# queryset is wider: these views are built without the filter on purpose.


def _organisation_views():
    from django.shortcuts import get_object_or_404
    from django.views.generic import DetailView, TemplateView

    from areas.models import Organisation
    from portal.permissions import PermissionRequiredMixin, permission_required

    class Unfiltered(PermissionRequiredMixin, DetailView):
        permission = "areas.edit_organisation"
        model = Organisation

    class OtherKwarg(Unfiltered):
        # Not a kwarg get_permission_object() knows: only get_object() checks it.
        pk_url_kwarg = "organisation_id"

    class OnParent(PermissionRequiredMixin, TemplateView):
        # A page acting on a parent object (as create views do).
        permission = "areas.edit_organisation"
        template_name = "base.html"

        def get_permission_object(self):
            return Organisation.objects.get(pk=self.kwargs["organisation_id"])

    @permission_required(
        "areas.edit_organisation",
        get_object=lambda request, pk, **kw: get_object_or_404(Organisation, pk=pk),
    )
    def function_view(request, pk, obj):
        from django.http import HttpResponse

        return HttpResponse("ok")

    return {
        "class view": lambda org: (Unfiltered.as_view(), {"pk": org.pk}),
        "class view, get_object only": lambda org: (
            OtherKwarg.as_view(),
            {"organisation_id": org.pk},
        ),
        "get_permission_object": lambda org: (OnParent.as_view(), {"organisation_id": org.pk}),
        "function view": lambda org: (function_view, {"pk": org.pk}),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind", ["class view", "class view, get_object only", "get_permission_object", "function view"]
)
def test_the_object_is_checked_even_when_the_queryset_is_not_filtered(kind):
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from tests.factories import OrganisationFactory, UserFactory, represent

    own, other = OrganisationFactory(), OrganisationFactory()
    representative = UserFactory(role=[])
    represent(representative, own)
    make = _organisation_views()[kind]

    view, kwargs = make(own)
    request = RequestFactory().get("/")
    request.user = representative
    assert view(request, **kwargs).status_code == 200

    view, kwargs = make(other)
    request = RequestFactory().get("/")
    request.user = representative
    with pytest.raises(PermissionDenied):
        view(request, **kwargs)
