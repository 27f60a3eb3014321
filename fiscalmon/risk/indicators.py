"""Risk indicators over the canonical risk table, as small pure functions, and their registry.

Inputs are the columns of the risk table (docs/data-format.md, *Risk*): amounts in 亿元 (the reader
converts), one row per county × month. Results are percentages as numbers like 37.5, treasury
coverage in months, gaps and arrears in 亿元, progress gaps in percentage points, coverage of debt
service in times (倍).

:data:`INDICATORS` is the one table that names every indicator: its key, Chinese name, unit, formula,
the inputs it needs and how its message explains the number. :func:`prepare` adds the derived inputs
(cash on the usable basis, trailing average outflow, 序时进度) and :func:`compute` evaluates every
registered indicator for every row at once. Grading against thresholds is :mod:`.thresholds`' job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from ..calendar import time_progress_pct
from ..schema import LEVEL_RANK, LEVEL_ZH, RISK_AMOUNTS

__all__ = [
    "Indicator",
    "INDICATORS",
    "INPUT_ZH",
    "LEVEL_ZH",
    "LEVEL_RANK",
    "CHANGE_ZH",
    "CASH_BASIS_ZH",
    "TREASURY_WINDOW_MONTHS",
    "VALUE_DECIMALS",
    "cash_on_usable_basis",
    "trailing_outflow",
    "treasury_coverage_months",
    "usable_share_pct",
    "sanbao_gap",
    "progress_gap_pp",
    "sanbao_share_pct",
    "debt_ratio_pct",
    "debt_grade_ratio_pct",
    "interest_burden_pct",
    "debt_service_cover_times",
    "advances_share_pct",
    "advances_change_pct",
    "debt_due_and_own_need",
    "wage_shortfall",
    "available_capacity",
    "capacity_gap",
    "OPERATIONS",
    "prepare",
    "compute",
]

#: Months of outflow averaged for treasury coverage (fewer at the start of a table; flags say how many).
TREASURY_WINDOW_MONTHS = 12

#: Indicator values are rounded to this many decimals before grading (1e-9 亿元 is 0.1 元), so a ratio
#: that is exactly on a boundary when written in decimals (0.36 ÷ 0.9 = 0.4) is graded as on it.
VALUE_DECIMALS = 9

#: Levels, worst first, with their Chinese names. ``not_assessed``: an input was missing.
#: Severity used to order levels; ``not_assessed`` is below green and never counts as a flag.

#: Month-over-month change categories (see :func:`fiscalmon.risk.assess`).
CHANGE_ZH: dict[str, str] = {
    "new": "新增预警",
    "worsened": "等级上升",
    "improved": "等级下降",
    "cleared": "预警解除",
    "not_compared": "无法比较",
    "unchanged": "无变化",
}

#: Chinese names of every input an indicator can need: the risk-table columns and the derived inputs.
INPUT_ZH: dict[str, str] = {
    **RISK_AMOUNTS,
    "cash": "月末库款余额",
    "outflow_mean": "库款流出",
    "time_progress_pct": "序时进度",
    "debt_own_need_next3m": "未来三个月到期还本付息（或到期本金和利息）",
    "capacity_resources": "可用财力（或本级收入预计、转移支付收入和上解支出）",
    "outlook_lowest": "现金流计划",
}
#: Which treasury cash an indicator used (:func:`cash_on_usable_basis`).
CASH_BASIS_ZH: dict[str, str] = {"usable": "可用库款", "balance": "月末库款余额"}


# ---- helpers -----------------------------------------------------------------------------------

def _ratio(numerator, denominator, scale: float = 1.0):
    """numerator × scale ÷ denominator where the denominator is positive, else NaN; keeps a Series' index."""
    num, den = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num * scale / den, np.nan)
    return _like(out, numerator, denominator)


def _like(values: np.ndarray, *templates):
    for template in templates:
        if isinstance(template, pd.Series):
            return pd.Series(values, index=template.index)
    return values.item() if values.ndim == 0 else values


# ---- treasury cash -----------------------------------------------------------------------------

