"""Business actions of the liaisons app: officers and their areas, support
requests through their workflow, consultations and the city's setting.

Every status move goes through `REQUEST_FLOW` (one transition table) inside
a lock on the request; forms carry the version of the request they showed,
so a second person acting on the same request at once is told what happened
instead of overwriting it.
"""

import hashlib
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Representation
from areas.permissions import represents
from portal import audit, locking, uploads
from portal.audit import changes_between, snapshot
from portal.errors import ServiceError
from portal.models import Role
from portal.permissions import check
from portal.workflow import Workflow

from . import attachments
from .models import (
    EXPERIENCED_TIERS,
    SIMPLE_TIERS,
    AreaAssignment,
    Attachment,
    Consultation,
    LiaisonSettings,
    OfficerProfile,
    SupportRequest,
)

Status = SupportRequest.Status

TRIAGE = "liaisons.triage_request"
ASSIGN = "liaisons.assign_request"
WORK = "liaisons.work_request"

# The one transition table: (from, to) → the permission needed.
REQUEST_FLOW = Workflow(
    moves={
        (Status.SUBMITTED, Status.TRIAGED): TRIAGE,
        (Status.SUBMITTED, Status.DECLINED): TRIAGE,
        (Status.SUBMITTED, Status.REFERRED): TRIAGE,
        (Status.TRIAGED, Status.ASSIGNED): ASSIGN,
        (Status.TRIAGED, Status.DECLINED): TRIAGE,
        (Status.TRIAGED, Status.REFERRED): TRIAGE,
        # Reassignment: the same state, a new officer, a history row.
        (Status.ASSIGNED, Status.ASSIGNED): ASSIGN,
        (Status.ASSIGNED, Status.IN_PROGRESS): WORK,
        (Status.ASSIGNED, Status.DECLINED): WORK,
        (Status.ASSIGNED, Status.REFERRED): WORK,
        (Status.IN_PROGRESS, Status.DONE): WORK,
        (Status.IN_PROGRESS, Status.REFERRED): WORK,
        (Status.IN_PROGRESS, Status.DECLINED): WORK,
    },
    action_prefix="liaisons.request",
)

# A–C requests routed by the city's setting: no one's permission, the rule moves them.
ROUTING_FLOW = Workflow(
    moves={(Status.SUBMITTED, Status.REFERRED): None}, action_prefix="liaisons.request"
)

OFFICER_FIELDS = ("department", "experience", "is_active")


# --- Officers ------------------------------------------------------------------


def create_officer_profile(*, user, department, experience, by):
    """Record a member of staff as a liaison officer (they must hold the role)."""
    if Role.LIAISON_OFFICER not in user.roles:
        raise ServiceError(_("地域担当職員の役割を持つ職員のみ登録できます。"))
    officer = OfficerProfile(user=user, department=department, experience=experience)
    officer.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            officer.save()
            audit.record(
                by=by,
                action="liaisons.officer.created",
                target=officer,
                data={"user": user.pk, "experience": experience},
            )
    except IntegrityError:
        raise ServiceError(_("この職員はすでに地域担当職員として登録されています。")) from None
    return officer


def update_officer_profile(*, officer_id, department, experience, is_active, by):
    with locking.locked_one(OfficerProfile, officer_id) as officer:
        before = snapshot(officer, OFFICER_FIELDS)
        officer.department = department
        officer.experience = experience
        officer.is_active = is_active
        officer.full_clean(validate_unique=False)
        officer.save(update_fields=list(OFFICER_FIELDS))
        audit.record(
            by=by,
            action="liaisons.officer.updated",
            target=officer,
            changes=changes_between(before, snapshot(officer, OFFICER_FIELDS)),
        )
    return officer


def assign_area(*, officer, area, kind, valid_from, valid_until=None, by):
    """Assign an officer to an area (main or sub) for a period; the periods of
    one officer on one area do not overlap."""
    if valid_until is not None and valid_until < valid_from:
        raise ServiceError(_("終了日は開始日以降にしてください。"))
    with locking.locked_one(OfficerProfile, officer.pk) as locked:
        overlapping = AreaAssignment.objects.filter(officer=locked, area=area).exclude(
            valid_until__lt=valid_from
        )
        if valid_until is not None:
            overlapping = overlapping.filter(valid_from__lte=valid_until)
        if overlapping.exists():
            raise ServiceError(
                _("この職員はその期間すでに「%(area)s」を担当しています。") % {"area": area.name}
            )
        assignment = AreaAssignment.objects.create(
            officer=locked,
            area=area,
            kind=kind,
            valid_from=valid_from,
            valid_until=valid_until,
            assigned_by=by.user if getattr(by.user, "pk", None) else None,
        )
        audit.record(
            by=by,
            action="liaisons.assignment.created",
            target=assignment,
            data={"area": area.code, "kind": kind, "valid_from": str(valid_from)},
        )
    return assignment


