"""The issue-matrix analysis: shares, mean lines, both groups, suppression,
comparison, the fixed commands and the exports."""

import csv
import io
from fractions import Fraction

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from portal.csvio import ImportRejected
from portal.models import AuditLogEntry, Role
from surveys.analysis import tables
from surveys.analysis.issues import analyse
from surveys.models import Response, Survey
from surveys.questionnaires.imports import import_answers

from .answer_factories import answer_row, answers_file
from .factories import DATA, SYSTEM

pytestmark = pytest.mark.django_db

# issue: (interest yes of 10, participation yes of 10, expectation yes of 10)
KNOWN = {1: (8, 5, 9), 2: (6, 1, 2), 3: (3, 4, 5), 4: (2, 0, 1), 5: (7, 3, 2), 6: (9, 0, 10)}
EXPECTED_GROUPS = {
    1: ("A", "A"),
    2: ("B", "B'"),
    3: ("C", "C"),
    4: ("D", "D"),
    5: ("A", "C"),
    6: ("B", "B"),
}


def known_rows():
    """Ten full answers with the shares of KNOWN (yes answers first; the
    no answers alternate between the other values), and an 11th answer that
    skips interest everywhere and says 2 on participation of issue 4."""
    rows = []
    for r in range(10):
        issues = {}
        for n, (i, p, e) in KNOWN.items():
            issues[n] = (
                str(1 + r % 2) if r < i else str(3 + r % 2),
                "1" if r < p else str(2 + r % 3),
                str(1 + r % 2) if r < e else str(3 + r % 2),
            )
        rows.append(answer_row(f"K{r}", sex="1" if r < 7 else "2", area="A01", issues=issues))
    rows.append(answer_row("K10", sex="1", area="A02", issues={4: ("", "2", "")}))
    return rows


@pytest.fixture
def known(districts):
    return import_answers(data=answers_file(known_rows()), survey_code="KNOWN", by=SYSTEM).survey


def test_every_share_mean_line_and_group_is_as_defined(known):
    analysis = analyse(known)
    assert analysis.respondents == 11
    rows = {row.number: row for row in analysis.rows}
    assert set(rows) == set(KNOWN)
    for n, (i, p, e) in KNOWN.items():
        row = rows[n]
        # Over the answers that answered the item: 10 for interest and
        # expectation, 10 (11 for issue 4) for participation.
        assert row.shares["interest"] == Fraction(i, 10)
        assert row.shares["expectation"] == Fraction(e, 10)
        assert row.shares["participation"] == Fraction(p, 11 if n == 4 else 10)
        assert (row.group1, row.group2) == EXPECTED_GROUPS[n], n
    assert analysis.means["interest"] == Fraction(8 + 6 + 3 + 2 + 7 + 9, 60)
    assert (
        analysis.means["participation"] == (Fraction(5 + 1 + 4 + 3 + 0, 10) + Fraction(0, 11)) / 6
    )
    assert analysis.means["expectation"] == Fraction(9 + 2 + 5 + 1 + 2 + 10, 60)
    assert analysis.mean_percent("interest") == 58.3
    assert [r.number for r in analysis.groups(2)["B'"]] == [2]


def test_at_the_mean_counts_as_at_or_above(districts):
    # Two issues whose interest shares average to exactly one of them? With
    # three issues at 20/50/80 the mean is 50: the middle issue is "at".
    rows = []
    for r in range(10):
        rows.append(
            answer_row(
                f"M{r}",
                issues={
                    1: ("1" if r < 2 else "4", "1" if r < 5 else "3", "1"),
                    2: ("1" if r < 5 else "4", "1" if r < 5 else "3", "1"),
                    3: ("1" if r < 8 else "4", "1" if r < 5 else "3", "1"),
                },
            )
        )
    survey = import_answers(data=answers_file(rows), survey_code="MEAN", by=SYSTEM).survey
    groups = {row.number: row.group1 for row in analyse(survey).rows}
    assert groups == {1: "C", 2: "A", 3: "A"}


def test_cross_tab_suppresses_cells_under_five(known):
    table = tables.crosstab(known, "sex", "interest")
    assert table["groups"] == ["男", "女"]
    assert [c.n for c in table["respondents"]] == [8, 3]
    assert table["respondents"][1].suppressed and not table["respondents"][0].suppressed
    issue1 = next(i for i in table["issues"] if i["number"] == 1)
    men, women = issue1["cells"]
    assert men.n == 7 and men.percent == round(100 * 7 / 7, 1)
    assert women.n == 3 and women.suppressed and women.percent is None


def test_cross_tab_page_shows_secret_cells_not_their_values(known, client_as):
    client = client_as(Role.COORDINATOR)
    response = client.get(f"/surveys/surveys/{known.code}/crosstab/?dimension=sex")
    assert response.status_code == 200
    body = response.content.decode()
    assert "秘匿" in body
    assert AuditLogEntry.objects.filter(action="surveys.crosstab.viewed").exists()


def test_import_answers_command_reads_the_sample_and_prints_the_count(districts, capsys):
    call_command("import_answers", str(DATA / "answers_sample.csv"), "--survey", "R7")
    assert capsys.readouterr().out.strip() == "12"
    survey = Survey.objects.get(code="R7")
    assert survey.is_imported
    assert Response.objects.filter(survey=survey).count() == 12
    # Full-width digits are read as digits.
    third = Response.objects.get(survey=survey, respondent_number="S00003")
    assert third.issue_answers.get(issue__number=1).interest == 1


