"""The one entry point for full-year projections: :func:`forecast_full_year`.

It checks its arguments, arranges the tables as a panel, runs the requested methods (registered in
:data:`fiscalmon.forecast.registry.METHODS`), puts an interval on each projection from the errors the
same method made at the same month in past years, and returns a :class:`~fiscalmon.forecast.result.Projection`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import args as check
from ..errors import ForecastWarning
from ..calendar import time_progress_pct
from ..schema import ITEMS
from . import intervals as iv
from .history import combination_weights, combine, enough_for_weights, past_combination, past_projections
from .history import MIN_WEIGHT_CASES, MIN_WEIGHT_YEARS
from .methods import last_outturn, past_progress, prior_ytd, robust_mean, PROGRESS_YEARS
from .models import fit_and_simulate, single_months
from .paths import MIN_MONTHS as MIN_PATH_MONTHS, simulated_log_spread
from .comparable import added_back, growth_pct, restated
from .components import component_points
from .panel import Panel, build_panel
from .registry import PANEL_METHODS, COMBINATION_MEMBERS, FALLBACK_ORDER, METHODS, MODEL_METHODS
from .result import CombinationWeights, Projection

#: Exactly the columns of the projection table (``--format csv`` writes these).
OUTPUT_COLUMNS = ["region_code", "region", "item", "as_of", "ytd", "last_year_outturn", "budget", "completion_pct",
                  "time_progress_pct", "hist_progress_pct", "point", "lo80", "hi80", "lo95", "hi95", "p_attain",
                  "required_rest_growth_pct", "method"]
#: Further columns of the table: the method asked for (``method`` is the one that produced the row,
#: which differs after a fall-back), where the interval and the budget came from, why there is no
#: projection (empty when there is one), what was assumed, what happened; ``past_years``: how many past years of this
#: series' own errors at this month the interval rests on (the panel's may add to them).
EXTRA_COLUMNS = ["requested_method", "interval_source", "past_years", "budget_source", "no_projection", "yoy_pct",
                 "yoy_comparable_pct", "special_ytd", "special_full_year", "assumptions", "note"]
MONTHLY_REQUIRED = ("region_code", "region", "period", "item", "ytd", "yoy_pct")
ANNUAL_REQUIRED = ("region_code", "year", "item", "budget", "adjusted_budget", "outturn")


@dataclass
class _Run:
    """One method's results over a panel."""

    point: np.ndarray
    past_errors: np.ndarray | None = None          # (n, years): log(outturn ÷ projection)
    past_points: np.ndarray | None = None          # (n, years): the projections made in past years
    samples: np.ndarray | None = None              # (n, paths): simulated full years
    assumptions: np.ndarray | None = None
    notes: np.ndarray | None = None
    used: np.ndarray | None = None                 # the method that produced each row
    weights: CombinationWeights | None = None


def method_names(methods) -> list[str]:
    """``methods`` as a list of registered names ('all' is every method)."""
    if methods == "all":
        return list(METHODS)
    return check.names_like(methods, "methods", [*METHODS, "all"])


