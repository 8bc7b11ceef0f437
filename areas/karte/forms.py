from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Action, Area, KarteIssue, LocalIssue, Offer, Organisation
from portal.dates import fiscal_year

from .services import OfferContent


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("キーワード"),
        required=False,
        max_length=100,
        help_text=_("例：防災、子育て、集会所。空白で区切るとすべてを含む団体を探します。"),
    )
    area = forms.ModelChoiceField(
        label=_("地域"),
        queryset=Area.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("すべての地域"),
    )
    issue = forms.ModelChoiceField(
        label=_("地域課題"),
        queryset=LocalIssue.objects.filter(is_active=True),
        required=False,
        to_field_name="number",
        empty_label=_("すべての課題"),
    )
    kind = forms.ChoiceField(
        label=_("提供できるもの"),
        choices=[("", _("すべて")), *Offer.Kind.choices],
        required=False,
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1989, max_value=2100, required=False)

    def year_or_current(self):
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return fiscal_year()


class FiguresForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("年度（西暦）"), min_value=1989, max_value=2100)
    population = forms.IntegerField(label=_("人口"), min_value=0, required=False)
    households = forms.IntegerField(label=_("世帯数"), min_value=0, required=False)
    aged_65_plus = forms.IntegerField(label=_("65歳以上人口"), min_value=0, required=False)
    children_under_15 = forms.IntegerField(label=_("15歳未満人口"), min_value=0, required=False)

    def clean(self):
        data = super().clean()
        population = data.get("population")
        for name in ("aged_65_plus", "children_under_15"):
            if data.get(name) is not None and population is not None and data[name] > population:
                self.add_error(name, _("人口以下の数を入れてください。"))
        return data


class KarteIssueForm(forms.Form):
    issue = forms.ModelChoiceField(
        label=_("地域課題"), queryset=LocalIssue.objects.filter(is_active=True)
    )
    priority = forms.TypedChoiceField(
        label=_("優先度"), choices=KarteIssue.Priority.choices, coerce=int
    )
    source = forms.ChoiceField(label=_("把握した経路"), choices=KarteIssue.Source.choices)
    note = forms.CharField(label=_("補足"), max_length=300, required=False)


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), choices=Offer.Kind.choices)
    title = forms.CharField(
        label=_("内容"), max_length=200, help_text=_("例：防災訓練の講師、集会所の貸出、発電機")
    )
    description = forms.CharField(
        label=_("説明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    issues = forms.ModelMultipleChoiceField(
        label=_("関連する地域課題"),
        queryset=LocalIssue.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("提供中"), required=False, initial=True)

    def content(self):
        data = self.cleaned_data
        return OfferContent(
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            issues=list(data["issues"]),
            is_active=data["is_active"],
        )


class VisionForm(forms.Form):
    title = forms.CharField(label=_("ビジョン"), max_length=200)
    text = forms.CharField(
        label=_("目指す姿"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    first_year = forms.IntegerField(
        label=_("計画期間（開始年度・西暦）"), min_value=1989, max_value=2100
    )
    last_year = forms.IntegerField(
        label=_("計画期間（終了年度・西暦）"), min_value=1989, max_value=2100
    )
    is_published = forms.BooleanField(label=_("公開する"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if (
            data.get("first_year")
            and data.get("last_year")
            and data["last_year"] < data["first_year"]
        ):
            self.add_error("last_year", _("終了年度は開始年度以降にしてください。"))
        return data


class GoalForm(forms.Form):
    number = forms.IntegerField(label=_("番号"), min_value=1, max_value=99)
    title = forms.CharField(label=_("目標"), max_length=200)
    description = forms.CharField(
        label=_("説明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    issues = forms.ModelMultipleChoiceField(
        label=_("関連する地域課題"),
        queryset=LocalIssue.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ActionForm(forms.Form):
    title = forms.CharField(label=_("取組"), max_length=200)
    description = forms.CharField(
        label=_("内容"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_kind = forms.ChoiceField(label=_("担い手"), choices=Action.Owner.choices)
    owner_organisation = forms.ModelChoiceField(
        label=_("担い手の団体"), queryset=Organisation.objects.none(), required=False
    )
    owner_department = forms.CharField(label=_("市の担当課"), max_length=100, required=False)
    starts_on = forms.DateField(
        label=_("開始日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("終了日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    meetings = forms.ModelMultipleChoiceField(
        label=_("関連するミーティング"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    support_requests = forms.ModelMultipleChoiceField(
        label=_("関連する支援依頼"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    grant_applications = forms.ModelMultipleChoiceField(
        label=_("関連する助成"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, area, **kwargs):
        from grants.models import Application
        from liaisons.models import SupportRequest
        from meetings.models import Meeting

        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(
            areas=area, is_active=True, approved_at__isnull=False
        )
        self.fields["meetings"].queryset = (
            Meeting.objects.filter(area=area)
            .exclude(status=Meeting.Status.DRAFT)
            .order_by("-starts_at")
        )
        self.fields["support_requests"].queryset = SupportRequest.objects.filter(
            area=area
        ).order_by("-submitted_at")
        self.fields["grant_applications"].queryset = (
            Application.objects.filter(area=area)
            .exclude(status=Application.Status.DRAFT)
            .order_by("-pk")
        )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("終了日は開始日以降にしてください。"))
        if data.get("owner_kind") in (
            Action.Owner.ORGANISATION,
            Action.Owner.JOINT,
        ) and not data.get("owner_organisation"):
            self.add_error("owner_organisation", _("担い手の団体を選んでください。"))
        return data

    def values(self):
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "title",
                "description",
                "owner_kind",
                "owner_organisation",
                "owner_department",
                "starts_on",
                "ends_on",
            )
        }


class ActionStatusForm(forms.Form):
    to = forms.ChoiceField(label=_("状況"), choices=Action.Status.choices)
    note = forms.CharField(label=_("メモ"), max_length=500, required=False)
