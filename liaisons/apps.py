from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonsConfig(AppConfig):
    name = "liaisons"
    verbose_name = _("地域担当職員")
