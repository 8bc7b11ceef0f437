from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from portal.widgets import DateFieldsField

from .models import Draw, Register, Sex

MAX_REGISTER_BYTES = 300 * 1024 * 1024


class LegalBasisForm(forms.Form):
    purpose = forms.CharField(
        label=_("利用目的"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("例: 市民意識調査の対象者の無作為抽出"),
    )
    legal_basis = forms.CharField(
        label=_("法的根拠"),
        max_length=300,
        help_text=_("例: 個人情報保護審議会の承認、住民基本台帳法第11条の2"),
    )
    approval_body = forms.CharField(label=_("承認機関"), max_length=200, required=False)
    approval_number = forms.CharField(label=_("承認番号"), max_length=100, required=False)
    approval_date = DateFieldsField(label=_("承認日"), required=False)

    def legal_basis_values(self):
        data = self.cleaned_data
        return {
            "purpose": data["purpose"],
            "legal_basis": data["legal_basis"],
            "approval_body": data["approval_body"],
            "approval_number": data["approval_number"],
            "approval_date": data["approval_date"],
        }


class RegisterImportForm(LegalBasisForm):
    file = forms.FileField(
        label=_("住民基本台帳のCSVファイル"),
        help_text=_(
            "Shift_JIS（CP932）または UTF-8 のCSVファイル。住民票コード・個人番号の列があるファイルは取り込めません。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    reference_date = DateFieldsField(label=_("基準日"))
    field_order = ["file", "reference_date", "purpose", "legal_basis"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("拡張子が .csv のファイルを選んでください。"))
        if upload.size > MAX_REGISTER_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます（300MBまで）。"))
        if upload.size == 0:
            raise forms.ValidationError(_("ファイルが空です。"))
        return upload


class PurgeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("この名簿の住民データをすべて消去します（元に戻せません）"), required=True
    )


class DrawForm(LegalBasisForm):
    title = forms.CharField(label=_("調査名"), max_length=200)
    register = forms.ModelChoiceField(
        label=_("名簿（基準日）"),
        queryset=Register.objects.filter(purged_at__isnull=True, row_count__gt=0),
        empty_label=None,
    )
    size = forms.IntegerField(label=_("抽出数"), min_value=1, max_value=1_000_000)
    method = forms.ChoiceField(
        label=_("抽出方法"), choices=Draw.Method.choices, initial=Draw.Method.STRATIFIED
    )
    age_min = forms.IntegerField(
        label=_("年齢（下限）"), min_value=0, max_value=130, required=False
    )
    age_max = forms.IntegerField(
        label=_("年齢（上限）"), min_value=0, max_value=130, required=False
    )
    as_of = DateFieldsField(
        label=_("年齢を数える日"), required=False, help_text=_("空欄なら名簿の基準日です。")
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("対象地域"),
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選ばなければ全地域です。"),
    )
    sexes = forms.MultipleChoiceField(
        label=_("対象の性別"),
        choices=[(Sex.MALE, _("男")), (Sex.FEMALE, _("女")), ("-", _("記録なし"))],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選ばなければ全員です。"),
    )
    exclude_recent = forms.IntegerField(
        label=_("直近の抽出で選ばれた人を除く（抽出の件数）"),
        min_value=0,
        max_value=20,
        initial=0,
    )
    seed = forms.CharField(
        label=_("乱数シード"),
        max_length=100,
        help_text=_("同じ名簿・条件・シードなら同じ人が選ばれます。記録して公開できます。"),
    )
    answer_deadline = DateFieldsField(label=_("回答期限"), required=False)
    closes_on = DateFieldsField(
        label=_("調査終了日"),
        required=False,
        help_text=_("この日から一定期間後に名簿を自動で消去します。"),
    )
    field_order = [
        "title",
        "register",
        "size",
        "method",
        "age_min",
        "age_max",
        "as_of",
        "areas",
        "sexes",
        "exclude_recent",
        "seed",
        "purpose",
        "legal_basis",
        "approval_body",
        "approval_number",
        "approval_date",
        "answer_deadline",
        "closes_on",
    ]

    def clean(self):
        data = super().clean()
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("上限は下限以上にしてください。"))
        return data

    def draw_values(self):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "register": data["register"],
            "size": data["size"],
            "method": data["method"],
            "age_min": data["age_min"],
            "age_max": data["age_max"],
            "as_of": data["as_of"],
            "area_codes": [a.code for a in data["areas"]],
            "sexes": ["" if s == "-" else s for s in data["sexes"]],
            "exclude_recent": data["exclude_recent"] or 0,
            "seed": data["seed"],
            "answer_deadline": data["answer_deadline"],
            "closes_on": data["closes_on"],
            **self.legal_basis_values(),
        }


class MailingListForm(forms.Form):
    encoding = forms.ChoiceField(
        label=_("文字コード"),
        choices=[("utf-8", _("UTF-8（BOM付き）")), ("cp932", _("Shift_JIS（CP932）"))],
        initial="utf-8",
    )


class AnswerCodeForm(forms.Form):
    code = forms.CharField(
        label=_("アクセスコード"),
        max_length=30,
        help_text=_("案内状に印刷された12文字のコード（例: AB12-CD34-EF56）"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
