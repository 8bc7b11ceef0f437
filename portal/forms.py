from dataclasses import replace

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import District

from .audit import Actor
from .labels import target_type_label
from .models import ASSIGNABLE_ROLES, AuditLogEntry, Role, User
from .services import update_profile
from .text import katakana
from .widgets import DateFieldsField


def _district_field():
    field = forms.ModelChoiceField(
        label=_("お住まいの町丁目"),
        queryset=District.objects.select_related("area").order_by("area__code", "code"),
        required=False,
        empty_label=_("選択しない"),
        help_text=User._meta.get_field("district").help_text,
    )
    field.label_from_instance = lambda d: f"{d.name}（{d.area.name}）"
    return field


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (email and password come from allauth)."""

    full_name = forms.CharField(label=_("氏名"), max_length=150, required=False)
    district = _district_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def signup(self, request, user):
        by = replace(Actor.from_request(request), user=user, role=Role.RESIDENT)
        update_profile(
            user=user,
            full_name=self.cleaned_data["full_name"].strip(),
            full_name_kana="",
            district=self.cleaned_data["district"],
            by=by,
        )


class ProfileForm(forms.ModelForm):
    district = _district_field()

    class Meta:
        model = User
        fields = ["full_name", "full_name_kana", "district"]
        help_texts = {"full_name_kana": _("全角カタカナで入力してください。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def clean_full_name_kana(self):
        return katakana(self.cleaned_data["full_name_kana"])


class AuditLogFilterForm(forms.Form):
    actor_email = forms.CharField(label=_("操作者のメールアドレス"), required=False)
    action = forms.ChoiceField(
        label=_("操作"), required=False, choices=[("", _("すべて")), *AuditLogEntry.Action.choices]
    )
    target_type = forms.ChoiceField(label=_("対象の種類"), required=False)
    date_from = DateFieldsField(label=_("期間（から）"), required=False)
    date_to = DateFieldsField(label=_("期間（まで）"), required=False)

    def __init__(self, *args, target_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = [("", _("すべて"))] + [
            (t, target_type_label(t)) for t in target_types
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("終わりの日は始まりの日以降にしてください。"))
        return cleaned


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("役割"),
        required=False,
        choices=[(role.value, role.label) for role in ASSIGNABLE_ROLES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("団体の代表者は役割ではなく、団体ごとの代表・担当の登録で決まります。"),
    )


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("メールアドレスまたは氏名"), required=False, max_length=254)
    role = forms.ChoiceField(
        label=_("役割"),
        required=False,
        choices=[("", _("すべて")), *[(r.value, r.label) for r in ASSIGNABLE_ROLES]],
    )

    def clean_q(self):
        return self.cleaned_data["q"].replace("\x00", "").strip()
