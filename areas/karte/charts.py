"""Server-rendered SVG charts (matplotlib) for the karte and the dashboard.

Text is drawn as paths in Noto Sans CJK JP, so the SVG looks the same in any
browser and in the PDF without a font; every chart on a page comes with its
data table (the table, not the picture, is what a screen reader reads).
"""

import base64
import functools
import io

FONT_FAMILY = ["Noto Sans CJK JP", "IPAexGothic", "DejaVu Sans"]
# Colours with enough contrast against white and between neighbours (Okabe–Ito).
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]


@functools.lru_cache(maxsize=1)
def _configure():
    """Set the fonts once. Figures are made without pyplot (whose global
    state is not safe in a threaded web server)."""
    # matplotlib costs about 1 s at start-up; only the chart views need it.
    import matplotlib

    from portal.fonts import register_bundled_font_with_matplotlib

    register_bundled_font_with_matplotlib()

    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": FONT_FAMILY,
            "svg.fonttype": "path",
            "svg.hashsalt": "karte",
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


@functools.lru_cache(maxsize=256)
def _bar_svg(title, categories, series, unit, horizontal):
    # matplotlib costs about 1 s at start-up; only the chart views need it.
    from matplotlib.figure import Figure

    _configure()
    height = max(2.6, 0.45 * len(categories) + 1.2) if horizontal else 3.0
    figure = Figure(figsize=(6.4, height), dpi=100)
    axes = figure.subplots()
    count = max(len(series), 1)
    width = 0.8 / count
    positions = range(len(categories))
    for index, (label, values) in enumerate(series):
        offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
        numbers = [v or 0 for v in values]
        colour = COLOURS[index % len(COLOURS)]
        if horizontal:
            bars = axes.barh(offsets, numbers, height=width, label=label, color=colour)
        else:
            bars = axes.bar(offsets, numbers, width=width, label=label, color=colour)
        axes.bar_label(bars, labels=[_number(v) for v in values], fontsize=8, padding=2)
    if horizontal:
        axes.set_yticks(list(positions), categories)
        axes.invert_yaxis()
        axes.set_xlabel(unit)
    else:
        axes.set_xticks(list(positions), categories)
        axes.set_ylabel(unit)
    axes.set_title(title, fontsize=11)
    if count > 1:
        axes.legend(fontsize=8, frameon=False)
    figure.tight_layout()
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _number(value):
    if value is None:
        return "—"
    if isinstance(value, float) or hasattr(value, "quantize"):
        return f"{value:,.1f}"
    return f"{value:,}"


def bar_chart(*, title, categories, series, unit="", horizontal=False):
    """An SVG bar chart: `series` is [(label, [value per category])]."""
    return _bar_svg(
        str(title),
        tuple(str(c) for c in categories),
        tuple((str(label), tuple(values)) for label, values in series),
        str(unit),
        horizontal,
    )


def data_uri(svg):
    """The chart as an <img src>: allowed by the page's CSP and by WeasyPrint."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
