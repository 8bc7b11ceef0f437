from datetime import datetime, time

from django.utils import timezone

from .models import AuditLogEntry


def audit_log_entries(*, actor_email="", action="", target_type="", date_from=None, date_to=None):
    """Audit entries, newest first, filtered as the administrator asked."""
    entries = AuditLogEntry.objects.select_related("actor")
    if actor_email:
        entries = entries.filter(actor_email__icontains=actor_email)
    if action:
        # The filter offers the kinds (閲覧, 出力, …); codes are too many to list.
        entries = entries.filter(kind=action)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if date_from:
        start = timezone.make_aware(datetime.combine(date_from, time.min))
        entries = entries.filter(created_at__gte=start)
    if date_to:
        end = timezone.make_aware(datetime.combine(date_to, time.max))
        entries = entries.filter(created_at__lte=end)
    return entries


def audit_target_types():
    return (
        AuditLogEntry.objects.order_by("target_type")
        .values_list("target_type", flat=True)
        .distinct()
    )


def users_for_role_management(*, q="", role=""):
    """Accounts with their roles, for the administrators' roles page."""
    from django.db.models import Q

    from .models import User

    users = User.objects.prefetch_related("role_assignments").order_by("email")
    if q:
        users = users.filter(Q(email__icontains=q) | Q(full_name__icontains=q))
    if role:
        users = users.filter(role_assignments__role=role)
    return users
