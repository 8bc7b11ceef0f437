"""Subscribing to the digest, confirming (double opt-in) and unsubscribing.

A signed-in resident subscribes with their verified address at once. Anyone
else gives an address and gets a confirmation link; nothing is sent to the
address until it is clicked. Tokens are signed (django.core.signing) and
carry the subscription's random public id: a confirmation link expires,
an unsubscribe link does not (it is in every digest).
"""

import datetime

from django.conf import settings
from django.core import mail, signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Subscription
from portal import audit, locking, ratelimit
from portal.errors import ServiceError
from portal.links import site_url

from .digest import UNSUBSCRIBE_SALT, unsubscribe_url

CONFIRM_SALT = "areas.news.confirm"
CONFIRM_MAX_AGE = datetime.timedelta(days=3)
# Confirmation mails count towards the limit every anonymous mail shares.
CONFIRM_MAIL_LIMIT = ratelimit.MAIL


def confirm_token(subscription):
    return signing.dumps(str(subscription.public_id), salt=CONFIRM_SALT)


def _verified_email(user):
    from allauth.account.models import EmailAddress

    if user is None or not user.is_authenticated:
        return None
    address = EmailAddress.objects.filter(user=user, verified=True, primary=True).first()
    return address.email if address else None


def subscribe(*, email, areas, issues, frequency, by):
    """A subscription for `email`; confirmed at once when it is the
    signed-in user's verified address, otherwise a confirmation mail, at
    most `CONFIRM_MAIL_LIMIT` of them per client and per address an hour
    (`ratelimit.TooManyAttempts` beyond, with nothing written or sent)."""
    email = email.strip()
    if not email:
        raise ServiceError(_("メールアドレスを入力してください。"))
    user = by.user if getattr(by.user, "pk", None) else None
    verified = _verified_email(user)
    own = verified is not None and verified.lower() == email.lower()
    if not own:
        # Checked and counted before anything is written or sent.
        ratelimit.spend(
            CONFIRM_MAIL_LIMIT,
            client=ratelimit.client_of(by),
            secret=ratelimit.mail_target(email),
            message=ratelimit.too_many_mails(),
        )
    subscription = Subscription.objects.create(
        email=email,
        user=user if own else None,
        frequency=frequency,
        confirmed_at=timezone.now() if own else None,
    )
    subscription.areas.set(areas)
    subscription.issues.set(issues)
    audit.record(
        by=by,
        action="areas.subscription.created",
        target=subscription,
        data={"areas": len(areas), "issues": len(issues), "confirmed": own},
    )
    if own:
        _replace_older(subscription, by=by)
    else:
        _send_confirmation(subscription)
    return subscription


def _send_confirmation(subscription):
    context = {
        "confirm_url": site_url(
            reverse("areas:news:confirm", kwargs={"token": confirm_token(subscription)})
        ),
        "city_name": settings.PORTAL_CITY_NAME,
        "days": CONFIRM_MAX_AGE.days,
    }
    mail.send_mail(
        subject=_("【地域のお知らせ】メール配信の登録の確認"),
        message=render_to_string("areas/news/email/confirm.txt", context),
        from_email=None,
        recipient_list=[subscription.email],
    )


def _subscription_from(token, *, salt, max_age=None):
    try:
        public_id = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise ServiceError(
            _("確認の期限が切れています。もう一度登録してください。"), code="expired"
        ) from None
    except signing.BadSignature:
        raise ServiceError(_("リンクが正しくありません。"), code="bad_token") from None
    try:
        return Subscription.objects.get(public_id=public_id)
    except (Subscription.DoesNotExist, ValueError):
        raise ServiceError(_("この登録は見つかりません。"), code="bad_token") from None


def subscription_for_confirmation(token):
    return _subscription_from(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)


def subscription_for_unsubscribe(token):
    return _subscription_from(token, salt=UNSUBSCRIBE_SALT)


def confirm(*, token, by):
    """Confirm by the signed link; the address's older subscriptions end
    (the new choice of areas and issues replaces them)."""
    found = subscription_for_confirmation(token)
    with locking.locked_one(Subscription, found.pk) as subscription:
        if subscription.unsubscribed_at:
            raise ServiceError(_("この登録は解除されています。もう一度登録してください。"))
        if subscription.confirmed_at is None:
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at"])
            audit.record(by=by, action="areas.subscription.confirmed", target=subscription)
            _replace_older(subscription, by=by)
    return subscription


def _replace_older(subscription, *, by):
    older = Subscription.objects.filter(
        email__iexact=subscription.email, unsubscribed_at__isnull=True
    ).exclude(pk=subscription.pk)
    count = older.update(unsubscribed_at=timezone.now())
    if count:
        audit.record(
            by=by,
            action="areas.subscription.replaced",
            target=subscription,
            data={"ended": count},
        )


def unsubscribe(*, token, by):
    """One-click unsubscribe (RFC 8058): the signed token is enough."""
    found = subscription_for_unsubscribe(token)
    return end_subscription(subscription_id=found.pk, by=by)


def end_subscription(*, subscription_id, by):
    with locking.locked_one(Subscription, subscription_id) as subscription:
        if subscription.unsubscribed_at is None:
            subscription.unsubscribed_at = timezone.now()
            subscription.save(update_fields=["unsubscribed_at"])
            audit.record(by=by, action="areas.subscription.unsubscribed", target=subscription)
    return subscription


__all__ = ["confirm", "subscribe", "unsubscribe", "unsubscribe_url", "end_subscription"]
