"""The seed data: every row cites its report, and the figures agree with the reports worked by hand."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import fiscalmon
from fiscalmon import calendar
from conftest import DATA

REPORTS = DATA / "seeds" / "reports"
SEED_FILES = sorted((DATA / "seeds").glob("*.csv"))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_every_seed_row_quotes_a_sentence_of_its_report(path):
    raw = pd.read_csv(path, dtype=str)
    reports = {p.name: _squeeze(p.read_text(encoding="utf-8")) for p in REPORTS.glob("*.txt")}
    for number, source in enumerate(raw["source"], start=2):
        report, _, quote = source.partition(": ")
        assert report in reports, f"row {number}: unknown report {report!r}"
        assert _squeeze(quote) in reports[report], f"row {number}: quote not found in {report}"


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_every_seed_figure_appears_in_its_quote(path):
    """Each number in a row (amount, growth, completion) is written in the sentence it cites."""
    raw = pd.read_csv(path, dtype=str)
    figures = [c for c in ("ytd", "yoy_pct", "yoy_change", "completion_pct", "yoy_pct_min", "budget",
                                "target_growth_pct") if c in raw]
    for number, row in raw.iterrows():
        quote = _squeeze(row["source"])
        for column in figures:
            value = row[column]
            if pd.isna(value):
                continue
            digits = value.lstrip("-")
            assert digits in quote, f"row {number + 2}: {column} {value} not in its quote"


def test_changji_monthly_growth_path():
    table = fiscalmon.datasets.changji_monthly()
    path = table.query("region_code == '652300' and item == 'gpb_revenue'").sort_values("period")
    assert path["period"].astype(str).tolist() == ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06"]
    assert path["yoy_pct"].tolist() == [-9.37, 0.68, 4.1, 3.02, 2.36, 0.45]
    assert path["ytd"].iloc[-1] == 118.91


def test_changji_implied_figures_worked_by_hand():
    """From the seed report (001_0866035688bffaef.txt):

    - 1-6月 一般公共预算收入 118.91亿元, +0.45% → 2022 H1 = 118.91 ÷ 1.0045 = 118.3773… ≈ 118.38亿元,
      and 118.91 − 118.38 = 0.53亿元, the increase the report states (增收 0.53 亿元).
    - 地方财政收入 134.69亿元 = 45.64% of budget → budget = 134.69 ÷ 0.4564 = 295.113… ≈ 295.1亿元.
    - 三保 58.7亿元 at 53.36% execution → 三保 budget = 58.7 ÷ 0.5336 = 110.007… ≈ 110.0亿元.
    """
    derived = calendar.derive(fiscalmon.datasets.changji_monthly()).set_index(["region_code", "item", "period"])
    june = pd.Period("2023-06", freq="M")
    gpb = derived.loc[("652300", "gpb_revenue", june)]
    assert gpb["prior_ytd"] == pytest.approx(118.3773, abs=1e-4)
    assert gpb["prior_source"] == "growth"
    assert gpb["ytd"] - gpb["prior_ytd"] == pytest.approx(0.53, abs=0.005)
    local = derived.loc[("652300", "local_revenue", june)]
    assert local["budget_used"] == pytest.approx(295.113, abs=1e-3)
    assert local["budget_source"] == "implied_by_completion"
    sanbao = derived.loc[("652300", "sanbao_expenditure", june)]
    assert sanbao["budget_used"] == pytest.approx(110.007, abs=1e-3)
    assert gpb["time_progress_pct"] == 50.0


def test_changji_tax_and_nontax_add_up():
    """81.72 + 37.19 = 118.91 (税收 + 非税 = 一般公共预算收入)."""
    table = fiscalmon.datasets.changji_monthly()
    june = table[(table["region_code"] == "652300") & (table["period"] == pd.Period("2023-06", freq="M"))]
    amounts = june.set_index("item")["ytd"]
    assert amounts["tax_revenue"] + amounts["nontax_revenue"] == pytest.approx(amounts["gpb_revenue"], abs=1e-9)


def test_xinjiang_sanbao_and_its_parts():
    """三保 1461.4 = 516.4 (基本民生) + 914.3 (工资) + 30.7 (运转), all 亿元."""
    table = fiscalmon.datasets.xinjiang_monthly().query("region_code == '650000'").set_index("item")["ytd"]
    parts = table[["sanbao_livelihood_expenditure", "sanbao_wage_expenditure", "sanbao_operation_expenditure"]]
    assert table["sanbao_expenditure"] == 1461.4
    assert parts.sum() == pytest.approx(1461.4, abs=1e-9)


def test_xinjiang_own_level_soe_revenue_arrives_in_wan_yuan():
    """自治区本级 国有资本经营预算收入 700万元 = 0.07亿元; the original unit is kept."""
    row = fiscalmon.datasets.xinjiang_monthly().query("region_code == '650000-bj' and item == 'soe_revenue'").iloc[0]
    assert (row["ytd"], row["source_unit"]) == (0.07, "万元")


def test_prefecture_growth_has_all_fourteen():
    table = fiscalmon.datasets.xinjiang_prefecture_growth()
    assert len(table) == 14 and table["region_code"].is_unique
    assert table.set_index("region")["yoy_pct"].dropna().to_dict() == {"吐鲁番市": 20.9, "哈密市": 20.8, "塔城地区": 24.3}
    assert (table["yoy_pct_min"].dropna().isin([0.0, 10.0])).all()


def test_annual_seed_amounts():
    changji = fiscalmon.datasets.changji_annual().set_index("item")["budget"]
    assert changji["debt_service_paid"] == 55.57
    assert changji["new_general_debt_limit"] + changji["new_special_debt_limit"] == pytest.approx(changji["new_debt_limit"])
    xinjiang = fiscalmon.datasets.xinjiang_annual().set_index("item")["budget"]
    assert xinjiang["sanbao_expenditure"] == 2546.8


def test_the_vat_rebound_adds_the_148_points_the_report_names():
    """国内增值税 274亿元, +97%: 274 − 274 ÷ 1.97 = 134.91亿元 more than 2022 H1, over 2022 H1's
    一般公共预算收入 1112.5 ÷ 1.221 = 911.14亿元: 14.8 points of the 22.1% (拉动…增长 14.8 个百分点)."""
    table = fiscalmon.datasets.xinjiang_monthly().query("region_code == '650000'").set_index("item")
    vat, total = table.loc["vat_revenue"], table.loc["gpb_revenue"]
    added = vat["ytd"] - vat["ytd"] / (1 + vat["yoy_pct"] / 100)
    assert added / (total["ytd"] / (1 + total["yoy_pct"] / 100)) * 100 == pytest.approx(14.8, abs=0.05)


def test_the_seed_targets_and_transfers_are_shipped_with_their_quotes():
    annual = fiscalmon.datasets.xinjiang_annual()
    target = annual[(annual["item"] == "gpb_revenue") & (annual["year"] == 2023)]
    assert target["target_growth_pct"].tolist() == [10.0]
    changji = fiscalmon.datasets.changji_annual()
    assert changji.loc[changji["item"] == "transfer_to_lower", "budget"].tolist() == [108.88]
    special = fiscalmon.datasets.changji_special()
    assert special["region_code"].unique().tolist() == ["652300-bj"]
    assert special["ytd_effect"].tolist() == [pytest.approx(14.2 * 0.20)] * 2
