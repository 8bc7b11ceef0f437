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
