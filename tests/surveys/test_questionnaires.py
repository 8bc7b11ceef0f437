"""The questionnaire builder: the standard questionnaire, copies, questions,
preview, and the freeze once answers arrive."""

from datetime import date

import pytest

from portal.models import AuditLogEntry, Role
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


# --- Editing and reordering (plain forms, no JavaScript) -----------------------------


def _copy(client):
    client.get("/surveys/questionnaires/")
    standard = Questionnaire.objects.get(is_standard=True)
    client.post(f"/surveys/questionnaires/{standard.pk}/copy/", {"title": "編集する調査票"})
    return Questionnaire.objects.get(title="編集する調査票")


def _layout(questionnaire):
    """[(section title, [question texts])] in the resident's order."""
    return [
        (s.title, [q.text for q in s.questions.order_by("order", "pk")])
        for s in questionnaire.sections.order_by("order", "pk")
    ]


def test_coordinator_edits_reorders_and_removes_questions_and_sections(client_as, catalogue):
    client = client_as(Role.COORDINATOR)
    copy = _copy(client)
    url = f"/surveys/questionnaires/{copy.pk}"
    first, second = copy.sections.order_by("order")[:2]
    last = copy.sections.order_by("order").last()
    client.post(
        f"{url}/questions/new/",
        {"section": last.pk, "kind": "single", "text": "よく使う施設", "choices": "公民館\n図書館"},
    )
    client.post(
        f"{url}/questions/new/", {"section": last.pk, "kind": "text", "text": "追加の自由記述"}
    )
    facility = Question.objects.get(section__questionnaire=copy, text="よく使う施設")

    detail = client.get(f"{url}/").content.decode()
    assert f'action="{url}/questions/{facility.pk}/move/"' in detail
    assert 'name="direction" value="up"' in detail and "<script" not in detail
    assert f'href="{url}/questions/{facility.pk}/edit/"' in detail

    # Edit: text, options and required, shown filled in first.
    form = client.get(f"{url}/questions/{facility.pk}/edit/").content.decode()
    assert "設問を編集" in form and "公民館\n図書館" in form
    response = client.post(
        f"{url}/questions/{facility.pk}/edit/",
        {
            "section": last.pk,
            "kind": "multiple",
            "text": "よく使う施設（いくつでも）",
            "choices": "公民館\n図書館\n体育館",
            "required": "on",
        },
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.text == "よく使う施設（いくつでも）" and facility.kind == "multiple"
    assert facility.choices == ["公民館", "図書館", "体育館"] and facility.required
    bad = client.post(
        f"{url}/questions/{facility.pk}/edit/",
        {"section": last.pk, "kind": "single", "text": "x", "choices": "ひとつ"},
    )
    assert bad.status_code == 400 and "選択肢を2つ以上" in bad.content.decode()

    # Down and up within a section.
    client.post(f"{url}/questions/{facility.pk}/move/", {"direction": "down"})
    assert _layout(copy)[-1][1][-2:] == ["追加の自由記述", "よく使う施設（いくつでも）"]
    client.post(f"{url}/questions/{facility.pk}/move/", {"direction": "up"})
    assert _layout(copy)[-1][1][-2:] == ["よく使う施設（いくつでも）", "追加の自由記述"]
    # The first question of a section goes up to the end of the section before.
    top = second.questions.order_by("order").first()
    client.post(f"{url}/questions/{top.pk}/move/", {"direction": "up"})
    layout = _layout(copy)
    assert layout[0][1][-1] == top.text and top.text not in layout[1][1]
    orders = list(first.questions.order_by("order").values_list("order", flat=True))
    assert orders == list(range(1, len(orders) + 1))
    # The very first question cannot go further up: a message, nothing moves.
    very_first = first.questions.order_by("order").first()
    refused = client.post(
        f"{url}/questions/{very_first.pk}/move/", {"direction": "up"}, follow=True
    )
    assert "これ以上上へは移動できません" in refused.content.decode()

    # Sections: rename, move, remove (only when empty).
    client.post(
        f"{url}/sections/{second.pk}/edit/", {"title": "地域の課題（前半）", "description": "説明"}
    )
    client.post(f"{url}/sections/{second.pk}/move/", {"direction": "up"})
    assert _layout(copy)[0][0] == "地域の課題（前半）"
    refused = client.post(f"{url}/sections/{last.pk}/delete/", follow=True)
    assert "設問のある区切りは削除できません" in refused.content.decode()
    assert copy.sections.filter(pk=last.pk).exists()
    client.post(f"{url}/sections/new/", {"title": "空の区切り"})
    empty = copy.sections.get(title="空の区切り")
    client.post(f"{url}/sections/{empty.pk}/delete/")
    assert not copy.sections.filter(title="空の区切り").exists()
    orders = list(copy.sections.order_by("order").values_list("order", flat=True))
    assert orders == list(range(1, len(orders) + 1))

    # The resident's preview follows the new order.
    preview = client.get(f"{url}/preview/").content.decode()
    assert preview.index("地域の課題（前半）") < preview.index(first.title)
    assert preview.index("よく使う施設（いくつでも）") < preview.index("追加の自由記述")
    changes = AuditLogEntry.objects.filter(
        action="surveys.questionnaire.changed", target_id=str(copy.pk)
    )
    assert changes.filter(data__moved="question").count() == 3
    assert changes.filter(data__moved="section").count() == 1


def test_analysis_questions_keep_their_kind_and_options(client_as, catalogue):
    client = client_as(Role.COORDINATOR)
    copy = _copy(client)
    age = Question.objects.get(section__questionnaire=copy, profile="age_band")
    url = f"/surveys/questionnaires/{copy.pk}/questions/{age.pk}/edit/"
    page = client.get(url).content.decode()
    assert "集計に使う設問のため" in page
    client.post(
        url,
        {
            "section": age.section_id,
            "kind": "text",
            "text": "あなたの年齢（年代）",
            "choices": "若い\n若くない",
        },
    )
    age.refresh_from_db()
    assert age.text == "あなたの年齢（年代）"
    assert age.kind == "single" and age.choices[0] == "10代"


def test_a_frozen_questionnaire_refuses_every_edit_with_a_message(client_as, catalogue):
    client = client_as(Role.COORDINATOR)
    copy = _copy(client)
    url = f"/surveys/questionnaires/{copy.pk}"
    question = Question.objects.filter(section__questionnaire=copy).order_by("pk").last()
    section = copy.sections.order_by("order").first()
    before = _layout(copy)
    Questionnaire.objects.filter(pk=copy.pk).update(frozen_on=date(2026, 11, 1))

    detail = client.get(f"{url}/").content.decode()
    assert "回答が届いたため、この調査票は確定しています" in detail
    assert "/move/" not in detail and "/edit/" not in detail
    shown = client.get(f"{url}/questions/{question.pk}/edit/", follow=True)
    assert "回答が届いた調査票は変更できません" in shown.content.decode()
    posted = client.post(
        f"{url}/questions/{question.pk}/edit/",
        {"section": question.section_id, "kind": "text", "text": "変えた設問"},
    )
    assert posted.status_code == 400
    assert "回答が届いた調査票は変更できません" in posted.content.decode()
    for path, data in (
        (f"{url}/questions/{question.pk}/move/", {"direction": "up"}),
        (f"{url}/sections/{section.pk}/move/", {"direction": "down"}),
        (f"{url}/sections/{section.pk}/edit/", {"title": "変えた見出し"}),
    ):
        response = client.post(path, data, follow=True)
        assert "回答が届いた調査票は変更できません" in response.content.decode(), path
    assert _layout(copy) == before
