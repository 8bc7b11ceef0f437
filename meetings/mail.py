"""Mails to registrants. Each kind has a sent flag on the registration: it is
claimed under the registration's lock and committed before the mail server is
spoken to, so a slow server holds no row (a cancellation waiting on the
registration would otherwise hold the meeting's seat lock too). A send that
fails gives the claim back, so the task's retry sends it; a retried task
mails nobody twice."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import locking
from portal.links import site_url

from .calendar import meeting_ics
from .models import Registration

# kind → (flag field, subject, template, attach the calendar file)
KINDS = {
    "confirmation": ("confirmation_sent_at", "参加申込みを受け付けました", True),
    "waiting": ("waiting_notice_sent_at", "キャンセル待ちで受け付けました", False),
    "promotion": ("promotion_sent_at", "キャンセル待ちから参加が確定しました", True),
    "reminder": ("reminder_sent_at", "明日のミーティングのご案内", True),
    "cancellation": ("cancellation_sent_at", "ミーティング中止のお知らせ", False),
}


def send(registration_id, kind):
    """Send one kind of mail to one registrant, at most once. Returns True if sent now."""
    flag, subject, attach = KINDS[kind]
    with translation.override("ja"):
        with locking.locked(
            Registration.objects.filter(pk=registration_id).select_related("meeting")
        ) as rows:
            if not rows:
                return False
            registration = rows[0]
            if getattr(registration, flag) or not registration.email:
                return False
            if kind in ("confirmation", "promotion", "reminder") and (
                registration.status != Registration.Status.CONFIRMED
            ):
                return False
            message = _message(registration, kind, subject, attach)
            claimed_at = timezone.now()
            setattr(registration, flag, claimed_at)
            registration.save(update_fields=[flag])
        try:
            message.send()
        except Exception:
            # Only this claim is given back: another run that claimed since keeps its own.
            Registration.objects.filter(pk=registration_id, **{flag: claimed_at}).update(
                **{flag: None}
            )
            raise
    return True


def _message(registration, kind, subject, attach):
    meeting = registration.meeting
    url = site_url(meeting.get_absolute_url())
    body = render_to_string(
        f"meetings/mail/{kind}.txt",
        {
            "registration": registration,
            "meeting": meeting,
            "url": url,
            "mine_url": site_url("/meetings/mine/"),
            "city_name": settings.PORTAL_CITY_NAME,
        },
    )
    message = EmailMessage(
        # A line break in a title would make the header invalid and stop the mail.
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        + _(subject)
        + f"（{' '.join(meeting.title.split())}）",
        body=body,
        to=[registration.email],
    )
    if attach:
        message.attach(
            f"meeting-{meeting.pk}.ics",
            meeting_ics(meeting, url=url, online_link=True),
            "text/calendar",
        )
    return message
