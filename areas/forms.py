from django import forms
from django.utils.translation import gettext_lazy as _

from portal.text import katakana

from . import sdgs
from .models import Area, LocalIssue, Organisation, Representation, SdgGoal

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

    def profile(self):
        """The cleaned fields that are stored on the organisation itself."""
        from .services import OrganisationProfile

        return OrganisationProfile(
            **{name: self.cleaned_data[name] for name in self.Meta.fields if name != "areas"}
        )


class OrganisationRegistrationForm(OrganisationForm):
    """A resident registers their organisation and asks to represent it."""

    position = forms.ChoiceField(label=_("あなたの役職"), choices=Representation.Position.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].help_text = _("市の職員と団体の代表者だけが見ます。")


class RepresentationApplicationForm(forms.Form):
    position = forms.ChoiceField(label=_("役職"), choices=Representation.Position.choices)
    valid_from = forms.DateField(
        label=_("就任日"),
        help_text=_("例: 2026-04-01"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=_("市への補足（任意）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("総会で選ばれた日など、確認に役立つことをお書きください。"),
    )


class LinkRepresentativeForm(forms.Form):
    email = forms.EmailField(
        label=_("代表・担当者のメールアドレス"),
        help_text=_("ポータルに登録済みの方のメールアドレス"),
        max_length=254,
    )
    position = forms.ChoiceField(label=_("役職"), choices=Representation.Position.choices)
    valid_from = forms.DateField(label=_("開始日"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("終了日（任意）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_email(self):
        from portal.models import User

        email = self.cleaned_data["email"].lower()
        user = User.objects.filter(email=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("このメールアドレスの利用者は登録されていません。"))
        self.user = user
        return email

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("終了日は開始日以降にしてください。"))
        return cleaned


class EndRepresentationForm(forms.Form):
    valid_until = forms.DateField(label=_("終了日"), widget=forms.DateInput(attrs={"type": "date"}))


class OrganisationFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("種別"), required=False, choices=[("", _("すべて")), *Organisation.Kind.choices]
    )
    area = forms.ModelChoiceField(
        label=_("活動地域"), required=False, queryset=Area.objects.all(), empty_label=_("すべて")
    )
