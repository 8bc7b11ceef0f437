from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

# The project's apps; portal imports their registering modules at start-up
# and never imports an app itself.
PROJECT_APPS = ("portal", "areas", "liaisons", "meetings", "surveys", "grants")
# Modules in each app that register something with portal or another app:
# permission rules, job handlers, navigation entries, `integrations`
# (what an app offers the others, e.g. meetings for the news digest) and
# `audit_actions` (the app's audit codes with their labels).
REGISTERING_MODULES = ("permissions", "jobs", "navigation", "integrations", "audit_actions")


def import_app_modules(name):
    for config in apps.get_app_configs():
        if config.name in PROJECT_APPS and module_has_submodule(config.module, name):
            import_module(f"{config.name}.{name}")


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("ポータル")

    def ready(self):
        from . import audit_checks, checks  # noqa: F401

        for name in REGISTERING_MODULES:
            import_app_modules(name)
