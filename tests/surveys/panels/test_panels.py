"""Panel selection from the portal: start, quotas, the job, the result,
verification, contacts and exports, driven through the pages."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from portal.models import AuditLogEntry, Job, Role
from surveys.panels import pools, services
from surveys.panels.demo import demo_pool_csv
from surveys.panels.models import PanelSelection, PanelVerification
from surveys.panels.proposals import largest_remainder
from tests.factories import UserFactory

from .factories import SYSTEM, area_register, completed_selection, demo_selection, pool_csv

pytestmark = pytest.mark.django_db


def start_data(**overrides):
    data = {
        "title": "北部地域 まちづくり会議",
        "source": "files",
        "size": 10,
        "reserves": 5,
        "margin": 1,
        "algorithm": "leximin",
        "seed": 12345,
        "people_file": SimpleUploadedFile("volunteers.csv", demo_pool_csv(), "text/csv"),
    }
    data.update(overrides)
    return data


def quota_post(selection, change=None):
    data = {}
    for i, quota in enumerate(selection.quotas):
        low, high = quota["min"], quota["max"]
        if change and (quota["feature"], quota["value"]) in change:
            low, high = change[(quota["feature"], quota["value"])]
        data[f"min_{i}"], data[f"max_{i}"] = low, high
    return data


def actions(code):
    return AuditLogEntry.objects.filter(action=code)


# --- Proposals ----------------------------------------------------------------------


def test_largest_remainder_adds_up_and_follows_the_weights():
    assert largest_remainder([60, 40], 10) == [6, 4]
    assert largest_remainder([1, 1, 1], 10) == [4, 3, 3]
    assert sum(largest_remainder([17, 17, 17, 17, 32], 10)) == 10
    assert largest_remainder([0, 0], 3) == [2, 1]


@pytest.mark.parametrize(
    ("label", "band"),
    [
        ("30〜39歳", (30, 39)),
        ("30-39", (30, 39)),
        ("３０代", (30, 39)),
        ("70歳以上", (70, None)),
        ("20歳未満", (0, 19)),
        ("不明", None),
    ],
)
def test_age_band_labels_are_read_as_ranges(label, band):
    assert pools.age_range(label) == band


def test_quotas_are_proposed_from_the_areas_adults_in_the_register():
    area = area_register()
    selection = demo_selection(area=area)
    quotas = {(q["feature"], q["value"]): q for q in selection.quotas}
    # 60 / 40 adults in the two districts → 6 and 4 of 10; the other
    # districts of the area have nobody in the register → 0 (± margin).
    assert quotas[("地区", "桜ヶ丘一丁目")]["population"] == 60
    assert quotas[("地区", "桜ヶ丘一丁目")]["target"] == 6
    assert quotas[("地区", "桜ヶ丘二丁目")]["target"] == 4
    assert quotas[("地区", "関戸一丁目")]["population"] == 0
    assert (quotas[("地区", "関戸一丁目")]["min"], quotas[("地区", "関戸一丁目")]["max"]) == (0, 1)
    # The child and the resident of another area are not counted.
    assert quotas[("性別", "女性")]["population"] + quotas[("性別", "男性")]["population"] == 100
    assert quotas[("性別", "女性")]["target"] == 5
    assert (quotas[("性別", "女性")]["min"], quotas[("性別", "女性")]["max"]) == (4, 6)
    for feature in ("年代", "性別", "地区"):
        assert sum(q["target"] for q in selection.quotas if q["feature"] == feature) == 10
    # Age bands in age order, each counted from the birth dates.
    bands = [q["value"] for q in selection.quotas if q["feature"] == "年代"]
    assert bands == sorted(bands, key=lambda b: pools.age_range(b)[0])
    assert "基準日 2026-10-01" in selection.population_note
    assert selection.contact_columns == ["氏名", "メールアドレス", "電話番号"]


def test_without_a_register_the_quotas_follow_the_pool():
    selection = demo_selection(area=None)
    assert "候補者の構成から" in selection.population_note
    for feature in ("年代", "性別", "地区"):
        assert sum(q["target"] for q in selection.quotas if q["feature"] == feature) == 10


# --- The pages ------------------------------------------------------------------------


def test_coordinator_selects_a_panel_and_sees_probabilities_and_reserves(
    client_as, django_capture_on_commit_callbacks
):
    area = area_register()
    client = client_as(Role.COORDINATOR)
    page = client.get("/surveys/panels/new/")
    assert page.status_code == 200
    # The questionnaire's volunteers are offered as a pool beside a file.
    assert 'value="volunteers"' in page.content.decode()

    response = client.post("/surveys/panels/new/", start_data(area=area.pk))
    selection = PanelSelection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/surveys/panels/{selection.pk}/quotas/"
    assert selection.pool_size == 40 and selection.seed == 12345
    page = client.get(response["Location"]).content.decode()
    assert "桜ヶ丘一丁目" in page and "最大剰余法" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/surveys/panels/{selection.pk}/quotas/", quota_post(selection))
    job = Job.objects.get(kind="surveys.panels.select")
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    selection.refresh_from_db()
    assert selection.status == PanelSelection.Status.DONE
    assert len(selection.panel) == 10 and len(selection.reserve_ids) == 5
    assert not set(selection.panel) & set(selection.reserve_ids)
    assert all(q["met"] for q in selection.quotas_met)
    assert sum(selection.probabilities.values()) == pytest.approx(10, abs=1e-6)
    assert selection.solver_version.startswith("HiGHS")

    page = client.get(f"/surveys/panels/{selection.pk}/").content.decode()
    for pid in selection.panel + selection.reserve_ids:
        assert pid in page
    assert "補欠（連絡する順）" in page
    assert f"{selection.lowest_probability:.4f}" in page
    # Reserves in calling order
    positions = [
        page.index(f">{pid}<", page.index("補欠（連絡する順）")) for pid in selection.reserve_ids
    ]
    assert positions == sorted(positions)
    assert "満たさない" not in page
    # No contacts on the result page, even for coordinators.
    assert "volunteer0" not in page
    assert actions("surveys.panel_selection.created").count() == 1
    assert actions("surveys.panel_selection.selected").count() == 1
    assert actions("surveys.panel_selection.viewed").count() == 1


def test_impossible_quotas_are_named_on_the_form_and_nothing_runs(client_as):
    client = client_as(Role.COORDINATOR)
    client.post("/surveys/panels/new/", start_data())
    selection = PanelSelection.objects.get()
    # Only 3 volunteers are 18〜29: a lower bound of 5 cannot be met.
    young = next(q for q in selection.quotas if q["value"] == "18〜29歳")
    response = client.post(
        f"/surveys/panels/{selection.pk}/quotas/",
        quota_post(selection, {("年代", "18〜29歳"): (5, 6)}),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "この割当を満たすパネルはありません" in page
    assert "「年代: 18〜29歳」の下限5人を満たせません" in page
    assert f"該当する人は{young['pool']}人です" in page
    assert "（見直しが必要）" in page
    assert not Job.objects.exists()
    selection.refresh_from_db()
    assert selection.status == PanelSelection.Status.DRAFT


def test_quotas_that_conflict_only_together_name_the_quota_to_loosen(client_as):
    client = client_as(Role.COORDINATOR)
    client.post("/surveys/panels/new/", start_data(size=4, reserves=0))
    selection = PanelSelection.objects.get()
    # Each quota alone is possible; together (4 of one age band and 4 of one
    # sex out of 4 seats, with fewer than 4 people holding both) they are not.
    opened = {(q["feature"], q["value"]): (0, 4) for q in selection.quotas}
    band, sex = next(
        (a["value"], b["value"])
        for a in selection.quotas
        if a["feature"] == "年代" and a["pool"] >= 4
        for b in selection.quotas
        if b["feature"] == "性別"
        and sum(1 for row in selection.rows if row[1] == a["value"] and row[2] == b["value"]) < 4
    )
    opened[("性別", sex)] = (4, 4)
    opened[("年代", band)] = (4, 4)
    response = client.post(f"/surveys/panels/{selection.pk}/quotas/", quota_post(selection, opened))
    page = response.content.decode()
    assert response.status_code == 200
    assert "他の割当と同時には満たせません" in page
    assert "にすれば選べます" in page


def test_verify_reruns_in_a_job_and_reports_the_same_panel(
    client_as, django_capture_on_commit_callbacks
):
    selection = completed_selection()
    client = client_as(Role.ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/surveys/panels/{selection.pk}/verify/")
    job = Job.objects.get(kind="surveys.panels.verify")
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert "同じパネルと補欠が選ばれました" in job.message
    verification = PanelVerification.objects.get()
    assert verification.same_panel and verification.same_reserves
    assert verification.panel == selection.panel
    assert actions("surveys.panel_selection.verified").get().data["same_panel"] is True
    page = client.get(f"/surveys/panels/{selection.pk}/").content.decode()
    assert "同じパネルと補欠" in page and verification.process in page


def test_verify_notices_a_changed_record():
    selection = completed_selection()
    PanelSelection.objects.filter(pk=selection.pk).update(panel=["V001"])
    selection.refresh_from_db()
    verification = services.verify_selection(selection=selection, by=SYSTEM)
    assert not verification.same_panel


def test_contacts_are_for_coordinators_only_and_audited(client_as):
    selection = completed_selection()
    first = next(row for row in selection.rows if row[0] == selection.panel[0])
    name = first[selection.columns.index("氏名")]

    admin = Client()
    admin.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert admin.get(f"/surveys/panels/{selection.pk}/contacts/").status_code == 403
    assert admin.get(f"/surveys/panels/{selection.pk}/files/selected.csv").status_code == 403
    detail = admin.get(f"/surveys/panels/{selection.pk}/").content.decode()
    assert name not in detail and "連絡先を見る" not in detail

    client = client_as(Role.COORDINATOR)
    page = client.get(f"/surveys/panels/{selection.pk}/contacts/").content.decode()
    assert name in page
    for pid in selection.reserve_ids:
        assert pid in page
    entry = actions("surveys.panel_contacts.viewed").get()
    assert entry.data["panel"] == 10 and name not in str(entry.data)


def test_exports_match_what_select_panel_writes_from_the_same_files(client_as, tmp_path):
    selection = completed_selection()
    client = client_as(Role.COORDINATOR)

    def download(url):
        response = client.get(url)
        assert response.status_code == 200
        return response.content

    base = f"/surveys/panels/{selection.pk}"
    people = download(f"{base}/files/people.csv")
    features = download(f"{base}/features.csv")
    selected = download(f"{base}/files/selected.csv")
    remaining = download(f"{base}/files/remaining.csv")
    probabilities = download(f"{base}/probabilities.csv")
    (tmp_path / "people.csv").write_bytes(people)
    (tmp_path / "features.csv").write_bytes(features)
    call_command(
        "select_panel",
        features=tmp_path / "features.csv",
        people=tmp_path / "people.csv",
        size=selection.size,
        seed=selection.seed,
        algorithm=selection.algorithm,
        selected=tmp_path / "selected.csv",
        remaining=tmp_path / "remaining.csv",
        probabilities=tmp_path / "probabilities.csv",
        stdout=io.StringIO(),
    )
    assert (tmp_path / "selected.csv").read_bytes() == selected
    assert (tmp_path / "remaining.csv").read_bytes() == remaining
    assert (tmp_path / "probabilities.csv").read_bytes() == probabilities
    rows = list(csv.reader(io.StringIO(selected.decode("utf-8-sig"))))
    assert rows[0] == selection.columns and len(rows) == 11
    order = [r[0] for r in csv.reader(io.StringIO(remaining.decode("utf-8-sig")))][1:]
    assert order[:5] == selection.reserve_ids
    assert actions("surveys.panel_selection.exported").count() == 5


def test_a_features_file_gives_the_quotas_as_written(client_as):
    client = client_as(Role.COORDINATOR)
    features = "feature,value,min,max\r\n性別,女性,2,3\r\n性別,男性,2,3\r\n"
    people = pool_csv(
        [[f"P{n}", "", "女性" if n % 2 else "男性", "", "", ""] for n in range(10)],
        header=("id", "age", "性別", "地区", "氏名", "email"),
    )
    response = client.post(
        "/surveys/panels/new/",
        start_data(
            size=5,
            reserves=2,
            people_file=SimpleUploadedFile("p.csv", people),
            features_file=SimpleUploadedFile("f.csv", features.encode("cp932")),
        ),
    )
    assert response.status_code == 302
    selection = PanelSelection.objects.get()
    assert [(q["value"], q["min"], q["max"]) for q in selection.quotas] == [
        ("女性", 2, 3),
        ("男性", 2, 3),
    ]
    assert selection.features == ["性別"]
    assert selection.contact_columns == ["氏名", "email"]


def test_bad_people_file_lists_its_rows_on_the_form(client_as):
    client = client_as(Role.COORDINATOR)
    people = pool_csv(
        [
            ["P1", "30〜39歳", "女性", "関戸一丁目", "a", "b"],
            ["P1", "30〜39歳", "女性", "関戸一丁目", "a", "b"],
            ["", "30〜39歳", "男性", "関戸一丁目", "a", "b"],
        ]
    )
    response = client.post(
        "/surveys/panels/new/",
        start_data(size=1, reserves=0, people_file=SimpleUploadedFile("p.csv", people)),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "line 3" in page or "3行目" in page
    assert "ファイルに誤りがあるため" in page
    assert not PanelSelection.objects.exists()


def test_a_pool_smaller_than_the_panel_is_refused_on_the_form(client_as):
    client = client_as(Role.COORDINATOR)
    response = client.post("/surveys/panels/new/", start_data(size=30, reserves=20))
    assert response.status_code == 200
    assert "候補者の数（40人）を超えています" in response.content.decode()


def test_volunteers_of_an_area_become_the_pool_when_the_questionnaire_offers_them(
    monkeypatch,
):
    from surveys import selectors

    area = area_register()
    volunteers = [
        {
            "pk": n,
            "age": 25 + n * 4,
            "sex": "女性" if n % 2 else "男性",
            "district": "一ノ宮",
            "name": f"ボランティア{n}",
            "email": f"v{n}@example.jp",
        }
        for n in range(12)
    ]
    monkeypatch.setattr(selectors, "volunteers_for_area", lambda a: volunteers, raising=False)
    assert pools.volunteers_available()
    selection = services.start_selection(
        title="ボランティアから",
        area=area,
        source="volunteers",
        size=4,
        reserves=2,
        algorithm="maximin",
        seed=1,
        margin=2,
        by=SYSTEM,
    )
    assert selection.pool_size == 12
    assert {q["feature"] for q in selection.quotas} == {"年代", "性別", "地区"}
    assert selection.rows[0][:4] == ["0", "18〜29歳", "男性", "一ノ宮"]


def test_running_twice_keeps_the_first_result():
    selection = completed_selection()
    panel = list(selection.panel)
    again = services.run_selection(selection=selection, by=SYSTEM)
    assert again.panel == panel
    assert actions("surveys.panel_selection.selected").count() == 1


def test_the_list_shows_selections_to_coordinators_and_administrators(client_as):
    completed_selection()
    assert "テストの選出" in client_as(Role.COORDINATOR).get("/surveys/panels/").content.decode()
    officer = Client()
    officer.force_login(UserFactory(role=Role.LIAISON_OFFICER))
    assert officer.get("/surveys/panels/").status_code == 403


def test_demo_seed_is_idempotent():
    from surveys.panels import demo

    area_register()
    UserFactory(email="coordinator@example.jp", role=Role.COORDINATOR)
    out = io.StringIO()
    demo.seed(out)
    demo.seed(out)
    selection = PanelSelection.objects.get()
    assert selection.status == PanelSelection.Status.DONE and len(selection.panel) == 10
    assert selection.pool_size == 40
