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
302, 400, 403, 404, 405. `default` is the status for every actor not
listed; a row without `default` must list every actor.

A 302 must go where the row says: an anonymous visitor's to the login page
(/accounts/login/), anyone else's to `redirect_to` — a path prefix, a
callable `world -> path`, or a dict actor -> either (a dict entry for
"anonymous" replaces the login page, for a page anyone may post to).

Pages that show personal data say so with `reveals` (a callable `world ->
text or list of texts`) and `revealed_to` (the actors who may see it): on a
200 answer the text must appear for exactly those actors.

A URL pattern of the project without a row fails the table's test, so a
new page cannot be added without saying who may open it.

The world is built once per test module (`module_world`) inside a
transaction that is rolled back when the module ends; each test runs in a
savepoint of it, and every actor's request inside a further savepoint that
is rolled back, so a POST by one person (or an audit row a GET writes)
cannot change what the next person or the next row sees. (A savepoint, not
an atomic block: services lock in durable transactions, which refuse to
nest in one.)
It has two areas, an organisation in each, and one person per kind of actor:

    anonymous              nobody signed in
    resident               signed in, no role, represents nothing
    representative         represents `world.organisation` (area `world.area`)
    other_representative   represents `world.other_organisation` (area `world.other_area`)
    liaison_officer        officer role (apps assign them to `world.area`)
    other_officer          officer role (apps assign them to `world.other_area`)
    coordinator, reviewer, administrator
    officer_reviewer       a person holding both the officer and the reviewer roles

Builders may add more people to `world.users` (not requested by the table,
but the rules test checks them too: e.g. someone whose period has ended).
"""

import importlib
import importlib.util
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.models import Role
from tests.factories import (
    AreaFactory,
    DistrictFactory,
    OrganisationFactory,
    UserFactory,
    local_issue,
    represent,
)
from tests.once import module_data

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
    # Personal data on the page: texts that a 200 shows to `revealed_to` only.
    reveals: Any = None
    revealed_to: frozenset = frozenset()

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
    # actor -> session key, for a world whose people signed in once (module_world)
    sessions: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.objects[name]

    def __setitem__(self, name, value):
        # Apps share one world: a second app reusing a name would silently
        # point the first app's rows at the wrong object.
        if name in self.objects and self.objects[name] is not value:
            raise KeyError(f"world[{name!r}] is already set by another builder")
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
    world["organisation"] = OrganisationFactory(
        name="表の自治会", areas=[world["area"]], contact_email="omote-contact@example.jp"
    )
    world["other_organisation"] = OrganisationFactory(
        name="裏の自治会", areas=[world["other_area"]], contact_email="ura-contact@example.jp"
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


def module_world(builders=lambda: all_builders()):
    """A module-scoped fixture holding one world for every test of the
    module (see tests/once.py): the rows only read it, and what a request
    writes is rolled back with its savepoint."""
    return module_data(lambda: signed_in(build_world(builders())))


def signed_in(world):
    """The world with every person signed in once, their sessions kept for
    every request of the module (a sign-in per actor and row was a fifth of
    the table's time)."""
    client = _shared_client()
    for actor, user in world.users.items():
        if actor in ACTORS:
            client.cookies.clear()
            client.force_login(user)
            world.sessions[actor] = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.cookies.clear()
    return world


_clients = {}


def client_for(world, actor):
    """A client signed in as `actor`. One client is reused, its cookies
    cleared: each new Client loads the middleware again, and WhiteNoise's
    scan of the static files would double the table's time."""
    client = _shared_client()
    client.cookies.clear()
    if actor in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[actor]
    elif actor != "anonymous":
        client.force_login(world.users[actor])
    return client


def _shared_client():
    return _clients.setdefault("shared", Client())


def request(client, row, world):
    kwargs = row.kwargs(world) if callable(row.kwargs) else (row.kwargs or {})
    url = reverse(row.url_name, kwargs=kwargs)
    data = row.data(world) if callable(row.data) else (row.data or {})
    return getattr(client, row.method)(url, data)


# --- Collecting the apps' rows --------------------------------------------------

APPS = (
    "portal",
    "portal.dashboard",
    "areas",
    "areas.news",
    "areas.karte",
    "liaisons",
    "meetings",
    "surveys",
    "surveys.panels",
    "grants",
)
# URL namespaces whose every pattern needs a row (besides the project's own
# top-level paths such as healthz). allauth, the admin and i18n check themselves.
TABLE_NAMESPACES = frozenset(APPS) | {"opendata"}


def app_modules():
    """The `tests/<app>/permission_rows.py` modules that exist, in APPS order."""
    modules = []
    for app in APPS:
        name = f"tests.{app}.permission_rows"
        if importlib.util.find_spec(name) is None:
            continue
        modules.append(importlib.import_module(name))
    return modules


def all_rows():
    return [row for module in app_modules() for row in module.ROWS]


def all_builders():
    return [module.build for module in app_modules() if hasattr(module, "build")]


def project_url_names(resolver=None, namespace=None, top=True):
    """ "namespace:name" of every URL pattern the table must cover: the
    patterns in TABLE_NAMESPACES and those written directly in the root
    URLconf. A pattern without a name is reported as "<unnamed: route>"."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            nested = namespace
            if pattern.namespace:
                nested = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from project_url_names(pattern, nested, top=False)
        elif isinstance(pattern, URLPattern) and (
            top or (namespace or "").split(":")[0] in TABLE_NAMESPACES
        ):
            if not pattern.name:
                yield f"<unnamed: {pattern.pattern}>"
            else:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name


# --- Judging one answer -------------------------------------------------------------

LOGIN_URL = "/accounts/login/"


def _resolve(value, world):
    return value(world) if callable(value) else value


def expected_location(row, actor, world):
    """Where a 302 to `actor` must go (a prefix), or None when the row does not say."""
    target = row.redirect_to
    if isinstance(target, dict):
        if actor in target:
            return _resolve(target[actor], world)
        target = None
    elif actor == "anonymous":
        target = None
    if target is None:
        return LOGIN_URL if actor == "anonymous" else None
    return _resolve(target, world)


def mismatches(row, actor, world, response):
    """What is wrong with `response` to `actor` (empty when all is as the row says)."""
    problems = []
    wanted = row.status_for(actor)
    if response.status_code != wanted:
        where = f" → {response['Location']}" if response.status_code in (301, 302) else ""
        problems.append(f"{actor}: expected {wanted}, got {response.status_code}{where}")
        return problems
    if wanted == 302:
        location = expected_location(row, actor, world)
        if location is None:
            problems.append(
                f"{actor}: 302 to {response['Location']} but the row has no redirect_to"
            )
        elif not response["Location"].startswith(location):
            problems.append(
                f"{actor}: 302 to {response['Location']}, expected a redirect to {location}"
            )
    if row.reveals is not None and response.status_code == 200:
        texts = _resolve(row.reveals, world)
        texts = [texts] if isinstance(texts, str) else list(texts)
        page = response.content.decode()
        for text in texts:
            if (text in page) != (actor in row.revealed_to):
                verb = "does not show" if actor in row.revealed_to else "shows"
                problems.append(f"{actor}: the page {verb} {text!r}")
    return problems


def check_row(row, world):
    """Request the row's URL as every actor, each in a savepoint rolled back
    afterwards; the list of everything that differs from the row."""
    problems = []
    for actor in ACTORS:
        savepoint = transaction.savepoint()
        try:
            response = request(client_for(world, actor), row, world)
            problems += mismatches(row, actor, world, response)
        finally:
            transaction.savepoint_rollback(savepoint)
    return problems
