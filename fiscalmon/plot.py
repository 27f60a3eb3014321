"""Charts with Chinese labels, each returned as a matplotlib Figure (nothing is shown or saved here).

Chinese text needs a CJK font. fiscalmon uses Noto Sans CJK SC (SIL Open Font Licence), which the
``mplfonts`` package installs with fiscalmon; it is registered with matplotlib on first use and
applied only inside fiscalmon's own charts (``matplotlib.rc_context``), so a user's settings are
left alone.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.ticker import PercentFormatter

from . import schema
from .args import ArgumentError, one_of
from .schema import item_zh

#: Colours of the risk levels, used by every chart and the report.
LEVEL_COLOURS = {"red": "#d7301f", "orange": "#fc8d59", "yellow": "#fdd835", "green": "#4daf4a",
                 "not_assessed": "#bdbdbd"}
LEVEL_ZH = schema.LEVEL_ZH
_CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
#: The per-county charts (completion, flag grid) draw at most this many counties by default, so that a
#: chart of 3,000 counties is as tall as one of 50; the report's tables list every county.
MAX_COUNTIES = 50


def cjk_font_file() -> Path:
    """Path of the bundled CJK font file (Noto Sans CJK SC, from the mplfonts package)."""
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / _CJK_FONT_FILE
    if not path.exists():
        raise RuntimeError(f"the CJK font {path} is missing; reinstall fiscalmon (it depends on mplfonts)")
    return path


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register the bundled CJK font with matplotlib (once) and return its family name."""
    path = cjk_font_file()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


@contextmanager
def chinese():
    """Matplotlib settings for Chinese labels, for fiscalmon's charts or a user's own.

    Examples
    --------
    >>> with chinese():              # doctest: +SKIP
    ...     plt.title("一般公共预算收入")
    """
    # The family is named outright (not "sans-serif"): text keeps it when drawn after the context ends.
    # Region names come from input cells: text is drawn as written, never as mathtext ($…$) or LaTeX.
    # Each Text reads text.parse_math when it is made, so the figures made here keep it when drawn later.
    with plt.rc_context({"font.family": [cjk_font(), "DejaVu Sans"], "axes.unicode_minus": False,
                         "figure.dpi": 100, "text.parse_math": False, "text.usetex": False}):
        yield


def growth_path(monthly: pd.DataFrame, region_code: str, item: str = "gpb_revenue", year: int | None = None):
    """The year-to-date growth path, month by month (Changji's −9.37% … 0.45% is the model case).

    Parameters
    ----------
    monthly : canonical monthly table; the growth is the reported ``yoy_pct`` (or computed by
        :func:`fiscalmon.calendar.derive` when the table has last year's YTD).
    region_code, item : which series
    year : int, optional
        Default: the latest year of the series.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = growth_path(fiscalmon.datasets.changji_monthly(), "652300")   # doctest: +SKIP
    """
    from .calendar import derive

    series = derive(monthly[(monthly["region_code"] == region_code) & (monthly["item"] == item)])
    if series.empty:
        raise ArgumentError("region_code", region_code, f"a region with {item} figures in the table")
    year = int(series["period"].dt.year.max()) if year is None else year
    path = series[(series["period"].dt.year == year) & series["yoy_pct"].notna()].sort_values("period")
    region = series["region"].iloc[0]
    with chinese():
        fig, ax = plt.subplots(figsize=(7, 3.8))
        months = path["period"].dt.month
        ax.plot(months, path["yoy_pct"], marker="o", color="#2171b5")
        for x, y in zip(months, path["yoy_pct"]):
            ax.annotate(f"{y:.2f}%", (x, y), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=9)
        ax.axhline(0, color="#555555", linewidth=0.8)
        ax.set_xticks(range(1, 13), [f"1-{m}月" if m > 1 else "1月" for m in range(1, 13)], fontsize=8)
        ax.set_xlim(0.5, 12.5)
        ax.set_ylabel("累计同比增长(%)")
        ax.set_title(f"{region} {year}年{item_zh(item)}累计增幅")
        fig.tight_layout()
    return fig


