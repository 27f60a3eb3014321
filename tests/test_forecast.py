"""Full-year projections: Changji worked by hand, intervals, odds, and robustness on awkward series.

Hand calculations use the Changji seed report (001_0866035688bffaef.txt): 1-6月 一般公共预算收入
118.91亿元, YTD growth path −9.37, 0.68, 4.1, 3.02, 2.36, 0.45 (%).
"""

from __future__ import annotations

import io
import math
import warnings

import numpy as np
import pandas as pd
import pytest

import fiscalmon
from fiscalmon.errors import FiscalDataWarning, ForecastWarning
from fiscalmon.args import ArgumentError
from fiscalmon.forecast import METHODS, OUTPUT_COLUMNS, forecast_full_year

PRIOR_H1 = 118.91 / 1.0045  # 118.3773: 2022 H1 implied by +0.45%


def changji_gpb(annual=None, **kwargs):
    monthly = fiscalmon.datasets.changji_monthly()
    return forecast_full_year(monthly, annual, "2023-06", items="gpb_revenue", regions=["652300"], **kwargs).table


def hypothetical_annual(outturn_2022=None, budget_2023=None) -> pd.DataFrame:
    """An annual table for 652300 with figures the seed report does NOT give (for hand checks only)."""
    rows = []
    if outturn_2022 is not None:
        rows.append({"region_code": "652300", "region": "昌吉回族自治州", "year": 2022, "item": "gpb_revenue",
                     "outturn": outturn_2022, "unit": "亿元"})
    if budget_2023 is not None:
        rows.append({"region_code": "652300", "region": "昌吉回族自治州", "year": 2023, "item": "gpb_revenue",
                     "budget": budget_2023, "unit": "亿元"})
    return fiscalmon.read_annual(pd.DataFrame(rows))


def test_growth_path_from_the_seed_alone_worked_by_hand():
    """Seed data alone: no monthly history, no 2022 outturn, so last year's months are assumed equal.

    Y'_6 = 118.91 ÷ 1.0045 = 118.3773; Y'_3 = Y'_6 × 3/6 = 59.1887; Y_3 = 59.1887 × 1.041 = 61.6154.
    Growth of the last three months: (118.91 − 61.6154) ÷ (118.3773 − 59.1887) = 57.2946 ÷ 59.1887 = 0.96800.
    Last year's second half (equal months): 118.3773. Point: 118.91 + 118.3773 × 0.96800 = 233.499.
    """
    row = changji_gpb(methods="growth_path").iloc[0]
    assert row["point"] == pytest.approx(233.499, abs=0.001)
    assert "assumed equal" in row["assumptions"] and "estimated" in row["assumptions"]
    assert row["interval_source"] == "reference"
    assert row["lo80"] < row["point"] < row["hi80"]
    assert row["lo95"] < row["lo80"] and row["hi95"] > row["hi80"]


def test_carry_forward_and_growth_path_with_a_known_outturn_and_budget():
    """With a (hypothetical) 2022 outturn A' = 230 and 2023 budget B = 240:

    carry_forward = 230 × 1.0045 = 231.035.
    growth_path   = 118.91 + (230 − 118.3773) × 0.96800 = 118.91 + 108.0504 = 226.960.
    required_rest_growth_pct = ((240 − 118.91) ÷ (230 − 118.3773) − 1) × 100 = (121.09 ÷ 111.6227 − 1) × 100 = 8.4815.
    completion_pct = 118.91 ÷ 240 × 100 = 49.5458.
    """
    annual = hypothetical_annual(outturn_2022=230.0, budget_2023=240.0)
    result = changji_gpb(annual, methods=["carry_forward", "growth_path"]).set_index("method")
    assert result.loc["carry_forward", "point"] == pytest.approx(231.035, abs=1e-3)
    assert result.loc["growth_path", "point"] == pytest.approx(226.960, abs=1e-3)
    for method in ("carry_forward", "growth_path"):
        row = result.loc[method]
        assert row["required_rest_growth_pct"] == pytest.approx(8.4815, abs=1e-3)
        assert row["completion_pct"] == pytest.approx(49.5458, abs=1e-3)
        assert row["last_year_outturn"] == 230.0 and row["budget"] == 240.0
        assert 0 < row["p_attain"] < 0.5  # both points are below the budget


