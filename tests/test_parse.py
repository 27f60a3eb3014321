"""Tests of fiscalmon.parse: reading single cells and headers the way bureau files write them.

Each parser returns the clean value, None for a cell marked "not reported", or raises CellError
saying what was expected (``.expected``) and what to do (``.action``). The accepted spellings come
from the docstrings of fiscalmon/parse.py and from docs/data-format.md.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from fiscalmon.parse import (
    CellError,
    clean_text,
    parse_code,
    parse_grade,
    parse_item,
    parse_level,
    parse_month_spec,
    parse_number,
    parse_unit,
    parse_year,
    split_header,
    table_unit,
)


def assert_cell_error(error: pytest.ExceptionInfo, phrase: str | None = None) -> None:
    """A CellError must tell the analyst what was expected and what to do."""
    assert isinstance(error.value, CellError)
    assert isinstance(error.value, ValueError)
    assert error.value.expected.strip()
    assert error.value.action.strip()
    if phrase is not None:
        assert phrase in error.value.expected


# ---- clean_text ------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("  １２３ ", "123"),         # full-width digits become ASCII, spaces trimmed
    ("ＡＢＣ", "ABC"),            # full-width letters
    ("\u3000昌吉\u3000", "昌吉"),  # the ideographic (full-width) space is trimmed too
    ("（一）", "(一)"),           # full-width brackets become ASCII
    ("N/A", "N/A"),              # not one of the missing marks: kept
    ("0", "0"),
    (0, "0"),                    # a zero is a value, not "missing"
    (652300, "652300"),
    (652300.0, "652300"),        # Excel's float for a whole number loses its ".0"
    (1.5, "1.5"),
    (np.int64(7), "7"),
])
def test_clean_text_normalises(raw, expected):
    """NFKC (full-width → half-width) and trimming; whole-number floats lose their '.0'."""
    assert clean_text(raw) == expected


@pytest.mark.parametrize("raw", [
    None, float("nan"), np.float64("nan"), "", "   ", "-", "—", "－", "--", "——", "/", "无数据", "　",
])
def test_clean_text_missing_marks_are_none(raw):
    """Empty cells and the documented marks (-, —, －, --, ——, /, 无数据) mean "not reported"."""
    assert clean_text(raw) is None


@pytest.mark.parametrize("raw", [np.float32("nan"), pd.NA], ids=["float32-nan", "pd.NA"])
def test_clean_text_other_missing_scalars_are_none(raw):
    """A NaN is missing whatever its float width, and so is pandas' NA: never the text 'nan' or '<NA>'."""
    assert clean_text(raw) is None


