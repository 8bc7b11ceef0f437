"""`manage.py select_panel` on the Sortition Foundation's files, and reproducibility across processes."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from portal.models import AuditLogEntry
from tests.surveys.sortition_pools import area_pool, features_csv, people_csv

ROOT = Path(__file__).resolve().parents[2]


def rows_of(path):
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def files(tmp_path):
    quotas, people = area_pool(80, 10, seed=11, skew=2.0)
    features = tmp_path / "features.csv"
    features.write_text(features_csv(quotas, flex=True), encoding="utf-8")
    pool = tmp_path / "people.csv"
    pool.write_bytes(people_csv(people).encode("cp932"))
    return {"features": features, "people": pool, "quotas": quotas, "people_data": people}


def run(tmp_path, features, people, *extra, size=10, seed=20260401):
    call_command(
        "select_panel",
        "--features",
        str(features),
        "--people",
        str(people),
        "--size",
        str(size),
        "--seed",
        str(seed),
        "--selected",
        str(tmp_path / "selected.csv"),
        "--remaining",
        str(tmp_path / "remaining.csv"),
        "--probabilities",
        str(tmp_path / "probabilities.csv"),
        *extra,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


@pytest.mark.django_db
def test_command_writes_the_panel_the_rest_and_the_probabilities(tmp_path, files):
    run(tmp_path, files["features"], files["people"])
    selected = rows_of(tmp_path / "selected.csv")
    remaining = rows_of(tmp_path / "remaining.csv")
    probabilities = rows_of(tmp_path / "probabilities.csv")
    header = ["nationbuilder_id", "first_name", "email", "年代", "性別", "町丁目"]
    assert selected[0] == header and remaining[0] == header
    assert len(selected) == 11
    assert len(remaining) == 71
    ids = {row[0] for row in selected[1:]} | {row[0] for row in remaining[1:]}
    assert ids == set(files["people_data"])
    # Columns come through unchanged (the CP932 names too).
    first = selected[1]
    assert first[1] == f"名{first[0]}" and first[3:] == list(
        files["people_data"][first[0]].values()
    )
    assert probabilities[0] == ["id", "probability"]
    assert [row[0] for row in probabilities[1:]] == list(files["people_data"])
    assert sum(float(row[1]) for row in probabilities[1:]) == pytest.approx(10, abs=1e-3)
    for feature_row in files["quotas"]:
        count = sum(1 for row in selected[1:] if feature_row["value"] in row[3:])
        assert feature_row["min"] <= count <= feature_row["max"]
    entry = AuditLogEntry.objects.get(action="surveys.panel.selected")
    assert entry.data["seed"] == 20260401 and entry.data["size"] == 10
    assert entry.data["algorithm"] == "leximin"
    assert "people_sha256" in entry.data
    assert "名" not in json.dumps(entry.data, ensure_ascii=False)


@pytest.mark.django_db
def test_remaining_starts_with_reserves_who_can_step_in(tmp_path, files):
    run(tmp_path, files["features"], files["people"], "--algorithm", "maximin")
    selected = [row[0] for row in rows_of(tmp_path / "selected.csv")[1:]]
    first_reserve = rows_of(tmp_path / "remaining.csv")[1]
    people = files["people_data"]

    def meets(panel):
        for q in files["quotas"]:
            count = sum(1 for p in panel if people[p][q["feature"]] == q["value"])
            if not q["min"] <= count <= q["max"]:
                return False
        return True

    assert meets(selected)
    assert any(meets([*(p for p in selected if p != m), first_reserve[0]]) for m in selected)


@pytest.mark.django_db
def test_utf8_with_bom_an_id_column_and_old_headers(tmp_path, files):
    quotas, people = area_pool(50, 6, seed=12)
    features = tmp_path / "f.csv"
    features.write_bytes(
        features_csv(quotas).replace("feature,value", "Category,Name", 1).encode("utf-8-sig")
    )
    pool = tmp_path / "p.csv"
    text = people_csv(people, id_column="番号")
    # the id column is not the first one here
    lines = [",".join([*line.split(",")[1:], line.split(",")[0]]) for line in text.splitlines()]
    pool.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))
    run(tmp_path, features, pool, "--id-column", "番号", size=6)
    probabilities = rows_of(tmp_path / "probabilities.csv")
    assert {row[0] for row in probabilities[1:]} == set(people)


@pytest.mark.django_db
def test_impossible_quotas_exit_1_naming_the_quota(tmp_path, files):
    quotas = [dict(q) for q in files["quotas"]]
    for q in quotas:
        if q["value"] == "女性":
            q["min"], q["max"] = 70, 80
    features = tmp_path / "impossible.csv"
    features.write_text(features_csv(quotas), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "select_panel",
            "--features",
            str(features),
            "--people",
            str(files["people"]),
            "--size",
            "10",
            "--seed",
            "1",
            "--selected",
            str(tmp_path / "s.csv"),
            "--remaining",
            str(tmp_path / "r.csv"),
            "--probabilities",
            str(tmp_path / "p.csv"),
            stderr=err,
        )
    assert exited.value.code == 1
    assert "「性別: 女性」の下限70人を満たせません" in err.getvalue()
    assert not (tmp_path / "s.csv").exists()
    assert not AuditLogEntry.objects.filter(action="surveys.panel.selected").exists()


@pytest.mark.django_db
def test_a_pool_too_small_and_bad_rows_exit_1(tmp_path, files):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "select_panel",
            "--features",
            str(files["features"]),
            "--people",
            str(files["people"]),
            "--size",
            "100",
            "--seed",
            "1",
            "--selected",
            str(tmp_path / "s.csv"),
            "--remaining",
            str(tmp_path / "r.csv"),
            "--probabilities",
            str(tmp_path / "p.csv"),
            stderr=err,
        )
    assert exited.value.code == 1
    assert "候補者が80人しかいないため、100人のパネルは選べません。" in err.getvalue()

    bad = tmp_path / "bad.csv"
    text = people_csv(files["people_data"]).splitlines()
    text[3] = text[3].replace("女性", "女").replace("男性", "男")
    text.append(text[2])  # a duplicated id
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit):
        run_args = [
            "select_panel",
            "--features",
            str(files["features"]),
            "--people",
            str(bad),
            "--size",
            "10",
            "--seed",
            "1",
            "--selected",
            str(tmp_path / "s.csv"),
            "--remaining",
            str(tmp_path / "r.csv"),
            "--probabilities",
            str(tmp_path / "p.csv"),
        ]
        call_command(*run_args, stderr=err)
    output = err.getvalue()
    assert "bad.csv: line 4: 性別: " in output
    assert f"bad.csv: line {len(text)}: nationbuilder_id: 3行目と同じIDです。" in output


SCRIPT = """
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()
from surveys.sortition import select
from surveys.sortition.io import read_features, read_people
quotas = read_features(open(sys.argv[1], "rb").read())
people = read_people(open(sys.argv[2], "rb").read(), quotas=quotas)
r = select(quotas, people.records, 10, 4242, reserves=5)
print(json.dumps({"panel": r.panel, "reserves": r.reserves,
                  "p": {k: round(v, 9) for k, v in r.probabilities.items()}}))
"""


def test_the_same_files_and_seed_give_the_same_panel_in_other_processes(files):
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(  # noqa: S603 - this interpreter with a fixed script
            [sys.executable, "-c", SCRIPT, str(files["features"]), str(files["people"])],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]["panel"]) == 10 and len(outputs[0]["reserves"]) == 5
