"""A prefecture's own exports, read without hand edits; its natural mistakes refused or loudly noted.

The files in tests/data/bureau/ are SYNTHETIC numbers in the layouts a bureau exports (see
scripts/make_bureau_fixtures.py). Expected figures come from the cells themselves, read with openpyxl or
as text, or from truth.csv, which the generator wrote beside them; never from fiscalmon's readers.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import fiscalmon
from fiscalmon import FiscalDataError, FiscalDataWarning
from fiscalmon.joins import join_tables

BUREAU = Path(__file__).resolve().parent / "data" / "bureau"
MONTHLY = sorted((BUREAU / "monthly").iterdir())
ANNUAL = sorted((BUREAU / "annual").iterdir())
RISK = sorted((BUREAU / "risk").iterdir())
TRUTH = pd.read_csv(BUREAU / "truth.csv", dtype={"region_code": str})
COUNTIES = ["652301", "652302", "652323", "652324", "652325", "652327", "652328"]


def month_file(year: int, month: int) -> Path:
    span = "1月" if month == 1 else f"1-{month}月"
    return next(p for p in MONTHLY if p.stem == f"昌吉州{year}年{span}一般公共预算收入完成情况表")


def quietly(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FiscalDataWarning)
        return function(*args, **kwargs)


def notes_of(function, *args, **kwargs) -> tuple[object, list]:
    """The result and the FiscalDataWarnings a call emits."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(*args, **kwargs)
    return result, [w.message for w in caught if isinstance(w.message, FiscalDataWarning)]


def cells(path: Path, name: str) -> list:
    """The values of the row of a workbook's first sheet that names ``name``, as openpyxl reads them."""
    for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True):
        if name in row:
            return list(row)
    raise AssertionError(f"{name} not in {path.name}")


@pytest.fixture(scope="module")
def monthly() -> pd.DataFrame:
    return quietly(fiscalmon.combine_tables, [quietly(fiscalmon.read_monthly, p) for p in MONTHLY])


@pytest.fixture(scope="module")
def annual() -> pd.DataFrame:
    return quietly(fiscalmon.combine_tables, [quietly(fiscalmon.read_annual, p) for p in ANNUAL], "annual")


# ---- tables as bureaus lay them out -----------------------------------------------------------------

def test_every_month_of_the_exports_reads_as_written(monthly):
    """42 files (workbooks with merged two-row headers, GBK CSVs): every figure is the generator's."""
    got = monthly.assign(period=monthly["period"].astype(str))[["region_code", "period", "item", "ytd"]]
    joined = TRUTH.merge(got, on=["region_code", "period", "item"], how="left", suffixes=("_true", "_read"))
    assert joined["ytd_read"].notna().all()
    assert (joined["ytd_true"] - joined["ytd_read"]).abs().max() < 1e-9
    extra = got.merge(TRUTH[["region_code", "period", "item"]], on=["region_code", "period", "item"], how="left",
                      indicator=True)
    extra = extra[extra["_merge"] == "left_only"]
    assert set(extra["period"].str[:4]) == {"2020"}  # last year's rows made from the 2021 files' 上年同期
    row = cells(month_file(2021, 6), "木垒县")  # 上年同期 is the 5th column
    mulei_2020 = extra[(extra["region_code"] == "652328") & (extra["period"] == "2020-06")]["ytd"]
    assert mulei_2020.tolist() == [pytest.approx(row[4] / 10_000, abs=1e-12)]


def test_csv_numbers_with_thousands_separators_and_percent_signs():
    """The GBK exports write amounts as "345,343.73" and rates as "24.32%": read as the numbers they are."""
    path = month_file(2024, 3)
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("gbk"))))  # the standard library's reader
    total = next(r for r in rows if r[1] == "全州合计")
    assert "," in total[3] and total[6].endswith("%")
    table = quietly(fiscalmon.read_monthly, path)
    read = table[(table["region_code"] == "652300") & (table["period"] == pd.Period("2024-03", "M"))
                 & (table["item"] == "gpb_revenue")].iloc[0]
    assert (read["ytd"], read["completion_pct"], read["budget"]) == (
        pytest.approx(float(total[3].replace(",", "")) / 10_000), float(total[6].rstrip("%")),
        pytest.approx(float(total[2].replace(",", "")) / 10_000))


