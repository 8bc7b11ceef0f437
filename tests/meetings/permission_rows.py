"""Who may open each meetings URL (see tests/permission_table.py)."""

from meetings.models import Idea, Meeting
from tests.permission_table import Row

from .factories import MeetingFactory, RegistrationFactory, SeriesFactory

PUBLIC_200 = {"default": 200, "expect": {}}
STAFF = ("liaison_officer", "other_officer", "coordinator", "administrator", "officer_reviewer")


def build(world):
    meeting = MeetingFactory(area=world.area, title="表のミーティング")
    meeting.facilitators.add(world.users["liaison_officer"])
    world["meeting"] = meeting
    other = MeetingFactory(area=world.other_area, title="裏のミーティング")
    other.facilitators.add(world.users["other_officer"])
    world["other_meeting"] = other
    world["draft"] = MeetingFactory(area=world.area, status=Meeting.Status.DRAFT)
    world["registration"] = RegistrationFactory(meeting=meeting, user=world.users["resident"])
    world["other_registration"] = RegistrationFactory(
        meeting=other, user=world.users["representative"]
    )
    world["idea"] = Idea.objects.create(meeting=meeting, text="意見", issue=world.issue)
    world["series"] = SeriesFactory(area=world.area)


def _pk(name):
    return lambda w: {"pk": w[name].pk}


def _public(url_name, kwargs=None, note=""):
    return Row(url_name, kwargs=kwargs, note=note, default=200, expect={})


def _draft(url_name):
    return Row(
        url_name,
        kwargs=_pk("draft"),
        note="draft",
        default=404,
        expect={actor: 200 for actor in STAFF},
    )


TEAM_OWN = {
    "anonymous": 302,
    "liaison_officer": 200,
    "officer_reviewer": 403,
    "coordinator": 200,
    "administrator": 200,
}
TEAM_OTHER = {
    "anonymous": 302,
    "other_officer": 200,
    "liaison_officer": 403,
    "officer_reviewer": 403,
    "coordinator": 200,
    "administrator": 200,
}
COORDINATORS = {"anonymous": 302, "coordinator": 200, "administrator": 200}
LOGIN_OR_403 = 403


def _team(url_name, meeting, expect):
    # Residents and reviewers see the published meeting but are not its team: 403.
    return Row(url_name, kwargs=_pk(meeting), note=meeting, default=LOGIN_OR_403, expect=expect)


ROWS = [
    _public("meetings:list"),
    _public("meetings:calendar"),
    _public("meetings:detail", _pk("meeting"), "published"),
    _draft("meetings:detail"),
    _public("meetings:ical", _pk("meeting"), "published"),
    _draft("meetings:ical"),
    _public("meetings:area_feed", lambda w: {"code": w.area.code}),
    _public("meetings:register_invitation", _pk("meeting"), "published"),
    _public("opendata:events_csv"),
    _public("opendata:events_json"),
    Row("meetings:register", kwargs=_pk("meeting"), default=200, expect={"anonymous": 302}),
    Row(
        "meetings:register",
        kwargs=_pk("draft"),
        note="draft",
        default=404,
        expect={"anonymous": 302, **{a: 200 for a in STAFF}},
    ),
    Row("meetings:mine", default=200, expect={"anonymous": 302}),
    Row(
        "meetings:cancel_registration",
        kwargs=_pk("registration"),
        method="post",
        note="own",
        default=404,
        expect={
            "anonymous": 302,
            "resident": 302,
            "coordinator": 302,
            "administrator": 302,
        },
        redirect_to="/meetings/",
    ),
    Row(
        "meetings:cancel_registration",
        kwargs=_pk("other_registration"),
        note="GET",
        default=405,
        expect={},
    ),
    Row(
        "meetings:feedback",
        kwargs=_pk("registration"),
        note="own",
        default=404,
        expect={"anonymous": 302, "resident": 200, "coordinator": 403, "administrator": 403},
    ),
    Row(
        "meetings:staff_list",
        default=403,
        expect={"anonymous": 302, **{a: 200 for a in STAFF}},
    ),
    Row("meetings:create", default=403, expect=COORDINATORS),
    Row(
        "meetings:edit",
        kwargs=_pk("meeting"),
        default=403,
        expect={**COORDINATORS},
    ),
    Row(
        "meetings:move",
        kwargs=_pk("meeting"),
        method="post",
        data={"to": "closed"},
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to="/meetings/staff/",
    ),
    _team("meetings:participants", "meeting", TEAM_OWN),
    _team("meetings:participants", "other_meeting", TEAM_OTHER),
    Row(
        "meetings:export",
        kwargs=_pk("meeting"),
        data={"format": "utf-8"},
        default=403,
        expect=TEAM_OWN,
    ),
    _team("meetings:check_in", "meeting", TEAM_OWN),
    _team("meetings:check_in", "other_meeting", TEAM_OTHER),
    Row(
        "meetings:walk_in",
        kwargs=_pk("meeting"),
        method="post",
        data={"name": "当日", "party_size": 1},
        default=403,
        expect={k: (302 if k != "officer_reviewer" else 403) for k in TEAM_OWN},
        redirect_to="/meetings/staff/",
    ),
    _team("meetings:minutes", "meeting", TEAM_OWN),
    Row(
        "meetings:idea_push",
        kwargs=_pk("idea"),
        method="post",
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to="/meetings/staff/",
    ),
    Row(
        "meetings:series_list",
        default=403,
        expect={"anonymous": 302, **{a: 200 for a in STAFF}},
    ),
    Row(
        "meetings:funnel",
        kwargs=_pk("series"),
        default=403,
        expect={"anonymous": 302, **{a: 200 for a in STAFF}},
    ),
    # Applicants' contacts (survey volunteers of the area included): coordinators only.
    Row(
        "meetings:applicants",
        kwargs=_pk("series"),
        default=403,
        expect={"anonymous": 302, "coordinator": 200},
        reveals=lambda w: "希望 花子",
        revealed_to=["coordinator"],
    ),
    Row(
        "meetings:applicants_export",
        kwargs=_pk("series"),
        default=403,
        expect={"anonymous": 302, "coordinator": 200},
        reveals=lambda w: "希望 花子",
        revealed_to=["coordinator"],
    ),
    # Registering an applicant for a meeting of the series: coordinators only.
    Row(
        "meetings:applicant_register",
        kwargs=_pk("series"),
        method="post",
        data={"applicant": "nobody", "meeting": ""},
        default=403,
        expect={"anonymous": 302, "coordinator": 302},
        redirect_to=lambda w: f"/meetings/staff/series/{w['series'].pk}/applicants/",
    ),
    Row(
        "meetings:applicant_register",
        kwargs=_pk("series"),
        note="GET",
        default=405,
        expect={},
    ),
]
