import threading
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from areas.models import Area, District
from areas.services import import_districts
from portal import locking
from portal.audit import Actor
from portal.csvio import ImportRejected
from portal.models import AuditLogEntry, Job, Role

SYSTEM = Actor.for_system("test")

SAMPLE = Path(__file__).resolve().parents[2] / "areas" / "demo_data" / "districts.csv"
HEADER = "地域コード,地域名,町丁目コード,町丁目名\n"

pytestmark = pytest.mark.django_db


def _snapshot():
    return sorted(District.objects.values_list("code", "name", "area__code", "area__name"))


def test_importing_the_sample_twice_gives_the_same_areas_and_districts():
    first = import_districts(data=SAMPLE.read_bytes(), by=SYSTEM)
    assert (first.areas_created, first.districts_created) == (5, 23)
    before = _snapshot()

    second = import_districts(data=SAMPLE.read_bytes(), by=SYSTEM)
    assert (second.areas_created, second.districts_created, second.districts_updated) == (0, 0, 0)
    assert second.unchanged == 23
    assert _snapshot() == before
    assert District.objects.get(code="A0302").area.name == "中部"


def test_a_bad_file_is_refused_whole_with_every_bad_row_listed():
    import_districts(data=SAMPLE.read_bytes(), by=SYSTEM)
    before = _snapshot()
    data = (
        HEADER
        + "A01,北部改,A0101,桜ヶ丘一丁目（改）\n"  # line 2: fine on its own
        + "A06,新地域,A0601,\n"  # line 3: empty district name
        + "A06,新地域,A0601,重複\n"  # line 4: duplicate code of line 3
        + "A06,別名,A0602,別の町\n"  # line 5: other name for A06
        + "A 07,x,A0701,町\n"  # line 6: bad code
    ).encode()
    with pytest.raises(ImportRejected) as caught:
        import_districts(data=data, by=SYSTEM)
    lines = [str(e) for e in caught.value.errors]
    assert lines == [
        "line 3: 町丁目名: 空欄です。",
        "line 4: 町丁目コード: A0601 は 3 行目と重複しています。",
        "line 5: 地域名: 地域コード A06 の地域名が 3 行目の「新地域」と異なります。",
        "line 6: 地域コード: コードは半角英数字・ハイフン・アンダースコアで入力してください。",
    ]
    assert _snapshot() == before
    assert not Area.objects.filter(code="A06").exists()
    assert Area.objects.get(code="A01").name == "北部"


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig", "utf-16"])
def test_city_system_encodings_are_detected(encoding):
    data = (HEADER + "B01,髙﨑地区,B0101,①番町\n").encode(encoding)
    import_districts(data=data, by=SYSTEM)
    assert District.objects.get(code="B0101").name == "①番町"
    assert Area.objects.get(code="B01").name == "髙﨑地区"


def test_headers_and_codes_are_matched_after_nfkc_and_trailing_blank_lines_are_ignored():
    data = (
        "地域コード ,地域名,町丁目コード,町丁目名\r\nＣ０１,中央, Ｃ０１０１ ,本町\r\n\r\n".encode()
    )
    result = import_districts(data=data, by=SYSTEM)
    assert result.districts_created == 1
    assert District.objects.get(code="C0101").area.code == "C01"


def test_a_moved_district_is_updated_not_duplicated():
    import_districts(data=(HEADER + "A01,北部,X1,町\n").encode(), by=SYSTEM)
    result = import_districts(data=(HEADER + "A02,東部,X1,町\n").encode(), by=SYSTEM)
    assert (result.districts_created, result.districts_updated) == (0, 1)
    assert District.objects.get(code="X1").area.code == "A02"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "line 1: ファイル: ファイルが空です。"),
        (
            "地域コード,地域名,町丁目コード\nA01,北部,A0101\n".encode(),
            "line 1: 町丁目名: 列が見つかりません",
        ),
        (HEADER.encode(), "line 2: ファイル: データ行がありません。"),
        ((HEADER + "A01,北部,A0101\n").encode(), "line 2: ファイル: 列の数が見出し行と合いません"),
        (
            b"\xff\xfe\x00\xd8broken" + bytes(range(128, 256)),
            "line 1: ファイル: 文字コードを判別できません",
        ),
    ],
)
def test_unreadable_files_get_a_clear_message(data, expected):
    with pytest.raises(ImportRejected) as caught:
        import_districts(data=data, by=SYSTEM)
    assert str(caught.value.errors[0]).startswith(expected)


def test_command_prints_one_line_per_bad_row_and_exits_1(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "A01,北部,A0101,桜ヶ丘\nA01,北部,,桜ヶ丘二丁目\nA01,北部,A0103,\n")
    from django.core.management import call_command

    with pytest.raises(SystemExit) as exited:
        call_command("import_districts", str(bad))
    assert exited.value.code == 1
    assert District.objects.count() == 0


def test_command_output_format(capsys, tmp_path):
    from django.core.management import call_command

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "A01,北部,,桜ヶ丘二丁目\n")
    with pytest.raises(SystemExit):
        call_command("import_districts", str(bad))
    assert capsys.readouterr().out.splitlines() == ["line 2: 町丁目コード: 空欄です。"]

    call_command("import_districts", str(SAMPLE))
    assert "町丁目: 新規 23 件" in capsys.readouterr().out


