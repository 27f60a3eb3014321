"""Will the county have the cash? Month-end treasury cash projected over the next three months (库款预测).

From the treasury cash at the end of the month assessed (usable cash where reported, else the balance)
and a cash plan (:func:`fiscalmon.read_cash_plan`: one row per region × future month × flow, amounts
positive, in 亿元), :func:`project_cash` adds each month's planned inflows and subtracts its outflows:

    end cash of month k = start cash + Σ (inflows − outflows) of months 1 … k

The flows are those of :data:`fiscalmon.schema.CASH_FLOWS` and must not overlap: ``sanbao`` is 三保
spending *other than* wages (``wages``), ``debt_principal`` and ``debt_interest`` the debt service due and
``refinancing`` the 再融资债券 expected. A month the plan has no row for, and wages in any month, are **not**
taken as zero: it is listed, and the result is graded only where it
holds whatever the missing flows are (a shortfall
that shows with inflows all given is certain however large the missing outflows; no shortfall with every
outflow given is certain however small the missing inflows). Otherwise the county is not assessed, and
the message names what is missing. Within a month the plan covers, a flow it leaves out is read as
nothing planned (a plan lists what is planned); ``outlook.unplanned_flows`` lists them and the message names
those left out of every month: 计划未列其他流入（各月均未列，未计入）.

Pure functions over pandas; the reader does the I/O.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import CASH_FLOWS, CASH_OUTFLOWS

__all__ = ["HORIZON_MONTHS", "CASH_INFLOWS", "OUTLOOK_COLUMNS", "project_cash", "summarise_outlook",
           "month_zh"]

#: Months projected after the month assessed.
HORIZON_MONTHS = 3
#: The inflows of a cash plan (the outflows are :data:`fiscalmon.schema.CASH_OUTFLOWS`).
CASH_INFLOWS = tuple(flow for flow in CASH_FLOWS if flow not in CASH_OUTFLOWS)

#: One row per region × projected month.
OUTLOOK_COLUMNS = ["region_code", "step", "period", "start_cash", "inflow", "outflow", "net", "end_cash",
                   "coverage", "coverage_basis", "missing_inflows", "missing_outflows", "cash_basis", "unplanned_flows",
                   "never_planned", "month_planned"]


def month_zh(period) -> str:
    """A month as officials write it: ``'2023年8月'``.

    >>> month_zh(pd.Period("2023-08", freq="M"))
    '2023年8月'
    """
    period = pd.Period(period, freq="M")
    return f"{period.year}年{period.month}月"


def project_cash(start: pd.DataFrame, plan: pd.DataFrame, month, months: int = HORIZON_MONTHS) -> pd.DataFrame:
    """Month-end cash for the ``months`` months after ``month``, per region, from a cash plan.

    Parameters
    ----------
    start : DataFrame
        One row per region: ``region_code``, ``cash`` (亿元 at the end of ``month``; NaN = not reported),
        ``cash_basis`` (``'usable'`` or ``'balance'``) and ``outflow_mean`` (average monthly treasury
        outflow, 亿元, NaN if unknown) for the projected 库款保障水平.
    plan : DataFrame
        The canonical cash plan: ``region_code``, ``period`` (Period[M]), ``flow``, ``amount`` (亿元,
        positive). Several rows of one flow in one month are added up.
    month : Period
        The month assessed; the plan's months after it are used.

    Returns
    -------
    DataFrame
        :data:`OUTLOOK_COLUMNS`, one row per region with a start cash and a plan × projected month.
        ``coverage`` is end cash ÷ average monthly outflow (``coverage_basis`` says which: the risk
        table's trailing average, else the plan's own outflows over the months projected);
        ``missing_inflows``/``missing_outflows`` name the flows missing from that month: all of them when
        the plan has no row for the county in that month (``month_planned`` False), and wages whenever
        they are not given (they are paid every month). They are left out of ``inflow``/``outflow``,
        never taken as zero, and make the row's end cash a bound only (see :func:`summarise_outlook`).
        ``unplanned_flows`` names the flows left out of a month the plan does cover (nothing planned for
        them that month); ``never_planned`` those left out of every month, which the message names.

    Examples
    --------
    Usable cash 1.0亿元 at the end of June; July brings 0.5 of transfers against 0.8 of wages, August 1.2
    of debt principal with 1.0 of refinancing (every other flow given as 0):

    >>> flows = {f: 0.0 for f in CASH_FLOWS}
    >>> rows = [{**dict(region_code="A", period=p, flow=f, amount=a)} for p, plan in
    ...         (("2023-07", {**flows, "transfers": 0.5, "wages": 0.8}),
    ...          ("2023-08", {**flows, "debt_principal": 1.2, "refinancing": 1.0}),
    ...          ("2023-09", flows)) for f, a in plan.items()]
    >>> plan = pd.DataFrame(rows).assign(period=lambda t: pd.PeriodIndex(t["period"], freq="M"))
    >>> start = pd.DataFrame({"region_code": ["A"], "cash": [1.0], "cash_basis": ["usable"], "outflow_mean": [1.0]})
    >>> out = project_cash(start, plan, pd.Period("2023-06", freq="M"))
    >>> out["period"].astype(str).tolist(), out["end_cash"].round(2).tolist()
    (['2023-07', '2023-08', '2023-09'], [0.7, 0.5, 0.5])
    """
    month = pd.Period(month, freq="M")
    horizon = pd.period_range(month + 1, periods=months, freq="M")
    plan = plan[plan["region_code"].astype(str).isin(start["region_code"].astype(str))]
    plan = plan[pd.PeriodIndex(plan["period"], freq="M").isin(horizon)]
    regions = [code for code in start["region_code"].astype(str) if code in set(plan["region_code"].astype(str))]
    if not regions:
        return pd.DataFrame(columns=OUTLOOK_COLUMNS)
    sums = (plan.assign(region_code=plan["region_code"].astype(str), period=pd.PeriodIndex(plan["period"], freq="M"))
            .groupby(["region_code", "period", "flow"])["amount"].sum(min_count=1))
    index = pd.MultiIndex.from_product([regions, horizon, list(CASH_FLOWS)], names=["region_code", "period", "flow"])
    amounts = sums.reindex(index).to_numpy(dtype=float).reshape(len(regions), months, len(CASH_FLOWS))
    is_out = np.array([flow in CASH_OUTFLOWS for flow in CASH_FLOWS])
    given = ~np.isnan(amounts)
    values = np.nan_to_num(amounts)
    inflow = (values * ~is_out).sum(axis=2)
    outflow = (values * is_out).sum(axis=2)
    info = start.assign(region_code=start["region_code"].astype(str)).drop_duplicates("region_code") \
        .set_index("region_code").loc[regions]
    cash = info["cash"].to_numpy(dtype=float)
    end = cash[:, None] + np.cumsum(inflow - outflow, axis=1)
    starts = np.column_stack([cash, end[:, :-1]])
    trailing = info["outflow_mean"].to_numpy(dtype=float) if "outflow_mean" in info else np.full(len(regions), np.nan)
    planned = outflow.mean(axis=1)
    use_trailing = np.isfinite(trailing) & (trailing > 0)
    divisor = np.where(use_trailing, trailing, planned)
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(divisor[:, None] > 0, end / divisor[:, None], np.nan)
    names = np.array(list(CASH_FLOWS.values()), dtype=object)
    # A gap: every flow of a month the plan has no row for, and wages in any month (paid every month).
    # A flow left out of a month the plan does cover is not planned in that month: listed, not a gap.
    covered = given.any(axis=2, keepdims=True)
    wages = np.array([flow == "wages" for flow in CASH_FLOWS])
    gap = ~given & (~covered | wages)
    unplanned_at = ~given & ~gap
    missing_in = [["、".join(names[gap[r, k] & ~is_out]) for k in range(months)] for r in range(len(regions))]
    missing_out = [["、".join(names[gap[r, k] & is_out]) for k in range(months)] for r in range(len(regions))]
    unplanned = [["、".join(names[unplanned_at[r, k]]) for k in range(months)] for r in range(len(regions))]
    never = ["、".join(names[unplanned_at[r].all(axis=0)]) for r in range(len(regions))]
    basis = np.where(use_trailing, "近期月均库款流出", "计划月均流出")
    return pd.DataFrame({
        "region_code": np.repeat(regions, months), "step": np.tile(np.arange(1, months + 1), len(regions)),
        "period": pd.PeriodIndex(np.tile(horizon, len(regions)), freq="M"),
        "start_cash": starts.ravel(), "inflow": inflow.ravel(), "outflow": outflow.ravel(),
        "net": (inflow - outflow).ravel(), "end_cash": end.ravel(), "coverage": coverage.ravel(),
        "coverage_basis": np.repeat(basis, months),
        "missing_inflows": [m for row in missing_in for m in row],
        "missing_outflows": [m for row in missing_out for m in row],
        "cash_basis": np.repeat(info["cash_basis"].to_numpy(dtype=object), months),
        "unplanned_flows": [m for row in unplanned for m in row],
        "never_planned": np.repeat(np.array(never, dtype=object), months),
        "month_planned": covered[:, :, 0].ravel(),
    }, columns=OUTLOOK_COLUMNS)


def summarise_outlook(outlook: pd.DataFrame) -> pd.DataFrame:
    """Per region: the lowest month-end cash, the first month short of cash and the gap, or why not.

    A region's result is graded (``value`` set) only where it does not depend on the flows the plan
    leaves out: a month-end shortfall with every inflow up to that month given is certain (missing
    outflows can only deepen it); no shortfall in any month with every outflow given is certain (missing
    inflows can only add cash). Otherwise ``value`` is NaN and ``reason_zh`` says what is missing.

    Returns
    -------
    DataFrame indexed by ``region_code``: ``value`` (亿元, the lowest projected month-end cash; NaN when
    not determined), ``lowest_period``, ``short_period`` (first month below zero, NaT if none),
    ``gap`` (亿元 short in that month), ``detail_zh`` (the months, end cash and 库款保障水平, for the
    message) and ``reason_zh`` (for a region not assessed).

    Examples
    --------
    >>> o = pd.DataFrame({"region_code": "A", "step": [1, 2, 3],
    ...                   "period": pd.period_range("2023-07", periods=3, freq="M"),
    ...                   "end_cash": [0.4, -0.3, 0.1], "coverage": [0.4, -0.3, 0.1],
    ...                   "coverage_basis": "近期月均库款流出", "missing_inflows": "", "missing_outflows": "",
    ...                   "cash_basis": "usable", "start_cash": [1.0, 0.4, -0.3]})
    >>> s = summarise_outlook(o).loc["A"]
    >>> float(s["value"]), str(s["short_period"]), round(float(s["gap"]), 2)
    (-0.3, '2023-08', 0.3)
    """
    rows = {}
    for code, group in outlook.groupby("region_code", sort=False):
        group = group.sort_values("step")
        end = group["end_cash"].to_numpy(dtype=float)
        periods = list(group["period"])
        miss_in = group["missing_inflows"].to_numpy(dtype=object) != ""
        miss_out = group["missing_outflows"].to_numpy(dtype=object) != ""
        inflows_given_so_far = ~np.cumsum(miss_in).astype(bool)
        certain_short = (end < 0) & inflows_given_so_far
        value = short = lowest = np.nan
        short_period = lowest_period = pd.NaT
        if np.isnan(end).all():
            reason = "缺少起始库款（月末库款余额、可用库款均未报）"
        elif certain_short.any():
            k = int(np.flatnonzero(certain_short)[0])
            determined = np.flatnonzero(inflows_given_so_far)
            j = determined[np.argmin(end[determined])]
            value, lowest_period = end[j], periods[j]
            short_period, short = periods[k], -end[k]
            reason = ""
        elif not miss_out.any() and (end >= 0).all():
            j = int(np.argmin(end))
            value, lowest_period = end[j], periods[j]
            reason = ""
        else:
            planned = group["month_planned"] if "month_planned" in group else pd.Series(True, index=group.index)
            gaps = [f"{month_zh(p)}无现金流计划" if not has else
                    f"{month_zh(p)}{'未列' + mi if mi else ''}{'、' if mi and mo else ''}{'未列' + mo if mo else ''}"
                    for p, mi, mo, has in zip(periods, group["missing_inflows"], group["missing_outflows"], planned)
                    if mi or mo]
            reason = "现金流计划不完整（" + "；".join(gaps) + "），结果取决于未列项目，不按0计"
        lines = []
        planned = group["month_planned"] if "month_planned" in group else pd.Series(True, index=group.index)
        for p, e, c, mi, mo, has in zip(periods, end, group["coverage"], group["missing_inflows"],
                                        group["missing_outflows"], planned):
            if not has:
                lines.append(f"{month_zh(p)}无现金流计划")
                continue
            text = f"{month_zh(p)}末{e:.2f}亿元"
            if np.isfinite(c):
                text += f"（库款保障水平{c:.2f}）"
            if mi or mo:
                text += "（未列" + "、".join(x for x in (mi, mo) if x) + "）"
            lines.append(text)
        basis = "可用库款" if group["cash_basis"].iloc[0] == "usable" else "月末库款余额（未报可用库款）"
        detail = (f"起点{basis}{group['start_cash'].iloc[0]:.2f}亿元；按现金流计划预计" + "，".join(lines)
                  + f"；保障水平按{group['coverage_basis'].iloc[0]}计算")
        never = group["never_planned"].iloc[0] if "never_planned" in group else ""
        if never:
            detail += f"；计划未列{never}（各月均未列，未计入）"
        if isinstance(short_period, pd.Period):
            detail = f"预计{month_zh(short_period)}末库款缺口{short:.2f}亿元；" + detail
        rows[code] = {"value": value, "lowest_period": lowest_period, "short_period": short_period, "gap": short,
                      "detail_zh": detail, "reason_zh": reason}
    return pd.DataFrame.from_dict(rows, orient="index",
                                  columns=["value", "lowest_period", "short_period", "gap", "detail_zh", "reason_zh"])
