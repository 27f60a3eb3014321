"""fiscalmon against statsforecast on the real Texas series: full-year accuracy and 80% intervals, side by side.

    .venv-bench/bin/python benchmarks/peer.py           # months 3–9, writes benchmarks/PEER.md (~15 min)
    .venv-bench/bin/python benchmarks/peer.py --log     # also the peer fitted in logs (rows *_log; ~28 min)
    .venv-bench/bin/python benchmarks/peer.py --fiscalmon-models   # also fiscalmon's own ets, sarima (+14 min)
    .venv-bench/bin/python benchmarks/peer.py --quick   # months 3 and 9, 500 paths: a smoke test (~3 min)

(benchmarks/PEER.md holds the plain run: the issue's table first, then the detail.)

statsforecast is an optional extra (``pip install -e ".[bench]"``); it pins pandas < 3, so it lives in its
own environment here (see benchmarks/PEER.md). Nothing in ``fiscalmon/`` imports it.

Protocol (the project's own backtest rule): fiscalmon's ``backtest(..., min_train_years=5).detail``
decides the scored cases (series × fiscal year × as-of month). For each case the peer is fitted on the
single-month series known at the end of that month (every earlier month: an expanding window), forecasts
the remaining 12 − m months, and projects YTD + their sum. Its 80% interval comes from simulated paths
(YTD + the sum of each path), never from summing monthly bounds. Every score is computed by fiscalmon's
own ``summarise``, on one table holding both sides.

Data: data/real/ through ``fiscalmon.datasets.texas``: fiscal year N (September N−1 … August N) is laid
on the 12 periods of year N (fiscal month k → period N-k), months are cumulated into YTD, the
workbook's fiscal-year totals are the outturns, amounts are in 100 million US dollars.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the working tree's fiscalmon, not an installed copy

import fiscalmon  # noqa: E402
from fiscalmon.forecast.backtest import DETAIL_COLUMNS, summarise  # noqa: E402

try:
    import statsforecast
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta
except ImportError:  # pragma: no cover - the message is the point
    sys.exit("statsforecast is not installed. It pins pandas < 3, so give it its own environment:\n"
             "    python -m venv --system-site-packages .venv-bench\n"
             "    .venv-bench/bin/pip install 'statsforecast>=2.0'\n"
             "    .venv-bench/bin/python benchmarks/peer.py")

SERIES = {"Texas total tax collections": "total_tax_collections", "Texas sales taxes": "sales_taxes"}
FISCALMON_METHODS = ("combination", "progress_ratio", "ses", "theta", "damped", "carry_forward", "blended",
                     "growth_path")
PEER_MODELS = {"AutoETS": AutoETS, "AutoARIMA": AutoARIMA, "AutoTheta": AutoTheta}
MIN_TRAIN_YEARS = 5
SEASON = 12

#: How each peer model's interval is made (printed with the results).
INTERVAL_METHOD = {
    "AutoETS": "simulated paths (statsforecast simulate; phi set to 1 for an undamped trend first, see below)",
    "AutoARIMA": "simulated paths (statsforecast simulate)",
    "AutoTheta": "simulated paths (statsforecast simulate)",
    "ensemble": "mean of the three models' simulated bounds (quantile averaging)",
}


# --------------------------------------------------------------------------------------------- data


def single_months(monthly: pd.DataFrame) -> tuple[np.ndarray, dict[tuple[int, int], int]]:
    """One series' single-month amounts in time order, and the position of each (year, month).

    The canonical table holds YTD amounts; a month's own amount is its YTD less the month before's
    (month 1 is its own YTD).
    """
    ordered = monthly.sort_values("period")
    years = ordered["period"].dt.year.to_numpy()
    months = ordered["period"].dt.month.to_numpy()
    ytd = ordered["ytd"].to_numpy(dtype=float)
    previous = np.concatenate([[np.nan], ytd[:-1]])
    values = np.where(months == 1, ytd, ytd - previous)
    if np.isnan(values).any() or np.any(np.diff(years * 12 + months) != 1):
        raise ValueError("the series has a gap; the peer needs every month")
    return values, {(int(y), int(m)): k for k, (y, m) in enumerate(zip(years, months))}


# ------------------------------------------------------------------------------------- fiscalmon side


def fiscalmon_detail(monthly: pd.DataFrame, annual: pd.DataFrame, months, methods=None) -> tuple[pd.DataFrame, float]:
    """fiscalmon's backtest detail (every scored case; the default methods unless told) and its seconds."""
    start = time.perf_counter()
    detail = fiscalmon.backtest(monthly, annual, items="tax_revenue", months=months, methods=methods,
                                min_train_years=MIN_TRAIN_YEARS).detail
    return detail, time.perf_counter() - start


