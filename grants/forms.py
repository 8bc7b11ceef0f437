from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area, LocalIssue, SdgGoal
from portal.widgets import DateFieldsField

from .models import Attachment, BudgetLine, Programme


def _yen(label, **kwargs):
    return forms.IntegerField(label=label, min_value=0, max_value=10**12, **kwargs)


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("事業名"), max_length=200)
    kind = forms.ChoiceField(label=_("種別"), choices=Programme.Kind.choices)
    fiscal_year = forms.IntegerField(
        label=_("年度（西暦）"),
        min_value=2000,
        max_value=2100,
        help_text=_("例: 2026（令和8年度）"),
    )
    budget = _yen(_("予算額（円）"))
    opens_on = DateFieldsField(label=_("募集開始日"), required=False)
    closes_on = DateFieldsField(label=_("募集締切日"), required=False)
    eligibility = forms.CharField(label=_("対象・要件"), widget=forms.Textarea, required=False)
    required_attachments = forms.CharField(
        label=_("必要な添付書類"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("1行に1つ書いてください。"),
    )
    criteria = forms.CharField(
        label=_("評価項目"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "1行に1項目、「項目名,重み」または「項目名,重み,満点」（例: 地域課題との関連,3,5）。"
        ),
    )

    def clean_criteria(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            try:
                weight = int(parts[1]) if len(parts) > 1 else 1
                maximum = int(parts[2]) if len(parts) > 2 else 5
            except ValueError:
                raise forms.ValidationError(
                    _("%(n)d行目: 重みと満点は整数で書いてください。") % {"n": number}
                ) from None
            if not parts[0] or weight < 1 or not 1 <= maximum <= 100:
                raise forms.ValidationError(
                    _("%(n)d行目: 項目名、1以上の重み、1〜100の満点を書いてください。")
                    % {"n": number}
                )
            rows.append((parts[0], weight, maximum))
        return rows

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("opens_on"), cleaned.get("closes_on")
        if start and end and end < start:
            self.add_error("closes_on", _("募集締切日は募集開始日以降にしてください。"))
        return cleaned

    @staticmethod
    def initial_for(programme):
        return {
            **{
                f: getattr(programme, f)
                for f in (
                    "name",
                    "kind",
                    "fiscal_year",
                    "budget",
                    "opens_on",
                    "closes_on",
                    "eligibility",
                    "required_attachments",
                )
            },
            "criteria": "\n".join(
                f"{c.name},{c.weight},{c.max_score}" for c in programme.criteria.all()
            ),
        }


class WeightsForm(forms.Form):
    base_weight = forms.IntegerField(label=_("均等割の重み"), min_value=0, max_value=1000)
    per_capita_weight = forms.IntegerField(label=_("人口割の重み"), min_value=0, max_value=1000)
    per_household_weight = forms.IntegerField(label=_("世帯割の重み"), min_value=0, max_value=1000)

    def clean(self):
        cleaned = super().clean()
        if sum(cleaned.get(k) or 0 for k in self.fields) <= 0:
            raise forms.ValidationError(_("重みの合計を1以上にしてください。"))
        return cleaned


# More than any city has, and within the database's integer column.
MAX_HEADCOUNT = 100_000_000


class AllocationInputsForm(forms.Form):
    """Population and households per area, entered by hand."""

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        by_area = {line.area_id: line for line in lines}
        self.areas = list(Area.objects.order_by("code"))
        for area in self.areas:
            line = by_area.get(area.pk)
            self.fields[f"population_{area.pk}"] = forms.IntegerField(
                label=_("%(area)sの人口") % {"area": area.name},
                min_value=0,
                max_value=MAX_HEADCOUNT,
                initial=line.population if line else 0,
            )
            self.fields[f"households_{area.pk}"] = forms.IntegerField(
                label=_("%(area)sの世帯数") % {"area": area.name},
                min_value=0,
                max_value=MAX_HEADCOUNT,
                initial=line.households if line else 0,
            )

    def inputs(self):
        return {
            area: (
                self.cleaned_data[f"population_{area.pk}"],
                self.cleaned_data[f"households_{area.pk}"],
            )
            for area in self.areas
        }


# One row per area: a real file is a few kilobytes. The cap is checked on
# the upload's size before anything reads it.
MAX_SPREADSHEET_BYTES = 1024 * 1024


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("ファイル（CSV または Excel）"),
        help_text=_("列: 地域コード, 人口, 世帯数（1行目は見出し）"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SPREADSHEET_BYTES:
            raise forms.ValidationError(
                _("ファイルが大きすぎます（上限 1 MB）。地域ごとに1行の表を選んでください。"),
                code="too_large",
            )
        return upload


class ApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("申請する団体"), queryset=None)
    area = forms.ModelChoiceField(label=_("活動地域"), queryset=Area.objects.order_by("code"))
    title = forms.CharField(label=_("事業名"), max_length=200)
    purpose = forms.CharField(
        label=_("目的"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    plan = forms.CharField(
        label=_("実施計画"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=8000,
        required=False,
    )
    issues = forms.ModelMultipleChoiceField(
        label=_("地域課題"),
        queryset=LocalIssue.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sdg_goals = forms.ModelMultipleChoiceField(
        label=_("SDGs"),
        queryset=SdgGoal.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class BudgetLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("収支"), choices=BudgetLine.Kind.choices)
    item = forms.CharField(label=_("費目"), max_length=200)
    amount = _yen(_("金額（円）"))
    note = forms.CharField(label=_("内訳・備考"), max_length=400, required=False)


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=3, can_delete=True, max_num=50)


def budget_rows(formset):
    return [
        (
            f.cleaned_data["kind"],
            f.cleaned_data["item"],
            f.cleaned_data["amount"],
            f.cleaned_data["note"],
        )
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class AttachmentForm(forms.Form):
    label = forms.CharField(label=_("書類名"), max_length=200, required=False)
    file = forms.FileField(
        label=_("ファイル"),
        help_text=_("PDF、画像（PNG・JPEG）、Word・Excel・PowerPoint。10 MBまで。"),
    )


class ReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("審査員"), queryset=None)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
        self.fields["reviewer"].label_from_instance = lambda u: u.full_name or u.email


class ConflictForm(forms.Form):
    conflicted = forms.TypedChoiceField(
        label=_("この申請との利害関係"),
        choices=[
            ("no", _("利害関係はありません")),
            ("yes", _("利害関係があります（採点しません）")),
        ],
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )
    note = forms.CharField(label=_("利害関係の内容（ある場合）"), max_length=400, required=False)


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"criterion_{c.pk}"] = forms.IntegerField(
                label=_("%(name)s（重み%(w)d、0〜%(max)d点）")
                % {"name": c.name, "w": c.weight, "max": c.max_score},
                min_value=0,
                max_value=c.max_score,
            )
        self.fields["comment"] = forms.CharField(
            label=_("講評"),
            widget=forms.Textarea(attrs={"rows": 4}),
            required=False,
            max_length=4000,
        )

    def scores(self):
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("決定"),
        choices=[("approve", _("交付決定")), ("reject", _("不採択"))],
        widget=forms.RadioSelect,
    )
    amount = _yen(_("交付決定額（円）"), required=False)
    conditions = forms.CharField(
        label=_("交付条件"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reason = forms.CharField(
        label=_("不採択の理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "approve" and not cleaned.get("amount"):
            self.add_error("amount", _("交付決定額を入力してください。"))
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("不採択の理由を入力してください。"))
        return cleaned


class ReportForm(forms.Form):
    activities = forms.CharField(
        label=_("実施した活動"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000
    )
    events_held = forms.IntegerField(label=_("開催回数"), min_value=0)
    participants = forms.IntegerField(label=_("参加者数（延べ）"), min_value=0)
    outcomes = forms.CharField(
        label=_("成果"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000, required=False
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"actual_{line.pk}"] = _yen(
                _("%(item)s（%(kind)s、計画 %(amount)s円）の実績額")
                % {
                    "item": line.item,
                    "kind": line.get_kind_display(),
                    "amount": f"{line.amount:,}",
                },
            )

    def actuals(self):
        return {line.pk: self.cleaned_data[f"actual_{line.pk}"] for line in self.lines}


class ReportDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("確認結果"),
        choices=[("accept", _("受理する")), ("return", _("差し戻す"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("所見・差戻しの理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PaymentForm(forms.Form):
    amount = _yen(_("支払額（円）"))
    paid_on = DateFieldsField(label=_("支払日"))


class ReceiptForm(AttachmentForm):
    purpose = forms.CharField(widget=forms.HiddenInput, initial=Attachment.Purpose.RECEIPT)
