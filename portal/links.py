"""Links that leave the portal (mails, letters, QR codes, open data) are
absolute: the path on the portal's public address, `PORTAL_BASE_URL`."""

from django.conf import settings


def site_url(path):
    """`path` (from `reverse()` or `get_absolute_url()`) on the portal's public address."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path