def panel_detail(months) -> pd.DataFrame:
    """fiscalmon's default methods backtested on both Texas series as one two-series panel.

    In a panel the interval pools the (scaled) errors of both series, and the combination's weights
    are learned on both, so its intervals and points differ from the one-series runs. Methods are
    renamed ``<method> (panel)``.
    """
    tables = [fiscalmon.datasets.texas(key) for key in SERIES.values()]
    sales = {k: tables[1][k].assign(region_code="TX-sales") for k in (0, 1)}
    monthly = pd.concat([tables[0][0], sales[0]], ignore_index=True)
    annual = pd.concat([tables[0][1], sales[1]], ignore_index=True)
    detail, _ = fiscalmon_detail(monthly, annual, months)
    return detail.assign(method=detail["method"] + " (panel)")


# ------------------------------------------------------------------------------------------ peer side


def undamped_phi_fixed(model: dict) -> dict:
    """A copy of a fitted statsforecast ETS model whose ``phi`` is 1 when the trend is not damped.

    statsforecast 2.1.1 stores phi as NaN for an undamped trend; ``predict`` then uses 1, but
    ``simulate`` turns the NaN into 0, which drops the trend from every simulated path.
    """
    trend, damped = model["components"][1], model["components"][3]
    if trend == "N" or damped != "N" or not np.isnan(model["par"][3]):
        return model
    par = np.array(model["par"], dtype=float)
    par[3] = 1.0
    return {**model, "par": par}


@dataclass
class PeerFit:
    """One model's projection of one case: the full-year point and simulated full-year totals."""

    point: float
    totals: np.ndarray


def fit_peer(name: str, history: np.ndarray, ytd_now: float, steps: int, n_paths: int, seed: int,
             log: bool) -> tuple[PeerFit, bool]:
    """Fit statsforecast's ``name`` to ``history``, forecast ``steps`` months, simulate ``n_paths`` paths.

    With ``log`` the model is fitted to log amounts and its forecasts and paths are exponentiated
    (the point is then the sum of the exponentiated forecasts, the median path month by month).
    Also says whether phi had to be fixed (:func:`undamped_phi_fixed`).
    """
    y = np.log(history) if log else history
    back = np.exp if log else (lambda v: v)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = PEER_MODELS[name](season_length=SEASON).fit(y)
        fixed = undamped_phi_fixed(model.model_) if name == "AutoETS" else model.model_
        phi_fixed, model.model_ = fixed is not model.model_, fixed
        forecast = np.asarray(model.predict(h=steps)["mean"], dtype=float)
        paths = np.asarray(model.simulate(h=steps, n_paths=n_paths, seed=seed), dtype=float)
    return PeerFit(ytd_now + float(back(forecast).sum()), ytd_now + back(paths).sum(axis=1)), phi_fixed


def bounds(totals: np.ndarray) -> dict[str, float]:
    """Central 80% and 95% bounds of simulated full-year totals."""
    lo80, hi80, lo95, hi95 = np.quantile(totals, [0.10, 0.90, 0.025, 0.975])
    return {"lo80": lo80, "hi80": hi80, "lo95": lo95, "hi95": hi95}


@dataclass
class PeerRun:
    """The peer's projections of every case of one series, and the seconds each model took."""

    rows: list[dict] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    phi_fixed: dict[str, int] = field(default_factory=dict)  # AutoETS fits whose undamped phi was set to 1


