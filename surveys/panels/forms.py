from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area

from . import pools
from .models import PanelSelection

MAX_FILE_BYTES = 20 * 1024 * 1024


def _csv_upload(upload):
    if upload is None:
        return None
    if not upload.name.lower().endswith((".csv", ".txt")):
        raise forms.ValidationError(_("拡張子が .csv のファイルを選んでください。"))
    if upload.size > MAX_FILE_BYTES:
        raise forms.ValidationError(_("ファイルが大きすぎます（20MBまで）。"))
    if upload.size == 0:
        raise forms.ValidationError(_("ファイルが空です。"))
    return upload


class StartForm(forms.Form):
    title = forms.CharField(
        label=_("件名"), max_length=200, help_text=_("例: 北部地域 まちづくり会議の参加者")
    )
    area = forms.ModelChoiceField(
        label=_("地域"),
        queryset=Area.objects.order_by("code"),
        required=False,
        help_text=_("割当の目安を、この地域の住民基本台帳の人口構成から計算します。"),
    )
    source = forms.ChoiceField(
        label=_("候補者"),
        choices=PanelSelection.Source.choices,
        widget=forms.RadioSelect,
        initial=PanelSelection.Source.FILES,
    )
    people_file = forms.FileField(
        label=_("候補者ファイル（CSV）"),
        required=False,
        help_text=_(
            "1列目がID、ほかに年代・性別・地区などの列（Sortition Foundation 形式）。"
            "UTF-8（BOMの有無を問わず）または Shift_JIS（CP932）。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    features_file = forms.FileField(
        label=_("特徴量ファイル（CSV、任意）"),
        required=False,
        help_text=_(
            "feature,value,min,max の列。添えるとその割当を使い、"
            "添えなければ割当の目安を台帳から計算します。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    id_column = forms.CharField(
        label=_("ID列の名前（任意）"),
        max_length=200,
        required=False,
        help_text=_("空欄なら1列目をIDとして使います。"),
    )
    size = forms.IntegerField(label=_("パネルの人数"), min_value=1, max_value=1000, initial=10)
    reserves = forms.IntegerField(label=_("補欠の人数"), min_value=0, max_value=1000, initial=5)
    margin = forms.IntegerField(
        label=_("割当の許容幅（±人）"),
        min_value=0,
        max_value=100,
        initial=1,
        help_text=_("目安の人数からこの人数まで多くても少なくてもよい、とする幅です。"),
    )
    algorithm = forms.ChoiceField(
        label=_("方式"),
        choices=PanelSelection.Algorithm.choices,
        initial=PanelSelection.Algorithm.LEXIMIN,
        widget=forms.RadioSelect,
    )
    seed = forms.IntegerField(
        label=_("乱数シード"),
        min_value=0,
        max_value=2**62,
        help_text=_("同じ候補者・割当・シードなら、いつ誰が実行しても同じパネルになります。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.volunteers = pools.volunteers_available()
        if not self.volunteers:
            self.fields["source"].choices = [
                c for c in self.fields["source"].choices if c[0] != PanelSelection.Source.VOLUNTEERS
            ]
            self.fields["source"].help_text = _(
                "地域のボランティアから選ぶ機能は、アンケートでのボランティア登録が"
                "使えるようになると表示されます。今はファイルから選んでください。"
            )

    def clean_people_file(self):
        return _csv_upload(self.cleaned_data.get("people_file"))

    def clean_features_file(self):
        return _csv_upload(self.cleaned_data.get("features_file"))

    def clean(self):
        data = super().clean()
        source = data.get("source")
        if (
            source == PanelSelection.Source.FILES
            and not data.get("people_file")
            and "people_file" not in self.errors
        ):
            self.add_error("people_file", _("候補者ファイルを選んでください。"))
        if source == PanelSelection.Source.VOLUNTEERS and not data.get("area"):
            self.add_error("area", _("ボランティアから選ぶときは地域を選んでください。"))
        return data


class QuotaForm(forms.Form):
    """The min and max of every quota, one pair of fields per feature value."""

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        self.selection = selection
        self.rows = []
        for i, quota in enumerate(selection.quotas):
            label = f"{quota['feature']}: {quota['value']}"
            self.fields[f"min_{i}"] = forms.IntegerField(
                label=_("%(quota)s の下限") % {"quota": label},
                min_value=0,
                max_value=selection.size,
                initial=quota["min"],
            )
            self.fields[f"max_{i}"] = forms.IntegerField(
                label=_("%(quota)s の上限") % {"quota": label},
                min_value=0,
                max_value=10**6,
                initial=quota["max"],
            )
            self.rows.append((quota, f"min_{i}", f"max_{i}"))

    def clean(self):
        data = super().clean()
        for quota, low, high in self.rows:
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(
                    low,
                    _("「%(feature)s: %(value)s」の下限が上限を超えています。")
                    % {"feature": quota["feature"], "value": quota["value"]},
                )
        return data

    def bounds(self):
        return {
            (quota["feature"], quota["value"]): (self.cleaned_data[low], self.cleaned_data[high])
            for quota, low, high in self.rows
        }

    def table(self):
        """Rows for the template: the quota and its two bound fields."""
        return [(quota, self[low], self[high]) for quota, low, high in self.rows]

    def mark(self, named):
        """Flag the quotas a refusal named, for the page to highlight."""
        named = set(named)
        for quota in self.selection.quotas:
            quota["named"] = (quota["feature"], quota["value"]) in named
