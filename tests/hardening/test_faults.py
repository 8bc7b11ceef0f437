"""Faults the portal survives: the database or the queue gone, a job that
breaks half-way, a lock held too long, a full disk.

Where it can, each test uses the real mechanism (a fresh process pointed at
a closed port, a real row lock held by another connection); a full disk is
the one fault simulated, by a storage that raises the OSError a full disk
raises.
"""

import errno
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from areas.models import Area, District
from portal import jobs
from portal.models import Job, Role
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT = 9  # discard: nothing listens on loopback
DISTRICTS_CSV = (ROOT / "areas" / "demo_data" / "districts.csv").read_bytes()


def _run_portal(code, **env):
    """Run `code` in a fresh portal process with `env` over a minimal environment."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _test_database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# --- The database is down -----------------------------------------------------------


def test_pages_show_the_portals_error_page_when_the_database_is_down():
    answers = _run_portal(
        "import json\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='127.0.0.1', raise_request_exception=False)\n"
        "out = {}\n"
        "for path in ('/healthz', '/', '/areas/', '/accounts/login/'):\n"
        "    r = client.get(path)\n"
        "    out[path] = [r.status_code, r.content.decode()]\n"
        "print(json.dumps(out))\n",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{CLOSED_PORT}/nowhere",
    )
    assert answers.pop("/healthz") == [503, "database unavailable"]
    for path, (status, page) in answers.items():
        # A page that needs no database (the sign-in form) still renders; the
        # others say the portal is away for a moment (503), not broken (500).
        assert status in (200, 503), path
        if status != 200:
            assert "ただいま一時的にご利用いただけません" in page, path
        assert "Traceback" not in page and "psycopg" not in page, path
    assert answers["/"][0] == 503


# --- The queue is down ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_job_started_while_the_broker_is_down_fails_with_a_message(tmp_path):
    if not settings.USING_POSTGRESQL:
        pytest.skip("the second process shares the test database on PostgreSQL only")
    UserFactory(email="queue-coordinator@example.jp", role=Role.ADMINISTRATOR)
    answer = _run_portal(
        "import json\n"
        "from django.core.files.uploadedfile import SimpleUploadedFile\n"
        "from django.test import Client\n"
        "from portal.models import Job, User\n"
        "client = Client(HTTP_HOST='127.0.0.1', raise_request_exception=False)\n"
        "client.force_login(User.objects.get(email='queue-coordinator@example.jp'))\n"
        f"upload = SimpleUploadedFile('districts.csv', {DISTRICTS_CSV!r})\n"
        "r = client.post('/areas/import/', {'file': upload})\n"
        "page = client.get(r['Location']) if r.status_code == 302 else r\n"
        "job = Job.objects.get()\n"
        "print(json.dumps({'status': r.status_code, 'page': page.content.decode(),\n"
        "    'job': job.status, 'message': job.message, 'upload': bool(job.upload)}))\n",
        DATABASE_URL=_test_database_url(),
        CELERY_BROKER_URL=f"redis://127.0.0.1:{CLOSED_PORT}/0",
        CELERY_TASK_ALWAYS_EAGER="false",
        REQUIRE_STAFF_MFA="false",
        PRIVATE_MEDIA_ROOT=str(tmp_path),
    )
    assert answer["status"] == 302
    assert answer["job"] == Job.Status.FAILED
    assert "キュー" in answer["message"]
    assert "キュー" in answer["page"]
    # Nothing was imported, and the upload (it may hold personal data) is gone.
    assert not answer["upload"]
    assert not District.objects.exists()


# --- A job that breaks half-way -------------------------------------------------------------


@pytest.mark.django_db
def test_an_import_that_breaks_midway_leaves_nothing(
    client_as, monkeypatch, django_capture_on_commit_callbacks
):
    from areas import services

    original = services._upsert_districts

    def half_then_break(rows, areas, result):
        original(rows[: len(rows) // 2], areas, result)
        raise RuntimeError("the worker lost its footing")

    monkeypatch.setattr(services, "_upsert_districts", half_then_break)
    client = client_as(Role.ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("areas:import_districts"),
            {"file": SimpleUploadedFile("districts.csv", DISTRICTS_CSV)},
        )
    job = Job.objects.get()
    assert response.status_code == 302
    assert job.status == Job.Status.FAILED
    assert "予期しないエラー" in client.get(job.get_absolute_url()).content.decode()
    assert not District.objects.exists() and not Area.objects.exists()


@pytest.mark.django_db
def test_a_job_cut_off_by_the_database_runs_again_from_the_start_once(
    client_as, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError

    from areas import services

    original = services._upsert_districts
    calls = []

    def break_once(rows, areas, result):
        calls.append(1)
        original(rows[: len(rows) // 2], areas, result)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        original(rows[len(rows) // 2 :], areas, result)

    monkeypatch.setattr(services, "_upsert_districts", break_once)
    client = client_as(Role.ADMINISTRATOR)
    monkeypatch.setattr("portal.tasks.run_job.delay", lambda job_id: None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("areas:import_districts"),
            {"file": SimpleUploadedFile("districts.csv", DISTRICTS_CSV)},
        )
    job = Job.objects.get()
    with pytest.raises(OperationalError):
        jobs.run(job.pk)  # the task retries on this error
    assert not District.objects.exists()
    job.refresh_from_db()
    assert not job.finished
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    codes = list(District.objects.values_list("code", flat=True))
    assert codes and len(codes) == len(set(codes))
    # A finished job run a third time (a duplicate delivery) does nothing.
    jobs.run(job.pk)
    assert District.objects.count() == len(codes)


# --- A lock held too long ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_lock_held_elsewhere_gives_the_busy_message_not_a_500(client, settings):
    if not settings.USING_POSTGRESQL:
        pytest.skip("row locks with a timeout need PostgreSQL")
    from grants.models import Application
    from tests.factories import AreaFactory, OrganisationFactory, represent
    from tests.grants.factories import application, proposal_programme

    settings.LOCK_TIMEOUT_SECONDS = 0.5
    representative = UserFactory()
    organisation = OrganisationFactory(areas=[AreaFactory()])
    represent(representative, organisation)
    draft = application(
        programme=proposal_programme(),
        organisation=organisation,
        applicant=representative,
    )
    holding, release = threading.Event(), threading.Event()

    def hold_the_row():
        from django.db import connection as own
        from django.db import transaction

        try:
            with transaction.atomic():
                Application.objects.select_for_update().get(pk=draft.pk)
                holding.set()
                release.wait(10)
        finally:
            own.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert holding.wait(10)
        client.force_login(representative)
        response = client.post(reverse("grants:submit", kwargs={"pk": draft.pk}), follow=True)
    finally:
        release.set()
        holder.join()
    assert response.status_code in (200, 409)
    assert "ほかの方が同じ記録を更新中です" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


# --- A full disk ------------------------------------------------------------------------------


def _disk_full(name, content):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def full_disk(monkeypatch):
    """Every private upload field's storage answers as a full disk would."""
    from grants.models import Attachment

    for model, name in ((Job, "upload"), (Attachment, "file")):
        monkeypatch.setattr(model._meta.get_field(name).storage, "_save", _disk_full)


