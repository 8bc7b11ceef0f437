"""Forms of the questionnaire: one per page (section) for residents, the whole
questionnaire for staff keying in a paper answer, and the builder's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area

from .models import (
    EXPECTATION_CHOICES,
    INTEREST_CHOICES,
    PARTICIPATION_CHOICES,
    Question,
    Questionnaire,
    Survey,
)

MATRIX_PARTS = (
    ("i", _("関心"), INTEREST_CHOICES),
    ("p", _("ご自身の取組"), PARTICIPATION_CHOICES),
    ("e", _("地域への期待"), EXPECTATION_CHOICES),
)
BLANK = [("", _("選んでください"))]


def field_name(question, issue=None, part=None):
    if issue is None:
        return f"q{question.pk}"
    return f"q{question.pk}_{issue.number}_{part}"


def _areas():
    return [(a.code, a.name) for a in Area.objects.order_by("code")]


def question_fields(question):
    """[(name, field)] for one question."""
    required = question.required
    label = question.text
    help_text = question.help_text
    if question.kind == Question.Kind.ISSUE_MATRIX:
        fields = []
        for issue in question.issues():
            for part, part_label, choices in MATRIX_PARTS:
                fields.append(
                    (
                        field_name(question, issue, part),
                        forms.TypedChoiceField(
                            label=part_label,
                            choices=BLANK + [(str(v), label) for v, label in choices],
                            coerce=int,
                            empty_value=None,
                            required=required,
                        ),
                    )
                )
        return fields
    if question.profile == Question.Profile.AREA:
        choices = _areas()
    else:
        choices = [(str(n), text) for n, text in enumerate(question.choices, start=1)]
    if question.kind in (Question.Kind.SINGLE, Question.Kind.LIKERT):
        field = forms.ChoiceField(
            label=label,
            help_text=help_text,
            choices=choices,
            required=required,
            widget=forms.RadioSelect,
        )
    elif question.kind == Question.Kind.MULTIPLE:
        field = forms.MultipleChoiceField(
            label=label,
            help_text=help_text,
            choices=choices,
            required=required,
            widget=forms.CheckboxSelectMultiple,
        )
    elif question.kind == Question.Kind.NUMBER:
        field = forms.IntegerField(
            label=label, help_text=help_text, required=required, min_value=0, max_value=10**9
        )
    else:
        field = forms.CharField(
            label=label,
            help_text=help_text,
            required=required,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
    return [(field_name(question), field)]


class AnswerForm(forms.Form):
    """The questions of some sections, as one form."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            for name, field in question_fields(question):
                self.fields[name] = field

    def matrix_rows(self, question):
        """The issue rows of a matrix question: (issue, [bound fields])."""
        rows = []
        for issue in question.issues():
            rows.append(
                (issue, [self[field_name(question, issue, part)] for part, _l, _c in MATRIX_PARTS])
            )
        return rows

    def json_data(self):
        """cleaned_data as JSON-able values (for the draft; None clears an answer)."""
        return dict(self.cleaned_data)


