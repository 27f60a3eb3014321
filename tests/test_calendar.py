"""Tests of fiscalmon.calendar: the arithmetic of year-to-date (累计) budget figures.

Every expected number is worked by hand in the test's docstring or a comment. The Changji figures
come from the seed report /work/shared/seeds/001_0866035688bffaef.txt (H1 2023, 亿元):
一般公共预算收入 118.91 (+0.45%), 地方财政收入 134.69 = 45.64% of budget.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fiscalmon
from fiscalmon.calendar import (
    combine_jan_feb,
    completion_pct,
    derive,
    historical_progress_pct,
    implied_budget,
    monthly_to_ytd,
    months_covered,
    prior_from_growth,
    time_progress_pct,
    yoy_growth_pct,
    ytd_to_monthly,
)


def ytd_series(pairs: dict[str, float]) -> pd.Series:
    """A one-region, one-item series from {'YYYY-MM': amount}."""
    return pd.Series(list(pairs.values()), index=pd.PeriodIndex(list(pairs), freq="M"), dtype=float)


# ---- growth, prior year, completion, implied budget -------------------------------------------------

def test_prior_from_growth_changji_h1_2022():
    """Changji 1-6月 2023: 118.91亿元 at +0.45%, so 1-6月 2022 was 118.91 ÷ 1.0045 = 118.3773 ≈ 118.38亿元.

    Check: 118.3773 × 1.0045 = 118.9100; and 118.91 − 118.38 = 0.53亿元, the 增收 the report states.
    """
    prior = prior_from_growth(118.91, 0.45)
    assert prior == pytest.approx(118.3773, abs=1e-4)
    assert round(prior, 2) == 118.38
    assert round(118.91 - prior, 2) == 0.53


def test_prior_from_growth_negative_growth():
    """Changji tax 81.72亿元 at −10.98%: 81.72 ÷ (1 − 0.1098) = 81.72 ÷ 0.8902 = 91.7996亿元 (larger, as a fall implies)."""
    assert prior_from_growth(81.72, -10.98) == pytest.approx(91.7996, abs=1e-4)


def test_prior_from_growth_zero_growth_returns_the_same_amount():
    """0% growth: last year equals this year, 50 ÷ 1 = 50."""
    assert prior_from_growth(50.0, 0.0) == 50.0


@pytest.mark.parametrize("growth", [-100.0, -150.0, np.nan])
def test_prior_from_growth_without_an_implied_prior_is_nan(growth):
    """−100% means last year's amount cannot be recovered (÷ 0); below that it is meaningless; NaN stays NaN."""
    assert math.isnan(prior_from_growth(10.0, growth))


def test_yoy_growth_pct_changji():
    """(118.91 ÷ 118.38 − 1) × 100 = 0.53 ÷ 118.38 × 100 = 0.4477 → 0.45%, the growth the report states."""
    growth = yoy_growth_pct(118.91, 118.38)
    assert growth == pytest.approx(0.4477, abs=1e-4)
    assert round(growth, 2) == 0.45


@pytest.mark.parametrize("current, prior, expected", [
    (110.0, 100.0, 10.0),     # 110 ÷ 100 − 1 = +10%
    (90.0, 100.0, -10.0),     # 90 ÷ 100 − 1 = −10%
    (0.0, 100.0, -100.0),     # nothing collected this year: −100%
    (200.0, 50.0, 300.0),     # 200 ÷ 50 = 4 → +300%
])
def test_yoy_growth_pct_hand_values(current, prior, expected):
    """Growth in percent from two YTD amounts, worked in the comments."""
    assert yoy_growth_pct(current, prior) == pytest.approx(expected)


@pytest.mark.parametrize("prior", [0.0, -5.0, np.nan])
def test_yoy_growth_pct_without_a_positive_prior_is_nan(prior):
    """Growth over a zero, negative or unknown base is not defined."""
    assert math.isnan(yoy_growth_pct(10.0, prior))


def test_completion_pct_changji():
    """134.69 ÷ 295.11 × 100 = 45.6406 → 45.64%, the rate the report states for 地方财政收入."""
    assert completion_pct(134.69, 295.11) == pytest.approx(45.6406, abs=1e-4)


@pytest.mark.parametrize("budget", [0.0, -10.0, np.nan])
def test_completion_pct_without_a_positive_budget_is_nan(budget):
    """A zero, negative or missing budget gives no completion rate (never inf or a negative rate)."""
    assert math.isnan(completion_pct(50.0, budget))


