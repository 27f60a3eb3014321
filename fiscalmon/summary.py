"""What a monthly table holds, at a glance: regions, months covered, latest YTD and growth."""

from __future__ import annotations

import pandas as pd

from .calendar import derive
from .schema import item_zh

SUMMARY_COLUMNS = ["region_code", "region", "item", "item_zh", "period", "ytd", "yoy_pct", "yoy_source", "unit"]


def latest_by_region(monthly: pd.DataFrame) -> pd.DataFrame:
    """The latest YTD amount and growth per region × item, in the table's unit (亿元 from the readers).

    Growth is the reported figure where there is one, else computed from last year's YTD in the
    table (``yoy_source`` says which).

    Examples
    --------
    >>> import fiscalmon
    >>> latest_by_region(fiscalmon.datasets.changji_monthly()).query("region_code == '652300' and "
    ...     "item == 'gpb_revenue'")[["period", "ytd", "yoy_pct"]].values.tolist()  # doctest: +SKIP
    [[Period('2023-06', 'M'), 118.91, 0.45]]
    """
    derived = derive(monthly)
    figures = derived[derived["ytd"].notna() | derived["yoy_pct"].notna()]
    latest = figures.sort_values("period").groupby(["region_code", "item"], sort=False).tail(1)
    latest = latest.assign(item_zh=latest["item"].map(item_zh))
    return latest[SUMMARY_COLUMNS].sort_values(["region_code", "item"]).reset_index(drop=True)


def coverage(monthly: pd.DataFrame) -> dict:
    """Counts and the span of months of a monthly table.

    Examples
    --------
    >>> import fiscalmon
    >>> coverage(fiscalmon.datasets.changji_monthly())["first"]  # doctest: +SKIP
    '2023-01'
    """
    periods = monthly["period"]
    return {
        "rows": len(monthly),
        "regions": monthly["region_code"].nunique(),
        "items": monthly["item"].nunique(),
        "first": str(periods.min()) if len(periods) else None,
        "last": str(periods.max()) if len(periods) else None,
        "months": periods.nunique(),
    }