def test_interval_and_odds_from_a_given_error_sample_worked_by_hand():
    """With a reference sample of 20 log errors e = ±0.02, ±0.04, … (symmetric, centred at 0):

    split-conformal 80% bounds for n = 20 are the 2nd and 19th smallest errors (k = ⌊21 × 0.1⌋ = 2 and
    ⌈21 × 0.9⌉ = 19): −0.18 and +0.18, so lo80 = point × e^−0.18 and hi80 = point × e^0.18.
    A budget equal to the point is reached with probability ½ (the sample is symmetric).
    """
    errors = np.round(np.concatenate([np.arange(1, 11), -np.arange(1, 11)]) * 0.02, 6)
    reference = pd.DataFrame({"method": "carry_forward", "variant": "with_outturn", "as_of_month": 6,
                              "log_error": errors})
    point = 230.0 * 1.0045
    annual = hypothetical_annual(outturn_2022=230.0, budget_2023=point)
    row = changji_gpb(annual, methods="carry_forward", reference_errors=reference).iloc[0]
    sorted_errors = np.sort(errors)
    assert row["lo80"] == pytest.approx(point * math.exp(sorted_errors[1]), rel=1e-9)
    assert row["hi80"] == pytest.approx(point * math.exp(sorted_errors[18]), rel=1e-9)
    assert row["p_attain"] == pytest.approx(0.5, abs=1e-9)


def test_probability_of_reaching_the_budget_falls_as_the_budget_rises():
    probabilities = []
    for budget in (200.0, 225.0, 233.5, 245.0, 270.0):
        annual = hypothetical_annual(budget_2023=budget)
        probabilities.append(changji_gpb(annual, methods="growth_path").iloc[0]["p_attain"])
    assert probabilities == sorted(probabilities, reverse=True)
    assert probabilities[0] > 0.95 and probabilities[-1] < 0.05


def test_budget_already_reached_needs_no_growth():
    """州本级 reached 111.93% of its budget by June: the required growth is not a number below −100%."""
    monthly = fiscalmon.datasets.changji_monthly()
    row = forecast_full_year(monthly, month="2023-06", items="gpb_revenue", regions=["652300-bj"],
                             methods="growth_path").table.iloc[0]
    assert row["budget"] == pytest.approx(6.94 / 1.1193, rel=1e-9)
    assert math.isnan(row["required_rest_growth_pct"]) and "budget already reached" in row["note"]
    assert row["p_attain"] > 0.99


def test_output_has_exactly_the_documented_columns():
    with pytest.warns(ForecastWarning, match="could not be modelled"):  # six months are too few for ets/sarima
        result = changji_gpb(methods="all")
    assert list(result.columns[: len(OUTPUT_COLUMNS)]) == OUTPUT_COLUMNS
    assert sorted(result["method"].unique()) == sorted({"growth_path", "carry_forward", "progress_ratio", "blended",
                                                         "ses", "theta", "damped", "components", "combination"}
                                                        & set(result["method"]))


def test_demo_panel_every_county_and_combination_weights_are_reported():
    monthly, annual = fiscalmon.datasets.demo_monthly(), fiscalmon.datasets.demo_annual()
    result = forecast_full_year(monthly, annual, month="2023-06", items="gpb_revenue").table
    assert len(result) == monthly["region_code"].nunique()
    assert (result["interval_source"] == "backtest").all()
    assert ((result["lo80"] <= result["point"]) & (result["point"] <= result["hi80"])).all()
    weights = fiscalmon.forecast_full_year(monthly, annual, "2023-06", items="gpb_revenue").weights["gpb_revenue"]
    assert weights.years >= 3 and sum(weights.weights.values()) == pytest.approx(1.0)
    # 序时进度 at June is 50%; the historical progress is the past years' share at June.
    assert (result["time_progress_pct"] == 50.0).all()
    assert result["hist_progress_pct"].between(30, 70).all()


@pytest.mark.parametrize("series, expected_weight_of_a", [
    (1, 3 / 8 * 1.0 + 5 / 8 * 0.8),     # 3 errors: shrink 3/(3+5) towards inverse MSE
    (10, 30 / 35 * 1.0 + 5 / 35 * 0.8),  # 30 errors (a panel): mostly the stacking weights
])
def test_combination_weights_shrink_stacking_by_the_number_of_past_errors(series, expected_weight_of_a):
    """Member b always misses twice as far as a in the same direction: stacking gives a all the weight
    (b adds nothing), inverse MSE gives a 1/e² ÷ (1/e² + 1/(4e²)) = 0.8; the blend depends on how many
    series × years of errors there are."""
    from fiscalmon.forecast.history import combination_weights

    base = np.tile([[0.02, -0.03, 0.05]], (series, 1))
    weights, years, cases = combination_weights({"a": base, "b": 2 * base})
    assert (years, cases) == (3, 3 * series)
    assert weights["a"] == pytest.approx(expected_weight_of_a, abs=1e-3)
    assert weights["a"] + weights["b"] == pytest.approx(1.0)


