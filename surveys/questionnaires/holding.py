"""Held answers: how a web or paper answer reaches the answer tables without
a trace of the invitation it came from (docs/threat-model.md).

Written in the same transaction as the invitation's "answered" mark, an
answer could be joined back to its resident: by the transaction id
(PostgreSQL's `xmin`), by the physical order of the rows (`ctid`) against the
order of the marks, by ids or by times. So the answer is only *held* at
submission: sealed (`sealing`), with no reference to the invitation, in a
transaction of its own. `release()` later adds held answers to the answer
tables in batches of several, in random order, with random ids, all dated
the day of the batch, in one transaction a batch. A batch leaves the last
`batch_size()` held answers back, chosen at random and sealed afresh, so a
batch is never smaller than that, even the last one, and an answer may
leave in any later batch. When the survey has closed (or every letter is
answered), the rest go.

`release_soon()` asks for a release after each answer (inline without a
broker: tests and the demo); the beat schedule runs one for every survey
with held answers (`surveys.tasks.release_held_answers`).
"""

import logging
import random
from datetime import datetime, time

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from areas.models import Area, LocalIssue
from portal import audit
from portal.errors import Busy
from portal.locking import locked_one

from ..models import Invitation
from .models import HeldAnswer, IssueAnswer, Question, QuestionAnswer, Response, Survey
from .sealing import Unreadable, seal, unseal

log = logging.getLogger(__name__)

# Who adds the batches, in the audit log.
BATCHES = "surveys.answer_batches"
# The order of a batch and the answers kept back: unpredictable, never seeded.
_random = random.SystemRandom()


def batch_size():
    """The fewest answers a batch adds (`SURVEYS_ANSWER_BATCH`, default 5:
    the same floor as the analysis's smallest shown cell)."""
    return max(1, settings.SURVEYS_ANSWER_BATCH)


def day_start(day):
    """Midnight of `day`: the only time answering leaves in any row."""
    return timezone.make_aware(datetime.combine(day, time.min))


def hold(*, survey, payload, source, by, today):
    """Keep one answer sealed until its batch, in a transaction of its own.
    The audit row names the survey and keeps the day: no invitation, no
    address or browser (`by` comes without them)."""
    with transaction.atomic(durable=True):
        HeldAnswer.objects.create(survey=survey, sealed=seal(payload))
        # The analysis page says how many answers are held.
        survey.answers_changed()
        audit.record(
            by=by,
            action="surveys.answer.received",
            target=survey,
            data={"source": source},
            at=day_start(today),
        )


def held_count(survey):
    return HeldAnswer.objects.filter(survey=survey).count()


def _closed(survey, today):
    if survey.closes_on and today > survey.closes_on:
        return True
    if survey.draw_id is None:
        return False
    return not Invitation.objects.filter(draw_id=survey.draw_id, answered_at=None).exists()


def _rows(survey, payloads, today):
    """The answer rows of `payloads`, in their order, with fresh random ids."""
    areas = set(Area.objects.values_list("pk", flat=True))
    issues = set(LocalIssue.objects.values_list("pk", flat=True))
    questions = set(
        Question.objects.filter(section__questionnaire=survey.questionnaire_id).values_list(
            "pk", flat=True
        )
    )
    responses, issue_rows, other_rows = [], [], []
    for payload in payloads:
        response = Response(
            survey=survey,
            answered_on=today,
            age_band=payload.get("age_band", ""),
            sex=payload.get("sex", ""),
            area_id=payload.get("area") if payload.get("area") in areas else None,
            source=payload.get("source", Response.Source.ONLINE),
        )
        responses.append(response)
        for issue_id, interest, participation, expectation in payload.get("issues", []):
            if issue_id in issues:
                issue_rows.append(
                    IssueAnswer(
                        response=response,
                        survey=survey,
                        issue_id=issue_id,
                        interest=interest,
                        participation=participation,
                        expectation=expectation,
                    )
                )
        for question_id, value in payload.get("answers", []):
            if question_id in questions:
                other_rows.append(
                    QuestionAnswer(response=response, question_id=question_id, value=value)
                )
    return responses, issue_rows, other_rows


def release(*, survey_id, by, today=None):
    """Add held answers of one survey to the answer tables, as one batch.

    While the survey is open nothing moves until twice `batch_size()`
    answers are held; then all but `batch_size()` of them, chosen at random.
    Once it has closed, all of them. Every held row is deleted and the ones
    kept back are written again, sealed afresh, so that no one can tell
    which of them stayed. Returns the number of answers added."""
    today = today or timezone.localdate()
    keep_back = batch_size()
    with locked_one(Survey, survey_id) as survey:
        held = list(HeldAnswer.objects.filter(survey=survey))
        closed = _closed(survey, today)
        if not held or (not closed and len(held) < 2 * keep_back):
            return 0
        payloads, unreadable = [], 0
        readable_ids = []
        for row in held:
            try:
                payloads.append(unseal(row.sealed))
            except Unreadable:
                # Sealed under a key this server no longer has: left as it
                # is (put the old key in SECRET_KEY_FALLBACKS to add it).
                unreadable += 1
                continue
            readable_ids.append(row.pk)
        _random.shuffle(payloads)
        moving = payloads if closed else payloads[: max(len(payloads) - keep_back, 0)]
        kept = payloads[len(moving) :]
        if not moving or (not closed and len(moving) < keep_back):
            return 0
        responses, issue_rows, other_rows = _rows(survey, moving, today)
        Response.objects.bulk_create(responses)
        IssueAnswer.objects.bulk_create(issue_rows, batch_size=5000)
        QuestionAnswer.objects.bulk_create(other_rows, batch_size=5000)
        HeldAnswer.objects.filter(pk__in=readable_ids).delete()
        HeldAnswer.objects.bulk_create([HeldAnswer(survey=survey, sealed=seal(p)) for p in kept])
        survey.answers_changed()
        audit.record(
            by=by,
            action="surveys.answers.released",
            target=survey,
            data={"released": len(moving), "held": len(kept) + unreadable, "closed": closed},
        )
    if unreadable:
        log.warning("%d held answers of survey %s cannot be unsealed", unreadable, survey_id)
    return len(moving)


def release_all(*, by, today=None):
    """`release()` for every survey with held answers. Returns the number added."""
    surveys = HeldAnswer.objects.values_list("survey_id", flat=True).distinct().order_by()
    return sum(release(survey_id=pk, by=by, today=today) for pk in sorted(set(surveys)))


def release_soon(survey_id):
    """Ask the worker for a release of `survey_id` (inline without a broker)."""
    from portal.tasks import send_later

    from ..tasks import release_held_answers

    if settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            release(survey_id=survey_id, by=audit.Actor.for_system(BATCHES))
        except (Busy, DatabaseError):
            # The answer is held and stays held: the next answer or the beat
            # job adds it. The resident still sees their thanks.
            log.exception("Could not add the held answers of survey %s now", survey_id)
        return
    send_later(release_held_answers, survey_id)
