"""The one entry point for full-year projections: :func:`forecast_full_year`.

It checks its arguments, arranges the tables as a panel, runs the requested methods (registered in
:data:`METHODS`), puts an interval on each projection from the errors the same method made at the
same month in past years, and returns one row per region × item × method.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ForecastWarning
from ..parse import CellError, parse_month_spec
from ..schema import ITEMS
from . import intervals as iv
from .history import (COMBINATION_MEMBERS, combination_weights, combine, enough_for_weights, past_combination,
                      past_projections)
from .methods import BUREAU_METHODS, last_outturn, past_progress, prior_ytd, robust_mean, PROGRESS_YEARS
from .models import fit_and_simulate, single_months
from .panel import Panel, build_panel

#: Every method, in the order the documentation lists them.
METHODS = ("carry_forward", "progress_ratio", "blended", "ets", "sarima", "growth_path", "combination")
#: Exactly the columns of the projection table (``--format csv`` writes these).
OUTPUT_COLUMNS = ["region_code", "region", "item", "as_of", "ytd", "last_year_outturn", "budget", "completion_pct",
                  "time_progress_pct", "hist_progress_pct", "point", "lo80", "hi80", "lo95", "hi95", "p_attain",
                  "required_rest_growth_pct", "method"]
#: Further columns of the DataFrame: the method asked for (``method`` is the one that produced the row,
#: which differs after a fall-back), where the interval came from, what was assumed, what happened.
EXTRA_COLUMNS = ["requested_method", "interval_source", "budget_source", "assumptions", "note"]
#: The order in which a method that cannot run falls back to another.
FALLBACK_ORDER = ("progress_ratio", "carry_forward", "growth_path")
MONTHLY_REQUIRED = ("region_code", "region", "period", "item", "ytd", "yoy_pct")


@dataclass
class _Run:
    """One method's results over a panel."""

    point: np.ndarray
    past_errors: np.ndarray | None = None          # (n, years): log(outturn ÷ projection)
    samples: np.ndarray | None = None              # (n, paths): simulated full years
    assumptions: np.ndarray | None = None
    notes: np.ndarray | None = None
    used: np.ndarray | None = None                 # the method that produced each row
    weights: dict = field(default_factory=dict)


def _check_arguments(monthly, annual, method, as_of):
    if not isinstance(monthly, pd.DataFrame) or any(c not in monthly for c in MONTHLY_REQUIRED) \
            or not isinstance(monthly["period"].dtype, pd.PeriodDtype):
        raise ValueError("monthly must be a canonical monthly table with columns "
                         f"{', '.join(MONTHLY_REQUIRED)} and monthly periods; read the file with "
                         "fiscalmon.read_monthly(...) first")
    if annual is not None and (not isinstance(annual, pd.DataFrame) or "outturn" not in annual):
        raise ValueError("annual must be a canonical annual table (fiscalmon.read_annual(...)) or None")
    names = list(METHODS) if method == "all" else [method] if isinstance(method, str) else list(method)
    unknown = [name for name in names if name not in METHODS]
    if unknown:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))} or 'all'; got {unknown[0]!r}")
    return names, _as_of_period(as_of, monthly)


def _as_of_period(as_of, monthly) -> pd.Period:
    if as_of is None:
        return monthly["period"].max()
    try:
        year, month = parse_month_spec(as_of)
    except CellError:
        year = None
    if year is None:
        raise ValueError(f"as_of must be a month such as '2023-06'; got {as_of!r}")
    return pd.Period(year=year, month=month, freq="M")


