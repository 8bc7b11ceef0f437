"""Rules of area information: posts, 回覧板 and facilities.

Imported at the bottom of areas/permissions.py, so portal loads them with
the areas app's rules."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Circular, Organisation, Post, Representation, Subscription
from areas.permissions import organisation_representative, representative_rule, represents
from portal.models import Role
from portal.permissions import (
    EVERYTHING,
    AnyOf,
    Decision,
    ObjectRule,
    Rule,
    coordinators,
    register,
    signed_in_user,
)


def live_q(now=None):
    now = now or timezone.now()
    return Q(status=Post.Status.PUBLISHED, publish_at__lte=now) & (
        Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)
    )


class PostVisibility(Rule):
    """Everyone sees live posts; coordinators see every post; authors their
    own; representatives their organisation's reports at any stage."""

    model = Post

    def check(self, user, obj=None):
        if obj is None or obj.is_live():
            return Decision(True)
        if signed_in_user(user):
            decision = coordinators.check(user)
            if decision:
                return decision
            if obj.author_id == user.pk:
                return Decision(True)
            if obj.organisation_id and represents(user, obj.organisation_id):
                return Decision(True, role=Role.REPRESENTATIVE)
        return Decision(False, _("この投稿は公開されていません。"))

    def q(self, user):
        if not signed_in_user(user):
            return live_q()
        if coordinators.check(user):
            return EVERYTHING
        return (
            live_q()
            | Q(author=user)
            | Q(
                organisation__in=Representation.objects.current()
                .filter(user=user)
                .values("organisation_id")
            )
        )


def _organisations_in_area_represented(user, area_id):
    return Representation.objects.current().filter(user=user, organisation__areas=area_id).exists()


def area_representative_rule(model, area_path):
    """Rows of `model` whose area (through `area_path`, "pk" for Area itself)
    has an organisation the user represents today: the 自治会 officers who
    print the area's 回覧板."""
    id_attr = "pk" if area_path == "pk" else f"{area_path}_id"
    lookup = "pk__in" if area_path == "pk" else f"{area_path}__in"

    def rows(user):
        areas = Organisation.areas.through.objects.filter(
            organisation__in=Representation.objects.current()
            .filter(user=user)
            .values("organisation_id")
        ).values("area_id")
        return Q(**{lookup: areas})

    return ObjectRule(
        model=model,
        test=lambda user, obj: _organisations_in_area_represented(user, getattr(obj, id_attr)),
        rows=rows,
        any=lambda user: (
            Representation.objects.current()
            .filter(user=user)
            .filter(
                Exists(
                    Organisation.areas.through.objects.filter(organisation=OuterRef("organisation"))
                )
            )
            .exists()
        ),
        role=Role.REPRESENTATIVE,
        reason=_("この地域の団体の代表者ではありません。"),
    )


post_representative = representative_rule(Post, "organisation")

register("areas.view_post", PostVisibility())
register("areas.write_news", coordinators)
register("areas.write_activity_report", organisation_representative)
register("areas.edit_post", AnyOf(coordinators, post_representative))
register("areas.view_own_posts", AnyOf(coordinators, organisation_representative))
register("areas.review_posts", coordinators)
register("areas.make_circular", AnyOf(coordinators, area_representative_rule(Area, "pk")))
register("areas.view_circular", AnyOf(coordinators, area_representative_rule(Circular, "area")))
register("areas.manage_facilities", coordinators)
register(
    "areas.manage_own_subscription",
    ObjectRule(
        model=Subscription,
        test=lambda user, subscription: subscription.user_id == user.pk,
        rows=lambda user: Q(user=user),
        reason=_("ご自身の登録ではありません。"),
    ),
)
