"""Rules of the areas app: the catalogue, the district import, organisations
and who represents them."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Role
from portal.permissions import (
    EVERYTHING,
    AnyOf,
    Decision,
    HasRole,
    ObjectRule,
    Rule,
    SignedIn,
    administrators,
    coordinators,
    memoised,
    register,
    signed_in_user,
    staff,
)

from .models import Organisation, Representation


def represented_organisation_ids(user, on=None):
    """A subquery of the organisations `user` represents today (or on `on`)."""
    return Representation.objects.current(on).filter(user=user).values("organisation_id")


def represents(user, organisation_id, on=None):
    if not signed_in_user(user) or organisation_id is None:
        return False
    return memoised(
        ("represents", user.pk, organisation_id, on),
        lambda: (
            Representation.objects.current(on)
            .filter(user=user, organisation_id=organisation_id)
            .exists()
        ),
    )


def represents_any(user):
    """Does `user` represent some organisation today?"""
    if not signed_in_user(user):
        return False
    return user.represents_an_organisation


def _attribute_path(obj, path):
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


def representative_rule(model, organisation_path, *, reason=None):
    """Rows of `model` that belong (through `organisation_path`, e.g.
    "organisation" or "pk") to an organisation the user represents today.

    Other apps build their "the representative's own requests/applications"
    rules from this, so the period of the Representation decides access.
    """
    id_path = "pk" if organisation_path == "pk" else f"{organisation_path}_id"
    lookup = "pk__in" if organisation_path == "pk" else f"{organisation_path}__in"

    def test(user, obj):
        return represents(user, _attribute_path(obj, id_path))

    return ObjectRule(
        model=model,
        test=test,
        rows=lambda user: Q(**{lookup: represented_organisation_ids(user)}),
        any=represents_any,
        role=Role.REPRESENTATIVE,
        reason=reason or _("この団体の代表者ではありません。"),
    )


def _organisation_publicly_visible(organisation):
    return organisation.is_active and organisation.approved_at is not None


class OrganisationVisibility(Rule):
    """Everyone sees approved, active organisations; staff see all; a person
    who applied to register one or represents one sees it too."""

    model = Organisation
    reason = _("この団体は公開されていません。")

    def check(self, user, obj=None):
        if obj is None or _organisation_publicly_visible(obj):
            return Decision(True)
        if signed_in_user(user):
            as_staff = staff.check(user)
            if as_staff:
                return as_staff
            if represents(user, obj.pk):
                return Decision(True, role=Role.REPRESENTATIVE)
            if obj.registered_by_id == user.pk:
                return Decision(True, role=Role.RESIDENT)
        return Decision(False, self.reason)

    def q(self, user):
        public = Q(is_active=True, approved_at__isnull=False)
        if not signed_in_user(user):
            return public
        if staff.check(user):
            return EVERYTHING
        return public | Q(registered_by=user) | Q(pk__in=represented_organisation_ids(user))


organisation_representative = representative_rule(Organisation, "pk")

register("areas.import_districts", administrators)
register("areas.manage_issue_catalogue", coordinators)
register("areas.view_retired_organisations", staff)
register("areas.manage_organisations", coordinators)
register("areas.manage_representations", coordinators)
register("areas.view_organisation", OrganisationVisibility())
register("areas.view_organisation_contacts", AnyOf(staff, organisation_representative))
register("areas.edit_organisation", AnyOf(coordinators, organisation_representative))
register("areas.apply_organisation", SignedIn())
register("areas.apply_representation", SignedIn())
register("areas.view_representation_applications", HasRole(Role.COORDINATOR, Role.ADMINISTRATOR))

from .karte import permissions as _karte_permissions  # noqa: E402, F401
from .news import permissions as _news_permissions  # noqa: E402, F401
