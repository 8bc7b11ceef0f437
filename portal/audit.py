"""The audit log: who did or saw what, acting as which role, from where.

Services and tasks take the actor as `by=` and write their own rows with
`record()` inside the transaction of the work they do, so an entry exists if
and only if the work happened; views write rows for reads of personal data.

The log holds no personal data itself:
- targets are named by `audit_label()` (a per-model label; by default the
  model's name and id), never `str(obj)`, so a name does not outlive a purge;
- paths are stored without their query string (an access code in a URL would
  link an answer to a resident);
- values of the fields a model lists in `audit_sensitive_fields` are masked
  wherever they appear in `changes`. Models that hold personal data say so
  with `audit_personal_data = True` (their admin must be audited: a system
  check in portal/audit_checks.py).
"""

import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.functional import Promise

from .models import AuditLogEntry, Role

logger = logging.getLogger(__name__)

MASK = "***"
# Keys masked in `data` whatever the model: credentials and codes.
SECRET_KEYS = frozenset(
    {"password", "password1", "password2", "token", "secret", "access_code", "invitation_code"}
)


# --- The vocabulary ------------------------------------------------------------
# Every action code is registered once, by the app that records it, from its
# `audit_actions` module (imported by PortalConfig.ready()): a Japanese label
# (the msgid; the English label is its entry in the catalogue) and what the
# keys of its `data` mean. The log page and its export show the label.


class UnregisteredAction(LookupError):
    """An audit row was recorded under a code nobody registered."""


@dataclass(frozen=True)
class ActionType:
    code: str
    label: Promise | str
    # What the keys of the row's `data` mean ("rows": the number of rows shown).
    data: dict = field(default_factory=dict)
    # Names and value labels of `changes` keys that are not fields of the
    # target's model: {"roles": (_("役割"), Role.choices)}.
    fields: dict = field(default_factory=dict)


_ACTIONS: dict[str, ActionType] = {}
# Codes made from a pattern (the admin site's `admin.<app>.<model>.<verb>`):
# prefix → a function from the code to its ActionType, or None.
_FAMILIES: dict[str, object] = {}


def register_actions(*types):
    """Register ActionTypes; registering a code twice is a mistake unless it is
    the same declaration (a module imported twice)."""
    for action_type in types:
        known = _ACTIONS.get(action_type.code)
        if known is not None and known is not action_type:
            raise ValueError(f"Audit action {action_type.code!r} is registered twice.")
        _ACTIONS[action_type.code] = action_type


def register_action_family(prefix, resolve):
    _FAMILIES[prefix] = resolve


def action_type(code):
    """The registered ActionType of `code`, or None."""
    found = _ACTIONS.get(code)
    if found is not None:
        return found
    for prefix, resolve in _FAMILIES.items():
        if code.startswith(prefix):
            return resolve(code)
    return None


def action_label(code):
    """The label of `code` in the active language; an unknown code (an old row
    whose code has since gone) is shown as stored."""
    found = action_type(code)
    return str(found.label) if found is not None else code


def registered_actions():
    """The codes registered one by one (families not included), by code."""
    return dict(sorted(_ACTIONS.items()))


def _check_registered(action):
    if action_type(action) is not None:
        return
    message = f"Audit action {action!r} is not registered (see <app>/audit_actions.py)."
    if settings.AUDIT_REFUSE_UNREGISTERED_ACTIONS:
        raise UnregisteredAction(message)
    # In production the work is not refused for a missing label: the row is
    # written under its code and the omission is reported.
    logger.error(message)


# --- Names of targets, read at display time --------------------------------------
# The log keeps no personal data, so a target is stored as "利用者 #6"; the
# page may name it from the live row. An app registers, per target type, the
# field that names its rows; the page reads each type in one query.
_TARGET_NAMES: dict[str, tuple] = {}


def register_target_name(target_type, *field_names):
    """The fields that name a row of `target_type`, the first one not blank wins."""
    _TARGET_NAMES[target_type] = field_names


def target_names(entries):
    """{(target_type, target_id): name} for the entries whose target type has a
    registered name field and whose row still exists; one query per type."""
    wanted = {}
    for entry in entries:
        if entry.target_type in _TARGET_NAMES and entry.target_id:
            wanted.setdefault(entry.target_type, set()).add(entry.target_id)
    names = {}
    for target_type, ids in wanted.items():
        try:
            model = apps.get_model(target_type)
        except (LookupError, ValueError):
            continue
        fields = _TARGET_NAMES[target_type]
        pks = [pk for pk in ids if pk.isdigit()] if _integer_pk(model) else list(ids)
        for pk, *values in model._default_manager.filter(pk__in=pks).values_list("pk", *fields):
            name = next((value for value in values if value), "")
            if name:
                names[(target_type, str(pk))] = str(name)
    return names


def _integer_pk(model):
    return isinstance(model._meta.pk, models.AutoField | models.BigAutoField | models.IntegerField)


@dataclass(frozen=True)
class Actor:
    """Who acts: the user, the role they act under, and where the request came from."""

    user: object = None
    role: str = ""
    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""
    # For work not started by a person (a scheduled task, a migration).
    system: str = field(default="")

    @classmethod
    def from_request(cls, request, role=None):
        from .clientip import client_ip

        user = request.user if request.user.is_authenticated else None
        return cls(
            user=user,
            role=role or getattr(request, "acting_role", "") or _default_role(user),
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
            path=request.path[:500],
        )

    @classmethod
    def for_user(cls, user, role=""):
        """An actor outside a request (a command run by a named person, a task)."""
        return cls(user=user, role=role or _default_role(user))

    @classmethod
    def for_system(cls, name):
        return cls(system=name)

    @property
    def user_id(self):
        return getattr(self.user, "pk", None)

    def without_request(self):
        """The same person and role with no address, browser or path: for
        rows that must not tell where a request came from."""
        return Actor(user=self.user, role=self.role, system=self.system)


