"""Hostile input on every form of the portal.

Every page of the permission table is rendered as each person who may open
it; every form on it is then submitted with hostile values in its fields
(overlong text, NUL and other control characters, lone surrogates, HTML and
script, spreadsheet formulas, SQL fragments, emoji and characters outside
the BMP, impossible and out-of-era dates, negative and huge numbers) and
every file field with hostile files. Whatever the form does, the portal must
never answer 5xx, never echo script unescaped, speak Japanese when it
refuses, and leave the database as it was when it refuses.
"""

import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse

from tests.hardening.forms import baseline, forms_of, same_site, with_hostile
from tests.permission_table import ACTORS, all_rows, client_for, module_world

SCRIPT = '<script>alert("xss")</script>"><img src=x onerror=alert(1)>'
# Unescaped, any of these in an HTML answer would run.
RAW_MARKUP = ('<script>alert("xss")', "<img src=x onerror=")

# Into the fields a person types in (so that what a form accepts is stored
# and shown again) ...
TEXT_VALUES = [
    ("overlong", "長" * 10_000),
    ("nul", "a\x00b"),
    ("script", SCRIPT),
    (
        "formula-emoji-control",
        '=HYPERLINK("https://evil.example/","開く")😀𠮷髙﨑①\u3000㈱'
        "\x01\x07\x08\x1b[31m\u202e\ufeff\ud800",
    ),
]
# ... and into every field, hidden and chosen ones too. (Each value is one
# more submission of every form: the list keeps one of each kind of attack.)
ANY_FIELD_VALUES = [
    ("overlong", "9" * 10_000),
    ("nul", "1\x00"),
    ("script", SCRIPT),
    ("sql-javascript", "javascript:alert(1)'; DROP TABLE portal_user; --"),
    ("impossible-date", "2025-02-30"),
    ("far-year", "99999-12-31"),
    ("negative", "-1"),
    ("huge", "9" * 30),
]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HOSTILE_FILES = [
    ("empty", lambda: SimpleUploadedFile("empty.csv", b"", content_type="text/csv")),
    ("binary-as-csv", lambda: SimpleUploadedFile("data.csv", PNG, content_type="text/csv")),
    ("exe-as-pdf", lambda: SimpleUploadedFile("plan.pdf", b"MZ\x90\x00" + b"\x00" * 200)),
    (
        "utf16-without-bom",
        lambda: SimpleUploadedFile("data.csv", "氏名,住所\n山田,東京\n".encode("utf-16-le")),
    ),
    (
        "script-name",
        lambda: SimpleUploadedFile(f"{SCRIPT}.csv", b"a,b\n1,2\n", content_type="text/csv"),
    ),
    (
        "over-cap",
        lambda: SimpleUploadedFile(
            "big.csv", b"a," * (5 * 1024 * 1024 + 1), content_type="text/csv"
        ),
    ),
]

# Forms that end the session or change the language would change what the
# next submission means; they are Django's and allauth's own.
SKIPPED_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ERRORLIST = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)
# Rows a refused submission may still write: the audit trail of viewing the
# form again, and the session.
NOT_COUNTED = ("portal_auditlogentry", "django_session")
NOT_COUNTED += ("liaisons_liaisonsettings",)  # the one settings row, made when first read