def end_assignment(*, assignment_id, valid_until, by):
    with locking.locked_one(AreaAssignment, assignment_id) as assignment:
        if valid_until < assignment.valid_from:
            raise ServiceError(_("終了日は開始日以降にしてください。"))
        if assignment.valid_until is not None and assignment.valid_until <= valid_until:
            raise ServiceError(_("この担当はすでに終了しています。"))
        old = assignment.valid_until
        assignment.valid_until = valid_until
        assignment.save(update_fields=["valid_until"])
        audit.record(
            by=by,
            action="liaisons.assignment.ended",
            target=assignment,
            changes=changes_between({"valid_until": old}, {"valid_until": valid_until}),
        )
    return assignment


def update_settings(*, route_a_to_c_to, by):
    """Administrators set (or clear) the intermediary organisation for A–C."""
    LiaisonSettings.current()
    with locking.locked_one(LiaisonSettings, 1) as row:
        old = row.route_a_to_c_to_id
        row.route_a_to_c_to = route_a_to_c_to
        row.save()
        audit.record(
            by=by,
            action="liaisons.settings.updated",
            target=row,
            changes=changes_between(
                {"route_a_to_c_to": old}, {"route_a_to_c_to": row.route_a_to_c_to_id}
            ),
        )
    return row


# --- Support requests ----------------------------------------------------------


def _notify(request_id, event):
    from . import tasks

    transaction.on_commit(partial(tasks.notify_request.delay, request_id, event))


def submit_request(
    *,
    organisation,
    area,
    tier,
    title,
    description,
    desired_date=None,
    channel=SupportRequest.Channel.ONLINE,
    contact_name="",
    contact_phone="",
    contact_email="",
    files=(),
    by,
):
    """File a support request for `organisation`: by one of its current
    representatives, or by staff on its behalf (after a phone call or a visit).

    A–C requests go straight to the intermediary support organisation when
    the city's setting names one.
    """
    user = by.user
    on_behalf = not represents(user, organisation.pk)
    if on_behalf and not check(user, "liaisons.file_on_behalf"):
        raise ServiceError(_("この団体の代表者として登録されていないため、依頼できません。"))
    if not organisation.areas.filter(pk=area.pk).exists():
        raise ServiceError(_("この団体は選んだ地域で活動していません。"))
    files = list(files)
    if len(files) > attachments.MAX_ATTACHMENTS:
        raise ServiceError(_("添付ファイルは5件までです。"))
    checked = [(upload, *attachments.check_upload(upload)) for upload in files]
    representation = None
    if not on_behalf:
        representation = (
            Representation.objects.current().filter(user=user, organisation=organisation).first()
        )
    request = SupportRequest(
        organisation=organisation,
        area=area,
        tier=tier,
        title=title,
        description=description,
        desired_date=desired_date,
        channel=SupportRequest.Channel.ONLINE if not on_behalf else channel,
        requested_by=None if on_behalf else user,
        representation=representation,
        entered_by=user if on_behalf else None,
        contact_name=contact_name or ("" if on_behalf else user.get_full_name()),
        contact_phone=contact_phone,
        contact_email=contact_email or ("" if on_behalf else user.email),
    )
    request.full_clean()
    with transaction.atomic(durable=True):
        request.save()
        audit.record(
            by=by,
            action="liaisons.request.created",
            target=request,
            data={
                "tier": tier,
                "area": area.code,
                "organisation": organisation.pk,
                "on_behalf": on_behalf,
                "attachments": len(checked),
            },
        )
        for upload, kind, stored_name in checked:
            _save_attachment(request, upload, kind, stored_name, by=by)
        route = LiaisonSettings.current().route_a_to_c_to
        if route is not None and tier in SIMPLE_TIERS:
            request.routed_to = route
            request.version += 1
            ROUTING_FLOW.transition(
                request,
                to=Status.REFERRED,
                by=by,
                note=_("A〜Cの依頼は中間支援組織「%(name)s」へ回付する設定です。")
                % {"name": route.name},
                extra_fields=["routed_to", "version"],
                data={"routed_to": route.pk},
            )
        _notify(request.pk, "submitted")
    return request


def _save_attachment(request, upload, kind, stored_name, *, by):
    attachment = Attachment(
        request=request,
        # `evil.html` read as text is kept as `evil.txt`.
        original_name=uploads.download_name(attachments.display_name(upload.name), kind),
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=by.user if getattr(by.user, "pk", None) else None,
    )
    attachment.file.save(stored_name, upload, save=False)
    attachment.save()
    audit.record(
        by=by,
        action="liaisons.attachment.created",
        target=attachment,
        data={"content_type": kind.content_type, "size": upload.size},
    )
    return attachment


