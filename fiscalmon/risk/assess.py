"""The monthly risk assessment: flags for every county × indicator, county grades, changes, watch list.

:func:`assess` is the one entry point: it checks its arguments, evaluates the indicators registered in
:data:`fiscalmon.risk.indicators.INDICATORS` for the month and the month before, grades them with the
thresholds in force (:mod:`fiscalmon.risk.thresholds`) and returns an :class:`Assessment`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from string import Formatter
from pathlib import Path

import numpy as np
import pandas as pd

from .indicators import (CASH_BASIS_ZH, CHANGE_ZH, INDICATORS, LEVEL_RANK, OPERATIONS, TREASURY_WINDOW_MONTHS,
                         compute, prepare)
from .outlook import OUTLOOK_COLUMNS, month_zh, project_cash, summarise_outlook
from .. import args as check
from ..schema import CASH_FLOWS, LEVELS_WORST_FIRST
from .thresholds import BandSet, Thresholds, load_thresholds, province_of

__all__ = ["Assessment", "assess", "FLAG_COLUMNS", "COUNTY_COLUMNS", "CHANGE_COLUMNS", "WATCH_COLUMNS"]

FLAG_COLUMNS = ["region_code", "region", "parent_code", "period", "indicator", "indicator_zh", "value", "unit",
                "level", "band", "message", "threshold_source", "basis"]
COUNTY_COLUMNS = ["region_code", "region", "parent_code", "period", "grade", "computed_grade", "red_level",
                  "red_level_basis", "n_red", "n_orange", "n_yellow", "n_green", "n_not_assessed", "worst_indicators",
                  "debt_risk_grade", "watch_reason"]
CHANGE_COLUMNS = ["region_code", "region", "parent_code", "indicator", "indicator_zh", "previous_period",
                  "previous_level", "level", "previous_value", "value", "change", "change_zh"]
WATCH_COLUMNS = ["region_code", "region", "parent_code", "period", "grade", "computed_grade", "red_level_basis",
                 "cash_basis", "treasury_cash", "treasury_coverage", "wage_arrears", "debt_service_next3m",
                 "due_total", "cash_after", "sanbao_monthly", "sanbao_months_after", "note",
                 "watch_reason", "debt_risk_grade", "wage_shortfall", "social_insurance_arrears",
                 "refinancing_next3m", "debt_own_need_next3m", "overdue_debt",
                 "outlook_lowest_cash", "outlook_short_period", "outlook_gap"]
#: Chinese names of the grades a county carries, for reports: keep the official one apart.
GRADE_NAMES_ZH = {"grade": "财政运行等级（认定）", "computed_grade": "指标测算最高预警等级",
                  "debt_risk_grade": "债务风险等级（按综合债务率测算）"}

_CHANGE_ORDER = {"new": 0, "worsened": 1, "improved": 2, "cleared": 3, "not_compared": 4, "unchanged": 5}


@dataclass
class Assessment:
    """The result of :func:`assess` for one month; every table has red-level counties first.

    Attributes
    ----------
    month : Period
    flags : DataFrame
        One row per county × indicator (:data:`FLAG_COLUMNS`): the value in ``unit``, the ``level``
        (green/yellow/orange/red/not_assessed), the ``band`` it fell in, a Chinese ``message`` quoting
        the numbers, the ``threshold_source`` ([tag] source, effective date, file) and the ``basis``
        (cash basis and months averaged, or 序时进度).
    counties : DataFrame
        One row per county (:data:`COUNTY_COLUMNS`). ``grade`` is the official 财政运行等级 (an input):
        ``red_level`` is True for officially red counties only, the one "red-level county" list.
        ``computed_grade`` is the 指标测算最高预警等级: the worst level among the county's assessed 财政运行
        indicators (``not_assessed`` if none was), not an official grade; ``debt_risk_grade`` is the level
        of the debt colour grade (综合债务率, the MOF system), reported apart and not counted in it. The
        ``n_*`` counts and ``worst_indicators`` are over the 财政运行 indicators. ``red_level_basis`` says
        why a county is listed first: ``official`` (认定红色等级), ``both``, or ``computed`` (a red
        indicator only: watched, but not a red-level county); ``watch_reason`` says it in Chinese.
    changes : DataFrame
        One row per county × indicator against the county's previous month in the table
        (:data:`CHANGE_COLUMNS`): new, worsened, improved, cleared, unchanged, or not_compared (not
        assessed in one of the two months, and not flagged now).
    watch : DataFrame
        Officially red counties, then counties with a red 财政运行 indicator (:data:`WATCH_COLUMNS`),
        amounts in 亿元: treasury cash on its basis against wage arrears, unpaid social insurance and
        the debt service the budget must find in the next three months (due − refinancing expected),
        what is left, how many months of 三保 (budget ÷ 12) that covers, and the cash outlook's lowest
        month-end cash and first month short.
    thresholds : Thresholds
        The thresholds used.
    outlook : DataFrame
        With a cash plan: one row per county × projected month (:data:`fiscalmon.risk.outlook.OUTLOOK_COLUMNS`
        and ``region``), month-end cash and 库款保障水平 for the next three months; empty without one.
    """

    month: pd.Period
    flags: pd.DataFrame
    counties: pd.DataFrame
    changes: pd.DataFrame
    watch: pd.DataFrame
    thresholds: Thresholds = field(repr=False)
    outlook: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["region", *OUTLOOK_COLUMNS]))

    def grade_table(self) -> pd.DataFrame:
        """Counties by 指标测算最高预警等级 (rows) and official 财政运行等级 (columns), with totals."""
        order = list(LEVELS_WORST_FIRST)
        official = self.counties["grade"].fillna("none")
        table = pd.crosstab(self.counties["computed_grade"], official, margins=True, margins_name="total")
        rows = [r for r in order if r in table.index] + ["total"]
        columns = [c for c in [*order, "none"] if c in table.columns] + ["total"]
        return table.reindex(index=rows, columns=columns, fill_value=0)


# ---- argument checks ---------------------------------------------------------------------------

def _check_table(risk_table) -> pd.DataFrame:
    table = check.table_like(risk_table, "risk_table", "risk", ("region_code", "period")).copy()
    table["region_code"] = table["region_code"].astype(str)
    for name in ("region", "parent_code", "grade"):
        if name not in table:
            table[name] = None
    if "ten_day" in table and table["ten_day"].notna().any():
        table = _month_from_ten_days(table)
    repeated = table[table.duplicated(["region_code", "period"], keep=False)]
    if len(repeated):
        pairs = sorted({f"{c} {p}" for c, p in zip(repeated["region_code"], repeated["period"].astype(str))})
        raise check.ArgumentError("risk_table", ", ".join(pairs[:5]) + (" …" if len(pairs) > 5 else ""),
                                  "a table with one row per region_code × period")
    return table


_STOCKS_AT_TEN_DAY_END = ("treasury_balance", "treasury_usable")


def _month_from_ten_days(table: pd.DataFrame) -> pd.DataFrame:
    """One row per county × month from 旬 rows (``ten_day`` 1 上旬, 2 中旬, 3 下旬; 库款 is monitored by 旬).

    The month takes its latest 旬: the treasury balance and usable cash at that 旬's end (never an earlier
    旬's figure), every other column's latest reported value; ``treasury_outflow`` on a 旬 row is the
    outflow in that 旬, so the month's outflow is their sum, scaled to three 旬 where fewer are reported
    (``outflow_ten_days`` says how many). A month row without a 旬 is the month end and wins over 旬 rows.

    Examples
    --------
    >>> t = pd.DataFrame({"region_code": "A", "period": pd.PeriodIndex(["2024-06"] * 2, freq="M"),
    ...                   "ten_day": pd.array([1, 2], dtype="Int64"), "treasury_balance": [0.5, 0.3],
    ...                   "treasury_outflow": [0.4, 0.6]})
    >>> _month_from_ten_days(t)[["ten_day", "treasury_balance", "treasury_outflow", "outflow_ten_days"]].values.tolist()
    [[2, 0.3, 1.5, 2.0]]
    """
    ten = pd.Series(pd.array(table["ten_day"], dtype="Int64"), index=table.index)
    bad = ten.notna() & ~ten.isin([1, 2, 3])
    if bad.any():
        raise check.ArgumentError("risk_table", f"ten_day {ten[bad].iloc[0]}", "ten_day 1 (上旬), 2 (中旬) or 3 (下旬)")
    table = table.assign(ten_day=ten, _rank=ten.fillna(4).astype(int))
    repeated = table[table.duplicated(["region_code", "period", "_rank"], keep=False)]
    if len(repeated):
        pairs = sorted({f"{c} {p}" + ("" if r == 4 else f" 旬{r}") for c, p, r in
                        zip(repeated["region_code"], repeated["period"].astype(str), repeated["_rank"])})
        raise check.ArgumentError("risk_table", ", ".join(pairs[:5]) + (" …" if len(pairs) > 5 else ""),
                                  "a table with one row per region_code × period (× ten_day, 旬)")
    table = table.sort_values(["region_code", "period", "_rank"], kind="stable")
    keys = ["region_code", "period"]
    latest = table.groupby(keys, sort=False).last()          # latest reported value of every column
    last_row = table.groupby(keys, sort=False).tail(1).set_index(keys)
    for name in _STOCKS_AT_TEN_DAY_END:
        if name in table:
            latest[name] = last_row[name]
    month_row = last_row["_rank"] == 4
    if "treasury_outflow" in table:
        parts = table[table["_rank"] < 4].groupby(keys, sort=False)["treasury_outflow"]
        count, total = parts.count(), parts.sum(min_count=1)
        scaled = (total * 3 / count.where(count > 0)).reindex(latest.index)
        latest["treasury_outflow"] = last_row["treasury_outflow"].where(month_row, scaled)
        latest["outflow_ten_days"] = count.reindex(latest.index).where(~month_row, np.nan).astype(float)
    latest["ten_day"] = last_row["ten_day"]
    return latest.drop(columns="_rank").reset_index()


def _check_month(month, table: pd.DataFrame) -> pd.Period:
    period = check.month_like(month, "month")
    months = table["period"].dropna()
    if not (months == period).any():
        span = f"{months.min()} … {months.max()}" if len(months) else "no months at all"
        raise check.ArgumentError("month", str(period), f"a month of the risk table ({span})")
    return period


def _check_thresholds(thresholds) -> Thresholds:
    if thresholds is None:
        return load_thresholds()
    if isinstance(thresholds, Thresholds):
        return thresholds
    if isinstance(thresholds, (str, Path)):
        return load_thresholds(thresholds)
    raise check.ArgumentError("thresholds", type(thresholds).__name__, "None (the shipped defaults), a Thresholds "
                              "from load_thresholds(), or the path of a thresholds TOML file")


def _with_regions(table: pd.DataFrame, regions) -> pd.DataFrame:
    if regions is None:
        return table
    if not isinstance(regions, pd.DataFrame) or "region_code" not in regions:
        raise check.ArgumentError("region_table", type(regions).__name__, "None or a canonical regions table with "
                                  "region_code (and region, parent_code, grade), as fiscalmon.read_regions returns")
    info = regions.drop_duplicates("region_code").set_index(regions.drop_duplicates("region_code")["region_code"]
                                                             .astype(str))
    for name in ("region", "parent_code", "grade"):
        if name in info:
            table[name] = table[name].where(table[name].notna(), table["region_code"].map(info[name]))
    return table


# ---- grading -----------------------------------------------------------------------------------

class _Graded:
    """Levels, band texts and sources for rows × indicators, filled band set by band set."""

    def __init__(self, n: int):
        shape = (n, len(INDICATORS))
        self.level = np.full(shape, "not_assessed", dtype=object)
        self.band = np.full(shape, "", dtype=object)
        self.label = np.full(shape, "", dtype=object)
        self.relation = np.full(shape, "", dtype=object)
        self.source = np.full(shape, "", dtype=object)
        self.set_id = np.full(shape, -1, dtype=int)   # index into .sets; -1: no thresholds apply
        self.sets: list[BandSet] = []

    def rank(self) -> np.ndarray:
        """Severity of each level (red 3 … green 0, not_assessed −1)."""
        return _rank(self.level)


def _rank(levels: np.ndarray) -> np.ndarray:
    flat = np.asarray(levels, dtype=object).ravel().astype(str)
    unique, inverse = np.unique(flat, return_inverse=True)
    return np.array([LEVEL_RANK.get(level, -1) for level in unique], dtype=int)[inverse].reshape(np.shape(levels))


def _band_arrays(bands: BandSet) -> dict[str, np.ndarray]:
    """Per band of a set (plus a last slot for NaN), the texts a flag carries."""
    return {
        "level": np.array([b.level for b in bands.bands] + ["not_assessed"], dtype=object),
        "band": np.array([f"{b.interval(bands.closed)} {b.label}".strip() for b in bands.bands] + [""],
                         dtype=object),
        "label": np.array([b.label for b in bands.bands] + [""], dtype=object),
        "relation": np.array([b.relation_zh(bands.closed) for b in bands.bands] + [""], dtype=object),
        "source": np.array([b.source_zh() + ("" if bands.shipped else f"（{bands.origin}）")
                            for b in bands.bands] + [""], dtype=object),
    }


def _grade(rows: pd.DataFrame, values: pd.DataFrame, thresholds: Thresholds) -> _Graded:
    graded = _Graded(len(rows))
    codes = rows["region_code"].to_numpy(dtype=object)
    unique_codes, code_index = np.unique(codes, return_inverse=True)
    province = np.array([province_of(c) or "" for c in unique_codes], dtype=object)[code_index]
    keys = pd.DataFrame({"province": province, "period": rows["period"].array.asi8})
    cache: dict[int, dict] = {}
    table = values[list(INDICATORS)].to_numpy()
    for (province, ordinal), positions in keys.groupby(["province", "period"]).indices.items():
        day = pd.Period(ordinal=ordinal, freq="M").end_time.date()
        for k, key in enumerate(INDICATORS):
            bands = thresholds.resolve(key, province or None, day)
            if bands is None:
                continue
            if id(bands) not in cache:
                cache[id(bands)] = (len(graded.sets), _band_arrays(bands))
                graded.sets.append(bands)
            number, arrays = cache[id(bands)]
            index = bands.classify(table[positions, k])
            for name, array in arrays.items():
                getattr(graded, name)[positions, k] = array[index]
            graded.set_id[positions, k] = number
    return graded


# ---- messages ----------------------------------------------------------------------------------

def _fmt(value: float, bounds: tuple[float, ...] = ()) -> str:
    """Two decimals, more when two decimals would look equal to a nearby bound the value is not on."""
    for decimals in (2, 4, 6):
        text = f"{value:.{decimals}f}"
        if not any(b != value and abs(b - value) < 0.5 * 10 ** -decimals for b in bounds if np.isfinite(b)):
            return text
    return f"{value:.9g}"


class _Texts:
    """Renders ``str.format`` templates over every row at once: each field is formatted once per column."""

    def __init__(self, rows: pd.DataFrame):
        self.rows, self.n, self.fields = rows, len(rows), {}

    def field(self, name: str, spec: str) -> np.ndarray:
        if (name, spec) not in self.fields:
            column = self.rows[name]
            if pd.api.types.is_float_dtype(column.dtype):
                numbers = column.to_numpy(dtype=float)
                text = np.array([format(v, spec) for v in np.nan_to_num(numbers).tolist()], dtype=object)
                text[np.isnan(numbers)] = ""
            else:
                text = np.array([format(v, spec) if isinstance(v, str) else "" for v in column.tolist()], dtype=object)
            self.fields[name, spec] = text
        return self.fields[name, spec]

    def render(self, template: str) -> np.ndarray:
        text = np.full(self.n, "", dtype=object)
        for literal, name, spec, _ in Formatter().parse(template):
            text = text + literal if literal else text
            if name is not None:
                text = text + self.field(name, spec or "")
        return text


def _value_texts(values: np.ndarray, set_id: np.ndarray, sets: list[BandSet]) -> np.ndarray:
    """Values with two decimals, more where two would look equal to a bound of the row's bands."""
    text = np.array([f"{v:.2f}" for v in values.tolist()], dtype=object)
    for number in np.unique(set_id[set_id >= 0]):
        rows = np.flatnonzero(set_id == number)
        cuts = sets[number].cuts
        if not len(cuts) or not len(rows):
            continue
        v = values[rows][:, None]
        near = ((np.abs(v - cuts[None, :]) < 0.005) & (v != cuts[None, :])).any(axis=1)
        for i in rows[near]:
            text[i] = _fmt(values[i], tuple(cuts))
    return text