# ---- parse_number ----------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("1,189,100.00", 1189100.0),   # thousands separators
    ("1，234", 1234.0),            # full-width comma
    ("１２３", 123.0),              # full-width digits
    ("+4.1", 4.1),
    ("-9.37", -9.37),
    ("－9.37", -9.37),             # full-width minus sign
    (" 12 ", 12.0),
    ("1 234", 1234.0),             # a space as thousands separator
    ("1e3", 1000.0),
    (3, 3.0),
    (np.float64(2.5), 2.5),
    (118.91, 118.91),
])
def test_parse_number_accepts(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", [None, float("nan"), "", "-", "—", "－", "/", "无数据"])
def test_parse_number_not_reported_is_none(raw):
    assert parse_number(raw) is None


@pytest.mark.parametrize("raw, expected", [
    ("4.1%", 4.1),
    ("4.1 %", 4.1),
    ("４.１％", 4.1),        # full-width digits and percent sign
    ("-9.37%", -9.37),
    ("0.45", 0.45),         # the % sign is optional
])
def test_parse_number_percent(raw, expected):
    """With percent=True a trailing % is accepted; the number stays in percent (4.1% → 4.1, not 0.041)."""
    assert parse_number(raw, percent=True) == expected


def test_parse_number_percent_sign_only_when_asked():
    """An amount cell reading '4.1%' is an error: the % is accepted only for percentage columns."""
    with pytest.raises(CellError) as error:
        parse_number("4.1%")
    assert_cell_error(error, "a number")


@pytest.mark.parametrize("raw", ["inf", "-inf", "nan", "NaN", float("inf"), float("-inf"), np.inf])
def test_parse_number_rejects_non_finite(raw):
    """Infinity or the text 'nan' is never a budget figure."""
    with pytest.raises(CellError) as error:
        parse_number(raw)
    assert_cell_error(error, "finite")


@pytest.mark.parametrize("raw, percent, phrase", [
    ("abc", False, "a number"),
    ("1.2.3", False, "a number"),
    ("约5亿", False, "a number"),
    ("N/A", False, "a number"),
    ("abc", True, "a percentage"),
    ("%", True, "a percentage"),
    ("增长", True, "a percentage"),
])
def test_parse_number_rejects_text(raw, percent, phrase):
    with pytest.raises(CellError) as error:
        parse_number(raw, percent=percent)
    assert_cell_error(error, phrase)


# ---- parse_month_spec ------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("2023-06", (2023, 6)),
    ("2023-6", (2023, 6)),
    ("2023/06", (2023, 6)),
    ("2023.06", (2023, 6)),
    ("2023-06-30", (2023, 6)),            # a full date: the month it falls in
    ("2023-06-30T00:00:00", (2023, 6)),   # an ISO date-time as text
    ("2023-06-30 00:00:00", (2023, 6)),   # a date-time as text, as pandas and databases write it
    ("2023/6/30 0:00", (2023, 6)),        # as Excel writes a date cell when saving CSV
    (" 2023 - 06 ", (2023, 6)),
    ("202306", (2023, 6)),
    (202306, (2023, 6)),                  # the same typed as a number in Excel
    ("2023年6月", (2023, 6)),
    ("2023年1-6月", (2023, 6)),
    ("2023年1—6月", (2023, 6)),           # em dash
    ("2023年1–6月", (2023, 6)),           # en dash
    ("2023年1～6月", (2023, 6)),
    ("2023年1至6月", (2023, 6)),
    ("2023年1-6月份累计", (2023, 6)),
    ("2023 年 1-6 月", (2023, 6)),
    ("２０２３年１－６月", (2023, 6)),      # full-width digits and dash
    ("2023年12月", (2023, 12)),
    ("1-2月", (None, 2)),                 # 1-2月 published together; the year comes from elsewhere
    ("6月", (None, 6)),
    ("1至6月", (None, 6)),
    ("1-1月", (None, 1)),
    pytest.param(dt.date(2023, 6, 30), (2023, 6), id="date"),
    pytest.param(dt.datetime(2023, 6, 30, 23, 59), (2023, 6), id="datetime"),
    pytest.param(pd.Timestamp("2023-06-30"), (2023, 6), id="pd.Timestamp"),
    pytest.param(pd.Period("2023-06", freq="M"), (2023, 6), id="pd.Period"),
    pytest.param(np.datetime64("2023-06-30"), (2023, 6), id="np.datetime64-day"),
    pytest.param(np.datetime64("2023-06"), (2023, 6), id="np.datetime64-month"),  # month precision: exactly a month
])
def test_parse_month_spec_accepts(raw, expected):
    """Every documented spelling of the month a YTD figure runs to."""
    assert parse_month_spec(raw) == expected


@pytest.mark.parametrize("raw, phrase", [
    ("2023-13", "between 1 and 12"),
    ("2023-00", "between 1 and 12"),
    ("202313", "between 1 and 12"),
    ("2023年13月", "between 1 and 12"),
    ("2023年0月", "between 1 and 12"),
    ("2023年4-6月", "starting in January"),   # a quarter (二季度), not year to date
    ("4-6月", "starting in January"),
    ("2023年2-6月", "starting in January"),
    ("", "a month such as"),
    ("—", "a month such as"),
    (None, "a month such as"),
    ("下半年", "a month such as"),  # H2 is not year to date (上半年 is: see below)
    ("2023Q2", "a month such as"),
    ("20236", "a month such as"),
    ("June 2023", "a month such as"),
])
def test_parse_month_spec_rejects(raw, phrase):
    with pytest.raises(CellError) as error:
        parse_month_spec(raw)
    assert_cell_error(error, phrase)


@pytest.mark.parametrize("raw", [pd.NaT, np.datetime64("NaT")], ids=["pd.NaT", "np.datetime64-NaT"])
def test_parse_month_spec_rejects_missing_dates(raw):
    """An empty date cell is a CellError like an empty text cell, not (nan, nan) or a bare ValueError."""
    with pytest.raises(CellError) as error:
        parse_month_spec(raw)
    assert_cell_error(error)


# ---- parse_unit ------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("元", "元"), ("万元", "万元"), ("万", "万元"), ("亿元", "亿元"), ("亿", "亿元"),
    ("单位：万元", "万元"), ("单位:亿元", "亿元"), (" 万元 ", "万元"),
    ("yuan", "元"), ("10K Yuan", "万元"), ("wan yuan", "万元"), ("100m yuan", "亿元"), ("Yi Yuan", "亿元"),
])
def test_parse_unit_accepts(raw, expected):
    assert parse_unit(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "-"])
def test_parse_unit_empty_is_none(raw):
    assert parse_unit(raw) is None


@pytest.mark.parametrize("raw", ["美元", "千元", "吨", "%"])
def test_parse_unit_rejects(raw):
    """Only 元, 万元 and 亿元 are accepted; 千元 or 美元 would silently mis-scale amounts."""
    with pytest.raises(CellError) as error:
        parse_unit(raw)
    assert_cell_error(error, "万元")


