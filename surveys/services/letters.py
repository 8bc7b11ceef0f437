"""Invitation letters: A4, folded in three into a 長形3号 window envelope.

The address block sits where the envelope's window is; window position and
size differ by envelope maker, so they are a setting (`SURVEYS_LETTER_WINDOW_MM`,
x/y/width/height in mm from the sheet's top left) and a calibration page
shows where the block will print. WeasyPrint renders in chunks so a large
draw reports progress; the pages are merged into one PDF.
"""

import importlib.util
from pathlib import Path

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.errors import ServiceError

from ..models import Draw, Invitation
from . import codes

WINDOW_DEFAULT_MM = {"x": 23, "y": 14, "width": 90, "height": 45}
CHUNK = 100
FONT_FAMILY = '"Noto Sans CJK JP", "IPAexGothic", sans-serif'


def window_mm():
    return {**WINDOW_DEFAULT_MM, **getattr(settings, "SURVEYS_LETTER_WINDOW_MM", {})}


def _fallback_font():
    """IPAexGothic as shipped by the matplotlib-fontja package, where installed
    (a machine without Noto Sans CJK JP still embeds a Japanese font)."""
    spec = importlib.util.find_spec("matplotlib_fontja")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        for path in Path(location).rglob("ipaexg*.ttf"):
            return path.as_uri()
    return None


def answer_link(answer_url, code):
    return f"{answer_url}?code={codes.display(code)}"


def qr_svg(url):
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def _context(draw, items, *, calibration=False):
    return {
        "draw": draw,
        "letters": items,
        "window": window_mm(),
        "font_family": FONT_FAMILY,
        "fallback_font": _fallback_font(),
        "calibration": calibration,
        "issued_on": timezone.localdate(),
    }


def _letter_items(draw, invitations, answer_url):
    for invitation in invitations:
        resident = invitation.resident
        code = codes.decrypt(invitation.code_encrypted)
        link = answer_link(answer_url, code)
        yield {
            "number": invitation.number,
            "postal_code": resident.postal_code,
            "address": resident.address,
            "name": resident.name,
            "code": codes.display(code),
            "qr": qr_svg(link),
            "url": answer_url,
        }


def _render(html):
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).render()


def letters_pdf(draw, *, answer_url, progress=None):
    """(pdf bytes, number of letters) for the draw's invitations with a resident."""
    invitations = (
        draw.invitations.filter(resident__isnull=False)
        .select_related("resident")
        .order_by("number")
    )
    total = invitations.count()
    if not total:
        raise ServiceError(_("印刷できる案内がありません（名簿が消去されています）。"))
    documents = []
    done = 0
    for start in range(0, total, CHUNK):
        chunk = list(_letter_items(draw, invitations[start : start + CHUNK], answer_url))
        html = render_to_string("surveys/letters.html", _context(draw, chunk))
        documents.append(_render(html))
        done += len(chunk)
        if progress:
            progress(done, total)
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf(), total


def print_letters(*, draw, answer_url, by, progress=None):
    """Render the draw's letters into one PDF kept with the draw (private storage)."""
    pdf, count = letters_pdf(draw, answer_url=answer_url, progress=progress)
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=draw.pk)
        if draw.letters:
            draw.letters.delete(save=False)
        draw.letters.save(f"letters-{draw.pk}.pdf", ContentFile(pdf), save=False)
        draw.letters_count = count
        draw.save(update_fields=["letters", "letters_count"])
        audit.record(
            by=by,
            action="surveys.letters.printed",
            target=draw,
            data={"letters": count, **draw.legal_basis_audit()},
        )
    return draw


def calibration_pdf():
    """One page with the window outlined and a sample address in it."""
    sample = {
        "number": 0,
        "postal_code": "206-0011",
        "address": "架空市関戸一丁目1番1号",
        "name": "見本 太郎",
        "code": "XXXX-XXXX-XXXX",
        "qr": qr_svg("https://example.jp/"),
        "url": "https://example.jp/",
    }
    html = render_to_string("surveys/letters.html", _context(None, [sample], calibration=True))
    return _render(html).write_pdf()


def invitation_count(draw):
    return Invitation.objects.filter(draw=draw).count()
