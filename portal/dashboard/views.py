"""The dashboard per area and the logic model (pages, edits, exports)."""

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from areas.models import Area
from portal import audit
from portal.csvio import csv_bytes, csv_response
from portal.dates import fiscal_year
from portal.errors import ServiceError
from portal.permissions import may, permission_required
from portal.templatetags.wareki import fiscal_year_label

from . import logic_model as lm
from . import selectors
from .forms import AreaTargetForm, IndicatorForm
from .models import AreaIndicatorTarget, Indicator, IndicatorYear, Measure


def requested_year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return fiscal_year()
    return year if 1989 <= year <= 2100 else fiscal_year()


def _chart_specs(figures, year):
    """[(title, categories, series, unit, keys)] of the dashboard's two charts."""
    now, before = fiscal_year_label(year), fiscal_year_label(year - 1)
    counts = ["held", "participants", "requests", "consultations", "awarded_count", "published"]
    specs = []
    for title, keys, unit in (
        (_("主な実績（前年度との比較）"), counts, _("回・人・件")),
        (_("支援依頼の種類別件数"), [f"tier_{t}" for t in selectors.TIERS], _("件")),
    ):
        categories = [str(figures[k].label).strip() for k in keys]
        series = [
            (before, [figures[k].previous for k in keys]),
            (now, [figures[k].current for k in keys]),
        ]
        specs.append((title, categories, series, unit, keys))
    return specs


def dashboard_context(year, area=None):
    """The dashboard's context; its figures section (`figures_html`) is
    rendered once per count, year and language: the same for every member of
    staff, and the page's largest part (two tables beside the charts, and on
    the city's dashboard the links to each area's)."""
    figures, counted_at = selectors.dashboard_figures_cached(year, area=area)
    key = ":".join(
        [
            "dashboard:figures-html",
            str(area.pk if area else "city"),
            str(year),
            str(fiscal_year()),  # the year choices end at the current 年度
            get_language(),
            counted_at.isoformat(),
        ]
    )
    html = cache.get_or_set(
        key,
        lambda: render_to_string(
            "portal/dashboard/_figures.html", _figures_context(figures, counted_at, year, area)
        ),
        selectors.FIGURES_CACHE_SECONDS,
    )
    return {
        "fiscal_year": year,
        "figures_html": mark_safe(html),  # noqa: S308 - rendered by our own template
    }


def _figures_context(figures, counted_at, year, area):
    now, before = fiscal_year_label(year), fiscal_year_label(year - 1)
    chart_list = []
    for number, (title, categories, _series, unit, keys) in enumerate(
        _chart_specs(figures, year), start=1
    ):
        # The pictures are their own URLs: the page stays small on a phone and
        # the browser keeps them; the table beside each is what it shows.
        if area is None:
            url = reverse("portal:dashboard_chart", args=[number])
        else:
            url = reverse("portal:dashboard_area_chart", args=[area.code, number])
        chart_list.append(
            {
                "title": title,
                "svg_uri": f"{url}?year={year}",
                "header": [before, now],
                "rows": [
                    (c, [figures[k].previous, figures[k].current])
                    for c, k in zip(categories, keys, strict=True)
                ],
                "unit": unit,
            }
        )
    return {
        "fiscal_year": year,
        "year_label": now,
        "previous_label": before,
        "figures": selectors.figure_rows(figures),
        "counted_at": counted_at,
        "charts": chart_list,
        "years": list(range(fiscal_year(), fiscal_year() - 6, -1)),
        # The city's dashboard links each area's.
        "areas": list(Area.objects.order_by("code")) if area is None else [],
    }


