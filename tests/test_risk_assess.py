"""The monthly assessment, as tables of county cases with the level an analyst expects.

Every county case below is one county in June 2023 (序时进度 50%) with only the inputs the indicator
needs, amounts in 亿元; ``value`` is the indicator worked out by hand, ``level`` the grade the shipped
thresholds give it. Values exactly on each boundary are included: bands are [lower, upper) except where
the source says otherwise ("above 10%", "any gap", "any arrears" put the boundary itself in the lower band).
"""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

import fiscalmon
from conftest import PROVINCE_THRESHOLDS
from fiscalmon.args import ArgumentError
from fiscalmon.risk import INDICATORS, assess, load_thresholds
from fiscalmon.risk.assess import CHANGE_COLUMNS, COUNTY_COLUMNS, FLAG_COLUMNS, WATCH_COLUMNS
from fiscalmon.risk.indicators import OPERATIONS

JUNE = "2023-06"


def risk_table(*counties: dict) -> pd.DataFrame:
    """A canonical risk table from county rows; every column not given is empty (not reported)."""
    rows = []
    for number, county in enumerate(counties):
        row = {"region_code": f"65310{number}", "region": f"县{number}", "parent_code": "653100", "period": JUNE,
               "grade": None, **county}
        rows.append(row)
    table = pd.DataFrame(rows)
    table["period"] = pd.PeriodIndex(table["period"], freq="M")
    for name in fiscalmon.schema.RISK_AMOUNTS:
        table[name] = table[name].astype(float) if name in table else np.nan
    return table


def flag(result, indicator, region_code="653100"):
    rows = result.flags[(result.flags["indicator"] == indicator) & (result.flags["region_code"] == region_code)]
    assert len(rows) == 1
    return rows.iloc[0]


# ---- every confirmed threshold, on and around its boundaries ------------------------------------------

