"""The risk indicators, one formula at a time, with every expected value worked by hand.

Amounts are in 亿元. Each case says the calculation in its id, so an analyst can check it on paper.
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from fiscalmon.risk import indicators
from fiscalmon.risk.indicators import (
    INDICATORS,
    INPUT_ZH,
    advances_change_pct,
    advances_share_pct,
    cash_on_usable_basis,
    compute,
    debt_grade_ratio_pct,
    debt_ratio_pct,
    debt_service_cover_times,
    interest_burden_pct,
    prepare,
    progress_gap_pp,
    sanbao_gap,
    sanbao_share_pct,
    trailing_outflow,
    treasury_coverage_months,
    usable_share_pct,
)
from fiscalmon.risk.thresholds import load_thresholds

# function, arguments (亿元 unless said), expected value, the calculation written out
FORMULAS = [
    (treasury_coverage_months, (0.32, 1.0), 0.32, "库款保障水平: 0.32 ÷ 1.00 = 0.32 months"),
    (treasury_coverage_months, (3.0, 1.5), 2.0, "库款保障水平: 3.00 ÷ 1.50 = 2.00 months"),
    (usable_share_pct, (0.9, 3.6), 25.0, "可用库款占比: 0.9 ÷ 3.6 × 100 = 25%"),
    (sanbao_gap, (10.5, 10.0), 0.5, "三保缺口: need 10.5 − budget 10.0 = 0.5亿元"),
    (progress_gap_pp, (4.0, 10.0, 50.0), -10.0, "三保进度: 4 ÷ 10 × 100 = 40%; 40 − 50 (June 序时进度) = −10 points"),
    (progress_gap_pp, (27.37, 55.57, 50.0), 27.37 / 55.57 * 100 - 50,
     "Changji H1 2023 debt service: 27.37 ÷ 55.57 × 100 = 49.25%; − 50 = −0.75 points"),
    (sanbao_share_pct, (4.23, 10.0), 42.3, "三保占可用财力: 4.23 ÷ 10 × 100 = 42.3%"),
    (debt_ratio_pct, (120.0, 100.0), 120.0, "债务率: 120 ÷ 100 × 100 = 120%"),
    (debt_grade_ratio_pct, (200.0, 100.0, 100.0), 300.0, "colour grade: (200 + 100) ÷ 100 × 100 = 300%"),
    (interest_burden_pct, (1.0, 10.0), 10.0, "利息支出率: 1 ÷ 10 × 100 = 10%"),
    (debt_service_cover_times, (1.5, 2.0), 0.75, "偿债保障: cash 1.5 ÷ due 2.0 = 0.75倍"),
    (advances_share_pct, (0.5, 8.0, 2.0), 5.0, "暂付款占比: 0.5 ÷ (8 + 2) × 100 = 5%"),
    (advances_change_pct, (1.1, 1.0), 10.0, "暂付款变动: (1.1 ÷ 1.0 − 1) × 100 = +10%"),
    (advances_change_pct, (0.9, 1.0), -10.0, "暂付款变动: (0.9 ÷ 1.0 − 1) × 100 = −10%"),
]


@pytest.mark.parametrize("func, args, expected, calculation", FORMULAS, ids=[f[3] for f in FORMULAS])
def test_formula_worked_by_hand(func, args, expected, calculation):
    assert func(*args) == pytest.approx(expected, abs=1e-12)


# function, arguments, expected, why
EDGES = [
    (debt_ratio_pct, (50.0, 0.0), np.nan, "综合财力 of zero: no ratio (not assessed), never green"),
    (interest_burden_pct, (0.1, 0.0), np.nan, "no fund expenditure: no ratio"),
    (progress_gap_pp, (1.0, 0.0, 50.0), np.nan, "nothing budgeted: no progress"),
    (debt_service_cover_times, (1.0, 0.0), np.inf, "nothing due in three months: covered without limit"),
    (debt_service_cover_times, (np.nan, 0.0), np.nan, "cash missing: not assessed even if nothing is due"),
    (treasury_coverage_months, (1.0, 0.0), np.inf, "cash and no outflow at all: idle without limit"),
    (treasury_coverage_months, (0.0, 0.0), np.nan, "no cash and no outflow: no coverage to speak of"),
    (advances_change_pct, (0.2, 0.0), np.inf, "advances where there were none at year-end: rising"),
    (advances_change_pct, (0.0, 0.0), 0.0, "none then, none now: not rising"),
]


@pytest.mark.parametrize("func, args, expected, why", EDGES, ids=[e[3] for e in EDGES])
def test_edge_cases(func, args, expected, why):
    result = func(*args)
    if np.isnan(expected):
        assert np.isnan(result)
    else:
        assert result == expected


def test_series_in_series_out_with_the_same_index():
    index = pd.Index(["653122", "653127"])
    result = debt_ratio_pct(pd.Series([120.0, 80.0], index=index), pd.Series([100.0, 100.0], index=index))
    assert isinstance(result, pd.Series) and list(result.index) == list(index)
    assert result.tolist() == [120.0, 80.0]


def test_cash_basis_is_usable_where_given_else_balance():
    cash, basis = cash_on_usable_basis(pd.Series([5.0, 5.0, np.nan]), pd.Series([1.2, np.nan, np.nan]))
    assert cash.tolist()[:2] == [1.2, 5.0] and np.isnan(cash.iloc[2])
    assert basis.tolist() == ["usable", "balance", None]


def _outflows(values, start="2022-05"):
    return pd.DataFrame({"region_code": "A", "period": pd.period_range(start, periods=len(values), freq="M"),
                         "treasury_outflow": values})


def test_trailing_outflow_uses_as_many_months_as_exist_up_to_twelve():
    """14 months of outflow 1, 2, …, 14: the last row averages months 3…14 = (3 + 14) ÷ 2 = 8.5 over 12 months;
    the third row averages 1, 2, 3 = 2 over 3 months."""
    result = trailing_outflow(_outflows([float(v) for v in range(1, 15)]))
    assert result["outflow_months"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 12]
    assert result["outflow_mean"].iloc[2] == 2.0
    assert result["outflow_mean"].iloc[-1] == 8.5


def test_trailing_outflow_skips_unreported_months_and_counts_calendar_months():
    """Outflow reported in 2023-01 (2.0) and 2023-03 (4.0), not in 2023-02; a missing row for 2023-04.
    At 2023-05 (6.0) the window holds 2.0, 4.0 and 6.0: mean 4.0 over 3 months."""
    table = pd.DataFrame({"region_code": "A", "period": pd.PeriodIndex(["2023-01", "2023-02", "2023-03", "2023-05"],
                                                                          freq="M"),
                          "treasury_outflow": [2.0, np.nan, 4.0, 6.0]})
    result = trailing_outflow(table)
    assert result["outflow_months"].tolist() == [1, 1, 2, 3]
    assert result["outflow_mean"].tolist() == [2.0, 2.0, 3.0, 4.0]


def test_trailing_outflow_keeps_counties_apart():
    table = pd.concat([_outflows([1.0, 1.0]).assign(region_code="A"), _outflows([5.0, 7.0]).assign(region_code="B")])
    result = trailing_outflow(table.reset_index(drop=True))
    assert result["outflow_mean"].tolist() == [1.0, 1.0, 5.0, 6.0]


def test_compute_names_the_missing_inputs_in_chinese():
    table = pd.DataFrame({"region_code": ["A"], "period": pd.PeriodIndex(["2023-06"], freq="M"),
                          "debt_balance": [120.0], "comprehensive_resources": [100.0]})
    values, missing = compute(prepare(table))
    assert values.loc[0, "debt_ratio"] == 120.0 and missing.loc[0, "debt_ratio"] == ""
    assert np.isnan(values.loc[0, "debt_grade"]) and missing.loc[0, "debt_grade"] == "隐性债务余额"
    assert missing.loc[0, "sanbao_gap"] == "三保需求、三保预算"


def test_values_are_rounded_so_a_boundary_written_in_decimals_is_on_it():
    """0.36 ÷ 0.9 is 0.39999999999999997 in floating point; graded, it must be exactly 0.4 (green, not red)."""
    table = pd.DataFrame({"region_code": ["A"], "period": pd.PeriodIndex(["2023-06"], freq="M"),
                          "treasury_balance": [0.36], "treasury_outflow": [0.9]})
    values, _ = compute(prepare(table))
    assert values.loc[0, "treasury_coverage"] == 0.4


def test_registry_gives_every_indicator_a_chinese_name_unit_formula_and_known_inputs():
    for key, indicator in INDICATORS.items():
        assert indicator.key == key
        assert indicator.zh and indicator.formula and indicator.unit in ("个月", "%", "亿元", "个百分点", "倍")
        assert all(name in INPUT_ZH for name in indicator.inputs), key


def test_every_registered_indicator_has_shipped_thresholds():
    thresholds = load_thresholds()
    assert {s.indicator for s in thresholds.sets} == set(INDICATORS)
    for key, indicator in INDICATORS.items():
        bands = thresholds.resolve(key, None, "2023-06")
        assert {band.unit for band in bands.bands} == {indicator.unit}, key


def test_docs_describe_every_indicator():
    from conftest import ROOT

    text = (ROOT / "docs" / "risk.md").read_text(encoding="utf-8")
    for key, indicator in INDICATORS.items():
        assert f"| `{key}` | {indicator.zh} |" in text, key


def test_docstring_examples_run():
    failures, tried = doctest.testmod(indicators, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 10 and failures == 0