def peer_cases(monthly: pd.DataFrame, cases: pd.DataFrame, n_paths: int, variants: list[bool],
               series_number: int) -> PeerRun:
    """Project every case (a row of ``cases``: keys, year, as_of_month, actual) with every peer model."""
    values, position = single_months(monthly)
    ytd = monthly.set_index("period")["ytd"]
    run = PeerRun()
    for case_number, case in enumerate(cases.itertuples(index=False)):
        year, m = int(case.year), int(case.as_of_month)
        known = position[(year, m)] + 1
        ytd_now = float(ytd[pd.Period(year=year, month=m, freq="M")])
        base = {"region_code": case.region_code, "region": case.region, "item": case.item, "year": year,
                "as_of_month": m, "actual": case.actual, "budget": np.nan, "p_attain": np.nan}
        for log in variants:
            suffix = "_log" if log else ""
            fits = {}
            for model_number, name in enumerate(PEER_MODELS):
                seed = series_number * 1_000_000 + case_number * 10 + model_number
                start = time.perf_counter()
                try:
                    fits[name], phi_fixed = fit_peer(name, values[:known], ytd_now, SEASON - m, n_paths, seed, log)
                    run.phi_fixed[name + suffix] = run.phi_fixed.get(name + suffix, 0) + phi_fixed
                except Exception as exc:  # noqa: BLE001 - a failed fit is reported, not fatal
                    run.failures.append(f"{name}{suffix} {year} month {m}: {type(exc).__name__}: {exc}")
                run.seconds[name + suffix] = run.seconds.get(name + suffix, 0.0) + time.perf_counter() - start
            for name, fit in fits.items():
                run.rows.append({**base, "method": name + suffix, "point": fit.point, **bounds(fit.totals)})
            if len(fits) == len(PEER_MODELS):
                run.rows.append({**base, "method": "ensemble" + suffix, **ensemble(list(fits.values()))})
    return run


def ensemble(fits: list[PeerFit]) -> dict[str, float]:
    """Equal-weight ensemble: the mean of the full-year points, and the mean of each bound."""
    each = pd.DataFrame([bounds(fit.totals) for fit in fits])
    return {"point": float(np.mean([fit.point for fit in fits])), **each.mean().to_dict()}


# ------------------------------------------------------------------------------------------- scoring


def with_interval(detail: pd.DataFrame) -> pd.Series:
    return detail["lo80"].notna() & detail["hi80"].notna()


def interval_scores(detail: pd.DataFrame) -> pd.DataFrame:
    """Per method, pooled over every month and year that had an 80% interval: n, coverage, width, Winkler."""
    rows = detail[with_interval(detail)]
    pooled = summarise(rows.assign(as_of_month=0)).set_index("method")
    width = ((rows["hi80"] - rows["lo80"]) / rows["actual"] * 100).groupby(rows["method"]).mean()
    return pd.DataFrame({"n with interval": pooled["n"], "coverage80": pooled["coverage80"],
                         "width80 %": width, "Winkler80": pooled["winkler80"]})


def series_table(detail: pd.DataFrame, methods: list[str]) -> pd.DataFrame:
    """One row per method: MAPE at each month, its mean, bias, and the interval scores over all cases."""
    summary = summarise(detail)
    mape = summary.pivot(index="method", columns="as_of_month", values="mape")
    mape.columns = [f"m{m}" for m in mape.columns]
    table = mape.assign(**{"mean MAPE": mape.mean(axis=1)})
    table["bias %"] = summarise(detail.assign(as_of_month=0)).set_index("method")["bias_pct"]
    table = table.join(interval_scores(detail))
    table["cases"] = detail.groupby("method").size()
    return table.reindex([m for m in methods if m in table.index])


#: Scoring starts after MIN_TRAIN_YEARS; errors exist from the second year on, so 8 of them (conformal
#: intervals) from this many scored years in.
CONFORMAL_AFTER = 8 - (MIN_TRAIN_YEARS - 1)


def common_cases(detail: pd.DataFrame) -> pd.DataFrame:
    """The rows of the later cases: the years where fiscalmon has 8 past errors at each month (its interval
    then rests on them; before, on the simulated spread alone)."""
    return detail[detail["year"] >= int(detail["year"].min()) + CONFORMAL_AFTER]