# indicator, inputs (亿元), value worked by hand, expected level
CASES = [
    # debt colour grade: (legal + hidden debt) ÷ 综合财力; red ≥ 300%, orange 200–300%, yellow 120–200%, green < 120%
    ("debt_grade", dict(debt_balance=100, hidden_debt_balance=19.99, comprehensive_resources=100), 119.99, "green"),
    ("debt_grade", dict(debt_balance=100, hidden_debt_balance=20, comprehensive_resources=100), 120, "yellow"),
    ("debt_grade", dict(debt_balance=150, hidden_debt_balance=49.99, comprehensive_resources=100), 199.99, "yellow"),
    ("debt_grade", dict(debt_balance=150, hidden_debt_balance=50, comprehensive_resources=100), 200, "orange"),
    ("debt_grade", dict(debt_balance=200, hidden_debt_balance=99.99, comprehensive_resources=100), 299.99, "orange"),
    ("debt_grade", dict(debt_balance=200, hidden_debt_balance=100, comprehensive_resources=100), 300, "red"),
    ("debt_grade", dict(debt_balance=36, hidden_debt_balance=0, comprehensive_resources=12), 300, "red"),
    # 债务率 (legal debt) ÷ 综合财力: 80–120% warning range, 100% ceiling
    ("debt_ratio", dict(debt_balance=79.99, comprehensive_resources=100), 79.99, "green"),
    ("debt_ratio", dict(debt_balance=80, comprehensive_resources=100), 80, "yellow"),
    ("debt_ratio", dict(debt_balance=100, comprehensive_resources=100), 100, "orange"),
    ("debt_ratio", dict(debt_balance=120, comprehensive_resources=100), 120, "orange"),
    # interest burden: above 10% of expenditure triggers 财政重整 (red); exactly 10% does not
    ("interest_burden_general", dict(interest_general=0.999, gpb_expenditure=10), 9.99, "green"),
    ("interest_burden_general", dict(interest_general=1.0, gpb_expenditure=10), 10, "green"),
    ("interest_burden_general", dict(interest_general=1.001, gpb_expenditure=10), 10.01, "red"),
    ("interest_burden_special", dict(interest_special=0.5, fund_expenditure=5), 10, "green"),
    ("interest_burden_special", dict(interest_special=0.5005, fund_expenditure=5), 10.01, "red"),
    # 三保 budget gap: need − budget; any gap is flagged, none (or a surplus) is not
    ("sanbao_gap", dict(sanbao_need=10, sanbao_budget=10.5), -0.5, "green"),
    ("sanbao_gap", dict(sanbao_need=10, sanbao_budget=10), 0, "green"),
    ("sanbao_gap", dict(sanbao_need=10.01, sanbao_budget=10), 0.01, "orange"),
    # wage arrears: any arrears are red
    ("wage_arrears", dict(wage_arrears=0), 0, "green"),
    ("wage_arrears", dict(wage_arrears=0.01), 0.01, "red"),
    # treasury coverage, nominal balance ÷ average monthly outflow: 预警 < 0.2, 偏低 below the 0.4 floor, 闲置 ≥ 2
    ("treasury_coverage", dict(treasury_balance=0.19, treasury_outflow=1), 0.19, "red"),
    ("treasury_coverage", dict(treasury_balance=0.2, treasury_outflow=1), 0.2, "yellow"),
    ("treasury_coverage", dict(treasury_balance=0.39, treasury_outflow=1), 0.39, "yellow"),
    ("treasury_coverage", dict(treasury_balance=0.4, treasury_outflow=1), 0.4, "green"),
    ("treasury_coverage", dict(treasury_balance=0.36, treasury_outflow=0.9), 0.4, "green"),
    ("treasury_coverage", dict(treasury_balance=1.99, treasury_outflow=1), 1.99, "green"),
    ("treasury_coverage", dict(treasury_balance=2, treasury_outflow=1), 2, "yellow"),
    # 三保 progress: paid ÷ budget × 100 − 50 (June); behind = flag, more than 10 points behind = orange
    ("sanbao_progress", dict(sanbao_paid=5, sanbao_budget=10), 0, "green"),
    ("sanbao_progress", dict(sanbao_paid=4.99, sanbao_budget=10), -0.1, "yellow"),
    ("sanbao_progress", dict(sanbao_paid=4, sanbao_budget=10), -10, "yellow"),
    ("sanbao_progress", dict(sanbao_paid=3.99, sanbao_budget=10), -10.1, "orange"),
    # debt service coverage: cash ÷ due in the next three months; uncovered (< 1) flagged, < 0.5 red
    ("debt_service_coverage", dict(treasury_balance=2, debt_service_next3m=2), 1, "green"),
    ("debt_service_coverage", dict(treasury_balance=1, debt_service_next3m=2), 0.5, "orange"),
    ("debt_service_coverage", dict(treasury_balance=0.98, debt_service_next3m=2), 0.49, "red"),
    # temporary advances: balance ÷ (general + fund expenditure); ≥ 5% flagged; above last year-end flagged
    ("advances_share", dict(advances_balance=0.499, gpb_expenditure=8, fund_expenditure=2), 4.99, "green"),
    ("advances_share", dict(advances_balance=0.5, gpb_expenditure=8, fund_expenditure=2), 5, "yellow"),
    ("advances_change", dict(advances_balance=1, advances_prev_yearend=1), 0, "green"),
    ("advances_change", dict(advances_balance=1.01, advances_prev_yearend=1), 1, "yellow"),
]


@pytest.mark.parametrize("indicator, inputs, value, level", CASES,
                         ids=[f"{c[0]} {c[2]} → {c[3]}" for c in CASES])
def test_county_cases(indicator, inputs, value, level):
    row = flag(assess(risk_table(inputs), JUNE), indicator)
    assert row["value"] == pytest.approx(value, abs=1e-9)
    assert row["level"] == level


def test_boundary_cases_cover_every_confirmed_threshold():
    covered = {c[0] for c in CASES}
    assert {"debt_grade", "interest_burden_general", "interest_burden_special", "sanbao_gap", "wage_arrears"} <= covered


# ---- not assessed ---------------------------------------------------------------------------------

def test_a_county_with_every_input_missing_is_not_assessed_never_green():
    result = assess(risk_table({"grade": "green"}), JUNE)
    flags = result.flags
    assert len(flags) == len(INDICATORS)
    assert (flags["level"] == "not_assessed").all()
    assert flags["value"].isna().all()
    others = flags[flags["indicator"] != "cash_outlook"]
    assert others["message"].str.contains("未评估：缺少").all()
    assert flag(result, "cash_outlook")["message"] == "库款预测未评估：未提供现金流计划（assess 的 cash_plan，命令行 --cash-plan）"
    assert flag(result, "debt_grade")["message"] == "综合债务率（含隐性债务）未评估：缺少法定债务余额、隐性债务余额、综合财力"
    county = result.counties.iloc[0]
    assert county["computed_grade"] == "not_assessed" and county["n_not_assessed"] == len(OPERATIONS)
    assert county["debt_risk_grade"] == "not_assessed"
    assert county["n_green"] == 0