def forecast_full_year(monthly: pd.DataFrame, annual: pd.DataFrame | None = None, as_of=None, *,
                       method="combination", items=None, regions=None, members=COMBINATION_MEMBERS,
                       n_paths: int = 1000, random_state: int = 0, reference_errors: pd.DataFrame | None = None,
                       progress: bool = False) -> pd.DataFrame:
    """Project the full year from year-to-date figures, with intervals and the odds of reaching the budget.

    Parameters
    ----------
    monthly : DataFrame
        Canonical monthly table (``fiscalmon.read_monthly``); amounts in 亿元.
    annual : DataFrame, optional
        Canonical annual table: last years' outturns and this year's budget (the adjusted budget
        when given). Without it, outturns are the December YTD and the budget is implied by a
        reported completion rate, if any.
    as_of : 'YYYY-MM', optional
        The last month of data to use (default: the latest in ``monthly``).
    method : str or list of str
        One or more of ``carry_forward``, ``progress_ratio``, ``blended``, ``ets``, ``sarima``,
        ``growth_path``, ``combination``, or ``'all'``.
    items : str or list, optional
        Item keys to project (default: every item with figures at ``as_of``).
    regions : list of region codes, optional
    members : tuple of method names
        What the combination combines (default: the four bureau methods).
    n_paths : int
        Simulated paths per series for ``ets`` and ``sarima``.
    random_state : int
        Seed of the simulations: the same inputs give the same output.
    reference_errors : DataFrame, optional
        Error sample for series without history (default: the Texas backtest errors that ship with
        fiscalmon, :func:`fiscalmon.datasets.reference_errors`).
    progress : bool
        Show a progress bar while fitting models.

    Returns
    -------
    DataFrame
        One row per region × item × method with :data:`OUTPUT_COLUMNS` (amounts in 亿元, rates in
        percent, ``p_attain`` a probability) and ``interval_source`` (``backtest``: errors of this
        series and panel at this month in past years; ``simulation``: model paths; ``reference``:
        the shipped Texas backtest errors; ``none``), ``assumptions`` and ``note``. ``attrs["weights"]``
        holds, per item, the combination weights and the number of past years behind them
        (no weights when the history is too short for them: then each series averages the members
        it has).

    Examples
    --------
    >>> import fiscalmon
    >>> result = fiscalmon.forecast_full_year(fiscalmon.datasets.demo_monthly(), fiscalmon.datasets.demo_annual(),
    ...                                       as_of="2023-06", items="gpb_revenue", regions=["652300"])
    >>> result[["region", "point", "lo80", "hi80", "p_attain"]]  # doctest: +SKIP
    """
    names, period = _check_arguments(monthly, annual, method, as_of)
    table = monthly if regions is None else monthly[monthly["region_code"].isin(list(regions))]
    if table.empty:
        raise ValueError("the monthly table has no rows" if regions is None else
                         f"no monthly figures for regions {list(regions)}")
    at_month = table[(table["period"] == period) & (table["ytd"].notna() | table["yoy_pct"].notna())]
    wanted = sorted(at_month["item"].unique()) if items is None else ([items] if isinstance(items, str) else list(items))
    wanted = _flows_only(wanted, asked=items is not None)
    if not wanted:
        raise ValueError(f"no figures at {period}: the data run from {table['period'].min()} to {table['period'].max()}")
    if reference_errors is None:
        from ..datasets import reference_errors as shipped

        reference_errors = shipped()
    frames, weights = [], {}
    for item in wanted:
        panel = build_panel(table, annual, items=item, last_year=period.year)
        here = panel.ytd[:, panel.year_index(period.year), period.month - 1]
        growth = panel.yoy[:, panel.year_index(period.year), period.month - 1]
        panel = panel.subset(np.isfinite(here) | np.isfinite(growth))
        if panel.n == 0:
            continue
        frame, item_weights = _forecast_panel(panel, period, names, members, n_paths, random_state,
                                              reference_errors, progress)
        frames.append(frame)
        weights[item] = item_weights
    if not frames:
        raise ValueError(f"no figures for items {wanted} at {period}")
    result = pd.concat(frames, ignore_index=True)
    result.attrs["weights"] = weights
    return result


