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
        The adjusted budget if given, else the budget, else the budget implied by a reported
        completion rate.
    """

    keys: pd.DataFrame
    years: np.ndarray
    ytd: np.ndarray
    yoy: np.ndarray
    outturn: np.ndarray
    budget: np.ndarray

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
        budget = self.budget.copy()
        budget[:, t + 1:] = np.nan
        return replace(self, ytd=ytd, yoy=yoy, outturn=outturn, budget=budget)

    def subset(self, rows) -> "Panel":
        """The panel restricted to some series (a boolean mask or integer positions)."""
        rows = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
        return replace(self, keys=self.keys.iloc[rows].reset_index(drop=True), ytd=self.ytd[rows], yoy=self.yoy[rows],
                       outturn=self.outturn[rows], budget=self.budget[rows])


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
    if annual is not None:
        _fill_annual(annual, series_of, first_year, len(years), outturn, budget)
    if "completion_pct" in rows:
        rated = rows["completion_pct"].to_numpy(dtype=float)
        ok = np.isfinite(rated) & (rated > 0) & np.isfinite(rows["ytd"].to_numpy(dtype=float))
        implied = rows["ytd"].to_numpy(dtype=float)[ok] / (rated[ok] / 100)
        slots = (position[ok], year_pos[ok])
        budget[slots] = np.where(np.isnan(budget[slots]), implied, budget[slots])
    return Panel(keys, years, ytd, yoy, outturn, budget)


def _fill_annual(annual, series_of, first_year, n_years, outturn, budget) -> None:
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
    has = np.isfinite(target)
    budget[position[has], year_pos[has]] = target[has]