def test_implied_budget_changji():
    """Changji 地方财政收入 134.69亿元 = 45.64% of budget → budget 134.69 ÷ 0.4564 = 295.1139 ≈ 295.1亿元."""
    budget = implied_budget(134.69, 45.64)
    assert budget == pytest.approx(295.1139, abs=1e-4)
    assert round(budget, 1) == 295.1


@pytest.mark.parametrize("rate", [0.0, -3.0, np.nan])
def test_implied_budget_without_a_positive_rate_is_nan(rate):
    """A 0% (or negative, or missing) completion rate implies no budget."""
    assert math.isnan(implied_budget(10.0, rate))


def test_scalar_formulas_return_python_floats_and_arrays_elementwise():
    """A scalar in gives a float out; arrays are worked element by element (50 ÷ 100 = 50%; ÷ 0 → NaN)."""
    assert isinstance(completion_pct(50.0, 100.0), float)
    assert isinstance(yoy_growth_pct(110.0, 100.0), float)
    rates = completion_pct(np.array([50.0, 30.0, 12.0]), np.array([100.0, 0.0, 48.0]))
    assert rates[0] == pytest.approx(50.0)
    assert math.isnan(rates[1])
    assert rates[2] == pytest.approx(25.0)  # 12 ÷ 48 = 0.25
    priors = prior_from_growth(pd.Series([110.0, 45.0]), pd.Series([10.0, -10.0]))
    np.testing.assert_allclose(priors, [100.0, 50.0])  # 110 ÷ 1.1 = 100; 45 ÷ 0.9 = 50


# ---- 序时进度 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("period, expected", [
    ("2023-01", 100 / 12),    # 1 ÷ 12 = 8.33%
    ("2023-03", 25.0),        # 3 ÷ 12
    ("2023-06", 50.0),        # 6 ÷ 12: the usual 序时进度 at end of June
    ("2023-12", 100.0),
    ("2024-02", 100 / 6),     # 2 ÷ 12; the month basis ignores leap years
])
def test_time_progress_month_basis(period, expected):
    """Month basis: month ÷ 12 × 100."""
    assert time_progress_pct(period) == pytest.approx(expected)


@pytest.mark.parametrize("period, expected", [
    ("2023-01", 31 / 365 * 100),    # 8.49%
    ("2023-02", 59 / 365 * 100),    # 31 + 28 = 59 days
    ("2023-06", 181 / 365 * 100),   # 31+28+31+30+31+30 = 181 days → 49.59%
    ("2024-02", 60 / 366 * 100),    # leap year: 31 + 29 = 60 of 366 days → 16.39%
    ("2024-06", 182 / 366 * 100),   # leap year: 181 + 1 = 182 of 366 → 49.73%
    ("2023-12", 100.0),
    ("2024-12", 100.0),
])
def test_time_progress_days_basis(period, expected):
    """Days basis: days elapsed to the month's end ÷ days in the year × 100, counted by hand."""
    assert time_progress_pct(period, basis="days") == pytest.approx(expected)


def test_time_progress_june_2023_days_basis_rounds_to_49_59():
    """181 ÷ 365 = 0.495890 → 49.59% (below the 50% of the month basis)."""
    assert round(time_progress_pct(pd.Period("2023-06", freq="M"), basis="days"), 2) == 49.59


def test_time_progress_keeps_the_shape_of_its_input():
    """A Series comes back as a Series on the same index; a list comes back as an array."""
    periods = pd.Series(pd.PeriodIndex(["2023-03", "2024-02"], freq="M"), index=[10, 20])
    result = time_progress_pct(periods, basis="days")
    assert isinstance(result, pd.Series)
    assert result.index.tolist() == [10, 20]
    np.testing.assert_allclose(result.to_numpy(), [90 / 365 * 100, 60 / 366 * 100])  # 31+28+31 = 90
    np.testing.assert_allclose(time_progress_pct(["2023-09", "2023-12"]), [75.0, 100.0])


def test_time_progress_rejects_an_unknown_basis():
    with pytest.raises(ValueError, match="basis"):
        time_progress_pct("2023-06", basis="weeks")


# ---- YTD ↔ single months ---------------------------------------------------------------------