def _messages(rows: pd.DataFrame, values: pd.DataFrame, missing: pd.DataFrame, graded: _Graded) -> np.ndarray:
    texts = _Texts(rows)
    out = np.empty((len(rows), len(INDICATORS)), dtype=object)
    for k, (key, ind) in enumerate(INDICATORS.items()):
        value, absent, set_id = values[key].to_numpy(), missing[key].to_numpy(dtype=object), graded.set_id[:, k]
        has_sets = set_id >= 0
        finite = np.isfinite(value)
        infinite = texts.render(ind.infinite_zh) if ind.infinite_zh else "无穷大"
        head = np.where(np.isinf(value), ind.zh + "：" + infinite,
                        ind.zh + _value_texts(np.where(finite, value, 0.0), set_id, graded.sets) + ind.unit)
        label = graded.label[:, k]
        text = head + "，" + graded.relation[:, k] + np.where(label != "", "（" + label + "）", "")
        if ind.detail:
            text = text + "；" + texts.render(ind.detail)
        why = (texts.render(ind.missing_zh) if ind.missing_zh else "缺少" + absent)
        out[:, k] = np.select(
            [absent != "", ~has_sets, np.isnan(value)],
            [ind.zh + "未评估：" + why, np.full(len(rows), ind.zh + "未评估：没有适用的阈值", dtype=object),
             np.full(len(rows), f"{ind.zh}未评估：无法计算（{ind.undefined_zh or '数据不足'}）", dtype=object)],
            text)
    return out