def test_the_computed_grade_is_the_worst_operations_level_and_leaves_the_debt_colour_grade_apart():
    """Legal debt 70 + hidden 80 of 综合财力 100: 综合债务率 150% (yellow debt colour grade, the MOF system,
    reported apart); debt ratio 70% (green); interest 0.4 ÷ 10 = 4% (green); advances 0.6 ÷ (10 + 2) = 5%
    (yellow); every other indicator missing. The 指标测算最高预警等级 is yellow from the advances alone."""
    inputs = dict(debt_balance=70, hidden_debt_balance=80, comprehensive_resources=100, interest_general=0.4,
                  gpb_expenditure=10, fund_expenditure=2, advances_balance=0.6)
    county = assess(risk_table(inputs), JUNE).counties.iloc[0]
    assert county["computed_grade"] == "yellow" and county["debt_risk_grade"] == "yellow"
    assert (county["n_yellow"], county["n_green"], county["n_not_assessed"]) == (1, 2, len(OPERATIONS) - 3)
    assert county["worst_indicators"] == "暂付款占支出比重"
    # a red debt colour grade alone does not make the computed grade red
    red_debt = assess(risk_table(dict(debt_balance=200, hidden_debt_balance=150, comprehensive_resources=100)),
                      JUNE).counties.iloc[0]
    assert red_debt["debt_risk_grade"] == "red" and red_debt["computed_grade"] == "orange"  # debt ratio 200%
    assert not red_debt["red_level"] and red_debt["red_level_basis"] == ""


def test_a_zero_divisor_is_not_assessed_and_says_why():
    row = flag(assess(risk_table(dict(debt_balance=50, comprehensive_resources=0)), JUNE), "debt_ratio")
    assert row["level"] == "not_assessed" and row["message"] == "债务率（法定债务）未评估：无法计算（综合财力为0）"


# ---- treasury coverage: the window and the cash basis ----------------------------------------------

def _history(balances, outflows, usable=None, end=JUNE):
    periods = pd.period_range(end=end, periods=len(balances), freq="M")
    return risk_table(*[{"period": str(p), "treasury_balance": b, "treasury_outflow": o,
                         **({"treasury_usable": usable[i]} if usable else {})}
                        for i, (p, b, o) in enumerate(zip(periods, balances, outflows))]).assign(
        region_code="653100", region="县0")


def test_treasury_coverage_over_fewer_than_twelve_months_says_so():
    """Three months of outflow, 1.0, 2.0 and 3.0: average 2.0; June balance 1.0 → 0.5 months, over 3 months."""
    row = flag(assess(_history([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]), JUNE), "treasury_coverage")
    assert row["value"] == 0.5 and row["level"] == "green"
    assert "近3个月平均库款流出2.00亿元" in row["message"] and "不足12个月" in row["message"]
    assert row["basis"] == "6月末库款余额（名义）；近3个月平均流出（不足12个月）"


def test_treasury_coverage_averages_the_last_twelve_months_only():
    """Fourteen months of outflow: 10.0 twice, then twelve months of 1.0. The average is over the last twelve,
    1.0, not (20 + 12) ÷ 14; June balance 0.5 → 0.5 months."""
    row = flag(assess(_history([0.5] * 14, [10.0, 10.0] + [1.0] * 12), JUNE), "treasury_coverage")
    assert row["value"] == 0.5
    assert "近12个月" in row["message"] and "不足" not in row["message"]


def test_each_basis_is_graded_on_its_own_bands():
    """Balance 2.0 of which 0.32 usable, outflow 1.0 a month. Nominal: 2.0 ÷ 1.0 = 2.0, 闲置 (yellow); usable:
    0.32 ÷ 1.0 = 0.32, below one 旬 (0.33): 偏低 (yellow), not 预警 — the 0.4 floor is not applied to usable cash."""
    result = assess(_history([2.0], [1.0], usable=[0.32]), JUNE)
    nominal, usable = flag(result, "treasury_coverage"), flag(result, "treasury_coverage_usable")
    assert nominal["value"] == 2.0 and nominal["level"] == "yellow" and nominal["band"] == "x ≥ 2 闲置"
    assert usable["value"] == 0.32 and usable["level"] == "yellow" and usable["band"] == "0.1 ≤ x < 0.33 偏低"
    assert usable["basis"].startswith("6月末可用库款")
    share = flag(assess(_history([2.0], [1.0], usable=[0.32]), JUNE), "treasury_usable_share")
    assert share["value"] == 16.0 and share["level"] == "yellow"


