from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("ポータル")

    def ready(self):
        from . import checks  # noqa: F401

        # Each app lists its pages in its own navigation.py.
        autodiscover_modules("navigation")
