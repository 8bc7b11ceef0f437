"""Demo panel selections of 10 with quotas from the register: one from the
volunteer records of area A01 (made by the surveys demo), and one from an
uploaded file of 40 fake volunteers (fixed seed, Faker ja_JP)."""

import csv
import io
import random

from faker import Faker

from areas.models import Area, District
from portal.audit import Actor
from portal.models import Role, User

from . import services
from .models import PanelSelection
from .pools import AGE_BANDS, age_band

DEMO_TITLE = "北部地域 まちづくり会議の参加者（デモ）"
VOLUNTEERS_TITLE = "北部地域 まちづくり会議の参加者（デモ・アンケートの参加希望者から）"
VOLUNTEERS_SEED = 20261101
DEMO_SEED = 20261001
POOL_SEED = 4242
POOL_SIZE = 40
HEADER = ["ID", "年代", "性別", "地区", "氏名", "メールアドレス", "電話番号"]
# Volunteers lean older, as those of a real city do.
BAND_WEIGHTS = (2, 3, 4, 5, 7, 8)


def demo_pool_rows():
    """The demo pool's rows (the same on every run)."""
    fake = Faker("ja_JP")
    fake.seed_instance(POOL_SEED)
    rng = random.Random(POOL_SEED)
    districts = list(
        District.objects.filter(area__code="A01").order_by("code").values_list("name", flat=True)
    ) or ["桜ヶ丘一丁目", "桜ヶ丘二丁目", "関戸一丁目", "関戸二丁目", "一ノ宮"]
    rows = []
    for n in range(1, POOL_SIZE + 1):
        low, high = rng.choices(AGE_BANDS, weights=BAND_WEIGHTS)[0]
        age = rng.randint(low, high if high is not None else 85)
        female = rng.random() < 0.55
        name = fake.name_female() if female else fake.name_male()
        rows.append(
            [
                f"V{n:03d}",
                age_band(age),
                "女性" if female else "男性",
                rng.choice(districts),
                name,
                f"volunteer{n:03d}@example.jp",
                fake.phone_number(),
            ]
        )
    return rows


def demo_pool_csv():
    """The demo pool as a people file (UTF-8 with BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(demo_pool_rows())
    return buffer.getvalue().encode("utf-8-sig")


def _select(*, by, title, source, seed, area, **pool):
    selection = services.start_selection(
        title=title,
        area=area,
        source=source,
        size=10,
        reserves=5,
        algorithm=PanelSelection.Algorithm.LEXIMIN,
        seed=seed,
        margin=1,
        by=by,
        **pool,
    )
    bounds = {(q["feature"], q["value"]): (q["min"], q["max"]) for q in selection.quotas}
    try:
        selection = services.set_quotas(selection=selection, bounds=bounds, by=by)
    except services.QuotasInfeasible:
        # The register's mix cannot be met by these volunteers: widen to ±2.
        bounds = {k: (max(0, low - 1), high + 1) for k, (low, high) in bounds.items()}
        selection = services.set_quotas(selection=selection, bounds=bounds, by=by)
    return services.run_selection(selection=selection, by=by)


def seed(stdout):
    area = Area.objects.filter(code="A01").first()
    coordinator = User.objects.get(email="coordinator@example.jp")
    by = Actor.for_user(coordinator, Role.COORDINATOR)
    if not PanelSelection.objects.filter(title=VOLUNTEERS_TITLE).exists():
        from surveys import selectors

        if area is not None and len(selectors.volunteers_for_area(area)) >= 15:
            selection = _select(
                by=by,
                title=VOLUNTEERS_TITLE,
                source=PanelSelection.Source.VOLUNTEERS,
                seed=VOLUNTEERS_SEED,
                area=area,
            )
            stdout.write(
                f"surveys: selected a panel of {len(selection.panel)} from "
                f"{selection.pool_size} volunteer records of A01"
            )
    if not PanelSelection.objects.filter(title=DEMO_TITLE).exists():
        selection = _select(
            by=by,
            title=DEMO_TITLE,
            source=PanelSelection.Source.FILES,
            seed=DEMO_SEED,
            area=area,
            people_data=demo_pool_csv(),
            people_name="volunteers_A01.csv",
        )
        stdout.write(
            f"surveys: selected a panel of {len(selection.panel)} from "
            f"{selection.pool_size} volunteers in a file"
        )
