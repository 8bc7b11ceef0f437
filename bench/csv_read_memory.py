"""Benchmark: peak memory of reading a register-sized CSV file.

Generates two CP932 files shaped like a 住民基本台帳 extract (12 columns,
fake names and addresses from a fixed seed), then reads every row of each in
a fresh process, once through `portal.csvio.read_csv` (streaming) and once
the way a first importer usually does it (read the whole file, decode it,
csv.reader over a StringIO into a list). Peak RSS comes from
os.wait4 on that one child, so no measurement sees another's peak. No
database: this is the reading alone.

    python bench/csv_read_memory.py          # 150,000 and 1,000,000 rows
    QUICK=1 python bench/csv_read_memory.py  # 15,000 and 100,000 rows
"""

import csv
import io
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness  # noqa: E402

COLUMNS = (
    "住民番号",
    "氏名",
    "氏名カナ",
    "生年月日",
    "性別",
    "郵便番号",
    "住所",
    "方書",
    "町丁目コード",
    "世帯番号",
    "続柄",
    "異動日",
)
SURNAMES = [
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("髙橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("山﨑", "ヤマサキ"),
    ("吉田", "ヨシダ"),
    ("斎藤", "サイトウ"),
]
GIVEN_NAMES = [
    ("太郎", "タロウ", "男"),
    ("一郎", "イチロウ", "男"),
    ("健太", "ケンタ", "男"),
    ("翔", "ショウ", "男"),
    ("花子", "ハナコ", "女"),
    ("陽菜", "ヒナ", "女"),
    ("美咲", "ミサキ", "女"),
    ("結衣", "ユイ", "女"),
]
TOWNS = ["桜ヶ丘", "緑町", "本町", "旭町", "東町", "若葉台", "富士見", "中央"]
BUILDINGS = ["", "", "", "コーポ桜", "ハイツ緑", "グランドメゾン本町"]
RELATIONS = ["世帯主", "妻", "夫", "子", "子", "母", "父"]
TARGET_PEAK_MB = 300
TARGET_GROWTH = 1.3


def register_rows(count, seed=20260401):
    rng = random.Random(seed)
    born_from = date(1930, 1, 1)
    moved_from = date(1990, 1, 1)
    household = 0
    for n in range(1, count + 1):
        if n == 1 or rng.random() < 0.45:
            household += 1
        surname, surname_kana = rng.choice(SURNAMES)
        given, given_kana, gender = rng.choice(GIVEN_NAMES)
        town = rng.randrange(len(TOWNS))
        chome = rng.randint(1, 5)
        building = rng.choice(BUILDINGS)
        yield [
            f"{n:010d}",
            f"{surname}\u3000{given}",
            f"{surname_kana}\u3000{given_kana}",
            (born_from + timedelta(days=rng.randrange(30000))).isoformat(),
            gender,
            f"206-{rng.randrange(10000):04d}",
            f"東京都架空市{TOWNS[town]}{chome}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号",
            f"{building}{rng.randint(1, 5)}0{rng.randint(1, 9)}号室" if building else "",
            f"{town + 1:02d}{chome:03d}",
            f"{household:08d}",
            rng.choice(RELATIONS),
            (moved_from + timedelta(days=rng.randrange(13000))).isoformat(),
        ]


def write_register(path, rows):
    with open(path, "w", encoding="cp932", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(register_rows(rows))
    return path.stat().st_size


# --- the two readers, each run alone in its own process ----------------------


def read_streaming(path):
    from portal.csvio import read_csv

    with open(path, "rb") as handle:
        reader = read_csv(handle, columns=COLUMNS)
        rows = sum(1 for _row in reader)
    assert reader.error_count == 0, reader.errors[:5]
    return rows


def read_baseline(path):
    """Whole file in memory, decoded, every row in a list."""
    data = Path(path).read_bytes()
    text = data.decode("cp932")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return len(rows) - 1


READERS = {"read_csv": read_streaming, "baseline": read_baseline}


def work(mode, path):
    # Both readers start from the same loaded Django project, so the
    # difference is the reading alone.
    harness.worker_setup()
    started = time.perf_counter()
    rows = READERS[mode](path)
    print(json.dumps({"rows": rows, "seconds": time.perf_counter() - started}))


def measure(mode, path):
    """Run one reader alone in a child process; its rows, seconds and peak RSS."""
    peak, result = harness.measure_child([sys.executable, __file__, "--work", mode, str(path)])
    return {**result, "peak_mb": peak}


def run(quick):
    small, large = (15_000, 100_000) if quick else (150_000, 1_000_000)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rows in (small, large):
            path = Path(tmp) / f"register_{rows}.csv"
            size = write_register(path, rows)
            results[rows] = {"file_mb": size / 1024 / 1024}
            for mode in READERS:
                measured = measure(mode, path)
                assert measured["rows"] == rows, measured
                results[rows][mode] = measured

    def peak(rows, mode):
        return results[rows][mode]["peak_mb"]

    def seconds(rows, mode):
        return results[rows][mode]["seconds"]

    label = "read the whole file, decode it, list every row (same loaded project)"
    growth = peak(large, "read_csv") / peak(small, "read_csv")
    base_growth = peak(large, "baseline") / peak(small, "baseline")
    Figure = harness.Figure
    return [
        Figure(
            f"read_csv peak RSS, {small:,} CP932 rows",
            peak(small, "read_csv"),
            "MB",
            peak(small, "baseline"),
            label,
        ),
        Figure(
            f"read_csv peak RSS, {large:,} CP932 rows ({results[large]['file_mb']:.0f} MB)",
            peak(large, "read_csv"),
            "MB",
            peak(large, "baseline"),
            label,
            *harness.below(peak(large, "read_csv"), TARGET_PEAK_MB, "MB"),
        ),
        Figure(
            f"read_csv peak RSS {large:,} / {small:,} rows",
            growth,
            "x",
            base_growth,
            label,
            *harness.below(growth, TARGET_GROWTH, "x"),
        ),
        Figure(
            f"read_csv time, {large:,} rows",
            seconds(large, "read_csv"),
            "s",
            seconds(large, "baseline"),
            label,
        ),
    ]


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--work":
        work(sys.argv[2], sys.argv[3])
    else:
        harness.main(run)
