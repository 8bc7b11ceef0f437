import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

from portal.checks import warn_if_cache_is_per_process  # noqa: E402  (needs settings)

warn_if_cache_is_per_process()
