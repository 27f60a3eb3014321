"""The canonical tables as arrays: one row per region × item, one slice per year, one column per month.

Every projection method reads a :class:`Panel` through :meth:`Panel.as_of`, which hides everything
not known at the as-of month (later months of that year, later years, that year's outturn, an
adjusted budget not yet approved, special factors not yet booked). Methods therefore cannot look
ahead, in a forecast or in a backtest.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

#: Where a panel's budget comes from, in the order they are preferred.
BUDGET_SOURCES = {"adjusted_budget": "年度表调整预算", "budget": "年度表年初预算", "target_growth": "年初预期增长目标",
                  "monthly_budget": "月报年初预算", "implied_by_completion": "由月报完成预算%反推"}


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
        Reported YTD growth in percent (自然口径), NaN where not reported.
    outturn : ndarray, shape (n_series, n_years)
        Full-year amount: the annual outturn, else the December YTD.
    budget : ndarray, shape (n_series, n_years)
        The budget in force at the end of each year (:meth:`budget_at` gives it at a month): the
        annual table's adjusted budget, else its budget, else last year's outturn × (1 + its growth
        target), else the 年初预算 the monthly table prints, else the budget implied by the year's
        earliest printed completion rate.
    budget_source : ndarray of str, shape (n_series, n_years)
        Which of those each budget is (:data:`BUDGET_SOURCES`), '' where there is none.
    initial : ndarray, shape (n_series, n_years)
        The budget before any adjustment (the same sources, adjusted budgets left out).
    adjusted_from : ndarray, shape (n_series, n_years)
        The month from which the adjusted budget is in force (its approval month), NaN when the
        annual table gives no date: then it is in force only in ``live_year`` (the year a live
        projection is made for: today's budget), and other years (a backtest's) use the initial budget.
    special : ndarray, shape (n_series, n_years, 12)
        The cumulative effect of special factors on the YTD (亿元, signed) at each month, 0 where
        none is known: each figure holds until the next one (no look-ahead).
    special_declared : ndarray, shape (n_series, n_years)
        The full-year effect the special-factors table declares for each year (its last row of the
        year), NaN where it declares none.
    special_source : ndarray of str, shape (n_series, n_years)
        ``table`` (the special-factors table), ``implied`` (by a reported comparable growth), or ''.
    comparable : ndarray, shape (n_series, n_years, 12)
        Reported comparable growth (可比口径, percent), NaN where not reported.
    live_year : int or None
        The year a live projection is made for (None in a backtest).
    """

    keys: pd.DataFrame
    years: np.ndarray
    ytd: np.ndarray
    yoy: np.ndarray
    outturn: np.ndarray
    budget: np.ndarray
    budget_source: np.ndarray
    initial: np.ndarray
    initial_source: np.ndarray
    adjusted_from: np.ndarray
    special: np.ndarray
    special_declared: np.ndarray
    special_source: np.ndarray
    comparable: np.ndarray
    live_year: int | None = None

    @property
    def n(self) -> int:
        return len(self.keys)

    def year_index(self, year: int) -> int:
        where = np.flatnonzero(self.years == year)
        if not len(where):
            raise ValueError(f"year {year} is not in the data (years {self.years.min()}–{self.years.max()})")
        return int(where[0])

    def budget_at(self, t: int, month: int) -> tuple[np.ndarray, np.ndarray]:
        """The budget in force at the end of ``month`` of year position ``t``, and its source: the
        adjusted budget from its approval month on, the initial one before."""
        dated = np.isfinite(self.adjusted_from[:, t])
        undated_in_force = ~dated & (self.live_year is not None and int(self.years[t]) == self.live_year)
        adjusted = self.budget_source[:, t] == "adjusted_budget"
        in_force = adjusted & ((dated & (self.adjusted_from[:, t] <= month)) | undated_in_force)
        use_initial = adjusted & ~in_force & np.isfinite(self.initial[:, t])
        budget = np.where(use_initial, self.initial[:, t], self.budget[:, t])
        source = np.where(use_initial, self.initial_source[:, t], self.budget_source[:, t])
        return budget, source

    def as_of(self, year: int, month: int) -> "Panel":
        """The panel as it was known at the end of ``month`` of ``year``: nothing later is visible."""
        t = self.year_index(year)
        ytd, yoy, special, comparable = self.ytd.copy(), self.yoy.copy(), self.special.copy(), self.comparable.copy()
        for values in (ytd, yoy, special, comparable):
            values[:, t, month:] = np.nan
            values[:, t + 1:, :] = np.nan
        outturn = self.outturn.copy()
        outturn[:, t:] = np.nan
        budget, source = self.budget.copy(), self.budget_source.copy()
        budget[:, t], source[:, t] = self.budget_at(t, month)
        budget[:, t + 1:] = np.nan
        source[:, t + 1:] = ""
        declared = self.special_declared.copy()
        declared[:, t + 1:] = np.nan
        return replace(self, ytd=ytd, yoy=yoy, outturn=outturn, budget=budget, budget_source=source,
                       special=special, special_declared=declared, comparable=comparable)

    def subset(self, rows) -> "Panel":
        """The panel restricted to some series (a boolean mask or integer positions)."""
        rows = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
        arrays = {name: getattr(self, name)[rows] for name in
                  ("ytd", "yoy", "outturn", "budget", "budget_source", "initial", "initial_source", "adjusted_from",
                   "special", "special_declared", "special_source", "comparable")}
        return replace(self, keys=self.keys.iloc[rows].reset_index(drop=True), **arrays)