@pytest.mark.parametrize("ytd, monthly, spans", [
    pytest.param(  # across a year boundary: January's single month is its YTD, not YTD − December
        {"2022-11": 80.0, "2022-12": 100.0, "2023-01": 10.0, "2023-02": 25.0},
        [80.0, 20.0, 10.0, 15.0],     # 80 (first in 2022 covers Jan–Nov), 100−80, 10, 25−10
        [11, 1, 1, 1],
        id="year-boundary"),
    pytest.param(  # 1-2月 published together: February's value is its YTD and spans 2 months
        {"2023-02": 18.0, "2023-03": 30.0},
        [18.0, 12.0],                 # 18, 30−18
        [2, 1],
        id="january-missing"),
    pytest.param(  # April not published: May's value is May YTD − March YTD, 2 months
        {"2023-01": 10.0, "2023-02": 20.0, "2023-03": 30.0, "2023-05": 55.0, "2023-06": 60.0},
        [10.0, 10.0, 10.0, 25.0, 5.0],  # 55−30 = 25 over Apr–May; 60−55 = 5
        [1, 1, 1, 2, 1],
        id="april-gap"),
    pytest.param(  # a refund (退库) in March: the YTD falls, the single month is negative
        {"2023-01": 10.0, "2023-02": 25.0, "2023-03": 22.0},
        [10.0, 15.0, -3.0],           # 22−25 = −3
        [1, 1, 1],
        id="negative-month"),
    pytest.param(  # nothing collected in February: the YTD stays, the single month is 0
        {"2023-01": 10.0, "2023-02": 10.0, "2023-03": 18.0},
        [10.0, 0.0, 8.0],
        [1, 1, 1],
        id="zero-month"),
])
def test_ytd_to_monthly_worked_series(ytd, monthly, spans):
    """Single months (and how many months each spans) from worked YTD series; the round trip gives the YTD back."""
    series = ytd_series(ytd)
    result = ytd_to_monthly(series)
    assert result.index.astype(str).tolist() == list(ytd)
    np.testing.assert_allclose(result.to_numpy(), monthly)
    assert months_covered(series.index).tolist() == spans
    np.testing.assert_allclose(monthly_to_ytd(result).to_numpy(), list(ytd.values()))


def test_ytd_to_monthly_sorts_its_input():
    """Rows in any order: the result is in calendar order (2023-01: 10, 2023-02: 25 − 10 = 15, 2023-03: 45 − 25 = 20)."""
    series = ytd_series({"2023-03": 45.0, "2023-01": 10.0, "2023-02": 25.0})
    result = ytd_to_monthly(series)
    assert result.index.astype(str).tolist() == ["2023-01", "2023-02", "2023-03"]
    assert result.tolist() == [10.0, 15.0, 20.0]


@pytest.mark.parametrize("monthly, ytd", [
    pytest.param({"2023-01": 10.0, "2023-02": 15.0, "2023-03": -3.0, "2023-04": 0.0},
                 [10.0, 25.0, 22.0, 22.0], id="refund-and-zero"),   # 10, 10+15, 25−3, 22+0
    pytest.param({"2022-11": 7.0, "2022-12": 5.0, "2023-01": 4.0, "2023-02": 6.0},
                 [7.0, 12.0, 4.0, 10.0], id="restarts-in-january"),  # the sum restarts each year
    pytest.param({"2023-02": 18.0, "2023-03": 12.0},
                 [18.0, 30.0], id="jan-feb-together"),             # 1-2月 = 18, then 18+12
])
def test_monthly_to_ytd_worked_series(monthly, ytd):
    """The running sum within each calendar year, worked in the comments."""
    np.testing.assert_allclose(monthly_to_ytd(ytd_series(monthly)).to_numpy(), ytd)


@pytest.mark.parametrize("labels, expected", [
    (["2023-02", "2023-03"], [2, 1]),                      # 1-2月, then March
    (["2023-06"], [6]),                                    # a lone 1-6月 figure spans six months
    (["2022-12", "2023-03"], [12, 3]),                     # each year starts counting from January
    (["2023-03", "2023-01", "2023-12"], [1, 2, 9]),        # unsorted in, calendar order out: Jan, Feb–Mar, Apr–Dec
])
def test_months_covered(labels, expected):
    """How many calendar months each YTD-differenced value spans."""
    result = months_covered(pd.PeriodIndex(labels, freq="M"))
    assert result.tolist() == expected
    assert result.index.astype(str).tolist() == sorted(labels)


