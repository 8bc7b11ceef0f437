import datetime
import re
import unicodedata

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area, LocalIssue
from portal.text import katakana
from portal.widgets import DateFieldsField

from .models import Feedback, Idea, Meeting, MeetingSeries, Registration
from .services import MeetingDetails, Participant, officers
from .services.registration import MAX_PARTY_SIZE

# Digits with optional hyphens, spaces or brackets; +81 for a number from abroad.
PHONE = re.compile(r"\+?[0-9][0-9\- ()]{8,18}[0-9]")

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("地域"), queryset=Area.objects.all(), required=False, empty_label=_("すべて")
    )
    theme = forms.ModelChoiceField(
        label=_("テーマ"),
        queryset=LocalIssue.objects.filter(is_active=True),
        required=False,
        empty_label=_("すべて"),
    )
    month = forms.DateField(
        label=_("月"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("例: 2026-05"),
        error_messages={"invalid": _("月は 2026-05 の形で入力してください。")},
    )
    kind = forms.ChoiceField(
        label=_("種類"), choices=[("", _("すべて")), *Meeting.Kind.choices], required=False
    )


def _aware(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time))


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    area = forms.ModelChoiceField(label=_("地域"), queryset=Area.objects.all())
    series = forms.ModelChoiceField(
        label=_("シリーズ"),
        queryset=MeetingSeries.objects.select_related("area"),
        required=False,
        help_text=_("同じ地域の連続したミーティング（第1回〜第3回など）をまとめます。"),
    )
    kind = forms.ChoiceField(label=_("種類"), choices=Meeting.Kind.choices)
    theme_issue = forms.ModelChoiceField(
        label=_("テーマ（地域課題）"),
        queryset=LocalIssue.objects.filter(is_active=True),
        required=False,
    )
    theme_text = forms.CharField(
        label=_("テーマ（自由記述）"),
        max_length=200,
        required=False,
        help_text=_("地域課題の一覧にないテーマのときに入力してください。"),
    )
    description = forms.CharField(
        label=_("内容"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000, required=False
    )
    day = DateFieldsField(label=_("開催日"))
    start_time = forms.TimeField(label=_("開始時刻"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("終了時刻"), widget=TIME_WIDGET)
    venue_name = forms.CharField(label=_("会場"), max_length=200, required=False)
    venue_address = forms.CharField(label=_("会場の住所"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("オンライン参加のURL"),
        required=False,
        assume_scheme="https",
        help_text=_("会場とURLの両方を入力すると、会場とオンラインの併用になります。"),
    )
    capacity = forms.IntegerField(label=_("定員"), min_value=1, max_value=10000)
    opens_day = DateFieldsField(label=_("申込開始日"))
    opens_time = forms.TimeField(label=_("申込開始時刻"), widget=TIME_WIDGET, initial="09:00")
    closes_day = DateFieldsField(label=_("申込締切日"))
    closes_time = forms.TimeField(label=_("申込締切時刻"), widget=TIME_WIDGET, initial="17:00")
    facilitators = forms.ModelMultipleChoiceField(
        label=_("進行役（地域担当職員）"),
        queryset=officers(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact = forms.CharField(label=_("問い合わせ先"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("問い合わせ先電話番号"), max_length=30, required=False)

    @classmethod
    def initial_for(cls, meeting):
        local = timezone.localtime
        return {
            "title": meeting.title,
            "area": meeting.area_id,
            "series": meeting.series_id,
            "kind": meeting.kind,
            "theme_issue": meeting.theme_issue_id,
            "theme_text": meeting.theme_text,
            "description": meeting.description,
            "day": local(meeting.starts_at).date(),
            "start_time": local(meeting.starts_at).time(),
            "end_time": local(meeting.ends_at).time(),
            "venue_name": meeting.venue_name,
            "venue_address": meeting.venue_address,
            "online_url": meeting.online_url,
            "capacity": meeting.capacity,
            "opens_day": local(meeting.registration_opens_at).date(),
            "opens_time": local(meeting.registration_opens_at).time(),
            "closes_day": local(meeting.registration_closes_at).date(),
            "closes_time": local(meeting.registration_closes_at).time(),
            "facilitators": list(meeting.facilitators.values_list("pk", flat=True)),
            "contact": meeting.contact,
            "contact_phone": meeting.contact_phone,
        }

    def clean(self):
        data = super().clean()
        if (
            data.get("start_time")
            and data.get("end_time")
            and data["end_time"] <= data["start_time"]
        ):
            self.add_error("end_time", _("終了時刻は開始時刻より後にしてください。"))
        return data

    def details(self):
        data = self.cleaned_data
        return MeetingDetails(
            area=data["area"],
            title=data["title"].strip(),
            kind=data["kind"],
            starts_at=_aware(data["day"], data["start_time"]),
            ends_at=_aware(data["day"], data["end_time"]),
            registration_opens_at=_aware(data["opens_day"], data["opens_time"]),
            registration_closes_at=_aware(data["closes_day"], data["closes_time"]),
            series=data["series"],
            theme_issue=data["theme_issue"],
            theme_text=data["theme_text"].strip(),
            description=data["description"].strip(),
            venue_name=data["venue_name"].strip(),
            venue_address=data["venue_address"].strip(),
            online_url=data["online_url"],
            contact=data["contact"].strip(),
            contact_phone=data["contact_phone"].strip(),
        )


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("状態"), choices=Meeting.Status.choices)


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("氏名"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    name_kana = forms.CharField(
        label=_("氏名（カナ）"),
        max_length=150,
        required=False,
        help_text=_("当日の受付で使います。"),
    )
    email = forms.EmailField(
        label=_("メールアドレス"),
        help_text=_("申込みの確認と前日のご案内を送ります。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("電話番号（任意）"),
        max_length=30,
        required=False,
        help_text=_("当日、急な変更をお知らせするときに使います。"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    party_size = forms.IntegerField(
        label=_("人数（本人を含む）"),
        min_value=1,
        max_value=MAX_PARTY_SIZE,
        initial=1,
        help_text=_("ご家族などと一緒に参加するときは、その人数も含めてください。"),
    )
    mode = forms.ChoiceField(
        label=_("参加方法"), choices=Registration.Mode.choices, widget=forms.RadioSelect
    )
    accessibility_needs = forms.CharField(
        label=_("配慮が必要なこと"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("車いす、手話通訳、文字での情報保障など。市の担当者だけが見ます。"),
    )
    childcare_requested = forms.BooleanField(label=_("保育を希望する"), required=False)
    childcare_children = forms.IntegerField(
        label=_("保育を希望する子どもの人数"), min_value=0, max_value=10, required=False
    )
    comment = forms.CharField(
        label=_("ひとこと"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if not meeting.is_hybrid:
            del self.fields["mode"]

    def clean_name_kana(self):
        return katakana(self.cleaned_data["name_kana"])

    def clean_phone(self):
        # Full-width digits and hyphens typed on a Japanese keyboard count too.
        phone = unicodedata.normalize("NFKC", self.cleaned_data["phone"]).strip()
        phone = phone.replace("ー", "-").replace("−", "-")
        if phone and not PHONE.fullmatch(phone):
            raise forms.ValidationError(
                _("電話番号は数字とハイフンで入力してください（例：042-123-4567）。")
            )
        return phone

    def clean(self):
        data = super().clean()
        if data.get("childcare_requested") and not data.get("childcare_children"):
            self.add_error(
                "childcare_children", _("保育を希望する子どもの人数を入力してください。")
            )
        return data

    def participant(self):
        data = self.cleaned_data
        return Participant(
            name=data["name"],
            name_kana=data["name_kana"],
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            party_size=data["party_size"],
            accessibility_needs=data["accessibility_needs"],
            childcare_requested=data["childcare_requested"],
            childcare_children=data.get("childcare_children") or 0,
            mode=data.get("mode") or Registration.Mode.IN_PERSON,
            comment=data["comment"],
        )


class InvitationRegistrationForm(RegistrationForm):
    code = forms.CharField(
        label=_("招待コード"),
        max_length=40,
        help_text=_("案内状に印刷されている英数字のコードです。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    field_order = ["code"]


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=150)
    name_kana = forms.CharField(label=_("氏名（カナ）"), max_length=150, required=False)
    party_size = forms.IntegerField(
        label=_("人数（本人を含む）"), min_value=1, max_value=MAX_PARTY_SIZE, initial=1
    )

    def clean_name_kana(self):
        return katakana(self.cleaned_data["name_kana"])

    def participant(self):
        data = self.cleaned_data
        return Participant(
            name=data["name"], name_kana=data["name_kana"], party_size=data["party_size"]
        )


class CheckInSearchForm(forms.Form):
    q = forms.CharField(
        label=_("氏名・カナで検索"),
        required=False,
        max_length=100,
        help_text=_("ひらがな・カタカナ、全角・半角のどちらでも探せます。"),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("記録（議事録）"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20000,
        required=False,
    )


class IdeaForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), choices=Idea.Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    issue = forms.ModelChoiceField(
        label=_("地域課題"), queryset=LocalIssue.objects.filter(is_active=True), required=False
    )


class FeedbackForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("満足度"),
        coerce=int,
        choices=[
            (5, _("5 とても良かった")),
            (4, _("4 良かった")),
            (3, _("3 ふつう")),
            (2, _("2 あまり良くなかった")),
            (1, _("1 良くなかった")),
        ],
        widget=forms.RadioSelect,
    )
    support_wanted = forms.MultipleChoiceField(
        label=_("地域担当職員に望む支援（いくつでも）"),
        choices=Feedback.SUPPORT_TIERS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    comment = forms.CharField(
        label=_("ご意見"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )


class SeriesForm(forms.Form):
    area = forms.ModelChoiceField(label=_("地域"), queryset=Area.objects.all())
    title = forms.CharField(label=_("シリーズ名"), max_length=200)
    description = forms.CharField(
        label=_("説明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


# More than any city has, and within the database's integer column.
MAX_FUNNEL_COUNT = 100_000_000


class FunnelFiguresForm(forms.Form):
    sampled_count = forms.IntegerField(
        label=_("案内を送った人数"),
        min_value=0,
        max_value=MAX_FUNNEL_COUNT,
        required=False,
        help_text=_("分からないときは空欄に。"),
    )
    answered_count = forms.IntegerField(
        label=_("調査に回答した人数"),
        min_value=0,
        max_value=MAX_FUNNEL_COUNT,
        required=False,
        help_text=_("分からないときは空欄に。"),
    )


class ApplicantRegistrationForm(forms.Form):
    """Register an applicant for one of the series' open meetings."""

    applicant = forms.CharField(widget=forms.HiddenInput, max_length=100)
    meeting = forms.ModelChoiceField(label=_("申し込む回"), queryset=Meeting.objects.none())

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = series.meetings.filter(
            status=Meeting.Status.OPEN
        ).order_by("starts_at", "pk")


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("形式"),
        choices=[
            ("utf-8", _("CSV（UTF-8・BOM付き）")),
            ("cp932", _("CSV（Shift_JIS）")),
            ("xlsx", _("Excel（XLSX）")),
        ],
    )