def _check_fresh(request, expected_version):
    """Refuse an action based on a page that no longer shows the request as it is."""
    if expected_version is not None and request.version != expected_version:
        assignee = request.assignee.user.get_full_name() if request.assignee_id else "—"
        raise ServiceError(
            _(
                "ほかの職員が先にこの依頼を更新しました。現在の状態は「%(status)s」"
                "（担当: %(assignee)s）です。内容を確認してから、もう一度操作してください。"
            )
            % {"status": request.get_status_display(), "assignee": assignee},
            code="stale",
        )


def _move(request, *, to, by, note="", fields=(), data=None):
    request.version += 1
    if to in SupportRequest.CLOSED_STATES:
        request.closed_at = timezone.now()
        fields = (*fields, "closed_at")
    REQUEST_FLOW.transition(
        request, to=to, by=by, note=note, extra_fields=["version", *fields], data=data
    )
    _notify(request.pk, to)
    return request


def triage_request(*, request_id, expected_version=None, note="", by):
    """Staff have read the request and accept it for assignment."""
    with locking.locked_one(SupportRequest, request_id) as request:
        _check_fresh(request, expected_version)
        return _move(request, to=Status.TRIAGED, by=by, note=note)


def assign_request(*, request_id, officer_id, expected_version=None, note="", by):
    """Give the request to an officer.

    D–F (running, coordination, policy) go to experienced officers only, and
    while the city routes A–C to an intermediary organisation those are not
    assigned to officers at all. Two staff assigning the same request at once:
    the lock makes the second wait, then see the first one's assignment.
    """
    with locking.locked_one(SupportRequest, request_id) as request:
        _check_fresh(request, expected_version)
        officer = OfficerProfile.objects.select_related("user").filter(pk=officer_id).first()
        if officer is None or not officer.is_active:
            raise ServiceError(_("選んだ職員は地域担当職員として在任していません。"))
        if Role.LIAISON_OFFICER not in officer.user.roles:
            raise ServiceError(_("選んだ職員は地域担当職員の役割を持っていません。"))
        if not officer.may_take(request.tier):
            raise ServiceError(
                _(
                    "%(tier)s はD〜Fの支援のため、経験者の職員にのみ割り当てられます。"
                    "%(name)sさんは一般の職員です。経験者の職員を選んでください。"
                )
                % {"tier": request.get_tier_display(), "name": officer.user.get_full_name()}
            )
        if request.assignee_id == officer.pk:
            raise ServiceError(_("この職員はすでにこの依頼の担当です。"))
        old = request.assignee_id
        request.assignee = officer
        _move(
            request,
            to=Status.ASSIGNED,
            by=by,
            note=note,
            fields=["assignee"],
            data={"assignee": officer.pk, "previous_assignee": old},
        )
        _notify(request.pk, "assignee")
    return request


def start_request(*, request_id, expected_version=None, note="", by):
    with locking.locked_one(SupportRequest, request_id) as request:
        _check_fresh(request, expected_version)
        return _move(request, to=Status.IN_PROGRESS, by=by, note=note)


def complete_request(*, request_id, hours, outcome, expected_version=None, note="", by):
    """The officer closes the request with the time spent and the outcome."""
    if hours is None or hours < 0:
        raise ServiceError(_("対応時間を0以上で入力してください。"))
    if not outcome.strip():
        raise ServiceError(_("対応結果を入力してください。"))
    with locking.locked_one(SupportRequest, request_id) as request:
        _check_fresh(request, expected_version)
        request.hours = Decimal(hours)
        request.outcome = outcome
        return _move(
            request,
            to=Status.DONE,
            by=by,
            note=note,
            fields=["hours", "outcome"],
            data={"hours": str(hours)},
        )


def decline_request(*, request_id, reason, expected_version=None, by):
    if not reason.strip():
        raise ServiceError(_("お断りの理由を入力してください。"))
    with locking.locked_one(SupportRequest, request_id) as request:
        _check_fresh(request, expected_version)
        request.decline_reason = reason
        return _move(request, to=Status.DECLINED, by=by, note=reason, fields=["decline_reason"])


def refer_request(*, request_id, department, hours=None, expected_version=None, note="", by):
    """Hand the request to a city department (one-stop window): where it went
    is recorded for the referrals report."""
    department = department.strip()
    if not department:
        raise ServiceError(_("引継ぎ先の部署を入力してください。"))
    with locking.locked_one(SupportRequest, request_id) as request:
        _check_fresh(request, expected_version)
        request.referred_department = department
        fields = ["referred_department"]
        if hours is not None:
            request.hours = Decimal(hours)
            fields.append("hours")
        return _move(
            request,
            to=Status.REFERRED,
            by=by,
            note=note or department,
            fields=fields,
            data={"department": department},
        )


