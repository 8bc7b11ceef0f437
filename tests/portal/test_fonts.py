"""A machine without Noto Sans CJK still gets a Japanese font for PDFs and
charts: IPAexGothic from the matplotlib-fontja dependency."""

import shutil
import subprocess

import pytest

from portal.fonts import BUNDLED_FONT_NAME, bundled_font_path, register_bundled_font_with_matplotlib


def test_the_bundled_font_is_installed_with_the_portal():
    path = bundled_font_path()
    assert path is not None and path.suffix == ".ttf"
    assert path.read_bytes()[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="needs poppler-utils (pdffonts)")
def test_a_pdf_set_in_the_bundled_font_embeds_it():
    from weasyprint import HTML

    font = bundled_font_path().as_uri()
    html = (
        f"<style>@font-face {{ font-family: IPAexGothic; src: url('{font}'); }}"
        " @page { font-family: IPAexGothic; } body { font-family: IPAexGothic; }</style>"
        "<p>地域協働ポータル 住民の皆さまへ</p>"
    )
    pdf = HTML(string=html).write_pdf()
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True)
    rows = [line.split() for line in fonts.stdout.decode().splitlines()[2:]]
    # The one font, embedded (emb = yes) and subset.
    assert [(row[0].split("+")[-1], row[-5]) for row in rows] == [("IPAexGothic", "yes")]


def test_matplotlib_knows_the_bundled_font():
    from matplotlib import font_manager

    register_bundled_font_with_matplotlib()
    found = font_manager.findfont(
        font_manager.FontProperties(family=BUNDLED_FONT_NAME), fallback_to_default=False
    )
    assert found.endswith("ipaexg.ttf")
