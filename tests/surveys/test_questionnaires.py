"""The questionnaire builder: the standard questionnaire, copies, questions,
preview, and the freeze once answers arrive."""

import pytest

from portal.models import Role
from surveys.models import Question, Questionnaire

pytestmark = pytest.mark.django_db


def test_coordinator_copies_the_standard_questionnaire_and_adds_questions(client_as, catalogue):
    client = client_as(Role.COORDINATOR)
    assert client.get("/surveys/questionnaires/").status_code == 200
    standard = Questionnaire.objects.get(is_standard=True)
    matrix = Question.objects.filter(
        section__questionnaire=standard, kind=Question.Kind.ISSUE_MATRIX
    )
    assert sorted(n for q in matrix for n in q.issue_numbers) == list(range(1, 22))
    profiles = set(
        Question.objects.filter(section__questionnaire=standard)
        .exclude(profile="")
        .values_list("profile", flat=True)
    )
    assert profiles == {"age_band", "sex", "area"}

    refused = client.post(
        f"/surveys/questionnaires/{standard.pk}/sections/new/", {"title": "追加"}, follow=True
    )
    assert "標準調査票は変更できません" in refused.content.decode()

    response = client.post(
        f"/surveys/questionnaires/{standard.pk}/copy/", {"title": "令和8年度 調査票"}
    )
    copy = Questionnaire.objects.get(title="令和8年度 調査票")
    assert response["Location"] == f"/surveys/questionnaires/{copy.pk}/"
    section = copy.sections.order_by("order").last()
    bad = client.post(
        f"/surveys/questionnaires/{copy.pk}/questions/new/",
        {"section": section.pk, "kind": "single", "text": "よく使う施設", "choices": "公民館"},
    )
    assert "選択肢を2つ以上" in bad.content.decode()
    client.post(
        f"/surveys/questionnaires/{copy.pk}/questions/new/",
        {
            "section": section.pk,
            "kind": "likert",
            "text": "地域の情報は届いていますか",
            "choices": "届いている\nやや届いている\nあまり届いていない\n届いていない",
        },
    )
    client.post(
        f"/surveys/questionnaires/{copy.pk}/questions/new/",
        {"section": section.pk, "kind": "number", "text": "地域活動に使う時間（月あたり）"},
    )
    likert = Question.objects.get(section=section, text="地域の情報は届いていますか")
    assert likert.choices[0] == "届いている"
    preview = client.get(f"/surveys/questionnaires/{copy.pk}/preview/")
    body = preview.content.decode()
    assert "地域の情報は届いていますか" in body and "やや届いている" in body
    assert "集合住宅内のつながりづくり" in body

    copy.frozen_on = copy.created_at.date()
    copy.save()
    frozen = client.post(
        f"/surveys/questionnaires/{copy.pk}/questions/{likert.pk}/delete/", follow=True
    )
    assert "回答が届いた調査票は変更できません" in frozen.content.decode()
    assert Question.objects.filter(pk=likert.pk).exists()


def test_only_coordinators_build_questionnaires(client_as):
    assert client_as(Role.LIAISON_OFFICER).get("/surveys/questionnaires/").status_code == 403
