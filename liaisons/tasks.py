"""E-mail about support requests, sent by celery (inline without a broker)."""

from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError
from django.utils import translation
from django.utils.translation import gettext as _

from portal.celery import app
from portal.links import site_url

SUBJECT_PREFIX = "[地域協働ポータル] "


def _link(request):
    return site_url(request.get_absolute_url())


def _requester_address(request):
    if request.contact_email:
        return request.contact_email
    return request.requested_by.email if request.requested_by_id else ""


@app.task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=3,
)
def notify_request(request_id, event):
    """Tell the assignee they were assigned (`event == "assignee"`) or the
    requester about a change of status. Safe to run twice: it only sends mail."""
    from .models import SupportRequest

    request = (
        SupportRequest.objects.select_related("assignee__user", "requested_by", "organisation")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return 0
    with translation.override("ja"):
        if event == "assignee":
            if not request.assignee_id:
                return 0
            subject = _("支援依頼 #%(pk)s の担当になりました") % {"pk": request.pk}
            body = _(
                "%(name)s 様\n\n"
                "次の支援依頼の担当になりました。\n\n"
                "番号: #%(pk)s\n団体: %(organisation)s\n支援の種類: %(tier)s\n件名: %(title)s\n\n"
                "内容はポータルで確認してください。\n%(link)s\n"
            ) % {
                "name": request.assignee.user.get_full_name(),
                "pk": request.pk,
                "organisation": request.organisation.name,
                "tier": request.get_tier_display(),
                "title": request.title,
                "link": _link(request),
            }
            to = request.assignee.user.email
        else:
            to = _requester_address(request)
            if not to:
                return 0
            subject = _("支援依頼 #%(pk)s: %(status)s") % {
                "pk": request.pk,
                "status": request.requester_status,
            }
            body = _(
                "%(organisation)s 御中\n\n"
                "支援依頼「%(title)s」（#%(pk)s）の状況をお知らせします。\n\n"
                "状況: %(simple)s（%(status)s）\n\n"
                "詳しくはポータルでご確認ください。\n%(link)s\n"
            ) % {
                "organisation": request.organisation.name,
                "title": request.title,
                "pk": request.pk,
                "simple": request.requester_status,
                "status": request.get_status_display(),
                "link": _link(request),
            }
    return send_mail(SUBJECT_PREFIX + subject, body, None, [to])
