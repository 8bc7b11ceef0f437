"""Whole public pages from the shared cache, for visitors who are not signed in.

The public meeting list and a meeting's page are what residents open most,
and they are the same for every visitor who is not signed in. Such a page is
kept in the cache under its namespace's version, the language and the path;
whatever changes what the pages show bumps the version after its transaction
commits (`bump`), and a short timeout bounds what only the clock changes
(a registration period opening, a meeting dropping off the upcoming list).

Every page carries the language form with a CSRF token, which must be the
visitor's own: the stored page keeps a marker in its place and each hit puts
in a token for this request (which also sets the visitor's CSRF cookie, as a
rendered page would). Signed-in visitors, visitors with a session or pending
messages, and anything but a 200 are never served from or stored in the cache.
"""

import functools
import hashlib
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token

TIMEOUT_SECONDS = 30
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
_MARKER = b"\x00csrf-token\x00"


def _version_key(namespace):
    return f"pagecache:{namespace}:version"


def bump(namespace):
    """Pages of `namespace` cached so far are not served again: now, and again
    once the transaction commits (a page cached meanwhile was rendered from
    what the transaction had not yet made visible)."""

    def new_version():
        cache.set(_version_key(namespace), uuid.uuid4().hex, None)

    new_version()
    transaction.on_commit(new_version)


def _cacheable(request):
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not request.user.is_authenticated


def public_page(namespace):
    """Decorate a view whose page is the same for every anonymous visitor."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            version = cache.get(_version_key(namespace), "0")
            path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            key = f"pagecache:{namespace}:{version}:{request.LANGUAGE_CODE}:{path}"
            stored = cache.get(key)
            if stored is not None:
                content, content_type = stored
                token = get_token(request).encode()
                return HttpResponse(content.replace(_MARKER, token), content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                content = _TOKEN.sub(rb"\1" + _MARKER + rb"\3", response.content)
                cache.set(key, (content, response["Content-Type"]), TIMEOUT_SECONDS)
            return response

        return wrapper

    return decorator