def rate_request(*, request_id, rating, comment="", by):
    """The requester rates the help once it is done (1–5 and a comment)."""
    if rating not in range(1, 6):
        raise ServiceError(_("評価は1〜5で選んでください。"))
    with locking.locked_one(SupportRequest, request_id) as request:
        if request.status != Status.DONE:
            raise ServiceError(_("対応が完了した依頼のみ評価できます。"))
        if not represents(by.user, request.organisation_id):
            raise ServiceError(_("この団体の代表者ではありません。"))
        before = snapshot(request, ("rating", "rating_comment"))
        request.rating = rating
        request.rating_comment = comment
        request.version += 1
        request.save(update_fields=["rating", "rating_comment", "version"])
        audit.record(
            by=by,
            action="liaisons.request.rated",
            target=request,
            changes=changes_between(
                before, snapshot(request, ("rating", "rating_comment")), model=SupportRequest
            ),
        )
    return request


def may_assign_tier(officer, tier):
    return tier not in EXPERIENCED_TIERS or officer.is_experienced


# --- Consultations -------------------------------------------------------------


def log_consultation(
    *,
    area,
    channel,
    received_on,
    summary,
    outcome,
    topic=None,
    organisation=None,
    referred_department="",
    by,
):
    """An officer notes a walk-in or phone contact (相談の一次受け)."""
    if outcome == Consultation.Outcome.REFERRED and not referred_department.strip():
        raise ServiceError(_("他部署へ引き継いだときは、引継ぎ先の部署を入力してください。"))
    consultation = Consultation(
        area=area,
        organisation=organisation,
        channel=channel,
        received_on=received_on,
        topic=topic,
        summary=summary,
        outcome=outcome,
        referred_department=referred_department.strip(),
        received_by=by.user,
    )
    consultation.full_clean()
    with transaction.atomic():
        consultation.save()
        audit.record(
            by=by,
            action="liaisons.consultation.created",
            target=consultation,
            data={"area": area.code, "channel": channel, "outcome": outcome},
        )
    return consultation


CONSULTATION_FIELDS = (
    "received_on",
    "channel",
    "area",
    "organisation",
    "topic",
    "summary",
    "outcome",
    "referred_department",
)


def consultation_fingerprint(consultation):
    """A short digest of the record's editable values: the edit form carries
    the one it showed, so a second person saving over a change made meanwhile
    is told instead of silently overwriting it."""
    values = snapshot(consultation, CONSULTATION_FIELDS)
    text = "\x1f".join(
        str(v.pk if hasattr(v, "pk") else ("" if v is None else v)) for v in values.values()
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def update_consultation(*, consultation_id, values, by, fingerprint=""):
    """Correct a consultation record (the officer who took it, or a
    coordinator). The summary is personal data: the audit row says that it
    changed, never what it said (Consultation.audit_sensitive_fields)."""
    values = {name: values[name] for name in CONSULTATION_FIELDS if name in values}
    if "referred_department" in values:
        values["referred_department"] = (values["referred_department"] or "").strip()
    try:
        with locking.locked_one(Consultation, consultation_id) as consultation:
            if fingerprint and fingerprint != consultation_fingerprint(consultation):
                raise ServiceError(
                    _(
                        "この相談記録は、表示した後にほかの職員が更新しました。"
                        "今の記録を確かめ、必要なら直してからもう一度保存してください。"
                    ),
                    code="stale",
                )
            before = snapshot(consultation, CONSULTATION_FIELDS)
            for name, value in values.items():
                setattr(consultation, name, value)
            if (
                consultation.outcome == Consultation.Outcome.REFERRED
                and not consultation.referred_department
            ):
                raise ServiceError(
                    _("他部署へ引き継いだときは、引継ぎ先の部署を入力してください。")
                )
            try:
                consultation.full_clean()
            except ValidationError as error:
                raise ServiceError(" ".join(error.messages)) from None
            changes = changes_between(
                before, snapshot(consultation, CONSULTATION_FIELDS), model=Consultation
            )
            if changes:
                consultation.save(update_fields=list(CONSULTATION_FIELDS))
                audit.record(
                    by=by,
                    action="liaisons.consultation.updated",
                    target=consultation,
                    changes=changes,
                )
    except Consultation.DoesNotExist:
        raise ServiceError(_("この相談記録は見つかりません。")) from None
    return consultation, bool(changes)