def test_note_and_signature_lines_are_skipped_with_one_note():
    table, notes = notes_of(fiscalmon.read_monthly, month_file(2024, 6))
    footnotes = [n for n in notes if n.kind == "footnotes"]
    assert len(footnotes) == 1 and "Skipped 3 note or signature line(s)" in str(footnotes[0])
    assert not table["region"].str.contains("注|制表|审核").any()


def test_items_after_qizhong_and_numbering_are_placed(tmp_path):
    """其中：税收收入 is the largest item: it must never vanish; an unknown column is named in a note."""
    table = quietly(fiscalmon.read_monthly, month_file(2024, 6))
    assert set(table["item"]) == {"gpb_revenue", "tax_revenue", "nontax_revenue"}
    path = tmp_path / "items.csv"
    path.write_text("单位：万元\n地区,月份,一般公共预算收入,其中:非税收入,（一）税收收入,  1.增值税,土地增值税\n"
                    "昌吉市,2024-06,145882,38882,107000,40000,1200\n", encoding="utf-8")
    table, notes = notes_of(fiscalmon.read_monthly, path)
    assert dict(zip(table["item"], table["ytd"])) == {"gpb_revenue": 14.5882, "nontax_revenue": 3.8882,
                                                       "tax_revenue": 10.7, "vat_revenue": 4.0}
    assert any(n.kind == "columns" and "土地增值税" in str(n) for n in notes)


def test_risk_ledger_with_grouped_headers_reads_every_indicator():
    """库款情况 / “三保”情况 / 债务情况 / 暂付款情况 over the indicators: each read, for each county."""
    path = RISK[-1]
    assert "6月" in path.name
    table = quietly(fiscalmon.read_risk, path)
    raw = cells(path, "木垒县")
    row = table[table["region_code"] == "652328"].iloc[0]
    columns = ["treasury_balance", "treasury_usable", "treasury_outflow", "sanbao_need", "sanbao_budget",
               "sanbao_paid", "wage_arrears", "debt_balance", "comprehensive_resources", "debt_service_due",
               "debt_service_paid", "advances_balance", "advances_prev_yearend"]
    assert [row[c] for c in columns] == [pytest.approx(v / 10_000) for v in raw[2:15]]
    assert (row["grade"], row["parent_code"], str(row["period"])) == ("orange", "652300", "2024-06")
    assert sorted(table["region_code"]) == COUNTIES


def test_regions_by_name_get_codes_and_official_names():
    table, notes = notes_of(fiscalmon.read_monthly, month_file(2024, 6))
    assert sorted(table["region_code"].unique()) == ["652300", "652300-bj", *COUNTIES]
    names = dict(zip(table["region_code"], table["region"]))
    assert (names["652300"], names["652300-bj"], names["652328"]) == ("昌吉回族自治州", "昌吉州本级", "木垒哈萨克自治县")
    said = " ".join(str(n) for n in notes if n.kind == "regions")
    assert "木垒县 → 652328" in said and "合计 row(s) as 652300" in said and "the title" in said