def test_combine_jan_feb_drops_january_rows_only():
    """January rows go; February's YTD (which already covers 1-2月) and the other rows stay untouched."""
    table = pd.DataFrame({
        "region_code": ["652300"] * 5,
        "period": pd.PeriodIndex(["2022-01", "2022-02", "2023-01", "2023-02", "2023-03"], freq="M"),
        "ytd": [5.0, 9.0, 6.0, 11.0, 20.0],
    })
    result = combine_jan_feb(table)
    assert result["period"].astype(str).tolist() == ["2022-02", "2023-02", "2023-03"]
    assert result["ytd"].tolist() == [9.0, 11.0, 20.0]
    assert result.index.tolist() == [0, 1, 2]
    assert len(table) == 5  # the input is not modified


def test_combine_jan_feb_then_differencing_gives_a_two_month_first_value():
    """After combining, February's single-period value is the 1-2月 YTD (11), spanning 2 months; March is 20 − 11 = 9."""
    table = pd.DataFrame({"period": pd.PeriodIndex(["2023-01", "2023-02", "2023-03"], freq="M"),
                          "ytd": [6.0, 11.0, 20.0]})
    combined = combine_jan_feb(table)
    series = pd.Series(combined["ytd"].to_numpy(), index=pd.PeriodIndex(combined["period"], freq="M"))
    assert ytd_to_monthly(series).tolist() == [11.0, 9.0]
    assert months_covered(series.index).tolist() == [2, 1]


def test_combine_jan_feb_without_january_changes_nothing():
    table = pd.DataFrame({"period": pd.PeriodIndex(["2023-02", "2023-06"], freq="M"), "ytd": [3.0, 8.0]})
    pd.testing.assert_frame_equal(combine_jan_feb(table), table)


# ---- properties ------------------------------------------------------------------------------

AMOUNT = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def ytd_series_with_gaps(draw):
    """A YTD series over 1–4 consecutive years, any months missing (at least one present), in shuffled order."""
    first = draw(st.integers(2005, 2022))
    years = draw(st.integers(1, 4))
    months = [(y, m) for y in range(first, first + years) for m in range(1, 13)]
    present = draw(st.lists(st.booleans(), min_size=len(months), max_size=len(months)))
    chosen = [ym for ym, keep in zip(months, present) if keep] or [months[-1]]
    values = draw(st.lists(AMOUNT, min_size=len(chosen), max_size=len(chosen)))
    series = pd.Series(values, index=pd.PeriodIndex([pd.Period(year=y, month=m, freq="M") for y, m in chosen]))
    order = draw(st.permutations(range(len(series))))
    return series.iloc[list(order)]


@settings(max_examples=200, deadline=None)
@given(ytd_series_with_gaps())
def test_property_monthly_to_ytd_inverts_ytd_to_monthly(ytd):
    """monthly_to_ytd(ytd_to_monthly(y)) == y, with months missing anywhere and across year boundaries."""
    expected = ytd.sort_index()
    result = monthly_to_ytd(ytd_to_monthly(ytd))
    assert result.index.equals(expected.index)
    tolerance = 1e-12 * expected.abs().max()
    np.testing.assert_allclose(result.to_numpy(), expected.to_numpy(), rtol=1e-9, atol=tolerance)


@settings(max_examples=200, deadline=None)
@given(ytd_series_with_gaps())
def test_property_months_covered_adds_up_to_the_last_month_of_each_year(ytd):
    """Within a year the spans add up to the last month present (no month counted twice or lost)."""
    spans = months_covered(ytd.index)
    for year, group in spans.groupby(spans.index.year):
        assert group.sum() == group.index.max().month
        assert (group >= 1).all()


@settings(max_examples=200, deadline=None)
@given(st.integers(2005, 2022), st.integers(1, 3), st.data())
def test_property_ytd_to_monthly_inverts_monthly_to_ytd_for_complete_years(first, years, data):
    """ytd_to_monthly(monthly_to_ytd(m)) == m for complete years of single-month amounts."""
    index = pd.period_range(f"{first}-01", periods=12 * years, freq="M")
    values = data.draw(st.lists(AMOUNT, min_size=len(index), max_size=len(index)))
    monthly = pd.Series(values, index=index)
    ytd = monthly_to_ytd(monthly)
    # Each December YTD must be that year's sum: an independent check of the running sum.
    for year in range(first, first + years):
        december = ytd[pd.Period(year=year, month=12, freq="M")]
        assert december == pytest.approx(math.fsum(monthly[monthly.index.year == year]), rel=1e-12)
    result = ytd_to_monthly(ytd)
    np.testing.assert_allclose(result.to_numpy(), values, rtol=1e-9, atol=1e-12 * ytd.abs().max())


