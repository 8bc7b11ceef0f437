"""Permission-table rows of the dashboard per area and the logic model."""

from portal.dashboard.models import Indicator, Measure
from tests.permission_table import Row


def build(world):
    world["logic_measure"] = Measure.objects.get(code="1-1")
    world["logic_indicator"] = Indicator.objects.filter(source="meetings.participants").first()


STAFF = {
    "anonymous": 302,
    "liaison_officer": 200,
    "other_officer": 200,
    "coordinator": 200,
    "administrator": 200,
    "officer_reviewer": 200,
}
COORDINATORS = {"anonymous": 302, "coordinator": 200, "administrator": 200}

ROWS = [
    Row("portal:dashboard_area", kwargs={"code": "PA"}, default=403, expect=STAFF),
    Row("portal:dashboard_chart", kwargs={"number": 1}, default=403, expect=STAFF),
    Row(
        "portal:dashboard_area_chart",
        kwargs={"code": "PA", "number": 2},
        default=403,
        expect=STAFF,
    ),
    Row("portal:logic_model", default=403, expect=STAFF),
    Row("portal:logic_model_csv", default=403, expect=STAFF),
    Row("portal:logic_model_pdf", default=403, expect=STAFF),
    Row("portal:logic_model_area_csv", kwargs={"code": "PA"}, default=403, expect=STAFF),
    Row(
        "portal:logic_model_area_csv",
        kwargs={"code": "NOPE"},
        note="unknown area",
        default=403,
        expect={**STAFF, **{actor: 404 for actor in STAFF if actor != "anonymous"}},
    ),
    Row("portal:logic_model_area_pdf", kwargs={"code": "PA"}, default=403, expect=STAFF),
    Row(
        "portal:indicator_create",
        kwargs=lambda w: {"pk": w["logic_measure"].pk},
        default=403,
        expect=COORDINATORS,
    ),
    Row(
        "portal:indicator_edit",
        kwargs=lambda w: {"pk": w["logic_indicator"].pk},
        default=403,
        expect=COORDINATORS,
    ),
    Row(
        "portal:indicator_area_target",
        kwargs=lambda w: {"pk": w["logic_indicator"].pk, "code": "PA"},
        default=403,
        expect=COORDINATORS,
    ),
    Row(
        "portal:indicator_area_target",
        kwargs=lambda w: {"pk": w["logic_indicator"].pk, "code": "PA"},
        method="post",
        data={"target": "5", "note": ""},
        note="saves the area's target",
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to="/staff/logic-model/",
    ),
    Row(
        "portal:indicator_area_target",
        kwargs=lambda w: {"pk": w["logic_indicator"].pk, "code": "NOPE"},
        note="unknown area",
        default=403,
        expect={"anonymous": 302, "coordinator": 404, "administrator": 404},
    ),
]
