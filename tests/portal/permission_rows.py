"""Permission-table rows for the portal's own pages (see tests/permission_table.py)."""

from portal.models import Job, Role
from tests.permission_table import Row


def build(world):
    # Jobs are seen by the person who started them and by administrators.
    world["admin_job"] = Job.objects.create(
        kind="areas.import_districts",
        title="町丁目の取込",
        created_by=world.users["administrator"],
        created_by_role=Role.ADMINISTRATOR,
    )
    world["coordinator_job"] = Job.objects.create(
        kind="areas.import_districts",
        title="町丁目の取込",
        created_by=world.users["coordinator"],
        created_by_role=Role.COORDINATOR,
    )


EVERYONE = {"anonymous": 200}
SIGNED_IN = {"anonymous": 302}
STAFF = {
    "anonymous": 302,
    "liaison_officer": 200,
    "other_officer": 200,
    "coordinator": 200,
    "administrator": 200,
    "officer_reviewer": 200,
}
ADMINISTRATORS = {"anonymous": 302, "administrator": 200}

ROWS = [
    Row("healthz", default=200, expect={}),
    Row("portal:home", default=200, expect=EVERYONE),
    Row("portal:accessibility", default=200, expect=EVERYONE),
    Row("portal:dashboard", default=403, expect=STAFF),
    Row("portal:audit_log", default=403, expect=ADMINISTRATORS),
    Row("portal:audit_log_export", default=403, expect=ADMINISTRATORS),
    Row(
        "portal:audit_log_export",
        note="invalid filter",
        data={"action": "no-such-action"},
        default=403,
        expect={"anonymous": 302, "administrator": 302},
        redirect_to="/staff/audit-log/?",
    ),
    Row("portal:profile", default=200, expect=SIGNED_IN),
    Row(
        "portal:profile",
        method="post",
        data={"full_name": "新しい名前", "full_name_kana": "", "district": ""},
        default=302,
        expect={},
        redirect_to="/profile/",
    ),
    Row("portal:mypage", default=200, expect=SIGNED_IN),
    Row(
        "portal:job",
        note="the administrator's",
        kwargs=lambda w: {"public_id": w["admin_job"].public_id},
        default=404,
        expect={"anonymous": 302, "administrator": 200},
    ),
    Row(
        "portal:job",
        note="the coordinator's",
        kwargs=lambda w: {"public_id": w["coordinator_job"].public_id},
        default=404,
        expect={"anonymous": 302, "coordinator": 200, "administrator": 200},
    ),
    Row("portal:user_roles", default=403, expect=ADMINISTRATORS),
    Row(
        "portal:user_roles_edit",
        kwargs=lambda w: {"pk": w.users["resident"].pk},
        default=403,
        expect=ADMINISTRATORS,
    ),
    Row(
        "portal:user_roles_edit",
        note="unknown person",
        kwargs={"pk": 999999},
        default=403,
        expect={"anonymous": 302, "administrator": 404},
    ),
    Row(
        "portal:user_roles_edit",
        method="post",
        kwargs=lambda w: {"pk": w.users["resident"].pk},
        data={"roles": [Role.REVIEWER.value]},
        default=403,
        expect={"anonymous": 302, "administrator": 302},
        redirect_to="/staff/users/",
    ),
]