def _basis(rows: pd.DataFrame) -> dict[str, np.ndarray]:
    cash = rows["cash_basis_zh"].to_numpy(dtype=object)
    months = rows["outflow_months"].to_numpy()
    short = f"（不足{TREASURY_WINDOW_MONTHS}个月）"
    ten = rows["outflow_ten_days"].to_numpy(dtype=float) if "outflow_ten_days" in rows else np.full(len(rows), np.nan)
    ends = rows["period_end_zh"].to_numpy(dtype=object)
    window = np.array([f"近{m:.0f}个月平均流出" + (short if m < TREASURY_WINDOW_MONTHS else "")
                       + (f"；本月流出按{t:.0f}个旬折算" if np.isfinite(t) and t < 3 else "")
                       if m > 0 else "" for m, t in zip(months, ten)], dtype=object)
    progress = np.array([f"序时进度{t:.2f}%" for t in rows["time_progress_pct"]], dtype=object)
    balance = np.array([f"{e}库款余额" for e in ends], dtype=object)
    usable = np.array([f"{e}可用库款" for e in ends], dtype=object)
    need = rows["debt_need_basis_zh"].to_numpy(dtype=object)
    return {"treasury_coverage": np.where(window != "", balance + "（名义）；" + window, ""),
            "treasury_coverage_usable": np.where(window != "", usable + "；" + window, ""),
            "debt_service_coverage": np.where(cash != "", cash + "；" + need, ""),
            "cash_outlook": np.where(cash != "", "起点" + cash + "；现金流计划未来三个月", ""),
            "capacity_gap": rows["capacity_basis_zh"].to_numpy(dtype=object),
            "sanbao_progress": progress, "debt_service_progress": progress}


