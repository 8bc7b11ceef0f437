"""Benchmark: grant-report PDFs (WeasyPrint, Noto Sans CJK JP).

Figures, each beside a baseline measured in the same run and database:
- render time of a 10-page grant report (target < 2 s); baseline: a 1-page report;
- memory growth (RSS) over a batch of 200 applications through the portal's
  batch export, which writes each PDF to a zip on disk as it goes (target:
  flat, < 40 MB growth); baseline: the same renders kept in a list in memory.

    python bench/grants_pdf.py            # 200 applications
    QUICK=1 python bench/grants_pdf.py    # 40 applications
"""

import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "grants_pdf.json"
TARGET_SECONDS = 2.0
TARGET_GROWTH_MB = 40.0


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


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


def main():
    quick = os.environ.get("QUICK") == "1"
    batch = 40 if quick else 200
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
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
        if os.environ.get("VERBOSE"):
            print([round(x) for x in samples])
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    figures = [
        (f"grant report, {long_pages} pages", long_seconds, short_seconds, "s", TARGET_SECONDS),
        (f"RSS growth, batch of {len(ids)}", growth, baseline_growth, "MB", TARGET_GROWTH_MB),
    ]
    print(f"Grant-report PDFs ({connection.vendor}); baselines: a {short_pages}-page report,")
    print("and the same batch kept in memory")
    print(f"{'':34} {'value':>10} {'baseline':>10} {'ratio':>7} {'target':>10} {'met':>5}")
    rows = []
    for label, value, baseline, unit, target in figures:
        ratio = value / baseline if baseline else float("nan")
        met = value < target
        print(
            f"{label:34} {value:>7.2f} {unit:>2} {baseline:>7.2f} {unit:>2} {ratio:>6.2f}x"
            f" {'< ' + format(target, 'g') + ' ' + unit:>10} {'yes' if met else 'NO':>5}"
        )
        rows.append(
            {
                "figure": label,
                "value": round(value, 3),
                "baseline": round(baseline, 3),
                "unit": unit,
                "ratio": round(ratio, 4),
                "target": f"< {target:g} {unit}",
                "met": met,
            }
        )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "grants_pdf",
                "quick": quick,
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "figures": rows,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
