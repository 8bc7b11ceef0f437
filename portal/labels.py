"""Names for people to read where the data holds a code."""

from django.apps import apps


def target_type_label(target_type):
    """`portal.auditlogentry` → the model's verbose name (監査ログ / audit log entry).

    A type whose model no longer exists is shown as stored.
    """
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return target_type
    return str(model._meta.verbose_name)