def yearly_errors(detail: pd.DataFrame, methods: list[str], signed: bool = False) -> pd.DataFrame:
    """Mean (absolute, or ``signed``) percentage error of each scored year over the months, per method."""
    d = detail[detail["method"].isin(methods)]
    rel = (d["point"] / d["actual"] - 1) * 100
    table = (rel if signed else rel.abs()).groupby([d["year"], d["method"]]).mean().unstack("method")
    return table[[m for m in methods if m in table.columns]]


# -------------------------------------------------------------------------------------------- output


def markdown(table: pd.DataFrame, digits: int = 2, index_name: str = "method") -> list[str]:
    """A pandas table as a Markdown pipe table (numbers rounded to ``digits``)."""
    def cell(v):
        if isinstance(v, (float, np.floating)):
            return "" if np.isnan(v) else f"{v:.{digits}f}"
        return str(v)
    header = [index_name, *map(str, table.columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * len(table.columns)) + "|"]
    for name, row in table.iterrows():
        lines.append("| " + " | ".join([str(name), *(cell(v) for v in row)]) + " |")
    return lines


def issue_table(details: list[pd.DataFrame]) -> list[str]:
    """The issue's table (MAPE %, mean over the months) with fiscalmon's combination first, then the
    80% interval scores of the combination and the peer ensemble over every scored case."""
    mape_of = ["combination", "progress_ratio", "AutoETS", "AutoTheta", "ensemble"]
    rows, scores = {}, {}
    for label, detail in zip(SERIES, details):
        table = series_table(detail, [*mape_of, "theta"])
        rows[label] = table["mean MAPE"].reindex(mape_of)
        for name in ("combination", "ensemble"):
            scores[(label, name)] = table.loc[name, ["n with interval", "coverage80", "width80 %", "Winkler80"]]
    mape = pd.DataFrame(rows).T
    both = pd.concat(details, ignore_index=True)
    pooled = interval_scores(both).reindex(["combination", "ensemble"])
    intervals = pd.DataFrame({f"{label}: {name}": v for (label, name), v in scores.items()}).T
    intervals.loc["both pooled: combination"] = pooled.loc["combination"]
    intervals.loc["both pooled: ensemble"] = pooled.loc["ensemble"]
    intervals["n with interval"] = intervals["n with interval"].astype(int)
    return ["### The issue's table (issue 16), this run", "",
            "MAPE % of the full-year projection, mean over as-of months; `combination` is fiscalmon's default "
            "(members progress_ratio, ses, theta, weighted per as-of month by their past errors):", "",
            *markdown(mape, index_name="series"), "",
            "80% intervals over every scored case (fiscalmon: the Theta model's simulated spread until 8 past "
            "errors exist, then the conformal bounds averaged with it; peer: simulated paths):", "",
            *markdown(intervals.astype({"n with interval": object}), index_name="series: method"), ""]


def report_series(label: str, detail: pd.DataFrame, methods: list[str], months) -> list[str]:
    table = series_table(detail, methods)
    common = interval_scores(common_cases(detail)).reindex(methods)
    first = int(detail["year"].min())
    first_interval = first + CONFORMAL_AFTER
    return [
        f"### {label}", "",
        f"scored fiscal years {first}–{int(detail['year'].max())}, as-of months {', '.join(map(str, months))}: "
        f"{table['cases'].max()} cases per method. MAPE and bias in % of the outturn; coverage, width "
        "(hi80 − lo80 in % of the outturn) and Winkler 80 over the cases that had an interval.", "",
        *markdown(table.astype({"cases": object, "n with interval": object})), "",
        f"The same interval scores on the common cases only (fiscal years {first_interval}–"
        f"{int(detail['year'].max())}, where fiscalmon has 8 past errors at each month):", "",
        *markdown(common.astype({"n with interval": object})), "",
    ]