def build_panel(monthly: pd.DataFrame, annual: pd.DataFrame | None = None, *, items=None,
                last_year: int | None = None, special: pd.DataFrame | None = None, live_year: int | None = None) -> Panel:
    """Arrange canonical monthly (and annual, and special-factors) tables into a :class:`Panel`.

    Parameters
    ----------
    monthly : canonical monthly table (amounts in 亿元, as the readers return it)
    annual : canonical annual table, optional: outturns, budgets, growth targets, approval dates
    items : item key or list of keys, optional
        Which items to take (default: every item with a YTD amount or growth).
    last_year : int, optional
        The last year to include (default: the latest in ``monthly``).
    special : canonical special-factors table (:func:`fiscalmon.read_special`), optional
    live_year : int, optional
        The year a live projection is made for (an adjusted budget without a date is in force in it).

    Examples
    --------
    >>> import fiscalmon
    >>> panel = build_panel(fiscalmon.datasets.changji_monthly(), items="gpb_revenue")
    >>> panel.keys["region_code"].tolist(), panel.ytd.shape   # 全州 and 州本级, one year, twelve months
    (['652300', '652300-bj'], (2, 1, 12))
    """
    if isinstance(items, str):
        items = [items]
    table = monthly if items is None else monthly[monthly["item"].isin(items)]
    table = table[table["ytd"].notna() | table["yoy_pct"].notna()]
    if table.empty:
        raise ValueError("no monthly figures for the requested items")
    years_seen = table["period"].dt.year
    first_year = int(years_seen.min())
    if annual is not None and annual["year"].notna().any():
        first_year = min(first_year, int(annual["year"].min()))
    last = int(years_seen.max()) if last_year is None else int(last_year)
    years = np.arange(first_year, last + 1)

    keys = (table[["region_code", "region", "item"]].drop_duplicates(["region_code", "item"])
            .sort_values(["region_code", "item"]).reset_index(drop=True))
    series_of = pd.Series(np.arange(len(keys)), index=pd.MultiIndex.from_frame(keys[["region_code", "item"]]))
    shape = (len(keys), len(years), 12)
    rows = table[(years_seen >= first_year) & (years_seen <= last)]
    slots = _slots(rows, series_of, first_year)
    ytd = _block(rows["ytd"], slots, shape)
    yoy = _block(rows["yoy_pct"], slots, shape)

    outturn = ytd[:, :, 11].copy()
    budget, source = np.full(shape[:2], np.nan), np.full(shape[:2], "", dtype=object)
    initial, initial_source = np.full(shape[:2], np.nan), np.full(shape[:2], "", dtype=object)
    adjusted_from = np.full(shape[:2], np.nan)
    if annual is not None:
        _fill_annual(annual, series_of, first_year, len(years), outturn, budget, source, initial, initial_source,
                     adjusted_from)
    _fill_from_monthly(rows, slots, budget, source)
    _fill_from_monthly(rows, slots, initial, initial_source)
    special_ytd, declared, special_source = _special(special, series_of, first_year, shape)
    comparable = _block(rows["yoy_comparable_pct"], slots, shape) if "yoy_comparable_pct" in rows \
        else np.full(shape, np.nan)
    _implied_special(ytd, yoy, comparable, special_ytd, special_source)
    return Panel(keys, years, ytd, yoy, outturn, budget, source, initial, initial_source, adjusted_from,
                 special_ytd, declared, special_source, comparable, live_year)


