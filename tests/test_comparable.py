"""可比口径: special factors taken out, the underlying year projected, this year's factors added back.

The expected values are worked by hand in each docstring.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import fiscalmon
from fiscalmon.forecast.panel import build_panel


def _monthly(rows: dict[str, float], **extra) -> pd.DataFrame:
    """A one-county gpb_revenue table from {period: YTD in 亿元}."""
    table = pd.DataFrame({"region_code": "990101", "region": "甲县", "item": "gpb_revenue", "unit": "亿元",
                          "period": list(rows), "ytd": list(rows.values()), **extra})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fiscalmon.read_monthly(table)


def _special(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    """Special factors from (period, label, cumulative effect in 亿元)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fiscalmon.read_special(pd.DataFrame({
            "地区编码": "990101", "地区": "甲县", "项目": "一般公共预算收入", "单位": "亿元",
            "月份": [r[0] for r in rows], "特殊因素": [r[1] for r in rows], "累计影响": [r[2] for r in rows]}))


CASE = {"2022-06": 100.0, "2022-12": 220.0, "2023-06": 120.0}
FACTORS = [("2022-06", "留抵退税", -15.0), ("2022-12", "留抵退税", -20.0), ("2023-06", "一次性收入", 5.0),
           ("2023-12", "一次性收入", 5.0)]


def _project(monthly, special=None, method="carry_forward"):
    return fiscalmon.forecast_full_year(monthly, None, "2023-06", methods=method, special=special).table.iloc[0]


def test_carry_forward_on_the_comparable_basis_worked_by_hand():
    """2022 refunds lowered H1 by 15 and the year by 20; 2023 H1 holds a one-off 5 (declared for the year).
    Underlying: 2023 H1 120 − 5 = 115, 2022 H1 100 + 15 = 115: comparable growth 0%; 2022 underlying
    year 220 + 20 = 240; carry-forward 240 × 115/115 = 240, plus the one-off 5 = 245.
    On the natural basis: 220 × 120/100 = 264, 19 above."""
    natural = _project(_monthly(CASE))
    comparable = _project(_monthly(CASE), _special(FACTORS))
    assert natural["point"] == pytest.approx(264.0)
    assert comparable["point"] == pytest.approx(245.0)
    assert (comparable["yoy_pct"], comparable["yoy_comparable_pct"]) == (pytest.approx(20.0), pytest.approx(0.0))
    assert (comparable["special_ytd"], comparable["special_full_year"]) == (5.0, 5.0)
    assert "可比口径" in comparable["assumptions"]


def test_the_same_for_every_method_rest_of_year_restated_times_comparable_growth():
    """growth_path with three months known: the rest of the year is last year's rest restated (240 −
    115 = 125) times the comparable growth of the months since March. With 2022-03 40 (+15 refunds
    then too: 55) and 2023-03 45 (no factor then: 45): recent growth (115 − 45)/(115 − 55) = 70/60;
    point 115 + 125 × 70/60 + 5 = 265.833…"""
    rows = {"2022-03": 40.0, **CASE, "2023-03": 45.0}
    factors = [("2022-03", "留抵退税", -15.0), *FACTORS]
    point = _project(_monthly(rows), _special(factors), method="growth_path")["point"]
    assert point == pytest.approx(115 + 125 * 70 / 60 + 5)


def test_several_factors_on_one_item_are_summed():
    """Two factors at 2023-06 (+5 one-off, −2 boundary change) net +3; the year declares +3 too:
    underlying 117 against 115, carry-forward 240 × 117/115 + 3."""
    factors = FACTORS[:2] + [("2023-06", "一次性收入", 5.0), ("2023-06", "企业迁出", -2.0),
                             ("2023-12", "一次性收入", 5.0), ("2023-12", "企业迁出", -2.0)]
    assert _project(_monthly(CASE), _special(factors))["point"] == pytest.approx(240 * 117 / 115 + 3)


def test_a_factor_declared_for_the_rest_of_the_year_is_added_in_full():
    """Only 5 booked by June, 12 declared for the year (a second instalment): 240 × 115/115 + 12 = 252."""
    factors = FACTORS[:3] + [("2023-12", "一次性收入", 12.0)]
    row = _project(_monthly(CASE), _special(factors))
    assert row["point"] == pytest.approx(252.0) and row["special_full_year"] == 12.0