# ---- the entry point ---------------------------------------------------------------------------

def assess(risk_table: pd.DataFrame, month, thresholds=None, region_table: pd.DataFrame | None = None, *,
           cash_plan: pd.DataFrame | None = None, revenue: pd.DataFrame | None = None,
           regions=check.UNSET) -> Assessment:
    """Grade every county's risk indicators for one month against the thresholds in force.

    Parameters
    ----------
    risk_table : DataFrame
        The canonical risk table (:func:`fiscalmon.read_risk`): one row per county × month, amounts in
        亿元, every indicator column optional. The months before ``month`` are used for the trailing
        treasury outflow (up to 12) and for the changes since the previous month.
    month : month
        The month to assess, in any spelling (``'2023-06'``, ``'2023年6月'``, ``202306``); it must be
        in the table.
    thresholds : None, Thresholds or path
        None for the shipped defaults, a :class:`Thresholds` (:func:`load_thresholds`), or the path of
        a province's thresholds TOML file (loaded over the defaults).
    region_table : DataFrame, optional
        A regions table (:func:`fiscalmon.read_regions`) filling names, parents and official grades the
        risk table lacks. (``regions=`` is the old name.)
    cash_plan : DataFrame, optional
        A cash plan (:func:`fiscalmon.read_cash_plan`) for the months after ``month``: the cash outlook
        (库款预测) projects month-end cash over the next three months from the month's treasury cash.
        Without one, ``cash_outlook`` is not assessed.
    revenue : DataFrame, optional
        Own revenue projected for the year, per county, for 可用财力 (own revenue + transfers − 上解): a
        table with ``region_code`` and ``own_revenue`` (亿元), or a projection table
        (``fiscalmon.forecast_full_year(...).table``) whose ``point`` for ``gpb_revenue`` is used.
        Without one, 可用财力 is the risk table's ``available_resources``.

    Returns
    -------
    Assessment
        ``flags``, ``counties``, ``changes`` and ``watch`` tables, red-level counties first.

    Examples
    --------
    >>> import fiscalmon
    >>> result = assess(fiscalmon.datasets.demo_risk(), "2023-06")
    >>> result.counties[["region", "grade", "computed_grade"]].head(2)      # doctest: +SKIP
    >>> result.flags.query("region_code == '653122' and level == 'red'")   # doctest: +SKIP
    """
    region_table = check.renamed(region_table, regions, "region_table", "regions")
    table = _check_table(risk_table)
    month = _check_month(month, table)
    thresholds = _check_thresholds(thresholds)
    table = _with_regions(table, region_table)
    plan = _check_cash_plan(cash_plan)
    own = _check_revenue(revenue)

    counties = table.loc[table["period"] == month, "region_code"]
    table = table[table["region_code"].isin(counties) & (table["period"] <= month)].sort_values(["region_code", "period"])
    earlier = table[table["period"] < month].drop_duplicates("region_code", keep="last")
    first_needed = (earlier["period"].min() if len(earlier) else month) - (TREASURY_WINDOW_MONTHS - 1)
    window = table[table["period"] >= first_needed].reset_index(drop=True)
    if own is not None:
        same_year = window["period"].map(lambda p: p.year) == month.year
        window["own_revenue_year"] = window["region_code"].map(own).where(same_year)
    frame = prepare(window)
    frame["cash_basis_zh"] = frame["cash_basis"].map(CASH_BASIS_ZH).fillna("")
    frame["short_window_zh"] = np.where(frame["outflow_months"] < TREASURY_WINDOW_MONTHS,
                                        f"（不足{TREASURY_WINDOW_MONTHS}个月）", "")

    now = frame[frame["period"] == month].reset_index(drop=True)
    outlook = _outlook(now, plan, month)
    before = frame.merge(earlier[["region_code", "period"]], on=["region_code", "period"]).reset_index(drop=True)
    values, missing = compute(now)
    graded = _grade(now, values, thresholds)
    summary = _counties(now, graded)
    rank = pd.Series(np.arange(len(summary)), index=summary["region_code"].to_numpy())
    order = np.argsort(rank.loc[now["region_code"]].to_numpy(), kind="stable")

    flags = _flags(now, values, missing, graded).iloc[_long_order(order)].reset_index(drop=True)
    previous_values, _ = compute(before)
    previous = _grade(before, previous_values, thresholds)
    changes = _changes(now, values, graded, before, previous_values, previous)
    changes = changes.assign(_rank=rank.loc[changes["region_code"]].to_numpy(),
                             _change=changes["change"].map(_CHANGE_ORDER))
    changes = changes.sort_values(["_rank", "_change"], kind="stable").drop(columns=["_rank", "_change"])
    watch = _watch(now.iloc[order], summary.set_index("region_code"), values.iloc[order])
    outlook = outlook.merge(now[["region_code", "region"]], on="region_code", how="left")
    outlook = outlook.assign(_rank=rank.reindex(outlook["region_code"]).to_numpy()).sort_values(
        ["_rank", "step"], kind="stable").drop(columns="_rank")[["region", *OUTLOOK_COLUMNS]]
    return Assessment(month, flags, summary.reset_index(drop=True), changes.reset_index(drop=True),
                      watch.reset_index(drop=True), thresholds, outlook.reset_index(drop=True))


