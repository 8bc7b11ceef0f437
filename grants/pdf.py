"""PDF rendering with WeasyPrint: A4, a Japanese font embedded, page
numbers as "3 / 10", tables whose header repeats on every page.

The print stylesheet (templates/grants/pdf/print.css) and the font
configuration it is loaded with are built once per thread and reused by every
render (portal.pdf.stylesheet): a batch of reports loads them once.
"""

import functools
from pathlib import Path

from django.template.loader import render_to_string

from portal.fonts import bundled_font_path
from portal.pdf import gc_paused, stylesheet

FONT_FAMILY = "Noto Sans CJK JP"
SYSTEM_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
)


@functools.lru_cache(maxsize=1)
def font_face_css():
    """An @font-face for the body font: Noto Sans CJK JP from the system
    (Debian fonts-noto-cjk), else IPAexGothic shipped by the pip package
    matplotlib-fontja. Empty when neither is there (fontconfig decides)."""
    if _system_font() is not None:
        # Installed: fontconfig finds it by name (the .ttc holds every weight).
        return "", f'"{FONT_FAMILY}"'
    path = bundled_font_path()
    if path is None:
        return "", f'"{FONT_FAMILY}", sans-serif'
    return (
        f'@font-face {{ font-family: "IPAexGothic"; src: url("{Path(path).as_uri()}"); }}',
        '"IPAexGothic"',
    )


def _system_font():
    for candidate in SYSTEM_FONT_FILES:
        if Path(candidate).exists():
            return candidate
    for found in Path("/usr/share/fonts").rglob("NotoSansCJK-Regular.tt[cf]"):
        return str(found)
    return None


@functools.lru_cache(maxsize=1)
def stylesheet_text():
    """The print stylesheet of the grant PDFs with the body font filled in."""
    font_css, family = font_face_css()
    return render_to_string("grants/pdf/print.css", {"font_css": font_css, "font_family": family})


def render_pdf(template, context):
    """The PDF bytes of `template` rendered with `context`."""
    # WeasyPrint costs 1.2 s at start-up; only the PDF downloads need it.
    from weasyprint import HTML

    css, font_config = stylesheet(stylesheet_text())
    html = render_to_string(template, context)
    with gc_paused():
        return HTML(string=html, base_url=None).write_pdf(
            stylesheets=[css], font_config=font_config
        )