def test_a_reported_comparable_growth_implies_the_factor():
    """No factor table; 2023 H1 reported at +20% natural and 0% comparable: the implied effect this
    year is 120 − 1.00 × 100 = 20, held for the year: 220 × 100/100 + 20 = 240 (natural: 264)."""
    monthly = _monthly(CASE)
    monthly.loc[monthly["period"] == pd.Period("2023-06", "M"), "yoy_comparable_pct"] = 0.0
    row = _project(monthly)
    assert row["point"] == pytest.approx(240.0)
    assert (row["special_ytd"], row["special_full_year"]) == (pytest.approx(20.0), pytest.approx(20.0))
    assert "implied by the reported comparable growth" in row["assumptions"]


def test_comparable_growth_read_from_bureau_headers():
    table = pd.DataFrame({"地区": ["新疆维吾尔自治区"], "月份": ["2022-06"], "项目": ["一般公共预算收入"],
                          "累计(亿元)": [1000.0], "同比增长(%)": [-10.2], "扣除留抵退税因素后增长(%)": [3.3]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = fiscalmon.read_monthly(table)
    assert read[["yoy_pct", "yoy_comparable_pct"]].values.tolist() == [[-10.2, 3.3]]


def test_a_reduction_column_is_read_with_its_sign_turned():
    """减收金额 300 is an effect of −300 (the refunds lowered revenue)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = fiscalmon.read_special(pd.DataFrame({"地区": ["新疆维吾尔自治区"], "月份": ["2022年1-6月"],
                                                     "项目": ["一般公共预算收入"], "特殊因素": ["增值税留抵退税"],
                                                     "减收金额(亿元)": [300]}))
    assert table[["region_code", "ytd_effect", "label"]].values.tolist() == [["650000", -300.0, "增值税留抵退税"]]


def test_a_backtest_uses_only_the_factors_booked_by_its_month():
    """Scoring 2023 at June with a 2023-12 row declaring 12: the backtest adds only the 5 booked by
    June (the declaration came later, as far as a June analyst knew); a live projection adds 12."""
    rows = {f"{y}-{m:02d}": v for y, base in ((2019, 80.0), (2020, 85.0), (2021, 90.0), (2022, 100.0), (2023, 120.0))
            for m, v in ((6, base), (12, base * 2.2))}
    monthly = _monthly(rows)
    factors = _special([("2023-06", "一次性收入", 5.0), ("2023-12", "一次性收入", 12.0)])
    detail = fiscalmon.backtest(monthly, None, methods="carry_forward", months=[6], special=factors,
                                min_train_years=1).detail
    scored = detail[detail["year"] == 2023].iloc[0]
    assert scored["point"] == pytest.approx(2.2 * 100 * (120 - 5) / 100 + 5)


def test_an_adjusted_budget_is_in_force_from_its_approval_month_only():
    """年初预算 100, 调整预算 110 approved 2022-08: the budget at June 2022 is 100, at September 110."""
    monthly = _monthly({"2021-12": 90.0, "2022-06": 50.0, "2022-12": 105.0, "2023-06": 55.0})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        annual = fiscalmon.read_annual(pd.DataFrame({
            "地区编码": "990101", "地区": "甲县", "年度": [2022], "项目": "一般公共预算收入", "年初预算": [100.0],
            "调整预算": [110.0], "调整预算批准日期": ["2022-08-28"], "单位": "亿元"}))
    panel = build_panel(monthly, annual, items="gpb_revenue")
    t = panel.year_index(2022)
    assert panel.budget_at(t, 6)[0].tolist() == [100.0] and panel.budget_at(t, 9)[0].tolist() == [110.0]
    assert panel.as_of(2022, 6).budget[0, t] == 100.0


def test_a_growth_target_is_a_budget_of_last_years_outturn_times_one_plus_the_target():
    """年初10%的增长预期目标 on a 2022 outturn of 220: B = 242; the H1 completion 120/242 = 49.59%."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        annual = fiscalmon.read_annual(pd.DataFrame({"地区编码": "990101", "地区": "甲县", "年度": [2023],
                                                     "项目": "一般公共预算收入", "年初预期增长目标(%)": [10.0]}))
    row = fiscalmon.forecast_full_year(_monthly(CASE), annual, "2023-06", methods="carry_forward").table.iloc[0]
    assert (row["budget"], row["budget_source"]) == (pytest.approx(242.0), "target_growth")
    assert row["completion_pct"] == pytest.approx(120 / 242 * 100)


