"""The migration that replaces registrations' plain access codes by keyed hashes."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from meetings.models import Registration
from meetings.services.registration import invitation_reference
from surveys.services import codes

from .factories import MeetingFactory

BEFORE = [("meetings", "0002_registration_phone")]
AFTER = [("meetings", "0003_registration_invitation_ref")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_plain_codes_become_the_keyed_hash_new_registrations_get():
    meeting = MeetingFactory()
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            for n, (code, status) in enumerate(
                [
                    ("ABCD-EFGH-JKMN", "confirmed"),
                    # The same letter typed another way, both active.
                    ("abcdefghjkmn", "waiting"),
                    ("ZZZZ-ZZZZ-ZZZZ", "cancelled"),
                    ("", "confirmed"),
                ]
            ):
                cursor.execute(
                    """INSERT INTO meetings_registration (meeting_id, name, name_kana, email,
                    phone, party_size, accessibility_needs, childcare_requested,
                    childcare_children, mode, comment, invitation_code, source, status,
                    created_at) VALUES (%s, %s, '', '', '', 1, '', false, 0, 'in_person',
                    '', %s, 'invitation', %s, now())""",
                    [meeting.pk, f"申込者{n}", code, status],
                )
    finally:
        _migrate(AFTER)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'meetings_registration'"
        )
        assert "invitation_code" not in {row[0] for row in cursor.fetchall()}
    refs = dict(Registration.objects.values_list("name", "invitation_ref"))
    assert refs["申込者0"] == invitation_reference(codes.normalise("ABCD-EFGH-JKMN"))
    assert refs["申込者1"] not in ("", refs["申込者0"])
    assert refs["申込者2"] == invitation_reference("ZZZZZZZZZZZZ")
    assert refs["申込者3"] == ""
    assert not any("ABCD" in ref.upper() for ref in refs.values())