@settings(max_examples=300, deadline=None)
@given(AMOUNT, AMOUNT)
def test_property_prior_from_growth_inverts_yoy_growth(current, prior):
    """prior_from_growth(Y, growth(Y, Y')) ≈ Y' for positive amounts."""
    growth = yoy_growth_pct(current, prior)
    assert prior_from_growth(current, growth) == pytest.approx(prior, rel=1e-6)


@settings(max_examples=300, deadline=None)
@given(AMOUNT, AMOUNT)
def test_property_implied_budget_inverts_completion(ytd, budget):
    """implied_budget(YTD, completion(YTD, B)) ≈ B for positive amounts."""
    rate = completion_pct(ytd, budget)
    assert implied_budget(ytd, rate) == pytest.approx(budget, rel=1e-9)


# ---- 历年同期进度 --------------------------------------------------------------------------------

def _panel() -> pd.DataFrame:
    """Two regions, June and December YTD for 2020–2022, plus this year's (2023) rows for A.

    Shares of the full year reached by June (June YTD ÷ December YTD):
      A: 2020 4/10 = 40%, 2021 6/12 = 50%, 2022 5/10 = 50%   → mean 46.67, median 50
      B: 2020 3/10 = 30%, 2021 4/10 = 40%, 2022 8/10 = 80%   → mean 50.00, median 40
      A 2023: 90/100 = 90%, which must never count (it is the year being judged).
    """
    rows = []
    for region, shares in {"A": [(4, 10), (6, 12), (5, 10)], "B": [(3, 10), (4, 10), (8, 10)]}.items():
        for year, (june, december) in zip([2020, 2021, 2022], shares):
            rows += [(region, f"{year}-06", june), (region, f"{year}-12", december)]
    rows += [("A", "2023-06", 90), ("A", "2023-12", 100)]
    raw = pd.DataFrame(rows, columns=["region_code", "period", "ytd"])
    raw["region"] = raw["region_code"].map({"A": "甲县", "B": "乙县"})
    raw["item"] = "gpb_revenue"
    raw["unit"] = "亿元"
    return fiscalmon.read_monthly(raw)


def _hist(result: pd.DataFrame) -> dict[str, tuple[float, float]]:
    return {r.region_code: (r.hist_progress_pct, r.n_years) for r in result.itertuples()}


def test_historical_progress_mean_over_past_years():
    """Mean of the June shares: A (40+50+50)/3 = 46.67, B (30+40+80)/3 = 50; 2023 (90%) excluded."""
    result = _hist(historical_progress_pct(_panel(), as_of="2023-06"))
    assert result["A"] == (pytest.approx(140 / 3), 3)
    assert result["B"] == (pytest.approx(50.0), 3)


def test_historical_progress_median():
    """Median of the June shares: A median(40, 50, 50) = 50, B median(30, 40, 80) = 40."""
    result = _hist(historical_progress_pct(_panel(), as_of="2023-06", stat="median"))
    assert result["A"] == (pytest.approx(50.0), 3)
    assert result["B"] == (pytest.approx(40.0), 3)


@pytest.mark.parametrize("years, a, b", [
    (1, 50.0, 80.0),   # 2022 only: A 5/10, B 8/10
    (2, 50.0, 60.0),   # 2021–2022: A (50+50)/2, B (40+80)/2
    (3, 140 / 3, 50.0),
    (10, 140 / 3, 50.0),  # asking for more years than exist uses all three
])
def test_historical_progress_years_limit_keeps_the_most_recent(years, a, b):
    """`years` keeps the most recent past years, not the oldest."""
    result = _hist(historical_progress_pct(_panel(), as_of="2023-06", years=years))
    assert result["A"] == (pytest.approx(a), min(years, 3))
    assert result["B"] == (pytest.approx(b), min(years, 3))


def test_historical_progress_excludes_the_current_and_later_years():
    """As of 2022-06, only 2020–2021 count: A (40+50)/2 = 45; B (30+40)/2 = 35 (2022 and 2023 excluded)."""
    result = _hist(historical_progress_pct(_panel(), as_of=pd.Period("2022-06", freq="M")))
    assert result["A"] == (pytest.approx(45.0), 2)
    assert result["B"] == (pytest.approx(35.0), 2)


def test_historical_progress_other_month():
    """As of December the share is 100% in every year (December YTD is the full year)."""
    result = _hist(historical_progress_pct(_panel(), as_of="2023-12"))
    assert result["A"] == (pytest.approx(100.0), 3)


