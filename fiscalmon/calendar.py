"""Calendar arithmetic of year-to-date budget figures, as pure functions.

Bureaus publish cumulative (YTD) amounts and YTD growth; this module turns them into single months
and back, growth from two years, last year's YTD implied by reported growth, budget completion,
the budget implied by a reported completion rate, 序时进度 (time-elapsed progress) and the average
progress reached by the same month in past years.

Series-level functions take a pandas Series indexed by monthly ``Period`` (one region, one item);
:func:`derive` applies them to a whole canonical monthly table.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

__all__ = [
    "ytd_to_monthly",
    "monthly_to_ytd",
    "months_covered",
    "combine_jan_feb",
    "yoy_growth_pct",
    "prior_from_growth",
    "completion_pct",
    "implied_budget",
    "time_progress_pct",
    "historical_progress_pct",
    "robust_mean",
    "derive",
]


def _year_groups(series: pd.Series):
    index = pd.PeriodIndex(series.index, freq="M")
    return series.groupby(index.year)


def ytd_to_monthly(ytd: pd.Series) -> pd.Series:
    """Single-period amounts from a year-to-date series.

    Each value is the YTD amount minus the YTD of the previous month present in the same year; the
    first month present in a year keeps its YTD. So when January is missing (1-2月 published
    together) the February value covers January and February: :func:`months_covered` says how
    many months each value spans.

    Parameters
    ----------
    ytd : Series
        YTD amounts (any unit) indexed by monthly ``Period``; one region and one item.

    Returns
    -------
    Series
        Same index and unit.

    Examples
    --------
    >>> ytd = pd.Series([10.0, 25.0, 45.0], index=pd.period_range("2023-01", periods=3, freq="M"))
    >>> ytd_to_monthly(ytd).tolist()
    [10.0, 15.0, 20.0]
    """
    ytd = ytd.sort_index()
    return _differences(ytd, [pd.PeriodIndex(ytd.index, freq="M").year])


def _differences(ytd: pd.Series, keys: list) -> pd.Series:
    """Each YTD amount minus the previous one in its group (a series' year): the single months."""
    return ytd - ytd.groupby(keys, sort=False).shift().fillna(0.0)


def monthly_to_ytd(monthly: pd.Series) -> pd.Series:
    """Year-to-date amounts from single-period amounts: the running sum within each year.

    The inverse of :func:`ytd_to_monthly`.

    Examples
    --------
    >>> m = pd.Series([10.0, 15.0, 20.0], index=pd.period_range("2023-01", periods=3, freq="M"))
    >>> monthly_to_ytd(m).tolist()
    [10.0, 25.0, 45.0]
    """
    monthly = monthly.sort_index()
    return _year_groups(monthly).cumsum()


def months_covered(index) -> pd.Series:
    """How many calendar months each YTD-differenced value spans (2 for a 1-2月 figure).

    Examples
    --------
    >>> months_covered(pd.PeriodIndex(["2023-02", "2023-03"], freq="M")).tolist()
    [2, 1]
    """
    periods = pd.PeriodIndex(index, freq="M").sort_values()
    return _differences(pd.Series(periods.month, index=periods), [periods.year]).astype(int)


def combine_jan_feb(monthly: pd.DataFrame) -> pd.DataFrame:
    """Drop January rows so that every year reports January–February together (1-2月).

    Use it before comparing a series that publishes January separately with one that does not:
    the February YTD already covers both months.

    Examples
    --------
    >>> t = pd.DataFrame({"period": pd.PeriodIndex(["2023-01", "2023-02"], freq="M"), "ytd": [5.0, 9.0]})
    >>> combine_jan_feb(t)["period"].astype(str).tolist()
    ['2023-02']
    """
    keep = pd.PeriodIndex(monthly["period"], freq="M").month != 1
    return monthly[keep].reset_index(drop=True)


def yoy_growth_pct(current, prior):
    """Year-on-year growth in percent: (current ÷ prior − 1) × 100; NaN where prior ≤ 0.

    Examples
    --------
    >>> round(yoy_growth_pct(118.91, 118.38), 2)
    0.45
    """
    current, prior = np.asarray(current, dtype=float), np.asarray(prior, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(prior > 0, (current / prior - 1.0) * 100.0, np.nan)
    return growth.item() if growth.ndim == 0 else growth


def prior_from_growth(current, yoy_pct):
    """Last year's amount implied by this year's amount and its growth: Y ÷ (1 + g/100).

    NaN where the growth is −100% or less (no prior amount is implied).

    Examples
    --------
    Changji's H1 2023 general budget revenue, 118.91亿元 at +0.45%:

    >>> round(prior_from_growth(118.91, 0.45), 2)
    118.38
    """
    current, growth = np.asarray(current, dtype=float), np.asarray(yoy_pct, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        prior = np.where(growth > -100.0, current / (1.0 + growth / 100.0), np.nan)
    return prior.item() if prior.ndim == 0 else prior


def completion_pct(ytd, budget):
    """Budget completion in percent: YTD ÷ annual budget × 100; NaN where the budget is not positive.

    Use the adjusted budget (调整预算) when there is one.

    Examples
    --------
    >>> round(completion_pct(134.69, 295.11), 2)
    45.64
    """
    ytd, budget = np.asarray(ytd, dtype=float), np.asarray(budget, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(budget > 0, ytd / budget * 100.0, np.nan)
    return rate.item() if rate.ndim == 0 else rate


def implied_budget(ytd, completion_pct_):
    """The annual budget implied by a YTD amount and its reported completion rate (percent).

    Examples
    --------
    Changji's local fiscal revenue, 134.69亿元 at 45.64% of budget:

    >>> round(implied_budget(134.69, 45.64), 1)
    295.1
    """
    ytd, rate = np.asarray(ytd, dtype=float), np.asarray(completion_pct_, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        budget = np.where(rate > 0, ytd / (rate / 100.0), np.nan)
    return budget.item() if budget.ndim == 0 else budget


def time_progress_pct(period, basis: str = "month"):
    """序时进度: the share of the year elapsed at the end of the period's month, in percent.

    Parameters
    ----------
    period : Period, str 'YYYY-MM', or a Series / index of them
    basis : {'month', 'days'}
        ``'month'`` is month ÷ 12 (50% at the end of June), what most bureaus use; ``'days'`` is the
        days elapsed to the month's end ÷ days in the year (181 ÷ 365 = 49.6% at the end of June 2023).

    Examples
    --------
    >>> time_progress_pct("2023-06")
    50.0
    >>> round(time_progress_pct("2023-06", basis="days"), 2)
    49.59
    """
    from .args import one_of

    one_of(basis, "basis", ("month", "days"))
    scalar = isinstance(period, (str, pd.Period))
    periods = pd.PeriodIndex([period] if scalar else list(period), freq="M")
    if basis == "month":
        result = periods.month / 12 * 100
    else:
        days_in_year = np.where(periods.to_timestamp().is_leap_year, 366, 365)
        result = periods.to_timestamp(how="end").day_of_year / days_in_year * 100
    result = np.asarray(result, dtype=float)
    if scalar:
        return float(result[0])
    return pd.Series(result, index=period.index) if isinstance(period, pd.Series) else result


def robust_mean(values: np.ndarray) -> np.ndarray:
    """Row means that shrug off one odd year: with four or more values, the value farthest from the
    row median is left out.

    >>> robust_mean(np.array([[0.50, 0.52, 0.49, 0.51, 0.80]])).round(3).tolist()
    [0.505]
    """
    finite = np.isfinite(values)
    count = finite.sum(axis=1)
    with np.errstate(invalid="ignore"):
        median = np.nanmedian(np.where(count[:, None] > 0, values, 0.0), axis=1)
    distance = np.where(finite, np.abs(values - median[:, None]), -np.inf)
    drop = (count >= 4)[:, None] & (np.arange(values.shape[1])[None, :] == np.argmax(distance, axis=1)[:, None])
    return row_nanmean(np.where(finite & ~drop, values, np.nan))


def row_nanmean(values: np.ndarray) -> np.ndarray:
    """Mean of each row's finite values; NaN (without a warning) for a row with none."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(values, axis=-1) if values.shape[-1] else np.full(values.shape[:-1], np.nan)


def _full_years(monthly: pd.DataFrame, annual: pd.DataFrame | None) -> pd.DataFrame:
    """Each region × item × year's full-year amount: the annual outturn, else the December YTD."""
    december = monthly[monthly["period"].dt.month == 12]
    full = pd.DataFrame({
        "region_code": december["region_code"], "item": december["item"],
        "year": december["period"].dt.year, "full_year": december["ytd"],
    })
    if annual is not None and "outturn" in annual:
        outturns = annual.dropna(subset=["outturn"])[["region_code", "item", "year", "outturn"]]
        full = full.merge(outturns, on=["region_code", "item", "year"], how="outer")
        full["full_year"] = full["outturn"].combine_first(full["full_year"])
        full = full.drop(columns="outturn")
    return full.dropna(subset=["full_year"])


def historical_progress_pct(monthly: pd.DataFrame, annual: pd.DataFrame | None = None, *, as_of,
                            years: int = 5, stat: str = "robust") -> pd.DataFrame:
    """Average share of the full year reached by the as-of month in past years (历年同期进度), percent.

    For each region × item: over the ``years`` most recent years before ``as_of``'s year that have
    both the YTD at that month and a full-year amount (the annual outturn, else the December YTD),
    the average of YTD_m ÷ full year × 100. ``stat='robust'`` (the default, and the figure the
    projections and the report show) is the mean with one odd year left out when there are four or
    more (:func:`robust_mean`); ``'mean'`` and ``'median'`` are the plain ones.

    Parameters
    ----------
    monthly, annual : canonical tables (amounts in one unit, as the readers return them)
    as_of : month (``'2023-06'``, ``'2023年6月'``, a Period)
    years : int
        How many past years to average.
    stat : {'robust', 'mean', 'median'}

    Returns
    -------
    DataFrame
        ``region_code, item, hist_progress_pct, n_years``.

    Examples
    --------
    >>> m = pd.DataFrame({"region_code": "A", "item": "gpb_revenue",
    ...                   "period": pd.PeriodIndex(["2021-06", "2021-12", "2022-06", "2022-12"], freq="M"),
    ...                   "ytd": [4.0, 10.0, 6.0, 12.0]})
    >>> historical_progress_pct(m, as_of="2023-06")[["hist_progress_pct", "n_years"]].values.tolist()
    [[45.0, 2.0]]
    """
    from .args import month_like, one_of

    one_of(stat, "stat", ("robust", "mean", "median"))
    as_of = month_like(as_of, "as_of")
    full = _full_years(monthly, annual)
    at_month = monthly[(monthly["period"].dt.month == as_of.month) & (monthly["period"].dt.year < as_of.year)]
    shares = pd.DataFrame({
        "region_code": at_month["region_code"], "item": at_month["item"],
        "year": at_month["period"].dt.year, "ytd": at_month["ytd"],
    }).merge(full, on=["region_code", "item", "year"])
    shares = shares[shares["full_year"] > 0].dropna(subset=["ytd"])
    shares["share_pct"] = shares["ytd"] / shares["full_year"] * 100
    recent = shares.sort_values("year").groupby(["region_code", "item"]).tail(years)
    average = {"robust": lambda s: float(robust_mean(s.to_numpy()[None, :])[0]), "mean": "mean", "median": "median"}
    result = recent.groupby(["region_code", "item"])["share_pct"].agg([average[stat], "count"]).reset_index()
    result.columns = ["region_code", "item", "hist_progress_pct", "n_years"]
    result["n_years"] = result["n_years"].astype(float)
    return result


def derive(monthly: pd.DataFrame, annual: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add the derived columns an analyst reads beside each YTD figure.

    Added columns (amounts in the table's unit, 亿元 from the readers):

    - ``prior_ytd``: last year's YTD at the same month, from last year's row, else implied by the
      reported growth (Y ÷ (1 + g)); ``prior_source`` says which (``table`` / ``growth``).
    - ``yoy_pct`` filled where it was empty and both years' YTD are known; ``yoy_source`` says
      ``reported`` or ``computed``.
    - ``month_amount``: the single-period amount (see :func:`ytd_to_monthly`) and ``months_covered``.
    - ``time_progress_pct``: 序时进度, month ÷ 12.
    - ``budget_used``: the adjusted budget if given, else the budget, from ``annual``; else the budget
      implied by a reported ``completion_pct``; ``budget_source`` says which.
    - ``completion_pct`` filled from ``ytd ÷ budget_used`` where it was empty.

    Examples
    --------
    >>> import fiscalmon
    >>> d = derive(fiscalmon.datasets.changji_monthly())  # doctest: +SKIP
    """
    table = monthly.copy()
    keys = ["region_code", "item", "period"]
    last_year = table[keys + ["ytd"]].dropna(subset=["ytd"]).assign(period=lambda t: t["period"] + 12)
    table = table.merge(last_year.rename(columns={"ytd": "prior_table"}), on=keys, how="left")
    implied = prior_from_growth(table["ytd"], table["yoy_pct"])
    table["prior_ytd"] = table["prior_table"].combine_first(pd.Series(implied, index=table.index))
    table["prior_source"] = np.where(table["prior_table"].notna(), "table",
                                     np.where(table["prior_ytd"].notna(), "growth", None))
    computed = yoy_growth_pct(table["ytd"], table["prior_table"])
    table["yoy_source"] = np.where(table["yoy_pct"].notna(), "reported",
                                   np.where(np.isfinite(computed), "computed", None))
    table["yoy_pct"] = table["yoy_pct"].combine_first(pd.Series(computed, index=table.index))
    table = table.drop(columns="prior_table")

    table = table.sort_values(keys).reset_index(drop=True)
    # Single months, as ytd_to_monthly does per series, for every series at once.
    with_ytd = table[table["ytd"].notna()]
    series = [with_ytd["region_code"], with_ytd["item"], with_ytd["period"].dt.year]
    table["month_amount"] = _differences(with_ytd["ytd"], series)
    table["months_covered"] = _differences(with_ytd["period"].dt.month.astype(float), series)
    table["time_progress_pct"] = time_progress_pct(table["period"])

    table["budget_used"] = np.nan
    table["budget_source"] = None
    if annual is not None:
        budgets = annual.assign(budget_used=annual["adjusted_budget"].combine_first(annual["budget"]),
                                budget_source=np.where(annual["adjusted_budget"].notna(), "adjusted_budget",
                                                       np.where(annual["budget"].notna(), "budget", None)))
        budgets = budgets.dropna(subset=["budget_used"])[["region_code", "item", "year", "budget_used", "budget_source"]]
        table = (table.drop(columns=["budget_used", "budget_source"]).assign(year=table["period"].dt.year)
                 .merge(budgets, on=["region_code", "item", "year"], how="left").drop(columns="year"))
    from_rate = pd.Series(implied_budget(table["ytd"], table["completion_pct"]), index=table.index)
    use_rate = table["budget_used"].isna() & from_rate.notna()
    table.loc[use_rate, "budget_used"] = from_rate[use_rate]
    table.loc[use_rate, "budget_source"] = "implied_by_completion"
    table["completion_pct"] = table["completion_pct"].combine_first(
        pd.Series(completion_pct(table["ytd"], table["budget_used"]), index=table.index))
    return table