def _check_cash_plan(cash_plan) -> pd.DataFrame | None:
    if cash_plan is None:
        return None
    needed = ("region_code", "period", "flow", "amount")
    if not isinstance(cash_plan, pd.DataFrame) or any(c not in cash_plan for c in needed):
        found = type(cash_plan).__name__ if not isinstance(cash_plan, pd.DataFrame) else \
            f"a table with columns {list(cash_plan.columns)[:8]}"
        raise check.ArgumentError("cash_plan", found, "None or a canonical cash plan with columns "
                                  + ", ".join(needed), "Read the file with fiscalmon.read_cash_plan(...) first.")
    plan = cash_plan
    plan = plan.assign(region_code=plan["region_code"].astype(str),
                       period=pd.PeriodIndex(plan["period"], freq="M"),
                       amount=pd.to_numeric(plan["amount"], errors="coerce").astype(float))
    unknown = sorted(set(plan["flow"].dropna().astype(str)) - set(CASH_FLOWS))
    if unknown:
        raise check.ArgumentError("cash_plan", f"flow {unknown[0]!r}",
                                  "a cash plan whose flow is one of " + ", ".join(CASH_FLOWS))
    negative = plan[plan["amount"] < 0]
    if len(negative):
        row = negative.iloc[0]
        raise check.ArgumentError("cash_plan", f"{row['region_code']} {row['period']} {row['flow']} {row['amount']:g}",
                                  "positive amounts (an outflow is named by its flow, not by its sign)")
    return plan


