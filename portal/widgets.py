"""Form widgets that follow JAPAN.md's accessibility notes."""

import re
import unicodedata
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import dates

# The eras a date field offers beside 西暦 (the value is the era's letter).
ERA_CHOICES = [("", _("西暦"))] + [(era.letter, era.name) for era in dates.ERAS[:3]]
_ERAS_BY_KEY = {key: era for era in dates.ERAS for key in (era.letter, era.name)}
# A year typed with its era: 令和8, R8, r8, 令和元, H31 (after NFKC normalisation).
_ERA_YEAR = re.compile(r"^(?P<era>[A-Za-z]|[^\W\d_]{2})\s*(?P<number>\d{1,2}|元)年?$")


class DateFieldsWidget(forms.MultiWidget):
    """A date as an era choice and three inputs (年 / 月 / 日), in a fieldset with a legend.

    Screen readers announce each part by its own label; full-width digits and
    a year typed with its era (令和8, R8) are accepted because the field
    normalises the parts.
    """

    template_name = "components/widgets/date_fields.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        number = {"inputmode": "numeric", "autocomplete": "off"}
        widgets = {
            "era": forms.Select(choices=ERA_CHOICES),
            "year": forms.TextInput(attrs={"autocomplete": "off", "size": 5, "maxlength": 5}),
            "month": forms.TextInput(attrs={**number, "size": 2, "maxlength": 2}),
            "day": forms.TextInput(attrs={**number, "size": 2, "maxlength": 2}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return ["", value.year, value.month, value.day]
        return ["", None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = (_("元号"), _("年"), _("月"), _("日"))
        for subwidget, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            subwidget["label"] = label
        # The era select stands before the year; its label is for screen readers.
        context["widget"]["subwidgets"][0]["label_hidden"] = True
        return context

    def value_from_datadict(self, data, files, name):
        era, *parts = super().value_from_datadict(data, files, name)
        if not any((p or "").strip() for p in parts):
            return ""
        # Kept as typed, so that a form shown again with errors loses nothing.
        return [era or "", *parts]


class DateFieldsField(forms.DateField):
    widget = DateFieldsWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        kwargs.setdefault(
            "error_messages", {"invalid": _("存在する日付を年・月・日の数字で入力してください。")}
        )
        kwargs.setdefault(
            "help_text",
            _("年は西暦（例: 2026）で、または元号を選んで和暦（例: 令和 8）で入力してください。"),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            return self._from_parts(*value)
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value)
        return super().to_python(value)

    def _from_parts(self, era_key, year, month, day):
        era_key, year, month, day = (
            unicodedata.normalize("NFKC", str(part or "")).strip()
            for part in (era_key, year, month, day)
        )
        invalid = ValidationError(self.error_messages["invalid"], code="invalid")
        typed = _ERA_YEAR.match(year)
        if typed:  # 令和8 / R8 typed into the year, whatever the select says
            era_key = typed["era"].upper() if len(typed["era"]) == 1 else typed["era"]
            year = typed["number"]
        era = _ERAS_BY_KEY.get(era_key) if era_key else None
        if era_key and era is None:
            raise invalid
        year = "1" if year == "元" else year
        if not (year.isdigit() and month.isdigit() and day.isdigit()):
            raise invalid
        number = int(year)
        if era is None and number < 1000:
            raise ValidationError(
                _(
                    "西暦の年は4桁で入力してください。和暦で入力するときは、元号（令和など）を選んでください。"
                ),
                code="short_year",
            )
        if era and not 1 <= number <= 99:
            raise ValidationError(
                _("元号を選んだときは、年を和暦の数字（例: 8）で入力してください。"),
                code="era_year",
            )
        gregorian = era.start.year + number - 1 if era else number
        try:
            value = date(gregorian, int(month), int(day))
        except ValueError:
            raise invalid from None
        if era and not _in_era(value, era):
            raise ValidationError(
                _("%(era)s%(year)s年%(month)s月%(day)s日は存在しません。")
                % {"era": era.name, "year": year, "month": month, "day": day},
                code="outside_era",
            )
        return value


def _in_era(day, era):
    index = dates.ERAS.index(era)
    following = dates.ERAS[index - 1] if index > 0 else None
    return day >= era.start and (following is None or day < following.start)