# ---- parse_item ------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, key", [
    ("gpb_revenue", "gpb_revenue"),            # the key itself
    ("debt_balance", "debt_balance"),
    ("一般公共预算收入", "gpb_revenue"),          # the Chinese name
    ("政府性基金预算支出", "fund_expenditure"),
    ("一般预算收入", "gpb_revenue"),             # aliases
    ("公共财政预算收入", "gpb_revenue"),
    ("税收", "tax_revenue"),
    ("土地出让收入", "land_sale_revenue"),
    ("一、一般公共预算收入", "gpb_revenue"),       # enumeration prefixes
    ("十二、库款余额", "treasury_balance"),
    ("(一)税收收入", "tax_revenue"),
    ("（一）税收收入", "tax_revenue"),
    ("(1)税收收入", "tax_revenue"),
    ("1.税收收入", "tax_revenue"),
    ("1、税收收入", "tax_revenue"),
    ("1．税收收入", "tax_revenue"),
    ("其中：税收收入", "tax_revenue"),
    ("其中:非税收入", "nontax_revenue"),
    ("其中税收收入", "tax_revenue"),
    ("  税收收入 ", "tax_revenue"),
    ("一般公共预算收入合计", "gpb_revenue"),       # a 合计 / 总计 suffix
    ("一般公共预算支出总计", "gpb_expenditure"),
    ("“三保”支出", "sanbao_expenditure"),          # quotes around 三保
    ('"三保"支出', "sanbao_expenditure"),
])
def test_parse_item_known(raw, key):
    assert parse_item(raw) == (key, True)


@pytest.mark.parametrize("raw, written", [
    ("土地增值税", "土地增值税"),
    ("三、土地增值税", "三、土地增值税"),          # kept as written, numbering and all
    ("ＸＹＺ收入", "XYZ收入"),                     # after the usual full-width clean-up
])
def test_parse_item_unknown_is_kept_as_written(raw, written):
    """An item the registry does not know comes back as written, flagged False (the reader warns about it)."""
    assert parse_item(raw) == (written, False)


@pytest.mark.parametrize("raw", [None, "", "—"])
def test_parse_item_empty_is_an_error(raw):
    with pytest.raises(CellError) as error:
        parse_item(raw)
    assert_cell_error(error, "item")


# ---- parse_code ------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    (652300.0, "652300"),          # Excel stores the code as a float
    (np.float64(652300.0), "652300"),
    (652300, "652300"),
    ("652300", "652300"),
    (" 652300 ", "652300"),
    ("012345", "012345"),          # leading zeros kept
    ("652300-bj", "652300-bj"),    # 州本级
    ("652300-zd", "652300-zd"),    # 准东开发区
])
def test_parse_code_accepts(raw, expected):
    assert parse_code(raw) == expected


@pytest.mark.parametrize("raw", [None, float("nan"), "", "-"])
def test_parse_code_empty_is_none(raw):
    assert parse_code(raw) is None


def test_parse_code_rejects_a_fractional_number():
    """652300.5 is not a region code (a numeric column that was averaged or mistyped)."""
    with pytest.raises(CellError) as error:
        parse_code(652300.5)
    assert_cell_error(error, "region code")


# ---- parse_level and parse_grade ---------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("province", "province"), ("Province", "province"), ("省", "province"), ("自治区", "province"),
    ("prefecture", "prefecture"), ("州", "prefecture"), ("地", "prefecture"), ("市", "prefecture"),
    ("county", "county"), ("COUNTY", "county"), ("县", "county"), ("区", "county"), ("县市区", "county"),
    ("zone", "zone"), ("园区", "zone"), ("开发区", "zone"),
    ("own", "own"), ("本级", "own"), ("州本级", "own"), ("自治区本级", "own"),
])
def test_parse_level_accepts(raw, expected):
    assert parse_level(raw) == expected


def test_parse_level_empty_is_none_and_unknown_is_an_error():
    assert parse_level("") is None
    assert parse_level(None) is None
    with pytest.raises(CellError) as error:
        parse_level("乡")
    assert_cell_error(error, "county")


@pytest.mark.parametrize("raw, expected", [
    ("红", "red"), ("橙", "orange"), ("黄", "yellow"), ("绿", "green"),
    ("红色", "red"), ("橙色", "orange"), ("黄色", "yellow"), ("绿色", "green"),
    ("红色等级", "red"), ("绿色等级", "green"),
    ("red", "red"), ("Orange", "orange"), ("YELLOW", "yellow"), ("green", "green"),
    ("ＲＥＤ", "red"), (" 红 ", "red"),
])
def test_parse_grade_accepts(raw, expected):
    assert parse_grade(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "—"])
def test_parse_grade_empty_is_none(raw):
    """No grade assigned is "not reported", never green."""
    assert parse_grade(raw) is None


