"""County cases for issue 15, worked by hand: refinancing, overdue debt, a wage lag inside a healthy 三保
total, treasury statuses per basis and by 旬, a cash shortfall two months ahead, a capacity gap.

Every county is assessed in June 2023 (序时进度 50%); amounts in 亿元. Each docstring writes out the
calculation; the expected level is what the shipped thresholds give it (docs/risk.md lists them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fiscalmon.args import ArgumentError
from fiscalmon.risk import assess
from fiscalmon.schema import CASH_FLOWS
from test_risk_assess import JUNE, flag, risk_table


# ---- debt service net of refinancing ----------------------------------------------------------------

def test_refinancing_lowers_the_own_funds_need_and_the_coverage_uses_it():
    """Usable cash 1.0; 2.0 of principal and 0.3 of interest due in three months, 1.5 of 再融资债券 expected.
    Own-funds need = 0.3 + (2.0 − 1.5) = 0.8; coverage 1.0 ÷ 0.8 = 1.25 (green). Counting all maturities it
    would be 1.0 ÷ 2.3 = 0.43 (red)."""
    base = dict(treasury_balance=1.5, treasury_usable=1.0, principal_next3m=2.0, interest_next3m=0.3)
    row = flag(assess(risk_table(dict(base, refinancing_next3m=1.5)), JUNE), "debt_service_coverage")
    assert row["value"] == pytest.approx(1.25) and row["level"] == "green"
    assert "到期利息0.30亿元＋到期本金2.00亿元−预计到位再融资债券1.50亿元" in row["message"]
    gross = flag(assess(risk_table(base), JUNE), "debt_service_coverage")
    assert gross["value"] == pytest.approx(1.0 / 2.3) and gross["level"] == "red"
    assert "未报预计再融资债券，按到期本息全额计" in gross["message"]


def test_refinancing_pays_principal_only_and_the_total_form_is_accepted():
    """2.0 principal, 0.3 interest, 2.5 refinancing: need = 0.3 (the 0.5 beyond the principal pays no interest),
    coverage 1.0 ÷ 0.3 = 3.33. Given as a total only, 2.3 due − 1.5 refinancing = 0.8 → 1.25."""
    split = flag(assess(risk_table(dict(treasury_balance=1.0, principal_next3m=2.0, interest_next3m=0.3,
                                        refinancing_next3m=2.5)), JUNE), "debt_service_coverage")
    assert split["value"] == pytest.approx(1.0 / 0.3)
    assert "超过到期本金的部分不计" in split["message"]
    total = flag(assess(risk_table(dict(treasury_balance=1.0, debt_service_next3m=2.3, refinancing_next3m=1.5)),
                        JUNE), "debt_service_coverage")
    assert total["value"] == pytest.approx(1.25) and total["level"] == "green"


def test_watch_list_shortfall_uses_the_own_funds_need():
    """Official red county, cash 1.0, 3.55 of debt service due. Without refinancing: 1.0 − 3.55 = 支付后缺2.55亿元;
    with 2.0 of refinancing expected: need 1.55, 1.0 − 1.55 = 缺0.55亿元."""
    base = dict(grade="red", treasury_balance=1.0, debt_service_next3m=3.55)
    gross = assess(risk_table(base), JUNE).watch.iloc[0]
    assert gross["cash_after"] == pytest.approx(-2.55) and "支付后缺2.55亿元" in gross["note"]
    net = assess(risk_table(dict(base, refinancing_next3m=2.0)), JUNE).watch.iloc[0]
    assert net["debt_own_need_next3m"] == pytest.approx(1.55) and net["cash_after"] == pytest.approx(-0.55)
    assert net["debt_service_next3m"] == pytest.approx(3.55) and net["refinancing_next3m"] == 2.0
    assert "支付后缺0.55亿元" in net["note"] and "预计到位再融资债券2.00亿元" in net["note"]


# ---- overdue debt ------------------------------------------------------------------------------------

@pytest.mark.parametrize("overdue, level", [(0.0, "green"), (0.05, "red")])
def test_overdue_debt_is_a_red_breach(overdue, level):
    result = assess(risk_table(dict(grade="green", overdue_debt=overdue)), JUNE)
    assert flag(result, "overdue_debt")["level"] == level
    county = result.counties.iloc[0]
    assert county["computed_grade"] == level and not county["red_level"]   # officially green stays green
    assert (len(result.watch) == 1) == (level == "red")


# ---- 三保: wages monthly on their own ---------------------------------------------------------------

def test_a_wage_lag_inside_a_healthy_sanbao_total_is_arrears():
    """三保 paid 5.5 of a 10.0 budget by June: 55%, 5 points ahead of 序时进度 (green). But wages due this month
    1.2, paid 1.0: 0.2 short, which is arrears (red); 0.1 of social insurance unpaid is red too."""
    result = assess(risk_table(dict(sanbao_paid=5.5, sanbao_budget=10.0, wages_due=1.2, wages_paid=1.0,
                                    social_insurance_arrears=0.1)), JUNE)
    progress, wages = flag(result, "sanbao_progress"), flag(result, "wage_payment")
    assert progress["value"] == pytest.approx(5.0) and progress["level"] == "green"
    assert wages["value"] == pytest.approx(0.2) and wages["level"] == "red"
    assert "当月应发工资1.20亿元，实发1.00亿元" in wages["message"]
    assert flag(result, "social_insurance_arrears")["level"] == "red"
    county = result.counties.iloc[0]
    assert county["computed_grade"] == "red" and county["worst_indicators"] == "当月工资发放缺口、欠缴社会保险费"


def test_wages_paid_in_full_are_green():
    assert flag(assess(risk_table(dict(wages_due=1.2, wages_paid=1.2)), JUNE), "wage_payment")["level"] == "green"


def test_sanbao_share_on_both_denominators():
    """三保 budget 4.5: ÷ 可用财力 10.0 = 45%; ÷ 综合财力 15.0 = 30%. Each message names its denominator."""
    result = assess(risk_table(dict(sanbao_budget=4.5, available_resources=10.0, comprehensive_resources=15.0)), JUNE)
    available, comprehensive = flag(result, "sanbao_share"), flag(result, "sanbao_share_comprehensive")
    assert available["value"] == pytest.approx(45.0) and "可用财力10.00亿元" in available["message"]
    assert comprehensive["value"] == pytest.approx(30.0) and "综合财力15.00亿元" in comprehensive["message"]
    assert "42.3%" in result.thresholds.resolve("sanbao_share_comprehensive", None, JUNE).bands[0].note


# ---- treasury statuses per basis, and by 旬 ---------------------------------------------------------------

# cash, outflow 1.0 a month → coverage; status on the nominal basis and on the usable basis
STATUSES = [
    (0.15, "预警", "red", "偏低", "yellow"),
    (0.30, "偏低", "yellow", "偏低", "yellow"),
    (0.50, "正常", "green", "正常", "green"),
    (2.50, "闲置", "yellow", "正常", "green"),
    (0.05, "预警", "red", "预警", "red"),
]


@pytest.mark.parametrize("cash, nominal_label, nominal_level, usable_label, usable_level", STATUSES,
                         ids=[f"{s[0]}" for s in STATUSES])
def test_treasury_status_per_basis(cash, nominal_label, nominal_level, usable_label, usable_level):
    """The same ratio, cash ÷ 1.0 a month, graded as a nominal balance and as usable cash."""
    nominal = flag(assess(risk_table(dict(treasury_balance=cash, treasury_outflow=1.0)), JUNE), "treasury_coverage")
    assert (nominal["band"].split()[-1], nominal["level"]) == (nominal_label, nominal_level)
    usable = flag(assess(risk_table(dict(treasury_usable=cash, treasury_outflow=1.0)), JUNE),
                  "treasury_coverage_usable")
    assert (usable["band"].split()[-1], usable["level"]) == (usable_label, usable_level)


def _ten_days(balances, outflows):
    rows = risk_table(*[dict(treasury_balance=b, treasury_outflow=o) for b, o in zip(balances, outflows)])
    rows["region_code"] = "653100"
    rows["ten_day"] = pd.array(list(range(1, len(balances) + 1)), dtype="Int64")
    return rows


def test_ten_day_figures_make_the_month():
    """6月上旬、中旬、下旬: balances 0.5, 0.4, 0.36; 0.3 flowing out in each 旬. The month ends on the 下旬
    balance 0.36 and its outflow is 0.9: 0.36 ÷ 0.9 = 0.4, on the 偏低/正常 boundary (正常)."""
    row = flag(assess(_ten_days([0.5, 0.4, 0.36], [0.3, 0.3, 0.3]), JUNE), "treasury_coverage")
    assert row["value"] == pytest.approx(0.4) and row["level"] == "green"
    assert "按6月下旬末库款余额0.36亿元" in row["message"]


def test_a_month_with_two_ten_days_so_far_is_scaled_and_says_so():
    """Only 上旬 and 中旬: balance at 中旬 end 0.4; outflow (0.3 + 0.3) × 3 ÷ 2 = 0.9; 0.4 ÷ 0.9 = 0.444."""
    row = flag(assess(_ten_days([0.5, 0.4], [0.3, 0.3]), JUNE), "treasury_coverage")
    assert row["value"] == pytest.approx(0.4 / 0.9)
    assert "6月中旬末库款余额" in row["basis"] and "本月流出按2个旬折算" in row["basis"]


def test_the_same_ten_day_twice_is_refused():
    rows = _ten_days([0.5, 0.4], [0.3, 0.3])
    rows["ten_day"] = pd.array([2, 2], dtype="Int64")
    with pytest.raises(ArgumentError, match="653100 2023-06 旬2"):
        assess(rows, JUNE)


# ---- cash a quarter ahead -----------------------------------------------------------------------------

JULY = {"transfers": 0.5, "own_revenue": 0.3, "wages": 0.6, "sanbao": 0.1}
AUGUST = {"wages": 0.6, "sanbao": 0.1, "debt_principal": 1.0, "debt_interest": 0.2, "refinancing": 0.3,
          "transfers": 0.2, "own_revenue": 0.2}
SEPTEMBER = {"wages": 0.6, "transfers": 0.9}


def cash_plan(months=(JULY, AUGUST, SEPTEMBER), region_code="653100", drop=()):
    """Every flow of every month written out (0 where nothing flows), but those in ``drop`` ((month, flow))."""
    rows = []
    for period, flows in zip(("2023-07", "2023-08", "2023-09"), months):
        for flow in CASH_FLOWS:
            if (period, flow) not in drop:
                rows.append(dict(region_code=region_code, region="县0", period=period, flow=flow,
                                 amount=flows.get(flow, 0.0), unit="亿元"))
    plan = pd.DataFrame(rows)
    plan["period"] = pd.PeriodIndex(plan["period"], freq="M")
    return plan


START = dict(grade="green", treasury_balance=1.6, treasury_usable=1.0, treasury_outflow=1.0)


def test_a_shortfall_two_months_ahead_is_flagged_with_its_month_and_gap():
    """Usable cash 1.0 at the end of June.
    July:   + 0.5 transfers + 0.3 own revenue − 0.6 wages − 0.1 三保 = +0.1 → 1.1
    August: + 0.3 refinancing + 0.2 + 0.2 − 0.6 − 0.1 − 1.0 principal − 0.2 interest = −1.2 → −0.1
    Sept.:  + 0.9 − 0.6 = +0.3 → 0.2
    Lowest −0.1 in August: red, 0.10亿元 short. 库款保障水平 on the trailing outflow 1.0: 1.10, −0.10, 0.20."""
    result = assess(risk_table(START), JUNE, cash_plan=cash_plan())
    row = flag(result, "cash_outlook")
    assert row["value"] == pytest.approx(-0.1) and row["level"] == "red"
    assert row["message"].startswith("库款预测-0.10亿元")
    assert "预计2023年8月末库款缺口0.10亿元" in row["message"] and "起点可用库款1.00亿元" in row["message"]
    outlook = result.outlook
    assert outlook["end_cash"].round(9).tolist() == [1.1, -0.1, 0.2]
    assert outlook["coverage"].round(9).tolist() == [1.1, -0.1, 0.2]
    assert outlook["period"].astype(str).tolist() == ["2023-07", "2023-08", "2023-09"]
    watch = result.watch.iloc[0]   # officially green, but the shortfall puts it on the watch list
    assert watch["outlook_short_period"] == "2023-08" and watch["outlook_gap"] == pytest.approx(0.1)
    assert "库款预测：2023年8月末将缺0.10亿元" in watch["note"]


def test_without_usable_cash_the_balance_is_the_start_and_said_so():
    """No usable cash reported: the balance 1.6 is the start; lowest end cash 1.6 − 1.0 + (−0.1) = 0.5 (August)."""
    table = risk_table(dict(START, treasury_usable=np.nan))
    row = flag(assess(table, JUNE, cash_plan=cash_plan()), "cash_outlook")
    assert row["value"] == pytest.approx(0.5) and row["level"] == "green"
    assert "起点月末库款余额（未报可用库款）1.60亿元" in row["message"]


def test_a_month_without_a_plan_before_the_shortfall_leaves_it_undetermined():
    """No row at all for August: whether July's 1.1 lasts is unknown; nothing is taken as zero."""
    drop = {("2023-08", flow) for flow in CASH_FLOWS}
    row = flag(assess(risk_table(START), JUNE, cash_plan=cash_plan(drop=drop)), "cash_outlook")
    assert row["level"] == "not_assessed" and np.isnan(row["value"])
    assert "2023年8月无现金流计划" in row["message"] and "不按0计" in row["message"]


