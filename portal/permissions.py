"""Who may do what to which object: the one place that answers it.

Each permission is a small function `(user, obj) -> Decision`, listed in
`RULES`. Views declare the permission they need through `PermissionRequiredMixin`
(or `permission_required` for function views) and cannot be built without one;
selectors filter querysets by the same rules so that an object a user may not
see is simply not found (404), whatever id is guessed.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import Role

PUBLIC = "public"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self):
        return self.allowed


ALLOW = Decision(True)


def _signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def role_in(*roles):
    """A rule that allows signed-in users holding one of `roles`."""
    allowed_roles = frozenset(roles)

    def rule(user, obj=None):
        if _signed_in(user) and user.role in allowed_roles:
            return ALLOW
        return Decision(False, _("この操作は権限のある職員のみ行えます。"))

    rule.roles = allowed_roles
    return rule


def signed_in(user, obj=None):
    return ALLOW if _signed_in(user) else Decision(False, _("ログインしてください。"))


def represents_organisation(user, organisation):
    """Representatives act for the organisations they are linked to.

    The link, not the role, decides. Without an object (the check before the
    object is loaded) it asks whether the user represents any organisation.
    """
    if _signed_in(user):
        linked = user.organisations.all()
        if organisation is not None:
            linked = linked.filter(pk=organisation.pk)
        if linked.exists():
            return ALLOW
    return Decision(False, _("この団体の代表者ではありません。"))


def _any_of(*rules):
    def rule(user, obj=None):
        decision = Decision(False)
        for candidate in rules:
            decision = candidate(user, obj)
            if decision:
                return decision
        return decision

    return rule


staff = role_in(Role.LIAISON_OFFICER, Role.COORDINATOR, Role.ADMINISTRATOR)
coordinators = role_in(Role.COORDINATOR, Role.ADMINISTRATOR)
administrators = role_in(Role.ADMINISTRATOR)

RULES = {
    "portal.edit_own_profile": signed_in,
    "portal.view_staff_dashboard": staff,
    "portal.view_audit_log": administrators,
    "areas.import_districts": administrators,
    "areas.manage_issue_catalogue": coordinators,
    "areas.view_organisation_contacts": staff,
    "areas.view_retired_organisations": staff,
    "areas.manage_organisations": coordinators,
    "areas.edit_organisation": _any_of(coordinators, represents_organisation),
}


def check(user, permission, obj=None):
    """Return the Decision for `user` doing `permission` (to `obj`)."""
    if permission == PUBLIC:
        return ALLOW
    try:
        rule = RULES[permission]
    except KeyError:
        raise ImproperlyConfigured(f"Unknown permission {permission!r}") from None
    return rule(user, obj)


def may(user, permission, obj=None):
    return bool(check(user, permission, obj))


def enforce(request, permission, obj=None):
    """Raise PermissionDenied (403) unless the request's user may do it."""
    decision = check(request.user, permission, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


class PermissionRequiredMixin:
    """Views state `permission`; a view class without one cannot be created.

    Anonymous users are sent to the login page; signed-in users without the
    permission get 403. Object views check the object again in `get_object`,
    and their `get_queryset` should come from a selector that already filters
    by what the user may see, so guessing an id yields 404.
    """

    permission = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("abstract_view") and not getattr(cls, "permission", None):
            raise ImproperlyConfigured(f"{cls.__name__} must set `permission`.")

    abstract_view = True

    def dispatch(self, request, *args, **kwargs):
        if self.permission != PUBLIC:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            enforce(request, self.permission)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        enforce(self.request, self.permission, obj)
        return obj


def permission_required(permission):
    """The same check for function views."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if permission != PUBLIC:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                enforce(request, permission)
            return view(request, *args, **kwargs)

        wrapped.portal_permission = permission
        return wrapped

    return decorator
