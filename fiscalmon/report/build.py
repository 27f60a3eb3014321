"""What the monthly report says, computed from the tables (no rendering here).

:func:`monthly_report` projects every county's full year, assesses every county's risk flags, and
sums them up the way leadership reads them: how many counties are behind time progress, how many
are unlikely to make the budget, how many are red, what changed since last month.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import args as check
from ..forecast import METHODS, forecast_full_year
from ..forecast.core import checked_tables
from ..regions import OWN_LEVEL_SUFFIX, parent_from_code
from ..calendar import time_progress_pct
from ..schema import LEVEL_RANK, item_zh
from ..io import region_directory
from . import figures
from .model import MonthlyReport, ReportSummary, TrackRecord

#: A county is "unlikely to make the budget" below this probability.
UNLIKELY_P = 0.5


def monthly_report(monthly: pd.DataFrame, annual: pd.DataFrame | None = None, risk: pd.DataFrame | None = None,
                   month=None, *, prefecture: str | None = None, item: str = "gpb_revenue",
                   method: str = "combination", thresholds=None, special: pd.DataFrame | None = None,
                   region_table=None, notes=None, cash_plan: pd.DataFrame | None = None,
                   run_time: dt.datetime | None = None, progress=None) -> MonthlyReport:
    """Build the monthly report: projections, odds of the budget and risk flags, red-level counties first.

    Parameters
    ----------
    monthly, annual, risk : canonical tables (``fiscalmon.read_monthly``, ``read_annual``, ``read_risk``);
        amounts in 亿元. Without ``risk`` the report has no flags section.
    month : month, optional
        The month reported on, in any spelling (default: the latest in ``monthly``).
    prefecture : region code, optional
        Report on this area's counties (by ``parent_code`` in the risk table, else by their codes);
        default: the one region of the table that all the others belong to (a prefecture's 全州 row, a
        province's 全区 row), else every region.
    item : item key projected (default 一般公共预算收入)
    method : projection method (default the combination)
    thresholds : passed to :func:`fiscalmon.assess`
    special : special factors (:func:`fiscalmon.read_special`), for the comparable basis (可比口径)
    region_table : regions table over the shipped one, for the scope's official name
    notes : the readers' notes (:class:`~fiscalmon.errors.Problem` s with a kind), shown grouped by kind
    cash_plan : cash plan (:func:`fiscalmon.read_cash_plan`) for the months after ``month``: the risk
        section projects month-end 库款 over the next three months (库款预测) and names the counties
        that would run short
    run_time : datetime, optional
        The run time stated in the report (default: now). Everything else depends only on the inputs.
    progress : callable, optional
        Called with a short description before each step (the command line's progress bar).

    Examples
    --------
    >>> import fiscalmon
    >>> report = fiscalmon.monthly_report(fiscalmon.datasets.demo_monthly(), fiscalmon.datasets.demo_annual(),
    ...                                   fiscalmon.datasets.demo_risk(), "2023-06", prefecture="653100")  # doctest: +SKIP
    >>> report.to_html("report.html")                                                                      # doctest: +SKIP
    """
    step = progress if callable(progress) else (lambda _: None)
    monthly, annual = checked_tables(monthly, annual)
    method = check.one_of(method, "method", METHODS)
    item = check.items_like(item, "item", monthly["item"].unique())[0]
    month = check.month_like(month) if month is not None else monthly["period"].max()
    prefecture = None if prefecture is None else check.codes_like(prefecture, "prefecture")[0]
    directory = region_directory(region_table)
    if prefecture is None:
        prefecture = _area_of(monthly, directory)
    counties, total_code, basis = _scope(monthly, risk, prefecture)
    own_code = f"{prefecture}{OWN_LEVEL_SUFFIX}" if prefecture else None
    own_code = own_code if own_code in set(monthly["region_code"]) else None
    scope = _scope_name(prefecture, monthly, directory)

    step("projecting the full year")
    area = [c for c in (total_code, own_code) if c]
    wanted = area + [c for c in counties if c not in area]
    # Every region of the table is projected, the scope's shown: the combination's weights and the
    # intervals learn from all the table's past errors (lower errors on the demo panel's prefectures than
    # from their own counties alone). The statsmodels methods fit series one by one: only the scope's.
    pooled = wanted if METHODS[method].kind == "model" else None
    projected = forecast_full_year(monthly, annual, month, methods=method, items=item, regions=pooled,
                                   special=special).table
    scope_total = projected[projected["region_code"] == total_code] if total_code else projected.iloc[:0]
    area_rows = projected[projected["region_code"].isin(area)].set_index("region_code").loc[
        [c for c in area if c in set(projected["region_code"])]].reset_index()
    projections = projected[projected["region_code"].isin(counties) & ~projected["region_code"].isin(area)]
    projections = projections.reset_index(drop=True)

    assessment = None
    if risk is not None:
        step("assessing risk flags")
        from ..risk import assess

        plan = cash_plan[cash_plan["region_code"].isin(counties)] if cash_plan is not None else None
        # The projected own revenue lets 收支缺口 set the year's 可用财力 against rigid spending.
        assessment = assess(risk[risk["region_code"].isin(counties)], month=str(month), thresholds=thresholds,
                            cash_plan=plan, revenue=projections)
        projections = _order_by_grade(projections, assessment)

    summary = _summary(projections, assessment, month)
    summary.track_record = _track_record(monthly, annual, month, method, item, counties, special)
    stamp = (run_time or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    shown = monthly[monthly["region_code"].isin(wanted) & (monthly["item"] == item)]
    quality = figures.revenue_quality(monthly, annual, month, wanted)
    moved = _since_last_month(monthly, annual, month, method, item, special, pooled, wanted,
                              pd.concat([area_rows, projections]))
    return MonthlyReport(month, scope, item, projections, assessment, summary, stamp, scope_total, shown, basis,
                         area_rows, quality, moved, list(notes or []))


def _since_last_month(monthly, annual, month, method, item, special, pooled, wanted, current) -> pd.DataFrame:
    """The same projection a month earlier, and what moved (empty in January or without last month's data)."""
    previous = month - 1
    if month.month == 1 or not ((monthly["period"] == previous) & (monthly["item"] == item)).any():
        return pd.DataFrame()
    before = forecast_full_year(monthly, annual, previous, methods=method, items=item, regions=pooled,
                                special=special).table
    return figures.since_last_month(current, before[before["region_code"].isin(wanted)], monthly, item, month)


def _area_of(monthly: pd.DataFrame, directory) -> str | None:
    """The one region of the table that every other region belongs to (全州, 全区), if there is one."""
    codes = set(monthly["region_code"])
    for code in codes:
        others = codes - {code}
        if others and all(_within(other, code, directory) for other in others):
            return code
    return None


def _within(code: str, area: str, directory) -> bool:
    """Whether ``code`` lies in ``area`` (its parent, or its parent's parent …)."""
    for _ in range(4):
        code = directory.parent(code)
        if code is None:
            return False
        if code == area:
            return True
    return False


def _scope_name(area: str | None, monthly: pd.DataFrame, directory) -> str:
    if area is None:
        return "全部地区"
    names = monthly.loc[monthly["region_code"] == area, "region"]
    return directory.name(area) or (names.iloc[0] if len(names) else area)


def _scope(monthly, risk, prefecture) -> tuple[list[str], str | None, str]:
    """(the regions of the scope, the code of its own total row if the data have it, how the regions were
    chosen when no table said so)."""
    basis = ""
    if risk is not None:
        units = risk.drop_duplicates("region_code")
        if prefecture is not None:
            units = units[units["parent_code"] == prefecture]
            if units.empty:
                raise check.ArgumentError("prefecture", prefecture, "the parent code of counties in the risk table "
                                          f"({', '.join(sorted(risk['parent_code'].dropna().unique())[:12])})")
        counties = sorted(units["region_code"])
    elif prefecture is not None:
        # No parent codes without a risk table: the administrative division code (GB/T 2260) says it
        # (本级 rows such as 653100-bj included).
        codes = pd.Series(monthly["region_code"].unique())
        counties = sorted(codes[codes.map(parent_from_code) == prefecture])
        if not counties:
            raise check.ArgumentError("prefecture", prefecture, "the code of a prefecture whose counties the monthly "
                                      "table holds (without a risk table, a county's prefecture is read from its "
                                      f"GB/T 2260 code); codes there: {', '.join(sorted(codes)[:12])}")
        basis = f"县市区按行政区划代码前四位（{str(prefecture)[:4]}）确定（未提供含上级编码的风险表）。"
    else:
        counties = sorted(monthly["region_code"].unique())
    total = prefecture if prefecture is not None and (monthly["region_code"] == prefecture).any() else None
    return counties, total, basis


def _order_by_grade(projections: pd.DataFrame, assessment) -> pd.DataFrame:
    grades = assessment.counties.set_index("region_code")
    worst = grades[["computed_grade", "grade"]].apply(
        lambda row: -max(LEVEL_RANK.get(g, -2) for g in row if isinstance(g, str)) if row.notna().any() else 5, axis=1)
    order = projections["region_code"].map(worst).fillna(5)
    return projections.assign(_order=order).sort_values(["_order", "p_attain"]).drop(columns="_order") \
        .reset_index(drop=True)


def _summary(projections: pd.DataFrame, assessment, month: pd.Period) -> ReportSummary:
    p = projections
    behind = (p["completion_pct"] < p["time_progress_pct"]) & (p["completion_pct"] < p["hist_progress_pct"])
    summary = ReportSummary(
        counties=int(len(p)), item_zh=item_zh(p["item"].iloc[0]) if len(p) else "",
        time_progress_pct=time_progress_pct(month), behind_both=int(behind.sum()),
        behind_time=int((p["completion_pct"] < p["time_progress_pct"]).sum()),
        with_budget=int(p["budget"].notna().sum()), unlikely=int((p["p_attain"] < UNLIKELY_P).sum()),
        unlikely_names=p.loc[p["p_attain"] < UNLIKELY_P].sort_values("p_attain")["region"].tolist(),
        behind_names=p.loc[behind, "region"].tolist())
    if assessment is not None:
        counties = assessment.counties
        summary.red_computed = int((counties["computed_grade"] == "red").sum())
        summary.red_official = int((counties["grade"] == "red").sum())
        summary.red_names = counties.loc[counties["grade"] == "red", "region"].tolist()
        summary.red_computed_names = counties.loc[(counties["computed_grade"] == "red") & (counties["grade"] != "red"),
                                                  "region"].tolist()
        short = assessment.watch[assessment.watch["outlook_short_period"].astype(str) != ""] \
            if "outlook_short_period" in assessment.watch else assessment.watch.iloc[:0]
        summary.cash_short_names = [f"{r}（{p}）" for r, p in zip(short["region"], short["outlook_short_period"])]
        summary.changes = assessment.changes["change"].value_counts().to_dict() if len(assessment.changes) else {}
    return summary


def _track_record(monthly, annual, month: pd.Period, method: str, item: str, counties,
                  special=None) -> TrackRecord | None:
    """How far the method missed at this month in past years for these counties (the backtest), so the
    report can say how much to trust this year's projection. None for the statsmodels methods (a
    backtest refits them every year: run ``fiscalmon backtest`` for that) or without past outturns."""
    if METHODS[method].kind == "model":
        return None
    from ..forecast import backtest
    from ..forecast.backtest import summarise

    history = monthly[monthly["period"] < pd.Period(year=month.year, month=1, freq="M")]  # (all items: components)
    if not history.loc[history["item"] == item, "region_code"].isin(counties).any():
        return None
    detail = backtest(history, annual, methods=[method], months=[month.month], items=item, special=special,
                      min_train_years=3).detail  # pooled over the table, as the projections are
    scored = summarise(detail[detail["region_code"].isin(counties)])
    if scored.empty:
        return None
    row = scored.iloc[0]
    return TrackRecord(int(row["n"]), float(row["mape"]), float(row["coverage80"]))
