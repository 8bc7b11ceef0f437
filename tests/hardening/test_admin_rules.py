"""The admin site inside the rules: workflow fields are shown, not edited;
workflow records are never deleted there; what grants access (facilitators,
officers' areas, roles) is not offered there; a meeting's capacity never
falls below its confirmed seats, whichever form sets it."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from liaisons.models import AreaAssignment, OfficerProfile, SupportRequest
from meetings.models import Registration
from portal.models import Role, RoleAssignment, StateChange
from tests.factories import AreaFactory, UserFactory
from tests.liaisons.factories import OfficerFactory, SupportRequestFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

# Every field a `portal.workflow` transition moves, and the fields that
# decide who may see personal data.
WORKFLOW_FIELDS = {
    "liaisons.supportrequest": {"status", "tier", "assignee", "rating", "routed_to"},
    "liaisons.officerprofile": {"experience", "is_active", "user"},
    "meetings.meeting": {"status", "capacity", "confirmed_seats", "facilitators"},
    "meetings.registration": {"status", "party_size", "meeting"},
    "areas.representation": {"status", "user", "organisation"},
    "grants.application": {"status"},
    "grants.report": {"status"},
    "grants.allocation": {"status"},
    "areas.post": {"status"},
    "areas.action": {"status"},
}


def _admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.fixture
def administrator(db):
    return UserFactory(role=Role.ADMINISTRATOR)


@pytest.mark.parametrize("label", sorted(WORKFLOW_FIELDS))
def test_workflow_fields_are_read_only_and_workflow_records_are_never_deleted_in_the_admin(
    label, administrator
):
    model = apps.get_model(label)
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return  # Not in the admin at all: nothing there to change.
    request = _admin_request(administrator)
    obj = None
    changeable = model_admin.has_change_permission(request, obj)
    readonly = set(model_admin.get_readonly_fields(request, obj))
    assert not changeable or WORKFLOW_FIELDS[label] <= readonly
    assert not model_admin.has_delete_permission(request, obj)
    for inline in model_admin.get_inline_instances(request, obj):
        assert not inline.has_add_permission(request, obj)
        assert not inline.has_change_permission(request, obj)
        assert not inline.has_delete_permission(request, obj)


def test_the_admin_does_not_move_a_support_request_or_delete_it(client_as):
    client = client_as(Role.ADMINISTRATOR)
    support = SupportRequestFactory()
    url = f"/admin/liaisons/supportrequest/{support.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    for name in ("status", "tier", "assignee", "rating"):
        assert name not in form.fields
    data = {
        name: form.initial.get(name) or ""
        for name in form.fields
        if not isinstance(form.initial.get(name), list | tuple)
    }
    for name in ("requested_by", "entered_by", "representation"):
        data[name] = getattr(support, f"{name}_id") or ""
    data.update({"status": "done", "tier": "F", "rating": "1", "title": "件名を直す"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    support.refresh_from_db()
    assert support.title == "件名を直す"
    assert support.status == SupportRequest.Status.SUBMITTED
    assert support.tier != "F" and support.rating is None
    assert not StateChange.objects.filter(object_id=str(support.pk), to_state="done").exists()

    delete = client.post(f"/admin/liaisons/supportrequest/{support.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert SupportRequest.objects.filter(pk=support.pk).exists()


def test_the_admin_offers_no_change_to_an_officers_areas_or_experience(client_as):
    client = client_as(Role.ADMINISTRATOR)
    officer = OfficerFactory(experience=OfficerProfile.Experience.GENERAL)
    area = AreaFactory()
    url = f"/admin/liaisons/officerprofile/{officer.pk}/change/"
    assert client.get(url).status_code == 200  # shown
    response = client.post(
        url,
        {
            "user": officer.user_id,
            "department": officer.department,
            "experience": "experienced",
            "is_active": "on",
            "assignments-TOTAL_FORMS": "1",
            "assignments-INITIAL_FORMS": "0",
            "assignments-0-area": area.pk,
            "assignments-0-kind": "main",
            "assignments-0-valid_from": "2020-04-01",
        },
    )
    assert response.status_code == 403
    officer.refresh_from_db()
    assert officer.experience == OfficerProfile.Experience.GENERAL
    assert not AreaAssignment.objects.filter(officer=officer, area=area).exists()
    assert client.get("/admin/liaisons/officerprofile/add/").status_code == 403


def test_the_admin_offers_no_change_to_facilitators_roles_or_registrations(client_as):
    client = client_as(Role.ADMINISTRATOR)
    meeting = MeetingFactory(capacity=5)
    officer = UserFactory(role=Role.LIAISON_OFFICER)
    response = client.post(
        f"/admin/meetings/meeting/{meeting.pk}/change/",
        {"title": meeting.title, "capacity": 1, "facilitators": [officer.pk]},
    )
    assert response.status_code == 403
    assert not meeting.facilitators.exists()
    assert client.get("/admin/meetings/meeting/add/").status_code == 403
    registration = RegistrationFactory(meeting=meeting)
    response = client.post(
        f"/admin/meetings/registration/{registration.pk}/change/",
        {"status": "cancelled", "party_size": 4},
    )
    assert response.status_code == 403
    assert client.post(
        f"/admin/meetings/registration/{registration.pk}/delete/", {"post": "yes"}
    ).status_code in (403, 404)
    assert Registration.objects.filter(pk=registration.pk).exists()
    # Roles: shown beside the account, granted only on the staff page.
    person = UserFactory()
    page = client.get(f"/admin/portal/user/{person.pk}/change/")
    assert page.status_code == 200
    inline = page.context["inline_admin_formsets"][0]
    assert inline.formset.model is RoleAssignment
    assert not inline.has_add_permission and not inline.has_delete_permission


def test_a_meetings_capacity_is_never_below_its_confirmed_seats_in_any_form(client_as):
    meeting = MeetingFactory(capacity=5)
    RegistrationFactory(meeting=meeting, party_size=3, status=Registration.Status.CONFIRMED)
    meeting.capacity = 2
    with pytest.raises(ValidationError) as refused:
        meeting.full_clean()
    assert "capacity" in refused.value.message_dict
    meeting.capacity = 3
    meeting.full_clean()

    client = client_as(Role.COORDINATOR)
    meeting.refresh_from_db()
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    opens = timezone.localtime(meeting.registration_opens_at)
    closes = timezone.localtime(meeting.registration_closes_at)
    response = client.post(
        reverse("meetings:edit", kwargs={"pk": meeting.pk}),
        {
            "title": meeting.title,
            "area": meeting.area_id,
            "kind": meeting.kind,
            "day_year": start.year,
            "day_month": start.month,
            "day_day": start.day,
            "start_time": start.strftime("%H:%M"),
            "end_time": end.strftime("%H:%M"),
            "venue_name": meeting.venue_name or "地区センター",
            "capacity": 2,
            "opens_day_year": opens.year,
            "opens_day_month": opens.month,
            "opens_day_day": opens.day,
            "opens_time": opens.strftime("%H:%M"),
            "closes_day_year": closes.year,
            "closes_day_month": closes.month,
            "closes_day_day": closes.day,
            "closes_time": closes.strftime("%H:%M"),
        },
    )
    assert "より少ない定員にはできません" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.capacity == 5


def test_admin_labels_are_translated(client_as):
    client = client_as(Role.ADMINISTRATOR)
    SupportRequestFactory()
    index = client.get("/admin/").content.decode()
    assert "Authenticators" not in index and "認証アプリ" in index
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(
        user=UserFactory(role=Role.COORDINATOR), type=Authenticator.Type.TOTP, data={}
    )
    page = client.get("/admin/portal/staffauthenticator/").content.decode()
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style).*?</\1>", "", page, flags=re.S))
    for english in ("uthenticator", "type", "user", "created", "last used"):
        assert english not in text.lower()
    changelist = client.get("/admin/liaisons/supportrequest/").content.decode()
    assert ">PK<" not in changelist and ">Pk<" not in changelist