def cash_on_usable_basis(balance, usable):
    """Treasury cash to grade: the usable part (可用库款) where it is reported, else the balance.

    Parameters
    ----------
    balance, usable : Series
        ``treasury_balance`` and ``treasury_usable`` in 亿元 (``usable`` may be NaN).

    Returns
    -------
    (cash, basis) : (Series, Series)
        Cash in 亿元, and ``'usable'``, ``'balance'`` or ``None`` (both missing) saying which basis.

    Examples
    --------
    >>> cash, basis = cash_on_usable_basis(pd.Series([5.0, 5.0]), pd.Series([1.2, np.nan]))
    >>> cash.tolist(), basis.tolist()
    ([1.2, 5.0], ['usable', 'balance'])
    """
    balance, usable = pd.Series(balance, dtype=float), pd.Series(usable, dtype=float, index=balance.index)
    cash = usable.where(usable.notna(), balance)
    basis = pd.Series(np.where(usable.notna(), "usable", np.where(balance.notna(), "balance", None)),
                      index=balance.index, dtype=object)
    return cash, basis


def trailing_outflow(table: pd.DataFrame, window: int = TREASURY_WINDOW_MONTHS) -> pd.DataFrame:
    """Average monthly treasury outflow over the ``window`` calendar months ending at each row.

    Months with no reported outflow are skipped, so at the start of a table (or after gaps) the
    average runs over fewer months; ``outflow_months`` says how many.

    Parameters
    ----------
    table : DataFrame
        ``region_code``, ``period`` (Period[M]) and ``treasury_outflow`` (亿元 in the month); one row per
        county × month.
    window : int
        Calendar months in the window, the row's own month included.

    Returns
    -------
    DataFrame
        ``outflow_mean`` (亿元 a month; NaN where no month in the window has an outflow) and
        ``outflow_months``, aligned with ``table``'s index.

    Examples
    --------
    >>> t = pd.DataFrame({"region_code": "A", "period": pd.period_range("2023-01", periods=3, freq="M"),
    ...                   "treasury_outflow": [1.0, 2.0, 6.0]})
    >>> trailing_outflow(t).values.tolist()
    [[1.0, 1.0], [1.5, 2.0], [3.0, 3.0]]
    """
    if len(table) == 0:
        return pd.DataFrame({"outflow_mean": [], "outflow_months": []}, index=table.index, dtype=float)
    periods = pd.PeriodIndex(table["period"], freq="M")
    wide = pd.DataFrame({"region_code": table["region_code"].to_numpy(), "period": periods,
                         "outflow": table["treasury_outflow"].to_numpy(dtype=float)}
                        ).pivot(index="period", columns="region_code", values="outflow")
    wide = wide.reindex(pd.period_range(periods.min(), periods.max(), freq="M"))
    # Months × counties, padded with window − 1 empty months on top; each month's window is summed directly.
    padded = np.vstack([np.full((window - 1, wide.shape[1]), np.nan), wide.to_numpy(dtype=float)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, window, axis=0)
    counts = (~np.isnan(windows)).sum(axis=-1)
    sums = np.nansum(windows, axis=-1)
    row = wide.index.get_indexer(periods)
    col = wide.columns.get_indexer(table["region_code"])
    n = counts[row, col].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, sums[row, col] / n, np.nan)
    return pd.DataFrame({"outflow_mean": mean, "outflow_months": n}, index=table.index)


