"""Form widgets that follow JAPAN.md's accessibility notes."""

import unicodedata
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _


class DateFieldsWidget(forms.MultiWidget):
    """A date as three inputs (年 / 月 / 日), rendered in a fieldset with a legend.

    Screen readers announce each part by its own label; full-width digits are
    accepted because the value is normalised by the field.
    """

    template_name = "components/widgets/date_fields.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        number = {"inputmode": "numeric", "autocomplete": "off"}
        widgets = {
            "year": forms.TextInput(attrs={**number, "size": 4, "maxlength": 4}),
            "month": forms.TextInput(attrs={**number, "size": 2, "maxlength": 2}),
            "day": forms.TextInput(attrs={**number, "size": 2, "maxlength": 2}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.year, value.month, value.day]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = (_("年"), _("月"), _("日"))
        for subwidget, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            subwidget["label"] = label
        return context

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if not any(parts):
            return ""
        return "-".join(str(p or "").strip() for p in parts)


class DateFieldsField(forms.DateField):
    widget = DateFieldsWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        kwargs.setdefault(
            "error_messages", {"invalid": _("存在する日付を年・月・日の数字で入力してください。")}
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value)
        return super().to_python(value)
