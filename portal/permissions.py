"""Who may do what to which object: the one place views and selectors ask.

Every permission is a named `Rule` that answers two questions:

- `check(user, obj)`: may this user do this (to this object)? A `Decision`
  that says yes or no, why not (in Japanese), and the role it was allowed under
  (recorded in the audit log);
- `q(user)`: which rows of the rule's model may this user see? A `Q` that list
  pages and selectors filter by, so a list and its detail page can never
  disagree (a test checks the two answers on sample objects for every rule).

Rules live in each app's `permissions.py` and `register()` here; `portal`
imports those modules at start-up and imports no app itself. Views declare
their permission through `PermissionRequiredMixin` (or `permission_required`)
and cannot be built without one; the object to check comes from one hook,
`get_permission_object()`, so create views and views acting on a parent
object are checked too.
"""

import contextvars
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.views.generic.edit import CreateView

from .models import Role

PUBLIC = "public"
NOTHING = Q(pk__in=[])
EVERYTHING = Q()


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    role: str = ""

    def __bool__(self):
        return self.allowed


ALLOW = Decision(True)
NOT_STAFF = _("この操作は権限のある職員のみ行えます。")
SIGN_IN = _("ログインしてください。")


# Answers that stay the same for the length of one request (does this user
# represent an organisation today?). Navigation and rules ask them several
# times a page; `PermissionMemoMiddleware` gives each request its own memo.
# Outside a request (services, commands, tests calling rules) nothing is kept.
_request_memo = contextvars.ContextVar("permission_memo", default=None)


def memoised(key, compute):
    memo = _request_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class PermissionMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(token)


