"""`import_answers`: a file of answers to the standard issue matrix (paper
answers keyed in by a contractor, or an earlier survey for comparison).
All-or-nothing: any bad row and nothing is written."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area, LocalIssue
from portal import audit
from portal.csvio import ErrorCollector, ImportRejected, RowError, normalise_code, read_csv
from portal.locking import locked_one

from .models import AGE_BANDS, IssueAnswer, Response, Survey

ISSUE_NUMBERS = range(1, 22)
NUMBER, AGE, SEX, AREA = "回答番号", "年齢区分", "性別", "地域コード"
PARTS = (("関心", "interest"), ("取組", "participation"), ("期待", "expectation"))
COLUMNS = [NUMBER, AGE, SEX, AREA] + [
    f"{prefix}_{n:02d}" for prefix, _attr in PARTS for n in ISSUE_NUMBERS
]
SEXES = {"": "", "1": "1", "男": "1", "2": "2", "女": "2", "3": "3", "その他": "3"}
VALUES = {"": None, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass
class AnswerImport:
    survey: Survey
    rows: int
    created: bool


def _parse(row, areas, seen, errors):
    v = row.values
    bad = []
    number = normalise_code(v[NUMBER])
    if not number:
        bad.append(RowError(row.line, NUMBER, _("空欄です。")))
    elif len(number) > 40:
        bad.append(RowError(row.line, NUMBER, _("40文字までです。")))
    elif number in seen:
        bad.append(
            RowError(
                row.line, NUMBER, _("%(line)d 行目と同じ回答番号です。") % {"line": seen[number]}
            )
        )
    else:
        seen[number] = row.line
    age = normalise_code(v[AGE])
    if age and age not in AGE_BANDS:
        bad.append(
            RowError(row.line, AGE, _("10代〜90代 のいずれかか空欄です（%(v)s）。") % {"v": age})
        )
    sex = normalise_code(v[SEX])
    if sex not in SEXES:
        bad.append(
            RowError(
                row.line, SEX, _("1・2・3（男・女・その他）か空欄です（%(v)s）。") % {"v": sex}
            )
        )
    area_code = normalise_code(v[AREA])
    if area_code and area_code not in areas:
        bad.append(
            RowError(
                row.line,
                AREA,
                _("地域コード %(code)s は登録されていません。") % {"code": area_code},
            )
        )
    issues = {}
    for prefix, attr in PARTS:
        for n in ISSUE_NUMBERS:
            column = f"{prefix}_{n:02d}"
            value = normalise_code(v[column])
            if value not in VALUES:
                bad.append(
                    RowError(
                        row.line, column, _("1〜4 のいずれかか空欄です（%(v)s）。") % {"v": value}
                    )
                )
                continue
            issues.setdefault(n, {})[attr] = VALUES[value]
    if bad:
        errors.extend(bad)
        return None
    return row.line, number, age, SEXES[sex], areas.get(area_code), issues


def import_answers(*, data, survey_code, by, progress=None):
    """Import a file of answers into survey `survey_code` (created as an
    imported survey if it does not exist). A 回答番号 already in the survey,
    or repeated in the file, makes its row bad."""
    errors = ErrorCollector()
    reader = read_csv(data, columns=COLUMNS, errors=errors)
    areas = dict(Area.objects.values_list("code", "pk"))
    issues = {i.number: i.pk for i in LocalIssue.objects.filter(number__in=ISSUE_NUMBERS)}
    seen, parsed = {}, []
    for row in reader:
        result = _parse(row, areas, seen, errors)
        if result is not None:
            parsed.append(result)
    if errors:
        raise ImportRejected(errors)
    survey_code = normalise_code(survey_code)
    if not survey_code:
        raise ImportRejected([RowError(1, "--survey", _("調査コードを指定してください。"))])
    survey, created = Survey.objects.get_or_create(
        code=survey_code, defaults={"title": survey_code, "is_imported": True}
    )
    today = timezone.localdate()
    try:
        with locked_one(Survey, survey.pk) as survey:
            taken = set(
                Response.objects.filter(
                    survey=survey, respondent_number__in=[p[1] for p in parsed]
                ).values_list("respondent_number", flat=True)
            )
            for line, number, *_rest in parsed:
                if number in taken:
                    errors.add(
                        RowError(line, NUMBER, _("この回答番号はすでに取り込まれています。"))
                    )
            if errors:
                raise ImportRejected(errors)
            responses, answers = [], []
            for done, (_line, number, age, sex, area_id, values) in enumerate(parsed, start=1):
                response = Response(
                    survey=survey,
                    answered_on=today,
                    age_band=age,
                    sex=sex,
                    area_id=area_id,
                    source=Response.Source.IMPORTED,
                    respondent_number=number,
                )
                responses.append(response)
                for n, parts in values.items():
                    if n in issues and any(p is not None for p in parts.values()):
                        answers.append(
                            IssueAnswer(
                                response=response, survey=survey, issue_id=issues[n], **parts
                            )
                        )
                if progress and done % 1000 == 0:
                    progress(done, len(parsed))
            Response.objects.bulk_create(responses, batch_size=2000)
            IssueAnswer.objects.bulk_create(answers, batch_size=5000)
            survey.answers_changed()
            audit.record(
                by=by,
                action="surveys.answers.imported",
                target=survey,
                data={"rows": len(responses), "created_survey": created},
            )
    except ImportRejected:
        if created:
            with transaction.atomic():
                Survey.objects.filter(pk=survey.pk, responses__isnull=True).delete()
        raise
    if progress:
        progress(len(parsed), len(parsed))
    return AnswerImport(survey=survey, rows=len(parsed), created=created)
