"""Benchmark: grant-report PDFs (WeasyPrint, Noto Sans CJK JP).

Figures, each beside a baseline measured in the same run and database:
- render time of a 10-page grant report (target < 2 s); baseline: a 1-page report;
- memory growth (RSS) over a batch of 200 applications through the portal's
  batch export, which writes each PDF to a zip on disk as it goes (target:
  flat, < 40 MB growth); baseline: the same renders kept in a list in memory;
- the invitation letters of a 1,000-resident draw as one PDF (target < 30 s,
  peak memory flat: the 1,000-letter peak within 1.3 x the 200-letter one),
  each size alone in a child process (its peak RSS counts the largest of its
  worker processes too); baseline: the 200 letters.

    python bench/grants_pdf.py            # 200 applications; 200 and 1,000 letters
    QUICK=1 python bench/grants_pdf.py    # 20 applications; 20 and 100 letters
"""

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness  # noqa: E402

TARGET_SECONDS = 2.0
TARGET_GROWTH_MB = 40.0
TARGET_LETTERS_SECONDS = 30.0
TARGET_FLAT = 1.3
rss_mb = harness.rss_mb


def make_data(applications):
    from areas.models import Area, Organisation
    from grants.models import Application, BudgetLine, Programme
    from portal.models import User

    area = Area.objects.create(code="BENCH", name="ベンチ地域")
    user = User.objects.create_user(email="bench@example.jp", password="x")
    programme = Programme.objects.create(
        name="市民提案型まちづくり事業", kind="proposal", fiscal_year=2026, budget=10**9
    )
    apps = []
    for n in range(applications + 2):
        organisation = Organisation.objects.create(name=f"ベンチ自治会{n}", kind="jichikai")
        apps.append(
            Application.objects.create(
                programme=programme,
                organisation=organisation,
                area=area,
                applicant=user,
                title=f"地域の居場所づくり{n}",
                purpose="高齢者と子育て世代が集まれる場をつくる。" * 5,
                plan="毎月1回、集会所でつどいをひらく。" * 20,
                status="submitted",
                requested_amount=100_000,
            )
        )
    long_app, short_app = apps[0], apps[1]
    BudgetLine.objects.bulk_create(
        BudgetLine(application=long_app, kind="expense", item=f"消耗品 {i}", amount=1000 + i)
        for i in range(190)
    )
    BudgetLine.objects.create(application=short_app, kind="expense", item="印刷費", amount=50_000)
    return programme, long_app, short_app, [a.pk for a in apps[2:]]


def page_count(data):
    import subprocess

    info = subprocess.run(
        ["/usr/bin/pdfinfo", "-"], input=data, capture_output=True, check=False
    ).stdout
    for line in info.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def time_report(application):
    from grants.pdf import render_pdf
    from grants.services.exports import report_context

    best, pages = None, 0
    for _ in range(3):
        started = time.perf_counter()
        data = render_pdf("grants/pdf/grant_report.html", report_context(application))
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
        pages = page_count(data)
    return best, pages


def grant_figures(quick):
    batch = 20 if quick else 200
    from grants.models import Application
    from grants.pdf import render_pdf
    from grants.services.exports import new_export, render_batch, report_context
    from portal.audit import Actor

    programme, long_app, short_app, ids = make_data(batch)
    render_pdf("grants/pdf/grant_report.html", report_context(short_app))  # warm up fonts
    long_seconds, long_pages = time_report(long_app)
    short_seconds, short_pages = time_report(short_app)

    by = Actor.for_system("bench")
    # Baseline first: keep every PDF in memory.
    kept, baseline_samples = [], []
    for pk in ids:
        app = Application.objects.get(pk=pk)
        kept.append(render_pdf("grants/pdf/grant_report.html", report_context(app)))
        baseline_samples.append(rss_mb())
    baseline_growth = max(baseline_samples) - baseline_samples[0]
    del kept
    samples = []
    export = new_export(programme=programme, by=by)
    render_batch(
        export_id=export.pk,
        application_ids=ids,
        by=by,
        progress=lambda done, total: samples.append(rss_mb()),
    )
    growth = max(samples) - samples[0]
    Figure = harness.Figure
    return [
        Figure(
            f"grant report PDF, {long_pages} pages",
            long_seconds,
            "s",
            short_seconds,
            f"a {short_pages}-page grant report",
            *harness.below(long_seconds, TARGET_SECONDS, "s"),
        ),
        Figure(
            f"grant report batch of {len(ids)}: RSS growth",
            growth,
            "MB",
            baseline_growth,
            "the same batch kept in memory",
            *harness.below(growth, TARGET_GROWTH_MB, "MB"),
        ),
    ]


# --- letters of a draw: one PDF, each size alone in a measured child -----------


def letters_work(draw_id):
    harness.worker_setup()
    from surveys.models import Draw
    from surveys.services.letters import write_letters

    draw = Draw.objects.get(pk=draw_id)
    started = time.perf_counter()
    # Into a temporary file, as print_letters does before the file goes to storage.
    with tempfile.TemporaryFile() as out:
        count = write_letters(draw, out, answer_url="https://example.jp/surveys/answer/")
        size = out.tell()
    seconds = time.perf_counter() - started
    print(json.dumps({"letters": count, "seconds": seconds, "bytes": size}))


def letters_figures(quick):
    import surveys_register_import as registers
    from django.db import connections

    from portal.audit import Actor
    from surveys.models import Register
    from surveys.services import draws

    small, large = (20, 100) if quick else (200, 1000)
    registers.make_districts()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.csv"
        registers.write_register(path, 5_000)
        registers.run_import(path, "2026-10-01")
    register = Register.objects.get()
    by = Actor.for_system("bench")
    measured = {}
    for size in (small, large):
        draw = draws.draw_sample(
            register=register,
            size=size,
            seed=f"letters-{size}",
            method="simple",
            purpose="ベンチマーク",
            legal_basis="ベンチマーク",
            by=by,
        )
        connections.close_all()
        peak, result = harness.measure_child([sys.executable, __file__, "--letters", str(draw.pk)])
        assert result["letters"] == size, result
        measured[size] = {**result, "peak_mb": peak}
    flat = measured[large]["peak_mb"] / measured[small]["peak_mb"]
    label = f"the letters of a {small:,}-resident draw, the same way"
    Figure = harness.Figure
    return [
        Figure(
            f"letters of a {large:,}-resident draw as one PDF",
            measured[large]["seconds"],
            "s",
            measured[small]["seconds"],
            label,
            # 30 s for 1,000 letters; a QUICK run's smaller draw gets its share.
            *harness.below(measured[large]["seconds"], TARGET_LETTERS_SECONDS * large / 1000, "s"),
        ),
        Figure(
            f"letters of a {large:,}-resident draw: peak RSS",
            measured[large]["peak_mb"],
            "MB",
            measured[small]["peak_mb"],
            label,
        ),
        Figure(
            f"letters peak RSS, {large:,} / {small:,} letters",
            flat,
            "x",
            None,
            "",
            *harness.below(flat, TARGET_FLAT, "x (flat)"),
        ),
    ]


def run(quick):
    harness.django_setup()
    return grant_figures(quick) + letters_figures(quick)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--letters":
        letters_work(int(sys.argv[2]))
    else:
        harness.main(run)