@pytest.mark.parametrize("raw", ["紫", "high", "蓝色", "1"])
def test_parse_grade_rejects(raw):
    with pytest.raises(CellError) as error:
        parse_grade(raw)
    assert_cell_error(error, "red")


# ---- parse_year ------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    (2023, 2023), ("2023", 2023), (2023.0, 2023), ("2023年", 2023), ("2023年度", 2023),
    ("２０２３", 2023), ("1949", 1949), ("2100", 2100),
])
def test_parse_year_accepts(raw, expected):
    assert parse_year(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "—", "23", "1948", "2101", "2023-06", 2023.5, "二〇二三"])
def test_parse_year_rejects(raw):
    """The year is required: empty is an error too; 1949–2100 is the accepted range."""
    with pytest.raises(CellError) as error:
        parse_year(raw)
    assert_cell_error(error, "year")


# ---- headers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("本年累计（万元）", ("本年累计", "万元", False)),   # full-width brackets
    ("本年累计(万元)", ("本年累计", "万元", False)),
    ("累计[亿元]", ("累计", "亿元", False)),
    ("累计［亿元］", ("累计", "亿元", False)),          # full-width square brackets
    ("累计 (万)", ("累计", "万元", False)),            # unit alias, space ignored
    ("YTD (Yuan)", ("ytd", "元", False)),              # case ignored
    ("同比增长(%)", ("同比增长", None, True)),
    ("增幅（％）", ("增幅", None, True)),
    ("同比增长%", ("同比增长", None, True)),
    ("占比(百分比)", ("占比", None, True)),
    ("同 比 增 长", ("同比增长", None, False)),
    ("  Budget  ", ("budget", None, False)),
    ("完成预算(调整)", ("完成预算(调整)", None, False)),  # a bracket that is no unit stays in the name
    ("累计(美元)", ("累计(美元)", None, False)),         # an unknown unit is not taken for one
    ("", ("", None, False)),
    (None, ("", None, False)),
])
def test_split_header(raw, expected):
    """(bare name, unit in brackets, says percent), ignoring whitespace and case."""
    assert split_header(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("ytd (10k yuan)", ("ytd", "万元", False)),
    ("budget (100m yuan)", ("budget", "亿元", False)),
    ("ytd (wan yuan)", ("ytd", "万元", False)),
])
def test_split_header_english_unit_with_a_space(raw, expected):
    """English unit spellings from schema.UNIT_ALIASES ('10k yuan', '100m yuan', 'wan yuan') are units in brackets too."""
    assert split_header(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("单位：万元", "万元"),
    ("单位: 亿元", "亿元"),
    ("单位:元", "元"),
    ("2023年1-6月财政收支执行情况表（单位：万元）", "万元"),
    ("                                    单位：亿元", "亿元"),
])
def test_table_unit_found(raw, expected):
    assert table_unit(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "万元", "2023年1-6月财政收支执行情况表", "单位：美元", "单位：千元"])
def test_table_unit_absent_or_unknown_is_none(raw):
    """No 单位： phrase, or a unit fiscalmon does not accept: None (the reader then asks for a unit)."""
    assert table_unit(raw) is None


@pytest.mark.parametrize("raw, expected", [("单位：万", "万元"), ("单位：亿", "亿元")])
def test_table_unit_short_spellings(raw, expected):
    """单位：万 states the unit as plainly as 单位：万元; parse_unit and split_header accept 万 and 亿."""
    assert table_unit(raw) == expected


def test_parse_month_spec_rejects_a_period_typed_as_a_decimal_number():
    """2023.10 typed into a number cell arrives as 2023.1: October or January? Refuse rather than guess."""
    with pytest.raises(CellError) as caught:
        parse_month_spec(2023.1)
    assert "period written as text" in caught.value.expected
    assert parse_month_spec(202310) == (2023, 10)


@pytest.mark.parametrize("raw, expected", [("2023年上半年", (2023, 6)), ("前三季度", (None, 9)),
                                           ("2023年一季度", (2023, 3)), ("2022年全年", (2022, 12))])
def test_parse_month_spec_reads_year_to_date_words(raw, expected):
    """Reports name YTD spans in words: 上半年 = 1-6月, 前三季度 = 1-9月, 一季度 = 1-3月, 全年 = 1-12月."""
    assert parse_month_spec(raw) == expected


def test_parse_month_spec_refuses_a_later_quarter():
    """二季度 (April–June) is not year to date."""
    with pytest.raises(CellError):
        parse_month_spec("2023年二季度")


def test_parse_code_drops_the_decimal_of_an_integer_code_written_as_text():
    """A code column saved from Excel to CSV may read 652300.0: the same code as 652300."""
    assert parse_code("652300.0") == "652300"
    assert parse_code("652300-bj") == "652300-bj"
