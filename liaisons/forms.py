from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area, LocalIssue, Organisation
from portal.models import Role, User

from .attachments import MAX_ATTACHMENTS
from .models import AreaAssignment, Consultation, OfficerProfile, SupportRequest, Tier


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.txt,.csv"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SupportRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("団体"), queryset=Organisation.objects.none())
    area = forms.ModelChoiceField(
        label=_("地域"),
        queryset=Area.objects.all(),
        help_text=_("支援を受ける地域（団体が活動している地域）を選んでください。"),
    )
    tier = forms.ChoiceField(
        label=_("支援の種類"),
        choices=Tier.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A 行事の手伝い／B 申請・届出の代行／C 会計事務／D 会議の同席・進行／"
            "E 補助金・関係機関の紹介／F ビジョン策定・事業企画"
        ),
    )
    title = forms.CharField(label=_("件名"), max_length=200)
    description = forms.CharField(label=_("内容"), max_length=4000, widget=forms.Textarea)
    desired_date = forms.DateField(label=_("希望日"), required=False, widget=_date_widget())
    files = MultipleFileField(
        label=_("添付ファイル"),
        required=False,
        help_text=_("PDF、PNG、JPEG、テキスト、CSV。1件10MBまで、5件まで。"),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first().pk

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("添付ファイルは5件までです。"))
        return files

    def clean(self):
        data = super().clean()
        organisation, area = data.get("organisation"), data.get("area")
        if organisation and area and not organisation.areas.filter(pk=area.pk).exists():
            self.add_error("area", _("この団体は選んだ地域で活動していません。"))
        return data


class OnBehalfRequestForm(SupportRequestForm):
    """Staff key a request in after a phone call or a visit."""

    channel = forms.ChoiceField(
        label=_("受付方法"),
        choices=[
            (SupportRequest.Channel.PHONE, SupportRequest.Channel.PHONE.label),
            (SupportRequest.Channel.WALK_IN, SupportRequest.Channel.WALK_IN.label),
        ],
    )
    contact_name = forms.CharField(label=_("連絡先の氏名"), max_length=150)
    contact_phone = forms.CharField(label=_("連絡先電話番号"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("連絡先メールアドレス"), required=False)

    field_order = ["channel", "contact_name", "contact_phone", "contact_email"]


class RequestFilterForm(forms.Form):
    area = forms.ModelChoiceField(label=_("地域"), queryset=Area.objects.all(), required=False)
    tier = forms.ChoiceField(
        label=_("種類"), choices=[("", "---------"), *Tier.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("状態"), choices=[("", "---------"), *SupportRequest.Status.choices], required=False
    )
    officer = forms.ModelChoiceField(
        label=_("担当職員"), queryset=OfficerProfile.objects.select_related("user"), required=False
    )
    since = forms.DateField(label=_("受付日（から）"), required=False, widget=_date_widget())
    until = forms.DateField(label=_("受付日（まで）"), required=False, widget=_date_widget())

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("期間の始めは終わりより前の日にしてください。"))
        return data


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AssignForm(VersionedForm):
    officer = forms.ModelChoiceField(
        label=_("担当職員"),
        queryset=OfficerProfile.objects.filter(is_active=True).select_related("user"),
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("コメント"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TransitionForm(VersionedForm):
    """One form for the moves on the request page; which fields matter
    depends on `to` (the service says what is missing)."""

    to = forms.ChoiceField(choices=SupportRequest.Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("コメント"), required=False, max_length=2000)
    hours = forms.DecimalField(
        label=_("対応時間（時間）"), required=False, min_value=0, max_digits=6, decimal_places=2
    )
    outcome = forms.CharField(label=_("対応結果"), required=False, max_length=4000)
    department = forms.CharField(label=_("引継ぎ先の部署"), required=False, max_length=100)
    reason = forms.CharField(label=_("お断りの理由"), required=False, max_length=2000)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("評価"),
        coerce=int,
        choices=[(n, f"{n}") for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
        help_text=_("5がとても良い、1がとても悪い"),
    )
    comment = forms.CharField(
        label=_("コメント"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OfficerCreateForm(forms.ModelForm):
    user = forms.ModelChoiceField(label=_("職員"), queryset=User.objects.none())

    class Meta:
        model = OfficerProfile
        fields = ["user", "department", "experience"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            role_assignments__role=Role.LIAISON_OFFICER, liaison_profile__isnull=True
        ).order_by("full_name_kana", "email")
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name()}（{u.email}）"


class OfficerUpdateForm(forms.ModelForm):
    class Meta:
        model = OfficerProfile
        fields = ["department", "experience", "is_active"]


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = AreaAssignment
        fields = ["area", "kind", "valid_from", "valid_until"]
        widgets = {"valid_from": _date_widget(), "valid_until": _date_widget()}


class EndAssignmentForm(forms.Form):
    valid_until = forms.DateField(label=_("終了日"), widget=_date_widget())


class SettingsForm(forms.Form):
    route_a_to_c_to = forms.ModelChoiceField(
        label=_("A〜Cの依頼を回付する中間支援組織"),
        queryset=Organisation.objects.filter(is_active=True, approved_at__isnull=False).order_by(
            "name_kana", "name"
        ),
        required=False,
        help_text=_("空欄のときは、A〜Cの依頼も地域担当職員が対応します。"),
    )


class ConsultationForm(forms.ModelForm):
    topic = forms.ModelChoiceField(
        label=_("地域課題"), queryset=LocalIssue.objects.filter(is_active=True), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("団体"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name_kana", "name"),
        required=False,
    )

    class Meta:
        model = Consultation
        fields = [
            "received_on",
            "channel",
            "area",
            "organisation",
            "topic",
            "summary",
            "outcome",
            "referred_department",
        ]
        widgets = {"received_on": _date_widget(), "summary": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == Consultation.Outcome.REFERRED
            and not (data.get("referred_department") or "").strip()
        ):
            self.add_error(
                "referred_department", _("他部署へ引き継いだときは、部署名を入力してください。")
            )
        return data


class ConsultationEditForm(ConsultationForm):
    """The same fields, plus the digest of the values the page showed."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class ConsultationFilterForm(forms.Form):
    area = forms.ModelChoiceField(label=_("地域"), queryset=Area.objects.all(), required=False)
    since = forms.DateField(label=_("受付日（から）"), required=False, widget=_date_widget())
    until = forms.DateField(label=_("受付日（まで）"), required=False, widget=_date_widget())


class ReportYearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=())

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        from portal.dates import fiscal_year_label

        self.fields["year"].choices = [(y, fiscal_year_label(y)) for y in years]
