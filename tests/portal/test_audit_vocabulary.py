"""Every audit code is registered with its labels, and the log page and its
export read them."""

import ast
import re
from importlib import import_module
from pathlib import Path

import pytest
from django.contrib import admin
from django.utils import translation

from portal import audit
from portal.admin import AuditedAdminMixin
from portal.audit import Actor
from portal.audit_actions import ADMIN_VERBS
from portal.models import AuditLogEntry, Role
from portal.workflow import WORKFLOWS
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("portal", "areas", "liaisons", "meetings", "surveys", "grants")
CODE = re.compile(r"^[a-z_]+(\.[a-z_]+){2,}$")
# Code built from parts by the foundation, checked by their own tests:
# workflows (`<prefix>.<state>`, below) and reads seen from a view
# (`<target type>.<verb>`, the log page's own entries).
BUILDERS = {"portal/workflow.py", "portal/audit.py"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def _strings(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def _source_files():
    for directory in SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def codes_in_source():
    """{code: "file:line"} for every dotted code passed as `action=` (or given
    as an `action` parameter's default) anywhere in the apps."""
    found = {}
    for path in _source_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            values = []
            if isinstance(node, ast.Call):
                values = [k.value for k in node.keywords if k.arg == "action"]
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args
                values = [
                    default
                    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)
                    if arg.arg == "action" and default is not None
                ]
            for value in values:
                builder = str(path.relative_to(ROOT)) in BUILDERS
                if isinstance(value, ast.BinOp | ast.JoinedStr) and not builder:
                    # A code put together at run time cannot be checked here.
                    found.setdefault("<built at run time>", f"{path}:{node.lineno}")
                for code in _strings(value):
                    if CODE.match(code):
                        found.setdefault(code, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _import_workflow_modules():
    for path in _source_files():
        if "Workflow(" in path.read_text() and path.name != "workflow.py":
            import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))


def test_every_code_recorded_in_the_source_is_registered():
    found = codes_in_source()
    assert len(found) > 100  # the walk does see the record calls
    missing = {
        code: where
        for code, where in found.items()
        if code.startswith("<") or audit.action_type(code) is None
    }
    assert not missing, f"Register these in <app>/audit_actions.py: {missing}"


def test_every_workflow_move_records_a_registered_code():
    _import_workflow_modules()
    assert len(WORKFLOWS) >= 6
    missing = sorted(
        code for flow in WORKFLOWS for code in flow.action_codes() if not audit.action_type(code)
    )
    assert not missing


def test_every_audited_admin_records_registered_codes():
    audited = [m for m, a in admin.site._registry.items() if isinstance(a, AuditedAdminMixin)]
    assert audited
    missing = [
        f"admin.{model._meta.label_lower}.{verb}"
        for model in audited
        for verb in ADMIN_VERBS
        if audit.action_type(f"admin.{model._meta.label_lower}.{verb}") is None
    ]
    assert not missing
    assert audit.action_type("admin.portal.nosuchmodel.viewed") is None
    assert audit.action_type("admin.portal.user.shredded") is None


def test_every_registered_code_has_a_japanese_and_an_english_label():
    registered = audit.registered_actions()
    assert len(registered) > 140
    untranslated = []
    for code, action_type in registered.items():
        with translation.override("ja"):
            japanese = str(action_type.label)
        with translation.override("en"):
            english = str(action_type.label)
        assert JAPANESE.search(japanese), code
        if JAPANESE.search(english):
            untranslated.append(code)
        assert all(isinstance(v, str) and v for v in action_type.data.values()), code
    assert not untranslated, f"Add English labels to the catalogue for {untranslated}"
    with translation.override("en"):
        assert audit.action_label("admin.portal.user.viewed") == "Admin site: User viewed"


def test_recording_an_unregistered_code_fails(user_with_role):
    by = Actor.for_user(user_with_role(Role.COORDINATOR))
    with pytest.raises(audit.UnregisteredAction):
        audit.record(by=by, action="surveys.register.shredded", target="x")
    assert not AuditLogEntry.objects.exists()


def test_in_production_an_unregistered_code_is_written_and_reported(
    settings, user_with_role, caplog
):
    settings.AUDIT_REFUSE_UNREGISTERED_ACTIONS = False
    by = Actor.for_user(user_with_role(Role.COORDINATOR))
    entry = audit.record(by=by, action="surveys.register.shredded", target="x")
    assert entry.pk and "surveys.register.shredded" in caplog.text


def test_registering_a_code_twice_is_refused():
    known = audit.action_type("portal.user.viewed")
    audit.register_actions(known)  # the same declaration again is harmless
    with pytest.raises(ValueError):
        audit.register_actions(audit.ActionType("portal.user.viewed", "別の名前"))


def _roles_changed(client, person):
    response = client.post(
        f"/staff/users/{person.pk}/roles/", {"roles": ["coordinator", "reviewer"]}
    )
    assert response.status_code == 302
    return AuditLogEntry.objects.get(action="portal.user.roles_changed")


@pytest.mark.django_db
def test_the_log_page_shows_the_label_the_role_and_what_the_roles_became(client_as):
    client = client_as(Role.ADMINISTRATOR)
    person = UserFactory(full_name="住民 花子", role=Role.REVIEWER)
    entry = _roles_changed(client, person)
    assert entry.target_repr == f"利用者 #{person.pk}"  # the log keeps no name

    page = client.get("/staff/audit-log/").content.decode()
    assert "利用者の役割を変更" in page
    assert "管理者として" in page
    change = str(next(iter(_display(entry).changes)))
    assert change.startswith("役割: ") and " → " in change and "（追加: " in change
    assert change in page
    # The person named at display time, for the administrator reading the log.
    assert "住民 花子" in page


def _display(entry):
    from portal import audit_display

    return audit_display.rows([entry])[0]


@pytest.mark.django_db
def test_the_log_page_reads_in_english(client_as):
    client = client_as(Role.ADMINISTRATOR)
    person = UserFactory()
    _roles_changed(client, person)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/staff/audit-log/").content.decode()
    assert '<html lang="en">' in page
    assert "Roles changed" in page
    assert "as Administrator" in page
    assert "利用者の役割を変更" not in page


@pytest.mark.django_db
def test_the_export_gives_the_japanese_label_beside_the_code_and_the_change(client_as):
    client = client_as(Role.ADMINISTRATOR)
    person = UserFactory(full_name="住民 花子")
    _roles_changed(client, person)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/staff/audit-log/export/")
    lines = response.content.decode("utf-8-sig").split("\r\n")
    header = lines[0].split(",")
    assert header[3:6] == ["操作の種類", "操作", "操作コード"]
    row = next(line for line in lines[1:] if "roles_changed" in line)
    assert "利用者の役割を変更,portal.user.roles_changed" in row
    assert "管理者" in row and "住民 花子" in row
    assert "役割: " in row and "→" in row


@pytest.mark.django_db
def test_target_names_cost_one_query_per_type_not_per_row(client_as, django_assert_max_num_queries):
    client = client_as(Role.ADMINISTRATOR)
    by = Actor.for_user(client.user, role=Role.ADMINISTRATOR)
    for person in UserFactory.create_batch(30):
        audit.record(by=by, action="portal.user.viewed", target=person)
    with django_assert_max_num_queries(13):
        response = client.get("/staff/audit-log/")
    assert response.status_code == 200
