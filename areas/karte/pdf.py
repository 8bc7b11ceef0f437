"""The printable karte (WeasyPrint, A4, Japanese font embedded).

Rendering takes most of a second of CPU, so the bytes are kept in the cache
under a digest of the page they were made from: the same figures give the
same PDF at once, and any change to them (a new page) a new one.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

FONT_FAMILY = '"Noto Sans CJK JP", "IPAexGothic", sans-serif'


CACHE_SECONDS = 60 * 60


def render_pdf(context):
    """PDF bytes of the karte, from the cache when the page is unchanged."""
    html = render_to_string(
        "areas/karte/karte_pdf.html",
        {**context, "font_family": FONT_FAMILY, "city_name": settings.PORTAL_CITY_NAME},
    )
    key = "karte-pdf:" + hashlib.sha256(html.encode()).hexdigest()
    stored = cache.get(key)
    if stored is not None:
        return stored
    pdf = write_pdf(html)
    cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def write_pdf(html):
    """PDF bytes of a page. Only data: URIs (the charts) are fetched."""
    # WeasyPrint costs 1.2 s at start-up; only the PDF downloads need it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class InlineOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith("data:"):
                raise ValueError(f"refused to fetch {url[:80]}")
            return super().fetch(url, headers)

    fetcher = InlineOnly(allowed_protocols=("data",), allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf()
