"""The canonical tables as arrays: one row per region × item, one slice per year, one column per month.

Every projection method reads a :class:`Panel` through :meth:`Panel.as_of`, which hides everything
not known at the as-of month (later months of that year, later years, that year's outturn). Methods
therefore cannot look ahead, in a forecast or in a backtest.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Panel:
    """Year-to-date figures of many series as arrays.

    Attributes
    ----------
    keys : DataFrame
        ``region_code, region, item``: one row per series.
    years : ndarray of int, shape (n_years,)
    ytd : ndarray, shape (n_series, n_years, 12)
        YTD amount at the end of each month (亿元), NaN where not reported.
    yoy : ndarray, shape (n_series, n_years, 12)
        Reported YTD growth in percent, NaN where not reported.
    outturn : ndarray, shape (n_series, n_years)
        Full-year amount: the annual outturn, else the December YTD.
    budget : ndarray, shape (n_series, n_years)
        The annual table's adjusted budget if given, else its budget, else the 年初预算 the monthly
        table prints, else the budget implied by the earliest printed completion rate of the year.
    budget_source : ndarray of str, shape (n_series, n_years)
        Which of those each budget is (:data:`BUDGET_SOURCES`), '' where there is none.
    """

    keys: pd.DataFrame
    years: np.ndarray
    ytd: np.ndarray
    yoy: np.ndarray
    outturn: np.ndarray
    budget: np.ndarray
    budget_source: np.ndarray

    @property
    def n(self) -> int:
        return len(self.keys)

    def year_index(self, year: int) -> int:
        where = np.flatnonzero(self.years == year)
        if not len(where):
            raise ValueError(f"year {year} is not in the data (years {self.years.min()}–{self.years.max()})")
        return int(where[0])

    def as_of(self, year: int, month: int) -> "Panel":
        """The panel as it was known at the end of ``month`` of ``year``: nothing later is visible."""
        t = self.year_index(year)
        ytd, yoy = self.ytd.copy(), self.yoy.copy()
        ytd[:, t, month:] = np.nan
        yoy[:, t, month:] = np.nan
        ytd[:, t + 1:, :] = np.nan
        yoy[:, t + 1:, :] = np.nan
        outturn = self.outturn.copy()
        outturn[:, t:] = np.nan
        budget, source = self.budget.copy(), self.budget_source.copy()
        budget[:, t + 1:] = np.nan
        source[:, t + 1:] = ""
        return replace(self, ytd=ytd, yoy=yoy, outturn=outturn, budget=budget, budget_source=source)

    def subset(self, rows) -> "Panel":
        """The panel restricted to some series (a boolean mask or integer positions)."""
        rows = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
        return replace(self, keys=self.keys.iloc[rows].reset_index(drop=True), ytd=self.ytd[rows], yoy=self.yoy[rows],
                       outturn=self.outturn[rows], budget=self.budget[rows], budget_source=self.budget_source[rows])


def build_panel(monthly: pd.DataFrame, annual: pd.DataFrame | None = None, *, items=None,
                last_year: int | None = None) -> Panel:
    """Arrange canonical monthly (and annual) tables into a :class:`Panel`.

    Parameters
    ----------
    monthly : canonical monthly table (amounts in 亿元, as the readers return it)
    annual : canonical annual table, optional: outturns and budgets
    items : item key or list of keys, optional
        Which items to take (default: every item with a YTD amount or growth).
    last_year : int, optional
        The last year to include (default: the latest in ``monthly``).

    Examples
    --------
    >>> import fiscalmon
    >>> panel = build_panel(fiscalmon.datasets.changji_monthly(), items="gpb_revenue")  # doctest: +SKIP
    >>> panel.ytd.shape                                                                   # doctest: +SKIP
    (1, 1, 12)
    """
    if isinstance(items, str):
        items = [items]
    table = monthly if items is None else monthly[monthly["item"].isin(items)]
    table = table[table["ytd"].notna() | table["yoy_pct"].notna()]
    if table.empty:
        raise ValueError("no monthly figures for the requested items")
    years_seen = table["period"].dt.year
    first_year = int(years_seen.min())
    if annual is not None:
        first_year = min(first_year, int(annual["year"].min()))
    last = int(years_seen.max()) if last_year is None else int(last_year)
    years = np.arange(first_year, last + 1)

    keys = (table[["region_code", "region", "item"]].drop_duplicates(["region_code", "item"])
            .sort_values(["region_code", "item"]).reset_index(drop=True))
    series_of = pd.Series(np.arange(len(keys)), index=pd.MultiIndex.from_frame(keys[["region_code", "item"]]))
    shape = (len(keys), len(years), 12)
    ytd, yoy = np.full(shape, np.nan), np.full(shape, np.nan)
    rows = table[(years_seen >= first_year) & (years_seen <= last)]
    position = series_of.reindex(pd.MultiIndex.from_frame(rows[["region_code", "item"]])).to_numpy()
    year_pos = rows["period"].dt.year.to_numpy() - first_year
    month_pos = rows["period"].dt.month.to_numpy() - 1
    ytd[position, year_pos, month_pos] = rows["ytd"].to_numpy(dtype=float)
    yoy[position, year_pos, month_pos] = rows["yoy_pct"].to_numpy(dtype=float)

    outturn = ytd[:, :, 11].copy()
    budget = np.full(shape[:2], np.nan)
    source = np.full(shape[:2], "", dtype=object)
    if annual is not None:
        _fill_annual(annual, series_of, first_year, len(years), outturn, budget, source)
    # What the monthly table says, as of the year's first month that says it (no look-ahead in a backtest):
    # its 年初预算 column, else the budget its printed completion rate implies (rounded: said so).
    dated = rows.assign(_pos=position, _year=year_pos).sort_values("period", kind="stable")
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = dated["ytd"] / (dated["completion_pct"] / 100)
    for values, label in ((dated["budget"] if "budget" in dated else None, "monthly_budget"),
                          (implied.where(dated["completion_pct"] > 0), "implied_by_completion")):
        if values is None:
            continue
        first = dated.assign(_value=values).dropna(subset=["_value"]).drop_duplicates(["_pos", "_year"])
        slots = (first["_pos"].to_numpy(dtype=int), first["_year"].to_numpy(dtype=int))
        empty = np.isnan(budget[slots])
        budget[slots] = np.where(empty, first["_value"].to_numpy(dtype=float), budget[slots])
        source[slots] = np.where(empty, label, source[slots])
    return Panel(keys, years, ytd, yoy, outturn, budget, source)


#: Where a panel's budget comes from, in the order they are preferred.
BUDGET_SOURCES = {"adjusted_budget": "年度表调整预算", "budget": "年度表年初预算", "monthly_budget": "月报年初预算",
                  "implied_by_completion": "由月报完成预算%反推"}


def _fill_annual(annual, series_of, first_year, n_years, outturn, budget, source) -> None:
    wanted = annual[annual["year"].between(first_year, first_year + n_years - 1).fillna(False)]
    index = pd.MultiIndex.from_frame(wanted[["region_code", "item"]])
    position = series_of.reindex(index).to_numpy()
    known = ~np.isnan(position.astype(float))
    wanted, position = wanted[known], position[known].astype(int)
    year_pos = wanted["year"].to_numpy(dtype=int) - first_year
    reported = wanted["outturn"].to_numpy(dtype=float)
    has = np.isfinite(reported)
    outturn[position[has], year_pos[has]] = reported[has]  # the annual outturn wins over December YTD
    target = wanted["adjusted_budget"].combine_first(wanted["budget"]).to_numpy(dtype=float)
    label = np.where(wanted["adjusted_budget"].notna(), "adjusted_budget", "budget")
    has = np.isfinite(target)
    budget[position[has], year_pos[has]] = target[has]
    source[position[has], year_pos[has]] = label[has]
