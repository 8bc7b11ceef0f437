"""Rules of the karte, the vision and action plans and the directory.

Imported at the bottom of areas/permissions.py."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import Offer, Vision
from areas.permissions import organisation_representative, representative_rule
from portal.permissions import (
    EVERYTHING,
    PUBLIC,
    RULES,
    AnyOf,
    Decision,
    Rule,
    coordinators,
    register,
    signed_in_user,
)


class VisionVisibility(Rule):
    """Everyone sees published visions; coordinators also the drafts."""

    model = Vision

    def check(self, user, obj=None):
        if obj is None or obj.is_published:
            return Decision(True)
        if signed_in_user(user):
            decision = coordinators.check(user)
            if decision:
                return decision
        return Decision(False, _("このビジョンは公開されていません。"))

    def q(self, user):
        if signed_in_user(user) and coordinators.check(user):
            return EVERYTHING
        return Q(is_published=True)


register("areas.view_karte", RULES[PUBLIC])
register("areas.view_directory", RULES[PUBLIC])
register("areas.manage_karte", coordinators)
register("areas.view_vision", VisionVisibility())
register("areas.manage_vision", coordinators)
# Offers: an organisation's representatives (today) and coordinators.
register("areas.manage_offers", AnyOf(coordinators, organisation_representative))
register(
    "areas.edit_offer",
    AnyOf(
        coordinators,
        representative_rule(Offer, "organisation", reason=_("この団体の代表者ではありません。")),
    ),
)
