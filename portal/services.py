from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import audit, locking
from .errors import ServiceError
from .models import ASSIGNABLE_ROLES, Role, RoleAssignment, User

PROFILE_FIELDS = ("full_name", "full_name_kana", "district")


def update_profile(*, user, full_name, full_name_kana, district, by):
    """A signed-in person's own name, kana and home district."""
    with transaction.atomic():
        before = audit.snapshot(user, PROFILE_FIELDS)
        user.full_name = full_name
        user.full_name_kana = full_name_kana
        user.district = district
        user.full_clean(exclude=["password"])
        user.save(update_fields=list(PROFILE_FIELDS))
        changes = audit.changes_between(before, audit.snapshot(user, PROFILE_FIELDS), model=User)
        if changes:
            audit.record(by=by, action="portal.profile.updated", target=user, changes=changes)
    return user


def set_roles(*, user_id, roles, by):
    """Give a user exactly `roles` (a set of assignable roles).

    The user's row is locked so two administrators editing the same account
    do not interleave; `is_staff` (the admin site) follows the administrator
    role. An administrator cannot take the role away from themself, so a city
    never locks itself out.
    """
    wanted = {Role(r) for r in roles}
    if not wanted <= set(ASSIGNABLE_ROLES):
        raise ServiceError(_("付与できない役割が含まれています。"))
    with locking.locked_one(User, user_id) as user:
        held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
        held = {Role(r) for r in held}
        if by.user_id == user.pk and Role.ADMINISTRATOR in held - wanted:
            raise ServiceError(_("自分自身から管理者の役割を外すことはできません。"))
        added, removed = wanted - held, held - wanted
        RoleAssignment.objects.filter(user=user, role__in=removed).delete()
        try:
            RoleAssignment.objects.bulk_create(
                [RoleAssignment(user=user, role=role, granted_by=by.user) for role in added]
            )
        except IntegrityError:
            raise ServiceError(
                _("ほかの方が同時に役割を変更しました。もう一度お試しください。")
            ) from None
        is_staff = user.is_superuser or Role.ADMINISTRATOR in wanted
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])
        user.forget_roles()
        if added or removed:
            audit.record(
                by=by,
                action="portal.user.roles_changed",
                target=user,
                changes={"roles": {"old": sorted(held), "new": sorted(wanted)}},
            )
    return user
