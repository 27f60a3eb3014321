"""How far each method has missed in past years at the same as-of month: :func:`backtest`.

For every past year with a known outturn and every as-of month, each method projects the full year
from the data known then. Its interval comes only from the errors of *earlier* years (an expanding
window), so the coverage reported is the coverage an analyst would really have had. Until there are
enough earlier errors (:data:`fiscalmon.forecast.intervals.MIN_ERRORS`), the interval is the Theta
model's simulated spread at that year and month (:func:`fiscalmon.forecast.paths.simulated_log_spread`),
as in a live projection.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import args as check
from . import intervals as iv
from .core import _flows_only, checked_tables, method_names
from .history import past_combination, past_projections
from .models import fit_and_simulate, single_months
from .paths import simulated_log_spread
from .comparable import restated
from .components import component_points
from .panel import Panel, build_panel
from .registry import PANEL_METHODS, COMBINATION_MEMBERS, METHODS, MODEL_METHODS
from .result import Backtest

#: Exactly the columns of the backtest summary (``--format csv`` writes these).
BACKTEST_COLUMNS = ["method", "as_of_month", "n", "mape", "bias_pct", "coverage80", "coverage95", "winkler80"]
DETAIL_COLUMNS = ["region_code", "region", "item", "year", "as_of_month", "method", "actual", "point",
                  "lo80", "hi80", "lo95", "hi95", "budget", "p_attain"]


def backtest(monthly: pd.DataFrame, annual: pd.DataFrame | None = None, *, methods=None, months=range(1, 12),
             items=None, regions=None, special: pd.DataFrame | None = None, min_train_years: int = 5,
             members=COMBINATION_MEMBERS,
             as_of_months=check.UNSET, detail=check.UNSET) -> Backtest:
    """Backtest projection methods on past years, per method and as-of month.

    Parameters
    ----------
    monthly, annual : canonical tables (``fiscalmon.read_monthly`` / ``read_annual``); amounts in 亿元
    methods : str or list of method names, optional
        Default: the bureau rules, the path models and the combination (the fitted models refit at every
        year and month, which is slow: ask for them explicitly).
    months : iterable of int
        As-of months to test (1–11). (``as_of_months=`` is the old name.)
    items : str or list, optional
        Item keys or Chinese names to test, pooled in the summary (default: every flow item).
    regions : list of region codes, optional
    special : DataFrame, optional
        Special factors (:func:`fiscalmon.read_special`); each past year uses those booked by its
        as-of month only.
    min_train_years : int
        Years at the start of each series used only to learn errors; scoring starts after them.

    Returns
    -------
    Backtest
        ``.summary``: :data:`BACKTEST_COLUMNS` per method × as-of month: ``mape`` (mean absolute
        percentage error), ``bias_pct`` (mean of projection ÷ outturn − 1, in percent: positive means
        too high), ``coverage80``/``coverage95`` (share of outturns inside the interval, e.g. 0.8),
        ``winkler80`` (the Winkler interval score of the 80% interval in percent of the outturn: its
        width plus 10× any miss). ``.detail``: every projection (one row per series × year × month ×
        method), with its interval, the year's budget and the ``p_attain`` it would have given (from
        earlier years' errors only).

    Examples
    --------
    >>> import fiscalmon
    >>> result = fiscalmon.backtest(*fiscalmon.datasets.texas(), items="tax_revenue", months=[3, 6, 9])  # doctest: +SKIP
    >>> result.summary                                                                              # doctest: +SKIP
    """
    months = check.renamed(months, as_of_months, "months", "as_of_months")
    if detail is not check.UNSET:
        warnings.warn("detail= is deprecated: the result always has .summary and .detail", DeprecationWarning,
                      stacklevel=2)
    monthly, annual = checked_tables(monthly, annual)
    special = check.table_like(special, "special", "special", ("region_code", "period", "item", "ytd_effect"),
                               optional=True)
    names = method_names([*PANEL_METHODS, "combination"] if methods is None else methods)
    members = check.names_like(members, "members", PANEL_METHODS)
    months = check.months_like(months, "months", low=1, high=11)
    regions = check.codes_like(regions, "regions", monthly["region_code"].unique())
    table = monthly if regions is None else monthly[monthly["region_code"].isin(regions)]
    held = table.loc[table["ytd"].notna(), "item"].unique()
    asked = check.items_like(items, "items", held)
    items = _flows_only(sorted(held) if asked is None else asked, asked=asked is not None)
    rows = []
    for item in items:
        panel = build_panel(table, annual, items=item, special=special)
        for m in months:
            parts = component_points(table, annual, special, panel, m, members) \
                if {"combination", "components"} & set(names) else None
            rows.append(_one_month(panel, m, names, members, min_train_years, parts))
    detail_table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=DETAIL_COLUMNS)
    return Backtest(summarise(detail_table), detail_table, items)


def _one_month(natural: Panel, m: int, names, members, min_train_years, parts=None) -> pd.DataFrame:
    """Every scored year's projection at month ``m``, on the comparable basis as a live projection makes
    it: the underlying year projected, the factors booked by month ``m`` added back (no more were known
    then); the budget the one in force at month ``m``; scored against the natural outturn."""
    panel = restated(natural)
    added = np.nan_to_num(natural.special[:, :, m - 1])
    budgets = np.column_stack([natural.budget_at(t, m)[0] for t in range(len(natural.years))])
    bureau = [name for name in names if name in PANEL_METHODS]
    needed = sorted(set(bureau) | (set(members) if "combination" in names else set()))
    past = past_projections(panel, m, needed, len(panel.years))
    past.points["components"] = parts if parts is not None else np.full(past.actual.shape, np.nan)
    if "combination" in names:
        combined = [*members, "components"] if parts is not None else list(members)
        past.points["combination"] = past_combination(past, combined)
    for name in MODEL_METHODS:
        if name in names:
            past.points[name] = _refit_model(panel, name, m)
    frames = []
    spreads = {}  # year position → the Theta model's simulated spread at month m then

    def spread(t: int) -> np.ndarray:
        if t not in spreads:
            spreads[t] = simulated_log_spread(panel.as_of(int(panel.years[t]), m), t, m, seed=t)
        return spreads[t]

    for name in names:
        errors = past.errors(name)
        lo, hi = {}, {}
        for level in iv.LEVELS:
            lo[level], hi[level] = np.full_like(errors, np.nan), np.full_like(errors, np.nan)
        p_attain = np.full_like(errors, np.nan)
        for t in range(len(panel.years)):
            earlier = errors[:, :t]
            if np.isfinite(earlier).sum() < iv.MIN_ERRORS:
                # as a live projection would: the model's simulated spread around this method's point
                if t > 0 and np.isfinite(past.points[name][:, t]).any():
                    drawn = iv.spread_intervals(past.points[name][:, t], spread(t), budgets[:, t] - added[:, t])
                    for level in iv.LEVELS:
                        lo[level][:, t], hi[level][:, t] = drawn[f"lo{level}"] + added[:, t], drawn[f"hi{level}"] + added[:, t]
                    p_attain[:, t] = drawn["p_attain"]
                continue
            scales, _ = iv.series_scales(earlier)
            z = iv.standardised(earlier, scales)
            bounds = iv.intervals(past.points[name][:, t], scales, z, spread=spread(t))
            for level in iv.LEVELS:
                lo[level][:, t], hi[level][:, t] = bounds[f"lo{level}"] + added[:, t], bounds[f"hi{level}"] + added[:, t]
            p_attain[:, t] = iv.attain_probability(past.points[name][:, t], budgets[:, t] - added[:, t], scales, z)
        first_years = _first_scored_year(panel, min_train_years)
        for t in range(len(panel.years)):
            score = (t >= first_years) & np.isfinite(past.points[name][:, t]) & np.isfinite(natural.outturn[:, t])
            if not score.any():
                continue
            frames.append(pd.DataFrame({
                "region_code": panel.keys["region_code"][score], "region": panel.keys["region"][score],
                "item": panel.keys["item"][score], "year": int(panel.years[t]), "as_of_month": m, "method": name,
                "actual": natural.outturn[score, t], "point": past.points[name][score, t] + added[score, t],
                "lo80": lo[80][score, t], "hi80": hi[80][score, t], "lo95": lo[95][score, t], "hi95": hi[95][score, t],
                "budget": budgets[score, t], "p_attain": p_attain[score, t],
            }))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=DETAIL_COLUMNS)


def _first_scored_year(panel: Panel, min_train_years: int) -> np.ndarray:
    """Per series, the first year position to score: after ``min_train_years`` years with an outturn."""
    known = np.cumsum(np.isfinite(panel.outturn), axis=1)
    reached = known >= min_train_years + 1
    return np.where(reached.any(axis=1), reached.argmax(axis=1), len(panel.years))


def _refit_model(panel: Panel, name: str, m: int) -> np.ndarray:
    """A statsmodels model refitted at month m of every past year (slow, but honest)."""
    points = np.full((panel.n, len(panel.years)), np.nan)
    for t in range(1, len(panel.years)):
        if not np.isfinite(panel.outturn[:, t]).any():
            continue
        view = panel.as_of(int(panel.years[t]), m)
        for i in range(panel.n):
            values, _, _ = single_months(view.ytd[i, : t + 1])
            if values is None:
                continue
            fitted = fit_and_simulate(name, values, view.ytd[i, t, m - 1], 12 - m, 1, 0, {})
            if not isinstance(fitted, str):
                points[i, t] = fitted.point
    return points


def summarise(detail: pd.DataFrame) -> pd.DataFrame:
    """Per method × as-of month: n, MAPE, bias, 80%/95% coverage and the 80% Winkler score (percent).

    Coverage and the Winkler score count only projections that had an interval.
    """
    if detail.empty:
        return pd.DataFrame(columns=BACKTEST_COLUMNS)
    d = detail.assign(rel=(detail["point"] / detail["actual"] - 1) * 100)
    has80 = d["lo80"].notna() & d["hi80"].notna()
    d["in80"] = np.where(has80, (d["actual"] >= d["lo80"]) & (d["actual"] <= d["hi80"]), np.nan)
    has95 = d["lo95"].notna() & d["hi95"].notna()
    d["in95"] = np.where(has95, (d["actual"] >= d["lo95"]) & (d["actual"] <= d["hi95"]), np.nan)
    alpha = 0.2
    miss = np.maximum(d["lo80"] - d["actual"], 0) + np.maximum(d["actual"] - d["hi80"], 0)
    d["winkler"] = np.where(has80, (d["hi80"] - d["lo80"] + 2 / alpha * miss) / d["actual"] * 100, np.nan)
    grouped = d.groupby(["method", "as_of_month"], sort=False)
    summary = pd.DataFrame({
        "n": grouped.size(),
        "mape": grouped["rel"].apply(lambda r: r.abs().mean()),
        "bias_pct": grouped["rel"].mean(),
        "coverage80": grouped["in80"].mean(),
        "coverage95": grouped["in95"].mean(),
        "winkler80": grouped["winkler"].mean(),
    }).reset_index()
    order = {name: k for k, name in enumerate(METHODS)}
    summary = summary.sort_values(["as_of_month", "method"], key=lambda c: c.map(order) if c.name == "method" else c)
    return summary[BACKTEST_COLUMNS].reset_index(drop=True)
