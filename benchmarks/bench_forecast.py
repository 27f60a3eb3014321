"""Accuracy and speed of the full-year projection, measured in one run.

    python benchmarks/bench_forecast.py            # everything (a few minutes)
    python benchmarks/bench_forecast.py --quick    # smaller speed run

Accuracy: MAPE and 80% interval coverage of every method and the combination at as-of months 3, 6
and 9 (verdicts at every month 3–9, beside the best weighting chosen with hindsight), backtested (expanding window: every year's interval comes from earlier years only) on
- the REAL Texas series in data/real/ (total tax collections and sales taxes, FY2003–FY2025, each
  alone and both as one two-series panel, whose errors are pooled as a county panel's are;
  fiscal month k is mapped to period k of the fiscal year, months cumulated into YTD, the fiscal-year
  totals taken as outturns, amounts rescaled to 100 million dollars);
- the SYNTHETIC demo panel (126 Xinjiang regions, 2013–2022 outturns).

Speed: the full projection with intervals (the default combination) for 3,000 SYNTHETIC counties ×
10 years of monthly history, beside a plain loop of statsmodels ETS fits over the same counties (the
approach a user would write by hand), timed on a sample of them in the same run.
"""

from __future__ import annotations

import argparse
import resource
import time
import warnings

import numpy as np
import pandas as pd
from scipy.optimize import linprog

import fiscalmon
from fiscalmon.forecast import METHODS
from fiscalmon.forecast import COMBINATION_MEMBERS

MONTHS = (3, 6, 9)
VERDICT_MONTHS = tuple(range(3, 10))
BUREAU = ("carry_forward", "progress_ratio")


def hindsight_mape(detail: pd.DataFrame, month: int) -> float:
    """MAPE of the best fixed weighting of the combination's members chosen *with hindsight*.

    The weights (non-negative, summing to one) minimise the mean absolute percentage error over the
    very years being scored: a linear programme. No combination whose weights are learned from
    earlier years can expect to do better, so this is the floor the combination is judged against.
    """
    rows = detail[(detail["as_of_month"] == month) & detail["method"].isin(COMBINATION_MEMBERS)]
    ratio = rows.pivot_table(index=["region_code", "year"], columns="method", values="point").dropna()
    actual = rows.groupby(["region_code", "year"])["actual"].first().reindex(ratio.index)
    r = (ratio.to_numpy() / actual.to_numpy()[:, None])  # cases × members
    cases, members = r.shape
    # variables: weights w (members), absolute misses u (cases); minimise Σu with u ≥ ±(r·w − 1)
    cost = np.concatenate([np.zeros(members), np.ones(cases)])
    bounds_matrix = np.block([[r, -np.eye(cases)], [-r, -np.eye(cases)]])
    bounds_vector = np.concatenate([np.ones(cases), -np.ones(cases)])
    solved = linprog(cost, A_ub=bounds_matrix, b_ub=bounds_vector,
                     A_eq=np.concatenate([np.ones(members), np.zeros(cases)])[None, :], b_eq=[1.0],
                     bounds=[(0, None)] * (members + cases))
    return float(solved.fun / cases * 100)


def attainment(detail: pd.DataFrame) -> list[str]:
    """How honest ``p_attain`` was: Brier score against always saying the base rate, and a reliability
    table (mean predicted probability beside the share of years that did reach the budget)."""
    rows = detail[(detail["method"] == "combination") & detail["p_attain"].notna() & detail["budget"].notna()]
    rows = rows.assign(reached=(rows["actual"] >= rows["budget"]).astype(float))
    lines = []
    for month, group in rows.groupby("as_of_month"):
        base = group["reached"].mean()
        brier = ((group["p_attain"] - group["reached"]) ** 2).mean()
        lines.append(f"- month {month}: {len(group)} county-years, Brier score {brier:.3f} vs {((base - group['reached']) ** 2).mean():.3f} "
                     f"for always saying the base rate {base:.2f}")
    bins = pd.cut(rows["p_attain"], [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0], include_lowest=True)
    table = rows.groupby([bins, "as_of_month"], observed=True).agg(predicted=("p_attain", "mean"), reached=("reached", "mean"),
                                                                    n=("reached", "size")).unstack("as_of_month")
    return lines + ["", "reliability (mean p_attain and share that reached the budget, by as-of month):", "", "```",
                    table.round(2).to_string(), "```", ""]


