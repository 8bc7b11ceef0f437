import io
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from portal.models import Role, User
from tests.factories import PASSWORD, DistrictFactory, OrganisationFactory, UserFactory, represent

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_sign_up_sends_a_verification_mail_and_the_link_signs_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.jp",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.jp")
    assert user.roles == frozenset()
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[0].body).group(
        1
    )

    client.post(link)
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/profile/").status_code == 200


def test_sign_up_records_name_and_district(client):
    district = DistrictFactory(name="和田")
    client.post(
        "/accounts/signup/",
        {
            "email": "wada@example.jp",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
            "full_name": "和田 次郎",
            "district": district.pk,
        },
    )
    user = User.objects.get(email="wada@example.jp")
    assert (user.full_name, user.district) == ("和田 次郎", district)


def test_sign_up_errors_are_shown_and_nothing_is_created(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "not-an-address", "password1": "short", "password2": "other"},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.exists()


def test_unverified_accounts_cannot_sign_in(client):
    UserFactory(email="pending@example.jp", verified_email=False)
    response = _login(client, "pending@example.jp", PASSWORD)
    assert response["Location"] == "/accounts/confirm-email/"
    assert client.get("/profile/").status_code == 302


def test_login_uses_the_email_address(client):
    UserFactory(email="hanako@example.jp")
    response = _login(client, "Hanako@Example.jp", PASSWORD)
    assert response.status_code == 302
    assert client.get("/profile/").status_code == 200