def test_combination_weights_plain_average_below_three_years_unless_a_panel_gives_30_errors():
    from fiscalmon.forecast.history import combination_weights

    weights, years, _ = combination_weights({"a": np.array([[0.01, 0.02]]), "b": np.array([[0.05, 0.04]])})
    assert years == 2 and weights == {"a": 0.5, "b": 0.5}
    # one year of 29 counties: still an average; of 30 counties: a is always closer, and gets the weight
    for counties, averaged in ((29, True), (30, False)):
        a = np.random.default_rng(1).normal(0, 0.01, (counties, 1))
        weights, years, cases = combination_weights({"a": a, "b": a + 0.05})
        assert (years, cases) == (1, counties)
        assert (weights == {"a": 0.5, "b": 0.5}) is averaged
        assert averaged or weights["a"] > 0.9


def test_an_empty_monthly_table_is_a_clear_error():
    empty = fiscalmon.datasets.demo_monthly().iloc[:0]
    with pytest.raises(ArgumentError, match="monthly must be a monthly table with figures"):
        forecast_full_year(empty, month="2023-06").table


def test_no_look_ahead_later_months_do_not_change_the_projection():
    """A projection as of June must not move when July–December figures are added to the table."""
    monthly, annual = fiscalmon.datasets.demo_monthly(), fiscalmon.datasets.demo_annual()
    cut = monthly[monthly["period"] <= pd.Period("2022-06", freq="M")]
    annual_cut = annual[annual["year"] <= 2021]
    full = forecast_full_year(monthly, annual_cut.assign(), month="2022-06", items="gpb_revenue", regions=["652301"],
                              methods="all").table
    part = forecast_full_year(cut, annual_cut, month="2022-06", items="gpb_revenue", regions=["652301"], methods="all").table
    pd.testing.assert_series_equal(full["point"], part["point"])


def test_unknown_method_and_bad_as_of_are_refused_with_the_allowed_values():
    monthly = fiscalmon.datasets.changji_monthly()
    with pytest.raises(ValueError, match="'carry_forward', 'progress_ratio'"):
        forecast_full_year(monthly, month="2023-06", methods="arima2").table
    with pytest.raises(ArgumentError, match="month must be a month such as"):
        forecast_full_year(monthly, month="June").table
    with pytest.raises(ValueError, match="read_monthly"):
        forecast_full_year(pd.DataFrame({"a": [1]}), month="2023-06").table


# ---- robustness: awkward series must not crash any method ---------------------------------------

def _series_table(monthly_values: dict[str, float], region="TEST", revision=None) -> pd.DataFrame:
    """A canonical monthly table from single-month amounts {YYYY-MM: amount} (cumulated per year)."""
    periods = pd.PeriodIndex(list(monthly_values), freq="M")
    values = pd.Series(list(monthly_values.values()), index=periods)
    ytd = values.groupby(periods.year).cumsum()
    raw = pd.DataFrame({"region_code": region, "region": "测试县", "period": [str(p) for p in periods],
                        "item": "gpb_revenue", "ytd": ytd.to_numpy(), "unit": "亿元"})
    if revision is not None:
        raw["revision"] = revision
    return fiscalmon.read_monthly(raw)


def _months(start: str, count: int, rng, level=10.0) -> dict[str, float]:
    periods = pd.period_range(start, periods=count, freq="M")
    season = 1 + 0.3 * np.sin(2 * np.pi * periods.month / 12)
    return {str(p): float(level * s * rng.uniform(0.9, 1.1)) for p, s in zip(periods, season)}


def _run_all(monthly: pd.DataFrame, as_of: str) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ForecastWarning)
        return forecast_full_year(monthly, month=as_of, methods="all", n_paths=200).table


def test_thirteen_months_of_history():
    monthly = _series_table(_months("2022-01", 13, np.random.default_rng(1)))
    with pytest.warns(ForecastWarning, match="fell back"):
        result = forecast_full_year(monthly, month="2023-01", methods=["ets", "sarima"], n_paths=200).table
    assert result["point"].notna().all()
    assert set(result["method"]) <= {"carry_forward", "progress_ratio", "growth_path"}
    assert result["note"].str.contains("needs").all()


