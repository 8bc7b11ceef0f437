"""Backup and restore (bin/backup, docs/operations.md): a backup restored
into a fresh, throwaway database has every table's rows and every file."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from areas.models import Area
from portal.models import Role
from tests.factories import AreaFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql(settings):
    if not settings.USING_POSTGRESQL:
        pytest.skip("backups are made of PostgreSQL databases")


def _url(name):
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _backup(*args, **env):
    return subprocess.run(
        [sys.executable, str(ROOT / "bin" / "backup"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=300,
        check=False,
    )


@pytest.fixture
def throwaway_database():
    """A database name of its own, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{secrets.token_hex(4)}"
    yield name
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(
    postgresql, tmp_path, throwaway_database
):
    AreaFactory(code="B01", name="復元地域")
    UserFactory(email="restored@example.jp", role=Role.COORDINATOR)
    media, private = tmp_path / "media", tmp_path / "private"
    (media / "news").mkdir(parents=True)
    (media / "news" / "photo.jpg").write_bytes(b"\xff\xd8 image")
    (private / "grants").mkdir(parents=True)
    (private / "grants" / "plan.pdf").write_bytes(b"%PDF-1.7 plan")
    env = {
        "DATABASE_URL": _url(connection.settings_dict["NAME"]),
        "MEDIA_ROOT": str(media),
        "PRIVATE_MEDIA_ROOT": str(private),
    }
    made = _backup("create", "--output", str(tmp_path / "backup"), **env)
    assert made.returncode == 0, made.stderr
    backup = tmp_path / "backup"
    assert sorted(p.name for p in backup.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar.gz",
        "private.tar.gz",
    ]
    assert backup.stat().st_mode & 0o077 == 0  # personal data: the owner only

    restored = _backup(
        "restore",
        str(backup),
        "--database-url",
        _url(throwaway_database),
        "--media-root",
        str(tmp_path / "media2"),
        "--private-media-root",
        str(tmp_path / "private2"),
        **env,
    )
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert " 0 differ" in restored.stdout
    assert "public.areas_area" in restored.stdout and "files: private" in restored.stdout
    with psycopg.connect(_url(throwaway_database)) as copy:
        assert copy.execute(
            "SELECT count(*) FROM portal_user WHERE email = 'restored@example.jp'"
        ).fetchone() == (1,)
        assert copy.execute("SELECT name FROM areas_area WHERE code = 'B01'").fetchone() == (
            "復元地域",
        )
    assert (tmp_path / "private2" / "grants" / "plan.pdf").read_bytes() == b"%PDF-1.7 plan"
    assert (tmp_path / "media2" / "news" / "photo.jpg").exists()


def test_restore_refuses_a_database_that_has_tables(postgresql, tmp_path):
    AreaFactory(code="B02")
    env = {
        "DATABASE_URL": _url(connection.settings_dict["NAME"]),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    assert _backup("create", "--output", str(tmp_path / "backup"), **env).returncode == 0
    # Restoring over the live database is refused, and nothing changes.
    refused = _backup(
        "restore",
        str(tmp_path / "backup"),
        "--database-url",
        _url(connection.settings_dict["NAME"]),
        **env,
    )
    assert refused.returncode != 0
    assert "already has" in refused.stderr
    assert Area.objects.filter(code="B02").count() == 1