def accuracy() -> list[str]:
    lines = ["### Accuracy (backtest, expanding window)", ""]
    total, sales = fiscalmon.datasets.texas("total_tax_collections"), fiscalmon.datasets.texas("sales_taxes")
    both = [pd.concat([total[k], sales[k].assign(region_code="TX-sales")], ignore_index=True) for k in (0, 1)]
    datasets = {
        "Texas total tax collections (real)": (*total, "tax_revenue", 5),
        "Texas sales taxes (real)": (*sales, "tax_revenue", 5),
        "Texas, both series as one panel (real)": (*both, "tax_revenue", 5),
        "demo panel, gpb_revenue (synthetic)": (fiscalmon.datasets.demo_monthly(), fiscalmon.datasets.demo_annual(),
                                                "gpb_revenue", 3),
    }
    verdicts, met, cells = [], 0, 0
    for label, (monthly, annual, item, train) in datasets.items():
        result = fiscalmon.backtest(monthly, annual, items=item, months=VERDICT_MONTHS, min_train_years=train)
        summary, detail = result.summary, result.detail
        shown = summary[summary["as_of_month"].isin(MONTHS)]
        table = shown.pivot(index="method", columns="as_of_month", values=["mape", "coverage80"])
        table = table.reindex([m for m in METHODS if m in table.index])
        lines += [f"#### {label}", "", f"scored projections per method and month: {int(summary['n'].iloc[0])} (coverage counts those whose "
                  "interval had at least 8 earlier errors to learn from)", "",
                  "```", table.round(3).to_string(), "```", ""]
        rows = []
        for month in VERDICT_MONTHS:
            mape = summary[summary["as_of_month"] == month].set_index("method")["mape"]
            best = min(BUREAU, key=lambda name: mape[name])
            beats = bool(mape["combination"] < mape[best])
            met, cells = met + beats, cells + 1
            rows.append({"month": month, "best bureau method": best, "its MAPE": mape[best],
                         "combination": mape["combination"], "beats it": "yes" if beats else "NO",
                         "hindsight-best weights": hindsight_mape(detail, month)})
        verdicts += [f"{label}: MAPE % of the combination against the best of carry_forward and progress_ratio; "
                     "the last column is the floor for any fixed weighting of the members (weights chosen on the "
                     "scored years themselves)", "", "```", pd.DataFrame(rows).round(2).to_string(index=False), "```"]
        if detail["budget"].notna().any():
            shown_detail = detail[detail["as_of_month"].isin(MONTHS)]
            lines += [f"p_attain of the combination ({label}; probability that the full year reaches the budget, "
                      "from earlier years' errors only):", "", *attainment(shown_detail)]
        covered = summary[(summary["method"] == "combination") & summary["as_of_month"].isin(MONTHS)]["coverage80"]
        verdicts += [f"combination 80% coverage {', '.join(f'{c:.2f}' for c in covered)} "
                     f"(months {', '.join(map(str, MONTHS))}; target 0.70–0.90: "
                     f"{'met' if covered.between(0.7, 0.9).all() else 'NOT met'})", ""]
    return lines + ["#### Verdicts", "", f"The combination beats the best bureau method in {met} of {cells} "
                    f"dataset × month cells (months {VERDICT_MONTHS[0]}–{VERDICT_MONTHS[-1]}).", "", *verdicts]


