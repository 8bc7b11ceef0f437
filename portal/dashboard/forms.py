import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from . import indicators
from .models import Indicator


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("指標"), max_length=200)
    kind = forms.ChoiceField(label=_("区分"), choices=Indicator.Kind.choices)
    unit = forms.CharField(label=_("単位"), max_length=20, required=False)
    source = forms.ChoiceField(label=_("実績の出典"), required=False)
    order = forms.IntegerField(label=_("並び順"), min_value=0, max_value=999, initial=0)
    target = forms.DecimalField(label=_("目標値"), max_digits=14, decimal_places=1, required=False)
    actual = forms.DecimalField(
        label=_("実績値（手入力）"),
        max_digits=14,
        decimal_places=1,
        required=False,
        help_text=_("出典から計算できる指標は、計算した値が優先されます。"),
    )
    note = forms.CharField(label=_("備考"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("手入力")), *indicators.choices()]

    def indicator_values(self):
        return {
            name: self.cleaned_data[name] for name in ("name", "kind", "unit", "source", "order")
        }


class TargetField(forms.DecimalField):
    """A target as typed by city staff: full-width digits and a thousands
    comma (１，２００) are read as 1200."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 12})

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).replace(",", "").strip()
        return super().to_python(value)


class AreaTargetForm(forms.Form):
    target = TargetField(
        label=_("地域の目標値"),
        max_digits=14,
        decimal_places=1,
        min_value=0,
        required=False,
        help_text=_("空欄で保存すると地域の目標値を取り消します（市全体の目標値だけを示します）。"),
        error_messages={
            "invalid": _("目標値は数字で入力してください（例: 12、3.5）。"),
            "min_value": _("目標値は0以上の数で入力してください。"),
            "max_decimal_places": _("目標値の小数は1桁までです。"),
            "max_digits": _("目標値の桁数が多すぎます。"),
            "max_whole_digits": _("目標値の桁数が多すぎます。"),
        },
    )
    note = forms.CharField(label=_("備考"), max_length=300, required=False)