@pytest.mark.django_db
def test_an_import_upload_on_a_full_disk_gives_a_message(client_as, full_disk):
    client = client_as(Role.ADMINISTRATOR)
    client.raise_request_exception = False
    response = client.post(
        reverse("areas:import_districts"),
        {"file": SimpleUploadedFile("districts.csv", DISTRICTS_CSV)},
        follow=True,
    )
    assert response.status_code in (200, 503)
    assert "保存領域" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_an_attachment_on_a_full_disk_gives_a_message(client, full_disk):
    from grants.models import Attachment
    from tests.factories import AreaFactory, OrganisationFactory, represent
    from tests.grants.factories import PDF_BYTES, application, proposal_programme

    representative = UserFactory()
    organisation = OrganisationFactory(areas=[AreaFactory()])
    represent(representative, organisation)
    draft = application(
        programme=proposal_programme(), organisation=organisation, applicant=representative
    )
    client.force_login(representative)
    client.raise_request_exception = False
    response = client.post(
        reverse("grants:attachment_add", kwargs={"pk": draft.pk}),
        {"label": "計画書", "file": SimpleUploadedFile("plan.pdf", PDF_BYTES)},
        follow=True,
    )
    assert response.status_code in (200, 503)
    assert "保存領域" in response.content.decode()
    assert not Attachment.objects.exists()


