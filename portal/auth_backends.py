"""Authentication backends that read the signed-in user with their roles.

Every signed-in request reads the user from the session, and almost every one
then asks for their roles (the idle timeout, MFA, the header, the rules).
These backends read both in one query: the user's role assignments joined to
the user. Someone without a role (a resident) has no row to join, so the user
is read on their own, and is then known to hold no role; that is the two
queries it took before.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .models import Role, RoleAssignment


class RolesWithUserMixin:
    def get_user(self, user_id):
        assignments = list(
            RoleAssignment.objects.filter(user_id=user_id).select_related("user").order_by()
        )
        if not assignments:
            user = super().get_user(user_id)
            if user is not None:
                user._roles_cache = frozenset()
            return user
        user = assignments[0].user
        user._roles_cache = frozenset(Role(a.role) for a in assignments)
        return user if self.user_can_authenticate(user) else None


class ModelBackend(RolesWithUserMixin, DjangoModelBackend):
    """Django's backend (email and password, force_login in tests)."""


class AuthenticationBackend(RolesWithUserMixin, AllauthBackend):
    """allauth's backend (sign-in by email, login by code)."""