def fan_chart(projection: pd.Series, monthly: pd.DataFrame):
    """The year so far and the projected full year with its 80% and 95% bands and the budget line.

    Parameters
    ----------
    projection : one row of :func:`fiscalmon.forecast_full_year`
    monthly : the canonical monthly table it came from (for this year's and last year's YTD)

    Examples
    --------
    >>> row = fiscalmon.forecast_full_year(m, a, as_of="2023-06").iloc[0]   # doctest: +SKIP
    >>> fig = fan_chart(row, m)                                               # doctest: +SKIP
    """
    as_of = pd.Period(projection["as_of"], freq="M")
    series = monthly[(monthly["region_code"] == projection["region_code"]) & (monthly["item"] == projection["item"])]
    this = series[(series["period"].dt.year == as_of.year) & (series["period"] <= as_of)].dropna(subset=["ytd"])
    last = series[series["period"].dt.year == as_of.year - 1].dropna(subset=["ytd"])
    with chinese():
        fig, ax = plt.subplots(figsize=(7, 4))
        if not last.empty:
            ax.plot(last["period"].dt.month, last["ytd"], color="#969696", marker=".", label=f"{as_of.year - 1}年累计")
        months = list(this["period"].dt.month)
        values = list(this["ytd"])
        if not months:  # a report gives only growth: show the YTD amount at the as-of month
            months, values = [as_of.month], [projection["ytd"]]
        ax.plot(months, values, color="#08519c", marker="o", label=f"{as_of.year}年累计")
        start = (as_of.month, projection["ytd"])
        for level, alpha in ((95, 0.15), (80, 0.3)):
            lo, hi = projection[f"lo{level}"], projection[f"hi{level}"]
            if np.isfinite(lo) and np.isfinite(hi):
                ax.fill_between([start[0], 12], [start[1], lo], [start[1], hi], color="#4292c6", alpha=alpha,
                                linewidth=0, label=f"{level}%区间")
        if np.isfinite(projection["point"]):
            ax.plot([start[0], 12], [start[1], projection["point"]], color="#08519c", linestyle="--",
                    label=f"预计全年 {projection['point']:.2f}")
        if np.isfinite(projection["budget"]):
            ax.axhline(projection["budget"], color="#cb181d", linestyle=":", label=f"预算 {projection['budget']:.2f}")
        ax.set_xticks(range(1, 13), [f"{m}月" for m in range(1, 13)], fontsize=8)
        ax.set_xlim(0.5, 12.5)
        ax.set_ylabel("亿元")
        chance = projection["p_attain"]
        odds = f"，完成预算概率 {schema.odds_text(chance)}" if np.isfinite(chance) else ""
        ax.set_title(f"{projection['region']} {item_zh(projection['item'])}全年预计{odds}")
        ax.legend(fontsize=8, loc="upper left")
        fig.tight_layout()
    return fig


def backtest_errors(summary: pd.DataFrame, metric: str = "mape"):
    """Error against as-of month for each method (large in spring, small by autumn).

    Parameters
    ----------
    summary : :func:`fiscalmon.backtest` output
    metric : 'mape', 'bias_pct', 'coverage80', 'coverage95' or 'winkler80'

    Examples
    --------
    >>> fig = backtest_errors(fiscalmon.backtest(m, a))   # doctest: +SKIP
    """
    from .forecast import METHOD_ZH

    labels = {"mape": "平均绝对百分比误差(%)", "bias_pct": "平均误差(%)", "coverage80": "80%区间覆盖率",
              "coverage95": "95%区间覆盖率", "winkler80": "Winkler区间得分(%)"}
    if metric not in labels:
        one_of(metric, "metric", labels)
    with chinese():
        fig, ax = plt.subplots(figsize=(7, 4))
        for method, rows in summary.groupby("method", sort=False):
            ax.plot(rows["as_of_month"], rows[metric], marker="o", label=METHOD_ZH.get(method, method),
                    linewidth=2.5 if method == "combination" else 1.2)
        ax.set_xlabel("截至月份")
        ax.set_ylabel(labels[metric])
        ax.set_xticks(sorted(summary["as_of_month"].unique()))
        ax.set_title("回测：各预测方法误差随月份变化")
        ax.legend(fontsize=8)
        fig.tight_layout()
    return fig