def report_pooled(details: list[pd.DataFrame], panel: pd.DataFrame, methods: list[str]) -> list[str]:
    both = pd.concat(details, ignore_index=True)
    methods = [*methods, *(m + " (panel)" for m in FISCALMON_METHODS)]
    both = pd.concat([both, panel.assign(region_code="TX")], ignore_index=True)  # the series' own keys again
    return [
        "### Both series pooled", "",
        "Rows `(panel)`: fiscalmon's backtest run once on both series as one two-series panel (errors pooled "
        "across the series for the intervals, combination weights learned on both), instead of once per series.", "",
        "Interval scores over every case with an interval, then over the common cases:", "",
        *markdown(interval_scores(both).reindex(methods).astype({"n with interval": object})), "",
        *markdown(interval_scores(common_cases(both)).reindex(methods).astype({"n with interval": object})), "",
        "MAPE (mean over the months) per series and pooled:", "",
        *markdown(pd.DataFrame({label: series_table(both[both["region"] == label], methods)["mean MAPE"]
                                for label in SERIES} | {"pooled": series_table(both, methods)["mean MAPE"]})), "",
    ]


def report_years(label: str, detail: pd.DataFrame) -> list[str]:
    methods = ["combination", "progress_ratio", "theta", "ets", "AutoETS", "AutoARIMA", "AutoTheta", "ensemble"]
    return [f"{label}: % error of each fiscal year (projection ÷ outturn − 1), mean over the as-of months; "
            "absolute first, then signed", "",
            *markdown(yearly_errors(detail, methods), index_name="fiscal year"), "",
            *markdown(yearly_errors(detail, methods, signed=True), index_name="fiscal year"), "",
            f"diagnostic, not a method: MAPE of the plain mean of fiscalmon's combination and the peer ensemble "
            f"{blend_mape(detail, 'combination', 'ensemble'):.2f} (combination "
            f"{blend_mape(detail, 'combination', 'combination'):.2f}, ensemble {blend_mape(detail, 'ensemble', 'ensemble'):.2f})", ""]


def blend_mape(detail: pd.DataFrame, first: str, second: str) -> float:
    """MAPE of the mean of two methods' points, case by case."""
    keys = ["region_code", "region", "year", "as_of_month"]
    points = detail.pivot_table(index=keys, columns="method", values="point")
    actual = detail.groupby(keys)["actual"].first().reindex(points.index)
    blend = (points[first] + points[second]) / 2
    return float(((blend / actual - 1).abs() * 100).mean())