class VolunteerForm(forms.Form):
    wants = forms.TypedChoiceField(
        label=_("お住まいの地域の会議（地域の課題を話し合う場）に参加してみたいですか。"),
        choices=[("no", _("参加しない")), ("yes", _("参加してみたい"))],
        widget=forms.RadioSelect,
        initial="no",
    )
    name = forms.CharField(label=_("お名前"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("連絡先（電話番号またはメールアドレス）"), max_length=200, required=False
    )
    consent = forms.BooleanField(label=_("上記の説明に同意します"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("wants") == "yes":
            if not data.get("name"):
                self.add_error("name", _("参加を希望する場合はお名前を入力してください。"))
            if not data.get("contact"):
                self.add_error("contact", _("参加を希望する場合は連絡先を入力してください。"))
            if not data.get("consent"):
                self.add_error("consent", _("参加を希望する場合は同意が必要です。"))
        return data

    def volunteer(self):
        """{"name", "contact"} when the resident wants to join, else None."""
        if self.cleaned_data.get("wants") != "yes":
            return None
        return {"name": self.cleaned_data["name"], "contact": self.cleaned_data["contact"]}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("アクセスコード"),
        max_length=40,
        help_text=_("案内状に印刷された12文字のコード（例: ABCD-EFGH-JKMN）"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class PaperCodeForm(CodeForm):
    pass


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["code", "title", "fiscal_year", "draw", "questionnaire", "closes_on"]
        widgets = {"closes_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ..models import Draw

        self.fields["draw"].queryset = Draw.objects.filter(survey__isnull=True)
        self.fields["questionnaire"].queryset = Questionnaire.objects.filter(is_standard=False)
        self.fields["questionnaire"].required = True
        self.fields["draw"].required = True


class QuestionnaireCopyForm(forms.Form):
    title = forms.CharField(label=_("調査票名"), max_length=200)


class SectionForm(forms.Form):
    title = forms.CharField(label=_("見出し"), max_length=200)
    description = forms.CharField(
        label=_("説明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class QuestionForm(forms.Form):
    section = forms.ModelChoiceField(label=_("区切り"), queryset=None)
    kind = forms.ChoiceField(label=_("種類"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("設問"), max_length=500)
    help_text = forms.CharField(label=_("補足"), max_length=500, required=False)
    choices = forms.CharField(
        label=_("選択肢・段階の表示（1行に1つ）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("単一選択・複数選択・段階評価で使います。"),
    )
    issue_numbers = forms.CharField(
        label=_("地域課題の番号（カンマ区切り、空欄はすべて）"), required=False, max_length=200
    )
    required = forms.BooleanField(label=_("回答必須"), required=False)

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = questionnaire.sections.all()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        lines = [line.strip() for line in data.get("choices", "").splitlines() if line.strip()]
        data["choices"] = lines
        if (
            kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.LIKERT)
            and len(lines) < 2
        ):
            self.add_error("choices", _("選択肢を2つ以上、1行に1つずつ入力してください。"))
        numbers = []
        if kind == Question.Kind.ISSUE_MATRIX:
            from areas.models import LocalIssue

            text = data.get("issue_numbers", "").replace("、", ",")
            try:
                numbers = [int(p) for p in text.split(",") if p.strip()]
            except ValueError:
                self.add_error("issue_numbers", _("番号を半角数字とカンマで入力してください。"))
            known = set(LocalIssue.objects.filter(is_active=True).values_list("number", flat=True))
            if not numbers:
                numbers = sorted(known)
            unknown = [n for n in numbers if n not in known]
            if unknown:
                self.add_error(
                    "issue_numbers",
                    _("地域課題の一覧にない番号です: %(n)s")
                    % {"n": "、".join(str(n) for n in unknown)},
                )
        data["issue_numbers"] = numbers
        return data


class QuestionEditForm(QuestionForm):
    """The same fields, filled from a question. The age band, sex and area
    questions keep their kind and options (the analysis bands read them)."""

    def __init__(self, *args, question, **kwargs):
        self.question = question
        kwargs.setdefault(
            "initial",
            {
                "section": question.section_id,
                "kind": question.kind,
                "text": question.text,
                "help_text": question.help_text,
                "choices": "\n".join(question.choices),
                "issue_numbers": ", ".join(str(n) for n in question.issue_numbers),
                "required": question.required,
            },
        )
        super().__init__(*args, questionnaire=question.section.questionnaire, **kwargs)
        if question.profile:
            for name in ("kind", "choices"):
                self.fields[name].disabled = True
            self.fields["choices"].help_text = _(
                "集計に使う設問のため、種類と選択肢は変えられません。"
            )

    def clean(self):
        if self.question.profile:
            data = forms.Form.clean(self)
            data["kind"] = self.question.kind
            data["choices"] = list(self.question.choices)
            data["issue_numbers"] = list(self.question.issue_numbers)
            return data
        return super().clean()


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("上へ")), ("down", _("下へ"))])


class AnswerImportForm(forms.Form):
    survey_code = forms.CharField(
        label=_("調査コード"),
        max_length=40,
        help_text=_("ない場合は取込による調査として作成します（例: R7-survey）。"),
    )
    file = forms.FileField(label=_("回答ファイル（CSV）"))
