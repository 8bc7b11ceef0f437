"""The seed's two quadrant charts, drawn on the server as SVG with matplotlib.

Text is drawn as paths (svg.fonttype "path"), so the browser needs no
Japanese font; the server finds Noto Sans CJK JP (or another CJK sans font)
through matplotlib's font manager.
"""

import functools
import io
import threading

from portal.fonts import BUNDLED_FONT_NAME, register_bundled_font_with_matplotlib

PREFERRED_FONTS = ("Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "TakaoGothic")
GROUP_STYLE = {
    "A": ("#1b5e20", "o"),
    "B": ("#0d47a1", "s"),
    "B'": ("#6a1b9a", "D"),
    "C": ("#e65100", "^"),
    "D": ("#424242", "v"),
}
# matplotlib's figure code is not thread-safe in every backend: one chart at a time.
_lock = threading.Lock()
_font = None


@functools.lru_cache(maxsize=1)
def _matplotlib():
    """matplotlib on its non-interactive backend, imported on the first chart."""
    # matplotlib costs about 1 s at start-up; only the chart views need it.
    import matplotlib

    matplotlib.use("Agg")
    return matplotlib


def japanese_font():
    """The name of an installed Japanese sans-serif font (None when there is none)."""
    global _font
    if _font is None:
        _matplotlib()
        # Imported with matplotlib above (about 1 s); only the chart views need it.
        from matplotlib import font_manager

        names = {f.name for f in font_manager.fontManager.ttflist}
        if not any(name in names for name in PREFERRED_FONTS):
            # A font installed after matplotlib built its cache: rebuild it once.
            font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
            names = {f.name for f in font_manager.fontManager.ttflist}
        if register_bundled_font_with_matplotlib() is not None:
            names.add(BUNDLED_FONT_NAME)
        _font = next((name for name in PREFERRED_FONTS if name in names), "")
    return _font or None


FIGURES = {
    1: ("participation", "関心あり（%）", "取組中（%）", "group1"),
    2: ("expectation", "関心あり（%）", "地域に期待（%）", "group2"),
}


def quadrant_svg(analysis, figure):
    """図1 (interest × participation) or 図2 (interest × expectation) as SVG bytes."""
    y_measure, x_label, y_label, group_attr = FIGURES[figure]
    font = japanese_font()
    rc = {"svg.fonttype": "path", "svg.hashsalt": "surveys"}
    if font:
        rc["font.family"] = [font]
    matplotlib = _matplotlib()
    # Imported with matplotlib (about 1 s at start-up); only the chart views need it.
    from matplotlib.figure import Figure

    with _lock, matplotlib.rc_context(rc):
        fig = Figure(figsize=(7.5, 6), dpi=100)
        ax = fig.add_subplot()
        seen = set()
        for row in analysis.rows:
            x, y = row.percent("interest"), row.percent(y_measure)
            group = getattr(row, group_attr)
            if x is None or y is None or not group:
                continue
            color, marker = GROUP_STYLE[group]
            ax.scatter(
                [x],
                [y],
                color=color,
                marker=marker,
                s=46,
                label=f"{group}グループ" if group not in seen else None,
                zorder=3,
            )
            seen.add(group)
            ax.annotate(
                str(row.number), (x, y), textcoords="offset points", xytext=(5, 4), fontsize=9
            )
        mean_x = analysis.mean_percent("interest")
        mean_y = analysis.mean_percent(y_measure)
        if mean_x is not None:
            ax.axvline(mean_x, color="#c62828", linestyle="--", linewidth=1)
            ax.annotate(
                f"平均 {mean_x:.1f}",
                (mean_x, 1),
                xycoords=("data", "axes fraction"),
                xytext=(3, -12),
                textcoords="offset points",
                fontsize=8,
                color="#c62828",
            )
        if mean_y is not None:
            ax.axhline(mean_y, color="#c62828", linestyle="--", linewidth=1)
            ax.annotate(
                f"平均 {mean_y:.1f}",
                (0, mean_y),
                xycoords=("axes fraction", "data"),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize=8,
                color="#c62828",
            )
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        title = "図1 課題意識と取組状況" if figure == 1 else "図2 課題意識と地域への期待"
        ax.set_title(title)
        ax.grid(True, color="#e0e0e0", linewidth=0.5)
        if seen:
            order = [g for g in GROUP_STYLE if g in seen]
            handles, labels = ax.get_legend_handles_labels()
            pairs = sorted(
                zip(labels, handles, strict=True),
                key=lambda p: order.index(p[0].replace("グループ", "")),
            )
            ax.legend([h for _l, h in pairs], [lbl for lbl, _h in pairs], loc="best", fontsize=8)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
