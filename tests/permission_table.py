"""The permission table: every URL pattern × every kind of person → status.

Each app lists its rows in `tests/<app>/permission_rows.py`:

    from tests.permission_table import Row

    def build(world):
        # objects this app's rows need, owned by the world's people
        world["support_request"] = SupportRequestFactory(organisation=world.organisation, ...)
        world["other_support_request"] = SupportRequestFactory(organisation=world.other_organisation, ...)

    ROWS = [
        Row("liaisons:request", kwargs=lambda w: {"pk": w["support_request"].pk}, note="own",
            expect={"anonymous": 302, "resident": 403, "representative": 200, ...}),
        Row("liaisons:request", kwargs=lambda w: {"pk": w["other_support_request"].pk}, note="other's",
            default=404, expect={"anonymous": 302, "coordinator": 200, "administrator": 200}),
    ]

`expect` maps an actor to the status of the response (not followed): 200,
302 (anonymous → the login page; a 302 elsewhere must say where it goes in
`redirect_to`), 400, 403, 404, 405. `default` is the status for every actor
not listed; a row without `default` must list every actor. A URL pattern of
the project without a row fails the table's test, so a new page cannot be
added without saying who may open it.

The world (built anew for every row, so a POST by one person cannot change
what the next sees) has two areas, an organisation in each, and one person
per kind of actor:

    anonymous              nobody signed in
    resident               signed in, no role, represents nothing
    representative         represents `world.organisation` (area `world.area`)
    other_representative   represents `world.other_organisation` (area `world.other_area`)
    liaison_officer        officer role (apps assign them to `world.area`)
    other_officer          officer role (apps assign them to `world.other_area`)
    coordinator, reviewer, administrator
    officer_reviewer       a person holding both the officer and the reviewer roles
"""

from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from portal.models import Role
from tests.factories import (
    AreaFactory,
    DistrictFactory,
    OrganisationFactory,
    UserFactory,
    local_issue,
    represent,
)

ACTORS = (
    "anonymous",
    "resident",
    "representative",
    "other_representative",
    "liaison_officer",
    "other_officer",
    "coordinator",
    "reviewer",
    "administrator",
    "officer_reviewer",
)

ACTOR_ROLES = {
    "resident": (),
    "representative": (),
    "other_representative": (),
    "liaison_officer": (Role.LIAISON_OFFICER,),
    "other_officer": (Role.LIAISON_OFFICER,),
    "coordinator": (Role.COORDINATOR,),
    "reviewer": (Role.REVIEWER,),
    "administrator": (Role.ADMINISTRATOR,),
    "officer_reviewer": (Role.LIAISON_OFFICER, Role.REVIEWER),
}


@dataclass(frozen=True)
class Row:
    url_name: str
    expect: dict
    kwargs: Any = None
    method: str = "get"
    data: Any = None
    default: int | None = None
    note: str = ""
    # For 302 answers other than the login redirect: where they go (prefix).
    redirect_to: Any = None

    def status_for(self, actor):
        if actor in self.expect:
            return self.expect[actor]
        if self.default is None:
            raise AssertionError(f"{self.url_name} ({self.note}): no expectation for {actor}")
        return self.default

    @property
    def id(self):
        return f"{self.method.upper()} {self.url_name}" + (f" [{self.note}]" if self.note else "")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.objects[name]

    def __setitem__(self, name, value):
        self.objects[name] = value

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def build_world(builders):
    world = World()
    world["area"] = AreaFactory(code="PA", name="表地域")
    world["other_area"] = AreaFactory(code="PB", name="裏地域")
    world["district"] = DistrictFactory(area=world["area"], code="PA01")
    world["other_district"] = DistrictFactory(area=world["other_area"], code="PB01")
    world["organisation"] = OrganisationFactory(name="表の自治会", areas=[world["area"]])
    world["other_organisation"] = OrganisationFactory(
        name="裏の自治会", areas=[world["other_area"]]
    )
    world["issue"] = local_issue(1)
    for actor, roles in ACTOR_ROLES.items():
        world.users[actor] = UserFactory(
            email=f"{actor}@example.jp", role=list(roles), district=world["district"]
        )
    world["representation"] = represent(world.users["representative"], world["organisation"])
    world["other_representation"] = represent(
        world.users["other_representative"], world["other_organisation"]
    )
    for build in builders:
        build(world)
    return world


def client_for(world, actor):
    client = Client()
    if actor != "anonymous":
        client.force_login(world.users[actor])
    return client


def request(client, row, world):
    from django.urls import reverse

    kwargs = row.kwargs(world) if callable(row.kwargs) else (row.kwargs or {})
    url = reverse(row.url_name, kwargs=kwargs)
    data = row.data(world) if callable(row.data) else (row.data or {})
    return getattr(client, row.method)(url, data)