def _check_revenue(revenue) -> pd.Series | None:
    """Own revenue for the year by region code (亿元), from an own_revenue table or a projection table."""
    if revenue is None:
        return None
    if not isinstance(revenue, pd.DataFrame) or "region_code" not in revenue or not (
            "own_revenue" in revenue or "point" in revenue):
        raise check.ArgumentError("revenue", type(revenue).__name__, "None, a table with region_code and own_revenue "
                                  "(亿元, the year), or fiscalmon.forecast_full_year(...).table")
    table = revenue
    if "own_revenue" not in table:
        if "item" in table:
            table = table[table["item"] == "gpb_revenue"]
        table = table.rename(columns={"point": "own_revenue"})
    table = table.assign(region_code=table["region_code"].astype(str))
    repeated = table["region_code"][table["region_code"].duplicated()]
    if len(repeated):
        raise check.ArgumentError("revenue", f"region_code {repeated.iloc[0]} twice",
                                  "one own revenue per region (a projection table of one method)")
    return table.set_index("region_code")["own_revenue"].astype(float)


def _outlook(now: pd.DataFrame, plan: pd.DataFrame | None, month: pd.Period) -> pd.DataFrame:
    """Project the cash plan over ``now``'s counties and put the outlook's inputs on ``now`` (in place)."""
    if plan is None:
        return pd.DataFrame(columns=OUTLOOK_COLUMNS)
    start = now[["region_code", "cash", "cash_basis", "outflow_mean"]]
    outlook = project_cash(start, plan, month)
    summary = summarise_outlook(outlook)
    planned = now["region_code"].isin(summary.index)
    last = month_zh(month + 3)
    now["outlook_reason_zh"] = np.where(
        planned, "", f"现金流计划没有本地区{month_zh(month + 1)}至{last}的数据")
    if len(summary):
        info = summary.reindex(now["region_code"])
        now["outlook_lowest"] = info["value"].to_numpy(dtype=float)
        now["outlook_detail_zh"] = info["detail_zh"].fillna("").to_numpy(dtype=object)
        reason = info["reason_zh"].fillna("").to_numpy(dtype=object)
        now["outlook_reason_zh"] = np.where(planned, reason, now["outlook_reason_zh"])
        now["outlook_short_period"] = info["short_period"].to_numpy(dtype=object)
        now["outlook_gap"] = info["gap"].to_numpy(dtype=float)
    return outlook


def _long_order(order: np.ndarray) -> np.ndarray:
    k = len(INDICATORS)
    return (order[:, None] * k + np.arange(k)[None, :]).ravel()


def _flags(now, values, missing, graded) -> pd.DataFrame:
    n, k = len(now), len(INDICATORS)
    basis = np.full((n, k), "", dtype=object)
    texts = _basis(now)
    for j, key in enumerate(INDICATORS):
        if key in texts:
            basis[:, j] = texts[key]
    level = graded.level
    return pd.DataFrame({
        **{name: np.repeat(now[name].to_numpy(), k) for name in ("region_code", "region", "parent_code")},
        "period": now["period"].array.repeat(k),
        "indicator": np.tile(list(INDICATORS), n),
        "indicator_zh": np.tile([i.zh for i in INDICATORS.values()], n),
        "value": values.to_numpy().ravel(),
        "unit": np.tile([i.unit for i in INDICATORS.values()], n),
        "level": level.ravel(),
        "band": np.where(level == "not_assessed", "", graded.band).ravel(),
        "message": _messages(now, values, missing, graded).ravel(),
        "threshold_source": np.where(level == "not_assessed", "", graded.source).ravel(),
        "basis": np.where(level == "not_assessed", "", basis).ravel(),
    }, columns=FLAG_COLUMNS)