def test_a_month_without_a_plan_after_a_certain_shortfall_does_not_hide_it():
    """No row for September: August is already short with every inflow to then given."""
    drop = {("2023-09", flow) for flow in CASH_FLOWS}
    row = flag(assess(risk_table(START), JUNE, cash_plan=cash_plan(drop=drop)), "cash_outlook")
    assert row["level"] == "red" and row["value"] == pytest.approx(-0.1)
    assert "2023年9月无现金流计划" in row["message"]


def test_a_flow_left_out_of_a_planned_month_is_nothing_planned_and_listed():
    """August's transfers (0.2) left out of a month the plan covers: read as none planned, so August ends at
    −0.1 − 0.2 = −0.3; the outlook table lists the flow."""
    result = assess(risk_table(START), JUNE, cash_plan=cash_plan(drop={("2023-08", "transfers")}))
    row = flag(result, "cash_outlook")
    assert row["level"] == "red" and row["value"] == pytest.approx(-0.3)
    assert result.outlook.loc[1, "unplanned_flows"] == "转移支付"


def test_missing_wages_make_a_comfortable_outlook_undetermined():
    """Big transfers, no shortfall with the flows given, but September's wages are not given: wages are paid
    every month, so a month without them is a gap, not a month without wages."""
    rich = ({**JULY, "transfers": 3.0}, AUGUST, SEPTEMBER)
    assert flag(assess(risk_table(START), JUNE, cash_plan=cash_plan(rich)), "cash_outlook")["level"] == "green"
    row = flag(assess(risk_table(START), JUNE, cash_plan=cash_plan(rich, drop={("2023-09", "wages")})), "cash_outlook")
    assert row["level"] == "not_assessed" and "2023年9月未列工资" in row["message"]


