"""Permission-table rows of the karte, vision and directory (areas:karte:…)."""

from areas.models import Action, Goal, KarteIssue, Offer, Vision
from tests.factories import local_issue
from tests.permission_table import Row


def build(world):
    area = world["area"]
    world["karte_issue"] = KarteIssue.objects.create(
        area=area, fiscal_year=2025, issue=local_issue(1), priority=1, source="survey"
    )
    world["karte_vision"] = Vision.objects.create(
        area=area, title="表のビジョン", text="…", first_year=2025, last_year=2029
    )
    world["karte_goal"] = Goal.objects.create(vision=world["karte_vision"], number=1, title="目標")
    world["karte_action"] = Action.objects.create(
        goal=world["karte_goal"], title="取組", owner_kind="city"
    )
    world["karte_offer"] = Offer.objects.create(
        organisation=world["organisation"], kind="skill", title="講師", search_text="講師"
    )
    world["karte_other_offer"] = Offer.objects.create(
        organisation=world["other_organisation"], kind="place", title="部屋", search_text="部屋"
    )


COORDINATORS = {"anonymous": 302, "coordinator": 200, "administrator": 200}
OWN_OFFERS = {"anonymous": 302, "representative": 200, "coordinator": 200, "administrator": 200}


def _pk(name):
    return lambda w: {"pk": w[name].pk}


def _offers_url(name):
    return lambda w: f"/areas/directory/organisations/{w[name].organisation_id}/offers/"


ROWS = [
    Row("areas:karte:index", default=200, expect={}),
    Row("areas:karte:detail", kwargs={"code": "PA"}, default=200, expect={}),
    Row("areas:karte:detail", note="unknown", kwargs={"code": "NOPE"}, default=404, expect={}),
    Row("areas:karte:pdf", kwargs={"code": "PA"}, default=200, expect={}),
    Row("areas:karte:edit", kwargs={"code": "PA"}, default=403, expect=COORDINATORS),
    Row("areas:karte:import", default=403, expect=COORDINATORS),
    Row(
        "areas:karte:import",
        method="post",
        note="no file",
        default=403,
        expect={"anonymous": 302, "coordinator": 400, "administrator": 400},
    ),
    Row(
        "areas:karte:issue_delete",
        method="post",
        kwargs=_pk("karte_issue"),
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to="/areas/karte/PA/edit/",
    ),
    Row("areas:karte:vision", kwargs={"code": "PA"}, default=200, expect={}),
    Row("areas:karte:vision_edit", kwargs={"code": "PA"}, default=403, expect=COORDINATORS),
    Row("areas:karte:goal_create", kwargs=_pk("karte_vision"), default=403, expect=COORDINATORS),
    Row("areas:karte:goal_edit", kwargs=_pk("karte_goal"), default=403, expect=COORDINATORS),
    Row(
        "areas:karte:goal_edit",
        method="post",
        kwargs=_pk("karte_goal"),
        data={"number": 1, "title": "目標（訂正）"},
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to="/areas/vision/PA/",
    ),
    Row("areas:karte:goal_delete", kwargs=_pk("karte_goal"), default=403, expect=COORDINATORS),
    Row(
        "areas:karte:goal_delete",
        method="post",
        kwargs=_pk("karte_goal"),
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to="/areas/vision/PA/",
    ),
    Row("areas:karte:action_create", kwargs=_pk("karte_goal"), default=403, expect=COORDINATORS),
    Row("areas:karte:action_delete", kwargs=_pk("karte_action"), default=403, expect=COORDINATORS),
    Row(
        "areas:karte:action_delete",
        method="post",
        kwargs=_pk("karte_action"),
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to="/areas/vision/PA/",
    ),
    Row("areas:karte:action_edit", kwargs=_pk("karte_action"), default=403, expect=COORDINATORS),
    Row(
        "areas:karte:action_status",
        method="post",
        kwargs=_pk("karte_action"),
        data={"to": "in_progress"},
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to="/areas/vision/PA/",
    ),
    Row("areas:karte:directory", default=200, expect={}),
    Row(
        "areas:karte:offers",
        note="own",
        kwargs=_pk("organisation"),
        default=403,
        expect=OWN_OFFERS,
    ),
    Row(
        "areas:karte:offers",
        note="other's",
        kwargs=_pk("other_organisation"),
        default=403,
        expect={
            "anonymous": 302,
            "other_representative": 200,
            "coordinator": 200,
            "administrator": 200,
        },
    ),
    Row(
        "areas:karte:offer_edit",
        note="own",
        kwargs=_pk("karte_offer"),
        default=403,
        expect={**OWN_OFFERS, "other_representative": 404},
    ),
    Row(
        "areas:karte:offer_edit",
        note="other's",
        kwargs=_pk("karte_other_offer"),
        default=403,
        expect={
            "anonymous": 302,
            "representative": 404,
            "other_representative": 200,
            "coordinator": 200,
            "administrator": 200,
        },
    ),
    Row(
        "areas:karte:offer_delete",
        method="post",
        note="own",
        kwargs=_pk("karte_offer"),
        default=403,
        expect={
            "anonymous": 302,
            "representative": 302,
            "other_representative": 404,
            "coordinator": 302,
            "administrator": 302,
        },
        redirect_to=_offers_url("karte_offer"),
    ),
]