def signed_in_user(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


class Rule:
    """A permission. Subclasses set `model` when the rule selects rows."""

    model = None
    description = ""

    def check(self, user, obj=None):
        raise NotImplementedError

    def q(self, user):
        """Rows of `model` the user may see; everything or nothing by default."""
        return EVERYTHING if self.check(user) else NOTHING

    def filter(self, user, queryset):
        return queryset.filter(self.q(user))


class Public(Rule):
    def check(self, user, obj=None):
        return ALLOW


class SignedIn(Rule):
    def check(self, user, obj=None):
        return ALLOW if signed_in_user(user) else Decision(False, SIGN_IN)


class HasRole(Rule):
    """Allowed to signed-in users holding one of `roles` (the first held is
    the role acted under)."""

    def __init__(self, *roles, reason=NOT_STAFF):
        self.roles = tuple(Role(r) for r in roles)
        self.reason = reason

    def check(self, user, obj=None):
        if signed_in_user(user):
            for role in self.roles:
                if role in user.roles:
                    return Decision(True, role=role)
        return Decision(False, self.reason)


class ObjectRule(Rule):
    """A rule on rows of `model`: `test(user, obj)` for one object,
    `rows(user)` as a Q for many, and `any(user)` for the check before an
    object is known (a list page, a create page)."""

    def __init__(self, *, model, test, rows, any=None, role="", reason=""):
        self.model = model
        self._test = test
        self._rows = rows
        self._any = any
        self.role = role
        self.reason = reason or _("この操作を行う権限がありません。")

    def check(self, user, obj=None):
        if not signed_in_user(user):
            return Decision(False, SIGN_IN)
        allowed = self._test(user, obj) if obj is not None else self._may_try(user)
        return Decision(True, role=self.role) if allowed else Decision(False, self.reason)

    def _may_try(self, user):
        # Before an object is known: allowed unless `any` says the user has none.
        return self._any(user) if self._any else True

    def q(self, user):
        if not signed_in_user(user):
            return NOTHING
        return self._rows(user)


class AnyOf(Rule):
    """Allowed when any member allows; rows are the union of the members' rows."""

    def __init__(self, *rules):
        self.rules = rules
        models = {r.model for r in rules if r.model is not None}
        self.model = models.pop() if len(models) == 1 else None

    def check(self, user, obj=None):
        decision = Decision(False)
        for rule in self.rules:
            decision = rule.check(user, obj)
            if decision:
                return decision
        return decision

    def q(self, user):
        combined = NOTHING
        for rule in self.rules:
            member = rule.q(user)
            if member == EVERYTHING:
                return EVERYTHING
            combined |= member
        return combined


RULES = {PUBLIC: Public()}


def register(name, rule):
    """Add a named rule; each name once (a second, different rule is a bug)."""
    if name in RULES and RULES[name] is not rule:
        raise ImproperlyConfigured(f"Permission {name!r} is registered twice.")
    RULES[name] = rule
    return rule


def rule(permission):
    try:
        return RULES[permission]
    except KeyError:
        raise ImproperlyConfigured(f"Unknown permission {permission!r}") from None


def check(user, permission, obj=None):
    """The Decision for `user` doing `permission` (to `obj`)."""
    return rule(permission).check(user, obj)


def may(user, permission, obj=None):
    return bool(check(user, permission, obj))


def visible(user, permission, queryset):
    """`queryset` narrowed to the rows `permission` lets `user` see."""
    return rule(permission).filter(user, queryset)


def enforce(request, permission, obj=None):
    """Raise PermissionDenied (403) unless the request's user may do it;
    remember the role it was allowed under for the audit log."""
    decision = check(request.user, permission, obj)
    if not decision:
        raise PermissionDenied(decision.reason)
    if decision.role:
        request.acting_role = decision.role
    return decision


def _login_needed(request, permission):
    """Anonymous visitors go to the login page unless the rule lets anyone in
    (a public page whose objects are still checked one by one)."""
    return not request.user.is_authenticated and not check(request.user, permission)


class PermissionRequiredMixin:
    """Views state `permission`; a view class without one cannot be created.

    Anonymous users are sent to the login page; signed-in users without the
    permission get 403. The object checked comes from `get_permission_object()`:
    by default the view's own object (found in `get_queryset()`, which should
    come from a selector filtered by the same rule, so a guessed id is 404);
    create views check nothing by default and override it to return the parent
    object they act on.
    """

    permission = None
    abstract_view = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("abstract_view") and not getattr(cls, "permission", None):
            raise ImproperlyConfigured(f"{cls.__name__} must set `permission`.")

    def dispatch(self, request, *args, **kwargs):
        if self.permission != PUBLIC:
            if _login_needed(request, self.permission):
                return redirect_to_login(request.get_full_path())
            # First "may they do this at all" (403), then find the object
            # among the rows they may see (404), then check that object.
            enforce(request, self.permission)
            self.permission_object = self.get_permission_object()
            enforce(request, self.permission, self.permission_object)
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        if isinstance(self, CreateView) or not hasattr(self, "get_object"):
            return None
        if not any(k in self.kwargs for k in ("pk", "slug", "public_id", "code")):
            return None
        return self.get_object()

    def get_object(self, queryset=None):
        cached = getattr(self, "permission_object", None)
        if cached is not None and queryset is None:
            return cached
        obj = super().get_object(queryset)
        if self.permission != PUBLIC:
            enforce(self.request, self.permission, obj)
        return obj


def permission_required(permission, *, get_object=None):
    """The same check for function views. `get_object(request, **kwargs)`
    returns the object to check (raising Http404 when it is not visible)
    and is passed on to the view as `obj`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if permission != PUBLIC and _login_needed(request, permission):
                return redirect_to_login(request.get_full_path())
            if permission != PUBLIC:
                enforce(request, permission)
            obj = get_object(request, **kwargs) if get_object else None
            if permission != PUBLIC and obj is not None:
                enforce(request, permission, obj)
            if get_object:
                kwargs["obj"] = obj
            return view(request, *args, **kwargs)

        wrapped.portal_permission = permission
        return wrapped

    return decorator


# --- The portal's own rules --------------------------------------------------

staff = HasRole(Role.ADMINISTRATOR, Role.COORDINATOR, Role.LIAISON_OFFICER)
coordinators = HasRole(Role.COORDINATOR, Role.ADMINISTRATOR)
administrators = HasRole(Role.ADMINISTRATOR)


def _job_rows(user):
    if Role.ADMINISTRATOR in user.roles:
        return EVERYTHING
    return Q(created_by=user)


def _job_rule():
    from .models import Job

    return ObjectRule(
        model=Job,
        test=lambda user, job: Role.ADMINISTRATOR in user.roles or job.created_by_id == user.pk,
        rows=_job_rows,
        reason=_("このジョブを見る権限がありません。"),
    )


register("portal.edit_own_profile", SignedIn())
register("portal.view_staff_dashboard", staff)
register("portal.view_audit_log", administrators)
register("portal.manage_roles", administrators)
register("portal.view_job", _job_rule())
from .dashboard import permissions as _dashboard_permissions  # noqa: E402, F401