def report_timing(fiscalmon_seconds: dict, peer_runs: dict, n_paths: int) -> list[str]:
    """Seconds per series: fiscalmon's backtest calls, then each peer model (all its cases)."""
    rows = {label: {**{f"fiscalmon: {k}": v for k, v in fiscalmon_seconds[label].items()},
                    **{f"peer: {k}": v for k, v in run.seconds.items()}, "peer total": sum(run.seconds.values())}
            for label, run in peer_runs.items()}
    return ["### Time (seconds, this run, one process)", "",
            *markdown(pd.DataFrame(rows).T, digits=1, index_name="series"), "",
            f"(fiscalmon: one `backtest` call per line over all the cases; `ets + sarima` refit statsmodels "
            f"models at every year and month. Peer: fit + forecast + {n_paths:,} simulated paths per case and model.)",
            ""]


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"statsforecast {statsforecast.__version__}, numpy {np.__version__}, pandas {pd.__version__}, "
            f"fiscalmon {fiscalmon.__version__ if hasattr(fiscalmon, '__version__') else '(working tree)'}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="as-of months 3 and 9 and 500 paths (smoke test)")
    parser.add_argument("--log", action="store_true", help="also fit the peer in logs (methods *_log)")
    parser.add_argument("--paths", type=int, default=None, help="simulated paths per case (default 2,000)")
    parser.add_argument("--fiscalmon-models", action="store_true",
                        help="also backtest fiscalmon's own ets and sarima (refitted at every year and month; slow)")
    args = parser.parse_args(argv)
    months = (3, 9) if args.quick else tuple(range(3, 10))
    n_paths = args.paths or (500 if args.quick else 2000)
    variants = [False, True] if args.log else [False]
    peer_names = [name + s for s in (["", "_log"] if args.log else [""]) for name in [*PEER_MODELS, "ensemble"]]
    own_models = ["ets", "sarima"] if args.fiscalmon_models else []
    methods = [*FISCALMON_METHODS, *own_models, *peer_names]

    details, fm_seconds, peer_runs = [], {}, {}
    for number, (label, key) in enumerate(SERIES.items()):
        monthly, annual = fiscalmon.datasets.texas(key)
        fm, seconds = fiscalmon_detail(monthly, annual, months)
        fm_seconds[label] = {"panel methods + combination": seconds}
        if own_models:
            print(f"{label}: fiscalmon's ets and sarima …", file=sys.stderr, flush=True)
            models, fm_seconds[label]["ets + sarima"] = fiscalmon_detail(monthly, annual, months, own_models)
            fm = pd.concat([fm, models], ignore_index=True)
        cases = fm[fm["method"] == "combination"][["region_code", "region", "item", "year", "as_of_month", "actual"]]
        print(f"{label}: {len(cases)} cases, fitting the peer …", file=sys.stderr, flush=True)
        peer_runs[label] = peer_cases(monthly, cases, n_paths, variants, number)
        peer = pd.DataFrame(peer_runs[label].rows)[DETAIL_COLUMNS]
        details.append(pd.concat([fm, peer], ignore_index=True))
    panel = panel_detail(months)

    command = "python benchmarks/peer.py" + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
    lines = [
        "# fiscalmon against statsforecast (Texas, real)", "",
        f"command: `{command}` (from the repository root, in the environment that has statsforecast)  ",
        f"machine: {machine()}", "",
        "Environment: statsforecast 2.1.1 requires pandas < 3, so it is installed in its own virtual environment "
        "(`python -m venv --system-site-packages .venv-bench && .venv-bench/bin/pip install 'statsforecast>=2.0'`, "
        "git-ignored) rather than beside the project's pandas 3; the script imports the working tree's fiscalmon.", "",
        "Data: data/real/ through `fiscalmon.datasets.texas`: fiscal year N (September N−1 to August N) is laid on "
        "the 12 periods of year N (fiscal month k → period N-k); months cumulated into YTD; the workbook's "
        "fiscal-year totals are the outturns; amounts in 100 million US dollars.", "",
        "Protocol: the cases are exactly those of `fiscalmon.backtest(..., min_train_years=5, detail=True)`. "
        "At each case the peer is refitted on every single month known at the end of the as-of month "
        "(expanding window), forecasts the rest of the fiscal year, and projects YTD + the forecasts' sum. "
        "The peer is fitted on the raw single-month amounts, as a user would"
        + (" (rows `*_log`: fitted on log amounts, paths exponentiated)" if args.log else "") + ". "
        "All scores come from fiscalmon's own `summarise` on one table holding both sides.", "",
        "80% intervals: fiscalmon's from the Theta path model's simulated spread around each method's point "
        "until 8 earlier errors exist (interval_source `simulation`), then the conformal bounds from the errors of "
        "earlier years averaged in logs with that simulated spread (`backtest`); the peer's:", "",
        *[f"- {name}: {how}" for name, how in INTERVAL_METHOD.items()], "",
        "statsforecast fix: 2.1.1 stores phi = NaN for an undamped ETS trend and `simulate` turns it into 0 "
        "(the trend vanishes from every path, while `predict` uses 1); phi is set to 1 on the fitted model "
        "before simulating.", "",
    ]
    lines += issue_table(details)
    for label, detail in zip(SERIES, details):
        lines += report_series(label, detail, methods, months)
    lines += report_pooled(details, panel, methods)
    lines += ["### Where the errors are", ""]
    for label, detail in zip(SERIES, details):
        lines += report_years(label, detail)
    lines += report_timing(fm_seconds, peer_runs, n_paths)
    lines += ["AutoETS fits with an undamped trend, whose phi was set to 1 before simulating (of all its fits): "
              + "; ".join(f"{label}: " + ", ".join(f"{name} {n}" for name, n in run.phi_fixed.items() if "ETS" in name)
                          for label, run in peer_runs.items()), ""]
    failures = [f for run in peer_runs.values() for f in run.failures]
    lines += [f"peer fits that failed: {len(failures)}", *[f"- {f}" for f in failures], ""]
    text = "\n".join(lines)
    print(text)
    if not args.quick:
        (HERE / "PEER.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
