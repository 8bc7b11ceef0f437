"""Panel selection's rows of the permission table (see tests/permission_table.py).

Selections are the city's, not an area's: coordinators run them;
administrators may see them, their probabilities and verify them; the
volunteers' contacts and the files carrying the people file's columns are
for coordinators only. Everyone else gets 403, anonymous visitors the login
page.
"""

from portal.audit import Actor
from surveys.panels import services
from tests.permission_table import Row

COORDINATOR_ONLY = {"anonymous": 302, "coordinator": 200}
AUDITORS = {"anonymous": 302, "coordinator": 200, "administrator": 200}
CONTACT_NAME = "表 選子"


def _pool():
    lines = ["ID,性別,氏名"]
    for n in range(6):
        name = CONTACT_NAME if n == 0 else f"候補 {n}"
        lines.append(f"T{n},{'女性' if n % 2 == 0 else '男性'},{name}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def build(world):
    by = Actor.for_system("tests")

    def start(title):
        return services.start_selection(
            title=title,
            area=world["area"],
            source="files",
            size=6,
            reserves=0,
            algorithm="leximin",
            seed=1,
            margin=0,
            people_data=_pool(),
            people_name="pool.csv",
            by=by,
        )

    done = start("表の選出")
    bounds = {(q["feature"], q["value"]): (3, 3) for q in done.quotas}
    done = services.set_quotas(selection=done, bounds=bounds, by=by)
    done = services.run_selection(selection=done, by=by)
    world["panel_selection"] = done
    world["draft_panel_selection"] = start("設定中の選出")


def _done(world):
    return {"pk": world["panel_selection"].pk}


def _draft(world):
    return {"pk": world["draft_panel_selection"].pk}


ROWS = [
    Row("surveys:panels", default=403, expect=AUDITORS),
    Row("surveys:panel_start", default=403, expect=COORDINATOR_ONLY),
    Row(
        "surveys:panel",
        kwargs=_done,
        default=403,
        expect=AUDITORS,
        reveals=lambda w: CONTACT_NAME,
        revealed_to=frozenset(),
    ),
    Row(
        "surveys:panel",
        kwargs={"pk": 999999},
        note="no such selection",
        default=403,
        expect={"anonymous": 302, "coordinator": 404, "administrator": 404},
    ),
    Row("surveys:panel_quotas", kwargs=_draft, default=403, expect=COORDINATOR_ONLY),
    Row(
        "surveys:panel_quotas",
        kwargs=_done,
        note="already selected",
        default=403,
        expect={"anonymous": 302, "coordinator": 302},
        redirect_to=lambda w: w["panel_selection"].get_absolute_url(),
    ),
    Row(
        "surveys:panel_verify",
        kwargs=_done,
        method="post",
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to="/staff/jobs/",
    ),
    Row("surveys:panel_verify", kwargs=_done, note="GET", default=405, expect={}),
    Row(
        "surveys:panel_contacts",
        kwargs=_done,
        default=403,
        expect=COORDINATOR_ONLY,
        reveals=lambda w: CONTACT_NAME,
        revealed_to=frozenset({"coordinator"}),
    ),
    Row(
        "surveys:panel_export",
        kwargs=lambda w: {"pk": w["panel_selection"].pk, "name": "selected"},
        default=403,
        expect=COORDINATOR_ONLY,
        reveals=lambda w: CONTACT_NAME,
        revealed_to=frozenset({"coordinator"}),
    ),
    Row("surveys:panel_probabilities", kwargs=_done, default=403, expect=AUDITORS),
    Row("surveys:panel_features", kwargs=_done, default=403, expect=AUDITORS),
]
