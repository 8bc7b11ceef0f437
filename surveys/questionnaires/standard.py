"""The standard questionnaire of the resident survey (the seed's chapter 3):
age band, sex and area, then the 21-issue matrix in two pages, then free text."""

from django.utils.translation import gettext as _

from .models import AGE_BANDS, Question

TITLE = "地域活動及び市民活動に関する市民意識調査（標準）"


def sections():
    """[(title, description, [question fields])] of the standard questionnaire."""
    return [
        (
            _("あなたについて"),
            _("集計のためにお聞きします。お名前や住所はお聞きしません。"),
            [
                dict(
                    kind=Question.Kind.SINGLE,
                    text=_("あなたの年代を教えてください。"),
                    choices=AGE_BANDS,
                    profile=Question.Profile.AGE_BAND,
                ),
                dict(
                    kind=Question.Kind.SINGLE,
                    text=_("あなたの性別を教えてください。"),
                    choices=[_("男性"), _("女性"), _("その他・答えたくない")],
                    profile=Question.Profile.SEX,
                ),
                dict(
                    kind=Question.Kind.SINGLE,
                    text=_("お住まいの地域を教えてください。"),
                    choices=[],
                    profile=Question.Profile.AREA,
                ),
            ],
        ),
        (
            _("地域の課題について（1）"),
            _("それぞれの課題について、関心の程度、ご自身の取組、地域への期待をお答えください。"),
            [
                dict(
                    kind=Question.Kind.ISSUE_MATRIX,
                    text=_("地域の課題 1〜11"),
                    issue_numbers=list(range(1, 12)),
                )
            ],
        ),
        (
            _("地域の課題について（2）"),
            _("それぞれの課題について、関心の程度、ご自身の取組、地域への期待をお答えください。"),
            [
                dict(
                    kind=Question.Kind.ISSUE_MATRIX,
                    text=_("地域の課題 12〜21"),
                    issue_numbers=list(range(12, 22)),
                )
            ],
        ),
        (
            _("ご意見"),
            "",
            [
                dict(
                    kind=Question.Kind.LIKERT,
                    text=_("お住まいの地域に愛着を感じますか。"),
                    choices=[
                        _("感じる"),
                        _("どちらかといえば感じる"),
                        _("どちらかといえば感じない"),
                        _("感じない"),
                    ],
                ),
                dict(
                    kind=Question.Kind.TEXT,
                    text=_("地域の活動について、ご意見があればお書きください。"),
                ),
            ],
        ),
    ]
