"""Workflows as data: the allowed moves of a status field, and one function
that makes every move.

An app declares its table once, next to its service:

    REQUEST_FLOW = Workflow(
        field="status",
        moves={
            (Status.SUBMITTED, Status.TRIAGED): "liaisons.triage_request",
            (Status.TRIAGED, Status.ASSIGNED): "liaisons.assign_request",
        },
        action_prefix="liaisons.request",
    )

and calls `REQUEST_FLOW.transition(obj, to=..., by=actor)` on a row it has
locked. `transition` refuses a move that is not in the table (ServiceError,
in Japanese), checks the permission the table names for that move, and
writes the history row (StateChange) and the audit row in the caller's
transaction.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .errors import ServiceError
from .models import StateChange
from .permissions import check

# Every workflow declared, so a test can check that each move's audit code
# (`<action_prefix>.<state>`) is registered.
WORKFLOWS = []


@dataclass(frozen=True)
class Workflow:
    moves: dict
    action_prefix: str
    field: str = "status"

    def __post_init__(self):
        WORKFLOWS.append(self)

    def action_codes(self):
        """The audit codes this workflow's moves record."""
        return {f"{self.action_prefix}.{to}" for (_frm, to) in self.moves}

    def allowed_targets(self, current):
        return [to for (frm, to) in self.moves if frm == current]

    def can_move(self, obj, to, user=None):
        key = (getattr(obj, self.field), to)
        if key not in self.moves:
            return False
        permission = self.moves[key]
        return user is None or permission is None or bool(check(user, permission, obj))

    def transition(self, obj, *, to, by, note="", extra_fields=(), data=None):
        """Move `obj` (already locked by the caller) to state `to`."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("transition() must run inside the service's locked transaction")
        current = getattr(obj, self.field)
        key = (current, to)
        if key not in self.moves:
            raise ServiceError(
                _("「%(current)s」から「%(to)s」へは変更できません。")
                % {"current": _label(obj, self.field, current), "to": _label(obj, self.field, to)},
                code="invalid_transition",
            )
        permission = self.moves[key]
        if permission is not None and by.user is not None:
            decision = check(by.user, permission, obj)
            if not decision:
                raise ServiceError(decision.reason or _("この操作を行う権限がありません。"))
        setattr(obj, self.field, to)
        obj.save(update_fields=[self.field, *extra_fields])
        StateChange.objects.create(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=str(obj.pk),
            field=self.field,
            from_state=current or "",
            to_state=to,
            by=by.user if getattr(by.user, "pk", None) else None,
            by_role=str(by.role or ""),
            note=note,
        )
        audit.record(
            by=by,
            action=f"{self.action_prefix}.{to}",
            target=obj,
            kind=audit.AuditLogEntry.Kind.CHANGE,
            changes={self.field: {"old": current, "new": to}},
            data=data,
        )
        return obj


def _label(obj, field, value):
    choices = dict(obj._meta.get_field(field).choices or ())
    return str(choices.get(value, value))


def history(obj):
    """The state changes of `obj`, oldest first."""
    return StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).select_related("by")
