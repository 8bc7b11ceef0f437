"""The migration that seals the drafts kept before (answers in progress, by invitation)."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from surveys.models import Draft

from .answer_factories import survey_with_codes

BEFORE = [("surveys", "0006_volunteererasure")]
AFTER = [("surveys", "0007_held_answers_and_sealed_drafts")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_drafts_kept_in_plain_json_are_sealed(districts):
    survey, _codes = survey_with_codes(size=2)
    invitation = survey.draw.invitations.order_by("number").first()
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO surveys_draft (invitation_id, data, page, updated_on) "
                "VALUES (%s, %s, 1, CURRENT_DATE)",
                [invitation.pk, json.dumps({"q1": "公園の清掃に参加したい"})],
            )
    finally:
        _migrate(AFTER)
    draft = Draft.objects.get()
    assert draft.data == {"q1": "公園の清掃に参加したい"} and draft.page == 1
    assert "公園" not in draft.sealed
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'surveys_draft'"
        )
        assert "data" not in {row[0] for row in cursor.fetchall()}
