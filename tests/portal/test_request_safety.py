"""Requests that used to end in a 500 or in noisy logs."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "changelist",
    [
        "/admin/portal/user/",
        "/admin/portal/auditlogentry/",
        "/admin/areas/area/",
        "/admin/areas/district/",
        "/admin/areas/organisation/",
    ],
)
def test_a_nul_in_an_admin_search_is_refused_with_400(administrator_client, changelist):
    assert administrator_client.get(changelist, {"q": "田中"}).status_code == 200
    response = administrator_client.get(f"{changelist}?q=%00")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_anywhere_in_the_query_string_is_refused(client):
    assert client.get("/areas/?page=1%00").status_code == 400
    assert client.get("/areas/?a%00b=1").status_code == 400
    assert client.get("/areas/?q=%E7%94%B0%E4%B8%AD").status_code == 200


def test_a_refused_request_is_logged_once_without_a_traceback(resident_client, caplog):
    with caplog.at_level(logging.WARNING):
        assert resident_client.get("/staff/").status_code == 403
    forbidden = [r for r in caplog.records if getattr(r, "status_code", None) == 403]
    assert len(forbidden) == 1
    assert forbidden[0].getMessage() == "Forbidden (Permission denied): /staff/"
    assert forbidden[0].exc_info is None
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback(client, caplog, settings):
    from unittest import mock

    with (
        mock.patch("portal.views.areas_for_listing", side_effect=RuntimeError("boom")),
        caplog.at_level(logging.ERROR),
    ):
        client.raise_request_exception = False
        assert client.get("/").status_code == 500
    errors = [r for r in caplog.records if getattr(r, "status_code", None) == 500]
    assert len(errors) == 1 and errors[0].exc_info is not None


def test_under_debug_a_403_prints_one_line_on_the_console(migrated_sqlite):
    """Django's own console handler (DEBUG only) used to print every record a
    second time beside the portal's, each with the traceback."""
    code = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from portal.models import User
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.create_user("resident@example.jp", "x"))
print("status", client.get("/staff/").status_code)
"""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "true",
            "SQLITE_PATH": str(migrated_sqlite),
        },
        check=False,
        timeout=120,
    )
    assert result.stdout.strip() == "status 403", result.stderr
    assert result.stderr.count("Forbidden (Permission denied): /staff/") == 1, result.stderr
    assert "Traceback" not in result.stderr