# --- A worker killed in the middle of a batch ------------------------------------------------


@pytest.mark.django_db
def test_a_batch_cut_off_half_way_resumes_without_doing_an_item_twice(
    client_as, monkeypatch, django_capture_on_commit_callbacks, settings, tmp_path
):
    """`make faults` kills a real worker; here the cut is an error the task
    retries on, raised after two of four PDFs are done."""
    from django.db import OperationalError

    from grants import pdf
    from grants.models import ExportFile, ExportItem
    from tests.factories import AreaFactory, OrganisationFactory, represent
    from tests.grants.factories import application, proposal_programme

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    programme = proposal_programme()
    area = AreaFactory()
    for i in range(4):
        user = UserFactory()
        organisation = OrganisationFactory(name=f"団体{i}", areas=[area])
        represent(user, organisation)
        application(
            programme=programme, organisation=organisation, applicant=user, status="submitted"
        )
    rendered = []
    original = pdf.render_pdf

    def render(template, context):
        if len(rendered) == 2 and not getattr(render, "cut", False):
            render.cut = True
            raise OperationalError("server closed the connection unexpectedly")
        rendered.append(context["application"].pk)
        return original(template, context)

    monkeypatch.setattr("grants.services.exports.render_pdf", render)
    monkeypatch.setattr("portal.tasks.run_job.delay", lambda job_id: None)
    with django_capture_on_commit_callbacks(execute=True):
        client_as(Role.COORDINATOR).post(reverse("grants:batch", args=[programme.pk]))
    job = Job.objects.get(kind="grants.pdf_batch")
    with pytest.raises(OperationalError):
        jobs.run(job.pk)
    assert ExportItem.objects.count() == 2
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["resumed"] == 2
    assert len(rendered) == len(set(rendered)) == 4
    export = ExportFile.objects.get()
    with export.file.open("rb") as data:
        import zipfile

        assert len(zipfile.ZipFile(data).namelist()) == 4
    # A duplicate delivery of the finished job renders nothing.
    jobs.run(job.pk)
    assert len(rendered) == 4


# --- The cache is unreachable ---------------------------------------------------------


def test_the_cache_answers_as_empty_while_redis_is_unreachable(caplog, monkeypatch):
    from portal.cache import ResilientRedisCache

    monkeypatch.setattr(ResilientRedisCache, "_last_logged", -1e9)
    cache = ResilientRedisCache(f"redis://127.0.0.1:{CLOSED_PORT}/0", {})
    assert cache.add("lock", True) is True  # allauth's lock: taken, the request goes on
    assert cache.get("history", "default") == "default"
    cache.set("history", [1])
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("history") is False
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert "Cache unreachable" in caplog.text


def test_the_cache_keeps_one_redis_client_and_survives_a_dropped_connection():
    import redis

    from portal.cache import ResilientRedisCache

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true: this test needs Redis on 127.0.0.1")
        pytest.skip("needs Redis on 127.0.0.1")
    cache = ResilientRedisCache(url, {})
    client = cache._cache.get_client()
    # One client for reads and writes alike, not one built per call.
    assert cache._cache.get_client(write=True) is client
    cache.set("kept", "value")
    # The server closes the cache's connection (as a Redis restart does): the
    # same client connects again from its pool.
    redis.Redis.from_url(url).client_kill_filter(_id=client.client_id())
    assert cache.get("kept") == "value"
    assert cache._cache.get_client() is client
    cache.delete("kept")