def test_staff_page_imports_as_a_job_and_reports(client_as, django_capture_on_commit_callbacks):
    client = client_as(Role.ADMINISTRATOR)
    upload = SimpleUploadedFile("districts.csv", SAMPLE.read_bytes(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/areas/import/", {"file": upload})
    job = Job.objects.get()
    assert response["Location"] == f"/staff/jobs/{job.public_id}/"
    page = client.get(response["Location"]).content.decode()
    assert "取り込みました: 地域 新規5件" in page
    assert District.objects.count() == 23
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert not job.upload  # the uploaded file is removed once the job has run
    entry = AuditLogEntry.objects.get(action="areas.districts.imported")
    assert entry.actor == client.user
    assert entry.actor_role == Role.ADMINISTRATOR
    assert entry.request_path == "/areas/import/"
    status = client.get(response["Location"] + "?format=json").json()
    assert status["finished"] and status["percent"] == 100


def test_staff_page_lists_bad_rows_and_changes_nothing(
    client_as, django_capture_on_commit_callbacks
):
    client = client_as(Role.ADMINISTRATOR)
    data = (HEADER + "A01,北部,A0101,桜ヶ丘\nA01,北部,A0102,\n").encode("cp932")
    upload = SimpleUploadedFile("districts.csv", data, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/areas/import/", {"file": upload})
    page = client.get(response["Location"]).content.decode()
    assert "ファイルに誤りがあるため、何も取り込んでいません。" in page
    assert "誤りは1件です。" in page
    assert '<td data-label="列">町丁目名</td><td data-label="内容">空欄です。</td>' in page
    assert District.objects.count() == 0
    assert Job.objects.get().status == Job.Status.FAILED


def test_another_person_cannot_open_the_job_page(client_as, django_capture_on_commit_callbacks):
    owner = client_as(Role.ADMINISTRATOR)
    upload = SimpleUploadedFile("districts.csv", SAMPLE.read_bytes(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        location = owner.post("/areas/import/", {"file": upload})["Location"]
    owner.logout()
    other = client_as(Role.COORDINATOR)
    assert other.get(location).status_code == 404


def test_staff_page_refuses_other_file_types(client_as):
    client = client_as(Role.ADMINISTRATOR)
    upload = SimpleUploadedFile("districts.xlsx", b"PK\x03\x04", content_type="application/zip")
    response = client.post("/areas/import/", {"file": upload})
    assert "拡張子が .csv のファイルを選んでください。" in response.content.decode()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LIAISON_OFFICER, Role.RESIDENT])
def test_only_administrators_import(client_as, role):
    upload = SimpleUploadedFile("districts.csv", SAMPLE.read_bytes())
    assert client_as(role).post("/areas/import/", {"file": upload}).status_code == 403
    assert District.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_imports_leave_one_consistent_result():
    from django.conf import settings
    from django.db import connection

    if not settings.USING_POSTGRESQL:
        pytest.skip("concurrency is tested on PostgreSQL")
    outcomes = []
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            import_districts(data=SAMPLE.read_bytes(), by=SYSTEM)
            outcomes.append("imported")
        except ImportRejected as rejected:
            outcomes.append(str(rejected.errors[0]))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "imported" in outcomes
    assert all(o == "imported" or "同時に別の取込" in o for o in outcomes)
    assert District.objects.count() == 23
    assert Area.objects.count() == 5


def _renamed_sample():
    text = SAMPLE.read_text(encoding="utf-8-sig")
    lines = [line for line in text.splitlines() if line]
    return ("\n".join([lines[0]] + [line + "（新）" for line in lines[1:]]) + "\n").encode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locks_enabled", [True, False], ids=["locked", "control-without-lock"])
def test_simultaneous_imports_of_the_same_change_report_it_once(monkeypatch, locks_enabled):
    """Two clerks import the same corrected file at once. Under the lock the
    second import sees the first one's result and reports (and audits) no
    change; the control run without the lock shows the race it prevents:
    both claim to have renamed every district."""
    from django.conf import settings
    from django.db import connection

    if not settings.USING_POSTGRESQL:
        pytest.skip("concurrency is tested on PostgreSQL")
    import_districts(data=SAMPLE.read_bytes(), by=SYSTEM)
    monkeypatch.setattr(locking, "LOCKS_ENABLED", locks_enabled)
    original_bulk_update = District.objects.bulk_update

    def slow_bulk_update(*args, **kwargs):
        time.sleep(0.5)  # both imports have read the districts by now, unless locked out
        return original_bulk_update(*args, **kwargs)

    monkeypatch.setattr(District.objects, "bulk_update", slow_bulk_update)
    corrected = _renamed_sample()
    results = []
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            results.append(import_districts(data=corrected, by=SYSTEM))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    updated = sorted(r.districts_updated for r in results)
    if locks_enabled:
        assert updated == [0, 23]
    else:
        assert updated == [23, 23]
    assert District.objects.filter(name__endswith="（新）").count() == 23


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locks_enabled", [True, False], ids=["locked", "control-without-lock"])
def test_simultaneous_renames_of_an_area_report_it_once(monkeypatch, locks_enabled):
    """The areas are locked before the districts: two imports renaming the
    same area at once rename it once (the second sees the first's name);
    without the lock both read the old name and both report the rename."""
    from django.conf import settings
    from django.db import connection

    if not settings.USING_POSTGRESQL:
        pytest.skip("concurrency is tested on PostgreSQL")
    import_districts(data=SAMPLE.read_bytes(), by=SYSTEM)
    monkeypatch.setattr(locking, "LOCKS_ENABLED", locks_enabled)
    original_save = Area.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.5)  # both imports have read the area by now, unless locked out
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Area, "save", slow_save)
    renamed = (HEADER + "A01,北部（新）,A0101,桜ヶ丘一丁目\n").encode()
    results = []
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            results.append(import_districts(data=renamed, by=SYSTEM))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    updated = sorted(r.areas_updated for r in results)
    assert updated == ([0, 1] if locks_enabled else [1, 1])
    assert Area.objects.get(code="A01").name == "北部（新）"
