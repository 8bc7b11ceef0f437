"""The cases the permission table must decide, named one by one.

The table (tests/permission_table.py) covers every URL pattern × every kind
of person; these rows add what its builders do not set up: a reviewer who
declared a conflict of interest on an application another reviewer has
scored. The plain tests below check that the named cases are in the table,
and that the role combinations of the demo are among the table's people.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from areas.models import Representation
from grants.models import Application, Score
from portal.demo import DEMO_USERS
from tests.grants.factories import application, assign
from tests.permission_table import (
    ACTOR_ROLES,
    Row,
    all_builders,
    all_rows,
    check_row,
    client_for,
    module_world,
)

SECRET_COMMENT = "審査員Aだけが書いた講評"


def build_conflict(world):
    """An application of the other organisation, scored by the reviewer;
    the officer-reviewer is assigned to it too but declared a conflict."""
    users = world.users
    scored = application(
        programme=world["programme"],
        organisation=world["other_organisation"],
        applicant=users["other_representative"],
        status=Application.Status.IN_REVIEW,
    )
    cleared = assign(scored, users["reviewer"], conflict=False)
    for criterion in world["programme"].criteria.all():
        Score.objects.create(assignment=cleared, criterion=criterion, score=4)
    cleared.comment = SECRET_COMMENT
    cleared.submitted_at = timezone.now()
    cleared.save()
    world["conflict_application"] = scored
    world["conflicted_assignment"] = assign(scored, users["officer_reviewer"], conflict=True)


conflict_world = module_world(lambda: [*all_builders(), build_conflict])


def _pk(w):
    return {"pk": w["conflict_application"].pk}


ROWS = [
    Row(
        "grants:application",
        kwargs=_pk,
        note="scored by one reviewer, conflicted for the other",
        default=403,
        expect={
            "anonymous": 302,
            "representative": 404,
            "other_representative": 200,
            "reviewer": 200,
            "officer_reviewer": 200,
            "coordinator": 200,
            "administrator": 200,
        },
        reveals=lambda w: SECRET_COMMENT,
        revealed_to=frozenset({"reviewer", "coordinator", "administrator"}),
    ),
    Row(
        "grants:review",
        kwargs=_pk,
        note="the others' scores",
        default=403,
        expect={"anonymous": 302, "reviewer": 200, "officer_reviewer": 200},
        reveals=lambda w: 'id="other-scores"',
        revealed_to=frozenset({"reviewer"}),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_conflicted_reviewer_row(row, conflict_world):
    world = conflict_world
    problems = check_row(row, world)
    assert not problems, f"{row.id}:\n  " + "\n  ".join(problems)


@pytest.mark.django_db
def test_a_conflicted_reviewer_cannot_score(django_capture_on_commit_callbacks, conflict_world):
    world = conflict_world
    scored = world["conflict_application"]
    criteria = list(world["programme"].criteria.all())
    before = Score.objects.count()
    client = client_for(world, "officer_reviewer")
    response = client.post(
        reverse("grants:review", kwargs={"pk": scored.pk}),
        {"score": "1", "comment": "x", **{f"criterion_{c.pk}": "5" for c in criteria}},
    )
    assert response.status_code == 400
    assert Score.objects.count() == before
    assert "利害関係" in response.content.decode()


def _expect(url_name, note_part, actor, status):
    rows = [r for r in all_rows() if r.url_name == url_name and note_part in r.note]
    assert rows, f"no row for {url_name} [{note_part}]"
    return [r.id for r in rows if r.status_for(actor) != status]


@pytest.mark.parametrize(
    ("url_name", "note", "actor", "status"),
    [
        # Officer A must not read officer B's area's request.
        ("liaisons:request", "another", "liaison_officer", 404),
        ("liaisons:request", "another", "other_officer", 200),
        ("liaisons:request", "own", "other_officer", 404),
        # A representative must not open another organisation's application or its files.
        ("grants:application", "other", "representative", 404),
        ("grants:attachment", "other", "representative", 404),
        ("grants:application_edit", "other", "representative", 404),
        ("grants:report", "other", "representative", 404),
        ("grants:grant_report_pdf", "other", "representative", 404),
        # A reviewer must not see applications not assigned to them.
        ("grants:application", "other", "reviewer", 404),
        ("grants:attachment", "other", "reviewer", 404),
        ("grants:review", "other", "reviewer", 404),
        ("grants:review", "own", "officer_reviewer", 404),
    ],
)
def test_the_named_cases_are_in_the_table(url_name, note, actor, status):
    assert not _expect(url_name, note, actor, status)


def test_every_role_combination_of_the_demo_is_a_person_of_the_table():
    combinations = {frozenset(roles) for roles in ACTOR_ROLES.values()}
    missing = [email for email, *_, roles, _ in DEMO_USERS if frozenset(roles) not in combinations]
    assert not missing


@pytest.mark.django_db
def test_a_representative_whose_term_ended_loses_the_application(client, conflict_world):
    world = conflict_world
    # A copy: the module's other tests share the world's objects.
    representation = Representation.objects.get(pk=world["representation"].pk)
    representation.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    representation.save()
    world.users["representative"].forget_roles()
    client.force_login(world.users["representative"])
    own = world["application"]
    # No longer anyone's representative: refused outright (403), or the row is hidden (404).
    assert client.get(reverse("grants:application", kwargs={"pk": own.pk})).status_code in (
        403,
        404,
    )
    attachment = world["attachment"]
    url = reverse("grants:attachment", kwargs={"pk": own.pk, "attachment_pk": attachment.pk})
    assert client.get(url).status_code in (403, 404)
