"""Authentication backends that read the signed-in user with their roles.

Every signed-in request reads the user from the session, and almost every
page then asks for their roles (the idle timeout, MFA, the header, the rules)
and whether they represent an organisation today (the header's badge, the
navigation, the rules); where staff must use TOTP, the MFA middleware asks
on every request whether they have set it up. These backends read it all in
one query: the user's role assignments joined to the user, with the
representation and the TOTP authenticator as EXISTS. Someone without a role
(a resident) has no assignment to join, so the user is read on their own,
with the representation's EXISTS, and holds no role (nor needs TOTP).
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .models import Role, RoleAssignment, User


def _user_has(model, user_id_column, where, params):
    """EXISTS (a row of `model` for the user WHERE `where`), as SQL: composed
    through the ORM, such a subquery cost more to build on every request than
    the query it saves."""
    table = connection.ops.quote_name(model._meta.db_table)
    return RawSQL(  # noqa: S611 - only names from the models and bound values
        f"EXISTS (SELECT 1 FROM {table} t WHERE t.user_id = {user_id_column} AND {where})",  # noqa: S608 - names from the models
        params,
        output_field=BooleanField(),
    )


def _represents_today(user_id_column):
    """`Representation.objects.current()` for one user
    (`test_the_signed_in_user_knows_whether_they_represent_today` holds the
    two to the same answer)."""
    from areas.models import Representation

    today = timezone.localdate()
    return _user_has(
        Representation,
        user_id_column,
        "t.status = %s AND t.valid_from <= %s AND (t.valid_until IS NULL OR t.valid_until >= %s)",
        [Representation.Status.APPROVED.value, today, today],
    )


def _has_totp(user_id_column):
    """allauth's `is_mfa_enabled(user, ["totp"])`."""
    return _user_has(Authenticator, user_id_column, "t.type = %s", [Authenticator.Type.TOTP.value])


def _column(model, name):
    quote = connection.ops.quote_name
    return f"{quote(model._meta.db_table)}.{quote(name)}"


class RolesWithUserMixin:
    def get_user(self, user_id):
        user_column = _column(RoleAssignment, "user_id")
        asked = {"represents_today": _represents_today(user_column)}
        if settings.REQUIRE_STAFF_MFA:
            asked["has_totp"] = _has_totp(user_column)
        assignments = list(
            RoleAssignment.objects.filter(user_id=user_id)
            .select_related("user")
            .annotate(**asked)
            .order_by()
        )
        if assignments:
            first = assignments[0]
            user = first.user
            user._roles_cache = frozenset(Role(a.role) for a in assignments)
            user._represents_cache = first.represents_today
            user._has_totp_cache = getattr(first, "has_totp", None)
        else:
            try:
                user = User._default_manager.annotate(
                    represents_today=_represents_today(_column(User, "id"))
                ).get(pk=user_id)
            except User.DoesNotExist:
                return None
            user._roles_cache = frozenset()
            user._represents_cache = user.represents_today
        return user if self.user_can_authenticate(user) else None


class ModelBackend(RolesWithUserMixin, DjangoModelBackend):
    """Django's backend (email and password, force_login in tests)."""


class AuthenticationBackend(RolesWithUserMixin, AllauthBackend):
    """allauth's backend (sign-in by email, login by code)."""
