"""Security headers on every kind of answer, file downloads that cannot be
sniffed into pages, session cookies, and `next=` parameters that cannot send
anyone off the portal."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from portal.models import Role
from tests.permission_table import ACTORS, all_builders, all_rows, build_world, client_for
from tests.portal_process import run_portal

PAGE_TYPES = ("text/html",)
SAFE_INLINE = ("application/pdf", "image/png", "image/jpeg", "image/webp")
# Answered before any other middleware, to load balancers only, in plain text.
UNCHECKED = ("healthz",)
# Answers a browser shows inline by design: feeds, calendars, open data, health.
INLINE_DATA = ("application/atom+xml", "application/rss+xml", "text/calendar", "application/json")
INLINE_DATA += ("application/ld+json", "text/plain")


def _directives(policy):
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def header_problems(response):
    problems = []
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.get("Referrer-Policy") not in ("same-origin", "strict-origin", "no-referrer"):
        problems.append(f"Referrer-Policy {response.get('Referrer-Policy')!r}")
    if response.get("X-Frame-Options") != "DENY":
        problems.append(f"X-Frame-Options {response.get('X-Frame-Options')!r}")
    content_type = response.get("Content-Type", "").split(";")[0]
    if content_type in PAGE_TYPES:
        policy = response.get("Content-Security-Policy", "")
        directives = _directives(policy)
        if directives.get("frame-ancestors") != ["'none'"]:
            problems.append(f"CSP frame-ancestors {directives.get('frame-ancestors')}")
        for name in ("script-src", "style-src", "default-src"):
            if name not in directives:
                problems.append(f"CSP without {name}")
            elif "'unsafe-inline'" in directives[name] or "'unsafe-eval'" in directives[name]:
                problems.append(f"CSP {name} allows unsafe code: {directives[name]}")
    elif content_type and not content_type.startswith(INLINE_DATA):
        # A file (CSV, PDF, XLSX, an attachment) is named by Content-Disposition;
        # only types a browser cannot run as a page may open inline (a 回覧板 PDF
        # to print), every other is saved.
        disposition = response.get("Content-Disposition", "")
        if not disposition.startswith("attachment") and not (
            disposition.startswith("inline") and content_type in SAFE_INLINE
        ):
            problems.append(f"{content_type} served with Content-Disposition {disposition!r}")
    return problems


@pytest.mark.django_db
def test_every_page_and_file_of_the_table_carries_the_security_headers():
    """Each GET row of the permission table, as the first person it lets in."""
    world = build_world(all_builders())
    problems, seen = [], set()
    for row in all_rows():
        if row.method != "get" or row.id in seen or row.url_name in UNCHECKED:
            continue
        seen.add(row.id)
        actor = next((a for a in ACTORS if row.status_for(a) == 200), None)
        if actor is None:
            continue
        kwargs = row.kwargs(world) if callable(row.kwargs) else (row.kwargs or {})
        savepoint = transaction.savepoint()
        try:
            response = client_for(world, actor).get(reverse(row.url_name, kwargs=kwargs))
        finally:
            transaction.savepoint_rollback(savepoint)
        problems += [f"{row.id} as {actor}: {p}" for p in header_problems(response)]
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/no-such-page/", "/staff/", "/accounts/login/"])
def test_error_and_sign_in_pages_carry_the_headers(client, path):
    response = client.get(path)
    assert not header_problems(response)


@pytest.mark.django_db
def test_a_forbidden_page_carries_the_headers(client_as):
    response = client_as([]).get("/staff/")
    assert response.status_code == 403
    assert not header_problems(response)


@pytest.mark.django_db
def test_the_session_and_csrf_cookies_are_http_only_and_same_site(client, user_with_role):
    user = user_with_role(Role.COORDINATOR, password="correct horse battery staple 7")
    client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "correct horse battery staple 7"}
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"].lower() == "lax"


def test_behind_tls_every_cookie_is_secure_and_hsts_is_sent():

    code = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0)\n"
    )
    result = run_portal(
        code,
        {
            "HTTPS": "true",
            "SECRET_KEY": "x" * 60,
        },
    )
    assert result.stdout.split() == ["True"] * 4, result.stderr[-2000:]


EVIL = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]


@pytest.mark.django_db
@pytest.mark.parametrize("target", EVIL)
def test_sign_in_does_not_follow_a_next_off_the_portal(client, user_with_role, target):
    user = user_with_role(Role.COORDINATOR, password="correct horse battery staple 7")
    assert client.get("/accounts/login/", {"next": target}).status_code == 200
    response = client.post(
        f"/accounts/login/?next={target}",
        {"login": user.email, "password": "correct horse battery staple 7", "next": target},
    )
    assert response.status_code == 302
    assert not re.match(r"^(https?:)?//|^/\\|^javascript:", response["Location"])


@pytest.mark.django_db
@pytest.mark.parametrize("target", EVIL)
def test_language_switch_does_not_follow_a_next_off_the_portal(client, target):
    response = client.post("/i18n/setlang/", {"language": "en", "next": target})
    assert response.status_code == 302
    assert not re.match(r"^(https?:)?//|^/\\|^javascript:", response["Location"])
