"""Answers that cost the server much to make (a PDF, a dataset, a feed) and
that anyone may ask for, without signing in.

Two guards, so that a crowd of requests cannot tie up every web worker
(and starve /healthz): an anonymous visitor's answer is kept whole in the
shared cache for a short while, and served from there without cost; what
has to be made anew is counted per client (`portal.ratelimit`), and beyond
the limit the answer is 429 with Retry-After. A cached answer is keyed by
the host and the full path (the datasets carry absolute links) and the
language, and never taken from or given to a signed-in visitor, whose page
may differ.
"""

import functools
import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from . import ratelimit
from .audit import Actor

# Printable documents (WeasyPrint: most of a second of CPU each).
DOCUMENT_LIMIT = ratelimit.Limit("portal.costly.documents", per_client=20, per_secret=0, window=600)
# Datasets and feeds (one query and a serialisation each).
FEED_LIMIT = ratelimit.Limit("portal.costly.datasets", per_client=120, per_secret=0, window=600)

CACHE_SECONDS = 60
TOO_MANY = _(
    "短い間に多くの求めがあったため、しばらく受け付けません。"
    "10分ほどたってから、もう一度お試しください。"
)
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Last-Modified", "ETag")


def too_many(error):
    response = HttpResponse(error.message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(error.retry_after)
    return response


def _cacheable(request):
    return request.method in ("GET", "HEAD") and not request.user.is_authenticated


def _cache_key(name, request):
    where = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(where.encode()).hexdigest()
    return f"costly:{name}:{request.LANGUAGE_CODE}:{digest}"


def costly(limit, *, name, cache_seconds=CACHE_SECONDS):
    """Decorate a view whose answer is costly to make: anonymous answers
    (200 only) kept `cache_seconds`; every answer made anew counted for
    the client against `limit`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            cacheable = _cacheable(request)
            key = _cache_key(name, request) if cacheable else None
            if cacheable:
                stored = cache.get(key)
                if stored is not None:
                    content, headers = stored
                    response = HttpResponse(content)
                    for header, value in headers:
                        response[header] = value
                    return response
            try:
                ratelimit.spend(
                    limit,
                    client=ratelimit.client_of(Actor.from_request(request)),
                    message=TOO_MANY,
                )
            except ratelimit.TooManyAttempts as error:
                return too_many(error)
            response = view(request, *args, **kwargs)
            if cacheable and response.status_code == 200 and not response.streaming:
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                headers = [(h, response[h]) for h in _KEPT_HEADERS if response.has_header(h)]
                cache.set(key, (response.content, headers), cache_seconds)
            return response

        return wrapper

    return decorator
