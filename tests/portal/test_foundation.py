"""The patterns every app copies: locks that say "busy", one error type shown
on the page, workflow moves with history, roles as a set."""

import threading
import time

import pytest
from django.db import connection

from areas.models import Organisation, Representation
from areas.services import REPRESENTATION_FLOW, decide_representation
from portal import audit, locking, workflow
from portal.audit import Actor
from portal.errors import Busy, ServiceError
from portal.models import AuditLogEntry, Role, RoleAssignment, StateChange
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _application(**kwargs):
    return Representation.objects.create(
        user=UserFactory(),
        organisation=OrganisationFactory(),
        valid_from="2026-04-01",
        **kwargs,
    )


def test_a_workflow_move_writes_history_and_audit_rows(user_with_role):
    coordinator = user_with_role(Role.COORDINATOR)
    application = _application()
    decide_representation(
        representation_id=application.pk, approve=True, by=Actor.for_user(coordinator)
    )
    moves = list(workflow.history(application))
    assert [(m.from_state, m.to_state, m.by, m.by_role) for m in moves] == [
        ("applied", "approved", coordinator, Role.COORDINATOR)
    ]
    entry = AuditLogEntry.objects.get(action="areas.representation.approved")
    assert entry.data["changes"] == {"status": {"old": "applied", "new": "approved"}}


def test_a_move_outside_the_table_is_refused_in_japanese(user_with_role):
    coordinator = user_with_role(Role.COORDINATOR)
    application = _application(status=Representation.Status.REJECTED)
    with (
        pytest.raises(ServiceError) as refused,
        locking.locked_one(Representation, application.pk) as locked,
    ):
        REPRESENTATION_FLOW.transition(
            locked, to=Representation.Status.APPROVED, by=Actor.for_user(coordinator)
        )
    assert "「却下」から「承認済み」へは変更できません。" in str(refused.value)
    assert not StateChange.objects.exists()


def test_a_move_checks_the_permission_the_table_names(user_with_role):
    officer = user_with_role(Role.LIAISON_OFFICER)
    application = _application()
    with pytest.raises(ServiceError):
        decide_representation(
            representation_id=application.pk, approve=True, by=Actor.for_user(officer)
        )
    application.refresh_from_db()
    assert application.status == Representation.Status.APPLIED


def test_a_second_decision_is_shown_as_a_message_not_an_error_page(client_as):
    client = client_as(Role.COORDINATOR)
    application = _application()
    url = f"/areas/representations/{application.pk}/decide/"
    client.post(url, {"decision": "approve"})
    response = client.post(url, {"decision": "reject"}, follow=True)
    assert response.status_code == 200
    assert "この申請はすでに処理されています。" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_lock_held_too_long_gives_busy_not_a_hang(settings):
    if not settings.USING_POSTGRESQL:
        pytest.skip("row locks are PostgreSQL's")
    settings.LOCK_TIMEOUT_SECONDS = 0.3
    organisation = OrganisationFactory()
    holding = threading.Event()
    release = threading.Event()

    def hold():
        try:
            with locking.locked_one(Organisation, organisation.pk):
                holding.set()
                release.wait(5)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(5)
    started = time.monotonic()
    try:
        with pytest.raises(Busy) as busy, locking.locked_one(Organisation, organisation.pk):
            pass
    finally:
        release.set()
        holder.join()
    assert time.monotonic() - started < 3
    assert "少し待ってからもう一度お試しください" in str(busy.value)


def test_locked_work_must_be_the_outermost_transaction():
    from django.db import transaction

    organisation = OrganisationFactory()
    with pytest.raises(RuntimeError), transaction.atomic(), transaction.atomic(durable=True):
        pass
    # From a service (the outermost transaction in a request), it works.
    with locking.locked_one(Organisation, organisation.pk) as locked:
        assert locked.pk == organisation.pk


def test_a_user_holds_two_roles_and_the_audit_row_says_which_was_used(client_as, settings):
    person = UserFactory(role=[Role.LIAISON_OFFICER, Role.REVIEWER])
    assert person.roles == {Role.LIAISON_OFFICER, Role.REVIEWER}
    assert person.role_labels == "地域担当職員・審査員"
    client = client_as(Role.COORDINATOR)
    client.force_login(person)
    assert client.get("/staff/").status_code == 200
    organisation = OrganisationFactory()
    client.get(f"/areas/organisations/{organisation.pk}/")
    entry = AuditLogEntry.objects.get(action="areas.organisation_contacts.viewed")
    assert entry.actor_role == Role.LIAISON_OFFICER


def test_administrators_grant_and_take_roles_on_a_staff_page(client_as):
    client = client_as(Role.ADMINISTRATOR)
    person = UserFactory(email="new-staff@example.jp")
    response = client.post(
        f"/staff/users/{person.pk}/roles/", {"roles": ["liaison_officer", "reviewer"]}
    )
    assert response.status_code == 302
    assert set(RoleAssignment.objects.filter(user=person).values_list("role", flat=True)) == {
        "liaison_officer",
        "reviewer",
    }
    entry = AuditLogEntry.objects.get(action="portal.user.roles_changed")
    assert entry.data["changes"]["roles"] == {"old": [], "new": ["liaison_officer", "reviewer"]}
    client.post(f"/staff/users/{person.pk}/roles/", {"roles": ["administrator"]})
    person.refresh_from_db()
    assert person.is_staff  # the admin site follows the administrator role
    page = client.get("/staff/users/", {"q": "new-staff"}).content.decode()
    assert "new-staff@example.jp" in page and "管理者" in page
    # Every box unticked: the person goes back to being a resident.
    assert client.post(f"/staff/users/{person.pk}/roles/", {}).status_code == 302
    assert not RoleAssignment.objects.filter(user=person).exists()
    person.refresh_from_db()
    assert not person.is_staff


def test_an_administrator_cannot_remove_their_own_administrator_role(client_as):
    client = client_as(Role.ADMINISTRATOR)
    response = client.post(f"/staff/users/{client.user.pk}/roles/", {"roles": []})
    assert "自分自身から管理者の役割を外すことはできません。" in response.content.decode()
    assert RoleAssignment.objects.filter(user=client.user, role="administrator").exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LIAISON_OFFICER, Role.REVIEWER])
def test_only_administrators_manage_roles(client_as, role):
    client = client_as(role)
    person = UserFactory()
    assert client.get("/staff/users/").status_code == 403
    assert (
        client.post(f"/staff/users/{person.pk}/roles/", {"roles": ["coordinator"]}).status_code
        == 403
    )
    assert not RoleAssignment.objects.filter(user=person).exists()


def test_services_refuse_an_actor_that_is_not_an_actor(user_with_role):
    with pytest.raises(TypeError):
        audit.record(by=user_with_role(Role.COORDINATOR), action="x.y.viewed", target="x")
