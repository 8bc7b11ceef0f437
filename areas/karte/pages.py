"""What the karte page and its PDF show: the charts with their data tables."""

from django.utils.translation import gettext as _

from portal.templatetags.wareki import fiscal_year_label

from . import charts


def karte_charts(karte):
    """[{title, svg_uri, header, rows}] for the karte of one area and 年度."""
    now, before = karte.current, karte.previous
    now_label, before_label = (
        fiscal_year_label(now.fiscal_year),
        fiscal_year_label(before.fiscal_year),
    )
    result = []
    if now.has_data or before.has_data:
        categories = [_("人口"), _("世帯数")]
        series = [
            (before_label, [before.population, before.households]),
            (now_label, [now.population, now.households]),
        ]
        result.append(
            _chart(_("人口と世帯数（前年度との比較）"), categories, series, _("人・世帯"))
        )
        categories = [_("65歳以上の割合"), _("15歳未満の割合")]
        series = [
            (before_label, [before.aged_share, before.children_share]),
            (now_label, [now.aged_share, now.children_share]),
        ]
        result.append(_chart(_("年齢構成（前年度との比較）"), categories, series, "%"))
    active = [o for o in karte.organisations if o.report_count or o.request_count or o.grant_count]
    if active:
        active = sorted(active, key=lambda o: -(o.report_count + o.request_count + o.grant_count))[
            :10
        ]
        categories = [o.name for o in active]
        series = [
            (_("活動報告"), [o.report_count for o in active]),
            (_("支援依頼"), [o.request_count for o in active]),
            (_("助成"), [o.grant_count for o in active]),
        ]
        result.append(
            _chart(
                _("団体の活動量（%(year)s）") % {"year": now_label},
                categories,
                series,
                _("件"),
                horizontal=True,
            )
        )
    return result


def _chart(title, categories, series, unit, horizontal=False):
    svg = charts.bar_chart(
        title=title, categories=categories, series=series, unit=unit, horizontal=horizontal
    )
    return {
        "title": title,
        "svg_uri": charts.data_uri(svg),
        "header": [label for label, _values in series],
        "rows": [
            (category, [values[i] for _label, values in series])
            for i, category in enumerate(categories)
        ],
        "unit": unit,
    }