def test_import_answers_is_all_or_nothing_with_line_column_reason(districts, capsys):
    call_command("import_answers", str(DATA / "answers_sample.csv"), "--survey", "R7")
    capsys.readouterr()
    bad = answers_file(
        [
            answer_row("N1", issues={1: ("1", "1", "1")}),
            answer_row("S00001"),  # already in the survey
            answer_row("N3", area="Z99"),
            answer_row("N4", issues={2: ("5", "", "")}),
            answer_row("N1"),
        ]
    )
    path = DATA.parent / "bad_answers.tmp.csv"
    path.write_bytes(bad)
    try:
        with pytest.raises(SystemExit) as exit:
            call_command("import_answers", str(path), "--survey", "R7")
    finally:
        path.unlink()
    assert exit.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert "line 4: 地域コード: 地域コード Z99 は登録されていません。" in err
    assert any(line.startswith("line 5: 関心_02: ") for line in err)
    assert any(line.startswith("line 6: 回答番号: ") for line in err)
    assert Response.objects.filter(survey__code="R7").count() == 12
    # The file-level errors come first; numbers taken in the survey are
    # reported once the file itself is clean.
    clean_but_taken = answers_file([answer_row("S00001")])
    with pytest.raises(ImportRejected) as rejected:
        import_answers(data=clean_but_taken, survey_code="R7", by=SYSTEM)
    assert "line 2: 回答番号" in str(rejected.value)


def test_a_rejected_file_does_not_leave_a_new_survey(districts):
    with pytest.raises(ImportRejected):
        import_answers(
            data=answers_file([answer_row("X", age="5代")]), survey_code="NEW", by=SYSTEM
        )
    assert not Survey.objects.filter(code="NEW").exists()


def test_export_issue_analysis_writes_the_fixed_csv(known, tmp_path):
    out = tmp_path / "issues.csv"
    call_command("export_issue_analysis", "KNOWN", "--output", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [
        "課題番号",
        "課題",
        "回答数",
        "関心あり",
        "取組中",
        "地域に期待",
        "図1区分",
        "図2区分",
    ]
    assert rows[1][0] == "1" and rows[1][2:] == ["11", "80.0", "50.0", "90.0", "A", "A"]
    assert rows[2][2:] == ["11", "60.0", "10.0", "20.0", "B", "B'"]
    assert rows[4][2:] == ["11", "20.0", "0.0", "10.0", "D", "D"]
    assert rows[5][6:] == ["A", "C"]
    assert len(rows) == 7


def test_analysis_page_charts_and_exports(known, client_as, districts):
    earlier = import_answers(
        data=answers_file(known_rows()[:6]), survey_code="EARLIER", by=SYSTEM
    ).survey
    client = client_as(Role.COORDINATOR)
    page = client.get(f"/surveys/surveys/{known.code}/?compare={earlier.code}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "図1 課題意識と取組状況" in body and "図2 課題意識と地域への期待" in body
    assert 'id="comparison-table"' in body
    for figure in (1, 2):
        svg = client.get(f"/surveys/surveys/{known.code}/figure-{figure}.svg")
        assert svg["Content-Type"] == "image/svg+xml"
        assert svg.content.lstrip().startswith(b"<?xml") and b"<svg" in svg.content
    csv_response = client.get(f"/surveys/surveys/{known.code}/issues.csv")
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    xlsx = client.get(f"/surveys/surveys/{known.code}/analysis.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book["課題別"]["G2"].value == "A"
    assert "性別×関心あり" in book.sheetnames
    assert book["性別×関心あり"]["D2"].value == "秘匿"
    assert AuditLogEntry.objects.filter(action="surveys.analysis.exported").count() == 2


def test_analysis_workbook_drops_control_characters_and_neutralises_formulas(
    known, client_as, districts
):
    # Titles and names pasted from Word may hold a vertical tab, which openpyxl
    # refuses: the workbook drops it rather than fail, and guards formulas as
    # the CSV does.
    from areas.models import Area, LocalIssue

    LocalIssue.objects.filter(number=1).update(title="=防災\x0b対策")
    Area.objects.filter(code="A01").update(name="東\x1f地域")
    response = client_as(Role.COORDINATOR).get(f"/surveys/surveys/{known.code}/analysis.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    issues = book["課題別"]
    assert issues["A2"].value == 1 and issues["B2"].value == "'=防災対策"
    assert issues["D2"].value == 80.0  # numbers stay numbers
    crosstab = book["地域×関心あり"]
    assert [c.value for c in crosstab[1]][:3] == ["課題番号", "課題", "東地域"]
    assert crosstab["B3"].value == "'=防災対策"


def test_comparison_pairs_issues_and_reports_changes(known, districts):
    earlier = import_answers(
        data=answers_file(known_rows()[:5]), survey_code="EARLIER", by=SYSTEM
    ).survey
    result = tables.comparison(known, earlier)
    first = next(r for r in result["rows"] if r["number"] == 1)
    assert first["earlier_interest"] == 100.0 and first["interest"] == 80.0
    assert first["change_interest"] == -20.0


def test_analysis_is_aggregated_in_a_few_queries(known, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        analyse(known)


def test_english_pages_translate_the_dimensions_and_the_workbook_stays_japanese(known, client_as):
    client = client_as(Role.COORDINATOR)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/surveys/surveys/{known.code}/").content.decode()
    assert "By Age group" in page and "By Sex" in page and "By Area" in page
    assert "年齢区分" not in page and "性別" not in page
    crosstab = client.get(f"/surveys/surveys/{known.code}/crosstab/?dimension=sex")
    assert "性別" not in crosstab.content.decode()
    xlsx = client.get(f"/surveys/surveys/{known.code}/analysis.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert "性別×関心あり" in book.sheetnames and "地域×地域に期待" in book.sheetnames