def test_a_total_row_without_a_known_area_is_refused_until_prefecture_says(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("单位：万元\n地区,月份,一般公共预算收入\n昌吉市,2024-06,145882\n伊宁市,2024-06,200000\n"
                    "合计,2024-06,345882\n", encoding="utf-8")
    with pytest.raises(FiscalDataError, match="Say which prefecture the table covers"):
        quietly(fiscalmon.read_monthly, path)
    table = quietly(fiscalmon.read_monthly, path, prefecture="652300")
    assert table.loc[table["ytd"] == 34.5882, "region_code"].tolist() == ["652300"]


def test_a_budget_table_with_year_and_figure_only_in_its_title():
    """昌吉州2024年各县市一般公共预算收入预算表, 地区 | 一般公共预算收入 | 税收收入 | 非税收入 (was a KeyError)."""
    path = next(p for p in ANNUAL if "预算表" in p.name)
    table, notes = notes_of(fiscalmon.read_annual, path)
    raw = cells(path, "木垒县")
    mulei = table[table["region_code"] == "652328"].set_index("item")
    assert mulei["budget"].to_dict() == {"gpb_revenue": raw[1] / 10_000, "tax_revenue": raw[2] / 10_000,
                                         "nontax_revenue": raw[3] / 10_000}
    assert set(table["year"]) == {2024} and table["outturn"].isna().all()
    assert any(n.kind == "period" and "read as budget" in str(n) for n in notes)


def test_an_outturn_table_with_items_over_measures():
    path = next(p for p in ANNUAL if "2023年" in p.name)
    table = quietly(fiscalmon.read_annual, path)
    line = next(l for l in path.read_bytes().decode("gbk").splitlines() if l.startswith("木垒县"))
    adjusted, outturn, tax = (float(v) / 10_000 for v in line.split(",")[1:4])
    mulei = table[(table["region_code"] == "652328")].set_index("item")
    assert (mulei.at["gpb_revenue", "adjusted_budget"], mulei.at["gpb_revenue", "outturn"],
            mulei.at["tax_revenue", "outturn"]) == (adjusted, outturn, tax)
    assert set(table["year"]) == {2023}


def test_outturns_with_one_column_per_year():
    path = next(p for p in ANNUAL if "2020-2022" in p.name)
    table = quietly(fiscalmon.read_annual, path)
    assert table.attrs["layout"] == "wide-by-year"
    mulei = table[(table["region_code"] == "652328") & (table["item"] == "gpb_revenue")]
    expected = TRUTH[(TRUTH["region_code"] == "652328") & (TRUTH["item"] == "gpb_revenue")
                     & TRUTH["period"].isin(["2021-12", "2022-12"])]["ytd"].tolist()
    assert mulei.set_index("year")["outturn"].loc[[2021, 2022]].tolist() == pytest.approx(expected, abs=1e-9)


def test_the_monthly_tables_budget_column_is_the_budget_without_an_annual_table(monthly):
    result = quietly(fiscalmon.forecast_full_year, monthly, None, "2024-06", items="gpb_revenue").table
    raw = cells(month_file(2024, 6), "木垒县")  # 年初预算 is the third column
    mulei = result[result["region_code"] == "652328"].iloc[0]
    assert (mulei["budget"], mulei["budget_source"]) == (raw[2] / 10_000, "monthly_budget")


def test_an_annual_budget_that_differs_from_the_monthly_tables_is_noted_with_both(monthly, annual):
    changed = annual.copy()
    mulei = (changed["region_code"] == "652328") & (changed["year"] == 2024) & (changed["item"] == "gpb_revenue")
    changed.loc[mulei, "budget"] = changed.loc[mulei, "budget"] * 1.1
    _, notes = notes_of(join_tables, monthly, changed)
    said = " ".join(str(n) for n in notes if n.kind == "budgets")
    original = annual.loc[mulei, "budget"].iloc[0]
    assert f"{original:.6g}亿元" in said and f"{original * 1.1:.6g}亿元" in said
    assert "木垒哈萨克自治县 gpb_revenue 2024" in said


def test_a_budget_equal_to_last_years_is_noted(monthly, annual):
    stale = pd.concat([annual, annual[(annual["year"] == 2024)].assign(year=2023, budget=lambda t: t["budget"])])
    _, notes = notes_of(join_tables, monthly, stale)
    assert any(n.kind == "budgets" and "it equals 2023's" in str(n) for n in notes)


def test_a_formula_without_a_saved_value_is_refused_naming_the_cell(tmp_path):
    path = tmp_path / month_file(2024, 6).name
    book = openpyxl.load_workbook(month_file(2024, 6))
    book.active["D13"] = "=SUM(D7:D12)"  # 木垒县's 本年累计 (row 13), never calculated
    book.save(path)
    with pytest.raises(FiscalDataError) as caught:
        quietly(fiscalmon.read_monthly, path)
    problem = next(p for p in caught.value.problems if "no saved result" in p.expected)
    assert (problem.row, problem.column) == (13, "一般公共预算收入/本年累计")


def test_a_formula_with_a_saved_value_reads_its_value(tmp_path):
    path = tmp_path / month_file(2024, 6).name
    book = openpyxl.load_workbook(month_file(2024, 6))
    value = book.active["D13"].value  # 木垒县's 本年累计
    book.active["D13"] = "=D13*1"
    book.save(path)
    # Give the formula the result Excel would have saved beside it: <f>D13*1</f><v>value</v>.
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    # openpyxl writes the empty value as <v />, <v/> or <v></v> depending on whether lxml is installed.
    empty_value = re.compile(rb"<f>D13\*1</f><v\s*/>|<f>D13\*1</f><v></v>")
    parts[sheet], replaced = empty_value.subn(f"<f>D13*1</f><v>{value}</v>".encode(), parts[sheet])
    assert replaced == 1
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    table = quietly(fiscalmon.read_monthly, path)
    mulei = table[(table["region_code"] == "652328") & (table["item"] == "gpb_revenue")
                  & (table["period"] == pd.Period("2024-06", "M"))]
    assert mulei["ytd"].tolist() == [pytest.approx(value / 10_000)]


# ---- mistakes that must never pass silently ----------------------------------------------------------

def _scaled_copy(tmp_path: Path, source: Path, factor: float) -> Path:
    """A copy of a month's workbook with every amount (not the rates) multiplied by ``factor``."""
    path = tmp_path / source.name
    book = openpyxl.load_workbook(source)
    for row in book.active.iter_rows(min_row=5):
        for cell in row[2:]:
            if isinstance(cell.value, (int, float)) and cell.column not in (6, 7, 9, 11):  # 同比, 完成预算%
                cell.value = cell.value * factor
    book.save(path)
    return path


def test_a_month_in_yuan_labelled_wan_is_refused_and_unit_reads_it(tmp_path):
    """The 707,156亿元 report: a month exported in 元 under 单位：万元 is an error saying so."""
    wrong = _scaled_copy(tmp_path, month_file(2024, 5), 10_000)
    with pytest.raises(FiscalDataError) as caught:
        quietly(fiscalmon.read_monthly, wrong)
    assert "probably in 元, not 万元" in str(caught.value) and "--unit 元" in str(caught.value)
    table = quietly(fiscalmon.read_monthly, wrong, unit="元")
    mulei = table[(table["region_code"] == "652328") & (table["period"] == pd.Period("2024-05", "M"))
                  & (table["item"] == "gpb_revenue")]["ytd"]
    expected = TRUTH.query("region_code == '652328' and period == '2024-05' and item == 'gpb_revenue'")["ytd"]
    assert mulei.tolist() == pytest.approx(expected.tolist(), rel=1e-12)


def test_a_month_in_yi_labelled_wan_is_refused_against_the_other_files(tmp_path):
    """÷10,000: no single figure is implausible, but the file is four orders below the other 41."""
    files = [p for p in MONTHLY if p != month_file(2024, 5)] + [_scaled_copy(tmp_path, month_file(2024, 5), 1e-4)]
    tables = [quietly(fiscalmon.read_monthly, p) for p in files]
    with pytest.raises(FiscalDataError) as caught:
        fiscalmon.combine_tables(tables)
    problem = caught.value.problems[0]
    assert month_file(2024, 5).name in problem.file and "÷10,000" in str(problem.value)
    assert "probably in 亿元" in problem.action and "41 other file(s)" in problem.expected


def test_monthly_and_annual_tables_in_different_units_are_refused(monthly, annual):
    in_yi = annual.assign(budget=annual["budget"] / 10_000, adjusted_budget=annual["adjusted_budget"] / 10_000,
                          outturn=annual["outturn"] / 10_000)
    with pytest.raises(FiscalDataError, match="monthly ×10,000 annual"):
        join_tables(monthly, in_yi)


def _foreign(tmp_path: Path, name: str, rows: str, codes: bool = True) -> Path:
    """A table of a prefecture the shipped regions table does not know (甲县, 乙县)."""
    path = tmp_path / name
    header = "地区编码,地区,月份,项目,累计,单位\n" if codes else "地区,年度,项目,预算数,单位\n"
    path.write_text(header + rows, encoding="utf-8")
    return path


def test_names_on_one_side_and_codes_on_the_other_are_joined(tmp_path):
    monthly = quietly(fiscalmon.read_monthly, _foreign(tmp_path, "m.csv", "990101,甲县,2024-06,一般公共预算收入,5,亿元\n"
                                                                          "990102,乙县,2024-06,一般公共预算收入,7,亿元\n"))
    annual = quietly(fiscalmon.read_annual, _foreign(tmp_path, "a.csv", "甲县,2024,一般公共预算收入,10,亿元\n"
                                                                         "乙县,2024,一般公共预算收入,13,亿元\n", codes=False))
    (_, joined), notes = notes_of(join_tables, monthly, annual)
    assert dict(zip(joined["region_code"], joined["budget"])) == {"990101": 10.0, "990102": 13.0}
    assert any(n.kind == "joins" and "甲县 → 990101" in str(n) for n in notes)
    result = quietly(fiscalmon.forecast_full_year, monthly, joined, "2024-06", methods="carry_forward").table
    assert result["budget"].tolist() == [10.0, 13.0]


def test_a_region_seen_in_one_file_only_is_matched_by_name_or_refused(tmp_path):
    files = [_foreign(tmp_path, f"{m}.csv", f"990101,甲县,2024-0{m},一般公共预算收入,{m},亿元\n"
                                            f"990102,乙县,2024-0{m},一般公共预算收入,{2 * m},亿元\n") for m in (1, 2)]
    typo = _foreign(tmp_path, "3.csv", "990101,甲县,2024-03,一般公共预算收入,3,亿元\n990120,乙县,2024-03,一般公共预算收入,6,亿元\n")
    tables = [quietly(fiscalmon.read_monthly, p) for p in [*files, typo]]
    combined, notes = notes_of(fiscalmon.combine_tables, tables)
    assert sorted(combined.loc[combined["region"] == "乙县", "ytd"]) == [2.0, 4.0, 6.0]
    assert set(combined["region_code"]) == {"990101", "990102"}
    assert any(n.kind == "joins" and "990120" in str(n) and "3.csv" in str(n) for n in notes)
    new = _foreign(tmp_path, "3.csv", "990101,甲县,2024-03,一般公共预算收入,3,亿元\n990120,丙县,2024-03,一般公共预算收入,6,亿元\n")
    with pytest.raises(FiscalDataError) as caught:
        fiscalmon.combine_tables([*tables[:2], quietly(fiscalmon.read_monthly, new)])
    problem = caught.value.problems[0]
    assert problem.file == "3.csv" and "990120 丙县" in str(problem.value) and "in this file only" in problem.expected


def test_a_mistyped_county_name_is_refused_with_the_nearest_names(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("昌吉州2024年1-6月收入情况\n单位：万元\n地区,一般公共预算收入\n昌吉市,145882\n吉木沙尔县,60400\n",
                    encoding="utf-8")
    with pytest.raises(FiscalDataError) as caught:
        quietly(fiscalmon.read_monthly, path)
    problem = caught.value.problems[0]
    assert (problem.row, problem.value) == (5, "吉木沙尔县") and "吉木萨尔县 (652327)" in problem.action


def test_a_risk_table_with_no_indicator_fiscalmon_knows_is_refused(tmp_path):
    """A group row over unknown names used to grade every county 'not assessed' with exit 0."""
    path = tmp_path / "risk.csv"
    path.write_text("单位：万元\n地区,月份,库款情况,,\n,,期末数,可动用数,本月流出数\n昌吉市,2024-06,34684,24470,32643\n",
                    encoding="utf-8")
    with pytest.raises(FiscalDataError) as caught:
        quietly(fiscalmon.read_risk, path)
    message = str(caught.value)
    assert "at least one risk indicator column" in message and "库款情况/期末数" in message
    path.write_text("单位：万元\n地区,库款情况,,\n,期末数,可动用数,本月流出数\n昌吉市,34684,24470,32643\n", encoding="utf-8")
    with pytest.raises(FiscalDataError, match="found '期末数, 可动用数, 本月流出数'; expected a header row"):
        quietly(fiscalmon.read_risk, path)


@pytest.mark.parametrize("reader, path, kind", [
    (fiscalmon.read_risk, lambda: month_file(2024, 6), "monthly"),
    (fiscalmon.read_monthly, lambda: RISK[-1], "risk"),
    (fiscalmon.read_annual, lambda: RISK[-1], "risk"),
])
def test_a_table_of_the_wrong_kind_is_refused_saying_which_kind_it_is(reader, path, kind):
    with pytest.raises(FiscalDataError, match=f"This looks like a {kind} table"):
        quietly(reader, path())


# ---- the command line on the bureau's files ---------------------------------------------------------

def test_forecast_on_the_exports_gives_the_figures_and_one_note_per_kind(cli, tmp_path):
    out = tmp_path / "forecast.csv"
    result = cli("forecast", *map(str, MONTHLY), "--annual", *map(str, ANNUAL), "--as-of", "2024-06",
                 "--item", "gpb_revenue", "--format", "csv", "-o", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out, dtype={"region_code": str}).set_index("region_code")
    expected = TRUTH.query("period == '2024-06' and item == 'gpb_revenue'").set_index("region_code")["ytd"]
    assert table["ytd"].to_dict() == pytest.approx(expected.to_dict(), rel=1e-7)
    assert table.loc["652328", "budget"] == cells(next(p for p in ANNUAL if "预算表" in p.name), "木垒县")[1] / 10_000
    notes = [line for line in result.stderr.splitlines() if line.startswith("note [")]
    kinds = [line.split(",")[0] for line in notes]
    assert len(kinds) == len(set(kinds)) >= 3  # one line per kind
    assert "budgets: 9 from the annual table's budget (年初预算)" in result.stderr


def test_forecast_says_where_budgets_come_from_when_the_annual_table_lacks_the_year(cli):
    without_2024 = [p for p in ANNUAL if "预算表" not in p.name]
    result = cli("forecast", *map(str, MONTHLY), "--annual", *map(str, without_2024), "--as-of", "2024-06",
                 "--item", "gpb_revenue", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "budgets: 9 from the monthly table's 年初预算 column" in result.stdout
    assert "a 2024 budget for every region of the monthly table" in result.stderr


def test_flags_and_report_on_the_exports(cli, tmp_path):
    flags = cli("flags", *map(str, RISK), "--month", "2024-06", "--format", "csv", "--table", "counties")
    assert flags.returncode == 0, flags.stderr
    assert "652328,木垒哈萨克自治县" in flags.stdout
    report = tmp_path / "report.html"
    result = cli("report", "--monthly", *map(str, MONTHLY), "--annual", *map(str, ANNUAL), "--risk", *map(str, RISK),
                 "--month", "2024-06", "--prefecture", "652300", "-o", str(report), "--quiet")
    assert result.returncode == 0, result.stderr
    assert "木垒哈萨克自治县" in report.read_text(encoding="utf-8")


def test_a_wrong_unit_among_the_files_stops_the_command_with_its_advice(cli, tmp_path):
    files = [p for p in MONTHLY if p != month_file(2024, 5)]
    wrong = _scaled_copy(tmp_path, month_file(2024, 5), 10_000)
    result = cli("summary", *map(str, files), str(wrong))
    assert result.returncode == 2 and "probably in 元" in result.stderr and "Traceback" not in result.stderr
    fixed = cli("summary", *map(str, files), str(wrong), "--unit", f"{wrong.name}=元", "--format", "csv")
    assert fixed.returncode == 0, fixed.stderr
    assert "units of amounts, 1" in fixed.stderr


# ---- other shapes the same bureaus use ----------------------------------------------------------------

def test_measures_over_items_with_codes_for_some_rows_and_the_total_last(tmp_path):
    """伊犁州's 情况表: 本年累计 / 同比增长% over the items, codes on some rows only, 合计 at the bottom."""
    path = tmp_path / "yili.csv"
    path.write_bytes("伊犁州2024年1-5月各县市一般公共预算收入情况表,,,,,,单位：万元\n"
                     "地区编码,县市,本年累计,,,同比增长%,\n,,一般公共预算收入,税收收入,非税收入,一般公共预算收入,税收收入\n"
                     '654002,伊宁市,"120,500.3","90,100.2","30,400.1",5.2,3.1\n'
                     ',奎屯市,"80,200.0","60,000.0","20,200.0",-2.1,-4.0\n'
                     ',察布查尔县,"25,000","18,000","7,000",2.0,1.0\n'
                     ',合计,"225,700.3","168,100.2","57,600.1",4.0,2.0\n说明：本表为快报数。\n'.encode("gbk"))
    table = quietly(fiscalmon.read_monthly, path)
    gpb = table[table["item"] == "gpb_revenue"].set_index("region_code")
    assert gpb["ytd"].to_dict() == {"654000": 22.57003, "654002": 12.05003, "654003": 8.02, "654022": 2.5}
    assert gpb["yoy_pct"].to_dict() == {"654000": 4.0, "654002": 5.2, "654003": -2.1, "654022": 2.0}
    assert set(table["period"].astype(str)) == {"2024-05"}


def test_a_one_county_table_takes_its_region_from_the_title(tmp_path):
    """木垒县2024年1-6月…执行情况表: items as rows (一、/（一）/1./其中：), 本月数 beside 累计数, no region column."""
    path = tmp_path / "mulei.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["木垒县2024年1-6月一般公共预算收支执行情况表"], [None, None, None, None, "单位：万元"],
                ["项目", "本月数", "累计数", "上年同期累计", "同比增减%"],
                ["一、一般公共预算收入", 4000, 26000, 25000, 4.0], ["  （一）税收收入", 3000, 18000, 17500, 2.86],
                ["    1.增值税", 1200, 7000, 7100, -1.41], ["    其中：三保支出", 9000, 55000, 53000, 3.77],
                ["注：本表为快报数。"]]:
        sheet.append(row)
    book.save(path)
    table, notes = notes_of(fiscalmon.read_monthly, path)
    now = table[table["period"] == pd.Period("2024-06", "M")].set_index("item")
    assert now["ytd"].to_dict() == {"gpb_revenue": 2.6, "sanbao_expenditure": 5.5, "tax_revenue": 1.8,
                                    "vat_revenue": 0.7}
    assert set(table["region_code"]) == {"652328"}
    assert any("the region its title names" in str(n) for n in notes)


def test_a_system_export_with_month_numbers_beside_a_year_column(tmp_path):
    """年度 | 月份 (6) | 科目名称 | 累计数 | 上年同期累计数 | 增减%: the month number with its year; 增减% the growth."""
    path = tmp_path / "export.csv"
    path.write_text("地区编码,地区名称,年度,月份,科目编码,科目名称,本月数,累计数,上年同期累计数,增减%\n"
                    '652301,昌吉市,2024,6,101,税收收入,"18,000.00","107,000.00","100,700.00",6.26\n', encoding="utf-8-sig")
    table = quietly(fiscalmon.read_monthly, path, unit="万元")
    assert table["period"].astype(str).tolist() == ["2023-06", "2024-06"]
    assert table["ytd"].tolist() == [10.07, 10.7] and table["yoy_pct"].iloc[1] == 6.26