_OPERATIONS_AT = np.array([key in OPERATIONS for key in INDICATORS])
_DEBT_GRADE_AT = list(INDICATORS).index("debt_grade")


def _counties(now: pd.DataFrame, graded: _Graded) -> pd.DataFrame:
    level = graded.level[:, _OPERATIONS_AT]
    counts = {name: (level == name).sum(axis=1) for name in LEVELS_WORST_FIRST}
    ranks = graded.rank()[:, _OPERATIONS_AT]
    worst = ranks.max(axis=1) if ranks.shape[1] else np.full(len(now), -1)
    by_rank = {v: k for k, v in LEVEL_RANK.items()}
    computed = np.array([by_rank[r] for r in worst], dtype=object)
    names = np.array([i.zh for k, i in INDICATORS.items() if k in OPERATIONS], dtype=object)
    worst_names = ["、".join(names[ranks[i] == worst[i]]) if worst[i] > 0 else "" for i in range(len(now))]
    red_names = ["、".join(names[ranks[i] == LEVEL_RANK["red"]]) for i in range(len(now))]
    official = now["grade"].to_numpy(dtype=object)
    is_official, is_computed = official == "red", computed == "red"
    basis = np.select([is_official & is_computed, is_official, is_computed], ["both", "official", "computed"], "")
    reason = [("认定红色等级" + (f"；指标测算最高预警等级为红色：{red}" if c else "")) if o else
              (f"指标测算最高预警等级为红色（非认定红色等级）：{red}" if c else "")
              for o, c, red in zip(is_official, is_computed, red_names)]
    summary = pd.DataFrame({
        "region_code": now["region_code"], "region": now["region"], "parent_code": now["parent_code"],
        "period": now["period"], "grade": official, "computed_grade": computed,
        "red_level": is_official, "red_level_basis": basis,
        "n_red": counts["red"], "n_orange": counts["orange"], "n_yellow": counts["yellow"], "n_green": counts["green"],
        "n_not_assessed": counts["not_assessed"], "worst_indicators": worst_names,
        "debt_risk_grade": graded.level[:, _DEBT_GRADE_AT], "watch_reason": reason,
    }, columns=COUNTY_COLUMNS)
    official_rank = pd.Series(official).map(LEVEL_RANK).fillna(-2).to_numpy()
    keys = pd.DataFrame({"a": ~is_official, "b": -worst, "c": -official_rank,
                         "d": -counts["red"], "e": -counts["orange"], "f": -counts["yellow"],
                         "g": summary["region_code"].to_numpy()})
    return summary.iloc[keys.sort_values(list("abcdefg"), kind="stable").index].reset_index(drop=True)


def _changes(now, values, graded, before, previous_values, previous) -> pd.DataFrame:
    k = len(INDICATORS)
    position = pd.Series(np.arange(len(before)), index=before["region_code"].to_numpy())
    match = position.reindex(now["region_code"]).to_numpy()
    has = ~np.isnan(match)
    at = np.where(has, match, 0).astype(int)
    prev_level = np.where(has[:, None], previous.level[at], "none") if len(before) else np.full((len(now), k), "none")
    prev_value = (np.where(has[:, None], previous_values.to_numpy()[at], np.nan) if len(before)
                  else np.full((len(now), k), np.nan))
    prev_period = (np.where(has, before["period"].astype(str).to_numpy()[at], "") if len(before)
                   else np.full(len(now), ""))
    cur, old = graded.rank(), _rank(prev_level)
    change = np.select(
        [graded.level == prev_level, (cur > 0) & (old <= 0), (cur > 0) & (old > 0) & (cur > old),
         (cur > 0) & (old > 0) & (cur < old), (cur == 0) & (old > 0)],
        ["unchanged", "new", "worsened", "improved", "cleared"], "not_compared")
    n = len(now)
    return pd.DataFrame({
        **{name: np.repeat(now[name].to_numpy(), k) for name in ("region_code", "region", "parent_code")},
        "indicator": np.tile(list(INDICATORS), n), "indicator_zh": np.tile([i.zh for i in INDICATORS.values()], n),
        "previous_period": np.repeat(prev_period, k), "previous_level": prev_level.ravel(),
        "level": graded.level.ravel(), "previous_value": prev_value.ravel(), "value": values.to_numpy().ravel(),
        "change": change.ravel(), "change_zh": pd.Series(change.ravel()).map(CHANGE_ZH).to_numpy(),
    }, columns=CHANGE_COLUMNS)