def _chart_response(request, number, area=None):
    from areas.karte import charts

    year = requested_year(request)
    figures, _counted_at = selectors.dashboard_figures_cached(year, area=area)
    specs = _chart_specs(figures, year)
    if not 1 <= number <= len(specs):
        raise Http404
    title, categories, series, unit, _keys = specs[number - 1]
    svg = charts.bar_chart(
        title=title, categories=categories, series=series, unit=unit, horizontal=True
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    # As long as the figures it draws (they are counted once a minute).
    response["Cache-Control"] = f"private, max-age={selectors.FIGURES_CACHE_SECONDS}"
    # Shown through <img> on the dashboard; opened on its own, the browser
    # downloads it rather than running it as a document.
    area_part = f"-{area.code}" if area is not None else ""
    response["Content-Disposition"] = (
        f'attachment; filename="dashboard{area_part}-{year}-chart-{number}.svg"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("portal.view_staff_dashboard")
def dashboard_chart(request, number):
    return _chart_response(request, number)


def _area(request, code, **kwargs):
    return get_object_or_404(Area, code=code)


@permission_required("portal.view_area_dashboard", get_object=_area)
def area_dashboard_chart(request, code, number, obj):
    return _chart_response(request, number, obj)


@permission_required("portal.view_area_dashboard", get_object=_area)
def area_dashboard(request, code, obj):
    context = dashboard_context(requested_year(request), obj)
    return render(request, "portal/dashboard/area.html", {**context, "area": obj})


@permission_required("portal.view_logic_model")
def logic_model(request):
    year = requested_year(request)
    area = None
    if request.GET.get("area"):
        area = Area.objects.filter(code=request.GET["area"]).first()
    return render(
        request,
        "portal/dashboard/logic_model.html",
        {
            "model": lm.logic_model(year, area=area),
            "fiscal_year": year,
            "year_label": fiscal_year_label(year),
            "area": area,
            "areas": list(Area.objects.order_by("code")),
            "years": list(range(fiscal_year() + 1, fiscal_year() - 6, -1)),
            "can_edit": may(request.user, "portal.edit_logic_model"),
        },
    )


CSV_HEADER = [
    "年度", "基本施策", "施策", "指標", "区分", "単位", "目標値", "実績値", "達成率（%）", "実績の出典",
]  # fmt: skip
# Per area: which area, and whether the actual is the area's own (computed
# from its records) or the city's hand-entered figure. The target is the
# area's own, or the city's written "市全体: N" (see logic_model.py).
AREA_CSV_HEADER = [
    "年度", "地域コード", "地域", "基本施策", "施策", "指標", "区分", "単位", "目標値",
    "実績値", "実績の範囲", "達成率（%）", "実績の出典",
]  # fmt: skip


def _scope(row):
    if row.actual is None:
        return ""
    return _("この地域") if row.computed else _("市全体（手入力）")


def _target_cell(row):
    if row.target_is_city:
        return _("市全体: %(target)s") % {"target": row.city_target}
    return "" if row.target is None else str(row.target)


def _export_rows(model, year, area=None):
    for pillar, measure, row in lm.flat_rows(model):
        values = [
            f"{pillar.number}. {pillar.title}",
            f"{measure.code} {measure.title}",
            row.indicator.name,
            row.indicator.get_kind_display(),
            row.indicator.unit,
            _target_cell(row),
            "" if row.actual is None else str(row.actual),
        ]
        achievement = "" if row.achievement is None else str(row.achievement)
        if area is None:
            yield [fiscal_year_label(year), *values, achievement, row.source_label]
        else:
            yield [
                fiscal_year_label(year),
                area.code,
                area.name,
                *values,
                _scope(row),
                achievement,
                row.source_label,
            ]


def _csv_export(request, year, area=None):
    model = lm.logic_model(year, area=area)
    rows = list(_export_rows(model, year, area))
    data = {"fiscal_year": year, "rows": len(rows), "format": "csv"}
    if area is not None:
        data["area"] = area.code
    audit.record(
        by=audit.Actor.from_request(request),
        action="portal.logic_model.exported",
        target=Indicator,
        data=data,
    )
    if area is None:
        return csv_response(csv_bytes(CSV_HEADER, rows), filename=f"logic-model-{year}.csv")
    return csv_response(
        csv_bytes(AREA_CSV_HEADER, rows), filename=f"logic-model-{year}-{area.code}.csv"
    )


@permission_required("portal.export_logic_model")
def logic_model_csv(request):
    return _csv_export(request, requested_year(request))


@permission_required("portal.export_logic_model", get_object=_area)
def logic_model_area_csv(request, code, obj):
    """The logic model of one area: actuals computed from the area's records."""
    return _csv_export(request, requested_year(request), obj)


def _pdf_export(request, year, area=None):
    from django.conf import settings
    from django.template.loader import render_to_string

    # WeasyPrint costs 1.2 s at start-up; only the PDF downloads need it.
    from weasyprint import HTML

    from areas.karte.pdf import FONT_FAMILY

    model = lm.logic_model(year, area=area)
    html = render_to_string(
        "portal/dashboard/logic_model_pdf.html",
        {
            "model": model,
            "year_label": fiscal_year_label(year),
            "font_family": FONT_FAMILY,
            "city_name": settings.PORTAL_CITY_NAME,
            "area": area,
        },
    )
    data = {"fiscal_year": year, "format": "pdf"}
    if area is not None:
        data["area"] = area.code
    audit.record(
        by=audit.Actor.from_request(request),
        action="portal.logic_model.exported",
        target=Indicator,
        data=data,
    )
    response = HttpResponse(
        HTML(string=html, base_url=None).write_pdf(), content_type="application/pdf"
    )
    name = f"logic-model-{year}" + (f"-{area.code}" if area is not None else "")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@permission_required("portal.export_logic_model")
def logic_model_pdf(request):
    return _pdf_export(request, requested_year(request))


@permission_required("portal.export_logic_model", get_object=_area)
def logic_model_area_pdf(request, code, obj):
    return _pdf_export(request, requested_year(request), obj)


def _indicator(request, pk, **kwargs):
    return get_object_or_404(Indicator.objects.select_related("measure__pillar"), pk=pk)


def _measure(request, pk, **kwargs):
    return get_object_or_404(Measure, pk=pk)


def _indicator_page(request, measure, indicator=None):
    year = requested_year(request)
    initial = {"order": 0}
    if indicator is not None:
        initial = {name: getattr(indicator, name) for name in lm.INDICATOR_FIELDS}
        entered = IndicatorYear.objects.filter(indicator=indicator, fiscal_year=year).first()
        if entered:
            initial.update(target=entered.target, actual=entered.actual, note=entered.note)
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        by = audit.Actor.from_request(request)
        saved = lm.save_indicator(
            measure=measure,
            values=form.indicator_values(),
            indicator_id=indicator.pk if indicator else None,
            by=by,
        )
        lm.save_indicator_year(
            indicator=saved,
            fiscal_year=year,
            target=form.cleaned_data["target"],
            actual=form.cleaned_data["actual"],
            note=form.cleaned_data["note"],
            by=by,
        )
        messages.success(request, _("指標を保存しました。"))
        return redirect(reverse("portal:logic_model") + f"?year={year}")
    return render(
        request,
        "portal/dashboard/indicator_form.html",
        {
            "form": form,
            "measure": measure,
            "indicator": indicator,
            "year_label": fiscal_year_label(year),
            "fiscal_year": year,
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required("portal.edit_logic_model", get_object=_measure)
def indicator_create(request, pk, obj):
    return _indicator_page(request, obj)


@permission_required("portal.edit_logic_model", get_object=_indicator)
def indicator_edit(request, pk, obj):
    return _indicator_page(request, obj.measure, obj)


@permission_required("portal.edit_logic_model", get_object=_indicator)
def indicator_area_target(request, pk, code, obj):
    """An area's own target for the indicator in the 年度 (?year=); saving an
    empty value removes it."""
    area = get_object_or_404(Area, code=code)
    year = requested_year(request)
    back = reverse("portal:logic_model") + f"?year={year}&area={area.code}"
    current = AreaIndicatorTarget.objects.filter(indicator=obj, area=area, fiscal_year=year).first()
    initial = {"target": current.target, "note": current.note} if current else {}
    form = AreaTargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = lm.save_area_target(
                indicator=obj,
                area=area,
                fiscal_year=year,
                target=form.cleaned_data["target"],
                note=form.cleaned_data["note"],
                by=audit.Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if saved is None and current is None:
                messages.info(request, _("変更はありませんでした。"))
            elif saved is None:
                messages.success(request, _("地域の目標値を取り消しました。"))
            else:
                messages.success(request, _("地域の目標値を保存しました。"))
            return redirect(back)
    city = IndicatorYear.objects.filter(indicator=obj, fiscal_year=year).first()
    return render(
        request,
        "portal/dashboard/area_target_form.html",
        {
            "form": form,
            "indicator": obj,
            "area": area,
            "current": current,
            "city_target": city.target if city else None,
            "year_label": fiscal_year_label(year),
            "fiscal_year": year,
            "back": back,
        },
        status=400 if request.method == "POST" else 200,
    )
