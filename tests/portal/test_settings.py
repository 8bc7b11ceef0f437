"""Settings read from the environment, checked in fresh processes."""

import gettext
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "x9Qz7Lw2Rt5Yp8Nv4Bm6Hc1Jd3Fg0Sa" * 2,
    "ALLOWED_HOSTS": "portal.example.jp",
    "HTTPS": "true",
    "DATABASE_URL": "postgres://portal:secret@db:5432/portal",
    "REDIS_URL": "redis://redis:6379/0",
}


def _run(code, env):
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SSL_CERT_FILE")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


SHOW = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "engine": s.DATABASES["default"]["ENGINE"],
    "cache": s.CACHES["default"]["BACKEND"],
    "eager": s.CELERY_TASK_ALWAYS_EAGER,
    "broker": s.CELERY_BROKER_URL,
    "email": s.EMAIL_BACKEND,
    "mfa": s.REQUIRE_STAFF_MFA,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "language": s.LANGUAGE_CODE,
    "time_zone": s.TIME_ZONE,
    "static": s.STORAGES["staticfiles"]["BACKEND"].rsplit(".", 1)[-1],
    "debug": s.DEBUG,
    "hsts": [s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD],
    "connect_timeout": s.DATABASES["default"].get("OPTIONS", {}).get("connect_timeout"),
    "visibility_timeout": __import__("portal.celery").celery.app.conf.broker_transport_options[
        "visibility_timeout"
    ],
}))
"""


def test_with_nothing_set_the_portal_runs_on_the_embedded_default(tmp_path):
    shown = json.loads(_run(SHOW, {"SQLITE_PATH": str(tmp_path / "demo.sqlite3")}))
    assert shown == {
        "engine": "django.db.backends.sqlite3",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "eager": True,
        "broker": "memory://",
        "email": "django.core.mail.backends.console.EmailBackend",
        "mfa": True,
        "ssl_redirect": False,
        "language": "ja",
        "time_zone": "Asia/Tokyo",
        "static": "StaticFilesStorage",
        "debug": False,
        "hsts": [0, False, False],
        "connect_timeout": None,
        "visibility_timeout": 3600,
    }


def test_debug_on_a_developers_machine_turns_staff_mfa_off():
    assert json.loads(_run(SHOW, {"DEBUG": "true"}))["mfa"] is False


def test_the_demo_turns_staff_mfa_off_and_keeps_debug_off():
    shown = json.loads(_run(SHOW, {"DEMO": "true"}))
    assert shown["mfa"] is False
    assert shown["debug"] is False


def test_the_demo_serves_css_and_the_portals_own_error_pages(tmp_path, migrated_sqlite):
    """DEBUG is off in the demo: no technical 404 listing every URL, and the
    static files still come from the apps' folders without collectstatic."""
    code = """
import django
django.setup()
from unittest import mock
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
css = client.get("/static/css/portal.css")
assert css.status_code == 200 and b"{" in b"".join(css.streaming_content), css.status_code
missing = client.get("/no-such-page/")
assert missing.status_code == 404, missing.status_code
page = missing.content.decode()
assert "ページが見つかりません" in page and "URLconf" not in page, page
assert "/static/css/portal.css" in page
with mock.patch("portal.views.areas_for_listing", side_effect=RuntimeError("boom")):
    broken = client.get("/")
assert broken.status_code == 500, broken.status_code
assert "エラーが発生しました" in broken.content.decode()
assert "Traceback" not in broken.content.decode()
print("ok")
"""
    env = {
        "DEMO": "true",
        "SQLITE_PATH": str(migrated_sqlite),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    assert _run(code, env).strip().endswith("ok")


def test_make_demo_runs_without_debug_on_the_port_given():
    result = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed", "demo", "PORT=8001"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    commands = result.stdout.splitlines()
    assert "DEMO=true .venv/bin/python manage.py runserver 127.0.0.1:8001" in commands
    assert "DEBUG=true" not in result.stdout
    default = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed", "demo"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "runserver 127.0.0.1:8000" in default.stdout


def test_database_and_redis_urls_move_it_onto_postgresql_and_celery_workers():
    shown = json.loads(_run(SHOW, PRODUCTION))
    assert shown["engine"] == "django.db.backends.postgresql"
    assert shown["cache"] == "portal.cache.ResilientRedisCache"
    assert shown["eager"] is False
    assert shown["broker"] == "redis://redis:6379/0"
    assert shown["ssl_redirect"] is True
    assert shown["connect_timeout"] == 5


def test_the_database_connect_timeout_comes_from_the_environment():
    shown = json.loads(_run(SHOW, {**PRODUCTION, "DB_CONNECT_TIMEOUT": "2"}))
    assert shown["connect_timeout"] == 2


def test_the_workers_redelivery_timeout_comes_from_the_environment():
    assert json.loads(_run(SHOW, PRODUCTION))["visibility_timeout"] == 3600
    shown = json.loads(_run(SHOW, {**PRODUCTION, "CELERY_VISIBILITY_TIMEOUT_SECONDS": "900"}))
    assert shown["visibility_timeout"] == 900


def test_hsts_reaches_subdomains_and_preload_lists_only_when_asked():
    assert json.loads(_run(SHOW, PRODUCTION))["hsts"] == [31536000, False, False]
    opted_in = {
        **PRODUCTION,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
    }
    assert json.loads(_run(SHOW, opted_in))["hsts"] == [31536000, True, True]


def test_collected_static_files_are_served_hashed_and_compressed(tmp_path):
    (tmp_path / "staticfiles.json").write_text("{}")
    shown = json.loads(_run(SHOW, {"STATIC_ROOT": str(tmp_path)}))
    assert shown["static"] == "CompressedManifestStaticFilesStorage"


def test_the_embedded_default_serves_pages_without_collectstatic(tmp_path, migrated_sqlite):
    code = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
response = Client(HTTP_HOST="127.0.0.1").get("/")
assert response.status_code == 200, response.status_code
assert b"/static/css/portal.css" in response.content
print("ok")
"""
    env = {"SQLITE_PATH": str(migrated_sqlite), "STATIC_ROOT": str(tmp_path / "static")}
    assert _run(code, env).strip().endswith("ok")


def _check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        check=False,
    )


def test_check_deploy_with_production_settings_reports_nothing():
    result = _check_deploy(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    # Only Django's advice to turn on HSTS for subdomains and preloading is
    # set aside: both are the city's deliberate choice (SECURE_HSTS_*).
    assert "System check identified no issues (2 silenced)." in result.stdout


def test_check_deploy_with_hsts_opted_in_silences_nothing():
    env = {**PRODUCTION, "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true", "SECURE_HSTS_PRELOAD": "true"}
    result = _check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_when_the_demo_setting_is_on():
    result = _check_deploy({**PRODUCTION, "DEMO": "true"})
    assert result.returncode != 0
    assert "portal.W004" in result.stdout + result.stderr


def test_without_redis_in_production_the_start_up_warns_about_the_cache():
    env = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        check=False,
    )
    assert "portal.W003" in result.stdout + result.stderr
    # gunicorn runs no system checks: loading the WSGI application logs it.
    logged = subprocess.run(
        [sys.executable, "-c", "import portal.wsgi"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        check=False,
    )
    assert logged.returncode == 0, logged.stderr
    assert "WARNING portal.checks portal.W003" in logged.stderr
    with_redis = subprocess.run(
        [sys.executable, "-c", "import portal.wsgi"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **PRODUCTION},
        check=False,
    )
    assert "portal.W003" not in with_redis.stderr


@pytest.mark.parametrize(
    ("debug", "demo", "backend", "warned"),
    [
        (False, False, "django.core.cache.backends.locmem.LocMemCache", True),
        (False, False, "django.core.cache.backends.redis.RedisCache", False),
        (True, False, "django.core.cache.backends.locmem.LocMemCache", False),
        (False, True, "django.core.cache.backends.locmem.LocMemCache", False),
    ],
)
def test_a_per_process_cache_is_reported_outside_debug_and_demo(
    settings, caplog, debug, demo, backend, warned
):
    import logging

    from portal.checks import check_shared_cache, warn_if_cache_is_per_process

    settings.DEBUG, settings.DEMO = debug, demo
    settings.CACHES = {"default": {"BACKEND": backend}}
    assert [w.id for w in check_shared_cache(None)] == (["portal.W003"] if warned else [])
    with caplog.at_level(logging.WARNING, logger="portal.checks"):
        warn_if_cache_is_per_process()
    assert ("portal.W003" in caplog.text) is warned


def test_check_deploy_refuses_a_missing_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        check=False,
    )
    assert result.returncode != 0
    assert "portal.E001" in result.stderr + result.stdout


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_english_catalogue_is_complete_and_compiled():
    po = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
    text = po.read_text()
    entries = text.split("\n\n")[1:]  # the first block is the header
    untranslated = [e for e in entries if re.search(r'^msgstr(\[0\])? ""\Z', e.strip(), re.M)]
    assert not untranslated, untranslated[:3]
    assert "#, fuzzy" not in text
    # The compiled catalogue holds exactly the entries of the source catalogue.
    with po.with_suffix(".mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    compiled = {key[0] if isinstance(key, tuple) else key for key in catalog} - {""}
    assert len(compiled) == len(entries)


def test_english_pages_use_the_catalogue():
    from django.utils import translation
    from django.utils.translation import pgettext

    with translation.override("en"):
        assert pgettext("navigation", "地域") == "Areas"


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("132241", True),
        ("232297", True),
        ("139998", True),
        ("132240", False),
        ("13224", False),
        ("１３２２４１", False),
    ],
)
def test_local_government_codes_carry_a_check_digit(code, valid):
    from portal.checks import local_government_code_is_valid

    assert local_government_code_is_valid(code) is valid


def test_a_wrong_city_code_stops_the_portal(settings):
    from portal.checks import check_city_code

    settings.PORTAL_CITY_CODE = "132240"
    assert [e.id for e in check_city_code(None)] == ["portal.E002"]


def test_compose_publishes_the_web_port_on_loopback_only():
    """The TLS proxy on the host is the only way in: a port open to the
    network would let clients forge X-Forwarded-For and skip HTTPS."""
    text = (ROOT / "docker-compose.yml").read_text()
    assert '- "127.0.0.1:${WEB_PORT:-8000}:8000"' in text
    assert '- "${WEB_PORT:-8000}:8000"' not in text


def _compose_command():
    import shutil

    if (
        shutil.which("docker")
        and subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_accepts_the_compose_file():
    command = _compose_command()
    if command is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true: docker compose (or docker-compose) is needed to check the file")
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    result = subprocess.run(
        [*command, "config", "--services"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "SECRET_KEY": "x",
            "POSTGRES_PASSWORD": "y",
            "PORTAL_BASE_URL": "https://portal.city.example.jp",
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"db", "redis", "migrate", "web", "worker", "beat"}


KNOBS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "window": s.SURVEYS_LETTER_WINDOW_MM,
    "processes": s.SURVEYS_LETTER_PROCESSES,
    "purge": [s.SURVEYS_PURGE_AFTER_DAYS, s.SURVEYS_VOLUNTEER_PURGE_AFTER_DAYS],
    "attachment": s.GRANTS_MAX_ATTACHMENT_BYTES,
    "base_url": s.PORTAL_BASE_URL,
}))
"""


def test_the_apps_knobs_come_from_the_environment():
    assert json.loads(_run(KNOBS, {})) == {
        "window": {"x": 23, "y": 14, "width": 90, "height": 45},
        "processes": 0,
        "purge": [90, 90],
        "attachment": 10 * 1024 * 1024,
        "base_url": "http://127.0.0.1:8000",
    }
    shown = json.loads(
        _run(
            KNOBS,
            {
                "SURVEYS_LETTER_WINDOW_MM": "x=20.5,y=12",
                "SURVEYS_LETTER_PROCESSES": "2",
                "SURVEYS_PURGE_AFTER_DAYS": "30",
                "GRANTS_MAX_ATTACHMENT_BYTES": "1000",
                "PORTAL_BASE_URL": "https://portal.example.jp/",
            },
        )
    )
    assert shown == {
        "window": {"x": 20.5, "y": 12, "width": 90, "height": 45},
        "processes": 2,
        "purge": [30, 30],
        "attachment": 1000,
        "base_url": "https://portal.example.jp",
    }


# The project's own code: every app, the foundation, the benchmarks, the tests.
SOURCE = [
    path
    for path in ROOT.rglob("*.py")
    if not {".venv", "node_modules", "var"} & set(path.relative_to(ROOT).parts)
]


def test_no_code_reads_a_setting_with_a_default_of_its_own():
    """Every setting is declared in portal/settings.py (with its environment
    variable); reading it with getattr and a fallback would hide a knob
    settings.py does not have."""
    pattern = re.compile(r"getattr\(\s*(?:django_)?settings\s*,")
    offenders = [
        f"{path.relative_to(ROOT)}:{source[: match.start()].count(chr(10)) + 1}"
        for path in SOURCE
        for source in [path.read_text(encoding="utf-8")]
        for match in pattern.finditer(source)
    ]
    assert offenders == []


def test_every_environment_variable_of_the_settings_is_in_the_readme():
    settings_source = (ROOT / "portal" / "settings.py").read_text(encoding="utf-8")
    variables = set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z0-9_]+)\"", settings_source))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Environment variables") :]
    section = section[: section.index("\n## ")]
    documented = set(re.findall(r"`([A-Z0-9_]+)`", section))
    assert "SECRET_KEY" in variables
    assert sorted(variables - documented) == []
