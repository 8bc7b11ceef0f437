import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from areas.models import Area
from grants.models import Programme
from grants.services.programmes import create_programme
from portal.audit import Actor
from portal.models import Role
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lump_sum(client_as):
    client = client_as(Role.COORDINATOR)
    areas = [AreaFactory(code=f"A0{i}", name=f"地域{i}") for i in range(1, 4)]
    programme = create_programme(
        name="地域一括交付金",
        kind=Programme.Kind.LUMP_SUM,
        fiscal_year=2026,
        budget=10_000_001,
        by=Actor.for_user(client.user),
    )
    return client, programme, areas


def test_import_lists_bad_rows_and_changes_nothing(lump_sum):
    client, programme, areas = lump_sum
    good = "地域コード,人口,世帯数\nA01,12000,5000\nA02,８０００,3500\nA03,4000,2000\n"
    response = client.post(
        reverse("grants:allocation_import", args=[programme.pk]),
        {"file": SimpleUploadedFile("inputs.csv", good.encode("utf-8-sig"))},
    )
    assert response.status_code == 302
    lines = {line.area.code: line for line in programme.allocation.lines.all()}
    assert lines["A02"].population == 8000
    assert sum(line.amount for line in lines.values()) == 10_000_001

    bad = "地域コード,人口,世帯数\nA01,abc,5000\nZZ9,1,1\nA03,4000,\n"
    response = client.post(
        reverse("grants:allocation_import", args=[programme.pk]),
        {"file": SimpleUploadedFile("inputs.csv", bad.encode("cp932"))},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "line 2: 人口" in page and "line 3: 地域コード" in page and "line 4: 世帯数" in page
    assert programme.allocation.lines.get(area__code="A01").population == 12000


def test_inputs_by_hand_then_approval_locks_the_allocation(lump_sum):
    client, programme, areas = lump_sum
    data = {}
    for i, area in enumerate(areas, start=1):
        data[f"population_{area.pk}"] = str(1000 * i)
        data[f"households_{area.pk}"] = str(400 * i)
    client.post(reverse("grants:allocation_inputs", args=[programme.pk]), data)
    client.post(
        reverse("grants:allocation_weights", args=[programme.pk]),
        {"base_weight": "1", "per_capita_weight": "1", "per_household_weight": "1"},
    )
    page = client.get(reverse("grants:allocation", args=[programme.pk])).content.decode()
    assert "均等割 1/3" in page and "10,000,001" in page
    client.post(reverse("grants:allocation_approve", args=[programme.pk]))
    programme.allocation.refresh_from_db()
    assert programme.allocation.is_locked
    client.post(
        reverse("grants:allocation_weights", args=[programme.pk]),
        {"base_weight": "5", "per_capita_weight": "1", "per_household_weight": "1"},
    )
    programme.allocation.refresh_from_db()
    assert programme.allocation.base_weight == 1
    csv = client.get(reverse("grants:allocation", args=[programme.pk]), {"format": "csv"})
    assert csv.content.startswith(b"\xef\xbb\xbf") and "配分額" in csv.content.decode("utf-8-sig")


def test_fill_from_the_register_uses_the_hook(lump_sum, monkeypatch):
    client, programme, areas = lump_sum
    from grants.services import allocation

    monkeypatch.setattr(
        allocation,
        "population_from_register",
        lambda: {area.pk: (1000, 500) for area in areas},
    )
    client.post(reverse("grants:allocation_fill", args=[programme.pk]))
    programme.allocation.refresh_from_db()
    assert programme.allocation.inputs_source == "住民基本台帳"
    assert sum(line.amount for line in programme.allocation.lines.all()) == 10_000_001


def test_allocation_xlsx_drops_control_characters_from_area_names(lump_sum):
    client, programme, areas = lump_sum
    data = {}
    for area in areas:
        data[f"population_{area.pk}"], data[f"households_{area.pk}"] = "1000", "400"
    client.post(reverse("grants:allocation_inputs", args=[programme.pk]), data)
    Area.objects.filter(pk=areas[0].pk).update(name="地域\x0b1")
    response = client.get(reverse("grants:allocation", args=[programme.pk]), {"format": "xlsx"})
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0] == ("地域コード", "地域名", "人口", "世帯数", "配分額")
    assert [r[:2] for r in rows[1:]] == [("A01", "地域1"), ("A02", "地域2"), ("A03", "地域3")]
    assert [r[2:4] for r in rows[1:]] == [(1000, 400)] * 3  # numbers, not text


def test_an_oversized_import_is_refused_before_it_is_read(lump_sum, monkeypatch):
    from grants import resources
    from grants.forms import MAX_SPREADSHEET_BYTES

    client, programme, areas = lump_sum
    read = []
    monkeypatch.setattr(resources, "load_dataset", lambda upload: read.append(upload))
    big = b"\xe5\x9c\xb0\xe5\x9f\x9f\xe3\x82\xb3\xe3\x83\xbc\xe3\x83\x89,1,1\n" * (
        MAX_SPREADSHEET_BYTES // 20 + 10
    )
    response = client.post(
        reverse("grants:allocation_import", args=[programme.pk]),
        {"file": SimpleUploadedFile("inputs.csv", big)},
    )
    assert response.status_code == 400
    assert "ファイルが大きすぎます" in response.content.decode()
    assert read == []


def test_load_dataset_never_reads_past_the_cap():
    from grants import resources
    from grants.forms import MAX_SPREADSHEET_BYTES
    from portal.csvio import ImportRejected

    with pytest.raises(ImportRejected, match="大きすぎます"):
        resources.load_dataset(io.BytesIO(b"a" * (MAX_SPREADSHEET_BYTES + 10)))