def synthetic_panel(counties: int, years: int = 10, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """SYNTHETIC counties: trend, seasonality (weak February), noise and budgets; canonical tables."""
    rng = np.random.default_rng(seed)
    first = 2023 - years
    periods = pd.period_range(f"{first}-01", "2023-06", freq="M")
    season = np.array([0.9, 0.6, 1.1, 1.1, 1.0, 1.0, 0.9, 0.9, 1.0, 1.0, 1.1, 1.4])
    level = rng.lognormal(1.0, 0.8, counties)[:, None]
    growth = rng.normal(0.06, 0.03, counties)[:, None]
    t = np.arange(len(periods))[None, :]
    months = (periods.month - 1).to_numpy()
    single = level / 12 * season[months][None, :] * np.exp(growth * t / 12) * rng.lognormal(0, 0.12, (counties, len(periods)))
    year_of = periods.year.to_numpy()
    ytd = pd.DataFrame(single).T.groupby(year_of).cumsum().T.to_numpy()
    codes = [f"S{i:05d}" for i in range(counties)]
    monthly = pd.DataFrame({
        "region_code": np.repeat(codes, len(periods)), "region": np.repeat([f"合成县{i}" for i in range(counties)], len(periods)),
        "period": pd.PeriodIndex(np.tile(periods, counties), freq="M"), "item": "gpb_revenue",
        "ytd": ytd.ravel(), "yoy_pct": np.nan, "yoy_change": np.nan, "completion_pct": np.nan, "yoy_pct_min": np.nan,
        "unit": "亿元", "source_unit": "亿元",
    })
    december = monthly[monthly["period"].dt.month == 12]
    annual = pd.DataFrame({"region_code": december["region_code"], "region": december["region"],
                           "year": december["period"].dt.year.astype("Int64"), "item": "gpb_revenue",
                           "budget": np.nan, "adjusted_budget": np.nan, "outturn": december["ytd"],
                           "unit": "亿元", "source_unit": "亿元"})
    last = annual[annual["year"] == 2022].assign(year=2023, outturn=np.nan)
    last["budget"] = last["outturn"].fillna(0) + annual[annual["year"] == 2022]["outturn"].to_numpy() * rng.uniform(1.0, 1.12, len(last))
    return monthly, pd.concat([annual, last], ignore_index=True)


def ets_loop(monthly: pd.DataFrame, codes) -> float:
    """Seconds to fit statsmodels ETS to each county and forecast the rest of the year, by hand."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    start = time.perf_counter()
    for code in codes:
        ytd = monthly[monthly["region_code"] == code].set_index("period")["ytd"]
        single = ytd - ytd.groupby(ytd.index.year).shift().fillna(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = ETSModel(np.log(single.to_numpy()), error="add", trend="add", damped_trend=True, seasonal="add",
                           seasonal_periods=12).fit(disp=False)
            fit.forecast(6)
    return time.perf_counter() - start


def speed(counties: int, loop_sample: int) -> list[str]:
    monthly, annual = synthetic_panel(counties)
    start = time.perf_counter()
    result = fiscalmon.forecast_full_year(monthly, annual, "2023-06", items="gpb_revenue").table
    seconds = time.perf_counter() - start
    assert len(result) == counties and result["lo80"].notna().all()
    sample = monthly["region_code"].unique()[:loop_sample]
    loop_seconds = ets_loop(monthly, sample)
    ours, theirs = counties / seconds, loop_sample / loop_seconds
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        "### Speed", "",
        f"- SYNTHETIC panel: {counties:,} counties × 10.5 years of monthly YTD ({len(monthly):,} rows), as of 2023-06",
        f"- fiscalmon.forecast_full_year (the default combination, backtest-calibrated 80/95% intervals, p_attain): "
        f"{seconds:.2f} s = {ours:,.0f} counties/s",
        f"- plain loop of statsmodels ETSModel fits (+ forecast), timed on {loop_sample} of the same counties: "
        f"{loop_seconds:.2f} s = {theirs:,.1f} counties/s (a full loop over {counties:,} would take "
        f"~{counties / theirs:,.0f} s)",
        f"- ratio: {ours / theirs:,.0f}× the loop's throughput (target ≥ 10×); whole run under 30 s: "
        f"{'yes' if seconds < 30 else 'NO'}",
        f"- peak memory of this process (ru_maxrss): {peak_mb:,.0f} MB (target < 2,048 MB)", "",
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 counties instead of 3,000")
    args = parser.parse_args(argv)
    print("## Full-year projection\n")
    print("\n".join(speed(300 if args.quick else 3000, 30 if args.quick else 100)))
    print("\n".join(accuracy()))


if __name__ == "__main__":
    main()
