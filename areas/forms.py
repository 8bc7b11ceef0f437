from django import forms
from django.utils.translation import gettext_lazy as _

from portal.text import katakana

from . import sdgs
from .models import Area, LocalIssue, Organisation, SdgGoal

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSVファイル"),
        help_text=_("UTF-8 または Shift_JIS（CP932）のCSVファイル。5MBまで。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("拡張子が .csv のファイルを選んでください。"))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます（5MBまで）。"))
        if upload.size == 0:
            raise forms.ValidationError(_("ファイルが空です。"))
        return upload


class LocalIssueForm(forms.ModelForm):
    sdg_goals = forms.ModelMultipleChoiceField(
        label=_("関連するSDGs"),
        queryset=SdgGoal.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sdg_goals.label_from_instance = sdgs.goal_label

    class Meta:
        model = LocalIssue
        fields = ["number", "title", "description", "sdg_goals", "is_active"]
        help_texts = {
            "is_active": _("使わなくなった課題は削除せず、チェックを外してください。"),
        }


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("ウェブサイト"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "name_kana",
            "kind",
            "areas",
            "description",
            "website",
            "contact_email",
            "contact_phone",
        ]
        widgets = {"areas": forms.CheckboxSelectMultiple}
        help_texts = {
            "contact_email": _("市の職員だけが見ます。"),
            "contact_phone": _("市の職員だけが見ます。"),
        }

    def clean_name_kana(self):
        return katakana(self.cleaned_data["name_kana"])

    def profile_fields(self):
        """The cleaned fields that are stored on the organisation itself."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "areas"}


class OrganisationFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("種別"), required=False, choices=[("", _("すべて")), *Organisation.Kind.choices]
    )
    area = forms.ModelChoiceField(
        label=_("活動地域"), required=False, queryset=Area.objects.all(), empty_label=_("すべて")
    )
