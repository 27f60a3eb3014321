"""Write a prefecture's own exports the way its bureau lays them out, for the reader tests (SYNTHETIC).

Outputs in tests/data/bureau/ (regenerate with `python scripts/make_bureau_fixtures.py`); every number is
invented, the region names and the layouts are real:

- monthly/: 昌吉州 monthly 收入完成情况表, one workbook per month from 2021-01 to 2024-06 (a GBK CSV for
  some months): a title naming the period, 填报单位 and 单位：万元 lines, a merged two-row header
  (一般公共预算收入 over 年初预算 | 本年累计 | 上年同期 | 同比增长(%) | 完成预算(%), 其中：税收收入 and
  其中：非税收入 over 本年累计 | 同比增长(%)), regions by name only (short names such as 木垒县, a 全州合计
  and a 州本级 row), numbers as text with thousands separators in the CSVs, and a 注/制表 footnote.
- annual/: the 2024 预算表 (items as columns, year and figure only in the title), the 2023 决算表
  (two-row header: items over 调整预算数 | 决算数, GBK CSV), and a 2020-2022 决算 table with one
  column per year (2020年决算数 …).
- risk/: the 风险监测台账 of 2024-05 and 2024-06, with grouped headers (库款情况, “三保”情况, 债务情况,
  暂付款情况) over the indicators, and the official grade.
- truth.csv: the same figures as fiscalmon's canonical long table (亿元), what every reader test
  compares against.

Mistakes to refuse or warn about are made from these in the tests themselves (tests/test_bureau.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.styles import Alignment

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "bureau"
PREFECTURE = ("652300", "昌吉回族自治州")
#: (code, the name the bureau writes, full-year general budget revenue in 2020, 万元)
REGIONS = [("652300-bj", "州本级", 310_000), ("652301", "昌吉市", 262_000), ("652302", "阜康市", 151_000),
           ("652323", "呼图壁县", 88_000), ("652324", "玛纳斯县", 109_000), ("652325", "奇台县", 121_000),
           ("652327", "吉木萨尔县", 98_000), ("652328", "木垒县", 39_500)]
YEARS = range(2020, 2025)
LAST = (2024, 6)
#: Share of the year's revenue collected in each month (a typical profile: January high, December high).
PROFILE = np.array([0.105, 0.060, 0.080, 0.092, 0.078, 0.088, 0.082, 0.075, 0.080, 0.079, 0.078, 0.103])
FOOTNOTE = ["注：1.本表数据来源于国库集中收付系统。", "2.同比增长按自然口径计算。",
            "制表：张三    审核：李四    制表日期：{date}"]


def synthetic_figures(seed: int = 20240705) -> pd.DataFrame:
    """Monthly YTD amounts (万元, 2 decimals) of every region, item and month, and each year's budget."""
    rng = np.random.default_rng(seed)
    rows = []
    for code, name, base in REGIONS:
        full = base
        tax_share = rng.uniform(0.62, 0.82)
        budget = None
        for year in YEARS:
            if year > YEARS[0]:
                # the year's budget: last year's outturn + 6% (+0.5 points a year), to 100万元
                budget = round(full * (1.06 + 0.005 * (year - YEARS[0])), -2)
                full = full * (1 + rng.normal(0.05, 0.06))
            shares = PROFILE * rng.uniform(0.9, 1.1, 12)
            months = full * shares / shares.sum()
            tax_months = months * np.clip(tax_share + rng.normal(0, 0.03, 12), 0.4, 0.95)
            for month in range(1, 13):
                if (year, month) > LAST:
                    break
                ytd = round(float(months[:month].sum()), 2)
                tax = round(float(tax_months[:month].sum()), 2)
                rows.append({"region_code": code, "bureau_name": name, "year": year, "month": month,
                             "gpb_revenue": ytd, "tax_revenue": tax, "nontax_revenue": round(ytd - tax, 2),
                             "budget": budget})
    figures = pd.DataFrame(rows)
    totals = figures.groupby(["year", "month"], as_index=False)[["gpb_revenue", "tax_revenue", "nontax_revenue",
                                                                 "budget"]].sum(min_count=1)
    totals = totals.assign(region_code=PREFECTURE[0], bureau_name="全州合计")
    return pd.concat([totals, figures], ignore_index=True)


