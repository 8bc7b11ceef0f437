from django.contrib import admin
from django.core.checks import Error, register


@register()
def check_personal_data_admin_is_audited(app_configs, **kwargs):
    """A model with personal data in the admin site must log every look at it."""
    from .admin import THIRD_PARTY_PERSONAL_DATA, AuditedAdminMixin

    problems = []
    for model, model_admin in admin.site._registry.items():
        personal = getattr(model, "audit_personal_data", False)
        if not personal and model._meta.label_lower not in THIRD_PARTY_PERSONAL_DATA:
            continue
        if not isinstance(model_admin, AuditedAdminMixin):
            problems.append(
                Error(
                    f"{model._meta.label} holds personal data but its admin "
                    f"{type(model_admin).__name__} is not audited.",
                    hint="Add portal.admin.AuditedAdminMixin to its ModelAdmin.",
                    obj=type(model_admin),
                    id="portal.E010",
                )
            )
    return problems
