"""The path members (ses, theta, damped): recursions checked against statsmodels, the grid search against
statsmodels' optimiser, the pooled seasonal profile by hand, no look-ahead, and intervals in every year."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import fiscalmon
from fiscalmon.forecast import paths
from fiscalmon.forecast.comparable import restated
from fiscalmon.forecast.panel import build_panel


def texas_panel(key="sales_taxes"):
    monthly, annual = fiscalmon.datasets.texas(key)
    return restated(build_panel(monthly, annual, items="tax_revenue"))


def adjusted_series(key, year, month):
    panel = texas_panel(key)
    view = panel.as_of(year, month)
    z, profile = paths.adjusted(view, panel.year_index(year), month)
    return view, z, profile


@pytest.mark.parametrize("alpha", [0.1, 0.5, 0.9])
def test_ses_recursion_is_statsmodels_simple_exponential_smoothing(alpha):
    """Reference: statsmodels SimpleExpSmoothing, initial level z[0] ('known'), alpha fixed: same final level."""
    from statsmodels.tsa.holtwinters import SimpleExpSmoothing

    _, z, _ = adjusted_series("sales_taxes", 2015, 6)
    y = z[0][np.isfinite(z[0])]
    level, _, _ = paths._ses(y[None, :], np.array([alpha]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = SimpleExpSmoothing(y, initialization_method="known", initial_level=y[0]).fit(
            smoothing_level=alpha, optimized=False)
    assert level[0, 0] == pytest.approx(fit.forecast(1)[0], abs=1e-10)


def test_theta_forecast_is_statsmodels_theta_model_with_its_alpha():
    """Reference: statsmodels ThetaModel (θ = 2, no deseasonalising, use_mle=False): its alpha and b0
    put into our formula (our SES level at that alpha, our OLS slope) give its forecasts."""
    from statsmodels.tsa.forecasting.theta import ThetaModel

    _, z, _ = adjusted_series("total_tax_collections", 2018, 4)
    y = z[0][np.isfinite(z[0])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ThetaModel(y, deseasonalize=False).fit(use_mle=False)
    alpha, b0 = float(fit.params["alpha"]), float(fit.params["b0"])
    assert paths._slope(y[None, :])[0] == pytest.approx(b0, rel=1e-9)
    level, _, _ = paths._ses(y[None, :], np.array([alpha]))
    ours = paths.theta_path(y[None, :], np.array([alpha]), level[:, 0], np.array([b0]), 8)[0]
    np.testing.assert_allclose(ours, np.asarray(fit.forecast(8)), rtol=0, atol=1e-9)


@pytest.mark.parametrize("alpha, beta, phi", [(0.3, 0.05, 0.9), (0.1, 0.15, 0.98)])
def test_damped_recursion_is_statsmodels_holt_damped(alpha, beta, phi):
    """Reference: statsmodels Holt(damped_trend=True), initial level z[0] and trend 0 ('known'), fixed
    α, β, φ: the same forecasts for 9 months."""
    from statsmodels.tsa.holtwinters import Holt

    _, z, _ = adjusted_series("sales_taxes", 2012, 3)
    y = z[0][np.isfinite(z[0])]
    level, trend, _ = paths._damped(y[None, :], np.array([[alpha, beta, phi]]))
    ours = paths.damped_path(level[:, 0], trend[:, 0], np.array([phi]), 9)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = Holt(y, damped_trend=True, initialization_method="known", initial_level=y[0], initial_trend=0.0).fit(
            smoothing_level=alpha, smoothing_trend=beta, damping_trend=phi, optimized=False)
    np.testing.assert_allclose(ours, np.asarray(fit.forecast(9)), rtol=0, atol=1e-9)


@pytest.mark.parametrize("key, year, month", [("sales_taxes", 2012, 3), ("sales_taxes", 2020, 6),
                                              ("total_tax_collections", 2016, 9), ("total_tax_collections", 2024, 5)])
def test_grid_search_lands_within_one_percent_of_statsmodels_optimised_ses(key, year, month):
    """The grid (11 alphas, errors of the first 12 months unscored) against statsmodels' optimiser over
    all errors: the chosen level, in logs, within 0.01 (1% of the months projected)."""
    from statsmodels.tsa.holtwinters import SimpleExpSmoothing

    _, z, _ = adjusted_series(key, year, month)
    y = z[0][np.isfinite(z[0])]
    level, sse, _ = paths._ses(y[None, :], paths.SES_ALPHAS)
    chosen = level[0, np.argmin(sse[0])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = SimpleExpSmoothing(y, initialization_method="known", initial_level=y[0]).fit()
    assert abs(chosen - fit.forecast(1)[0]) < 0.01


def test_seasonal_profile_by_hand_and_pooled_towards_the_panel():
    """Two series, four complete years each, flat within a year except month 1 (+0.3 in series A,
    +0.1 in B, in logs), growth 0. A year's deviation: month 1 at 0.3 − 0.3/12 = 0.275 (A) and
    0.1 − 0.1/12 = 0.091667 (B). The first year has no year before it (its growth is unknown) and does
    not count; year 4's profile averages years 2–3 (count 2), shrunk towards the panel's mean (0.183333)
    with 2 pseudo-years: A (2 × 0.275 + 2 × 0.183333) / 4 = 0.229167."""
    logs = np.zeros((2, 4, 12))
    logs[0, :, 0], logs[1, :, 0] = 0.3, 0.1
    profile = paths.seasonal_profiles(logs, window=5)
    assert np.isnan(profile[:, 2]).all()  # one counted past year is not enough
    assert profile[0, 3, 0] == pytest.approx((2 * 0.275 + 2 * (0.275 + 0.1 - 0.1 / 12) / 2) / 4, abs=1e-12)
    assert profile[0, 3, 0] == pytest.approx(0.229167, abs=1e-6)
    assert profile[1, 3, 5] == pytest.approx((2 * (-0.1 / 12) + 2 * (-(0.3 + 0.1) / 2 / 12)) / 4, abs=1e-12)
    alone = paths.seasonal_profiles(logs[:1], window=5)
    assert alone[0, 3, 0] == pytest.approx(0.275, abs=1e-12)  # one series: pooled onto itself


def test_growth_within_the_year_is_not_read_as_seasonality():
    """A series growing 1% a month with no seasonality has a flat profile (the year's growth taken out)."""
    logs = (0.01 * np.arange(60)).reshape(1, 5, 12)
    profile = paths.seasonal_profiles(logs, window=5)
    np.testing.assert_allclose(profile[0, 4], 0.0, atol=1e-12)


def test_panel_of_identical_series_gives_each_the_one_series_projection():
    """Vectorised over a panel: three copies of Texas sales each get the projection of the series alone
    (the pooled profile of identical series is their own)."""
    monthly, annual = fiscalmon.datasets.texas("sales_taxes")
    import pandas as pd

    copies = [monthly.assign(region_code=f"X{k}") for k in range(3)]
    outturns = [annual.assign(region_code=f"X{k}") for k in range(3)]
    panel = restated(build_panel(pd.concat(copies), pd.concat(outturns), items="tax_revenue"))
    single = texas_panel("sales_taxes")
    for method in (paths.ses, paths.theta, paths.damped):
        t = single.year_index(2019)
        alone = method(single.as_of(2019, 7), t, 7).point
        many = method(panel.as_of(2019, 7), t, 7).point
        np.testing.assert_allclose(many, np.repeat(alone, 3), rtol=1e-12)


def test_no_look_ahead_later_months_do_not_move_the_projection():
    panel = texas_panel("total_tax_collections")
    t = panel.year_index(2016)
    before = paths.theta(panel.as_of(2016, 5), t, 5).point
    changed = panel.ytd.copy()
    changed[:, t, 5:] *= 3
    changed[:, t + 1:] *= 5
    from dataclasses import replace

    after = paths.theta(replace(panel, ytd=changed).as_of(2016, 5), t, 5).point
    assert after == pytest.approx(before, rel=1e-12)


def test_full_year_is_ytd_plus_the_expected_remaining_months():
    """By hand from the pieces: YTD + Σ exp(level + profile + σ²/2) over the months left, for SES."""
    panel = texas_panel("sales_taxes")
    t, m = panel.year_index(2021), 8
    view = panel.as_of(2021, m)
    z, profile = paths.adjusted(view, t, m)
    level, sse, _ = paths._ses(z, paths.SES_ALPHAS)
    k = int(np.argmin(sse[0]))
    variance = sse[0, k] / np.isfinite(z[0, paths.BURN_IN:]).sum()
    expected = view.ytd[0, t, m - 1] + np.exp(level[0, k] + profile[0, m:] + variance / 2).sum()
    assert paths.ses(view, t, m).point[0] == pytest.approx(expected, rel=1e-12)


def test_short_or_broken_series_have_no_path_projection():
    panel = texas_panel("sales_taxes")
    t = panel.year_index(2005)  # two complete years before: no profile for enough months yet
    assert np.isnan(paths.theta(panel.as_of(2005, 6), t, 6).point).all()
    negative = panel.ytd.copy()
    negative[:, 10, 4] = negative[:, 10, 3] - 1  # a refund month: not positive, so no log at the cut
    from dataclasses import replace

    t = 10
    year = int(panel.years[t])
    assert np.isnan(paths.ses(replace(panel, ytd=negative).as_of(year, 5), t, 5).point).all()


def test_simulated_spread_is_centred_and_widens_with_the_months_left():
    panel = texas_panel("total_tax_collections")
    t = panel.year_index(2015)
    early = paths.simulated_log_spread(panel.as_of(2015, 3), t, 3)
    late = paths.simulated_log_spread(panel.as_of(2015, 10), t, 10)
    assert early.shape == (1, 200) and np.median(early) == pytest.approx(0.0, abs=1e-12)
    assert np.quantile(early, 0.9) - np.quantile(early, 0.1) > 2 * (np.quantile(late, 0.9) - np.quantile(late, 0.1))
    assert (paths.simulated_log_spread(panel.as_of(2015, 12), t, 12) == 0).all()


def test_intervals_in_early_years_come_from_the_simulation_and_say_so():
    """Texas sales, June 2008: four past years of errors (fewer than 8): the interval is the Theta model's
    simulated spread put around each point, the source says 'simulation'; by 2020 it is 'backtest'."""
    monthly, annual = fiscalmon.datasets.texas("sales_taxes")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        early = fiscalmon.forecast_full_year(monthly, annual, "2008-06", methods=["combination", "theta"]).table
        later = fiscalmon.forecast_full_year(monthly, annual, "2020-06", methods=["combination"]).table
    assert set(early["interval_source"]) == {"simulation"}
    assert (early["lo80"] < early["point"]).all() and (early["point"] < early["hi80"]).all()
    assert (early["lo95"] < early["lo80"]).all() and (early["hi95"] > early["hi80"]).all()
    assert set(later["interval_source"]) == {"backtest"}


def test_backtest_has_an_interval_in_every_scored_year():
    monthly, annual = fiscalmon.datasets.texas("sales_taxes")
    detail = fiscalmon.backtest(monthly, annual, months=[3, 9], methods=["combination", "theta"]).detail
    assert detail["lo80"].notna().all() and (detail["lo80"] < detail["hi80"]).all()


def test_registry_has_the_path_members_and_the_combination_weights_them():
    from fiscalmon.forecast.registry import COMBINATION_MEMBERS, METHODS, PANEL_METHODS

    assert {"ses", "theta", "damped"} <= set(PANEL_METHODS)
    assert all(METHODS[name].kind == "path" for name in ("ses", "theta", "damped"))
    assert {"ses", "theta"} <= set(COMBINATION_MEMBERS)
    monthly, annual = fiscalmon.datasets.texas("sales_taxes")
    weights = fiscalmon.forecast_full_year(monthly, annual, "2022-06").weights["tax_revenue"]
    assert not weights.plain_average and set(weights.weights) == set(COMBINATION_MEMBERS)


def test_combination_falls_back_to_a_sparse_input_rule_and_notes_it():
    """Changji's seed gives a growth path and one YTD amount: no member applies, growth_path does."""
    table = fiscalmon.forecast_full_year(fiscalmon.datasets.changji_monthly(), None, "2023-06", items="gpb_revenue",
                                         regions=["652300"], methods="combination").table
    row = table.iloc[0]
    assert row["method"] == "growth_path" and row["requested_method"] == "combination"
    assert row["point"] == pytest.approx(233.499, abs=0.001) and "fell back to growth_path" in row["note"]
