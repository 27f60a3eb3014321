"""Hostile and malformed input: nothing from a cell executes, nothing explodes, nothing passes as a
number it is not. (Outputs: tests/test_output_safety.py.)"""

from __future__ import annotations

import re
import time
import warnings
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiscalmon
from fiscalmon import FiscalDataError, FiscalDataWarning
from fiscalmon import cli as command_line
from fiscalmon import grids

HEADER = "地区编码,地区,月份,项目,本年累计,单位\n"


def _csv(tmp_path: Path, body: str, name: str = "m.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def _refused(path_or_frame, **options) -> FiscalDataError:
    with pytest.raises(FiscalDataError) as caught, warnings.catch_warnings():
        warnings.simplefilter("ignore", FiscalDataWarning)
        fiscalmon.read_monthly(path_or_frame, **options)
    return caught.value


# ---- silent wrong values --------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["2023.1-6", "2023-01 至 2023-06", "2023年1月至6月", "2023年1月-2023年6月"])
def test_a_period_written_as_a_span_is_its_last_month(tmp_path, written):
    path = _csv(tmp_path, f"652301,昌吉市,{written},税收收入,107000,万元\n")
    table = fiscalmon.read_monthly(path)
    assert table["period"].astype(str).tolist() == ["2023-06"]


def test_an_ambiguous_span_is_refused(tmp_path):
    error = _refused(_csv(tmp_path, "652301,昌吉市,2023-1-6,税收收入,107000,万元\n"))
    assert "may be a date in January or the span 1-6月" in str(error)


@pytest.mark.parametrize("cell, phrase", [
    (True, "TRUE/FALSE"),
    (pd.Timestamp("2023-06-30").to_pydatetime(), "a date or time"),
])
def test_a_date_or_boolean_in_an_amount_cell_is_refused(tmp_path, cell, phrase):
    book = openpyxl.Workbook()
    book.active.append(["地区编码", "地区", "月份", "项目", "本年累计(万元)"])
    book.active.append(["652301", "昌吉市", "2023-06", "税收收入", cell])
    path = tmp_path / "m.xlsx"
    book.save(path)
    error = _refused(path)
    assert phrase in str(error) and "row 2" in str(error)


@pytest.mark.parametrize("written, ok", [("12,5", False), ("1,2345", False), ("1,234,56", False),
                                         ("1,234", True), ("12,345,678.5", True)])
def test_commas_are_thousands_separators_only(tmp_path, written, ok):
    path = _csv(tmp_path, f'652301,昌吉市,2023-06,税收收入,"{written}",万元\n')
    if ok:
        assert fiscalmon.read_monthly(path)["ytd"].tolist() == [float(written.replace(",", "")) / 10_000]
    else:
        assert "commas only between groups of three digits" in str(_refused(path))


def test_a_latin1_file_is_not_read_as_chinese(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("region_code,region,period,item,ytd,unit\nCH,Zürich,2023-06,gpb_revenue,1,亿元\n"
                     .replace("亿元", "yuan").encode("latin-1"))
    error = _refused(path)
    assert "neither valid UTF-8 nor readable Chinese" in str(error) and "latin-1" in str(error)
    assert fiscalmon.read_monthly(path, encoding="latin-1")["region"].tolist() == ["Zürich"]


def test_a_control_character_in_a_name_is_refused_with_its_cell(tmp_path):
    error = _refused(_csv(tmp_path, "652301,昌吉\x07市,2023-06,税收收入,107000,万元\n"))
    problem = error.problems[0]
    assert (problem.row, problem.column) == (2, "地区") and "U+0007" in problem.expected
    assert len(error.problems) == 1  # the empty region that follows is not reported twice


def test_an_absurd_magnitude_is_refused(tmp_path):
    error = _refused(_csv(tmp_path, "652301,昌吉市,2023-06,税收收入,1e303,亿元\n"))
    assert "an amount a county can have" in str(error)


# ---- availability ------------------------------------------------------------------------------------

def test_a_workbook_claiming_a_huge_dimension_is_read_by_its_cells(tmp_path):
    """A 2 KB .xlsx whose <dimension> claims A1:XFD1048576 used to exhaust memory."""
    path = tmp_path / "m.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["地区编码", "地区", "月份", "项目", "本年累计(万元)"])
    book.active.append(["652301", "昌吉市", "2023-06", "税收收入", 107000])
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', parts[sheet])
    assert b"XFD1048576" in parts[sheet]
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    started = time.monotonic()
    assert fiscalmon.read_monthly(path)["ytd"].tolist() == [10.7]
    assert time.monotonic() - started < 30  # (it used to run out of memory, not merely slow down)


def test_a_workbook_beyond_the_cell_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(grids, "MAX_CELLS", 50)
    book = openpyxl.Workbook()
    book.active.append(["地区编码", "地区", "月份", "项目", "本年累计(万元)"])
    for k in range(20):
        book.active.append([f"6523{k:02d}", f"县{k}", "2023-06", "税收收入", k])
    path = tmp_path / "m.xlsx"
    book.save(path)
    assert "at most 50 cells" in str(_refused(path))


def test_a_huge_field_and_a_stray_quote_are_refused_naming_the_row(tmp_path):
    big = _csv(tmp_path, "652301,昌吉市,2023-06,税收收入," + "9" * 200_000 + ",万元\n", "big.csv")
    error = _refused(big)
    assert error.problems[0].row == 2 and "at most 100,000 characters" in error.problems[0].expected
    for count in (4000, 40):  # the quote swallows more than the field limit, or a few rows only
        lines = [f"6523{k:02d},县{k},2023-06,税收收入,{k},万元\n" for k in range(count)]
        lines[10] = lines[10].replace(",县10,", ',"县10,')  # a quote opening the name on file row 12
        error = _refused(_csv(tmp_path, "".join(lines), f"stray{count}.csv"))
        assert error.problems[0].row == 12 and "never closes" in error.problems[0].action


def test_a_line_of_millions_of_fields_is_refused_at_once(tmp_path):
    path = _csv(tmp_path, "652301,昌吉市,2023-06,税收收入,1,万元" + "," * 5_000_000 + "\n")
    started = time.monotonic()
    error = _refused(path)
    assert error.problems[0].row == 2 and "fields on one line" in str(error.problems[0].value)
    assert time.monotonic() - started < 30


def test_many_problems_of_one_kind_are_counted_not_listed(tmp_path):
    rows = "652301,昌吉市,2023-06,税收收入,1,万元\n" * 20_000
    error = _refused(_csv(tmp_path, rows))
    message = str(error)
    assert message.startswith("19999 problems")
    assert len(message) < 5_000 and "… and 19994 more like the one above" in message


# ---- property: any small table gives a table or a located refusal --------------------------------

_HEADERS = ["地区编码", "地区", "月份", "项目", "本年累计", "同比增长(%)", "单位", "年初预算", "备注", "其中：税收收入",
            "region_code", "ytd", "=1+1", "", "1-6月"]
_CELLS = st.one_of(
    st.none(), st.integers(-10**6, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "—", "-", "昌吉市", "木垒县", "合计", "州本级", "652301", "652300-bj", "2023-06", "2023年1-6月",
                     "2023.1-6", "13月", "税收收入", "一般公共预算收入", "万元", "元", "亿元", "千元", "1,234.5", "12,5",
                     "4.1%", "=HYPERLINK(\"x\",\"y\")", "$x^{$", "注：本表", "TRUE", "\x07", "\u200b"]),
    st.text(max_size=8))


@st.composite
def small_tables(draw):
    width = draw(st.integers(1, 6))
    header = draw(st.lists(st.sampled_from(_HEADERS), min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(_CELLS, min_size=width, max_size=width), max_size=6))
    return pd.DataFrame(rows, columns=pd.Index(header, dtype=object)) if rows else pd.DataFrame(columns=header)


@settings(max_examples=300, deadline=5_000, suppress_health_check=[HealthCheck.too_slow])
@given(table=small_tables())
def test_any_small_table_reads_or_is_refused_with_located_problems(table):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = fiscalmon.read_monthly(table)
        except FiscalDataError as exc:
            assert exc.problems and all(p.file == "<DataFrame>" for p in exc.problems)
            return
    amounts = result["ytd"].dropna()
    assert np.isfinite(amounts).all() and (amounts.abs() < 400_000).all()
    assert result["unit"].eq("亿元").all()


@settings(max_examples=40, deadline=30_000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(table=small_tables())
def test_the_command_line_exits_0_or_2_on_any_small_table(tmp_path_factory, table):
    path = tmp_path_factory.mktemp("cli") / "m.csv"
    table.to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        status = command_line.main(["summary", str(path)])
    assert status in (0, 2)