def completion_counties(projections: pd.DataFrame, top: int | None = None,
                        limit: int | None = MAX_COUNTIES) -> tuple[pd.DataFrame, str]:
    """The counties :func:`completion_vs_progress` draws, furthest behind first, and the note saying
    which are left out ("" when every county is drawn).

    The rows with a completion rate are ranked by ``gap``: the completion rate less the lower of
    序时进度 and the historical progress (column ``rank``, 1 = furthest behind). ``top`` keeps the
    ``top`` furthest behind. Beyond ``limit`` counties, only the ``ceil(limit / 2)`` furthest behind
    and the ``floor(limit / 2)`` furthest ahead are kept, so that the chart's height stays bounded;
    ``limit=None`` keeps them all.
    """
    rows = projections.dropna(subset=["completion_pct"]).copy()
    rows["gap"] = rows["completion_pct"] - rows[["time_progress_pct", "hist_progress_pct"]].min(axis=1)
    rows = rows.sort_values("gap")
    if top is not None:
        rows = rows.head(top)
    rows["rank"] = np.arange(1, len(rows) + 1)
    if limit is None or len(rows) <= limit:
        return rows, ""
    behind, ahead = limit - limit // 2, limit // 2
    shown = pd.concat([rows.head(behind), rows.tail(ahead)])
    return shown, (f"仅显示完成进度最落后的{behind}个和最领先的{ahead}个县市区（共{len(rows)}个），其余见下表")


def completion_vs_progress(projections: pd.DataFrame, top: int | None = None, limit: int | None = MAX_COUNTIES):
    """Budget completion by county against 序时进度 and against the historical progress at this month.

    Parameters
    ----------
    projections : :func:`fiscalmon.forecast_full_year` output for one item and method
    top : int, optional
        Show only the counties furthest behind (default: all).
    limit : int or None
        At most this many counties (default :data:`MAX_COUNTIES`): beyond it, the half furthest
        behind and the half furthest ahead, separated by a dotted line, and the title says so (see
        :func:`completion_counties`). ``None``: every county, the chart growing with them.

    Examples
    --------
    >>> fig = completion_vs_progress(fiscalmon.forecast_full_year(m, a, as_of="2023-06"))   # doctest: +SKIP
    """
    rows, note = completion_counties(projections, top, limit)
    if rows.empty:
        raise ArgumentError("projections", "no budget completion rates", "projections with budgets to plot",
                            "Give budgets (an annual table) or completion rates.")
    rows = rows.iloc[::-1]
    with chinese():
        fig, ax = plt.subplots(figsize=(7.5, max(3, 0.28 * len(rows) + 1)))
        y = np.arange(len(rows))
        behind = (rows["completion_pct"] < rows["time_progress_pct"]) & (rows["completion_pct"] < rows["hist_progress_pct"])
        ax.barh(y, rows["completion_pct"], color=np.where(behind, "#d7301f", "#6baed6"), label="预算完成率")
        ax.scatter(rows["hist_progress_pct"], y, color="#252525", marker="|", s=120, label="历年同期进度", zorder=3)
        ax.axvline(rows["time_progress_pct"].iloc[0], color="#cb181d", linestyle="--", label="序时进度")
        # where counties are left out, between the furthest ahead (below) and the furthest behind (above)
        for position in np.flatnonzero(np.diff(rows["rank"].to_numpy()) != -1):
            ax.axhline(position + 0.5, color="#737373", linestyle=":", linewidth=1)
        ax.set_yticks(y, rows["region"], fontsize=8)
        ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))  # the unit on the ticks: the legend sits below
        title = f"{item_zh(rows['item'].iloc[0])}预算完成进度（截至{rows['as_of'].iloc[0]}，红色：慢于序时和历年同期）"
        if note:  # two lines, smaller, so that the note fits the chart's width
            ax.set_title(f"{title}\n{note}", fontsize=10)
        else:
            ax.set_title(title)
        # below the axes, so that it never hides a county's bar
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.25 / fig.get_figheight()), ncol=3,
                  frameon=False)
        fig.tight_layout()
    return fig


