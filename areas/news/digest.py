"""The e-mail digest: new posts and newly opened meetings, daily or weekly.

Items come from sources. Posts are one; other apps add theirs:

    from areas.news.digest import DigestItem, register_source

    @register_source
    def opened_meetings(*, since, until):
        for meeting in Meeting.objects.filter(opened_at__gte=since, opened_at__lt=until):
            yield DigestItem(key=f"meeting:{meeting.pk}", title=..., url=meeting.get_absolute_url(),
                             when=meeting.opened_at, area_ids=frozenset({meeting.area_id}),
                             kind_label="新しい会議")

Sending is idempotent: each (subscription, item) pair is written to
DigestDelivery (unique) in the same transaction that sends the batch, so a
retried or doubled task sends nobody the same item twice.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail, signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import DigestDelivery, Post, Subscription
from portal import audit, locking
from portal.links import site_url

PERIODS = {
    Subscription.Frequency.DAILY: datetime.timedelta(days=1),
    Subscription.Frequency.WEEKLY: datetime.timedelta(days=7),
}
BATCH_SIZE = 100
UNSUBSCRIBE_SALT = "areas.news.unsubscribe"


@dataclass(frozen=True)
class DigestItem:
    key: str  # unique across sources, e.g. "post:12", "meeting:5"
    title: str
    url: str  # path on this site
    when: datetime.datetime
    summary: str = ""
    kind_label: str = ""
    # Empty area_ids: city-wide, for every subscriber.
    area_ids: frozenset = field(default_factory=frozenset)
    issue_ids: frozenset = field(default_factory=frozenset)


_sources = []


def register_source(source):
    """Add a callable `source(*, since, until)` returning DigestItems that
    became public in [since, until). Usable as a decorator."""
    if source not in _sources:
        _sources.append(source)
    return source


def unregister_source(source):
    if source in _sources:
        _sources.remove(source)


@register_source
def new_posts(*, since, until):
    from . import markup

    posts = (
        Post.objects.live(until)
        .filter(publish_at__lt=until)
        .prefetch_related("areas", "issues")
        .select_related("organisation")
    )
    for post in posts:
        when = max(post.publish_at, post.published_at or post.publish_at)
        if when < since:
            continue
        yield DigestItem(
            key=f"post:{post.pk}",
            title=post.title,
            url=post.get_absolute_url(),
            when=when,
            summary=markup.summary(post.body_html),
            kind_label=str(post.get_kind_display())
            + (f"（{post.organisation.name}）" if post.organisation_id else ""),
            area_ids=frozenset(a.pk for a in post.areas.all()),
            issue_ids=frozenset(i.pk for i in post.issues.all()),
        )


def collect_items(*, since, until):
    items = {}
    for source in list(_sources):
        for item in source(since=since, until=until):
            items.setdefault(item.key, item)
    return sorted(items.values(), key=lambda i: (i.when, i.key))


def matches(item, *, area_ids, issue_ids):
    """A subscription with no areas and no issues takes everything; else an
    item of (or for the whole city, or without area) one of its areas, or
    tagged with one of its issues."""
    if not area_ids and not issue_ids:
        return True
    if area_ids and (not item.area_ids or item.area_ids & area_ids):
        return True
    return bool(issue_ids and item.issue_ids & issue_ids)


def unsubscribe_token(subscription):
    return signing.dumps(str(subscription.public_id), salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(subscription):
    return site_url(
        reverse("areas:news:unsubscribe", kwargs={"token": unsubscribe_token(subscription)})
    )


def digest_message(subscription, items, connection=None):
    """The e-mail: plain text and HTML, with RFC 8058 one-click unsubscribe."""
    context = {
        "items": [{"item": item, "url": site_url(item.url)} for item in items],
        "unsubscribe_url": unsubscribe_url(subscription),
        "frequency": subscription.get_frequency_display(),
        "city_name": settings.PORTAL_CITY_NAME,
    }
    subject = _("【地域のお知らせ】新着%(count)d件") % {"count": len(items)}
    message = mail.EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("areas/news/email/digest.txt", context),
        to=[subscription.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("areas/news/email/digest.html", context), "text/html"
    )
    return message


def send_digests(*, frequency, by, now=None, batch_size=BATCH_SIZE):
    """Send each active subscription of `frequency` the items it has not had.

    Items that became public within two periods (so a day the task did not
    run is caught up) and after the subscription was confirmed. Returns the
    number of messages sent."""
    now = now or timezone.now()
    since = now - 2 * PERIODS[frequency]
    items = collect_items(since=since, until=now)
    active = Subscription.objects.filter(
        frequency=frequency, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )
    ids = list(active.order_by("pk").values_list("pk", flat=True))
    sent = 0
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        sent += _send_batch(active.filter(pk__in=batch), items, by=by, now=now)
    return sent


def _send_batch(subscriptions, items, *, by, now):
    if not items:
        return 0
    with locking.locked(subscriptions) as rows:
        ids = [s.pk for s in rows]
        delivered = set(
            DigestDelivery.objects.filter(subscription_id__in=ids).values_list(
                "subscription_id", "item_key"
            )
        )
        areas = _ids_by_subscription(Subscription.areas.through, "area_id", ids)
        issues = _ids_by_subscription(Subscription.issues.through, "localissue_id", ids)
        messages, deliveries = [], []
        for subscription in rows:
            chosen = [
                item
                for item in items
                if (subscription.pk, item.key) not in delivered
                and item.when >= subscription.confirmed_at
                and matches(
                    item,
                    area_ids=areas.get(subscription.pk, frozenset()),
                    issue_ids=issues.get(subscription.pk, frozenset()),
                )
            ]
            if not chosen:
                continue
            messages.append(digest_message(subscription, chosen))
            deliveries += [
                DigestDelivery(subscription=subscription, item_key=item.key, sent_at=now)
                for item in chosen
            ]
        if not messages:
            return 0
        # The delivery rows claim the items and are committed before the mail
        # server is spoken to: a slow server holds no subscription's lock.
        claimed = [d.pk for d in DigestDelivery.objects.bulk_create(deliveries)]
    try:
        with mail.get_connection() as connection:
            connection.send_messages(messages)
    except Exception:
        # The claim is given back, so the task's retry sends the batch again.
        DigestDelivery.objects.filter(pk__in=claimed).delete()
        raise
    audit.record(
        by=by,
        action="areas.digest.sent",
        target=Subscription,
        data={"messages": len(messages), "items": len(deliveries)},
    )
    return len(messages)


def _ids_by_subscription(through, column, ids):
    result = {}
    for subscription_id, other_id in through.objects.filter(subscription_id__in=ids).values_list(
        "subscription_id", column
    ):
        result.setdefault(subscription_id, set()).add(other_id)
    return {k: frozenset(v) for k, v in result.items()}
