"""Every chart returns a Figure and draws its Chinese labels with a CJK font: no missing glyphs."""

from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import fiscalmon  # noqa: E402
from fiscalmon import plot  # noqa: E402


def _draw(figure) -> list[str]:
    """Render the figure and return every warning raised while drawing it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(io.BytesIO(), format="png")
    plt.close(figure)
    return [str(w.message) for w in caught]


@pytest.fixture(scope="module")
def demo():
    monthly, annual, risk = fiscalmon.datasets.demo_monthly(), fiscalmon.datasets.demo_annual(), fiscalmon.datasets.demo_risk()
    projection = fiscalmon.forecast_full_year(monthly, annual, "2023-06", items="gpb_revenue").table
    return monthly, annual, risk, projection


def test_growth_path_of_changji_labels_every_month():
    figure = plot.growth_path(fiscalmon.datasets.changji_monthly(), "652300")
    labels = [t.get_text() for t in figure.axes[0].texts]
    assert labels == ["-9.37%", "0.68%", "4.10%", "3.02%", "2.36%", "0.45%"]
    assert "昌吉回族自治州" in figure.axes[0].get_title()
    assert not [w for w in _draw(figure) if "Glyph" in w]


def test_fan_chart_completion_flag_grid_trend_and_backtest_have_no_missing_glyphs(demo):
    monthly, annual, risk, projection = demo
    assessment = fiscalmon.assess(risk, "2023-06")
    history = pd.concat([fiscalmon.assess(risk, "2023-05").flags, assessment.flags], ignore_index=True)
    figures = [
        plot.fan_chart(projection[projection["region_code"] == "652300"].iloc[0], monthly),
        plot.completion_vs_progress(projection[projection["region_code"].str.startswith("6523")]),
        plot.flag_grid(assessment.flags),
        plot.backtest_errors(fiscalmon.backtest(monthly, annual, months=[3, 6, 9], min_train_years=3).summary),
        plot.indicator_trend(history, "653122", "treasury_coverage", {"red": 0.4}),
    ]
    for figure in figures:
        assert isinstance(figure, matplotlib.figure.Figure)
        assert not [w for w in _draw(figure) if "Glyph" in w]


def test_fan_chart_shows_the_budget_and_the_odds(demo):
    monthly, _, _, projection = demo
    row = projection[projection["region_code"] == "652300"].iloc[0]
    figure = plot.fan_chart(row, monthly)
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert f"预算 {row['budget']:.2f}" in legend and f"预计全年 {row['point']:.2f}" in legend
    assert f"{row['p_attain']:.0%}" in figure.axes[0].get_title()
    plt.close(figure)


def test_charts_leave_the_users_matplotlib_settings_alone():
    before = dict(matplotlib.rcParams)
    plt.close(plot.growth_path(fiscalmon.datasets.changji_monthly(), "652300"))
    assert matplotlib.rcParams["font.family"] == before["font.family"]


def test_unknown_metric_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="'mape'"):
        plot.backtest_errors(None, metric="rmse")