def treasury_coverage_months(cash, outflow_mean):
    """库款保障水平: months of average outflow the month-end cash covers, cash ÷ average monthly outflow.

    Units: cash in 亿元, outflow in 亿元 a month, result in months. NaN where both are zero or an input
    is missing; infinite where cash is positive and nothing flowed out.

    Examples
    --------
    A county with 0.32亿元 of usable cash and 1亿元 of outflow a month:

    >>> treasury_coverage_months(0.32, 1.0)
    0.32
    """
    cash, flow = np.asarray(cash, dtype=float), np.asarray(outflow_mean, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(flow > 0, cash / flow, np.where((flow == 0) & (cash > 0), np.inf, np.nan))
    return _like(out, cash if isinstance(cash, pd.Series) else outflow_mean)


def usable_share_pct(usable, balance):
    """可用库款占比: usable treasury cash ÷ month-end balance × 100, in percent.

    Examples
    --------
    >>> usable_share_pct(0.9, 3.6)
    25.0
    """
    return _ratio(usable, balance, 100.0)


# ---- 三保 --------------------------------------------------------------------------------------

def sanbao_gap(need, budget):
    """三保缺口: annual 三保 need to standard − annual 三保 budget, in 亿元 (positive = a gap).

    Examples
    --------
    >>> sanbao_gap(10.5, 10.0)
    0.5
    """
    out = np.asarray(need, dtype=float) - np.asarray(budget, dtype=float)
    return _like(out, need, budget)


def progress_gap_pp(paid, planned, time_progress):
    """Execution progress minus 序时进度, in percentage points (negative = behind schedule).

    progress = paid (YTD) ÷ planned (annual) × 100; 序时进度 = month ÷ 12 × 100
    (:func:`fiscalmon.calendar.time_progress_pct`). NaN where ``planned`` is not positive.

    Examples
    --------
    三保 paid 4.0亿元 of a 10亿元 budget by the end of June (序时进度 50%):

    >>> progress_gap_pp(4.0, 10.0, 50.0)
    -10.0
    """
    progress = _ratio(paid, planned, 100.0)
    out = np.asarray(progress, dtype=float) - np.asarray(time_progress, dtype=float)
    return _like(out, paid, planned)


def sanbao_share_pct(sanbao_budget, available_resources):
    """三保支出占可用财力比重: annual 三保 budget ÷ 可用财力 × 100, in percent.

    Examples
    --------
    >>> sanbao_share_pct(4.5, 10.0)
    45.0
    """
    return _ratio(sanbao_budget, available_resources, 100.0)


# ---- debt --------------------------------------------------------------------------------------

def debt_ratio_pct(debt_balance, comprehensive_resources):
    """债务率 on legal debt: legal debt balance ÷ 综合财力 × 100, in percent.

    Examples
    --------
    >>> debt_ratio_pct(120.0, 100.0)
    120.0
    """
    return _ratio(debt_balance, comprehensive_resources, 100.0)


def debt_grade_ratio_pct(debt_balance, hidden_debt_balance, comprehensive_resources):
    """Debt ratio for the colour grade: (legal + hidden debt) ÷ 综合财力 × 100, in percent.

    Examples
    --------
    >>> debt_grade_ratio_pct(200.0, 100.0, 100.0)
    300.0
    """
    total = np.asarray(debt_balance, dtype=float) + np.asarray(hidden_debt_balance, dtype=float)
    return _like(np.asarray(_ratio(total, comprehensive_resources, 100.0)), debt_balance, comprehensive_resources)


def interest_burden_pct(interest, expenditure):
    """利息支出率: debt interest ÷ budget expenditure × 100, in percent.

    General-debt interest over general public budget expenditure, or special-debt interest over
    government fund budget expenditure (both annual, in 亿元).

    Examples
    --------
    >>> interest_burden_pct(1.0, 10.0)
    10.0
    """
    return _ratio(interest, expenditure, 100.0)


def debt_service_cover_times(cash, debt_service_next3m):
    """Coverage of the next three months' debt service by treasury cash: cash ÷ due, in times (倍).

    Infinite where nothing is due (and cash is not missing); below 1 means the cash does not cover it.

    Examples
    --------
    >>> debt_service_cover_times(1.5, 2.0)
    0.75
    """
    cash, due = np.asarray(cash, dtype=float), np.asarray(debt_service_next3m, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(due > 0, cash / due, np.where((due == 0) & ~np.isnan(cash), np.inf, np.nan))
    return _like(out, cash if isinstance(cash, pd.Series) else debt_service_next3m)


# ---- temporary advances ------------------------------------------------------------------------

def advances_share_pct(advances_balance, gpb_expenditure, fund_expenditure):
    """暂付款占比: advances outstanding ÷ (general + fund budget expenditure) × 100, in percent.

    Examples
    --------
    >>> advances_share_pct(0.5, 8.0, 2.0)
    5.0
    """
    total = np.asarray(gpb_expenditure, dtype=float) + np.asarray(fund_expenditure, dtype=float)
    return _like(np.asarray(_ratio(advances_balance, total, 100.0)), advances_balance, gpb_expenditure)


def advances_change_pct(advances_balance, advances_prev_yearend):
    """Change of advances outstanding against last year-end, in percent (positive = rising).

    (balance ÷ last year-end balance − 1) × 100; infinite when last year-end was zero and the balance
    is positive, 0 when both are zero.

    Examples
    --------
    >>> advances_change_pct(1.5, 1.0)
    50.0
    """
    now, before = np.asarray(advances_balance, dtype=float), np.asarray(advances_prev_yearend, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(before > 0, (now - before) * 100.0 / before,
                       np.where(before == 0, np.where(now > 0, np.inf, np.where(now == 0, 0.0, np.nan)), np.nan))
    return _like(out, advances_balance, advances_prev_yearend)


# ---- debt service net of refinancing, wages, 财力 -------------------------------------------------

def debt_due_and_own_need(principal, interest, refinancing, total):
    """Debt service due in the next three months, and the part the budget must find from its own funds.

    Maturing bond principal is normally repaid with 再融资债券: the own-funds need is the interest plus
    the principal not refinanced, interest + max(0, principal − refinancing). Where principal and
    interest are not given apart, the total due (``debt_service_next3m``) is used: max(0, total −
    refinancing). Where no refinancing is expected in the table (NaN), the need is the whole amount
    due, and the caller says so; it is never taken as zero refinancing silently. All in 亿元.

    Returns
    -------
    (due, need, split, refinanced) : arrays
        Amount due, own-funds need, whether principal and interest were given apart, and whether a
        refinancing figure was given.

    Examples
    --------
    Changji-like: 2.0亿元 of principal and 0.3 of interest due, 1.5 of refinancing expected; the budget must
    find 0.3 + (2.0 − 1.5) = 0.8:

    >>> due, need, split, refinanced = debt_due_and_own_need(2.0, 0.3, 1.5, np.nan)
    >>> float(due), float(need), bool(split), bool(refinanced)
    (2.3, 0.8, True, True)

    Refinancing never pays interest: with 2.5 expected against 2.0 of principal the need is the interest, 0.3:

    >>> float(debt_due_and_own_need(2.0, 0.3, 2.5, np.nan)[1])
    0.3
    """
    p, i, r, t = (np.asarray(x, dtype=float) for x in (principal, interest, refinancing, total))
    split = ~np.isnan(p) & ~np.isnan(i)
    refinanced = ~np.isnan(r)
    r0 = np.nan_to_num(r)
    due = np.where(split, p + i, t)
    need = np.where(split, i + np.maximum(0.0, p - r0), np.maximum(0.0, t - r0))
    need = np.where(refinanced, need, due)
    return due, need, split, refinanced


def wage_shortfall(wages_due, wages_paid):
    """当月工资发放缺口: wages due this month − wages paid this month, in 亿元 (positive = arrears).

    Wages are paid in full every month before anything else; a lag is arrears even when the 三保 total
    is on schedule.

    Examples
    --------
    >>> wage_shortfall(1.2, 1.0)
    0.2
    """
    out = np.round(np.asarray(wages_due, dtype=float) - np.asarray(wages_paid, dtype=float), VALUE_DECIMALS)
    return _like(out, wages_due, wages_paid)


def available_capacity(own_revenue, transfers, remittances):
    """可用财力 for the year: own revenue + transfers received − remittances up (上解), in 亿元.

    Examples
    --------
    A transfer-dependent county: own revenue 3.0亿元, transfers 9.0, remittances 0.5:

    >>> available_capacity(3.0, 9.0, 0.5)
    11.5
    """
    out = np.asarray(own_revenue, dtype=float) + np.asarray(transfers, dtype=float) - np.asarray(remittances, dtype=float)
    return _like(out, own_revenue, transfers)


def capacity_gap(sanbao_budget, debt_service_due, capacity):
    """收支缺口: rigid spending (三保 budget + debt service due in the year) − 可用财力, in 亿元 (positive = a gap).

    Examples
    --------
    三保 9.0 + debt service 3.0 against 可用财力 11.5: a gap of 0.5亿元:

    >>> capacity_gap(9.0, 3.0, 11.5)
    0.5
    """
    out = (np.asarray(sanbao_budget, dtype=float) + np.asarray(debt_service_due, dtype=float)
           - np.asarray(capacity, dtype=float))
    return _like(out, sanbao_budget, capacity)


# ---- the registry ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Indicator:
    """One risk indicator: how it is computed and explained.

    ``inputs`` are columns of the prepared table (:func:`prepare`) passed to ``func`` in order; a row
    missing any of them is not assessed. ``detail`` is a ``str.format`` template over the prepared
    row that shows the calculation with its numbers; ``infinite_zh`` explains an infinite value and
    ``undefined_zh`` a value that cannot be computed although the inputs are there (a zero divisor).
    ``system`` separates the 财政运行 indicators from the MOF debt colour grade, which is reported on its
    own and does not enter the computed grade (指标测算最高预警等级).
    """

    key: str
    zh: str
    unit: str
    formula: str
    inputs: tuple[str, ...]
    func: Callable
    detail: str
    group: str
    infinite_zh: str = ""
    undefined_zh: str = ""
    #: Which system the indicator belongs to: ``'operations'`` (财政运行 flags, counted in the computed
    #: grade) or ``'debt_grade'`` (the MOF debt risk colour grade, reported apart).
    system: str = "operations"
    #: Template for the "not assessed" message when an input is missing (default: the missing inputs).
    missing_zh: str = ""


def _identity(values):
    return np.asarray(values, dtype=float)


def _indicators() -> list[Indicator]:
    return [
        Indicator("treasury_coverage", "库款保障水平", "个月",
                  "月末库款余额 ÷ 近12个月平均每月库款流出（名义余额口径）",
                  ("treasury_balance", "outflow_mean"), treasury_coverage_months,
                  "按{period_end_zh}库款余额{treasury_balance:.2f}亿元÷近{outflow_months:.0f}个月平均库款流出"
                  "{outflow_mean:.2f}亿元计算{short_window_zh}", "treasury",
                  infinite_zh="近{outflow_months:.0f}个月没有库款流出", undefined_zh="库款和库款流出均为0"),
        Indicator("treasury_coverage_usable", "可用库款保障水平", "个月",
                  "可用库款 ÷ 近12个月平均每月库款流出（可用库款口径）",
                  ("treasury_usable", "outflow_mean"), treasury_coverage_months,
                  "按{period_end_zh}可用库款{treasury_usable:.2f}亿元÷近{outflow_months:.0f}个月平均库款流出"
                  "{outflow_mean:.2f}亿元计算{short_window_zh}", "treasury",
                  infinite_zh="近{outflow_months:.0f}个月没有库款流出", undefined_zh="可用库款和库款流出均为0"),
        Indicator("treasury_usable_share", "可用库款占比", "%", "可用库款 ÷ 月末库款余额 × 100",
                  ("treasury_usable", "treasury_balance"), usable_share_pct,
                  "可用库款{treasury_usable:.2f}亿元÷月末库款余额{treasury_balance:.2f}亿元", "treasury",
                  undefined_zh="月末库款余额为0"),
        Indicator("cash_outlook", "库款预测", "亿元",
                  "未来三个月预测月末库款的最低值：起始库款（可用库款，未报时用月末库款余额）＋计划流入−计划流出",
                  ("outlook_lowest",), _identity, "{outlook_detail_zh}", "treasury",
                  missing_zh="{outlook_reason_zh}"),
        Indicator("sanbao_gap", "三保预算缺口", "亿元", "三保需求 − 三保预算（全年）",
                  ("sanbao_need", "sanbao_budget"), sanbao_gap,
                  "三保需求{sanbao_need:.2f}亿元−三保预算{sanbao_budget:.2f}亿元", "sanbao"),
        Indicator("sanbao_progress", "三保支出进度差", "个百分点",
                  "三保累计支出 ÷ 三保预算 × 100 − 序时进度（月份 ÷ 12 × 100）",
                  ("sanbao_paid", "sanbao_budget", "time_progress_pct"), progress_gap_pp,
                  "三保累计支出{sanbao_paid:.2f}亿元÷三保预算{sanbao_budget:.2f}亿元={sanbao_progress_pct:.2f}%，"
                  "序时进度{time_progress_pct:.2f}%", "sanbao", undefined_zh="三保预算为0"),
        Indicator("wage_payment", "当月工资发放缺口", "亿元", "当月应发工资 − 当月实发工资",
                  ("wages_due", "wages_paid"), wage_shortfall,
                  "当月应发工资{wages_due:.2f}亿元，实发{wages_paid:.2f}亿元（工资须每月足额发放，不以三保总进度衡量）",
                  "sanbao"),
        Indicator("wage_arrears", "欠发工资", "亿元", "欠发工资余额", ("wage_arrears",), _identity, "", "sanbao"),
        Indicator("social_insurance_arrears", "欠缴社会保险费", "亿元", "欠缴社会保险费余额",
                  ("social_insurance_arrears",), _identity, "", "sanbao"),
        Indicator("sanbao_share", "三保支出占可用财力比重", "%", "三保预算 ÷ 可用财力 × 100",
                  ("sanbao_budget", "available_resources"), sanbao_share_pct,
                  "三保预算{sanbao_budget:.2f}亿元÷可用财力{available_resources:.2f}亿元（可用财力＝本级收入＋转移支付−上解）",
                  "sanbao", undefined_zh="可用财力为0"),
        Indicator("sanbao_share_comprehensive", "三保支出占综合财力比重", "%", "三保预算 ÷ 综合财力 × 100",
                  ("sanbao_budget", "comprehensive_resources"), sanbao_share_pct,
                  "三保预算{sanbao_budget:.2f}亿元÷综合财力{comprehensive_resources:.2f}亿元", "sanbao",
                  undefined_zh="综合财力为0"),
        Indicator("capacity_gap", "收支缺口", "亿元", "三保预算 ＋ 全年到期还本付息 − 可用财力（全年）",
                  ("sanbao_budget", "debt_service_due", "capacity_resources"), capacity_gap,
                  "三保预算{sanbao_budget:.2f}亿元＋全年到期还本付息{debt_service_due:.2f}亿元−可用财力"
                  "{capacity_resources:.2f}亿元（{capacity_basis_zh}）", "capacity"),
        Indicator("debt_ratio", "债务率（法定债务）", "%", "法定债务余额 ÷ 综合财力 × 100",
                  ("debt_balance", "comprehensive_resources"), debt_ratio_pct,
                  "法定债务余额{debt_balance:.2f}亿元÷综合财力{comprehensive_resources:.2f}亿元", "debt",
                  undefined_zh="综合财力为0"),
        Indicator("debt_grade", "综合债务率（含隐性债务）", "%", "（法定债务余额 + 隐性债务余额）÷ 综合财力 × 100",
                  ("debt_balance", "hidden_debt_balance", "comprehensive_resources"), debt_grade_ratio_pct,
                  "（法定债务{debt_balance:.2f}亿元+隐性债务{hidden_debt_balance:.2f}亿元）"
                  "÷综合财力{comprehensive_resources:.2f}亿元；对应财政部债务风险等级的测算，不是认定等级", "debt",
                  undefined_zh="综合财力为0", system="debt_grade"),
        Indicator("interest_burden_general", "一般债务利息支出率", "%", "一般债务付息 ÷ 一般公共预算支出 × 100",
                  ("interest_general", "gpb_expenditure"), interest_burden_pct,
                  "一般债务付息{interest_general:.2f}亿元÷一般公共预算支出{gpb_expenditure:.2f}亿元", "debt",
                  undefined_zh="一般公共预算支出为0"),
        Indicator("interest_burden_special", "专项债务利息支出率", "%", "专项债务付息 ÷ 政府性基金预算支出 × 100",
                  ("interest_special", "fund_expenditure"), interest_burden_pct,
                  "专项债务付息{interest_special:.2f}亿元÷政府性基金预算支出{fund_expenditure:.2f}亿元", "debt",
                  undefined_zh="政府性基金预算支出为0"),
        Indicator("overdue_debt", "逾期债务", "亿元", "逾期债务余额", ("overdue_debt",), _identity, "", "debt"),
        Indicator("debt_service_coverage", "库款对未来三个月需自筹债务本息保障倍数", "倍",
                  "库款（有可用库款时按可用库款）÷ 未来三个月需自有资金偿还的到期本息（利息＋本金−预计再融资债券，不低于0）",
                  ("cash", "debt_own_need_next3m"), debt_service_cover_times,
                  "{cash_basis_zh}{cash:.2f}亿元÷需自有资金偿还的到期本息{debt_own_need_next3m:.2f}亿元"
                  "（{debt_need_basis_zh}）", "debt",
                  infinite_zh="未来三个月没有需自有资金偿还的到期本息（{debt_need_basis_zh}）"),
        Indicator("debt_service_progress", "还本付息执行进度差", "个百分点",
                  "累计已还本付息 ÷ 全年到期还本付息 × 100 − 序时进度（月份 ÷ 12 × 100）",
                  ("debt_service_paid", "debt_service_due", "time_progress_pct"), progress_gap_pp,
                  "累计已还本付息{debt_service_paid:.2f}亿元÷全年到期还本付息{debt_service_due:.2f}亿元="
                  "{debt_service_progress_pct:.2f}%，序时进度{time_progress_pct:.2f}%", "debt",
                  undefined_zh="全年到期还本付息为0"),
        Indicator("advances_share", "暂付款占支出比重", "%",
                  "暂付款余额 ÷（一般公共预算支出 + 政府性基金预算支出）× 100",
                  ("advances_balance", "gpb_expenditure", "fund_expenditure"), advances_share_pct,
                  "暂付款余额{advances_balance:.2f}亿元÷（一般公共预算支出{gpb_expenditure:.2f}亿元"
                  "+政府性基金预算支出{fund_expenditure:.2f}亿元）", "advances", undefined_zh="支出合计为0"),
        Indicator("advances_change", "暂付款较上年末变动", "%", "（暂付款余额 ÷ 上年末暂付款余额 − 1）× 100",
                  ("advances_balance", "advances_prev_yearend"), advances_change_pct,
                  "暂付款余额{advances_balance:.2f}亿元，上年末{advances_prev_yearend:.2f}亿元", "advances",
                  infinite_zh="上年末暂付款为0，本年新增"),
    ]


#: Every indicator, in the order flags are listed. Add an indicator here (and its bands to
#: ``thresholds.toml``) and :func:`compute`, the flags and the command line pick it up.
INDICATORS: dict[str, Indicator] = {indicator.key: indicator for indicator in _indicators()}
#: The 财政运行 indicators whose worst level is the computed grade (指标测算最高预警等级); the MOF debt
#: colour grade (``debt_grade``) is reported on its own.
OPERATIONS: tuple[str, ...] = tuple(key for key, ind in INDICATORS.items() if ind.system == "operations")


# ---- evaluation --------------------------------------------------------------------------------

def prepare(table: pd.DataFrame, window: int = TREASURY_WINDOW_MONTHS) -> pd.DataFrame:
    """The risk table with the derived inputs the indicators need.

    Adds ``cash`` and ``cash_basis`` (:func:`cash_on_usable_basis`), ``outflow_mean`` and
    ``outflow_months`` (:func:`trailing_outflow`; the table must hold the months before each row it is
    asked about), ``time_progress_pct`` (序时进度, month ÷ 12 × 100), and the progress percentages
    ``sanbao_progress_pct`` and ``debt_service_progress_pct`` quoted in messages. A risk-table column
    the table lacks is added empty, so its indicators are not assessed.

    Examples
    --------
    >>> t = pd.DataFrame({"region_code": "A", "period": pd.PeriodIndex(["2023-06"], freq="M"),
    ...                   "treasury_balance": [2.0], "treasury_usable": [0.32], "treasury_outflow": [1.0]})
    >>> prepare(t)[["cash", "cash_basis", "outflow_mean", "outflow_months", "time_progress_pct"]].values.tolist()
    [[0.32, 'usable', 1.0, 1.0, 50.0]]
    """
    frame = table.copy()
    for name in RISK_AMOUNTS:
        if name not in frame:
            frame[name] = np.nan
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    frame["cash"], frame["cash_basis"] = cash_on_usable_basis(frame["treasury_balance"], frame["treasury_usable"])
    frame[["outflow_mean", "outflow_months"]] = trailing_outflow(frame, window)
    periods = pd.PeriodIndex(frame["period"], freq="M")
    months = periods.unique()  # 序时进度 is computed once per month, then spread over the rows
    progress = pd.Series(np.asarray(time_progress_pct(months), dtype=float), index=months)
    frame["time_progress_pct"] = progress.reindex(periods).to_numpy()
    frame["sanbao_progress_pct"] = _ratio(frame["sanbao_paid"], frame["sanbao_budget"], 100.0)
    frame["debt_service_progress_pct"] = _ratio(frame["debt_service_paid"], frame["debt_service_due"], 100.0)
    ten_day = frame["ten_day"] if "ten_day" in frame else pd.Series(pd.NA, index=frame.index)
    tens = pd.Series(ten_day).astype("Int64").fillna(0).astype(int).to_numpy()
    ends = pd.Series(periods.month.astype(str) + "月", index=frame.index).to_numpy(dtype=object)
    frame["period_end_zh"] = ends + np.array([_TEN_DAY_ZH.get(t, "") for t in range(4)], dtype=object)[tens] + "末"
    _prepare_debt(frame)
    _prepare_capacity(frame)
    for name, empty in (("outlook_lowest", np.nan), ("outlook_detail_zh", ""),
                        ("outlook_reason_zh", "未提供现金流计划（assess 的 cash_plan，命令行 --cash-plan）")):
        if name not in frame:
            frame[name] = empty
    return frame


_TEN_DAY_ZH = {1: "上旬", 2: "中旬", 3: "下旬"}


def _amount_zh(value: float) -> str:
    return f"{value:.2f}亿元"


def _prepare_debt(frame: pd.DataFrame) -> None:
    """``debt_due_next3m``, ``debt_own_need_next3m`` and ``debt_need_basis_zh`` (how the need was found)."""
    p, i, r, t = (frame[name] for name in ("principal_next3m", "interest_next3m", "refinancing_next3m",
                                           "debt_service_next3m"))
    due, need, split, refinanced = debt_due_and_own_need(p, i, r, t)
    frame["debt_due_next3m"], frame["debt_own_need_next3m"] = due, need
    text = np.full(len(frame), "", dtype=object)
    pv, iv, rv, tv = (x.to_numpy(dtype=float).tolist() for x in (p, i, r, t))
    for k in np.flatnonzero(~np.isnan(due)).tolist():   # only rows with something due
        if split[k]:
            head = f"到期利息{_amount_zh(iv[k])}＋到期本金{_amount_zh(pv[k])}"
        else:
            head = f"到期还本付息{_amount_zh(tv[k])}"
        if refinanced[k]:
            line = f"{head}−预计到位再融资债券{_amount_zh(rv[k])}"
            if split[k] and rv[k] > pv[k]:
                line += "（再融资债券只用于还本，超过到期本金的部分不计）"
            elif not split[k] and rv[k] > tv[k]:
                line += "（不低于0）"
        else:
            line = f"{head}；未报预计再融资债券，按到期本息全额计"
        text[k] = line
    frame["debt_need_basis_zh"] = text


def _prepare_capacity(frame: pd.DataFrame) -> None:
    """``capacity_resources`` (可用财力 for the year) and ``capacity_basis_zh``.

    Own revenue projected for the year (``own_revenue_year``, from the projection) + transfers − 上解 where
    all three are there; else the risk table's own 可用财力 (``available_resources``).
    """
    if "own_revenue_year" not in frame:
        frame["own_revenue_year"] = np.nan
    own = pd.to_numeric(frame["own_revenue_year"], errors="coerce").astype(float)
    transfers, up, given = frame["transfers_received"], frame["remittances_up"], frame["available_resources"]
    computed = available_capacity(own, transfers, up)
    use = computed.notna()
    frame["capacity_resources"] = computed.where(use, given)
    text = np.full(len(frame), "", dtype=object)
    o, tr, u, g = (x.to_numpy(dtype=float).tolist() for x in (own, transfers, up, given))
    use = use.to_numpy()
    for k in np.flatnonzero(use | np.isfinite(given.to_numpy(dtype=float))).tolist():
        text[k] = (f"本级一般公共预算收入全年预计{o[k]:.2f}亿元＋转移支付收入{tr[k]:.2f}亿元−上解支出{u[k]:.2f}亿元"
                   if use[k] else f"按填报的可用财力{g[k]:.2f}亿元")
    frame["capacity_basis_zh"] = text


def compute(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Evaluate every registered indicator on a prepared table (:func:`prepare`).

    Returns
    -------
    (values, missing) : (DataFrame, DataFrame)
        One column per indicator key, aligned with ``frame``. ``values`` holds the value in the
        indicator's unit, rounded to :data:`VALUE_DECIMALS` decimals (NaN = not assessed);
        ``missing`` holds, where an input is missing, the Chinese names of the missing inputs
        joined by 、 (else an empty string).

    Examples
    --------
    >>> t = pd.DataFrame({"region_code": "A", "period": pd.PeriodIndex(["2023-06"], freq="M"),
    ...                   "debt_balance": [120.0], "comprehensive_resources": [100.0]})
    >>> values, missing = compute(prepare(t))
    >>> values.loc[0, "debt_ratio"], missing.loc[0, "debt_grade"]
    (np.float64(120.0), '隐性债务余额')
    """
    values, missing = {}, {}
    for key, indicator in INDICATORS.items():
        columns = [frame[name] for name in indicator.inputs]
        absent = np.column_stack([column.isna().to_numpy() for column in columns])
        result = np.asarray(indicator.func(*columns), dtype=float)
        result = np.where(absent.any(axis=1), np.nan, np.round(result, VALUE_DECIMALS))
        values[key] = result
        names = np.array([INPUT_ZH[name] for name in indicator.inputs], dtype=object)
        text = np.full(len(frame), "", dtype=object)
        for position in np.flatnonzero(absent.any(axis=1)):
            text[position] = "、".join(names[absent[position]])
        missing[key] = text
    return (pd.DataFrame(values, index=frame.index), pd.DataFrame(missing, index=frame.index))