def _annual(rows) -> pd.DataFrame:
    raw = pd.DataFrame(rows, columns=["region_code", "year", "outturn"])
    raw["region"] = raw["region_code"].map({"A": "甲县", "B": "乙县"})
    raw["item"] = "gpb_revenue"
    raw["unit"] = "亿元"
    return fiscalmon.read_annual(raw)


def test_historical_progress_outturn_takes_precedence_over_december_ytd():
    """A's 2021 outturn (决算) 15 replaces the December YTD 12: share 6/15 = 40%, mean (40+40+50)/3 = 43.33; B unchanged."""
    result = _hist(historical_progress_pct(_panel(), _annual([("A", 2021, 15.0)]), as_of="2023-06"))
    assert result["A"] == (pytest.approx(130 / 3), 3)
    assert result["B"] == (pytest.approx(50.0), 3)


def test_historical_progress_outturn_alone_is_enough_for_a_year():
    """A 2019 with June YTD 3 and an outturn of 10 but no December row counts: four years 30, 40, 50, 50.
    The plain mean is 42.5; the robust one (the default, as the projections use) leaves out the year
    farthest from the median 45, 30: (40+50+50)/3 = 46.67."""
    panel = _panel()
    extra = fiscalmon.read_monthly(pd.DataFrame({"region_code": ["A"], "region": ["甲县"], "period": ["2019-06"],
                                                 "item": ["gpb_revenue"], "ytd": [3.0], "unit": ["亿元"]}))
    panel = pd.concat([panel, extra], ignore_index=True)
    result = _hist(historical_progress_pct(panel, _annual([("A", 2019, 10.0)]), as_of="2023-06"))
    assert result["A"] == (pytest.approx(140 / 3), 4)
    plain = _hist(historical_progress_pct(panel, _annual([("A", 2019, 10.0)]), as_of="2023-06", stat="mean"))
    assert plain["A"] == (pytest.approx(42.5), 4)


def test_historical_progress_skips_a_year_without_a_full_year_amount():
    """A 2019 June YTD with neither a December YTD nor an outturn cannot give a share: A stays at 3 years, 46.67."""
    panel = pd.concat([_panel(), fiscalmon.read_monthly(pd.DataFrame({
        "region_code": ["A"], "region": ["甲县"], "period": ["2019-06"], "item": ["gpb_revenue"],
        "ytd": [3.0], "unit": ["亿元"]}))], ignore_index=True)
    result = _hist(historical_progress_pct(panel, as_of="2023-06"))
    assert result["A"] == (pytest.approx(140 / 3), 3)


def test_historical_progress_skips_a_year_whose_full_year_is_zero():
    """A 2019: June YTD 3 but an outturn of 0 gives no share (3 ÷ 0 is not a progress rate): A stays at 3 years, 46.67."""
    panel = pd.concat([_panel(), fiscalmon.read_monthly(pd.DataFrame({
        "region_code": ["A"], "region": ["甲县"], "period": ["2019-06"], "item": ["gpb_revenue"],
        "ytd": [3.0], "unit": ["亿元"]}))], ignore_index=True)
    result = _hist(historical_progress_pct(panel, _annual([("A", 2019, 0.0)]), as_of="2023-06"))
    assert result["A"] == (pytest.approx(140 / 3), 3)


def test_historical_progress_rejects_an_unknown_stat():
    with pytest.raises(ValueError, match="stat"):
        historical_progress_pct(_panel(), as_of="2023-06", stat="mode")


# ---- derive --------------------------------------------------------------------------------------

def _monthly() -> pd.DataFrame:
    """A tiny canonical monthly table (亿元), worked in the derive tests.

    A gpb_revenue: 2022-03 20, 2022-06 50, 2023-02 18 (1-2月), 2023-03 22, 2023-06 54 (reported +5%).
    A tax_revenue: 2023-06 31.5 at +5%, no 2022 row.
    B gpb_revenue: 2023-06 30, reported as 40% of budget, no annual row.
    B tax_revenue: 2023-06 10, nothing else.
    C gpb_revenue: 2023-06 45, reported as 50% of budget, annual budget 100.
    """
    raw = pd.DataFrame([
        ("A", "甲县", "2022-03", "gpb_revenue", 20.0, None, None),
        ("A", "甲县", "2022-06", "gpb_revenue", 50.0, None, None),
        ("A", "甲县", "2023-02", "gpb_revenue", 18.0, None, None),
        ("A", "甲县", "2023-03", "gpb_revenue", 22.0, None, None),
        ("A", "甲县", "2023-06", "gpb_revenue", 54.0, 5.0, None),
        ("A", "甲县", "2023-06", "tax_revenue", 31.5, 5.0, None),
        ("B", "乙县", "2023-06", "gpb_revenue", 30.0, None, 40.0),
        ("B", "乙县", "2023-06", "tax_revenue", 10.0, None, None),
        ("C", "丙县", "2023-06", "gpb_revenue", 45.0, None, 50.0),
    ], columns=["region_code", "region", "period", "item", "ytd", "yoy_pct", "completion_pct"])
    raw["unit"] = "亿元"
    # A 2023-06's reported +5% disagrees on purpose with 54 ÷ 50 (+8%); the reader's note about it is not under test here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fiscalmon.FiscalDataWarning)
        return fiscalmon.read_monthly(raw)


