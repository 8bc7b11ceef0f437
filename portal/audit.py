"""The audit log of access to personal data.

Every view, export, import or change of personal data calls `record_access`
inside the same transaction as the work it records, so an entry exists if and
only if the work happened.
"""

from django.conf import settings
from django.db import models

from .models import AuditLogEntry

# Keys whose values never go into an audit entry.
_SECRET_KEYS = {"password", "password1", "password2", "token", "code", "secret", "access_code"}


def _mask(data):
    if isinstance(data, dict):
        return {k: "***" if k in _SECRET_KEYS else _mask(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_mask(v) for v in data]
    return data


def client_ip(request):
    """The client's address, trusting only as many proxies as configured."""
    proxies = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def target_label(target):
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk), str(target)[:255]
    if isinstance(target, type) and issubclass(target, models.Model):
        return target._meta.label_lower, "", str(target._meta.verbose_name_plural)
    return str(target), "", str(target)[:255]


def record_access(*, actor, action, target, request=None, purpose="", data=None):
    """Write one audit entry.

    `target` is a model instance, a model class (for lists and exports of many
    rows) or a short text. `data` must not hold the personal data itself, only
    what identifies the access (filters, row counts, file names).
    """
    target_type, target_id, target_repr = target_label(target)
    entry = AuditLogEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_email=getattr(actor, "email", "") or "",
        actor_role=getattr(actor, "role", "") or "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        purpose=purpose[:255],
        data=_mask(data or {}),
    )
    if request is not None:
        entry.ip_address = client_ip(request)
        entry.user_agent = request.META.get("HTTP_USER_AGENT", "")[:255]
        entry.request_path = request.get_full_path()[:500]
    entry.save()
    return entry
