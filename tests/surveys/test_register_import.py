import io
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from portal.csvio import ImportRejected
from portal.models import AuditLogEntry
from surveys import normalise, services
from surveys.models import Register, Resident

from .factories import BAD_SAMPLE, LEGAL, SAMPLE, SYSTEM, import_sample, person, register_csv

pytestmark = pytest.mark.django_db
DAY = date(2026, 10, 1)


def table_counts():
    counts = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._default_manager.count()
    return counts


def test_sample_register_is_imported_with_its_quirks(districts):
    result = import_sample()
    assert result.rows == 63
    register = Register.objects.get(reference_date=DAY)
    assert register.row_count == 63 and register.source_encoding == "cp932"
    assert register.purpose == LEGAL["purpose"]
    by_line = {r.line: r for r in Resident.objects.filter(register=register)}
    # Half-width kana stored full-width, full-width digits, the U+3000 kept in the name.
    assert by_line[62].name == "髙橋\u3000一郎"
    assert by_line[62].name_kana == "タカハシ イチロウ"
    assert by_line[62].birth_date == date(1955, 1, 28)
    assert by_line[62].postal_code == "206-0841"
    # 和暦 with 元年, surrounding spaces trimmed, 7-digit postal code hyphenated.
    assert by_line[63].birth_date == date(2019, 5, 1)
    assert by_line[64].name == "吉田 太郎"
    assert by_line[64].birth_date == date(1926, 12, 25)
    assert by_line[64].postal_code == "206-0011"
    assert {r.sex for r in by_line.values()} <= {"1", "2", ""}
    entry = AuditLogEntry.objects.get(action="surveys.register.imported")
    assert entry.kind == AuditLogEntry.Kind.IMPORT
    assert entry.data["rows"] == 63 and entry.data["legal_basis"] == LEGAL["legal_basis"]


@pytest.mark.parametrize("encoding,bom", [("cp932", False), ("utf-8", False), ("utf-8", True)])
def test_encodings_are_detected(districts, encoding, bom):
    data = register_csv(
        [person("1", name="髙橋\u3000﨑子"), person("2", birth="平成元年1月8日", sex="女")],
        encoding=encoding,
        bom=bom,
    )
    assert import_sample(data=data).rows == 2
    names = set(Resident.objects.values_list("name", flat=True))
    assert "髙橋\u3000﨑子" in names


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1999-03-08", date(1999, 3, 8)),
        ("1999/3/8", date(1999, 3, 8)),
        ("１９５５/０１/２８", date(1955, 1, 28)),
        ("平成25年9月18日", date(2013, 9, 18)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("大正15年12月24日", date(1926, 12, 24)),
        (" 昭和元年12月25日 ", date(1926, 12, 25)),
    ],
)
def test_date_forms(text, expected):
    assert normalise.parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["2021-02-30", "平成32年1月1日", "昭和64年1月8日", "令和元年4月30日", "1999.03.08", ""]
)
def test_impossible_or_unknown_dates_are_refused(text):
    with pytest.raises(normalise.Invalid):
        normalise.parse_date(text)


def test_bad_sample_lists_its_three_rows_and_changes_nothing(districts):
    before = table_counts()
    with pytest.raises(ImportRejected) as caught:
        import_sample(data=BAD_SAMPLE.read_bytes())
    lines = [str(e) for e in caught.value.errors]
    assert [e.line for e in caught.value.errors] == [16, 19, 21]
    assert lines[0].startswith("line 16: 町丁目コード: ")
    assert lines[1].startswith("line 19: 氏名: ")
    assert lines[2].startswith("line 21: 生年月日: ")
    assert table_counts() == before


def test_every_kind_of_bad_row_is_reported(districts):
    rows = [
        person("1"),
        person("1"),
        person("2", sex="3"),
        person("3", birth="2030-01-01"),
        [*person("4")[:5], "206-001", *person("4")[6:]],
        person("5", district="Z9999"),
        person("6", name=" "),
    ]
    with pytest.raises(ImportRejected) as caught:
        import_sample(data=register_csv(rows))
    found = {(e.line, e.column) for e in caught.value.errors}
    assert found == {
        (3, "住民番号"),
        (4, "性別"),
        (5, "生年月日"),
        (6, "郵便番号"),
        (7, "町丁目コード"),
        (8, "氏名"),
    }
    assert not Resident.objects.exists() and not Register.objects.exists()