def _budgets() -> pd.DataFrame:
    """A gpb_revenue: 2022 budget 90 (no adjustment); 2023 budget 100 adjusted to 110. C gpb_revenue 2023: budget 100."""
    raw = pd.DataFrame([
        ("A", "甲县", 2022, "gpb_revenue", 90.0, None),
        ("A", "甲县", 2023, "gpb_revenue", 100.0, 110.0),
        ("C", "丙县", 2023, "gpb_revenue", 100.0, None),
    ], columns=["region_code", "region", "year", "item", "budget", "adjusted_budget"])
    raw["unit"] = "亿元"
    return fiscalmon.read_annual(raw)


@pytest.fixture(scope="module")
def derived() -> pd.DataFrame:
    return derive(_monthly(), _budgets())


def _row(table: pd.DataFrame, region: str, item: str, period: str) -> pd.Series:
    match = table[(table["region_code"] == region) & (table["item"] == item) & (table["period"].astype(str) == period)]
    assert len(match) == 1, f"expected one row for {region} {item} {period}, found {len(match)}"
    return match.iloc[0]


def test_derive_keeps_every_row(derived):
    assert len(derived) == 9


def test_derive_computes_growth_where_missing(derived):
    """A 2023-03: no growth reported; last year's row 20 → (22 ÷ 20 − 1) × 100 = 10%, marked computed."""
    row = _row(derived, "A", "gpb_revenue", "2023-03")
    assert row["prior_ytd"] == pytest.approx(20.0)
    assert row["prior_source"] == "table"
    assert row["yoy_pct"] == pytest.approx(10.0)
    assert row["yoy_source"] == "computed"


def test_derive_prior_from_table_beats_growth_and_keeps_reported_growth(derived):
    """A 2023-06: last year's row says 50 (growth +5% would imply 54 ÷ 1.05 = 51.43): the table wins;
    the reported +5% is kept as reported, not replaced by 54 ÷ 50 − 1 = 8%."""
    row = _row(derived, "A", "gpb_revenue", "2023-06")
    assert row["prior_ytd"] == pytest.approx(50.0)
    assert row["prior_source"] == "table"
    assert row["yoy_pct"] == pytest.approx(5.0)
    assert row["yoy_source"] == "reported"


def test_derive_prior_implied_by_growth(derived):
    """A tax 2023-06: no 2022 row, 31.5 at +5% → prior 31.5 ÷ 1.05 = 30.0, marked growth."""
    row = _row(derived, "A", "tax_revenue", "2023-06")
    assert row["prior_ytd"] == pytest.approx(30.0)
    assert row["prior_source"] == "growth"
    assert row["yoy_source"] == "reported"


def test_derive_leaves_unknowable_values_empty(derived):
    """B tax 2023-06: no last year, no growth, no budget, no rate → all empty, no source claimed."""
    row = _row(derived, "B", "tax_revenue", "2023-06")
    for column in ("prior_ytd", "yoy_pct", "budget_used", "completion_pct"):
        assert pd.isna(row[column]), column
    for column in ("prior_source", "yoy_source", "budget_source"):
        assert pd.isna(row[column]), column


def test_derive_no_growth_for_rows_without_a_prior_year(derived):
    """A 2022 rows have no 2021 rows and no growth: prior and growth stay empty."""
    row = _row(derived, "A", "gpb_revenue", "2022-06")
    assert pd.isna(row["prior_ytd"]) and pd.isna(row["prior_source"])
    assert pd.isna(row["yoy_pct"]) and pd.isna(row["yoy_source"])