def _slots(rows: pd.DataFrame, series_of: pd.Series, first_year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(series, year, month) positions of each row."""
    position = series_of.reindex(pd.MultiIndex.from_frame(rows[["region_code", "item"]])).to_numpy()
    return position, rows["period"].dt.year.to_numpy() - first_year, rows["period"].dt.month.to_numpy() - 1


def _block(values: pd.Series, slots, shape) -> np.ndarray:
    block = np.full(shape, np.nan)
    block[slots] = values.to_numpy(dtype=float)
    return block


def _fill_from_monthly(rows: pd.DataFrame, slots, budget: np.ndarray, source: np.ndarray) -> None:
    """Budgets the monthly table says, as of the year's first month that says them (no look-ahead in a
    backtest): its 年初预算 column, else the budget its printed completion rate implies (rounded)."""
    position, year_pos, _ = slots
    dated = rows.assign(_pos=position, _year=year_pos).sort_values("period", kind="stable")
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = dated["ytd"] / (dated["completion_pct"] / 100)
    for values, label in ((dated["budget"] if "budget" in dated else None, "monthly_budget"),
                          (implied.where(dated["completion_pct"] > 0), "implied_by_completion")):
        if values is None:
            continue
        first = dated.assign(_value=values).dropna(subset=["_value"]).drop_duplicates(["_pos", "_year"])
        where = (first["_pos"].to_numpy(dtype=int), first["_year"].to_numpy(dtype=int))
        empty = np.isnan(budget[where])
        budget[where] = np.where(empty, first["_value"].to_numpy(dtype=float), budget[where])
        source[where] = np.where(empty, label, source[where])


def _fill_annual(annual, series_of, first_year, n_years, outturn, budget, source, initial, initial_source,
                 adjusted_from) -> None:
    wanted = annual[annual["year"].between(first_year, first_year + n_years - 1).fillna(False)]
    position = series_of.reindex(pd.MultiIndex.from_frame(wanted[["region_code", "item"]])).to_numpy()
    known = ~np.isnan(position.astype(float))
    wanted, position = wanted[known], position[known].astype(int)
    year_pos = wanted["year"].to_numpy(dtype=int) - first_year
    reported = wanted["outturn"].to_numpy(dtype=float)
    has = np.isfinite(reported)
    outturn[position[has], year_pos[has]] = reported[has]  # the annual outturn wins over December YTD
    first = wanted["budget"].to_numpy(dtype=float)
    has = np.isfinite(first)
    initial[position[has], year_pos[has]] = first[has]
    initial_source[position[has], year_pos[has]] = "budget"
    if "target_growth_pct" in wanted:  # B = last year's outturn × (1 + g)
        growth = wanted["target_growth_pct"].to_numpy(dtype=float)
        before = np.where(year_pos > 0, outturn[position, np.maximum(year_pos - 1, 0)], np.nan)
        targeted = np.isfinite(growth) & np.isfinite(before) & ~has
        initial[position[targeted], year_pos[targeted]] = before[targeted] * (1 + growth[targeted] / 100)
        initial_source[position[targeted], year_pos[targeted]] = "target_growth"
    budget[:] = np.where(np.isfinite(budget), budget, initial)
    source[:] = np.where(np.isfinite(initial) & (source == ""), initial_source, source)
    adjusted = wanted["adjusted_budget"].to_numpy(dtype=float)
    has = np.isfinite(adjusted)
    budget[position[has], year_pos[has]] = adjusted[has]
    source[position[has], year_pos[has]] = "adjusted_budget"
    if "adjusted_budget_date" in wanted:
        approved = wanted["adjusted_budget_date"]
        same_year = approved.notna() & (approved.dt.year == wanted["year"])
        month = np.where(same_year, approved.dt.month.fillna(0).to_numpy(dtype=float), np.nan)
        month = np.where(approved.notna() & ~same_year, 1.0, month)  # approved before the year began
        adjusted_from[position[has], year_pos[has]] = month[has]


def _special(special, series_of, first_year, shape):
    """The special factors' cumulative effect per series × year × month (step-filled from the rows), the
    effect each year's last row declares, and where it came from."""
    effect = np.zeros(shape)
    declared = np.full(shape[:2], np.nan)
    source = np.full(shape[:2], "", dtype=object)
    if special is None or special.empty:
        return effect, declared, source
    summed = (special.dropna(subset=["ytd_effect", "period"])
              .groupby(["region_code", "item", "period"], as_index=False)["ytd_effect"].sum())
    summed = summed[summed["period"].dt.year.between(first_year, first_year + shape[1] - 1)]
    position = series_of.reindex(pd.MultiIndex.from_frame(summed[["region_code", "item"]])).to_numpy()
    known = ~np.isnan(position.astype(float))
    summed, position = summed[known], position[known].astype(int)
    year_pos = summed["period"].dt.year.to_numpy() - first_year
    month_pos = summed["period"].dt.month.to_numpy() - 1
    given = np.full(shape, np.nan)
    given[position, year_pos, month_pos] = summed["ytd_effect"].to_numpy(dtype=float)
    effect[:] = _hold(given)
    has = np.isfinite(given).any(axis=2)
    declared[has] = effect[:, :, 11][has]
    source[has] = "table"
    return effect, declared, source


def _hold(given: np.ndarray) -> np.ndarray:
    """Each month's value: the last given one at or before it in the same year, 0 before the first."""
    filled = pd.DataFrame(given.reshape(-1, 12)).ffill(axis=1).fillna(0.0).to_numpy()
    return filled.reshape(given.shape)


def _implied_special(ytd, yoy, comparable, effect, source) -> None:
    """For a series-year with a reported comparable growth and no special-factors row: the effect
    that makes the natural and the comparable growth both true, all of it booked to this year
    (S = Y − (1 + c) × Y′), held until the next month that reports one."""
    before = np.concatenate([np.full(ytd[:, :1].shape, np.nan), ytd[:, :-1]], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        prior = np.where(np.isfinite(before), before, ytd / (1 + yoy / 100))
        implied = ytd - (1 + comparable / 100) * prior
    free = (source == "")[:, :, None] & np.isfinite(implied)
    if not free.any():
        return
    given = np.where(free, implied, np.nan)
    years = free.any(axis=2)
    effect[years] = _hold(given)[years]
    source[years] = "implied"