def _flows_only(items: list[str], asked: bool) -> list[str]:
    """A full year is a sum of months: balances (库款余额, 债务余额) have none. Asked for, that is an
    error; among every item of a table, they are left out with a warning."""
    stocks = [item for item in items if item in ITEMS and ITEMS[item].kind == "stock"]
    if stocks and asked:
        raise ValueError(f"{', '.join(stocks)}: a balance (stock), not a flow; a full-year projection adds up months "
                         "and does not apply to it. Its risk indicators are in fiscalmon.assess.")
    if stocks:
        warnings.warn(ForecastWarning(f"not projected: {', '.join(stocks)} (balances, not flows)"), stacklevel=3)
    return [item for item in items if item not in stocks]


def _forecast_panel(panel: Panel, period: pd.Period, names, members, n_paths, seed, reference, progress):
    t, m = panel.year_index(period.year), period.month
    view = panel.as_of(period.year, m)
    runs: dict[str, _Run] = {}

    def bureau(name: str) -> _Run:
        if name not in runs:
            projection = BUREAU_METHODS[name](view, t, m)
            past = past_projections(panel, m, [name], t)
            runs[name] = _Run(projection.point, past.errors(name), assumptions=projection.assumptions)
        return runs[name]

    results = {}
    for name in names:
        if name in BUREAU_METHODS:
            results[name] = bureau(name)
        elif name == "combination":
            results[name] = _combination(panel, view, t, m, members, bureau)
        else:
            results[name] = _model(name, panel, view, t, m, n_paths, seed, bureau, progress)
    common = _common_columns(view, t, m)
    frames = [_rows(panel, period, name, run, common, reference, m) for name, run in results.items()]
    weights = results["combination"].weights if "combination" in results else {}
    return pd.concat(frames, ignore_index=True), weights


def _combination(panel, view, t, m, members, bureau) -> _Run:
    members = list(members)
    unknown = [name for name in members if name not in BUREAU_METHODS]
    if unknown:
        raise ValueError(f"members of the combination must be bureau methods {sorted(BUREAU_METHODS)}; "
                         f"got {unknown[0]!r}")
    past = past_projections(panel, m, members, t)
    weights, years, cases = combination_weights({name: past.errors(name) for name in members})
    weighted = enough_for_weights(years, cases)
    point = combine({name: bureau(name).point for name in members}, weights)
    past.points["combination"] = past_combination(past, members)
    note = (f"weights from {cases} errors in {years} past year(s) at month {m}" if weighted else
            f"plain average: only {years} past year(s) ({cases} errors) with every member's error at month {m}")
    notes = np.full(panel.n, note, dtype=object)
    assumptions = np.array(["; ".join(sorted({bureau(name).assumptions[i] for name in members} - {""}))
                            for i in range(panel.n)], dtype=object)
    return _Run(point, past.errors("combination"), assumptions=assumptions, notes=notes,
                weights={"weights": weights if weighted else {}, "years": years, "errors": cases})


def _model(name, panel, view, t, m, n_paths, seed, bureau, progress) -> _Run:
    n = panel.n
    point = np.full(n, np.nan)
    samples = np.full((n, n_paths), np.nan)
    past_points = np.full((n, len(panel.years)), np.nan)
    notes = np.full(n, "", dtype=object)
    used = np.full(n, name, dtype=object)
    rows = range(n)
    if progress:
        from tqdm.auto import tqdm

        rows = tqdm(rows, desc=f"fitting {name}", unit="series")
    for i in rows:
        values, start, how = single_months(view.ytd[i, : t + 1])
        fitted = None if values is None else fit_and_simulate(
            name, values, view.ytd[i, t, m - 1], 12 - m, n_paths, seed + i,
            {j: (j * 12 + m - start, panel.ytd[i, j, m - 1]) for j in range(1, t) if np.isfinite(panel.outturn[i, j])})
        if values is None or isinstance(fitted, str):
            reason = how if values is None else fitted
            notes[i] = f"{name}: {reason}; fell back"
            continue
        point[i], samples[i], notes[i] = fitted.point, fitted.samples, "; ".join(filter(None, [fitted.note, how]))
        for j, value in fitted.past_points.items():
            past_points[i, j] = value
    with np.errstate(invalid="ignore", divide="ignore"):
        errors = np.log(panel.outturn / past_points)
    errors = np.where(np.isfinite(errors), errors, np.nan)
    errors[:, t:] = np.nan
    run = _Run(point, errors, samples=samples, notes=notes, used=used,
               assumptions=np.full(n, "", dtype=object))
    failed = ~np.isfinite(point)
    if failed.any():
        _fall_back(run, failed, bureau, name)
    return run


