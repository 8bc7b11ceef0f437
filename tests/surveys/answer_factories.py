"""Helpers for the questionnaire and analysis tests."""

import csv
import io
from datetime import date

from portal.audit import Actor
from surveys import services
from surveys.questionnaires import services as questionnaires
from surveys.questionnaires.imports import COLUMNS, ISSUE_NUMBERS
from surveys.services import codes

from .factories import LEGAL, SYSTEM, import_sample


def ensure_catalogue():
    """The 21 issues of the catalogue, which the migrations preload but a
    transactional test's flush removes."""
    from importlib import import_module

    from areas.models import LocalIssue

    preload = import_module("areas.migrations.0003_preload_catalogue")
    for number, title, _sdgs in preload.LOCAL_ISSUES:
        LocalIssue.objects.get_or_create(number=number, defaults={"title": title})


def answer_row(number, *, age="40代", sex="1", area="", issues=None):
    """One row of an answers file; `issues` maps an issue number to
    (interest, participation, expectation) ("" for no answer)."""
    issues = issues or {}
    row = {"回答番号": number, "年齢区分": age, "性別": sex, "地域コード": area}
    for n in ISSUE_NUMBERS:
        i, p, e = issues.get(n, ("", "", ""))
        row[f"関心_{n:02d}"] = i
        row[f"取組_{n:02d}"] = p
        row[f"期待_{n:02d}"] = e
    return row


def answers_file(rows, *, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def survey_with_codes(*, code="R8", size=6, closes_on=date(2099, 3, 31)):
    """A survey on a draw from the sample register, with the standard
    questionnaire copied; returns (survey, [access codes])."""
    ensure_catalogue()
    register = import_sample().register
    draw = services.draw_sample(register=register, size=size, seed="answers", by=SYSTEM, **LEGAL)
    by = Actor.for_system("tests")
    standard = questionnaires.standard_questionnaire(by=by)
    copy = questionnaires.copy_questionnaire(questionnaire=standard, title="調査票", by=by)
    survey = questionnaires.create_survey(
        code=code,
        title="令和8年度 市民意識調査",
        fiscal_year=2026,
        draw=draw,
        questionnaire=copy,
        closes_on=closes_on,
        by=by,
    )
    access = [codes.decrypt(i.code_encrypted) for i in draw.invitations.order_by("number")]
    return survey, access