def flag_grid_counties(flags: pd.DataFrame, limit: int | None = MAX_COUNTIES) -> tuple[pd.DataFrame, str]:
    """The county × indicator grid :func:`flag_grid` draws (level codes, 0 = red … 4 = not assessed;
    counties by their worst level, red first, then in the order of ``flags``) and the note saying
    which counties are left out ("" when every county is drawn).

    Beyond ``limit`` counties only the first ``limit`` of that order are kept — the most severely
    flagged, as the assessment orders them —, so that the chart's height stays bounded;
    ``limit=None`` keeps them all.
    """
    levels = list(LEVEL_COLOURS)
    codes = flags.assign(code=flags["level"].map({level: k for k, level in enumerate(levels)}))
    grid = codes.pivot_table(index="region", columns="indicator_zh", values="code", aggfunc="min", sort=False)
    grid = grid.loc[grid.min(axis=1).sort_values(kind="stable").index]
    if limit is None or len(grid) <= limit:
        return grid, ""
    return grid.head(limit), f"仅显示预警最严重的{limit}个县市区（共{len(grid)}个），其余见下表"


def flag_grid(flags: pd.DataFrame, limit: int | None = MAX_COUNTIES):
    """County × indicator grid coloured by level (red-level counties at the top).

    Parameters
    ----------
    flags : ``fiscalmon.assess(...).flags`` (columns ``region``, ``indicator_zh``, ``level``)
    limit : int or None
        At most this many counties (default :data:`MAX_COUNTIES`), the most severely flagged, and
        the title says so (see :func:`flag_grid_counties`). ``None``: every county.

    Examples
    --------
    >>> fig = flag_grid(fiscalmon.assess(risk, month="2023-06").flags)   # doctest: +SKIP
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    levels = list(LEVEL_COLOURS)
    grid, note = flag_grid_counties(flags, limit)
    with chinese():
        fig, ax = plt.subplots(figsize=(min(14, 1.2 + 0.55 * grid.shape[1]), max(3, 0.3 * grid.shape[0] + 2)))
        ax.imshow(grid.to_numpy(dtype=float), cmap=ListedColormap([LEVEL_COLOURS[level] for level in levels]),
                  vmin=-0.5, vmax=len(levels) - 0.5, aspect="auto")
        ax.set_xticks(range(grid.shape[1]), grid.columns, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(grid.shape[0]), grid.index, fontsize=8)
        ax.set_xticks(np.arange(-0.5, grid.shape[1]), minor=True)
        ax.set_yticks(np.arange(-0.5, grid.shape[0]), minor=True)
        ax.grid(which="minor", color="white", linewidth=1)
        ax.tick_params(which="minor", length=0)
        ax.legend(handles=[Patch(color=LEVEL_COLOURS[level], label=LEVEL_ZH[level]) for level in levels],
                  loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
        period = flags["period"].iloc[0] if "period" in flags and len(flags) else ""
        ax.set_title(f"县市区预警指标等级 {period}" + (f"\n{note}" if note else ""))
        fig.tight_layout()
    return fig


def indicator_trend(values: pd.DataFrame, region_code: str, indicator: str, bands: dict | None = None):
    """The trend of one indicator for one county, month by month, with its threshold lines.

    Parameters
    ----------
    values : one row per month with columns ``region_code, region, period, indicator, indicator_zh,
        value, unit`` (for example ``fiscalmon.assess`` flags of several months stacked)
    region_code, indicator : which county and indicator
    bands : {level: threshold value}, optional, drawn as horizontal lines in the level's colour

    Examples
    --------
    >>> fig = indicator_trend(history, "653122", "treasury_coverage")   # doctest: +SKIP
    """
    rows = values[(values["region_code"] == region_code) & (values["indicator"] == indicator)].sort_values("period")
    if rows.empty:
        raise ArgumentError("region_code", region_code, f"a region with values of {indicator!r}")
    with chinese():
        fig, ax = plt.subplots(figsize=(7, 3.5))
        ax.plot(rows["period"].astype(str), rows["value"], marker="o", color="#08519c")
        for level, threshold in (bands or {}).items():
            ax.axhline(threshold, color=LEVEL_COLOURS.get(level, "#555555"), linestyle="--", linewidth=1,
                       label=f"{LEVEL_ZH.get(level, level)} {threshold:g}")
        ax.set_ylabel(str(rows["unit"].iloc[0]))
        ax.set_title(f"{rows['region'].iloc[0]} {rows['indicator_zh'].iloc[0]}")
        ax.tick_params(axis="x", rotation=60, labelsize=7)
        if bands:
            ax.legend(fontsize=8)
        fig.tight_layout()
    return fig
