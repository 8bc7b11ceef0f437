"""Invitation letters: A4, folded in three into a 長形3号 window envelope.

The address block sits where the envelope's window is; window position and
size differ by envelope maker, so they are a setting (`SURVEYS_LETTER_WINDOW_MM`,
x/y/width/height in mm from the sheet's top left) and a calibration page
shows where the block will print.

A draw of a thousand residents prints in chunks of `CHUNK` letters: each
chunk is laid out by WeasyPrint in a worker process (`processes()`) and
written to its own PDF on disk, and the chunks are then concatenated (pypdf)
into one file, so memory stays the size of a chunk whatever the draw's size.
The QR code is a small PNG (an SVG would be parsed and drawn module by module
for every letter); the body is laid out with blocks, no flex.
"""

import io
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, pdf
from portal.errors import ServiceError
from portal.fonts import bundled_font_path

from ..models import Draw, Invitation
from . import codes

CHUNK = 100
FONT_FAMILY = '"Noto Sans CJK JP", "IPAexGothic", sans-serif'


def _fallback_font_uri():
    """IPAexGothic of matplotlib-fontja (a machine without Noto Sans CJK JP
    still embeds a Japanese font)."""
    path = bundled_font_path()
    return path.as_uri() if path else None


def window_mm():
    return settings.SURVEYS_LETTER_WINDOW_MM


def answer_link(answer_url, code):
    """The QR code's address. The code goes after "#": browsers never send
    that part, so it reaches no server, proxy or access log; the answer page
    reads it in the browser and posts it."""
    return f"{answer_url}#{codes.display(code)}"


def qr_png(url):
    """The QR code of `url` as a PNG data URI: 4 pixels a module, a quiet
    zone of 2 modules, printed with `image-rendering: pixelated` (sharp edges)."""
    # segno costs 0.02 s at start-up; only the letters need it.
    import segno

    return segno.make(url, error="m").png_data_uri(scale=4, border=2)


def _context(draw, items, *, calibration=False):
    return {
        "draw": draw,
        "letters": items,
        "calibration": calibration,
        "issued_on": timezone.localdate(),
    }


def _stylesheet():
    """The letters' print stylesheet (the window position is a setting)."""
    return render_to_string(
        "surveys/letters.css",
        {"window": window_mm(), "font_family": FONT_FAMILY, "fallback_font": _fallback_font_uri()},
    )


def processes():
    """Worker processes laying out the chunks of a large draw at once
    (`SURVEYS_LETTER_PROCESSES`; default: the CPU cores this process may use,
    at most 4, as each worker holds a chunk's layout in memory)."""
    if settings.SURVEYS_LETTER_PROCESSES:
        return max(1, settings.SURVEYS_LETTER_PROCESSES)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, 4))


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
            "qr": qr_png(link),
            "url": answer_url,
        }


def write_letters(draw, out, *, answer_url, progress=None):
    """Write one PDF of the draw's letters (invitations with a resident) to
    the binary file `out`; returns the number of letters."""
    # pypdf costs 0.15 s at start-up; only printing the letters needs it.
    from pypdf import PdfWriter

    invitations = (
        draw.invitations.filter(resident__isnull=False)
        .select_related("resident")
        .order_by("number")
    )
    total = invitations.count()
    if not total:
        raise ServiceError(_("印刷できる案内がありません（名簿が消去されています）。"))
    css = _stylesheet()
    with tempfile.TemporaryDirectory(prefix="letters-") as folder:
        chunks = [Path(folder) / f"{start:07d}.pdf" for start in range(0, total, CHUNK)]

        def documents():
            for path, start in zip(chunks, range(0, total, CHUNK), strict=True):
                chunk = list(_letter_items(draw, invitations[start : start + CHUNK], answer_url))
                html = render_to_string("surveys/letters.html", _context(draw, chunk))
                yield html, path, len(chunk)

        written = 0

        def done(size):
            nonlocal written
            written += size
            if progress:
                progress(written, total)

        pdf.write_pdf_files(
            documents(),
            css,
            base_url=str(settings.BASE_DIR),
            processes=min(processes(), len(chunks)),
            done=done,
        )
        if len(chunks) == 1:
            with chunks[0].open("rb") as single:
                shutil.copyfileobj(single, out)
        else:
            writer = PdfWriter()
            for path in chunks:
                writer.append(str(path))
            writer.write(out)
            writer.close()
    return total


def letters_pdf(draw, *, answer_url, progress=None):
    """(pdf bytes, number of letters) for the draw's invitations with a resident."""
    out = io.BytesIO()
    count = write_letters(draw, out, answer_url=answer_url, progress=progress)
    return out.getvalue(), count


def print_letters(*, draw, answer_url, by, progress=None):
    """Render the draw's letters into one PDF kept with the draw (private
    storage), through a temporary file: the PDF is never held in memory whole."""
    with tempfile.TemporaryFile() as spool:
        count = write_letters(draw, spool, answer_url=answer_url, progress=progress)
        spool.seek(0)
        with transaction.atomic():
            draw = Draw.objects.select_for_update().get(pk=draw.pk)
            if draw.letters:
                draw.letters.delete(save=False)
            draw.letters.save(f"letters-{draw.pk}.pdf", File(spool), save=False)
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
        "qr": qr_png("https://example.jp/"),
        "url": "https://example.jp/",
    }
    html = render_to_string("surveys/letters.html", _context(None, [sample], calibration=True))
    with tempfile.TemporaryDirectory(prefix="calibration-") as folder:
        path = Path(folder) / "calibration.pdf"
        pdf.write_pdf_file(html, _stylesheet(), str(settings.BASE_DIR), str(path))
        return path.read_bytes()


def invitation_count(draw):
    return Invitation.objects.filter(draw=draw).count()