def _growth(now, before):
    return None if before is None or not before else round((now / before - 1) * 100, 2)


def monthly_rows(figures: pd.DataFrame, year: int, month: int) -> list[list[object]]:
    """The body of one month's 完成情况表: one row per region, 全州合计 first."""
    now = figures[(figures["year"] == year) & (figures["month"] == month)]
    before = figures[(figures["year"] == year - 1) & (figures["month"] == month)].set_index("region_code")
    rows = []
    for number, r in enumerate(now.itertuples(index=False)):
        prior = before.loc[r.region_code] if r.region_code in before.index else None
        prior_gpb = None if prior is None else prior["gpb_revenue"]
        completion = None if pd.isna(r.budget) else round(r.gpb_revenue / r.budget * 100, 2)
        rows.append(["" if number == 0 else number, r.bureau_name, None if pd.isna(r.budget) else r.budget,
                     r.gpb_revenue, prior_gpb, _growth(r.gpb_revenue, prior_gpb), completion,
                     r.tax_revenue, _growth(r.tax_revenue, None if prior is None else prior["tax_revenue"]),
                     r.nontax_revenue, _growth(r.nontax_revenue, None if prior is None else prior["nontax_revenue"])])
    return rows


MONTHLY_GROUPS = [("序号", 1), ("地区", 1), ("一般公共预算收入", 5), ("其中：税收收入", 2), ("其中：非税收入", 2)]
MONTHLY_MEASURES = ["", "", "年初预算", "本年累计", "上年同期", "同比增长(%)", "完成预算(%)", "本年累计", "同比增长(%)",
                    "本年累计", "同比增长(%)"]


def _period_words(year: int, month: int) -> str:
    return f"{year}年1月" if month == 1 else f"{year}年1-{month}月"