@pytest.mark.parametrize("column", ["住民票コード", "個人番号", "マイナンバー"])
def test_forbidden_columns_refuse_the_whole_file(districts, column):
    header = [
        "住民番号",
        "氏名",
        "氏名カナ",
        "生年月日",
        "性別",
        "郵便番号",
        "住所",
        "町丁目コード",
        "世帯番号",
        column,
    ]
    data = register_csv([[*person("1"), "123456789012"]], header=header)
    before = table_counts()
    with pytest.raises(ImportRejected) as caught:
        import_sample(data=data)
    assert [(e.line, e.column) for e in caught.value.errors] == [(1, column)]
    assert table_counts() == before


def test_private_use_character_keeps_the_row_flagged(districts):
    data = register_csv([person("1", name="\ue000田\u3000花子"), person("2")])
    result = import_sample(data=data)
    assert result.rows == 2 and result.review == 1
    assert Resident.objects.get(resident_number="1").needs_review
    assert Register.objects.get().review_count == 1


def test_same_reference_date_replaces_the_register(districts):
    import_sample(data=register_csv([person("1"), person("2")]))
    result = import_sample(data=register_csv([person("3")]))
    assert result.replaced == 2
    assert list(Resident.objects.values_list("resident_number", flat=True)) == ["3"]
    assert Register.objects.count() == 1


def test_purpose_and_legal_basis_are_required(districts):
    from portal.errors import ServiceError

    with pytest.raises(ServiceError):
        services.import_register(
            data=SAMPLE.read_bytes(), reference_date=DAY, purpose="", legal_basis="x", by=SYSTEM
        )


def test_command_prints_the_count_and_fails_with_lines(districts, capsys):
    call_command("import_register", str(SAMPLE), "--reference-date", "2026-10-01")
    assert capsys.readouterr().out.strip() == "63"
    with pytest.raises(SystemExit) as exited:
        call_command("import_register", str(BAD_SAMPLE), "--reference-date", "2026-09-01")
    assert exited.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in err] == ["line 16", "line 19", "line 21"]


def test_progress_is_reported_while_streaming(districts, monkeypatch):
    from surveys.services import register as module

    monkeypatch.setattr(module, "PROGRESS_EVERY", 10)
    seen = []

    def progress(done, total=None, force=False):
        seen.append((done, total))

    data = SAMPLE.read_bytes()
    services.import_register(
        data=io.BytesIO(data),
        reference_date=DAY,
        by=SYSTEM,
        progress=progress,
        size=len(data),
        **LEGAL,
    )
    assert seen[0][0] == 10 and seen[-1] == (63, 63)


def test_population_by_area(districts):
    from surveys.selectors import population_by_area

    assert population_by_area() == {}
    import_sample()
    population = population_by_area()
    assert sum(p["population"] for p in population.values()) == 63
    assert all(p["households"] <= p["population"] for p in population.values())
    assert population_by_area(reference_date=date(2026, 1, 1)) == {}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_postgresql_import_goes_through_copy(districts, django_assert_max_num_queries):
    data = register_csv([person(str(n)) for n in range(3000)])
    # Row-by-row inserts would be thousands of statements.
    with django_assert_max_num_queries(20):
        assert import_sample(data=data).rows == 3000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_numbers_that_only_look_seen_are_kept_and_true_duplicates_reported(districts, monkeypatch):
    from surveys.services import register as module

    # A filter of 8 bits: nearly every number "may have been seen".
    monkeypatch.setattr(module._PostgresWriter, "BITS", 8)
    monkeypatch.setattr(module._PostgresWriter, "MASK", 7)
    assert import_sample(data=register_csv([person(str(n)) for n in range(200)])).rows == 200
    assert Resident.objects.count() == 200
    with pytest.raises(ImportRejected) as caught:
        import_sample(data=register_csv([person(str(n)) for n in range(50)] + [person("7")]))
    assert [str(e) for e in caught.value.errors] == [
        "line 52: 住民番号: 住民番号 7 は 9 行目と重複しています。"
    ]
    assert Resident.objects.count() == 200