def test_the_chinese_message_quotes_the_numbers():
    """The issue's example: 0.32 months of coverage is below the 0.4 lower limit."""
    row = flag(assess(_history([0.32], [1.0]), JUNE), "treasury_coverage")
    assert row["message"].startswith("库款保障水平0.32个月，在0.2（含）至0.4之间（偏低）")
    assert "按6月末库款余额0.32亿元÷近1个月平均库款流出1.00亿元计算" in row["message"]
    debt = flag(assess(risk_table(dict(debt_balance=250, hidden_debt_balance=100, comprehensive_resources=100)),
                       JUNE), "debt_grade")
    assert debt["message"] == ("综合债务率（含隐性债务）350.00%，达到或超过300%（红色等级）；"
                               "（法定债务250.00亿元+隐性债务100.00亿元）÷综合财力100.00亿元；"
                               "对应财政部债务风险等级的测算，不是认定等级")
    assert debt["band"] == "x ≥ 300% 红色等级" and debt["threshold_source"].startswith("[P] 二手资料")


def test_a_value_just_off_a_boundary_shows_enough_decimals():
    row = flag(assess(risk_table(dict(interest_general=1.0001, gpb_expenditure=10)), JUNE), "interest_burden_general")
    assert row["level"] == "red" and row["message"].startswith("一般债务利息支出率10.0010%，超过10%")


# ---- province and year overrides ----------------------------------------------------------------



def test_province_and_year_overrides_take_effect(tmp_path):
    """Coverage 0.5 months is green under the defaults (≥ 0.4) but red under Xinjiang's own 2023 line of 0.6;
    Gansu (620000) and Xinjiang in 2022 keep the defaults."""
    path = tmp_path / "xinjiang.toml"
    path.write_text(PROVINCE_THRESHOLDS, encoding="utf-8")
    rows = [dict(region_code=code, period=month, treasury_balance=0.5, treasury_outflow=1.0)
            for code in ("653122", "620102") for month in ("2022-06", JUNE)]
    table = risk_table(*rows)
    for thresholds in (path, str(path), load_thresholds(path)):
        june, last_year = assess(table, JUNE, thresholds), assess(table, "2022-06", thresholds)
        assert flag(june, "treasury_coverage", "653122")["level"] == "red"
        assert flag(june, "treasury_coverage", "620102")["level"] == "green"
        assert flag(last_year, "treasury_coverage", "653122")["level"] == "green"
    assert "某省库款考核办法" in flag(june, "treasury_coverage", "653122")["threshold_source"]
    assert flag(assess(table, JUNE), "treasury_coverage", "653122")["level"] == "green"


# ---- changes since the previous month -------------------------------------------------------------

def test_month_over_month_change_categories():
    """One county, May → June 2023 (综合财力 100, so amounts are percentages):

    indicator                 May                          June                          change
    debt_grade                (110 + 40) = 150% yellow     (90 + 160) = 250% orange      worsened
    debt_ratio                110% orange                  90% yellow                    improved
    wage_arrears              0 green                      0.1 red                       new
    sanbao_gap                11 − 10 = 1 orange           10 − 10 = 0 green             cleared
    interest_burden_general   0.4 ÷ 10 = 4% green          4% green                      unchanged
    advances_share            1 ÷ 40 = 2.5% green          balance not reported          not_compared
    treasury_coverage         not reported                 not reported                  unchanged
    """
    may = dict(period="2023-05", debt_balance=110, hidden_debt_balance=40, comprehensive_resources=100,
               wage_arrears=0, sanbao_need=11, sanbao_budget=10, interest_general=0.4, gpb_expenditure=30,
               fund_expenditure=10, advances_balance=1, advances_prev_yearend=1)
    june = dict(may, period=JUNE, debt_balance=90, hidden_debt_balance=160, wage_arrears=0.1, sanbao_need=10,
                advances_balance=np.nan)
    may["interest_general"] = june["interest_general"] = 1.2  # 1.2 ÷ 30 = 4%
    table = risk_table(may, june).assign(region_code="653100")
    changes = assess(table, JUNE).changes.set_index("indicator")
    expected = {"debt_grade": "worsened", "debt_ratio": "improved", "wage_arrears": "new", "sanbao_gap": "cleared",
                "interest_burden_general": "unchanged", "advances_share": "not_compared",
                "treasury_coverage": "unchanged"}
    assert changes.loc[list(expected), "change"].to_dict() == expected
    assert changes.loc["debt_grade", ["previous_level", "level", "previous_value", "value"]].tolist() == [
        "yellow", "orange", 150.0, 250.0]
    assert (changes["previous_period"] == "2023-05").all()
    assert changes.loc["wage_arrears", "change_zh"] == "新增预警"


