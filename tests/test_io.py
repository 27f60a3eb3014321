"""The readers on the files analysts have: encodings, Excel, wide layouts, Chinese headers, units."""

from __future__ import annotations

import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest

import fiscalmon
from fiscalmon import FiscalDataError, FiscalDataWarning
from conftest import DATA

CANONICAL = "region_code,region,period,item,ytd,yoy_pct,unit\n652301,昌吉市,2023-06,gpb_revenue,26.04,4.1,亿元\n"
CHINESE = "地区编码,地区,月份,项目,本年累计,同比增长(%),单位\n652301,昌吉市,2023年1-6月,一般公共预算收入,260400,4.1,万元\n"


def _figures(table: pd.DataFrame) -> list:
    return table[["region_code", "region", "period", "item", "ytd", "yoy_pct", "unit"]].astype(str).values.tolist()


EXPECTED = [["652301", "昌吉市", "2023-06", "gpb_revenue", "26.04", "4.1", "亿元"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_chinese_csv_in_every_encoding_reads_the_same(tmp_path, encoding):
    path = tmp_path / "m.csv"
    path.write_bytes(CHINESE.encode(encoding))
    table = fiscalmon.read_monthly(path)
    assert _figures(table) == EXPECTED
    assert table["source_unit"].tolist() == ["万元"]
    detected = table.attrs["encoding"]
    assert detected == {"gbk": "gb18030"}.get(encoding, encoding)


def test_canonical_and_chinese_headers_give_identical_floats(tmp_path):
    """260400 万元 ÷ 10000 must be exactly the float 26.04, so summaries agree to the last digit."""
    english, chinese = tmp_path / "en.csv", tmp_path / "zh.csv"
    english.write_text(CANONICAL, encoding="utf-8")
    chinese.write_bytes(CHINESE.encode("gbk"))
    assert fiscalmon.read_monthly(english)["ytd"].iloc[0] == fiscalmon.read_monthly(chinese)["ytd"].iloc[0] == 26.04


def test_title_and_unit_lines_above_the_header(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("2023年1-6月收入情况表\n单位：万元\n地区编码,地区,月份,项目,累计,同比\n"
                    "652301,昌吉市,2023年1-6月,一般公共预算收入,\"260,400\",4.1%\n", encoding="utf-8")
    table = fiscalmon.read_monthly(path)
    assert _figures(table) == EXPECTED


def test_real_xlsx_with_title_rows_numeric_codes_and_dates(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "月度"
    sheet.append(["昌吉州收入情况表"])
    sheet.append(["单位：万元"])
    sheet.append(["地区编码", "地区", "月份", "项目", "本年累计", "同比增长(%)"])
    sheet.append([652301, "昌吉市", pd.Timestamp("2023-06-30").to_pydatetime(), "一般公共预算收入", 260400, 4.1])
    path = tmp_path / "m.xlsx"
    book.save(path)
    table = fiscalmon.read_monthly(path)
    assert _figures(table) == EXPECTED
    assert fiscalmon.read_workbook(path).monthly["ytd"].tolist() == [26.04]


def test_read_workbook_reads_every_named_sheet_and_reports_all_problems(tmp_path):
    book = openpyxl.Workbook()
    monthly = book.active
    monthly.title = "monthly"
    for row in [["region_code", "region", "period", "item", "ytd", "unit"],
                ["652301", "昌吉市", "2023-06", "gpb_revenue", "oops", "亿元"]]:
        monthly.append(row)
    regions = book.create_sheet("地区")
    for row in [["地区编码", "地区", "级次", "风险等级"], ["652301", "昌吉市", "县", "紫"]]:
        regions.append(row)
    path = tmp_path / "book.xlsx"
    book.save(path)
    with pytest.raises(FiscalDataError) as caught:
        fiscalmon.read_workbook(path)
    files = {p.file for p in caught.value.problems}
    assert files == {"book.xlsx[monthly]", "book.xlsx[地区]"}


def test_wide_layout_one_column_per_month(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("地区编码,地区,项目,2023年1月,2023年1-2月,2023年1-3月,2023年1-3月同比\n"
                    "652301,昌吉市,税收收入,4.0,7.5,12.0,5.2\n", encoding="utf-8")
    table = fiscalmon.read_monthly(path, unit="亿元")
    assert table.attrs["layout"] == "wide-by-month"
    assert table["period"].astype(str).tolist() == ["2023-01", "2023-02", "2023-03"]
    assert table["ytd"].tolist() == [4.0, 7.5, 12.0]
    assert table["yoy_pct"].isna().tolist() == [True, True, False]


def test_wide_month_headers_without_year_take_the_year_column_or_argument(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("地区,项目,1-2月,1-3月\n昌吉市,税收收入,7.5,12.0\n", encoding="utf-8")
    with pytest.raises(FiscalDataError, match="a period with its year"):
        fiscalmon.read_monthly(path, unit="亿元")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FiscalDataWarning)
        table = fiscalmon.read_monthly(path, unit="亿元", year=2023)
    assert table["period"].astype(str).tolist() == ["2023-02", "2023-03"]


def test_wide_layout_one_column_per_item_with_growth_columns(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("地区编码,地区,月份,一般公共预算收入(万元),一般公共预算收入同比,税收收入(万元)\n"
                    "652301,昌吉市,2023-06,260400,4.1,180000\n", encoding="utf-8")
    table = fiscalmon.read_monthly(path)
    assert table.attrs["layout"] == "wide-by-item"
    assert table.set_index("item")["ytd"].to_dict() == {"gpb_revenue": 26.04, "tax_revenue": 18.0}
    assert table.set_index("item")["yoy_pct"].isna().to_dict() == {"gpb_revenue": False, "tax_revenue": True}


def test_two_header_rows_item_above_measure(tmp_path):
    """Bureau sheets often merge the item name over its 累计 and 同比 columns."""
    path = tmp_path / "wide.csv"
    path.write_text("地区编码,地区,月份,一般公共预算收入,,税收收入,\n"
                    ",,,累计(万元),同比(%),累计(万元),同比(%)\n"
                    "652301,昌吉市,2023-06,260400,4.1,180000,-2.5\n", encoding="utf-8")
    table = fiscalmon.read_monthly(path).set_index("item")
    assert table.loc["gpb_revenue", ["ytd", "yoy_pct"]].tolist() == [26.04, 4.1]
    assert table.loc["tax_revenue", ["ytd", "yoy_pct"]].tolist() == [18.0, -2.5]


def test_units_are_normalised_and_traceable(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("region_code,region,period,item,ytd,unit\n"
                    "A,甲县,2023-06,gpb_revenue,260400000,元\n"
                    "B,乙县,2023-06,gpb_revenue,26040,万元\n"
                    "C,丙县,2023-06,gpb_revenue,2.604,亿元\n", encoding="utf-8")
    table = fiscalmon.read_monthly(path)
    assert table["ytd"].tolist() == [2.604, 2.604, 2.604]
    assert table["source_unit"].tolist() == ["元", "万元", "亿元"]
    assert set(table["unit"]) == {"亿元"}


def test_unit_argument_overrides_a_stated_unit_and_says_so(tmp_path):
    """A file in 元 under a 万元 label is read right with unit='元', and a note quotes what the file said."""
    path = tmp_path / "m.csv"
    path.write_text("region_code,region,period,item,ytd,unit\nA,甲县,2023-06,gpb_revenue,2604000000,万元\n")
    with pytest.warns(FiscalDataWarning, match="says 万元; every amount was read in 元"):
        table = fiscalmon.read_monthly(path, unit="元")
    assert table["ytd"].tolist() == [26.04]
    assert table["source_unit"].tolist() == ["元"]


def test_unit_argument_refuses_a_file_stating_several_units(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("region_code,region,period,item,ytd,unit\nA,甲县,2023-06,gpb_revenue,26040,万元\n"
                    "B,乙县,2023-06,gpb_revenue,2,亿元\n")
    with pytest.raises(FiscalDataError, match="states 万元 and 亿元 for different rows"):
        fiscalmon.read_monthly(path, unit="元")


def test_explicit_revision_turns_a_falling_ytd_into_a_warning(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("region_code,region,period,item,ytd,unit,revision\n"
                    "A,甲县,2023-05,nontax_revenue,9.5,亿元,\n"
                    "A,甲县,2023-06,nontax_revenue,9.1,亿元,退库0.4亿元\n", encoding="utf-8")
    with pytest.warns(FiscalDataWarning, match="退库0.4亿元"):
        table = fiscalmon.read_monthly(path)
    assert table["ytd"].tolist() == [9.5, 9.1]


def test_falling_balance_of_a_stock_item_is_not_an_error(tmp_path):
    """A debt balance may fall (repayment); only flows must not fall within a year."""
    path = tmp_path / "m.csv"
    path.write_text("region_code,region,period,item,ytd,unit\n"
                    "A,甲县,2023-05,debt_balance,100,亿元\nA,甲县,2023-06,debt_balance,98,亿元\n", encoding="utf-8")
    assert fiscalmon.read_monthly(path)["ytd"].tolist() == [100.0, 98.0]


def test_ytd_may_restart_in_january(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("region_code,region,period,item,ytd,unit\n"
                    "A,甲县,2022-12,gpb_revenue,50,亿元\nA,甲县,2023-01,gpb_revenue,4,亿元\n", encoding="utf-8")
    assert fiscalmon.read_monthly(path)["ytd"].tolist() == [50.0, 4.0]


def test_completion_rate_that_looks_like_a_mixup_warns(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("region_code,region,period,item,ytd,completion_pct,unit\n"
                    "A,甲县,2023-06,gpb_revenue,26,4564,亿元\n", encoding="utf-8")
    with pytest.warns(FiscalDataWarning, match="mix-up"):
        fiscalmon.read_monthly(path)


def test_completion_rates_given_as_fractions_warn(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("region_code,region,period,item,ytd,completion_pct,unit\n"
                    "A,甲县,2023-06,gpb_revenue,26,0.4564,亿元\nB,乙县,2023-06,gpb_revenue,20,0.51,亿元\n"
                    "C,丙县,2023-06,gpb_revenue,12,0.47,亿元\n", encoding="utf-8")
    with pytest.warns(FiscalDataWarning, match="fractions"):
        fiscalmon.read_monthly(path)


def test_reported_growth_far_from_the_amounts_is_noted(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("region_code,region,period,item,ytd,yoy_pct,unit\n"
                    "A,甲县,2022-06,gpb_revenue,100,,亿元\nA,甲县,2023-06,gpb_revenue,110,4.0,亿元\n",
                    encoding="utf-8")
    with pytest.warns(FiscalDataWarning, match="close to 10.00%"):
        fiscalmon.read_monthly(path)


def test_unknown_items_are_kept_with_a_warning(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("地区编码,地区,月份,项目,累计,单位\nA,甲县,2023-06,契税,3.2,亿元\n"
                    "A,甲县,2023-06,其中：税收收入,20,亿元\n", encoding="utf-8")
    with pytest.warns(FiscalDataWarning, match="契税"):
        table = fiscalmon.read_monthly(path)
    assert sorted(table["item"]) == ["tax_revenue", "契税"]


def test_placeholder_dashes_mean_not_reported(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("region_code,region,period,item,ytd,yoy_pct,unit\nA,甲县,2023-06,gpb_revenue,—,3.5,亿元\n",
                    encoding="utf-8")
    table = fiscalmon.read_monthly(path)
    assert np.isnan(table["ytd"].iloc[0]) and table["yoy_pct"].iloc[0] == 3.5


def test_row_without_any_figure_is_an_error(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("region_code,region,period,item,ytd,yoy_pct,unit\nA,甲县,2023-06,gpb_revenue,,,亿元\n")
    with pytest.raises(FiscalDataError, match="a YTD amount or a growth rate"):
        fiscalmon.read_monthly(path)


def test_dataframe_input_goes_through_the_same_checks():
    raw = pd.DataFrame({"region_code": ["A"], "region": ["甲县"], "period": ["2023-06"],
                        "item": ["gpb_revenue"], "ytd": ["12x"], "unit": ["亿元"]})
    with pytest.raises(FiscalDataError) as caught:
        fiscalmon.read_monthly(raw)
    assert caught.value.problems[0].file == "<DataFrame>"


def test_annual_reader_and_unit_mixup_warning(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("地区编码,地区,年度,项目,预算数,调整预算数,决算数,单位\n"
                    "652301,昌吉市,2022,一般公共预算收入,251000,258000,260200,万元\n"
                    "652302,阜康市,2022,一般公共预算收入,120000,,1300000,万元\n", encoding="utf-8")
    with pytest.warns(FiscalDataWarning, match="different units"):
        table = fiscalmon.read_annual(path)
    first = table.iloc[0]
    assert (first["year"], first["budget"], first["adjusted_budget"], first["outturn"]) == (2022, 25.1, 25.8, 26.02)


def test_regions_reader_accepts_chinese_levels_and_grades(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("地区编码,地区,上级编码,级次,风险等级\n650000,新疆维吾尔自治区,,自治区,\n"
                    "652300,昌吉回族自治州,650000,州,\n652328,木垒哈萨克自治县,652300,县,红色\n", encoding="utf-8")
    table = fiscalmon.read_regions(path).set_index("region_code")
    assert table["level"].tolist() == ["province", "prefecture", "county"]
    assert table.loc["652328", "grade"] == "red"


def test_regions_reader_rejects_an_unknown_grade(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("region_code,region,level,grade\n652328,木垒哈萨克自治县,county,purple\n")
    with pytest.raises(FiscalDataError, match="red, orange, yellow, green"):
        fiscalmon.read_regions(path)


def test_write_table_is_atomic(tmp_path):
    table = fiscalmon.datasets.changji_monthly()
    path = fiscalmon.write_table(table, tmp_path / "out.csv")
    assert fiscalmon.read_monthly(path)["ytd"].equals(table["ytd"])
    with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
        fiscalmon.write_table(table, tmp_path / "out.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_bundled_bureau_examples_match_the_seed_file():
    """data/examples/ holds the Changji seed figures in GBK/万元 and in .xlsx: the same numbers."""
    seed = fiscalmon.datasets.changji_monthly()
    for name in ("changji_2023h1_bureau_gbk.csv", "changji_2023h1_bureau.xlsx"):
        other = fiscalmon.read_monthly(DATA / "examples" / name)
        pd.testing.assert_series_equal(other["ytd"], seed["ytd"])
        pd.testing.assert_series_equal(other["yoy_pct"], seed["yoy_pct"])


def test_single_month_headers_in_a_wide_table_are_read_as_ytd_with_a_warning(tmp_path):
    """"3月" may mean 1-3月 (year to date) or March alone (当月): read as year to date, and say so."""
    path = tmp_path / "wide.csv"
    path.write_text("地区,项目,年度,1月,2月,3月\n昌吉市,税收收入,2023,4,7.5,12\n", encoding="utf-8")
    with pytest.warns(FiscalDataWarning, match="2月, 3月"):
        table = fiscalmon.read_monthly(path, unit="亿元")
    assert table["ytd"].tolist() == [4.0, 7.5, 12.0]


def test_a_total_row_is_the_prefecture_its_counties_belong_to(tmp_path):
    """合计 under 昌吉市 (652301) totals 昌吉州: it gets 652300 and the official name, and a note says so."""
    path = tmp_path / "m.csv"
    path.write_text("地区,月份,项目,累计,单位\n昌吉市,2023-06,税收收入,12,亿元\n合计,2023-06,税收收入,30,亿元\n",
                    encoding="utf-8")
    with pytest.warns(FiscalDataWarning, match="1 合计 row.s. as 652300 昌吉回族自治州.*codes of its counties"):
        table = fiscalmon.read_monthly(path)
    assert table[["region_code", "region", "ytd"]].values.tolist() == [["652300", "昌吉回族自治州", 30.0],
                                                                      ["652301", "昌吉市", 12.0]]


def test_risk_table_with_bureau_header_variants_in_gbk(tmp_path):
    """库款余额 / 库款流出 / 拖欠工资 are what many bureau workbooks call these columns."""
    path = tmp_path / "risk.csv"
    path.write_bytes("地区代码,地区,月份,库款余额,库款流出,拖欠工资,单位\n"
                     "652301,昌吉市,2023-06,52000,26000,0,万元\n".encode("gbk"))
    table = fiscalmon.read_risk(path)
    assert table.loc[0, ["treasury_balance", "treasury_outflow", "wage_arrears"]].tolist() == [5.2, 2.6, 0.0]


def test_a_recognisable_column_the_layout_does_not_use_is_warned_not_dropped_silently(tmp_path):
    """In the long layout a column headed with an item name (税收收入) holds nothing the reader uses."""
    path = tmp_path / "monthly.csv"
    path.write_text("地区代码,地区,月份,项目,本年累计(亿元),税收收入\n"
                    "652300,昌吉州,2023-06,一般公共预算收入,118.91,80.2\n", encoding="utf-8")
    with pytest.warns(FiscalDataWarning, match="税收收入"):
        fiscalmon.read_monthly(path)


def test_table_level_problems_quote_the_header_and_the_amount_as_written(tmp_path):
    path = tmp_path / "risk.csv"
    path.write_text("地区代码,地区,月份,库款余额,单位\n652301,昌吉市,2023-06,-5,万元\n", encoding="utf-8")
    with pytest.raises(FiscalDataError) as caught:
        fiscalmon.read_risk(path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "库款余额", "-5万元")


@pytest.mark.parametrize("section, aliases", [
    ("## Monthly", "MONTHLY_ALIASES"), ("## Annual", "ANNUAL_ALIASES"), ("## Regions", "REGION_ALIASES"),
    ("## Risk", "RISK_ALIASES"),
])
def test_docs_list_every_header_the_readers_accept(section, aliases):
    """docs/data-format.md is what analysts read: each column's row names every Chinese header accepted."""
    import re
    from pathlib import Path

    from fiscalmon import schema

    text = (Path(__file__).parents[1] / "docs" / "data-format.md").read_text(encoding="utf-8")
    body = text.split(section, 1)[1].split("\n## ", 1)[0]
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \|(.*)$", body, flags=re.M)}
    for field, names in getattr(schema, aliases).items():
        if field in rows and "as above" not in rows[field]:
            listed = {re.sub(r"[（(]?%[)）]?$", "", n.split(" (")[0].strip()) for n in rows[field].split("|")[-2].split(",")}
            missing = [n for n in names if re.search(r"[\u4e00-\u9fff]", n) and n not in listed]
            assert not missing, f"{section} {field}: {missing} not in docs/data-format.md"


def test_a_workbook_sheet_is_chosen_by_its_columns_with_a_warning(tmp_path):
    """Monthly figures on the first sheet, budgets on the second: read_annual finds the second and says so."""
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"地区代码": ["652300"], "地区": ["昌吉州"], "月份": ["2023-06"], "项目": ["一般公共预算收入"],
                      "本年累计(亿元)": [118.91]}).to_excel(writer, sheet_name="月报", index=False)
        pd.DataFrame({"地区代码": ["652300"], "地区": ["昌吉州"], "年度": [2023], "项目": ["一般公共预算收入"],
                      "年初预算(亿元)": [240.0]}).to_excel(writer, sheet_name="预算", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fiscalmon.read_monthly(path)["ytd"].tolist() == [118.91]
    with pytest.warns(FiscalDataWarning, match="read sheet '预算'"):
        annual = fiscalmon.read_annual(path)
    assert annual["budget"].tolist() == [240.0]


BUREAU_TABLE = """昌吉州2023年1-6月一般公共预算收支完成情况表
单位：万元
项目,本月数,累计数,上年同期累计,同比增减%,年初预算数,完成预算%
一般公共预算收入,200000,1189100,1183773,0.45,2400000,49.5
一、税收收入,150000,800000,790000,1.27,1600000,50.0
    其中：增值税,60000,300000,310000,-3.23,620000,48.4
"""


def test_a_bureau_table_for_one_region_reads_with_region_and_the_title_period(tmp_path):
    """A bureau's own 收支完成情况表: no region or period column; the title names the period."""
    path = tmp_path / "bureau.csv"
    path.write_bytes(BUREAU_TABLE.encode("gbk"))
    with pytest.warns(FiscalDataWarning, match="every row is read as 2023-06"):
        table = fiscalmon.read_monthly(path, region="652300 昌吉州")
    assert table[["region_code", "region"]].drop_duplicates().values.tolist() == [["652300", "昌吉回族自治州"]]  # the official name
    figures = table.set_index(["item", table["period"].astype(str)])
    assert figures.loc[("gpb_revenue", "2023-06"), ["ytd", "yoy_pct", "completion_pct"]].tolist() == [118.91, 0.45, 49.5]
    assert figures.loc[("vat_revenue", "2023-06"), "ytd"] == 30.0
    # 上年同期累计 becomes last year's June: 1183773万元 = 118.3773亿元 (= 118.91 ÷ 1.0045, the seed's growth)
    assert figures.loc[("gpb_revenue", "2022-06"), "ytd"] == pytest.approx(118.3773)
    assert figures.loc[("vat_revenue", "2022-06"), "ytd"] == 31.0
    assert sorted(table["period"].astype(str).unique()) == ["2022-06", "2023-06"]
    with pytest.warns(FiscalDataWarning, match="every row is read as 652300 昌吉回族自治州, the region its title names"):
        from_title = fiscalmon.read_monthly(path)  # without region=, the title says it (昌吉州…)
    assert from_title["ytd"].tolist() == table["ytd"].tolist()
    unnamed = tmp_path / "unnamed.csv"
    unnamed.write_bytes(BUREAU_TABLE.replace("昌吉州", "").encode("gbk"))
    with pytest.raises(FiscalDataError, match="--file-region"):
        fiscalmon.read_monthly(unnamed)


def test_region_argument_is_refused_for_a_table_that_names_its_regions(tmp_path):
    path = tmp_path / "monthly.csv"
    path.write_text("地区代码,地区,月份,项目,本年累计(亿元)\n652300,昌吉州,2023-06,一般公共预算收入,118.91\n",
                    encoding="utf-8")
    with pytest.raises(FiscalDataError, match="region= only for a table without a region column"):
        fiscalmon.read_monthly(path, region="652301")


def test_cli_reads_a_one_region_bureau_table_with_file_region(cli, tmp_path):
    path = tmp_path / "bureau.csv"
    path.write_bytes(BUREAU_TABLE.encode("gbk"))
    result = cli("summary", str(path), "--file-region", "652300 昌吉州", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert "652300,昌吉回族自治州,gpb_revenue" in result.stdout and "every row is read as 2023-06" in result.stderr


def _month_file(tmp_path, name, period, ytd):
    path = tmp_path / name
    path.write_text(f"地区代码,地区,月份,项目,本年累计(亿元)\n652300,昌吉州,{period},一般公共预算收入,{ytd}\n",
                    encoding="utf-8")
    return path


def test_monthly_files_one_a_month_combine_and_a_figure_in_two_files_is_an_error(tmp_path):
    may, june = _month_file(tmp_path, "5月.csv", "2023-05", 98.5), _month_file(tmp_path, "6月.csv", "2023-06", 118.91)
    combined = fiscalmon.combine_tables([fiscalmon.read_monthly(june), fiscalmon.read_monthly(may)])
    assert combined["period"].astype(str).tolist() == ["2023-05", "2023-06"]
    assert combined["ytd"].tolist() == [98.5, 118.91]
    assert combined.attrs["files"] == ["6月.csv", "5月.csv"]
    assert combined.attrs["source_file"] == "2 files (6月.csv … 5月.csv)"
    again = _month_file(tmp_path, "6月修订.csv", "2023-06", 119.0)
    with pytest.raises(FiscalDataError) as caught:
        fiscalmon.combine_tables([fiscalmon.read_monthly(june), fiscalmon.read_monthly(again)])
    (problem,) = caught.value.problems
    assert "6月.csv and 6月修订.csv" in problem.expected and problem.value == "652300 × 2023-06 × gpb_revenue"


def test_cli_reads_several_monthly_files_as_one_table(cli, tmp_path):
    may, june = _month_file(tmp_path, "5月.csv", "2023-05", 98.5), _month_file(tmp_path, "6月.csv", "2023-06", 118.91)
    result = cli("summary", str(may), str(june), "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert "2023-06" in result.stdout and "118.91" in result.stdout
    duplicate = cli("summary", str(june), str(june))
    assert duplicate.returncode == 2 and "each figure in one file only" in duplicate.stderr


def test_a_ytd_that_falls_from_one_monthly_file_to_the_next_is_an_error(tmp_path):
    """June's file holding the single month (当月) instead of 1-6月: caught across the two files."""
    may, june = _month_file(tmp_path, "5月.csv", "2023-05", 98.5), _month_file(tmp_path, "6月.csv", "2023-06", 20.4)
    with pytest.raises(FiscalDataError) as caught:
        fiscalmon.combine_tables([fiscalmon.read_monthly(may), fiscalmon.read_monthly(june)])
    (problem,) = caught.value.problems
    assert problem.file == "5月.csv + 6月.csv" and "98.5亿元 at 2023-05 (5月.csv) falls to 20.4亿元" in problem.value


def test_a_prior_year_column_that_differs_from_last_years_own_row_keeps_the_row_and_says_so(tmp_path):
    path = tmp_path / "monthly.csv"
    path.write_text("地区代码,地区,月份,项目,本年累计(亿元),上年同期(亿元)\n"
                    "652300,昌吉州,2022-06,一般公共预算收入,118.0,\n"
                    "652300,昌吉州,2023-06,一般公共预算收入,118.91,118.38\n", encoding="utf-8")
    with pytest.warns(FiscalDataWarning, match="可比口径"):
        table = fiscalmon.read_monthly(path)
    assert table["ytd"].tolist() == [118.0, 118.91]  # last year's own row, once


def test_prior_year_figures_under_each_item_of_a_two_row_header(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("单位：万元\n"
                    "地区代码,地区,月份,一般公共预算收入,,,税收收入,,\n"
                    ",,,本年累计,上年同期,增幅%,本年累计,上年同期,增幅%\n"
                    "652301,昌吉市,2023-06,251000,240000,4.58,180000,175000,2.86\n", encoding="utf-8")
    table = fiscalmon.read_monthly(path).set_index(["item", "period"])["ytd"]
    assert table[("gpb_revenue", pd.Period("2022-06", freq="M"))] == 24.0
    assert table[("tax_revenue", pd.Period("2022-06", freq="M"))] == 17.5
    assert table[("tax_revenue", pd.Period("2023-06", freq="M"))] == 18.0


def test_last_years_own_file_wins_over_this_years_prior_year_column(tmp_path):
    last = tmp_path / "2022年6月.csv"
    last.write_text("地区代码,地区,月份,项目,本年累计(亿元)\n652301,昌吉市,2022-06,一般公共预算收入,24.1\n", encoding="utf-8")
    this = tmp_path / "2023年6月.csv"
    this.write_text("地区代码,地区,月份,项目,本年累计(亿元),上年同期(亿元)\n652301,昌吉市,2023-06,一般公共预算收入,25.1,24.0\n",
                    encoding="utf-8")
    tables = [fiscalmon.read_monthly(last), fiscalmon.read_monthly(this)]
    assert tables[1]["note"].iloc[0] == "上年同期 of 2023-06" and tables[1]["note"].isna().iloc[1]
    with pytest.warns(FiscalDataWarning, match=r"2023年6月.csv, column '上年同期': found '昌吉市 gpb_revenue 2022-06: "
                                               r"24亿元'; expected last year's own figure \(24.1亿元 in 2022年6月.csv\)"):
        combined = fiscalmon.combine_tables(tables)
    assert combined["ytd"].tolist() == [24.1, 25.1]
