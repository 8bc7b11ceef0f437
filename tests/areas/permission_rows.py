"""Permission-table rows for the areas app (see tests/permission_table.py).

Besides the world's two organisations the areas builder adds the edge cases
of organisations and representation:

    pending_organisation   registered by `resident`, not yet approved (their
                           application to represent it waits with it)
    retired_organisation   no longer active
    ended_organisation     `representative` represented it until yesterday
"""

import datetime

from django.utils import timezone

from areas.models import Organisation, Representation
from tests.factories import OrganisationFactory, represent
from tests.permission_table import Row


def build(world):
    today = timezone.localdate()
    world["pending_organisation"] = OrganisationFactory(
        name="申請中の会",
        areas=[world["area"]],
        approved_at=None,
        registered_by=world.users["resident"],
        contact_email="pending-contact@example.jp",
    )
    world["pending_representation"] = Representation.objects.create(
        user=world.users["resident"],
        organisation=world["pending_organisation"],
        position=Representation.Position.CHAIR,
        valid_from=today,
    )
    world["retired_organisation"] = OrganisationFactory(
        name="解散した会", areas=[world["area"]], is_active=False
    )
    world["ended_organisation"] = OrganisationFactory(
        name="任期の終わった会", areas=[world["area"]], contact_email="ended-contact@example.jp"
    )
    world["ended_representation"] = represent(
        world.users["representative"],
        world["ended_organisation"],
        since=today - datetime.timedelta(days=365),
        until=today - datetime.timedelta(days=1),
    )


STAFF = {"liaison_officer", "other_officer", "coordinator", "administrator", "officer_reviewer"}
COORDINATORS = {"anonymous": 302, "coordinator": 200, "administrator": 200}
SIGNED_IN = {"anonymous": 302}


def _pk(name):
    return lambda w: {"pk": w[name].pk}


def _organisation_url(name, suffix=""):
    return lambda w: f"/areas/organisations/{w[name].pk}/{suffix}"


def _profile(name, **extra):
    def data(w):
        return {
            "name": name,
            "name_kana": "テスト",
            "kind": Organisation.Kind.NPO,
            "areas": [w["area"].pk],
            "contact_email": "new-contact@example.jp",
            **extra,
        }

    return data


def _issue(w):
    return {"number": 99, "title": "新しい課題", "description": "", "is_active": "on"}