def test_without_a_previous_month_flags_are_new():
    changes = assess(risk_table(dict(wage_arrears=0.1, debt_balance=10, comprehensive_resources=100)), JUNE).changes
    by = changes.set_index("indicator")["change"]
    assert by["wage_arrears"] == "new" and by["debt_ratio"] == "not_compared"


# ---- red-level first, and the watch list ----------------------------------------------------------

def test_the_official_grade_is_the_only_red_level_list_and_comes_first():
    """A: official red, computed orange (debt ratio 150%); B: official green, computed red (wage arrears): watched,
    not red-level; C: official orange; D: green."""
    table = risk_table(
        dict(region_code="650001", grade="green", debt_balance=10, comprehensive_resources=100),                # D
        dict(region_code="650002", grade="orange", debt_balance=250, comprehensive_resources=100,
             hidden_debt_balance=0),                                                                             # C
        dict(region_code="650003", grade="red", debt_balance=150, hidden_debt_balance=0, comprehensive_resources=100),
        dict(region_code="650004", grade="green", wage_arrears=0.2),                                            # B
    )
    result = assess(table, JUNE)
    assert result.counties["region_code"].tolist() == ["650003", "650004", "650002", "650001"]
    assert result.counties["red_level"].tolist() == [True, False, False, False]
    assert result.counties["red_level_basis"].tolist() == ["official", "computed", "", ""]
    assert result.counties["watch_reason"].tolist()[:2] == ["认定红色等级", "指标测算最高预警等级为红色（非认定红色等级）：欠发工资"]
    assert result.flags["region_code"].drop_duplicates().tolist() == ["650003", "650004", "650002", "650001"]
    assert result.changes["region_code"].drop_duplicates().tolist()[:2] == ["650003", "650004"]
    assert result.watch["region_code"].tolist() == ["650003", "650004"]
    assert list(result.counties.columns) == COUNTY_COLUMNS


def test_watch_list_numbers_worked_by_hand():
    """Usable cash 3.00 (of a 5.00 balance); wage arrears 0.50 and 1.20 of debt service due in three months:
    1.70 due, 1.30 left; 三保 budget 12.00 a year is 1.00 a month, so 1.3 months of 三保 are left."""
    table = risk_table(dict(grade="red", treasury_balance=5.0, treasury_usable=3.0, treasury_outflow=2.0,
                            wage_arrears=0.5, debt_service_next3m=1.2, sanbao_budget=12.0))
    watch = assess(table, JUNE).watch.iloc[0]
    assert watch["cash_basis"] == "usable" and watch["treasury_cash"] == 3.0
    assert watch["due_total"] == pytest.approx(1.7) and watch["cash_after"] == pytest.approx(1.3)
    assert watch["sanbao_monthly"] == 1.0 and watch["sanbao_months_after"] == pytest.approx(1.3)
    assert watch["treasury_coverage"] == 1.5  # 3.00 ÷ 2.00
    assert watch["note"] == ("可用库款3.00亿元；欠发工资0.50亿元；未来三个月到期还本付息1.20亿元（未报预计再融资债券，按全额计），"
                             "合计1.70亿元；支付后余1.30亿元，约合1.3个月三保支出（三保预算12.00亿元÷12）。")


def test_a_shortfall_is_written_as_such():
    """Cash 0.40 against 0.30 + 0.50 = 0.80 due: 0.40 short, which is 0.40 ÷ (4.80 ÷ 12) = 1.0 month of 三保."""
    table = risk_table(dict(grade="red", treasury_balance=0.4, wage_arrears=0.3, debt_service_next3m=0.5,
                            sanbao_budget=4.8))
    watch = assess(table, JUNE).watch.iloc[0]
    assert watch["cash_after"] == pytest.approx(-0.4) and watch["sanbao_months_after"] == pytest.approx(-1.0)
    assert "支付后缺0.40亿元，缺口相当于1.0个月三保支出" in watch["note"]