def test_a_month_of_zero_revenue():
    values = _months("2019-01", 54, np.random.default_rng(2))
    values["2022-02"] = 0.0
    result = _run_all(_series_table(values), "2023-06")
    # every method but the components' sum (a table of one item has no components)
    assert len(result) == len(METHODS) - 1 and np.isfinite(result["point"]).all()


def test_a_negative_month_a_refund():
    values = _months("2019-01", 54, np.random.default_rng(3))
    values["2022-05"] = -2.0
    revision = ["退库 (refund) 2亿元" if p == "2022-05" else None for p in values]
    with pytest.warns(FiscalDataWarning, match="Accepted as an explicit revision"):
        table = _series_table(values, revision=revision)
    result = _run_all(table, "2023-06")
    assert np.isfinite(result["point"]).all()


def test_a_one_off_spike_like_a_mining_rights_sale():
    values = _months("2016-01", 90, np.random.default_rng(4))
    values["2022-04"] += 45.0  # a 45亿元 one-off, like the 和田 mining-rights sale
    result = _run_all(_series_table(values), "2023-06")
    assert np.isfinite(result["point"]).all() and (result["point"] > 0).all()


# ---- command line --------------------------------------------------------------------------------

def test_cli_forecast_csv_has_exactly_the_documented_columns(cli, tmp_path):
    demo = fiscalmon.datasets.data_path("demo")
    output = tmp_path / "projection.csv"
    result = cli("forecast", str(demo / "xinjiang_monthly_synthetic.csv"), "--annual",
                 str(demo / "xinjiang_annual_synthetic.csv"), "--as-of", "2023-06", "--region", "652300",
                 "--item", "gpb_revenue", "--format", "csv", "-o", str(output), "--quiet")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(output, dtype={"region_code": str})
    assert list(table.columns) == OUTPUT_COLUMNS
    assert table.loc[0, "region_code"] == "652300" and table.loc[0, "method"] == "combination"
    assert "interval(s) from backtest" in result.stderr


def test_cli_backtest_csv_has_exactly_the_documented_columns(cli):
    from fiscalmon.forecast import BACKTEST_COLUMNS

    demo = fiscalmon.datasets.data_path("demo")
    result = cli("backtest", str(demo / "xinjiang_monthly_synthetic.csv"), "--annual",
                 str(demo / "xinjiang_annual_synthetic.csv"), "--months", "3,6,9", "--region", "652301",
                 "--region", "652302", "--min-train-years", "3", "--format", "csv")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout))
    assert list(table.columns) == BACKTEST_COLUMNS
    assert sorted(table["as_of_month"].unique()) == [3, 6, 9]
    assert table["coverage80"].between(0, 1).all() and (table["mape"] >= 0).all()


def test_cli_forecast_for_a_month_not_in_the_data_is_a_clear_error(cli):
    seeds = fiscalmon.datasets.data_path("seeds")
    result = cli("forecast", str(seeds / "changji_2023h1_monthly.csv"), "--as-of", "2024-06")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "a month with figures in the table (2023-01 … 2023-06)" in result.stderr


def test_a_method_that_cannot_project_says_which_input_it_lacked():
    """One year of data, no annual table: carry_forward lacks A′, progress_ratio lacks past shares;
    a month with only a growth rate and no last-year YTD has no amount at all."""
    values = {f"2023-{k:02d}": 10.0 + k for k in range(1, 7)}
    table = _series_table(values)
    result = forecast_full_year(table, month="2023-06", methods=["carry_forward", "progress_ratio"]).table
    why = result.set_index("method")["no_projection"]
    assert "needs last year's full-year amount" in why["carry_forward"]
    assert "at least two past years" in why["progress_ratio"]
    growth_only = table.assign(ytd=np.where(table["period"] == pd.Period("2023-06", freq="M"), np.nan, table["ytd"]),
                               yoy_pct=5.0)
    result = forecast_full_year(growth_only, month="2023-06", methods="carry_forward").table
    assert "no YTD amount at 2023-06" in result.loc[0, "no_projection"]


