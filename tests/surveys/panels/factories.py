"""Pools, registers and selections for the panel tests."""

import csv
import io
from datetime import date

from areas.models import Area
from portal.audit import Actor
from surveys import services as survey_services
from surveys.panels import services
from surveys.panels.demo import demo_pool_csv
from tests.surveys.factories import LEGAL, person, register_csv, sample_districts

SYSTEM = Actor.for_system("tests")


def area_register():
    """Areas from the sample, and a register whose A01 adults are known:
    60 in 桜ヶ丘一丁目 and 40 in 桜ヶ丘二丁目; 50 men and 50 women; ages
    spread over the bands."""
    sample_districts()
    rows = []
    births = ["1996-05-01", "1986-05-01", "1976-05-01", "1966-05-01", "1956-05-01", "1946-05-01"]
    for n in range(100):
        rows.append(
            person(
                f"{n:05d}",
                birth=births[n % 6],
                sex="1" if n % 2 else "2",
                district="A0101" if n < 60 else "A0102",
            )
        )
    # A child and a resident of another area: never counted.
    rows.append(person("90000", birth="2020-01-01", district="A0101"))
    rows.append(person("90001", district="A0201"))
    survey_services.import_register(
        data=register_csv(rows), reference_date=date(2026, 10, 1), by=SYSTEM, **LEGAL
    )
    return Area.objects.get(code="A01")


def pool_csv(rows, header=("ID", "年代", "性別", "地区", "氏名", "メールアドレス")):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def demo_selection(*, area=None, size=10, reserves=5, seed=7, by=SYSTEM, margin=1):
    return services.start_selection(
        title="テストの選出",
        area=area,
        source="files",
        size=size,
        reserves=reserves,
        algorithm="leximin",
        seed=seed,
        margin=margin,
        people_data=demo_pool_csv(),
        people_name="pool.csv",
        by=by,
    )


def completed_selection(**kwargs):
    selection = demo_selection(**kwargs)
    bounds = {(q["feature"], q["value"]): (q["min"], q["max"]) for q in selection.quotas}
    try:
        selection = services.set_quotas(selection=selection, bounds=bounds, by=SYSTEM)
    except services.QuotasInfeasible:
        bounds = {k: (0, v[1] + 2) for k, v in bounds.items()}
        selection = services.set_quotas(selection=selection, bounds=bounds, by=SYSTEM)
    return services.run_selection(selection=selection, by=SYSTEM)
