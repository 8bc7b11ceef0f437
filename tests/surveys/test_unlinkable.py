"""The joins an insider with the database would try, to tie an answer to the
resident whose letter it came from (docs/threat-model.md), on PostgreSQL
with real transactions.

Each attack runs twice: on answers written the old way (in the transaction
that marked the invitation answered, with the audit row naming the
invitation: the control, which shows the join works) and on answers
submitted through `submit_answer` (held, then added in batches), where it
must find nothing, or no more than chance.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from portal import audit
from portal.audit import Actor
from portal.locking import locked_one
from portal.models import AuditLogEntry
from surveys.models import HeldAnswer, Invitation, Response, Survey, Volunteer
from surveys.questionnaires import holding, sealing
from surveys.questionnaires import services as questionnaires
from surveys.questionnaires.models import IssueAnswer, Question, QuestionAnswer

from .answer_factories import survey_with_codes
from .factories import SYSTEM

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin and ctid are PostgreSQL's"),
]

ANSWERS = 30
BATCH = 5


def requester(n):
    """The request a resident sends from home: their own address and browser."""
    return Actor(ip_address=f"198.51.100.{n + 1}", user_agent=f"Browser/{n}", path="/x/")


def old_submit(*, invitation, data, volunteer, by):
    """How answers were written before: the answer, the invitation's mark,
    the audit row naming the invitation and the volunteer record, all in one
    transaction (the same rows as now, built by the same code)."""
    today = timezone.localdate()
    with locked_one(Invitation, invitation.pk) as invitation:
        survey = questionnaires.survey_of(invitation)
        questions = questionnaires._questions(survey.questionnaire)
        bands = questionnaires._bands(questions, data, invitation)
        payload = questionnaires._answer_payload(questions, data, bands=bands, source="online")
        responses, issue_rows, other_rows = holding._rows(survey, [payload], today)
        Response.objects.bulk_create(responses)
        IssueAnswer.objects.bulk_create(issue_rows)
        QuestionAnswer.objects.bulk_create(other_rows)
        invitation.answered_at = holding.day_start(today)
        invitation.save(update_fields=["answered_at"])
        audit.record(
            by=by, action="surveys.invitation.answered", target=invitation, data={"source": "x"}
        )
        Volunteer.objects.create(
            survey=survey,
            area_id=bands[2],
            name=volunteer["name"],
            contact=volunteer["contact"],
            consent_version="1",
            registered_on=today,
        )


def answer_all(submit):
    """ANSWERS residents answer, in turn; each writes a free text that says
    whose answer it is (so the test can tell whether a join is right) and
    volunteers. Returns {free text: invitation id} and the survey."""
    # More letters than answers: with every letter answered the survey would
    # count as closed and add the last held answers at once.
    survey, _codes = survey_with_codes(size=ANSWERS + 5)
    text = Question.objects.get(section__questionnaire=survey.questionnaire, kind="text")
    owner = {}
    invitations = list(Invitation.objects.filter(draw=survey.draw).order_by("number"))[:ANSWERS]
    for n, invitation in enumerate(invitations):
        marker = f"answer-{n:02d}" + "。" * (n * 7)  # lengths differ
        owner[marker] = invitation.pk
        submit(
            invitation=invitation,
            data={f"q{text.pk}": marker},
            volunteer={"name": f"参加 希望{n:02d}", "contact": f"v{n:02d}@example.jp"},
            by=requester(n),
        )
    return survey, owner


def close_and_release(survey):
    """After the closing day the beat job adds the last held answers."""
    Survey.objects.filter(pk=survey.pk).update(closes_on=date.today() - timedelta(days=1))
    holding.release(survey_id=survey.pk, by=SYSTEM)


def rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def xid(column):
    return f"{column}::text::bigint"


def answers_by(order):
    """(free text, xmin) of every answer, in `order` (an SQL expression on r)."""
    return rows(
        f"""SELECT qa.value #>> '{{}}', {xid("r.xmin")} FROM surveys_response r
        JOIN surveys_questionanswer qa ON qa.response_id = r.id ORDER BY {order}"""
    )


def submissions_by_xmin():
    """Invitation ids in the order the database marked them answered."""
    return [
        pk
        for pk, _x in rows(
            f"""SELECT id, {xid("xmin")} FROM surveys_invitation
            WHERE answered_at IS NOT NULL ORDER BY {xid("xmin")}"""
        )
    ]


def matches(pairs, owner):
    return sum(1 for text, invitation in pairs if owner[text] == invitation)


@pytest.fixture
def old(districts):
    return answer_all(old_submit)


@pytest.fixture
def held(districts):
    with override_settings(SURVEYS_ANSWER_BATCH=BATCH):
        survey, owner = answer_all(questionnaires.submit_answer)
        # While the survey is open the last BATCH..2·BATCH-1 stay held.
        assert BATCH <= HeldAnswer.objects.count() < 2 * BATCH
        close_and_release(survey)
    assert Response.objects.count() == ANSWERS and not HeldAnswer.objects.exists()
    return survey, owner


# --- xmin: the transaction that wrote a row -------------------------------------------


XMIN_JOIN = """SELECT qa.value #>> '{}', i.id FROM surveys_response r
    JOIN surveys_questionanswer qa ON qa.response_id = r.id
    JOIN surveys_invitation i ON i.xmin = r.xmin"""


def test_control_an_answer_written_with_its_mark_joins_its_invitation_on_xmin(old):
    _survey, owner = old
    assert matches(rows(XMIN_JOIN), owner) == ANSWERS


def test_no_answer_shares_a_transaction_with_an_invitation(held):
    _survey, owner = held
    assert rows(XMIN_JOIN) == []
    # Nor with a volunteer record (names and contacts).
    assert (
        rows("SELECT 1 FROM surveys_response r JOIN surveys_volunteer v ON v.xmin = r.xmin") == []
    )


def _nearest_earlier_mark(owner):
    """The insider's next guess: the invitation marked last, in the answer's
    transaction or before it."""
    marks = rows(f"SELECT id, {xid('xmin')} FROM surveys_invitation WHERE answered_at IS NOT NULL")
    guesses = []
    for text, answer_xmin in answers_by("r.ctid"):
        earlier = [(x, pk) for pk, x in marks if x <= answer_xmin]
        guesses.append((text, max(earlier)[1] if earlier else None))
    return guesses


def test_control_the_nearest_earlier_mark_names_every_answers_invitation(old):
    _survey, owner = old
    assert matches(_nearest_earlier_mark(owner), owner) == ANSWERS


def test_answers_come_in_batches_and_the_nearest_mark_names_one_per_batch_at_most(held):
    _survey, owner = held
    batches = {}
    for _text, answer_xmin in answers_by("r.ctid"):
        batches[answer_xmin] = batches.get(answer_xmin, 0) + 1
    # Every transaction that wrote answers wrote at least BATCH of them.
    assert min(batches.values()) >= BATCH and sum(batches.values()) == ANSWERS
    # All the answers of a batch share one guess: right for one of them at most.
    assert matches(_nearest_earlier_mark(owner), owner) <= len(batches) <= ANSWERS // BATCH


# --- ctid and ids: the order of the rows ----------------------------------------------

# With ANSWERS=30 and BATCH=5 a pairing in order is right for 2 answers on
# average; 15 or more happens less than once in a billion runs.
CHANCE = ANSWERS // 2


def _paired_in_order(order):
    answers = [text for text, _x in answers_by(order)]
    return list(zip(answers, submissions_by_xmin(), strict=True))


def test_control_the_physical_order_of_answers_is_the_order_of_the_marks(old):
    _survey, owner = old
    assert matches(_paired_in_order("r.ctid"), owner) == ANSWERS


def test_neither_the_physical_order_nor_the_ids_of_answers_follow_the_marks(held):
    _survey, owner = held
    assert matches(_paired_in_order("r.ctid"), owner) < CHANCE
    assert matches(_paired_in_order("qa.ctid"), owner) < CHANCE
    assert matches(_paired_in_order("r.id"), owner) < CHANCE
    assert all(uid.version == 4 for uid in Response.objects.values_list("pk", flat=True))


def test_no_sequence_numbers_the_answers():
    owned = rows(
        """SELECT t.relname FROM pg_class s JOIN pg_depend d ON d.objid = s.oid
        JOIN pg_class t ON t.oid = d.refobjid WHERE s.relkind = 'S'"""
    )
    answer_tables = {
        "surveys_response",
        "surveys_issueanswer",
        "surveys_questionanswer",
        "surveys_heldanswer",
    }
    assert not answer_tables & {name for (name,) in owned}


def test_control_volunteers_numbered_in_order_pair_with_their_answers(old):
    _survey, owner = old
    pairs = rows(
        """SELECT qa.value #>> '{}', v.name FROM surveys_response r
        JOIN surveys_questionanswer qa ON qa.response_id = r.id
        JOIN surveys_volunteer v ON v.xmin = r.xmin"""
    )
    assert len(pairs) == ANSWERS
    assert all(text[len("answer-") : len("answer-") + 2] == name[-2:] for text, name in pairs)


def test_the_volunteers_sequence_does_not_follow_the_answers(held):
    _survey, owner = held
    volunteers = list(Volunteer.objects.order_by("pk").values_list("name", flat=True))
    answers = [text for text, _x in answers_by("r.ctid")]
    same = sum(1 for t, n in zip(answers, volunteers, strict=True) if t[7:9] == n[-2:])
    assert same < CHANCE


# --- The audit log: times, addresses, targets ------------------------------------------


def test_control_the_audit_rows_of_answering_name_the_invitation_and_the_address(old):
    _survey, owner = old
    entries = AuditLogEntry.objects.filter(action="surveys.invitation.answered").order_by(
        "created_at", "id"
    )
    by_time = [int(e.target_id) for e in entries]
    answers = [text for text, _x in answers_by("r.ctid")]
    assert matches(zip(answers, by_time, strict=True), owner) == ANSWERS
    assert all(e.ip_address for e in entries)


def test_the_audit_rows_of_answering_keep_the_survey_and_the_day_only(held):
    survey, _owner = held
    written = AuditLogEntry.objects.filter(
        action__in=["surveys.answer.received", "surveys.volunteer.registered"]
    )
    assert written.filter(action="surveys.answer.received").count() == ANSWERS
    assert written.filter(action="surveys.volunteer.registered").count() == ANSWERS
    midnight = holding.day_start(date.today())
    assert set(written.values_list("created_at", flat=True)) == {midnight}
    assert set(written.values_list("ip_address", "user_agent", "request_path")) == {(None, "", "")}
    received = written.filter(action="surveys.answer.received")
    assert set(received.values_list("target_type", "target_id")) == {
        ("surveys.survey", str(survey.pk))
    }
    # Nothing written while answering names an invitation.
    assert (
        not AuditLogEntry.objects.filter(target_type="surveys.invitation")
        .exclude(target_id="")
        .exists()
    )


def test_no_time_finer_than_the_day_is_left_on_the_marks_or_the_answers(held):
    midnight = holding.day_start(date.today())
    assert set(
        Invitation.objects.exclude(answered_at=None).values_list("answered_at", flat=True)
    ) == {midnight}
    assert set(Response.objects.values_list("answered_on", flat=True)) == {date.today()}


# --- While held ---------------------------------------------------------------------------


def test_a_held_answer_is_sealed_padded_and_written_apart_from_its_mark(districts):
    survey, codes = survey_with_codes(size=4)
    text = Question.objects.get(section__questionnaire=survey.questionnaire, kind="text")
    invitations = list(Invitation.objects.filter(draw=survey.draw).order_by("number"))
    for n, (invitation, length) in enumerate(zip(invitations, (1, 1500), strict=False)):
        questionnaires.submit_answer(
            invitation=invitation,
            data={f"q{text.pk}": f"held-{n}" + "あ" * length},
            by=requester(n),
        )
    sealed = list(HeldAnswer.objects.values_list("sealed", flat=True))
    assert len(sealed) == 2 and len({len(s) for s in sealed}) == 1
    assert not any("held-" in s for s in sealed)
    assert {sealing.unseal(s)["answers"][0][1][:6] for s in sealed} == {"held-0", "held-1"}
    assert (
        rows("SELECT 1 FROM surveys_heldanswer h JOIN surveys_invitation i ON i.xmin = h.xmin")
        == []
    )
    assert (
        rows("SELECT 1 FROM surveys_heldanswer h JOIN surveys_volunteer v ON v.xmin = h.xmin") == []
    )


@override_settings(SURVEYS_ANSWER_BATCH=2)
def test_the_answers_kept_back_by_a_batch_are_sealed_afresh(districts):
    survey, _codes = survey_with_codes(size=5)
    invitations = list(Invitation.objects.filter(draw=survey.draw).order_by("number"))
    for n, invitation in enumerate(invitations[:3]):
        questionnaires.submit_answer(invitation=invitation, data={}, by=requester(n))
    before = dict(HeldAnswer.objects.values_list("pk", "sealed"))
    assert len(before) == 3 and not Response.objects.exists()
    questionnaires.submit_answer(invitation=invitations[3], data={}, by=requester(3))
    # Four held: two added, two kept back as new rows with new ciphertexts, so
    # that no one can tell which of the earlier held rows stayed.
    assert Response.objects.count() == 2
    after = dict(HeldAnswer.objects.values_list("pk", "sealed"))
    assert len(after) == 2
    assert not set(after) & set(before) and not set(after.values()) & set(before.values())
