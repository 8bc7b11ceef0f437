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
    }


def test_the_demo_turns_staff_mfa_off():
    assert json.loads(_run(SHOW, {"DEBUG": "true"}))["mfa"] is False


def test_database_and_redis_urls_move_it_onto_postgresql_and_celery_workers():
    shown = json.loads(_run(SHOW, PRODUCTION))
    assert shown["engine"] == "django.db.backends.postgresql"
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert shown["eager"] is False
    assert shown["broker"] == "redis://redis:6379/0"
    assert shown["ssl_redirect"] is True


def test_collected_static_files_are_served_hashed_and_compressed(tmp_path):
    (tmp_path / "staticfiles.json").write_text("{}")
    shown = json.loads(_run(SHOW, {"STATIC_ROOT": str(tmp_path)}))
    assert shown["static"] == "CompressedManifestStaticFilesStorage"


def test_the_embedded_default_serves_pages_without_collectstatic(tmp_path):
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
    env = {"SQLITE_PATH": str(tmp_path / "demo.sqlite3"), "STATIC_ROOT": str(tmp_path / "static")}
    assert _run(code, env).strip().endswith("ok")


def test_check_deploy_with_production_settings_reports_nothing():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **PRODUCTION},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


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
        env={"PATH": os.environ["PATH"], "SECRET_KEY": "x", "POSTGRES_PASSWORD": "y"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"db", "redis", "migrate", "web", "worker", "beat"}