# ---- arguments ------------------------------------------------------------------------------------

BAD_ARGUMENTS = [
    (dict(risk_table=[1, 2]), ArgumentError, "risk_table must be a canonical risk table (a DataFrame from fiscalmon.read_risk)"),
    (dict(risk_table=pd.DataFrame({"region_code": ["A"]})), ArgumentError, "with columns region_code, period"),
    (dict(month="2023-13"), ArgumentError, "month must be a month such as '2024-06', '2024年6月'"),
    (dict(month="June 2023"), ArgumentError, "month must be a month such as"),
    (dict(month="2024-01"), ArgumentError, "a month of the risk table (2023-06 … 2023-06)"),
    (dict(thresholds=3), ArgumentError, "thresholds must be None (the shipped defaults), a Thresholds"),
    (dict(region_table=["650000"]), ArgumentError, "region_table must be None or a canonical regions table"),
]


@pytest.mark.parametrize("change, error, words", BAD_ARGUMENTS, ids=[b[2] for b in BAD_ARGUMENTS])
def test_arguments_are_checked_with_messages_that_say_what_is_allowed(change, error, words):
    arguments = dict(risk_table=risk_table({}), month=JUNE, **{})
    arguments.update(change)
    with pytest.raises(error) as caught:
        assess(**arguments)
    assert words in str(caught.value)


def test_duplicate_rows_are_refused():
    with pytest.raises(ArgumentError, match="one row per region_code × period; got '653100 2023-06'"):
        assess(risk_table({}, {}).assign(region_code="653100"), JUNE)


def test_regions_fill_the_official_grade():
    regions = pd.DataFrame({"region_code": ["653100"], "region": ["疏勒县"], "grade": ["red"]})
    counties = assess(risk_table({}).assign(region=None), JUNE, region_table=regions).counties
    assert counties[["region", "grade", "red_level_basis"]].iloc[0].tolist() == ["疏勒县", "red", "official"]


# ---- the demo panel (SYNTHETIC): what data/demo/README.md says it shows ------------------------------------

@pytest.fixture(scope="module")
def demo():
    return assess(fiscalmon.datasets.demo_risk(), JUNE)


def test_demo_shapes_and_columns(demo):
    assert len(demo.counties) == 97 and len(demo.flags) == 97 * len(INDICATORS)
    assert list(demo.flags.columns) == FLAG_COLUMNS and list(demo.changes.columns) == CHANGE_COLUMNS
    assert list(demo.watch.columns) == WATCH_COLUMNS


def test_demo_agrees_with_its_readme(demo):
    levels = demo.flags.pivot(index="region_code", columns="indicator", values="level")
    # debt colour band at 2023-06: red 6, orange 12, yellow 25, green 52 (README), plus 2 counties not assessed
    assert levels["debt_grade"].value_counts().to_dict() == {"green": 52, "yellow": 25, "orange": 12, "red": 6,
                                                             "not_assessed": 2}
    assert levels.loc["653226", "interest_burden_general"] == "red"        # all 24 months above 10%
    assert levels.loc["653126", "interest_burden_general"] == "red"        # crosses into the flag 2023-01
    assert levels.loc["654221", "sanbao_gap"] == "orange"                  # gap all 24 months
    assert levels.loc["653201", "sanbao_gap"] == "green"                   # recovered, last flagged 2022-12
    assert (levels.loc["652300-zd"] == "not_assessed").all()               # the zone reports no indicator
    assert demo.counties.set_index("region_code").loc["652300-zd", "computed_grade"] == "not_assessed"
    official_red = {"653122", "653127", "653131", "653226", "653227", "654221"}
    assert official_red <= set(demo.watch["region_code"])
    assert set(demo.counties.loc[demo.counties["red_level"], "region_code"]) == official_red
    assert demo.watch["red_level_basis"].iloc[:6].isin(["official", "both"]).all()
    assert (demo.watch["red_level_basis"].iloc[6:] == "computed").all()


def test_demo_grade_table_adds_up(demo):
    table = demo.grade_table()
    assert table.loc["total", "total"] == 97
    assert table.loc["total", "red"] == 6