def _watch(now: pd.DataFrame, summary: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Officially red counties, then those with a red 财政运行 indicator: cash against what falls due."""
    info = summary.loc[now["region_code"]]
    listed = (info["red_level_basis"] != "").to_numpy()
    rows, info = now[listed], info[listed]
    # 库款保障水平 on the basis of the cash shown: usable where reported, else the balance.
    coverage = np.where(rows["cash_basis"].to_numpy(dtype=object) == "usable",
                        values["treasury_coverage_usable"].to_numpy()[listed], values["treasury_coverage"].to_numpy()[listed])
    cash = rows["cash"].to_numpy()
    arrears, social = rows["wage_arrears"].to_numpy(), rows["social_insurance_arrears"].to_numpy()
    shortfall = values["wage_payment"].to_numpy()[listed]
    # Wages owed: the arrears where reported, else this month's shortfall (not both: the month's lag is in the arrears).
    wages_owed = np.where(np.isnan(arrears), np.where(shortfall > 0, shortfall, np.where(np.isnan(shortfall), np.nan, 0)),
                          arrears)
    gross, need = rows["debt_due_next3m"].to_numpy(), rows["debt_own_need_next3m"].to_numpy()
    parts = np.column_stack([wages_owed, social, need])
    total = np.where(np.isnan(parts).all(axis=1), np.nan, np.nansum(parts, axis=1))
    after = cash - total
    monthly = rows["sanbao_budget"].to_numpy() / 12
    with np.errstate(divide="ignore", invalid="ignore"):
        months_after = np.where(monthly > 0, after / monthly, np.nan)
    notes, bases = [], rows["cash_basis"].to_numpy(dtype=object)
    need_basis = rows["debt_need_basis_zh"].to_numpy(dtype=object)
    refinancing = rows["refinancing_next3m"].to_numpy(dtype=float)
    short_period = rows["outlook_short_period"].to_numpy(dtype=object) if "outlook_short_period" in rows \
        else np.full(len(rows), None, dtype=object)
    gap = rows["outlook_gap"].to_numpy(dtype=float) if "outlook_gap" in rows else np.full(len(rows), np.nan)
    lowest = rows["outlook_lowest"].to_numpy(dtype=float)
    for i in range(len(rows)):
        basis = CASH_BASIS_ZH.get(bases[i], "库款")
        wage_text = (f"欠发工资{_amount(arrears[i])}" if not np.isnan(arrears[i]) else
                     f"当月工资发放缺口{_amount(max(shortfall[i], 0.0))}" if not np.isnan(shortfall[i]) else "欠发工资未报")
        text_parts = [f"{basis}{_amount(cash[i])}", wage_text]
        if not np.isnan(social[i]):
            text_parts.append(f"欠缴社会保险费{_amount(social[i])}")
        if np.isnan(need[i]):
            debt_text = "未来三个月到期还本付息未报"
        elif need_basis[i].startswith("到期还本付息") and np.isnan(refinancing[i]):
            debt_text = f"未来三个月到期还本付息{_amount(need[i])}（未报预计再融资债券，按全额计）"
        else:
            debt_text = f"未来三个月需自有资金偿还的到期本息{_amount(need[i])}（{need_basis[i]}）"
        text_parts.append(f"{debt_text}，合计{_amount(total[i])}")
        text = "；".join(text_parts)
        if not np.isnan(after[i]):
            short = after[i] < 0
            text += f"；支付后{'缺' if short else '余'}{abs(after[i]):.2f}亿元"
            if not np.isnan(months_after[i]):
                text += (f"，{'缺口相当于' if short else '约合'}{abs(months_after[i]):.1f}个月三保支出"
                         f"（三保预算{monthly[i] * 12:.2f}亿元÷12）")
        if isinstance(short_period[i], pd.Period):
            text += f"；库款预测：{month_zh(short_period[i])}末将缺{gap[i]:.2f}亿元"
        elif np.isfinite(lowest[i]):
            text += f"；库款预测：未来三个月月末库款最低{lowest[i]:.2f}亿元"
        notes.append(text + "。")
    return pd.DataFrame({
        "region_code": rows["region_code"].to_numpy(), "region": rows["region"].to_numpy(),
        "parent_code": rows["parent_code"].to_numpy(), "period": rows["period"].to_numpy(),
        "grade": info["grade"].to_numpy(), "computed_grade": info["computed_grade"].to_numpy(),
        "red_level_basis": info["red_level_basis"].to_numpy(),
        "cash_basis": rows["cash_basis"].to_numpy(), "treasury_cash": cash, "treasury_coverage": coverage,
        "wage_arrears": arrears, "debt_service_next3m": gross, "due_total": total, "cash_after": after,
        "sanbao_monthly": monthly, "sanbao_months_after": months_after, "note": notes,
        "watch_reason": info["watch_reason"].to_numpy(), "debt_risk_grade": info["debt_risk_grade"].to_numpy(),
        "wage_shortfall": shortfall, "social_insurance_arrears": social,
        "refinancing_next3m": rows["refinancing_next3m"].to_numpy(), "debt_own_need_next3m": need,
        "overdue_debt": rows["overdue_debt"].to_numpy(), "outlook_lowest_cash": lowest,
        "outlook_short_period": [str(p) if isinstance(p, pd.Period) else "" for p in short_period],
        "outlook_gap": gap,
    }, columns=WATCH_COLUMNS)


def _amount(value: float) -> str:
    return "未报" if np.isnan(value) else f"{value:.2f}亿元"
