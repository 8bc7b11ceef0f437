"""What the apps' WeasyPrint renders share."""

import atexit
import contextlib
import gc
import threading


@contextlib.contextmanager
def gc_paused():
    """The cyclic garbage collector paused while a document is laid out.

    A render allocates hundreds of thousands of small objects that live until
    it ends (boxes, styles, text layouts); the collector would run hundreds of
    times on the way, each time walking the objects still alive, for nothing:
    measured, a quarter of a 10-page grant report's render time. What the
    render leaves behind is freed by reference counting, or by the
    collector's first run after the render."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_local = threading.local()


@atexit.register
def _forget_stylesheets():
    # Free the cached font configurations while WeasyPrint's modules are
    # still there (freed at interpreter teardown, they print an error).
    _local.__dict__.pop("stylesheets", None)


def stylesheet(css_text):
    """(CSS, FontConfiguration) for a stylesheet's text, loaded once per
    thread and reused by every render (a FontConfiguration is not shared by
    threads rendering at once)."""
    cache = _local.__dict__.setdefault("stylesheets", {})
    cached = cache.get(css_text)
    if cached is None:
        # WeasyPrint costs 1.2 s at start-up; only the PDF downloads need it.
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        cached = cache[css_text] = (CSS(string=css_text, font_config=font_config), font_config)
    return cached


def write_pdf_file(html, css_text, base_url, path):
    """Lay out `html` with the stylesheet `css_text` and write the PDF to `path`.

    Needs no Django: it runs in this process or in a worker of `write_pdf_files`.
    """
    # WeasyPrint costs 1.2 s at start-up; only the PDF downloads need it.
    from weasyprint import HTML

    css, font_config = stylesheet(css_text)
    with gc_paused():
        HTML(string=html, base_url=base_url).write_pdf(
            path, stylesheets=[css], font_config=font_config
        )
    # The layout's cycles go now, before the next document is laid out.
    gc.collect()
    return path


def write_pdf_files(documents, css_text, *, base_url=None, processes=1, done=None):
    """Write each (html, path, size) of `documents` to its PDF file.

    With `processes` > 1 the layouts run in that many worker processes while
    this process prepares the next documents. The workers are spawned fresh:
    they hold no database connection or lock of this process (as with any
    spawned process, the program's main module must be safe to import). At
    most one document per worker waits in the queue, so memory stays that of
    a few documents. `done(size)` is called for each document written, in
    order.
    """
    import multiprocessing

    done = done or (lambda size: None)
    if multiprocessing.current_process().daemon:
        # A celery prefork worker's process is daemonic and may not start
        # children: lay the documents out here, one after another.
        processes = 1
    if processes <= 1:
        for html, path, size in documents:
            write_pdf_file(html, css_text, base_url, str(path))
            done(size)
        return
    import collections
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        pending = collections.deque()
        for html, path, size in documents:
            pending.append((pool.submit(write_pdf_file, html, css_text, base_url, str(path)), size))
            while len(pending) > processes:
                future, written = pending.popleft()
                future.result()
                done(written)
        while pending:
            future, written = pending.popleft()
            future.result()
            done(written)
