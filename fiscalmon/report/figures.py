"""The report's derived tables: revenue quality (税收 and 非税 side by side) and what changed since last month.

Pure functions over the canonical tables and the projection table; the report only shows what they give.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..calendar import derive, yoy_growth_pct

#: The parts of the headline revenue whose balance is its quality (税收占比).
TAX, NONTAX, TOTAL = "tax_revenue", "nontax_revenue", "gpb_revenue"


def revenue_quality(monthly: pd.DataFrame, annual: pd.DataFrame | None, month: pd.Period,
                    regions: list[str]) -> pd.DataFrame:
    """Per region: tax and non-tax YTD, their growth and completion, the tax share and its change.

    ``tax_share_pct`` is 税收收入 ÷ 一般公共预算收入 (YTD) × 100; ``tax_share_change_pp`` its change in
    percentage points against the same month last year (Changji: about 77.5% → 68.7%). Empty when the
    table has no tax and non-tax figures for these regions.

    Examples
    --------
    >>> m = pd.DataFrame({"region_code": "A", "region": "甲县", "unit": "亿元",
    ...                   "item": ["gpb_revenue", "tax_revenue", "nontax_revenue"] * 2,
    ...                   "period": pd.PeriodIndex(["2022-06"] * 3 + ["2023-06"] * 3, freq="M"),
    ...                   "ytd": [100.0, 80.0, 20.0, 110.0, 77.0, 33.0], "yoy_pct": np.nan,
    ...                   "completion_pct": np.nan})
    >>> row = revenue_quality(m, None, pd.Period("2023-06", "M"), ["A"]).iloc[0]
    >>> [round(float(row[c]), 2) for c in ("tax_share_pct", "tax_share_change_pp", "tax_yoy_pct", "nontax_yoy_pct")]
    [70.0, -10.0, -3.75, 65.0]
    """
    wanted = monthly[monthly["region_code"].isin(regions) & monthly["item"].isin([TAX, NONTAX, TOTAL])]
    if not {TAX, NONTAX} <= set(wanted["item"]):
        return pd.DataFrame()
    derived = derive(wanted, annual)
    now = derived[derived["period"] == month].set_index(["region_code", "item"])
    before = derived[derived["period"] == month - 12].set_index(["region_code", "item"])

    def figure(table, item, column):
        return pd.Series({code: table[column].get((code, item), np.nan) for code in regions}, dtype=float)

    total_now = figure(now, TOTAL, "ytd").fillna(figure(now, TAX, "ytd") + figure(now, NONTAX, "ytd"))
    total_before = figure(before, TOTAL, "ytd").fillna(figure(before, TAX, "ytd") + figure(before, NONTAX, "ytd"))
    share_now = figure(now, TAX, "ytd") / total_now * 100
    share_before = figure(before, TAX, "ytd") / total_before * 100
    names = wanted.drop_duplicates("region_code").set_index("region_code")["region"]
    result = pd.DataFrame({
        "region_code": regions, "region": [names.get(c, c) for c in regions],
        "tax_ytd": figure(now, TAX, "ytd").to_numpy(), "tax_yoy_pct": figure(now, TAX, "yoy_pct").to_numpy(),
        "tax_completion_pct": figure(now, TAX, "completion_pct").to_numpy(),
        "nontax_ytd": figure(now, NONTAX, "ytd").to_numpy(), "nontax_yoy_pct": figure(now, NONTAX, "yoy_pct").to_numpy(),
        "nontax_completion_pct": figure(now, NONTAX, "completion_pct").to_numpy(),
        "tax_share_pct": share_now.to_numpy(), "tax_share_change_pp": (share_now - share_before).to_numpy(),
    })
    return result[result[["tax_ytd", "nontax_ytd"]].notna().any(axis=1)].reset_index(drop=True)


def since_last_month(current: pd.DataFrame, previous: pd.DataFrame, monthly: pd.DataFrame, item: str,
                     month: pd.Period) -> pd.DataFrame:
    """Per region: last month's projection, this month's, the move, and why: the month's own revenue
    (this YTD − last month's) against the same month last year, and whether it fell behind.

    ``previous`` is the projection table made at the month before, with the same method.
    """
    if previous is None or previous.empty:
        return pd.DataFrame()
    before = previous.set_index("region_code")
    rows = []
    series = monthly[monthly["item"] == item].set_index(["region_code", "period"])["ytd"]
    for _, row in current.iterrows():
        code = row["region_code"]
        if code not in before.index:
            continue
        last = before.loc[code]
        month_amount = _month_amount(series, code, month)
        month_last_year = _month_amount(series, code, month - 12)
        behind_now = _behind(row)
        rows.append({"region_code": code, "region": row["region"], "previous_point": last["point"],
                     "point": row["point"], "change": row["point"] - last["point"],
                     "month_amount": month_amount,
                     "month_yoy_pct": float(yoy_growth_pct(month_amount, month_last_year)),
                     "previous_p_attain": last["p_attain"], "p_attain": row["p_attain"],
                     "newly_behind": bool(behind_now and not _behind(last)),
                     "no_longer_behind": bool(_behind(last) and not behind_now)})
    return pd.DataFrame(rows)


def _month_amount(series: pd.Series, code: str, month: pd.Period) -> float:
    """The single month's revenue: YTD at ``month`` less YTD at the month before (January: the YTD)."""
    now = series.get((code, month), np.nan)
    if month.month == 1:
        return float(now)
    return float(now - series.get((code, month - 1), np.nan))


def _behind(row) -> bool:
    """Behind both 序时进度 and 历年同期进度 (进度双落后)."""
    return bool(row["completion_pct"] < row["time_progress_pct"] and row["completion_pct"] < row["hist_progress_pct"])