def _fall_back(run: _Run, failed: np.ndarray, bureau, name: str) -> None:
    """Fill series a model could not handle from the first bureau method that can, and say so."""
    remaining = failed.copy()
    for fallback in FALLBACK_ORDER:
        other = bureau(fallback)
        take = remaining & np.isfinite(other.point)
        run.point[take] = other.point[take]
        run.past_errors[take] = other.past_errors[take]
        run.samples[take] = np.nan
        run.assumptions[take] = other.assumptions[take]
        run.used[take] = fallback
        run.notes[take] = run.notes[take] + f" to {fallback}"
        remaining &= ~take
    stranded = f", {int(remaining.sum())} of them with no projection at all" if remaining.any() else ""
    warnings.warn(ForecastWarning(
        f"{name}: {int(failed.sum())} series could not be modelled and fell back to a bureau method{stranded} "
        "(see the 'note' column)"), stacklevel=4)


def _common_columns(view: Panel, t: int, m: int) -> dict[str, np.ndarray]:
    prior = prior_ytd(view, t, m)
    ytd = view.ytd[:, t, m - 1]
    ytd = np.where(np.isfinite(ytd), ytd, prior * (1 + view.yoy[:, t, m - 1] / 100))
    budget = view.budget[:, t]
    shares = past_progress(view, t, m, PROGRESS_YEARS)
    hist = np.where(np.isfinite(shares).sum(axis=1) >= 1, robust_mean(shares) * 100, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        completion = np.where(budget > 0, ytd / budget * 100, np.nan)
    return {"ytd": ytd, "prior": prior, "last_year_outturn": last_outturn(view, t), "budget": budget,
            "budget_source": view.budget_source[:, t],
            "completion_pct": completion, "time_progress_pct": np.full(view.n, m / 12 * 100),
            "hist_progress_pct": hist}


def _rows(panel: Panel, period, name: str, run: _Run, common, reference: pd.DataFrame, m: int) -> pd.DataFrame:
    n = panel.n
    bounds = {f"{side}{level}": np.full(n, np.nan) for level in iv.LEVELS for side in ("lo", "hi")}
    p_attain = np.full(n, np.nan)
    source = np.full(n, "none", dtype=object)
    point, budget = run.point, common["budget"]
    used = run.used if run.used is not None else np.full(n, name, dtype=object)  # after any fall-back

    errors = run.past_errors if run.past_errors is not None else np.full((n, 1), np.nan)
    own = np.isfinite(errors).sum(axis=1)
    if np.isfinite(errors).sum() >= iv.MIN_ERRORS:
        scales, _ = iv.series_scales(errors)
        z = iv.standardised(errors, scales)
        calibrated = np.isfinite(point)
        _fill(bounds, p_attain, calibrated, point, budget, scales, z)
        source[calibrated] = np.where(own[calibrated] >= 3, "backtest", "backtest-panel")
    if run.samples is not None:
        simulated = (source == "none") & np.isfinite(run.samples).all(axis=1)
        if simulated.any():
            drawn = iv.sample_intervals(run.samples[simulated], budget[simulated])
            for key in bounds:
                bounds[key][simulated] = drawn[key]
            p_attain[simulated] = drawn["p_attain"]
            source[simulated] = "simulation"
    uncovered = (source == "none") & np.isfinite(point)
    if uncovered.any():
        for method_used in np.unique(used[uncovered]):
            for variant in ("with_outturn", "without_outturn"):
                has_outturn = np.isfinite(common["last_year_outturn"])
                rows = uncovered & (used == method_used) & (has_outturn if variant == "with_outturn" else ~has_outturn)
                sample = reference[(reference["method"] == method_used) & (reference["variant"] == variant)
                                   & (reference["as_of_month"] == m)]["log_error"].to_numpy(dtype=float)
                if rows.any() and len(sample) >= iv.MIN_ERRORS:
                    # Borrow the spread, not the bias: the reference series' own seasonal bias says
                    # nothing about this region's months.
                    sample = sample - np.median(sample)
                    pooled = float(np.sqrt(np.mean(sample ** 2)))
                    _fill(bounds, p_attain, rows, point, budget, np.full(n, pooled), sample / pooled)
                    source[rows] = "reference"

    prior_rest = np.where(np.isfinite(common["last_year_outturn"]), common["last_year_outturn"] - common["prior"],
                          common["prior"] * (12 - m) / m)
    with np.errstate(invalid="ignore", divide="ignore"):
        required = np.where(prior_rest > 0, ((budget - common["ytd"]) / prior_rest - 1) * 100, np.nan)
    reached = budget <= common["ytd"]
    required[reached] = np.nan  # nothing more is needed: say so instead of a growth below −100%
    assumptions = run.assumptions if run.assumptions is not None else np.full(n, "", dtype=object)
    assumptions = assumptions.copy()
    estimated = ~np.isfinite(common["last_year_outturn"]) & np.isfinite(required)
    assumptions[estimated] = [a if "estimated" in a else "; ".join(filter(None, [a, "required growth: last year's "
                              "remaining months estimated as equal months"])) for a in assumptions[estimated]]
    notes = run.notes.copy() if run.notes is not None else np.full(n, "", dtype=object)
    notes[reached] = [f"{x}; budget already reached" if x else "budget already reached" for x in notes[reached]]
    for i in np.flatnonzero(~np.isfinite(point)):
        why = f"no projection: {_why_no_projection(used[i], common, i, period)}"
        notes[i] = f"{notes[i]}; {why}" if notes[i] else why
    frame = pd.DataFrame({
        "region_code": panel.keys["region_code"], "region": panel.keys["region"], "item": panel.keys["item"],
        "as_of": str(period), "ytd": common["ytd"], "last_year_outturn": common["last_year_outturn"],
        "budget": budget, "completion_pct": common["completion_pct"],
        "time_progress_pct": common["time_progress_pct"], "hist_progress_pct": common["hist_progress_pct"],
        "point": point, **bounds, "p_attain": p_attain, "required_rest_growth_pct": required,
        "method": used, "requested_method": name, "interval_source": source,
        "budget_source": common["budget_source"],
        "assumptions": assumptions, "note": notes,
    })
    return frame[OUTPUT_COLUMNS + EXTRA_COLUMNS]


def _why_no_projection(method: str, common, i: int, period) -> str:
    """Which input a method lacked for series ``i``, in words an analyst can act on."""
    if not np.isfinite(common["ytd"][i]):
        return (f"no YTD amount at {period}, and no YTD of the same month last year to turn the reported "
                "growth into one")
    if method == "combination":
        return "none of its members could project this series (see their rows)"
    if method == "progress_ratio":
        return (f"needs the share of the full year reached by month {period.month} in at least two past years "
                "(their monthly YTD and full-year amounts)")
    if not np.isfinite(common["last_year_outturn"][i]):
        return "needs last year's full-year amount (an annual table, or last year's December YTD)"
    return "its inputs for this series are incomplete or not positive"


def _fill(bounds, p_attain, rows, point, budget, scales, z) -> None:
    drawn = iv.intervals(point[rows], scales[rows], z)
    for key in bounds:
        bounds[key][rows] = drawn[key]
    p_attain[rows] = iv.attain_probability(point[rows], budget[rows], scales[rows], z)