def test_a_county_the_plan_does_not_cover_is_not_assessed():
    row = flag(assess(risk_table(START), JUNE, cash_plan=cash_plan(region_code="659999")), "cash_outlook")
    assert row["message"] == "库款预测未评估：现金流计划没有本地区2023年7月至2023年9月的数据"


def test_cash_plan_arguments_are_checked():
    with pytest.raises(ArgumentError, match="positive amounts"):
        assess(risk_table(START), JUNE, cash_plan=cash_plan().assign(amount=-1.0))
    with pytest.raises(ArgumentError, match="canonical cash plan"):
        assess(risk_table(START), JUNE, cash_plan=pd.DataFrame({"region_code": ["653100"]}))


# ---- 财力: 可用财力 against rigid spending ----------------------------------------------------------------

CAPACITY = dict(sanbao_budget=9.0, debt_service_due=3.0, transfers_received=9.0, remittances_up=0.5,
                available_resources=12.5)


def test_capacity_gap_from_projected_own_revenue():
    """Own revenue projected 3.0 + transfers 9.0 − 上解 0.5 = 可用财力 11.5, against 三保 9.0 + debt service 3.0 = 12.0:
    a gap of 0.5 (orange). The bureau's own 可用财力 12.5 would give −0.5 (green) and is used only without a projection."""
    own = pd.DataFrame({"region_code": ["653100"], "own_revenue": [3.0]})
    row = flag(assess(risk_table(CAPACITY), JUNE, revenue=own), "capacity_gap")
    assert row["value"] == pytest.approx(0.5) and row["level"] == "orange"
    assert "本级一般公共预算收入全年预计3.00亿元＋转移支付收入9.00亿元−上解支出0.50亿元" in row["message"]
    given = flag(assess(risk_table(CAPACITY), JUNE), "capacity_gap")
    assert given["value"] == pytest.approx(-0.5) and given["level"] == "green" and "按填报的可用财力" in given["message"]