def write_monthly_xlsx(path: Path, year: int, month: int, body: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = f"{month}月"
    width = len(MONTHLY_MEASURES)
    sheet.append([f"昌吉州{_period_words(year, month)}各县市一般公共预算收入完成情况表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append(["填报单位：昌吉州财政局"] + [None] * (width - 2) + ["单位：万元"])
    column = 1
    groups = []
    for name, span in MONTHLY_GROUPS:
        groups += [name] + [None] * (span - 1)
    sheet.append(groups)
    sheet.append([m or None for m in MONTHLY_MEASURES])
    for name, span in MONTHLY_GROUPS:
        if span > 1:
            sheet.merge_cells(start_row=3, start_column=column, end_row=3, end_column=column + span - 1)
        else:
            sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
        column += span
    for row in body:
        sheet.append(row)
    for line in FOOTNOTE:
        sheet.append([line.format(date=f"{year}年{month + 1 if month < 12 else 12}月5日")])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
    sheet["A1"].alignment = Alignment(horizontal="center")
    book.save(path)


def _thousands(value) -> str:
    return "" if value is None or value == "" else f"{value:,.2f}"


def write_monthly_gbk(path: Path, year: int, month: int, body: list[list[object]]) -> None:
    """The same table saved from Excel as CSV: merged cells empty, amounts as text with separators."""
    width = len(MONTHLY_MEASURES)
    lines = [[f"昌吉州{_period_words(year, month)}各县市一般公共预算收入完成情况表"] + [""] * (width - 1),
             ["填报单位：昌吉州财政局"] + [""] * (width - 2) + ["单位：万元"]]
    groups = []
    for name, span in MONTHLY_GROUPS:
        groups += [name] + [""] * (span - 1)
    lines += [groups, MONTHLY_MEASURES]
    for row in body:
        lines.append([row[0], row[1], _thousands(row[2]), _thousands(row[3]), _thousands(row[4]),
                      "" if row[5] is None else f"{row[5]:.2f}", "" if row[6] is None else f"{row[6]:.2f}%",
                      _thousands(row[7]), "" if row[8] is None else f"{row[8]:.2f}", _thousands(row[9]),
                      "" if row[10] is None else f"{row[10]:.2f}"])
    lines += [[FOOTNOTE[0]] + [""] * (width - 1), [FOOTNOTE[1]] + [""] * (width - 1),
              [FOOTNOTE[2].format(date=f"{year}年{month + 1}月5日")] + [""] * (width - 1)]
    text = "\r\n".join(",".join(f'"{c}"' if "," in str(c) else str(c) for c in line) for line in lines) + "\r\n"
    path.write_bytes(text.encode("gbk"))


def annual_figures(figures: pd.DataFrame) -> pd.DataFrame:
    december = figures[figures["month"] == 12]
    budgets = figures[figures["month"] == 1][["region_code", "bureau_name", "year", "budget"]]
    return december.drop(columns="budget").merge(budgets, on=["region_code", "bureau_name", "year"], how="outer")


def write_budget_2024(path: Path, figures: pd.DataFrame) -> None:
    """昌吉州2024年各县市一般公共预算收入预算表: items as columns; year and figure only in the title."""
    budget = figures[(figures["year"] == 2024) & (figures["month"] == 1)]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "预算"
    sheet.append(["昌吉州2024年各县市一般公共预算收入预算表"])
    sheet.merge_cells("A1:D1")
    sheet.append([None, None, None, "单位：万元"])
    sheet.append(["地区", "一般公共预算收入", "税收收入", "非税收入"])
    for r in budget.itertuples(index=False):
        tax = round(r.budget * 0.72, -2)
        sheet.append([r.bureau_name, r.budget, tax, r.budget - tax])
    sheet.append(["注：预算数为州人大批准的年初预算数。"])
    book.save(path)


def write_outturn_2023(path: Path, annual: pd.DataFrame) -> None:
    """昌吉州2023年一般公共预算收入决算表 (GBK CSV): items over 调整预算数 | 决算数."""
    rows = annual[annual["year"] == 2023]
    lines = [["昌吉州2023年各县市一般公共预算收入决算表", "", "", "", ""], ["", "", "", "", "单位：万元"],
             ["地区", "一般公共预算收入", "", "税收收入", "非税收入"], ["", "调整预算数", "决算数", "决算数", "决算数"]]
    for r in rows.itertuples(index=False):
        adjusted = round(r.budget * 1.02, -2)
        lines.append([r.bureau_name, f"{adjusted:.2f}", f"{r.gpb_revenue:.2f}", f"{r.tax_revenue:.2f}",
                      f"{r.nontax_revenue:.2f}"])
    lines.append(["制表：王五", "", "审核：赵六", "", ""])
    path.write_bytes(("\n".join(",".join(line) for line in lines) + "\n").encode("gbk"))


def write_outturns_by_year(path: Path, annual: pd.DataFrame) -> None:
    """2020-2022 决算, one column per year, item in a column (项目), in a workbook."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "决算"
    sheet.append(["昌吉州2020-2022年一般公共预算收入决算情况"])
    sheet.append(["单位：万元"])
    sheet.append(["地区", "项目", "2020年决算数", "2021年决算数", "2022年决算数"])
    for (code, name), group in annual[annual["year"] <= 2022].groupby(["region_code", "bureau_name"], sort=False):
        by_year = group.set_index("year")
        for item, zh in (("gpb_revenue", "一般公共预算收入"), ("tax_revenue", "  其中：税收收入")):
            sheet.append([name, zh, *(float(by_year.at[y, item]) for y in (2020, 2021, 2022))])
    book.save(path)


RISK_GROUPS = [("序号", 1), ("地区", 1), ("库款情况", 3), ("“三保”情况", 4), ("债务情况", 4), ("暂付款情况", 2),
               ("风险等级", 1)]
RISK_FIELDS = ["", "", "月末库款余额", "可用库款", "当月库款流出", "三保需求", "三保预算", "三保累计支出", "欠发工资",
               "法定债务余额", "综合财力", "全年到期还本付息", "累计已还本付息", "暂付款余额", "上年末暂付款余额", ""]


def risk_rows(month: int, seed: int = 7) -> list[list[object]]:
    rng = np.random.default_rng(seed + month)
    grades = {"652328": "橙色", "652327": "黄色"}
    rows = []
    for number, (code, name, base) in enumerate(REGIONS[1:], start=1):
        outflow = round(base * rng.uniform(0.9, 1.3) / 10, 2)
        balance = round(outflow * rng.uniform(0.25, 1.2), 2)
        sanbao_budget = round(base * 1.1, -2)
        resources = round(base * 2.6, -2)
        rows.append([number, name, balance, round(balance * rng.uniform(0.3, 0.8), 2), outflow,
                     sanbao_budget, sanbao_budget, round(sanbao_budget * month / 12 * rng.uniform(0.85, 1.0), 2),
                     0 if code != "652328" else 120.0, round(resources * rng.uniform(0.6, 1.3), -2), resources,
                     round(base * 0.2, -2), round(base * 0.2 * month / 12, 2), round(base * 0.04, 2),
                     round(base * 0.038, 2), grades.get(code, "绿色")])
    return rows


def write_risk(path: Path, month: int) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "风险监测"
    width = len(RISK_FIELDS)
    sheet.append([f"昌吉州县级财政运行风险监测台账（2024年{month}月）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append([None] * (width - 1) + ["单位：万元"])
    groups = []
    for name, span in RISK_GROUPS:
        groups += [name] + [None] * (span - 1)
    sheet.append(groups)
    sheet.append([f or None for f in RISK_FIELDS])
    column = 1
    for name, span in RISK_GROUPS:
        end_row = 3 if span > 1 else 4
        sheet.merge_cells(start_row=3, start_column=column, end_row=end_row, end_column=column + span - 1)
        column += span
    for row in risk_rows(month):
        sheet.append(row)
    sheet.append(["说明：风险等级为自治区财政厅认定等级。"])
    book.save(path)


def truth(figures: pd.DataFrame) -> pd.DataFrame:
    """The canonical long table the readers must give for the monthly files (amounts in 亿元)."""
    long = figures.melt(id_vars=["region_code", "bureau_name", "year", "month"],
                        value_vars=["gpb_revenue", "tax_revenue", "nontax_revenue"], var_name="item", value_name="ytd")
    long["period"] = [f"{y}-{m:02d}" for y, m in zip(long["year"], long["month"])]
    long["ytd"] = long["ytd"] / 10_000
    return long[long["year"] >= 2021][["region_code", "period", "item", "ytd"]].sort_values(
        ["region_code", "item", "period"]).reset_index(drop=True)


def main() -> None:
    figures = synthetic_figures()
    for folder in ("monthly", "annual", "risk"):
        (OUT / folder).mkdir(parents=True, exist_ok=True)
    for year in range(2021, 2025):
        for month in range(1, 13):
            if (year, month) > LAST:
                break
            body = monthly_rows(figures, year, month)
            stem = f"昌吉州{_period_words(year, month)}一般公共预算收入完成情况表"
            if month in (3, 9):
                write_monthly_gbk(OUT / "monthly" / f"{stem}.csv", year, month, body)
            else:
                write_monthly_xlsx(OUT / "monthly" / f"{stem}.xlsx", year, month, body)
    annual = annual_figures(figures)
    write_budget_2024(OUT / "annual" / "昌吉州2024年各县市一般公共预算收入预算表.xlsx", figures)
    write_outturn_2023(OUT / "annual" / "昌吉州2023年一般公共预算收入决算表.csv", annual)
    write_outturns_by_year(OUT / "annual" / "昌吉州2020-2022年一般公共预算收入决算.xlsx", annual)
    for month in (5, 6):
        write_risk(OUT / "risk" / f"昌吉州县级财政运行风险监测台账（2024年{month}月）.xlsx", month)
    truth(figures).to_csv(OUT / "truth.csv", index=False, float_format="%.6f")
    (OUT / "README.md").write_text(
        "# Bureau-style fixtures (SYNTHETIC)\n\nEvery number here is invented; region names and layouts are "
        "real. Written by `python scripts/make_bureau_fixtures.py` (see its docstring for what each file "
        "shows); `truth.csv` holds the same monthly figures as the canonical table the readers must return.\n",
        encoding="utf-8")


if __name__ == "__main__":
    main()