def _table_counts():
    """Rows inserted and deleted so far, per table: on PostgreSQL from the
    transaction's own statistics (one cheap query), elsewhere by counting."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, n_tup_ins, n_tup_del FROM pg_stat_xact_user_tables"
                " WHERE relname <> ALL(%s)",
                [list(NOT_COUNTED)],
            )
            return {name: (ins, dels) for name, ins, dels in cursor.fetchall()}
    tables = [t for t in connection.introspection.table_names() if t not in NOT_COUNTED]
    select = ", ".join(f'(SELECT count(*) FROM "{t}")' for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _pages():
    """One GET row per URL name: the first with somebody allowed in."""
    pages, seen = [], set()
    for row in all_rows():
        if row.method != "get" or row.url_name in seen:
            continue
        if any(row.status_for(actor) == 200 for actor in ACTORS):
            seen.add(row.url_name)
            pages.append(row)
    return pages


PAGES = _pages()
world = module_world()


def _submit(client, form, pairs, files=None):
    if form.method == "get":
        query = urlencode(pairs, encoding="utf-8", errors="surrogatepass")
        return client.get(f"{form.action.split('?')[0]}?{query}")
    if files is not None or form.enctype == "multipart/form-data":
        if any("\ud800" in value for _, value in pairs):
            return None  # the test client cannot put a lone surrogate in multipart
        data = {}
        for name, value in pairs:
            data.setdefault(name, []).append(value)
        data.update(files or {})
        return client.post(form.action, data)
    body = urlencode(pairs, encoding="utf-8", errors="surrogatepass")
    return client.generic(
        "POST", form.action, body, content_type="application/x-www-form-urlencoded"
    )


def _html(response):
    return response.get("Content-Type", "").startswith("text/html")


def _judge(label, client, response, before):
    """Everything wrong with one answer."""
    problems = []
    if response.status_code >= 500:
        return [f"{label}: answered {response.status_code}"]
    if _html(response) and not getattr(response, "streaming", False):
        page = response.content.decode(errors="replace")
        for raw in RAW_MARKUP:
            if raw in page:
                problems.append(f"{label}: the answer holds {raw!r} unescaped")
        for errors in ERRORLIST.findall(page):
            text = re.sub(r"<[^>]+>", "", errors).strip()
            if text and not JAPANESE.search(text):
                problems.append(f"{label}: an error message not in Japanese: {text[:80]!r}")
    content = b"" if getattr(response, "streaming", False) else response.content
    refused = response.status_code == 400 or (
        response.status_code == 200 and (b"errorlist" in content or b"error-summary" in content)
    )
    if refused and before is not None:
        after = _table_counts()
        # A table the transaction had not touched before is missing from `before`.
        changed = {t: (before.get(t), n) for t, n in after.items() if before.get(t, (0, 0)) != n}
        if changed:
            problems.append(f"{label}: refused but wrote rows {changed}")
    if response.status_code in (301, 302) and (
        not same_site(response["Location"]) or response["Location"].startswith("javascript:")
    ):
        problems.append(f"{label}: redirected off the portal to {response['Location']}")
    elif response.status_code in (301, 302):
        location = response["Location"]
        if not location.startswith(SKIPPED_ACTIONS):
            shown = client.get(location)
            if shown.status_code >= 500:
                problems.append(
                    f"{label}: the page after it ({location}) answered {shown.status_code}"
                )
            elif _html(shown) and not getattr(shown, "streaming", False):
                page = shown.content.decode(errors="replace")
                for raw in RAW_MARKUP:
                    if raw in page:
                        problems.append(f"{label}: {location} shows {raw!r} unescaped")
    return problems


def _attempts(form):
    pairs = baseline(form)
    for name, value in TEXT_VALUES:
        yield f"{name} in text fields", with_hostile(form, pairs, value, only_text=True), None
    for name, value in ANY_FIELD_VALUES:
        yield f"{name} in every field", with_hostile(form, pairs, value, only_text=False), None
    files = [f.name for f in form.fields if f.kind == "file"]
    for name, make in HOSTILE_FILES if files else ():
        yield f"file {name}", pairs, {field: make() for field in files}


def _fuzz(world, actor, form):
    problems = []
    for label, pairs, files in _attempts(form):
        savepoint = transaction.savepoint()
        try:
            client = client_for(world, actor)
            before = _table_counts() if form.method == "post" else None
            response = _submit(client, form, pairs, files)
            if response is not None:
                where = f"{form.method.upper()} {urlsplit(form.action).path} as {actor}, {label}"
                problems += _judge(where, client, response, before)
        finally:
            transaction.savepoint_rollback(savepoint)
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("row", PAGES, ids=[row.url_name for row in PAGES])
def test_every_form_on_the_page_survives_hostile_input(row, world):
    kwargs = row.kwargs(world) if callable(row.kwargs) else (row.kwargs or {})
    url = reverse(row.url_name, kwargs=kwargs)
    problems, seen = [], set()
    for actor in ACTORS:
        if row.status_for(actor) != 200:
            continue
        savepoint = transaction.savepoint()
        try:
            response = client_for(world, actor).get(url)
        finally:
            transaction.savepoint_rollback(savepoint)
        if not _html(response):
            continue
        for form in forms_of(response.content.decode(), f"http://testserver{url}"):
            path = urlsplit(form.action).path
            if form.key in seen or not same_site(form.action) or path.startswith(SKIPPED_ACTIONS):
                continue
            seen.add(form.key)
            form.action = path + (
                f"?{urlsplit(form.action).query}" if urlsplit(form.action).query else ""
            )
            problems += _fuzz(world, actor, form)
    assert not problems, "\n".join(problems[:40])


@pytest.mark.django_db
def test_the_row_check_sees_a_write_and_only_a_write():
    from tests.factories import AreaFactory

    before = _table_counts()
    assert _table_counts() == before
    AreaFactory(code="ZZ")
    after = _table_counts()
    assert any(before.get(t, (0, 0)) != n for t, n in after.items())