def test_capacity_takes_a_projection_table():
    projection = pd.DataFrame({"region_code": ["653100", "653100"], "item": ["gpb_revenue", "tax_revenue"],
                               "point": [3.0, 2.0]})
    row = flag(assess(risk_table(CAPACITY), JUNE, revenue=projection), "capacity_gap")
    assert row["value"] == pytest.approx(0.5)


def test_worked_examples_in_the_new_modules_run():
    import doctest

    import importlib

    from fiscalmon.risk import bands, outlook

    assess_module = importlib.import_module("fiscalmon.risk.assess")

    for module in (outlook, assess_module, bands):
        failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
        assert tried and failures == 0, module.__name__


def test_a_plan_that_lists_only_some_flows_is_projected_on_them_and_says_so():
    """A sparse plan, as bureaus write them (a flow where something is planned):
    July:   1.0 + 0.5 transfers + 0.3 own revenue − 0.6 wages = 1.2
    August: 1.2 + 0.2 + 0.2 + 0.3 refinancing − 0.6 − 1.5 principal = −0.2: short by 0.20
    September: −0.2 + 0.9 − 0.6 = 0.1. Red, lowest −0.2 in August; 三保 (other than wages), interest and the
    other flows appear in no month, and the message says so."""
    rows = [("2023-07", "wages", 0.6), ("2023-07", "transfers", 0.5), ("2023-07", "own_revenue", 0.3),
            ("2023-08", "wages", 0.6), ("2023-08", "debt_principal", 1.5), ("2023-08", "refinancing", 0.3),
            ("2023-08", "transfers", 0.2), ("2023-08", "own_revenue", 0.2),
            ("2023-09", "wages", 0.6), ("2023-09", "transfers", 0.9)]
    plan = pd.DataFrame([dict(region_code="653100", period=p, flow=f, amount=a) for p, f, a in rows])
    plan["period"] = pd.PeriodIndex(plan["period"], freq="M")
    result = assess(risk_table(START), JUNE, cash_plan=plan)
    row = flag(result, "cash_outlook")
    assert row["level"] == "red" and row["value"] == pytest.approx(-0.2)
    assert "预计2023年8月末库款缺口0.20亿元" in row["message"]
    assert "计划未列三保支出、到期利息、其他流出、其他流入（各月均未列，未计入）" in row["message"]
    assert result.outlook["end_cash"].round(9).tolist() == [1.2, -0.2, 0.1]


def test_a_plan_without_wages_is_never_read_as_no_wages():
    plan = cash_plan(drop={(p, "wages") for p in ("2023-07", "2023-08", "2023-09")})
    row = flag(assess(risk_table(START), JUNE, cash_plan=plan), "cash_outlook")
    # without wages the given flows leave every month-end positive, but the wages are missing
    assert row["level"] == "not_assessed" and "未列工资" in row["message"]
