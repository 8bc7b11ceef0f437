"""The printable karte (WeasyPrint, A4, Japanese font embedded)."""

from django.conf import settings
from django.template.loader import render_to_string

FONT_FAMILY = '"Noto Sans CJK JP", "IPAexGothic", sans-serif'


def render_pdf(context):
    """PDF bytes of the karte. Only data: URIs (the charts) are fetched."""
    # WeasyPrint costs 1.2 s at start-up; only the PDF downloads need it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class InlineOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith("data:"):
                raise ValueError(f"refused to fetch {url[:80]}")
            return super().fetch(url, headers)

    html = render_to_string(
        "areas/karte/karte_pdf.html",
        {**context, "font_family": FONT_FAMILY, "city_name": settings.PORTAL_CITY_NAME},
    )
    fetcher = InlineOnly(allowed_protocols=("data",), allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf()