def test_cli_table_shows_a_fallback_as_requested_and_used_method(cli, tmp_path):
    path = tmp_path / "short.csv"
    # one year of amounts with their growth: ets has too little history, growth_path can work
    _series_table({f"2023-{k:02d}": 10.0 + k for k in range(1, 7)}).assign(yoy_pct=5.0).to_csv(path, index=False)
    result = cli("forecast", str(path), "--as-of", "2023-06", "--method", "ets", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "ets→growth_path" in result.stdout
    assert "fell back to a bureau method" in result.stderr


def test_cli_says_why_the_combination_is_a_plain_average_and_why_coverage_is_blank(cli, tmp_path):
    """Four years of one county: too few past errors for weights (3 years) or intervals (8 errors)."""
    rng = np.random.default_rng(8)
    path = tmp_path / "four_years.csv"
    _series_table(_months("2020-01", 45, rng)).to_csv(path, index=False)
    forecast = cli("forecast", str(path), "--as-of", "2023-09", "--quiet")
    assert forecast.returncode == 0, forecast.stderr
    assert "past year(s) with every member's error at this month; weights need 3, or 30 errors in a panel" \
        in forecast.stdout
    table = pd.read_csv(path, dtype={"region_code": str})
    december = table[table["period"].str.endswith("-12")]
    annual = tmp_path / "annual.csv"
    december.assign(year=december["period"].str[:4], outturn=december["ytd"])[
        ["region_code", "region", "year", "item", "outturn", "unit"]].to_csv(annual, index=False)
    backtest = cli("backtest", str(path), "--annual", str(annual), "--months", "9", "--min-train-years", "1")
    assert backtest.returncode == 0, backtest.stderr
    assert "an interval needs at least 8 errors from earlier years" in backtest.stdout


def test_cli_rejects_an_unknown_unit_argument_clearly(cli):
    seeds = fiscalmon.datasets.data_path("seeds")
    result = cli("summary", str(seeds / "changji_2023h1_monthly.csv"), "--unit", "55")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "unit must be one of 元, 万元, 亿元" in result.stderr and "'55'" in result.stderr


def test_backtest_detail_gives_the_p_attain_each_past_year_would_have_had():
    monthly, annual = fiscalmon.datasets.demo_monthly(), fiscalmon.datasets.demo_annual()
    detail = fiscalmon.backtest(monthly, annual, methods=["progress_ratio"], months=[9],
                                regions=["652301", "652302", "652323"], min_train_years=3).detail
    scored = detail[detail["p_attain"].notna()]
    assert len(scored) and scored["p_attain"].between(0, 1).all()
    # p_attain and the 80% interval come from the same error sample: a budget above the interval was
    # unlikely (the interval leaves 10% above it), one below it likely
    above, below = scored[scored["budget"] > scored["hi80"]], scored[scored["budget"] < scored["lo80"]]
    assert len(above) and len(below)
    assert above["p_attain"].lt(0.2).all() and below["p_attain"].gt(0.8).all()


def test_balances_are_not_projected_as_if_they_were_sums_of_months():
    monthly = fiscalmon.datasets.xinjiang_monthly()
    with pytest.warns(ForecastWarning, match="not projected: debt_balance"):
        result = forecast_full_year(monthly, month="2023-06").table
    assert "debt_balance" not in set(result["item"]) and "gpb_revenue" in set(result["item"])
    with pytest.raises(ArgumentError, match="items must be flow items"):
        forecast_full_year(monthly, month="2023-06", items="debt_balance").table
    with pytest.raises(ArgumentError, match="items must be flow items"):
        fiscalmon.backtest(monthly, items="debt_balance")


def test_cli_backtest_draws_error_against_as_of_month(cli, tmp_path):
    demo = fiscalmon.datasets.data_path("demo")
    chart = tmp_path / "backtest.png"
    result = cli("backtest", str(demo / "xinjiang_monthly_synthetic.csv"), "--annual",
                 str(demo / "xinjiang_annual_synthetic.csv"), "--months", "3,6,9", "--region", "652301",
                 "--region", "652302", "--min-train-years", "3", "--plot", str(chart))
    assert result.returncode == 0, result.stderr
    assert chart.read_bytes().startswith(b"\x89PNG") and chart.stat().st_size > 10_000
    assert "Glyph" not in result.stderr
    refused = cli("backtest", str(demo / "xinjiang_monthly_synthetic.csv"), "--annual",
                  str(demo / "xinjiang_annual_synthetic.csv"), "--months", "9", "--plot", str(tmp_path / "x.gif"))
    assert refused.returncode == 2 and "--plot must be a file name ending in .png, .svg or .pdf" in refused.stderr