def test_the_seed_reports_mining_rights_receipt_restates_xinjiangs_growth():
    """Xinjiang H1 2023 (seed report): 一般公共预算收入 1112.5亿元, +22.1%; 非税收入 411.2亿元, +32.2%; a
    45亿元 one-off 探矿权出让收益 in both. Last year's YTD is known only through the growth rates:
    1112.5 ÷ 1.221 = 911.14 and 411.2 ÷ 1.322 = 311.04, so the comparable growth is
    (1112.5 − 45) ÷ 911.14 − 1 = 17.16% and (411.2 − 45) ÷ 311.04 − 1 = 17.73%. The report's own
    check: 45 ÷ 311.04 = 14.5 points of non-tax growth (拉动非税收入增长14.5个百分点)."""
    d = fiscalmon.datasets
    special = d.xinjiang_special()
    assert set(special["item"]) == {"gpb_revenue", "nontax_revenue"} and (special["ytd_effect"] == 45).all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = fiscalmon.forecast_full_year(d.xinjiang_monthly(), d.xinjiang_annual(), month="2023-06",
                                             items=["gpb_revenue", "nontax_revenue"], regions="650000",
                                             special=special).table.set_index("item")
    assert table.loc["gpb_revenue", "yoy_comparable_pct"] == pytest.approx((1067.5 / (1112.5 / 1.221) - 1) * 100)
    assert table.loc["gpb_revenue", "yoy_comparable_pct"] == pytest.approx(17.16, abs=0.005)
    assert table.loc["nontax_revenue", "yoy_comparable_pct"] == pytest.approx(17.73, abs=0.005)
    assert 45 / (411.2 / 1.322) * 100 == pytest.approx(14.5, abs=0.05)
    assert (table["special_full_year"] == 45).all()


def test_a_factor_of_last_year_only_restates_the_base_and_says_so():
    """Only the 2022 refunds (H1 −15, year −20): 2022 underlying H1 115 and year 240; 2023 H1 120 is
    +4.35% on the comparable basis; carry-forward 240 × 120/115 = 250.43, nothing added back."""
    comparable = _project(_monthly(CASE), _special(FACTORS[:2]))
    assert comparable["point"] == pytest.approx(240 * 120 / 115)
    assert comparable["yoy_comparable_pct"] == pytest.approx((120 / 115 - 1) * 100)
    assert comparable["special_full_year"] == 0
    assert "last year's special factors (-20亿元 in its full year)" in comparable["assumptions"]


def test_the_national_replay_lands_where_the_comparable_arithmetic_puts_it():
    """MOF figures (data/reference/national_gpb_revenue.csv). June 2022: 105221亿元, natural −10.2%,
    扣除留抵退税因素后 +3.3% over 2021 H1 117116 → implied effect 105221 − 117116 × 1.033 = −15759.83,
    assumed to stay: 202538.88 × 1.033 − 15759.83 = 193462.8 (outturn 203703.48). June 2023: 2022
    restated by its implied effects (H1 −15759.83, year 203703.48 − 202538.88 × 1.091 = −17266.43):
    H1 120980.83, year 220969.91; 119203 + (220969.91 − 120980.83) × 119203 ÷ 120980.83 = 217722.7
    (outturn 216784: +0.43%, against +6.45% on the natural basis)."""
    table = quietly_read_national()
    june_2022 = _project_at(table, "2022-06")
    assert june_2022["special_ytd"] == pytest.approx(105221 - 117116 * 1.033)
    assert june_2022["point"] == pytest.approx(202538.88 * 1.033 + (105221 - 117116 * 1.033))
    june_2023 = _project_at(table, "2023-06")
    h1, year = 105221 - (105221 - 117116 * 1.033), 203703.48 - (203703.48 - 202538.88 * 1.091)
    assert june_2023["point"] == pytest.approx(119203 + (year - h1) * 119203 / h1)
    assert abs(june_2023["point"] / 216784 - 1) < 0.005
    natural = _project_at(table.assign(yoy_comparable_pct=float("nan")), "2023-06")
    assert natural["point"] == pytest.approx(203703.48 * 119203 / 105221)


def quietly_read_national() -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fiscalmon.read_monthly(fiscalmon.datasets.data_path("reference/national_gpb_revenue.csv"))


def _project_at(table: pd.DataFrame, month: str):
    known = table[table["period"] <= month]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fiscalmon.forecast_full_year(known, month=month, methods="carry_forward").table.iloc[0]
