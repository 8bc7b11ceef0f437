"""The audit log as people read it: the label of each code, the role acted
under, the target by name where a cheap one exists, and each change as
「項目: 旧 → 新」. Shared by the log page and its export."""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from . import audit
from .labels import target_type_label


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str
    # For lists (roles): what was added and what was taken away.
    added: str = ""
    removed: str = ""

    def __str__(self):
        text = f"{self.field}: {self.old} → {self.new}"
        extra = []
        if self.added:
            extra.append(_("追加: %(values)s") % {"values": self.added})
        if self.removed:
            extra.append(_("削除: %(values)s") % {"values": self.removed})
        return f"{text}（{'／'.join(extra)}）" if extra else text


@dataclass(frozen=True)
class Row:
    entry: object
    label: str
    role: str
    target_type: str
    target_name: str
    changes: tuple

    @property
    def changes_text(self):
        return "\n".join(str(change) for change in self.changes)


def rows(entries):
    """One Row per entry, in the active language; one query per target type
    that has a registered name (not per row)."""
    entries = list(entries)
    names = audit.target_names(entries)
    return [_row(entry, names) for entry in entries]


def _row(entry, names):
    action_type = audit.action_type(entry.action)
    return Row(
        entry=entry,
        label=str(action_type.label) if action_type else entry.action,
        role=entry.get_actor_role_display(),
        target_type=target_type_label(entry.target_type),
        target_name=names.get((entry.target_type, entry.target_id), ""),
        changes=tuple(_changes(entry, action_type)),
    )


def _model(target_type):
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _changes(entry, action_type):
    changes = (entry.data or {}).get("changes")
    if not isinstance(changes, dict):
        return
    model = _model(entry.target_type)
    declared = action_type.fields if action_type else {}
    for name, change in changes.items():
        if not isinstance(change, dict):
            continue
        label, choices = _field(model, declared, name)
        old, new = change.get("old"), change.get("new")
        added = removed = ""
        if isinstance(old, list) and isinstance(new, list):
            added = _value([v for v in new if v not in old], choices)
            removed = _value([v for v in old if v not in new], choices)
        yield Change(label, _value(old, choices), _value(new, choices), added, removed)


def _field(model, declared, name):
    if name in declared:
        label, choices = declared[name]
        return str(label), dict(choices or ())
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            return str(getattr(field, "verbose_name", name)), dict(field.choices or ())
    return name, {}


def _value(value, choices):
    if isinstance(value, list):
        return "、".join(_value(v, choices) for v in value) if value else _("なし")
    if value is None or value == "":
        return _("なし")
    if isinstance(value, bool):
        return _("はい") if value else _("いいえ")
    return str(choices.get(value, value))
