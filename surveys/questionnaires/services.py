"""Writes of the questionnaire part: building questionnaires, surveys, drafts,
submissions (web and paper), volunteers and imported answers."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area, LocalIssue
from portal import audit
from portal.errors import ServiceError
from portal.locking import locked_one

from ..models import Invitation
from . import holding, sealing, standard
from .models import (
    AGE_BANDS,
    Draft,
    Question,
    Questionnaire,
    Response,
    Section,
    Survey,
    Volunteer,
    VolunteerErasure,
)

# The issue matrix's parts in the order a held answer keeps them.
MATRIX_PARTS = ("i", "p", "e")
SEX_BY_CHOICE = {"1": "1", "2": "2", "3": "3"}


# --- Questionnaires ---------------------------------------------------------


def standard_questionnaire(*, by):
    """The standard questionnaire (created on first use; copied, never edited)."""
    existing = Questionnaire.objects.filter(is_standard=True).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(
            title=standard.TITLE,
            description=_(
                "このアンケートは無記名です。回答からあなたが特定されることはありません。"
            ),
            is_standard=True,
            created_by=by.user,
        )
        for order, (title, description, questions) in enumerate(standard.sections(), start=1):
            section = Section.objects.create(
                questionnaire=questionnaire, order=order, title=title, description=description
            )
            for number, fields in enumerate(questions, start=1):
                Question.objects.create(section=section, order=number, **fields)
        audit.record(by=by, action="surveys.questionnaire.created", target=questionnaire)
    return questionnaire


def copy_questionnaire(*, questionnaire, title, by):
    """A new, editable copy of a questionnaire (its sections and questions)."""
    with transaction.atomic():
        copy = Questionnaire.objects.create(
            title=title, description=questionnaire.description, created_by=by.user
        )
        for section in questionnaire.sections.prefetch_related("questions"):
            new_section = Section.objects.create(
                questionnaire=copy,
                order=section.order,
                title=section.title,
                description=section.description,
            )
            for q in section.questions.all():
                Question.objects.create(
                    section=new_section,
                    order=q.order,
                    kind=q.kind,
                    text=q.text,
                    help_text=q.help_text,
                    required=q.required,
                    choices=q.choices,
                    issue_numbers=q.issue_numbers,
                    profile=q.profile,
                )
        audit.record(
            by=by,
            action="surveys.questionnaire.created",
            target=copy,
            data={"copied_from": questionnaire.pk},
        )
    return copy


def edit_refusal(questionnaire):
    """Why the questionnaire cannot be changed (a message), or None."""
    if questionnaire.is_standard:
        return _("標準調査票は変更できません。複製してから編集してください。")
    if questionnaire.is_frozen:
        return _("回答が届いた調査票は変更できません。")
    return None


def _editable(questionnaire):
    message = edit_refusal(questionnaire)
    if message:
        raise ServiceError(message)


def add_section(*, questionnaire, title, description="", by):
    with locked_one(Questionnaire, questionnaire.pk) as questionnaire:
        _editable(questionnaire)
        last = questionnaire.sections.order_by("-order").values_list("order", flat=True).first()
        section = Section.objects.create(
            questionnaire=questionnaire,
            order=(last or 0) + 1,
            title=title,
            description=description,
        )
        audit.record(
            by=by,
            action="surveys.questionnaire.changed",
            target=questionnaire,
            data={"added": "section"},
        )
    return section


def add_question(
    *,
    section,
    kind,
    text,
    help_text="",
    choices=(),
    issue_numbers=(),
    required=False,
    by,
):
    with locked_one(Questionnaire, section.questionnaire_id) as questionnaire:
        _editable(questionnaire)
        last = section.questions.order_by("-order").values_list("order", flat=True).first()
        question = Question.objects.create(
            section=section,
            order=(last or 0) + 1,
            kind=kind,
            text=text,
            help_text=help_text,
            choices=list(choices),
            issue_numbers=list(issue_numbers),
            required=required,
        )
        audit.record(
            by=by,
            action="surveys.questionnaire.changed",
            target=questionnaire,
            data={"added": "question", "kind": kind},
        )
    return question


def delete_question(*, question, by):
    with locked_one(Questionnaire, question.section.questionnaire_id) as questionnaire:
        _editable(questionnaire)
        Question.objects.filter(pk=question.pk).delete()
        _renumber(
            list(Question.objects.filter(section_id=question.section_id).order_by("order", "pk"))
        )
        audit.record(
            by=by,
            action="surveys.questionnaire.changed",
            target=questionnaire,
            data={"deleted": "question"},
        )


# --- Editing and reordering (until the first answer freezes the questionnaire) ---

UP, DOWN = "up", "down"


def _renumber(rows):
    """Orders 1..n in the given sequence (saved only where they change)."""
    changed = []
    for order, row in enumerate(rows, start=1):
        if row.order != order:
            row.order = order
            changed.append(row)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["order"])


def _changed(by, questionnaire, **data):
    audit.record(by=by, action="surveys.questionnaire.changed", target=questionnaire, data=data)


def update_question(
    *,
    question,
    section,
    kind,
    text,
    help_text="",
    choices=(),
    issue_numbers=(),
    required=False,
    by,
):
    """Change a question (and move it to another section of the same
    questionnaire). The age band, sex and area questions fill the answers'
    analysis bands: their kind and options stay as they are."""
    with locked_one(Questionnaire, question.section.questionnaire_id) as questionnaire:
        _editable(questionnaire)
        question = Question.objects.select_related("section").get(pk=question.pk)
        if section.questionnaire_id != questionnaire.pk:
            raise ServiceError(_("この調査票の区切りを選んでください。"))
        choices, issue_numbers = list(choices), list(issue_numbers)
        if question.profile and (kind != question.kind or choices != question.choices):
            raise ServiceError(
                _("集計に使う設問（年齢区分・性別・地域）は、種類と選択肢を変えられません。")
            )
        moved_from = question.section if question.section_id != section.pk else None
        question.kind = kind
        question.text = text
        question.help_text = help_text
        question.choices = choices
        question.issue_numbers = issue_numbers if kind == Question.Kind.ISSUE_MATRIX else []
        question.required = required
        if moved_from is not None:
            last = section.questions.order_by("-order").values_list("order", flat=True).first()
            question.section = section
            question.order = (last or 0) + 1
        question.full_clean()
        question.save()
        if moved_from is not None:
            _renumber(list(moved_from.questions.order_by("order", "pk")))
        _changed(by, questionnaire, changed="question", question=question.pk)
    return question


def _cannot_move(step):
    return ServiceError(
        _("これ以上上へは移動できません。") if step < 0 else _("これ以上下へは移動できません。")
    )


def move_question(*, question, direction, by):
    """One place up or down. At the top of a section a question moves to the
    end of the section before; at the bottom, to the start of the next."""
    with locked_one(Questionnaire, question.section.questionnaire_id) as questionnaire:
        _editable(questionnaire)
        sections = list(questionnaire.sections.order_by("order", "pk"))
        question = Question.objects.get(pk=question.pk)
        at = next(i for i, s in enumerate(sections) if s.pk == question.section_id)
        rows = list(sections[at].questions.order_by("order", "pk"))
        i = next(n for n, q in enumerate(rows) if q.pk == question.pk)
        step = -1 if direction == UP else 1
        if 0 <= i + step < len(rows):
            rows[i], rows[i + step] = rows[i + step], rows[i]
            _renumber(rows)
        elif 0 <= at + step < len(sections):
            target = sections[at + step]
            rows.pop(i)
            others = list(target.questions.order_by("order", "pk"))
            question.section = target
            question.order = 0
            question.save(update_fields=["section", "order"])
            _renumber(others + [question] if step < 0 else [question] + others)
            _renumber(rows)
        else:
            raise _cannot_move(step)
        _changed(by, questionnaire, moved="question", question=question.pk, direction=direction)
    return question


def update_section(*, section, title, description="", by):
    with locked_one(Questionnaire, section.questionnaire_id) as questionnaire:
        _editable(questionnaire)
        Section.objects.filter(pk=section.pk).update(title=title, description=description)
        _changed(by, questionnaire, changed="section", section=section.pk)


def move_section(*, section, direction, by):
    with locked_one(Questionnaire, section.questionnaire_id) as questionnaire:
        _editable(questionnaire)
        rows = list(questionnaire.sections.order_by("order", "pk"))
        i = next(n for n, s in enumerate(rows) if s.pk == section.pk)
        step = -1 if direction == UP else 1
        if not 0 <= i + step < len(rows):
            raise _cannot_move(step)
        rows[i], rows[i + step] = rows[i + step], rows[i]
        _renumber(rows)
        _changed(by, questionnaire, moved="section", section=section.pk, direction=direction)


def delete_section(*, section, by):
    """Remove an empty section (its questions are deleted or moved first, so
    that nothing is lost by one click)."""
    with locked_one(Questionnaire, section.questionnaire_id) as questionnaire:
        _editable(questionnaire)
        if Question.objects.filter(section_id=section.pk).exists():
            raise ServiceError(
                _(
                    "設問のある区切りは削除できません。先に設問を削除するか、他の区切りへ移してください。"
                )
            )
        Section.objects.filter(pk=section.pk).delete()
        _renumber(list(questionnaire.sections.order_by("order", "pk")))
        _changed(by, questionnaire, deleted="section")


def create_survey(*, code, title, fiscal_year, draw, questionnaire, closes_on=None, by):
    if questionnaire.is_standard:
        raise ServiceError(_("標準調査票は複製してから使ってください。"))
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                code=code,
                title=title,
                fiscal_year=fiscal_year,
                draw=draw,
                questionnaire=questionnaire,
                closes_on=closes_on or (draw.closes_on if draw else None),
                consent_text=DEFAULT_CONSENT,
            )
            audit.record(by=by, action="surveys.survey.created", target=survey)
    except IntegrityError:
        raise ServiceError(_("この調査コードまたは抽出はすでに使われています。")) from None
    return survey


DEFAULT_CONSENT = (
    "お名前と連絡先は、お住まいの地域の会議（意見交換の場）へのご案内にだけ使い、"
    "アンケートの回答とは結び付けずに別に保管します。会議の参加者は、参加を希望された方の中から"
    "年代・性別・地域の構成が偏らないよう抽選で選ぶことがあります。"
    "会議の終了後、お名前と連絡先は消去します。"
)


# --- Answering --------------------------------------------------------------


def survey_of(invitation):
    return Survey.objects.select_related("questionnaire").filter(draw_id=invitation.draw_id).first()


def refusal(invitation, survey, *, today=None):
    """Why this invitation cannot answer now (a message), or None."""
    today = today or timezone.localdate()
    if survey is None or survey.questionnaire_id is None:
        return _("回答の受付はまだ始まっていません。受付が始まったら、もう一度お試しください。")
    if invitation.answered_at is not None:
        return _(
            "このアクセスコードではすでに回答をいただいています。ご協力ありがとうございました。"
        )
    if survey.closes_on and today > survey.closes_on:
        return _("回答の受付は終了しました（締切 %(date)s）。") % {
            "date": survey.closes_on.strftime("%Y年%-m月%-d日")
        }
    return None


def save_draft(*, invitation, page, data):
    """Keep the answers so far (the resident may come back later), sealed."""
    draft, _created = Draft.objects.get_or_create(invitation=invitation)
    merged = {**draft.data, **data}
    Draft.objects.filter(pk=draft.pk).update(sealed=sealing.seal(merged), page=page)
    return merged


def draft_of(invitation):
    return Draft.objects.filter(invitation=invitation).first()


def age_band_of_invitation(band):
    """`40–49` (a draw's band) → `40代`."""
    try:
        start = int(str(band).split("–")[0])
    except ValueError:
        return ""
    decade = min(max(start // 10 * 10, 10), 90)
    return f"{decade}代"


def _bands(questions, data, invitation):
    age_band = age_band_of_invitation(invitation.age_band) if invitation else ""
    sex = invitation.sex if invitation else ""
    area_id = invitation.area_id if invitation else None
    for q in questions:
        value = data.get(f"q{q.pk}")
        if not value:
            continue
        if q.profile == Question.Profile.AGE_BAND:
            text = q.choices[int(value) - 1] if str(value).isdigit() else ""
            if text in AGE_BANDS:
                age_band = text
        elif q.profile == Question.Profile.SEX:
            sex = SEX_BY_CHOICE.get(str(value), sex)
        elif q.profile == Question.Profile.AREA:
            area_id = (
                Area.objects.filter(code=value).values_list("pk", flat=True).first() or area_id
            )
    return age_band, sex, area_id


def _answer_payload(questions, data, *, bands, source):
    """What a held answer keeps (`holding`): the bands and, by id, the
    answers to the issue matrix and to the other questions."""
    issues = dict(LocalIssue.objects.values_list("number", "pk"))
    age_band, sex, area_id = bands
    issue_rows, other_rows = [], []
    for q in questions:
        if q.kind == Question.Kind.ISSUE_MATRIX:
            for number in q.issue_numbers:
                values = []
                for part in MATRIX_PARTS:
                    value = data.get(f"q{q.pk}_{number}_{part}")
                    values.append(int(value) if value in (1, 2, 3, 4, "1", "2", "3", "4") else None)
                if number in issues and any(v is not None for v in values):
                    issue_rows.append([issues[number], *values])
        elif q.profile == Question.Profile.NONE:
            value = data.get(f"q{q.pk}")
            if value not in (None, "", []):
                other_rows.append([q.pk, value])
    return {
        "age_band": age_band,
        "sex": sex,
        "area": area_id,
        "source": source,
        "issues": issue_rows,
        "answers": other_rows,
    }


def _questions(questionnaire):
    return list(
        Question.objects.filter(section__questionnaire=questionnaire).order_by(
            "section__order", "order", "pk"
        )
    )


def submit_answer(*, invitation, data, volunteer=None, source=Response.Source.ONLINE, by):
    """Record an answer for an invitation, once, so that nothing in the
    database, its backups or the logs pairs the answer with the invitation
    (docs/threat-model.md):

    1. under the invitation's lock: refuse a second answer, mark the
       invitation answered with the day only, delete its draft and write the
       volunteer record (name and contact with the letter's bands, nothing
       taken from the answer);
    2. in a transaction of its own, hold the answer sealed, with no
       reference to the invitation; the audit row keeps the survey and the
       day, no invitation, address or browser (`holding.hold`);
    3. held answers join the answer tables later, in shuffled batches of
       several (`holding.release`).

    Should step 2 fail, step 1 is undone, so the resident can send again.
    """
    today = timezone.localdate()
    quiet = by.without_request()
    with locked_one(Invitation, invitation.pk) as invitation:
        survey = survey_of(invitation)
        message = refusal(invitation, survey, today=today)
        if message:
            raise ServiceError(message)
        questions = _questions(survey.questionnaire)
        payload = _answer_payload(
            questions, data, bands=_bands(questions, data, invitation), source=source
        )
        # The day only: a finer time could be matched against the answer's arrival.
        invitation.answered_at = holding.day_start(today)
        invitation.save(update_fields=["answered_at"])
        Draft.objects.filter(invitation=invitation).delete()
        Questionnaire.objects.filter(pk=survey.questionnaire_id, frozen_on__isnull=True).update(
            frozen_on=today
        )
        record = None
        if volunteer:
            record = register_volunteer(
                survey=survey,
                area_id=invitation.area_id,
                district_id=_district_of(invitation),
                name=volunteer["name"],
                contact=volunteer["contact"],
                age_band=age_band_of_invitation(invitation.age_band),
                sex=invitation.sex,
                registered_on=today,
                by=quiet,
            )
    try:
        holding.hold(survey=survey, payload=payload, source=source, by=quiet, today=today)
    except Exception:
        with transaction.atomic():
            Invitation.objects.filter(pk=invitation.pk).update(answered_at=None)
            if record is not None:
                Volunteer.objects.filter(pk=record.pk).delete()
        raise
    holding.release_soon(survey.pk)


def _district_of(invitation):
    """The district of the letter's address (gone once the register is purged)."""
    resident = invitation.resident
    return resident.district_id if resident is not None else None


def register_volunteer(
    *,
    survey,
    area_id,
    name,
    contact,
    age_band="",
    sex="",
    district_id=None,
    registered_on=None,
    by,
):
    """A resident who wants to join the area's meetings, as its own record.

    Never linked to an answer: only the survey, the bands the panel's quotas
    need (the letter's, never the answer's) and the consent version the
    resident saw are kept beside the name and contact; the audit row keeps
    the day only. The area's meeting series list the record as an applicant
    (read through `surveys.selectors.volunteers_for_area`, never copied).
    """
    name, contact = (name or "").strip(), (contact or "").strip()
    if not name or not contact:
        raise ServiceError(_("参加を希望する場合はお名前と連絡先を入力してください。"))
    if age_band and age_band not in AGE_BANDS:
        raise ServiceError(_("年齢区分は「40代」のように入力してください。"))
    record = Volunteer(
        survey=survey,
        area_id=area_id,
        district_id=district_id,
        name=name,
        contact=contact,
        age_band=age_band,
        sex=sex,
        consent_version=survey.consent_version,
        registered_on=registered_on or timezone.localdate(),
    )
    record.full_clean()
    record.save()
    audit.record(
        by=by,
        action="surveys.volunteer.registered",
        target=record,
        at=holding.day_start(record.registered_on),
    )
    return record


# --- Erasing volunteer records ------------------------------------------------


def _registrant_keys(series_id):
    """The e-mail addresses and telephone numbers of the series' registrants
    (walk-ins did not apply)."""
    from meetings.applicants import registration_keys
    from meetings.models import Registration

    keys = set()
    registrations = (
        Registration.objects.filter(meeting__series_id=series_id)
        .exclude(source=Registration.Source.WALK_IN)
        .select_related("user")
    )
    for registration in registrations:
        keys |= registration_keys(registration)
    return keys


def erase_volunteers(*, survey, by, volunteer_ids=None, reason=VolunteerErasure.Reason.BY_HAND):
    """Delete volunteer records of `survey` (all of them, or `volunteer_ids`):
    names and contacts are gone for good. Per area, the number erased is kept
    (`VolunteerErasure`), and so is the number of those who had not registered
    for a meeting of the series that counted them, so that its funnel does not
    shrink. Returns the number erased."""
    from meetings.applicants import contact_keys

    from .. import scoping

    with locked_one(Survey, survey.pk) as survey:
        records = Volunteer.objects.filter(survey=survey)
        if volunteer_ids is not None:
            records = records.filter(pk__in=list(volunteer_ids))
        records = list(records.order_by("area_id", "pk"))
        if not records:
            raise ServiceError(_("消去する参加希望者がいません（すでに消去されています）。"))
        now = timezone.now()
        by_area = {}
        for record in records:
            by_area.setdefault(record.area_id, []).append(record)
        summary = {}
        for area_id, group in by_area.items():
            series_id = scoping.series_of(survey, area_id) if area_id else None
            registrants = _registrant_keys(series_id) if series_id else set()
            unregistered = sum(1 for v in group if not contact_keys(v.contact) & registrants)
            VolunteerErasure.objects.create(
                survey=survey,
                area_id=area_id,
                erased=len(group),
                unregistered=unregistered,
                reason=reason,
                erased_at=now,
            )
            summary[str(area_id or "")] = {"erased": len(group), "unregistered": unregistered}
        Volunteer.objects.filter(pk__in=[r.pk for r in records]).delete()
        audit.record(
            by=by,
            action="surveys.volunteers.erased",
            target=survey,
            data={"erased": len(records), "reason": reason, "areas": summary},
        )
    return len(records)


def volunteers_due(survey, area_id, *, today, days):
    """Whether the volunteers of `survey` in `area_id` are past keeping: `days`
    days after the later of the survey's closing day and the last meeting
    day of the series that counts them (a meeting still to come keeps them)."""
    from datetime import timedelta

    from .. import scoping

    if survey.closes_on is None:
        return False
    until = survey.closes_on
    series_id = scoping.series_of(survey, area_id) if area_id else None
    last = scoping.last_meeting_day(series_id) if series_id else None
    if last is not None:
        until = max(until, last)
    return today > until + timedelta(days=days)


def purge_expired_volunteers(*, by, today=None):
    """The purge policy for volunteer records (as the consent text promises:
    erased once the meetings are over): see `volunteers_due`, with
    SURVEYS_VOLUNTEER_PURGE_AFTER_DAYS (default: SURVEYS_PURGE_AFTER_DAYS,
    90). Returns the number of records erased."""
    from django.conf import settings

    today = today or timezone.localdate()
    days = settings.SURVEYS_VOLUNTEER_PURGE_AFTER_DAYS
    erased = 0
    groups = Volunteer.objects.values_list("survey_id", "area_id").distinct().order_by()
    for survey_id, area_id in sorted(groups, key=lambda g: (g[0], g[1] or 0)):
        survey = Survey.objects.select_related("draw").get(pk=survey_id)
        if not volunteers_due(survey, area_id, today=today, days=days):
            continue
        ids = Volunteer.objects.filter(survey_id=survey_id, area_id=area_id).values_list(
            "pk", flat=True
        )
        erased += erase_volunteers(
            survey=survey,
            volunteer_ids=list(ids),
            reason=VolunteerErasure.Reason.POLICY,
            by=by,
        )
    return erased
