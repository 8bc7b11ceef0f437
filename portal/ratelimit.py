"""Limits on guessing secrets (a letter's access code): wrong attempts per
client and checks per secret, counted in the shared cache.

One `Limit` per kind of secret, shared by every page that checks one, so a
guesser gains nothing by moving from page to page. The client is the
signed-in account (staff keying in paper answers behind the city hall's one
address must not lock each other out), or else the address
(`portal.clientip`). A secret is counted under a keyed hash, never as
itself: the cache holds no code.

Counters are `add()` then `incr()`: atomic in Redis, so every web process
shares one count. `spend()` counts uses rather than failures, for what an
anonymous visitor can make the server do (send a mail, render a PDF).
With Redis away the cache answers as empty
(`portal/cache.py`) and nothing is limited until it is back.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .errors import ServiceError


@dataclass(frozen=True)
class Limit:
    name: str
    # Wrong attempts one client may make in a window.
    per_client: int
    # Checks of one secret (right or wrong, from anyone) in a window.
    per_secret: int
    window: int


# Mails that anyone may have the portal send to an address they type in (a
# subscription's confirmation, a registration's notice): one count for every
# such form, per client (a household or an office behind one address may
# send for several people) and per target address (nobody can flood
# someone else's inbox through the city's mail server).
MAIL = Limit("portal.mail", per_client=10, per_secret=3, window=60 * 60)


def mail_target(email):
    """The counted secret of a target address (`spend(MAIL, secret=...)`)."""
    return "mail:" + email.strip().lower()


def too_many_mails():
    return _(
        "確認のメールを短い間に何度も送ることはできません。"
        "1時間ほどたってから、もう一度お試しください。"
    )


def client_of(actor):
    """The counted client of an `audit.Actor`: the account, else the
    address; None for work with neither (a command, a task)."""
    if getattr(actor, "user_id", None):
        return f"user:{actor.user_id}"
    if getattr(actor, "ip_address", None):
        return f"ip:{actor.ip_address}"
    return None


def _hashed(text):
    key = hashlib.sha256(("portal.ratelimit:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:32]


def _keys(limit, client, secret):
    keys = []
    if client:
        keys.append((f"ratelimit:{limit.name}:client:{_hashed(client)}", limit.per_client))
    if secret:
        keys.append((f"ratelimit:{limit.name}:secret:{_hashed(secret)}", limit.per_secret))
    return keys


def exceeded(limit, *, client=None, secret=None):
    """Whether the client has used up its wrong attempts, or the secret its checks."""
    return any((cache.get(key) or 0) >= most for key, most in _keys(limit, client, secret))


def _count(key, window):
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:
        # Expired between add() and incr().
        cache.set(key, 1, window)
        return 1


def failed(limit, *, client=None, secret=None):
    """Count a wrong attempt (for the client, and for the secret when it
    names one). True when this attempt used up the last one allowed: the
    caller records that once, not every refused attempt after it."""
    reached = False
    for key, most in _keys(limit, client, secret):
        reached |= _count(key, limit.window) == most
    return reached


def checked(limit, *, secret):
    """Count one check of a secret that was right."""
    reached = False
    for key, most in _keys(limit, None, secret):
        reached |= _count(key, limit.window) == most
    return reached


def spend(limit, *, client=None, secret=None, message=None):
    """Count one use of something costly that anyone may ask for (a mail
    sent to an address, a rendered PDF), for the client and for the target
    it names; raises `TooManyAttempts` without counting once either has had
    its `per_client`/`per_secret` uses in the window."""
    if exceeded(limit, client=client, secret=secret):
        raise TooManyAttempts(limit, message)
    for key, _most in _keys(limit, client, secret):
        _count(key, limit.window)


class TooManyAttempts(ServiceError):
    """A limit is used up: the page answers 429 with `retry_after` seconds."""

    status_code = 429

    def __init__(self, limit, message=None):
        self.limit = limit
        self.retry_after = limit.window
        super().__init__(
            message
            or _(
                "入力に続けて失敗したため、しばらく受け付けません。"
                "15分ほどたってから、もう一度お試しください。"
            ),
            code="rate_limited",
        )