def _default_role(user):
    if user is None:
        return ""
    for role in (Role.ADMINISTRATOR, Role.COORDINATOR, Role.LIAISON_OFFICER, Role.REVIEWER):
        if role in user.roles:
            return role
    return Role.RESIDENT


def target_label(target):
    """(type, id, label) of an audit target: instance, model class or text."""
    if isinstance(target, models.Model):
        label = getattr(target, "audit_label", None)
        text = label() if callable(label) else f"{target._meta.verbose_name} #{target.pk}"
        return target._meta.label_lower, str(target.pk or ""), str(text)[:255]
    if isinstance(target, type) and issubclass(target, models.Model):
        return target._meta.label_lower, "", str(target._meta.verbose_name_plural)
    return str(target), "", str(target)[:255]


def _mask_data(data):
    if isinstance(data, dict):
        return {k: MASK if k in SECRET_KEYS else _mask_data(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_mask_data(v) for v in data]
    if isinstance(data, str | int | float | bool) or data is None:
        return data
    return str(data)


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def changes_between(old, new, *, model=None):
    """{field: {"old": ..., "new": ...}} for the keys whose values differ,
    with the model's sensitive fields masked."""
    sensitive = getattr(model, "audit_sensitive_fields", frozenset())
    result = {}
    for name in sorted(set(old) | set(new)):
        before, after = _plain(old.get(name)), _plain(new.get(name))
        if before == after:
            continue
        if name in sensitive or name in SECRET_KEYS:
            result[name] = {"old": MASK if before else "", "new": MASK if after else ""}
        else:
            result[name] = {"old": before, "new": after}
    return result


def snapshot(obj, fields):
    """The values of `fields` on `obj`, for `changes_between`."""
    return {name: getattr(obj, name) for name in fields}


KIND_BY_VERB = {
    "viewed": AuditLogEntry.Kind.VIEW,
    "listed": AuditLogEntry.Kind.VIEW,
    "searched": AuditLogEntry.Kind.VIEW,
    "exported": AuditLogEntry.Kind.EXPORT,
    "downloaded": AuditLogEntry.Kind.EXPORT,
    "printed": AuditLogEntry.Kind.EXPORT,
    "imported": AuditLogEntry.Kind.IMPORT,
    "created": AuditLogEntry.Kind.CREATE,
    "applied": AuditLogEntry.Kind.CREATE,
    "registered": AuditLogEntry.Kind.CREATE,
    "received": AuditLogEntry.Kind.CREATE,
    "deleted": AuditLogEntry.Kind.DELETE,
    "purged": AuditLogEntry.Kind.PURGE,
}


def kind_of(action):
    """The kind of a dotted action code, read from its last word."""
    return KIND_BY_VERB.get(action.rsplit(".", 1)[-1], AuditLogEntry.Kind.CHANGE)


def record(*, by, action, target, changes=None, data=None, purpose="", kind=None, at=None):
    """Write one audit row for `action` (a dotted code such as
    `areas.organisation.updated`) done by the Actor `by` to `target`.

    `changes` comes from `changes_between`; `data` identifies the access
    (filters, row counts, file names), never the personal data itself.
    `at` replaces the time of the row where an exact time would tell too
    much (an anonymous answer's row keeps only its day).
    """
    if not isinstance(by, Actor):
        raise TypeError("`by` must be an audit.Actor")
    _check_registered(action)
    target_type, target_id, target_repr = target_label(target)
    payload = _mask_data(dict(data or {}))
    if changes:
        payload["changes"] = changes
    user = by.user
    entry = AuditLogEntry(
        actor=user if getattr(user, "pk", None) else None,
        actor_email=getattr(user, "email", "") or (f"system:{by.system}" if by.system else ""),
        actor_role=str(by.role or ""),
        action=action,
        kind=kind or kind_of(action),
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        purpose=(purpose or "")[:255],
        data=payload,
        ip_address=by.ip_address,
        user_agent=by.user_agent,
        request_path=by.path,
    )
    if at is not None:
        entry.created_at = at
    entry.save()
    return entry


def record_access(*, actor, action, target, request=None, purpose="", data=None):
    """A read (or other access) seen from a view: `action` is a Kind value.

    Kept for views that record reads of personal data; the code becomes
    `<app>.<model>.<kind>`.
    """
    by = Actor.from_request(request) if request is not None else Actor.for_user(actor)
    target_type = target_label(target)[0]
    verb = {
        AuditLogEntry.Kind.VIEW: "viewed",
        AuditLogEntry.Kind.EXPORT: "exported",
        AuditLogEntry.Kind.IMPORT: "imported",
        AuditLogEntry.Kind.CREATE: "created",
        AuditLogEntry.Kind.CHANGE: "changed",
        AuditLogEntry.Kind.DELETE: "deleted",
        AuditLogEntry.Kind.PURGE: "purged",
    }[AuditLogEntry.Kind(action)]
    return record(
        by=by,
        action=f"{target_type}.{verb}",
        target=target,
        data=data,
        purpose=purpose,
        kind=action,
    )
