"""Sessions of those who handle personal data: signed out after a spell
without requests, and TOTP required, reviewers included once assigned."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from portal.middleware import StaffIdleTimeoutMiddleware
from portal.models import Role
from tests.factories import AreaFactory, OrganisationFactory, UserFactory, represent
from tests.grants.factories import application, assign, proposal_programme

pytestmark = pytest.mark.django_db
KEY = StaffIdleTimeoutMiddleware.KEY


def _last_seen(client, minutes_ago):
    session = client.session
    session[KEY] = int(time.time()) - minutes_ago * 60
    session.save()


def _assigned_reviewer():
    reviewer = UserFactory(role=Role.REVIEWER)
    representative = UserFactory()
    organisation = OrganisationFactory(areas=[AreaFactory()])
    represent(representative, organisation)
    app = application(
        programme=proposal_programme(),
        organisation=organisation,
        applicant=representative,
        status="submitted",
    )
    assign(app, reviewer)
    return reviewer, app


class TestStaffIdleTimeout:
    @pytest.fixture(autouse=True)
    def _thirty_minutes(self, settings):
        settings.STAFF_IDLE_TIMEOUT_MINUTES = 30

    @pytest.mark.parametrize("role", [Role.LIAISON_OFFICER, Role.COORDINATOR, Role.ADMINISTRATOR])
    def test_staff_are_signed_out_after_thirty_idle_minutes(self, client_as, role):
        client = client_as(role)
        assert client.get("/staff/").status_code == 200
        assert KEY in client.session
        _last_seen(client, 31)
        response = client.get("/staff/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/staff/"
        page = client.get(response["Location"]).content.decode()
        assert "30分間操作がなかったため、ログアウトしました" in page
        # Signed out for good, not only for that one request.
        assert client.get("/staff/")["Location"].startswith("/accounts/login/")
        assert "_auth_user_id" not in client.session

    def test_staff_who_keep_working_stay_signed_in(self, client_as):
        client = client_as(Role.COORDINATOR)
        client.get("/staff/")
        _last_seen(client, 29)
        assert client.get("/staff/").status_code == 200
        # The request counted as activity: the clock starts again.
        assert int(time.time()) - client.session[KEY] < 60
        assert client.get("/staff/").status_code == 200

    @pytest.mark.parametrize("role", [Role.RESIDENT, Role.REVIEWER])
    def test_residents_and_unassigned_reviewers_keep_the_normal_session(self, client_as, role):
        client = client_as(role)
        assert client.get("/mypage/").status_code == 200
        _last_seen(client, 3 * 60)
        assert client.get("/mypage/").status_code == 200
        assert "_auth_user_id" in client.session

    def test_an_assigned_reviewer_is_signed_out_like_staff(self, client):
        reviewer, _app = _assigned_reviewer()
        client.force_login(reviewer)
        assert client.get("/grants/reviews/").status_code == 200
        _last_seen(client, 31)
        assert client.get("/grants/reviews/")["Location"].startswith("/accounts/login/")

    def test_zero_turns_the_timeout_off(self, client_as, settings):
        settings.STAFF_IDLE_TIMEOUT_MINUTES = 0
        client = client_as(Role.ADMINISTRATOR)
        client.get("/staff/")
        _last_seen(client, 10 * 60)
        assert client.get("/staff/").status_code == 200


class TestReviewerMFA:
    @pytest.fixture(autouse=True)
    def _require_mfa(self, settings):
        settings.REQUIRE_STAFF_MFA = True

    def test_a_reviewer_without_assignments_is_not_asked_for_totp(self, client_as):
        client = client_as(Role.REVIEWER)
        assert client.get("/grants/reviews/").status_code == 200

    def test_an_assigned_reviewer_must_set_up_totp_before_seeing_an_application(self, client):
        reviewer, app = _assigned_reviewer()
        client.force_login(reviewer)
        for path in ("/grants/reviews/", f"/grants/applications/{app.pk}/"):
            response = client.get(path)
            assert response.status_code == 302, path
            assert response["Location"] == "/accounts/2fa/totp/activate/"
        page = client.get("/accounts/2fa/totp/activate/", follow=True).content.decode()
        assert "個人情報を扱う職員・審査員は二段階認証（TOTP）の設定が必要です" in page

    def test_with_totp_set_up_the_assigned_reviewer_sees_the_application(self, client):
        reviewer, app = _assigned_reviewer()
        TOTP.activate(reviewer, generate_totp_secret())
        assert Authenticator.objects.filter(user=reviewer).exists()
        client.force_login(reviewer)
        assert client.get(f"/grants/applications/{app.pk}/").status_code == 200

    def test_the_demo_keeps_mfa_off(self, client, settings):
        settings.REQUIRE_STAFF_MFA = False
        reviewer, app = _assigned_reviewer()
        client.force_login(reviewer)
        assert client.get(f"/grants/applications/{app.pk}/").status_code == 200