def checked_tables(monthly, annual) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The monthly and annual tables, checked to be the canonical tables the readers return."""
    monthly = check.table_like(monthly, "monthly", "monthly", MONTHLY_REQUIRED)
    annual = check.table_like(annual, "annual", "annual", ANNUAL_REQUIRED, optional=True)
    return monthly, annual


def forecast_full_year(monthly: pd.DataFrame, annual: pd.DataFrame | None = None, month=None, *,
                       methods="combination", items=None, regions=None, special: pd.DataFrame | None = None,
                       members=COMBINATION_MEMBERS, n_paths: int = 1000, random_state: int = 0,
                       reference_errors: pd.DataFrame | None = None, progress=False, as_of=check.UNSET,
                       method=check.UNSET) -> Projection:
    """Project the full year from year-to-date figures, with intervals and the odds of reaching the budget.

    Parameters
    ----------
    monthly : DataFrame
        Canonical monthly table (``fiscalmon.read_monthly``); amounts in 亿元.
    annual : DataFrame, optional
        Canonical annual table: last years' outturns and this year's budget (the adjusted budget
        when given). Without it, outturns are the December YTD and the budget is the monthly
        table's 年初预算, else the one implied by a reported completion rate (said in ``notes``).
    month : month, optional
        The last month of data to use, in any spelling (``'2024-06'``, ``'2024年6月'``, ``202406``);
        default: the latest in ``monthly``. (``as_of=`` is the old name.)
    methods : str or list of str
        One or more of :data:`fiscalmon.forecast.METHODS` or ``'all'``. (``method=`` is the old name.)
    items : str or list, optional
        Item keys or Chinese names to project (default: every flow item with figures at ``month``).
    regions : list of region codes, optional
    special : DataFrame, optional
        Special factors (:func:`fiscalmon.read_special`): each method projects the underlying year with
        them taken out of every year, and this year's are added back (those to date, and those the
        table declares for the rest of the year). A reported comparable growth in ``monthly``
        (``yoy_comparable_pct``) implies the factor where the table gives none. See
        :mod:`fiscalmon.forecast.comparable`.
    members : tuple of method names
        What the combination combines (default :data:`~fiscalmon.forecast.COMBINATION_MEMBERS`: the
        historical progress ratio and the Theta and SES path models); any bureau rule or path model.
    n_paths : int
        Simulated paths per series for the fitted models.
    random_state : int
        Seed of the simulations: the same inputs give the same output.
    reference_errors : DataFrame, optional
        Error sample for series without history (default: the Texas backtest errors that ship with
        fiscalmon, :func:`fiscalmon.datasets.reference_errors`).
    progress : bool or callable
        Show a progress bar while fitting models (True), or call ``progress(text)`` at each step.

    Returns
    -------
    Projection
        ``.table``: one row per region × item × method with :data:`OUTPUT_COLUMNS` (amounts in 亿元,
        rates in percent, ``p_attain`` a probability) and :data:`EXTRA_COLUMNS` (``interval_source``:
        ``backtest`` from this series' errors at this month in past years (``backtest-panel`` when
        mostly the panel's), ``simulation`` from model paths (a statsmodels model's own, else the Theta
        path model's simulated spread around the point, until there are 8 past errors), ``reference``
        from the shipped Texas errors (a series without monthly history), ``none``;
        ``budget_source``; ``no_projection``, the reason where there is none); ``.weights`` the
        combination's weights per item; ``.notes``.

    Examples
    --------
    >>> import fiscalmon
    >>> result = fiscalmon.forecast_full_year(fiscalmon.datasets.demo_monthly(), fiscalmon.datasets.demo_annual(),
    ...                                       "2023年6月", items="gpb_revenue", regions=["652300"])
    >>> result.table[["region", "point", "lo80", "hi80", "p_attain"]]  # doctest: +SKIP
    """
    month = check.renamed(month, as_of, "month", "as_of")
    methods = check.renamed(methods, method, "methods", "method")
    monthly, annual = checked_tables(monthly, annual)
    special = check.table_like(special, "special", "special", ("region_code", "period", "item", "ytd_effect"),
                               optional=True)
    names = method_names(methods)
    members = check.names_like(members, "members", PANEL_METHODS)
    period = monthly["period"].max() if month is None else check.month_like(month)
    regions = check.codes_like(regions, "regions", monthly["region_code"].unique())
    table = monthly if regions is None else monthly[monthly["region_code"].isin(regions)]
    if table.empty:
        raise check.ArgumentError("monthly", "an empty table", "a monthly table with figures")
    at_month = table[(table["period"] == period) & (table["ytd"].notna() | table["yoy_pct"].notna())]
    if at_month.empty:
        raise check.ArgumentError("month", str(period), f"a month with figures in the table "
                                  f"({table['period'].min()} … {table['period'].max()})")
    wanted = check.items_like(items, "items", at_month["item"].unique())
    wanted = _flows_only(sorted(at_month["item"].unique()) if wanted is None else wanted, asked=wanted is not None)
    if reference_errors is None:
        from ..datasets import reference_errors as shipped

        reference_errors = shipped()
    frames, weights = [], {}
    for item in wanted:
        panel = build_panel(table, annual, items=item, last_year=period.year, special=special, live_year=period.year)
        here = panel.ytd[:, panel.year_index(period.year), period.month - 1]
        growth = panel.yoy[:, panel.year_index(period.year), period.month - 1]
        panel = panel.subset(np.isfinite(here) | np.isfinite(growth))
        if panel.n == 0:
            continue
        parts = component_points(table, annual, special, panel, period.month, members, live_year=period.year) \
            if {"combination", "components"} & set(names) else None
        # 'all' is every method that applies: the components' sum only where there are components
        applying = [n for n in names if n != "components" or parts is not None or methods != "all"]
        frame, item_weights = _forecast_panel(panel, period, applying, members, n_paths, random_state,
                                              reference_errors, progress, parts)
        frames.append(frame)
        if item_weights is not None:
            weights[item] = item_weights
    result = pd.concat(frames, ignore_index=True)
    return Projection(result, period, weights, _notes(result, weights))


def _notes(table: pd.DataFrame, weights: dict[str, CombinationWeights]) -> list[str]:
    """What a reader of the projection table should know, one line each."""
    series = table.drop_duplicates(["region_code", "item"])
    counts = series["budget_source"].fillna("").value_counts()
    lines = ["budgets: " + "; ".join(f"{count} from {BUDGET_WORDS.get(source, source)}" for source, count in counts.items())]
    for item, info in weights.items():
        if not info.plain_average:
            shares = ", ".join(f"{k} {v:.2f}" for k, v in info.weights.items())
            lines.append(f"combination weights ({item}, from {info.errors} errors in {info.years} past years): {shares}")
        else:
            lines.append(f"combination ({item}): plain average of the members each series has (only {info.years} "
                         f"past year(s) with every member's error at this month; weights need {MIN_WEIGHT_YEARS}, or "
                         f"{MIN_WEIGHT_CASES} errors in a panel)")
    missing = table[table["no_projection"] != ""]
    for (method, why), rows in missing.groupby(["requested_method", "no_projection"], sort=False):
        lines.append(f"{method}: no projection for {len(rows)} row(s): {why}")
    lines += [f"assumed: {a}" for a in sorted(set(table["assumptions"]) - {""})]
    return lines


#: How each budget source is named in the notes (fiscalmon.forecast.panel.BUDGET_SOURCES in words).
BUDGET_WORDS = {"adjusted_budget": "the annual table's adjusted budget (调整预算)",
                "budget": "the annual table's budget (年初预算)",
                "target_growth": "the annual table's growth target (last year's outturn × (1 + target))",
                "monthly_budget": "the monthly table's 年初预算 column",
                "implied_by_completion": "the printed 完成预算% (a budget back-computed from a rounded rate: "
                                         "uncertain by up to 0.005 ÷ rate of itself)",
                "": "nowhere: no budget, so no odds and no required growth"}


def _flows_only(items: list[str], asked: bool) -> list[str]:
    """A full year is a sum of months: balances (库款余额, 债务余额) have none. Asked for, that is an
    error; among every item of a table, they are left out with a warning."""
    stocks = [item for item in items if item in ITEMS and ITEMS[item].kind == "stock"]
    if stocks and asked:
        raise check.ArgumentError("items", ", ".join(stocks), "flow items (a full-year projection adds up months)",
                                  "A balance (stock) has no full year; its risk indicators are in fiscalmon.assess.")
    if stocks:
        warnings.warn(ForecastWarning(f"not projected: {', '.join(stocks)} (balances, not flows)"), stacklevel=3)
    flows = [item for item in items if item not in stocks]
    if not flows:
        raise check.ArgumentError("items", ", ".join(items), "at least one flow item with figures")
    return flows


def _forecast_panel(natural: Panel, period: pd.Period, names, members, n_paths, seed, reference, progress,
                    parts: np.ndarray | None = None):
    t, m = natural.year_index(period.year), period.month
    # Every method works on the comparable basis (special factors taken out; the same panel when none).
    panel = restated(natural)
    view = panel.as_of(period.year, m)
    runs: dict[str, _Run] = {}

    def bureau(name: str) -> _Run:
        if name not in runs:
            projection = PANEL_METHODS[name](view, t, m)
            past = past_projections(panel, m, [name], t)
            runs[name] = _Run(projection.point, past.errors(name), past_points=past.points[name],
                              assumptions=projection.assumptions)
        return runs[name]

    summed = _components_run(panel, parts, t) if parts is not None else None
    results = {}
    for name in names:
        if name in PANEL_METHODS and METHODS[name].kind == "path":
            results[name] = _path(name, bureau)
        elif name in PANEL_METHODS:
            results[name] = bureau(name)
        elif name == "components":
            results[name] = summed if summed is not None else _Run(np.full(panel.n, np.nan))
        elif name == "combination":
            results[name] = _combination(panel, view, t, m, members, bureau, parts)
        else:
            results[name] = _model(name, panel, view, t, m, n_paths, seed, bureau, progress)
    common = _common_columns(natural.as_of(period.year, m), view, t, m)
    spread = _lazy(lambda: simulated_log_spread(view, t, m, seed=seed))
    frames = [_rows(panel, period, name, run, common, reference, m, spread) for name, run in results.items()]
    return pd.concat(frames, ignore_index=True), results["combination"].weights if "combination" in results else None


def _components_run(panel: Panel, parts: np.ndarray, t: int) -> _Run:
    """The sum of the components as a method: its point this year, its errors in earlier years."""
    past = parts.copy()
    past[:, t:] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        errors = np.log(panel.outturn / past)
    return _Run(parts[:, t], np.where(np.isfinite(errors), errors, np.nan),
                assumptions=np.full(panel.n, "", dtype=object))


def _combination(panel, view, t, m, members, bureau, parts=None) -> _Run:
    past = past_projections(panel, m, [], t, {name: bureau(name).past_points.copy() for name in members})
    points = {name: bureau(name).point for name in members}
    if parts is not None:  # the components' sum joins as one more member: its past errors weight it
        members = [*members, "components"]
        past.points["components"] = np.where(np.arange(len(panel.years))[None, :] < t, parts, np.nan)
        points["components"] = parts[:, t]
    weights, years, cases = combination_weights({name: past.errors(name) for name in members})
    weighted = enough_for_weights(years, cases)
    point = combine(points, weights)
    past.points["combination"] = past_combination(past, members)
    note = (f"weights from {cases} errors in {years} past year(s) at month {m}" if weighted else
            f"plain average: only {years} past year(s) ({cases} errors) with every member's error at month {m}")
    notes = np.full(panel.n, note, dtype=object)
    assumptions = np.array(["; ".join(sorted({bureau(name).assumptions[i] for name in members if name in PANEL_METHODS}
                                             - {""})) for i in range(panel.n)], dtype=object)
    run = _Run(point, past.errors("combination"), assumptions=assumptions, notes=notes,
               used=np.full(panel.n, "combination", dtype=object),
               weights=CombinationWeights(weights if weighted else {}, years, cases))
    failed = ~np.isfinite(point)
    if failed.any():  # e.g. a report's growth path alone: no member applies, a sparse-input rule does
        run.notes[failed] = "no member could project this series; fell back"
        _fall_back(run, failed, bureau, "combination", None)
    return run


def _path(name: str, bureau) -> _Run:
    """A path model's own rows: series it cannot read (too short, a month ≤ 0 in the years it needs)
    fall back to a bureau rule, as the statsmodels models do (its run as a member is left as it is)."""
    own = bureau(name)
    n = len(own.point)
    run = _Run(own.point.copy(), own.past_errors.copy(), past_points=own.past_points,
               assumptions=own.assumptions.copy(), notes=np.full(n, "", dtype=object),
               used=np.full(n, name, dtype=object))
    failed = ~np.isfinite(run.point)
    if failed.any():
        run.notes[failed] = (f"{name}: needs {MIN_PATH_MONTHS} positive single months after three complete years "
                             "(two seasonal profiles); fell back")
        _fall_back(run, failed, bureau, name, "could not be modelled")
    return run


def _model(name, panel, view, t, m, n_paths, seed, bureau, progress) -> _Run:
    n = panel.n
    point = np.full(n, np.nan)
    samples = np.full((n, n_paths), np.nan)
    past_points = np.full((n, len(panel.years)), np.nan)
    notes = np.full(n, "", dtype=object)
    used = np.full(n, name, dtype=object)
    rows = range(n)
    if callable(progress):
        progress(f"fitting {name}")
    elif progress:
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
        _fall_back(run, failed, bureau, name, "could not be modelled")
    return run


def _fall_back(run: _Run, failed: np.ndarray, bureau, name: str, why: str | None) -> None:
    """Fill series a model (or the combination) could not handle from the first bureau method that can,
    and say so in the notes, and in a warning ``why`` they failed (none for the combination: sparse
    inputs, where only the growth-path rule applies, are an expected case)."""
    remaining = failed.copy()
    for fallback in FALLBACK_ORDER:
        other = bureau(fallback)
        take = remaining & np.isfinite(other.point)
        run.point[take] = other.point[take]
        run.past_errors[take] = other.past_errors[take]
        if run.samples is not None:
            run.samples[take] = np.nan
        run.assumptions[take] = other.assumptions[take]
        run.used[take] = fallback
        run.notes[take] = run.notes[take] + f" to {fallback}"
        remaining &= ~take
    if why is None:
        return
    stranded = f", {int(remaining.sum())} of them with no projection at all" if remaining.any() else ""
    warnings.warn(ForecastWarning(
        f"{name}: {int(failed.sum())} series {why} and fell back to a bureau method{stranded} "
        "(see the 'note' column)"), stacklevel=4)


def _common_columns(view: Panel, comparable: Panel, t: int, m: int) -> dict[str, np.ndarray]:
    """The columns every method's rows share, on the natural basis (``view``) and the comparable one."""
    prior = prior_ytd(view, t, m)
    ytd = view.ytd[:, t, m - 1]
    ytd = np.where(np.isfinite(ytd), ytd, prior * (1 + view.yoy[:, t, m - 1] / 100))
    budget = view.budget[:, t]
    shares = past_progress(view, t, m, PROGRESS_YEARS)
    hist = np.where(np.isfinite(shares).sum(axis=1) >= 1, robust_mean(shares) * 100, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        completion = np.where(budget > 0, ytd / budget * 100, np.nan)
    natural_growth = np.where(np.isfinite(view.yoy[:, t, m - 1]), view.yoy[:, t, m - 1], growth_pct(ytd, prior))
    underlying = ytd - np.nan_to_num(comparable.special[:, t, m - 1])
    comparable_growth = np.where(np.isfinite(comparable.yoy[:, t, m - 1]), comparable.yoy[:, t, m - 1],
                                 growth_pct(underlying, prior_ytd(comparable, t, m)))
    special = comparable.special[:, t, m - 1]
    return {"ytd": ytd, "prior": prior, "last_year_outturn": last_outturn(view, t), "budget": budget,
            "budget_source": view.budget_source[:, t], "completion_pct": completion,
            "time_progress_pct": np.full(view.n, time_progress_pct(pd.Period(year=int(view.years[t]), month=m, freq="M"))),
            "hist_progress_pct": hist, "yoy_pct": natural_growth, "yoy_comparable_pct": comparable_growth,
            "special_ytd": np.nan_to_num(special), "special_full_year": added_back(comparable, t, m, declared=True),
            "special_source": comparable.special_source[:, t],
            "special_last_year": comparable.special[:, t - 1, 11] if t > 0 else np.zeros(view.n)}


def _lazy(make):
    """``make()`` computed at the first call only (the simulation is needed only without past errors)."""
    made = []
    return lambda: made[0] if made else made.append(make()) or made[0]


def _rows(panel: Panel, period, name: str, run: _Run, common, reference: pd.DataFrame, m: int,
          spread) -> pd.DataFrame:
    n = panel.n
    bounds = {f"{side}{level}": np.full(n, np.nan) for level in iv.LEVELS for side in ("lo", "hi")}
    p_attain = np.full(n, np.nan)
    source = np.full(n, "none", dtype=object)
    # The methods projected the underlying year: this year's special factors are added back to the point,
    # the interval and the samples, and the odds are of the underlying year reaching the budget less them.
    added = common["special_full_year"]
    point, budget = run.point, common["budget"] - added
    used = run.used if run.used is not None else np.full(n, name, dtype=object)  # after any fall-back

    errors = run.past_errors if run.past_errors is not None else np.full((n, 1), np.nan)
    own = np.isfinite(errors).sum(axis=1)
    if np.isfinite(errors).sum() >= iv.MIN_ERRORS:
        scales, _ = iv.series_scales(errors)
        z = iv.standardised(errors, scales)
        calibrated = np.isfinite(point)
        _fill(bounds, p_attain, calibrated, point, budget, scales, z, spread())
        source[calibrated] = np.where(own[calibrated] >= 3, "backtest", "backtest-panel")
    if run.samples is not None:
        simulated = (source == "none") & np.isfinite(run.samples).all(axis=1)
        if simulated.any():
            drawn = iv.sample_intervals(run.samples[simulated], budget[simulated])
            for key in bounds:
                bounds[key][simulated] = drawn[key]
            p_attain[simulated] = drawn["p_attain"]
            source[simulated] = "simulation"
    if ((source == "none") & np.isfinite(point)).any():  # the Theta model's simulated spread around the point
        drawn = iv.spread_intervals(np.where(source == "none", point, np.nan), spread(), budget)
        simulated = np.isfinite(drawn["lo80"])
        for key in bounds:
            bounds[key][simulated] = drawn[key][simulated]
        p_attain[simulated] = drawn["p_attain"][simulated]
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

    point = point + added
    for key in bounds:
        bounds[key] = bounds[key] + added
    budget = common["budget"]
    prior_rest = np.where(np.isfinite(common["last_year_outturn"]), common["last_year_outturn"] - common["prior"],
                          common["prior"] * (12 - m) / m)
    with np.errstate(invalid="ignore", divide="ignore"):
        required = np.where(prior_rest > 0, ((budget - common["ytd"]) / prior_rest - 1) * 100, np.nan)
    reached = budget <= common["ytd"]
    required[reached] = np.nan  # nothing more is needed: say so instead of a growth below −100%
    assumptions = run.assumptions if run.assumptions is not None else np.full(n, "", dtype=object)
    assumptions = assumptions.copy()
    special_source = np.where((common["special_source"] == "") & (np.nan_to_num(common["special_last_year"]) != 0),
                              "last_year", common["special_source"])
    special = special_source != ""
    if special.any():
        assumptions[special] = [_comparable_assumption(a, s, common["special_full_year"][i], common["special_ytd"][i],
                                                       common["special_last_year"][i])
                                for i, (a, s) in enumerate(zip(assumptions, special_source)) if special[i]]
    estimated = ~np.isfinite(common["last_year_outturn"]) & np.isfinite(required)
    assumptions[estimated] = [a if "estimated" in a else "; ".join(filter(None, [a, "required growth: last year's "
                              "remaining months estimated as equal months"])) for a in assumptions[estimated]]
    notes = run.notes.copy() if run.notes is not None else np.full(n, "", dtype=object)
    notes[reached] = [f"{x}; budget already reached" if x else "budget already reached" for x in notes[reached]]
    missing = np.full(n, "", dtype=object)
    for i in np.flatnonzero(~np.isfinite(point)):
        missing[i] = _why_no_projection(used[i], common, i, period)
    frame = pd.DataFrame({
        "region_code": panel.keys["region_code"], "region": panel.keys["region"], "item": panel.keys["item"],
        "as_of": str(period), "ytd": common["ytd"], "last_year_outturn": common["last_year_outturn"],
        "budget": budget, "completion_pct": common["completion_pct"],
        "time_progress_pct": common["time_progress_pct"], "hist_progress_pct": common["hist_progress_pct"],
        "point": point, **bounds, "p_attain": p_attain, "required_rest_growth_pct": required,
        "method": used, "requested_method": name, "interval_source": source,
        "budget_source": common["budget_source"], "no_projection": missing, "past_years": own,
        "yoy_pct": common["yoy_pct"], "yoy_comparable_pct": common["yoy_comparable_pct"],
        "special_ytd": common["special_ytd"], "special_full_year": common["special_full_year"],
        "assumptions": assumptions, "note": notes,
    })
    return frame[OUTPUT_COLUMNS + EXTRA_COLUMNS]


def _comparable_assumption(assumed: str, source: str, full_year: float, to_date: float, last_year: float) -> str:
    """What the comparable basis assumed, for the assumptions column."""
    said = {"table": f"projected on the comparable basis (可比口径): special factors taken out of every year, "
                     f"this year's added back ({full_year:.6g}亿元 in the full year, {to_date:.6g}亿元 to date)",
            "last_year": f"projected on the comparable basis (可比口径): last year's special factors "
                         f"({last_year:.6g}亿元 in its full year) taken out of its figures; none this year",
            "implied": f"projected on the comparable basis (可比口径): the effect implied by the reported comparable "
                       f"growth ({to_date:.6g}亿元 to date) booked to this year and assumed to stay at that amount "
                       "for the rest of the year"}[source]
    return "; ".join(filter(None, [assumed, said]))


def _why_no_projection(method: str, common, i: int, period) -> str:
    """Which input a method lacked for series ``i``, in words an analyst can act on."""
    if not np.isfinite(common["ytd"][i]):
        return (f"no YTD amount at {period}, and no YTD of the same month last year to turn the reported "
                "growth into one")
    if method == "combination":
        return "none of its members could project this series (see their rows)"
    if method == "components":
        return "needs 税收收入 and 非税收入 of this region (their projections are added)"
    if method == "progress_ratio":
        return (f"needs the share of the full year reached by month {period.month} in at least two past years "
                "(their monthly YTD and full-year amounts)")
    if not np.isfinite(common["last_year_outturn"][i]):
        return "needs last year's full-year amount (an annual table, or last year's December YTD)"
    return "its inputs for this series are incomplete or not positive"


def _fill(bounds, p_attain, rows, point, budget, scales, z, spread=None) -> None:
    drawn = iv.intervals(point[rows], scales[rows], z, spread=None if spread is None else spread[rows])
    for key in bounds:
        bounds[key][rows] = drawn[key]
    p_attain[rows] = iv.attain_probability(point[rows], budget[rows], scales[rows], z)