def test_login_page_is_in_japanese(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<html lang="ja">' in page
    assert "ログイン" in page
    assert 'name="login"' in page and 'name="password"' in page


def test_password_reset_sends_a_mail(client):
    UserFactory(email="forgetful@example.jp")
    client.post("/accounts/password/reset/", {"email": "forgetful@example.jp"})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_failed_logins_are_rate_limited(client):
    UserFactory(email="target@example.jp")
    for _ in range(5):
        assert _login(client, "target@example.jp", "wrong").status_code == 200
    # The right password no longer helps once the limit is reached.
    response = _login(client, "target@example.jp", PASSWORD)
    assert response.status_code in (200, 429)
    assert client.get("/profile/").status_code == 302


def test_each_demo_account_signs_in_and_sees_its_pages(client):
    call_command("seed_demo", stdout=io.StringIO())
    expectations = {
        "resident@example.jp": ("住民", False),
        "representative@example.jp": ("団体代表", False),
        "officer@example.jp": ("地域担当職員", True),
        "senior-officer@example.jp": ("地域担当職員・審査員", True),
        "coordinator@example.jp": ("コーディネーター", True),
        "reviewer@example.jp": ("審査員", False),
        "admin@example.jp": ("管理者", True),
    }
    for email, (role_label, staff) in expectations.items():
        client.logout()
        assert _login(client, email, "portal-demo").status_code == 302, email
        home = client.get("/").content.decode()
        assert f'<span class="role-badge">{role_label}</span>' in home
        assert client.get("/staff/").status_code == (200 if staff else 403), email


class TestStaffMFA:
    @pytest.fixture(autouse=True)
    def _require_mfa(self, settings):
        settings.REQUIRE_STAFF_MFA = True

    @pytest.mark.parametrize("role", [Role.LIAISON_OFFICER, Role.COORDINATOR, Role.ADMINISTRATOR])
    def test_staff_who_see_personal_data_must_set_up_totp_first(self, client, role):
        UserFactory(email="staff@example.jp", role=role)
        _login(client, "staff@example.jp", PASSWORD)
        response = client.get("/staff/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/totp/activate/"
        # allauth asks for the password again before MFA settings change.
        page = client.get("/accounts/2fa/totp/activate/", follow=True).content.decode()
        assert "二段階認証（TOTP）の設定が必要です" in page
        response = client.post(
            "/accounts/reauthenticate/?next=/accounts/2fa/totp/activate/", {"password": PASSWORD}
        )
        assert response["Location"] == "/accounts/2fa/totp/activate/"
        assert 'name="code"' in client.get("/accounts/2fa/totp/activate/").content.decode()

    @pytest.mark.parametrize("role", [Role.RESIDENT, Role.REPRESENTATIVE, Role.REVIEWER])
    def test_other_roles_are_not_asked_for_totp(self, client_as, role):
        assert client_as(role).get("/").status_code == 200

    def test_with_totp_set_up_staff_sign_in_with_a_code(self, client):
        user = UserFactory(email="staff@example.jp", role=Role.COORDINATOR)
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        response = _login(client, "staff@example.jp", PASSWORD)
        assert response["Location"] == "/accounts/2fa/authenticate/"
        assert client.get("/staff/").status_code == 302  # not signed in yet

        import time

        if time.time() % 30 > 27:  # don't send a code about to expire
            time.sleep(3)
        code = hotp_value(secret, int(time.time()) // 30)
        response = client.post("/accounts/2fa/authenticate/", {"code": f"{code:06d}"})
        assert response.status_code == 302
        assert client.get("/staff/").status_code == 200
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    def test_whether_staff_have_totp_is_read_with_the_user(self, client):
        user = UserFactory(role=Role.COORDINATOR)
        client.force_login(user)
        response, sql = _queries_of(client, "/staff/")
        assert response.status_code == 302  # no TOTP yet: set it up first
        TOTP.activate(user, generate_totp_secret())
        response, sql = _queries_of(client, "/staff/")
        assert response.status_code == 200
        # Asked inside the user's query, not on its own.
        totp_queries = [q for q in sql if '"mfa_authenticator"' in q]
        assert len(totp_queries) == 1 and 'FROM "portal_roleassignment"' in totp_queries[0]
        # Taken away, it is asked for again on the next request.
        Authenticator.objects.filter(user=user).delete()
        assert client.get("/staff/").status_code == 302


def _sign_up(client, email, **extra):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
            **extra,
        },
    )


def _long_address(length):
    """A syntactically valid address of exactly `length` characters."""
    local = "a" * 64
    labels, remaining = [], length - len(local) - 1 - len(".jp")
    while remaining > 0:
        size = min(63, remaining)
        if remaining - size == 1:  # leave room for the dot before the next label
            size -= 2
        labels.append("b" * size)
        remaining -= size + 1
    address = f"{local}@{'.'.join(labels)}.jp"
    assert len(address) == length, len(address)
    return address


@pytest.mark.parametrize("length", [255, 271, 311])
def test_sign_up_refuses_an_address_too_long_to_store(client, length):
    response = _sign_up(client, _long_address(length))
    assert response.status_code == 200
    page = response.content.decode()
    assert "メールアドレスは254文字以内で入力してください" in page
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert not mail.outbox


def test_sign_up_stores_an_address_of_254_characters_unchanged(client):
    address = _long_address(254)
    assert _sign_up(client, address).status_code == 302
    assert User.objects.get().email == address
    assert EmailAddress.objects.get().email == address


def test_a_failure_during_sign_up_leaves_no_half_made_account(client):
    from unittest import mock

    from django.db import DatabaseError

    with (
        mock.patch("allauth.account.forms.setup_user_email", side_effect=DatabaseError("boom")),
        pytest.raises(DatabaseError),
    ):
        _sign_up(client, "half@example.jp", full_name="途中 太郎")
    assert not User.objects.filter(email="half@example.jp").exists()


def test_sign_up_with_a_known_address_costs_the_same_password_hash(client):
    """The answer time must not tell which addresses have accounts: the
    known-address path hashes the password just as creating an account does."""
    from unittest import mock

    from django.contrib.auth.hashers import MD5PasswordHasher

    UserFactory(email="known@example.jp")

    def hashes_during(email):
        with mock.patch.object(
            MD5PasswordHasher, "encode", autospec=True, side_effect=MD5PasswordHasher.encode
        ) as encode:
            response = _sign_up(client, email)
        client.logout()
        return response, encode.call_count

    new_response, new_hashes = hashes_during("fresh@example.jp")
    known_response, known_hashes = hashes_during("known@example.jp")
    assert new_hashes == known_hashes == 1
    # Both answer alike; the owner of the known address gets a mail instead.
    assert new_response.status_code == known_response.status_code == 302
    assert new_response["Location"] == known_response["Location"]
    assert User.objects.filter(email="known@example.jp").count() == 1
    assert "known@example.jp" in mail.outbox[-1].to


def test_account_mails_greet_from_the_portal_and_its_city(client, settings):
    settings.PORTAL_CITY_NAME = "武蔵野市"
    UserFactory(email="known@example.jp")
    _sign_up(client, "new@example.jp")
    _sign_up(client, "known@example.jp")
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.body.startswith("こんにちは。武蔵野市 地域協働ポータルです。"), message.body
        assert "武蔵野市 地域協働ポータルをご利用いただきありがとうございます。" in message.body
        assert "testserver です" not in message.body
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert "武蔵野市 地域協働ポータルの登録で" in mail.outbox[0].body


def _queries_of(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, [q["sql"] for q in captured.captured_queries]


def test_a_signed_in_request_reads_the_user_and_roles_in_one_query(client_as):
    client = client_as(Role.COORDINATOR)
    response, sql = _queries_of(client, "/staff/")
    assert response.status_code == 200
    # The user comes with their role assignments; neither is read again.
    assert sum('FROM "portal_roleassignment"' in q for q in sql) == 1
    assert not any('FROM "portal_user" WHERE' in q for q in sql)
    # A resident has no assignment to join: the user alone, roles known empty.
    resident = UserFactory()
    client.force_login(resident)
    response, sql = _queries_of(client, "/mypage/")
    assert response.status_code == 200
    assert sum('FROM "portal_roleassignment"' in q for q in sql) == 1
    assert sum('FROM "portal_user" WHERE' in q for q in sql) == 1


def test_a_role_taken_away_applies_to_the_next_request(client_as):
    from portal import services
    from portal.audit import Actor

    admin = UserFactory(role=Role.ADMINISTRATOR)
    client = client_as(Role.COORDINATOR)
    assert client.get("/staff/").status_code == 200
    services.set_roles(
        user_id=client.user.pk,
        roles=[Role.LIAISON_OFFICER],
        by=Actor(user=admin),
    )
    assert client.get(reverse("surveys:registers")).status_code == 403
    services.set_roles(user_id=client.user.pk, roles=[], by=Actor(user=admin))
    assert client.get("/staff/").status_code == 403


def test_a_deactivated_staff_member_is_signed_out(client_as):
    client = client_as(Role.COORDINATOR)
    assert client.get("/staff/").status_code == 200
    User.objects.filter(pk=client.user.pk).update(is_active=False)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [None, Role.COORDINATOR])
def test_the_signed_in_user_knows_whether_they_represent_today(role):
    """The EXISTS read with the user gives what Representation.objects.current() gives."""
    import datetime

    from django.utils import timezone

    from areas.models import Representation
    from portal.auth_backends import ModelBackend

    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    organisation = OrganisationFactory()
    periods = {
        "current": dict(since=today - 30 * day),
        "ends today": dict(since=today - 30 * day, until=today),
        "starts today": dict(since=today),
        "ended yesterday": dict(since=today - 30 * day, until=today - day),
        "starts tomorrow": dict(since=today + day),
    }
    users = {}
    for name, period in periods.items():
        users[name] = UserFactory(**({"role": role} if role else {}))
        represent(users[name], organisation, **period)
    users["applied only"] = UserFactory(**({"role": role} if role else {}))
    Representation.objects.create(
        user=users["applied only"], organisation=organisation, valid_from=today - day
    )
    users["none"] = UserFactory(**({"role": role} if role else {}))
    for name, user in users.items():
        signed_in = ModelBackend().get_user(user.pk)
        expected = Representation.objects.current().filter(user=user).exists()
        assert signed_in.represents_an_organisation is expected, name
        assert signed_in.roles == ({role} if role else set()), name
    assert [
        n for n, u in users.items() if ModelBackend().get_user(u.pk).represents_an_organisation
    ] == [
        "current",
        "ends today",
        "starts today",
    ]