ROWS = [
    Row("areas:list", default=200, expect={}),
    Row("areas:detail", kwargs={"code": "PA"}, default=200, expect={}),
    Row("areas:detail", note="unknown code", kwargs={"code": "NOPE"}, default=404, expect={}),
    # The district import: administrators only.
    Row("areas:import_districts", default=403, expect={"anonymous": 302, "administrator": 200}),
    Row(
        "areas:import_districts",
        method="post",
        note="no file",
        default=403,
        expect={"anonymous": 302, "administrator": 400},
    ),
    # The catalogue of local issues: public, edited by coordinators.
    Row("areas:issues", default=200, expect={}),
    Row("areas:issue_create", default=403, expect=COORDINATORS),
    Row(
        "areas:issue_create",
        method="post",
        data=_issue,
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to="/areas/issues/",
    ),
    Row("areas:issue_edit", kwargs=_pk("issue"), default=403, expect=COORDINATORS),
    # Organisations.
    Row("areas:organisations", default=200, expect={}),
    Row("areas:organisation_create", default=403, expect=COORDINATORS),
    Row(
        "areas:organisation_create",
        method="post",
        data=_profile("新しい会"),
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to="/areas/organisations/",
    ),
    Row("areas:organisation_register", default=200, expect=SIGNED_IN),
    Row(
        "areas:organisation_register",
        method="post",
        data=_profile("登録を申請する会", position=Representation.Position.CHAIR),
        default=302,
        expect={},
        redirect_to="/",
    ),
    # The detail page is public; contacts and representatives only for
    # staff and the organisation's current representatives.
    Row(
        "areas:organisation",
        note="own",
        kwargs=_pk("organisation"),
        default=200,
        expect={},
        reveals=lambda w: ["omote-contact@example.jp", w.users["representative"].email],
        revealed_to=STAFF | {"representative"},
    ),
    Row(
        "areas:organisation",
        note="other's",
        kwargs=_pk("other_organisation"),
        default=200,
        expect={},
        reveals=lambda w: ["ura-contact@example.jp", w.users["other_representative"].email],
        revealed_to=STAFF | {"other_representative"},
    ),
    Row(
        "areas:organisation",
        note="pending",
        kwargs=_pk("pending_organisation"),
        default=404,
        expect={"resident": 200, **dict.fromkeys(STAFF, 200)},
        reveals="pending-contact@example.jp",
        revealed_to=STAFF,
    ),
    Row(
        "areas:organisation",
        note="retired",
        kwargs=_pk("retired_organisation"),
        default=404,
        expect=dict.fromkeys(STAFF, 200),
    ),
    Row(
        "areas:organisation",
        note="period ended",
        kwargs=_pk("ended_organisation"),
        default=200,
        expect={},
        reveals="ended-contact@example.jp",
        revealed_to=STAFF,
    ),
    Row(
        "areas:organisation",
        note="unknown",
        kwargs={"pk": 999999},
        default=404,
        expect={},
    ),
    # Editing: coordinators and the organisation's current representatives.
    # A representative of another organisation may edit some organisation, so
    # they pass the first check and do not find this one (404).
    Row(
        "areas:organisation_edit",
        note="own",
        kwargs=_pk("organisation"),
        default=403,
        expect={**COORDINATORS, "representative": 200, "other_representative": 404},
    ),
    Row(
        "areas:organisation_edit",
        note="other's",
        kwargs=_pk("other_organisation"),
        default=403,
        expect={**COORDINATORS, "representative": 404, "other_representative": 200},
    ),
    Row(
        "areas:organisation_edit",
        note="period ended",
        kwargs=_pk("ended_organisation"),
        default=403,
        expect={**COORDINATORS, "representative": 404, "other_representative": 404},
    ),
    Row(
        "areas:organisation_edit",
        note="pending, by its applicant",
        kwargs=_pk("pending_organisation"),
        default=403,
        expect={**COORDINATORS, "representative": 404, "other_representative": 404},
    ),
    Row(
        "areas:organisation_edit",
        method="post",
        note="own",
        kwargs=_pk("organisation"),
        data=_profile("表の自治会"),
        default=403,
        expect={
            "anonymous": 302,
            "representative": 302,
            "other_representative": 404,
            "coordinator": 302,
            "administrator": 302,
        },
        redirect_to=_organisation_url("organisation"),
    ),
    # Applying to represent: anyone signed in, for an organisation they can see.
    Row(
        "areas:representation_apply",
        kwargs=_pk("organisation"),
        default=200,
        expect=SIGNED_IN,
    ),
    Row(
        "areas:representation_apply",
        method="post",
        kwargs=_pk("organisation"),
        data={"position": Representation.Position.TREASURER, "valid_from": "2026-04-01"},
        default=302,
        # Someone who already represents it is told so on the form.
        expect={"representative": 400},
        redirect_to={
            "anonymous": "/accounts/login/",
            **dict.fromkeys(
                [
                    "resident",
                    "other_representative",
                    "liaison_officer",
                    "other_officer",
                    "coordinator",
                    "reviewer",
                    "administrator",
                    "officer_reviewer",
                ],
                _organisation_url("organisation"),
            ),
        },
    ),
    Row(
        "areas:representation_apply",
        note="pending",
        kwargs=_pk("pending_organisation"),
        default=404,
        expect={"anonymous": 302, "resident": 200, **dict.fromkeys(STAFF, 200)},
    ),
    # Staff who manage representation: coordinators and administrators.
    Row(
        "areas:organisation_representatives",
        kwargs=_pk("organisation"),
        default=403,
        expect=COORDINATORS,
    ),
    Row(
        "areas:organisation_representatives",
        method="post",
        kwargs=_pk("organisation"),
        data=lambda w: {
            "email": w.users["resident"].email,
            "position": Representation.Position.SECRETARY,
            "valid_from": "2026-04-01",
        },
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to=_organisation_url("organisation", "representatives/"),
    ),
    Row("areas:organisation_approve", kwargs=_pk("pending_organisation"), default=405, expect={}),
    Row(
        "areas:organisation_approve",
        method="post",
        kwargs=_pk("pending_organisation"),
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to="/areas/representations/",
    ),
    Row("areas:representation_applications", default=403, expect=COORDINATORS),
    Row(
        "areas:representation_decide", kwargs=_pk("pending_representation"), default=405, expect={}
    ),
    Row(
        "areas:representation_decide",
        method="post",
        kwargs=_pk("pending_representation"),
        data={"decision": "approve"},
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to="/areas/representations/",
    ),
    Row("areas:representation_end", kwargs=_pk("representation"), default=405, expect={}),
    Row(
        "areas:representation_end",
        method="post",
        kwargs=_pk("representation"),
        data=lambda w: {"valid_until": timezone.localdate().isoformat()},
        default=403,
        expect={"anonymous": 302, "coordinator": 302, "administrator": 302},
        redirect_to=_organisation_url("organisation", "representatives/"),
    ),
]