@pytest.mark.parametrize("period, amount, spans, progress", [
    ("2022-03", 20.0, 3, 25.0),          # first 2022 value covers Jan–Mar; 3/12
    ("2022-06", 30.0, 3, 50.0),          # 50 − 20 over Apr–Jun; 6/12
    ("2023-02", 18.0, 2, 100 / 6),       # 1-2月 together; 2/12
    ("2023-03", 4.0, 1, 25.0),           # 22 − 18
    ("2023-06", 32.0, 3, 50.0),          # 54 − 22 over Apr–Jun (April, May not given)
])
def test_derive_month_amount_and_time_progress(derived, period, amount, spans, progress):
    """Single-period amounts within each year, the months they span, and 序时进度 month ÷ 12."""
    row = _row(derived, "A", "gpb_revenue", period)
    assert row["month_amount"] == pytest.approx(amount)
    assert row["months_covered"] == spans
    assert row["time_progress_pct"] == pytest.approx(progress)


@pytest.mark.parametrize("region, period, budget, source, completion", [
    ("A", "2022-06", 90.0, "budget", 50 / 90 * 100),            # no 2022 adjustment: 年初预算 90; 55.56%
    ("A", "2023-03", 110.0, "adjusted_budget", 20.0),           # 调整预算 110 over 100; 22 ÷ 110 = 20%
    ("A", "2023-06", 110.0, "adjusted_budget", 54 / 110 * 100),  # 49.09%
    ("B", "2023-06", 75.0, "implied_by_completion", 40.0),      # no annual row: 30 ÷ 40% = 75; rate kept
    ("C", "2023-06", 100.0, "budget", 50.0),                    # annual budget beats 45 ÷ 50% = 90; reported 50% kept
])
def test_derive_budget_used_and_completion(derived, region, period, budget, source, completion):
    """Budget used: adjusted budget, else budget, else implied by the reported rate; completion filled from it."""
    row = _row(derived, region, "gpb_revenue", period)
    assert row["budget_used"] == pytest.approx(budget)
    assert row["budget_source"] == source
    assert row["completion_pct"] == pytest.approx(completion)


def test_derive_without_annual_uses_reported_rates_only():
    """No annual table: only rows with a reported rate get a budget (B 30 ÷ 40% = 75; C 45 ÷ 50% = 90)."""
    result = derive(_monthly())
    assert _row(result, "B", "gpb_revenue", "2023-06")["budget_used"] == pytest.approx(75.0)
    assert _row(result, "C", "gpb_revenue", "2023-06")["budget_used"] == pytest.approx(90.0)
    assert pd.isna(_row(result, "A", "gpb_revenue", "2023-06")["budget_used"])


def test_derive_does_not_modify_its_input():
    monthly = _monthly()
    before = monthly.copy()
    derive(monthly, _budgets())
    pd.testing.assert_frame_equal(monthly, before)


@pytest.fixture(scope="module")
def changji() -> pd.DataFrame:
    return derive(fiscalmon.datasets.changji_monthly())


def test_derive_changji_local_revenue_budget(changji):
    """Seed report: 地方财政收入 134.69亿元, 为预算的 45.64% → budget 134.69 ÷ 0.4564 = 295.11 ≈ 295.1亿元."""
    row = _row(changji, "652300", "local_revenue", "2023-06")
    assert round(row["budget_used"], 1) == 295.1
    assert row["budget_used"] == pytest.approx(295.1139, abs=1e-4)
    assert row["budget_source"] == "implied_by_completion"
    assert row["completion_pct"] == pytest.approx(45.64)


def test_derive_changji_local_expenditure_budget(changji):
    """Seed report: 地方财政支出 223.65亿元 = 50.65% of budget → 223.65 ÷ 0.5065 = 441.56亿元."""
    row = _row(changji, "652300", "local_expenditure", "2023-06")
    assert row["budget_used"] == pytest.approx(441.5597, abs=1e-4)


def test_derive_changji_gpb_revenue_prior_and_month(changji):
    """Changji 1-6月 2023 118.91 at +0.45%: prior 118.91 ÷ 1.0045 = 118.38 (from growth); Jan–May have only growth,
    so the June single-period value is the whole 118.91 over 6 months."""
    row = _row(changji, "652300", "gpb_revenue", "2023-06")
    assert row["prior_ytd"] == pytest.approx(118.3773, abs=1e-4)
    assert row["prior_source"] == "growth"
    assert row["month_amount"] == pytest.approx(118.91)
    assert row["months_covered"] == 6
    january = _row(changji, "652300", "gpb_revenue", "2023-01")
    assert january["yoy_pct"] == pytest.approx(-9.37)
    assert january["yoy_source"] == "reported"
    assert pd.isna(january["month_amount"])
