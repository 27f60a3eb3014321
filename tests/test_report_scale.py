"""A report of many counties: charts of bounded size that say which counties they show, tables of every county.

The scope of ~200 counties is the demo panel (97 counties with risk figures) twice over: the second
copy's codes start with 9 instead of 6 and its names end in （二）. SYNTHETIC, like the demo.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import struct
from html.parser import HTMLParser

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import fiscalmon  # noqa: E402
from fiscalmon import plot  # noqa: E402
from fiscalmon.report import monthly_report  # noqa: E402

RUN_TIME = dt.datetime(2023, 7, 10, 9, 30)
#: The tallest a chart of at most plot.MAX_COUNTIES counties is (the flag grid of 50: 17 in × 110 dpi).
TALLEST_PX = 1900


def _twice(table, columns=("region_code", "parent_code")):
    """The table and a copy of it standing for other counties (codes 6… → 9…, names with （二）)."""
    copy = table.copy()
    for column in columns:
        if column in copy:
            copy[column] = "9" + copy[column].str[1:]
    copy["region"] = copy["region"] + "（二）"
    return pd.concat([table, copy], ignore_index=True)


@pytest.fixture(scope="module")
def demo():
    return fiscalmon.datasets.demo_monthly(), fiscalmon.datasets.demo_annual(), fiscalmon.datasets.demo_risk()


@pytest.fixture(scope="module")
def many(demo):
    """The default report (every county) of 194 counties, June 2023."""
    return monthly_report(*(_twice(table) for table in demo), "2023-06", run_time=RUN_TIME)


@pytest.fixture(scope="module")
def many_html(many, tmp_path_factory):
    return many.to_html(tmp_path_factory.mktemp("scale") / "report.html").read_text(encoding="utf-8")


class _Tables(HTMLParser):
    """Every <table> of a page as a list of rows of cell texts (header row first)."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _tables(html: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _png_sizes(html: str) -> list[tuple[int, int]]:
    """(width, height) in pixels of every embedded PNG, read from its IHDR chunk."""
    sizes = []
    for data in re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", html):
        head = base64.b64decode(data[:64])
        assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
        sizes.append(struct.unpack(">II", head[16:24]))
    return sizes


def test_the_scope_is_many_counties(many):
    assert len(many.projections) == 194 == many.assessment.counties["region_code"].nunique()
    assert many.projections["completion_pct"].notna().all()


def test_charts_of_200_counties_are_no_taller_than_charts_of_50(many_html):
    sizes = _png_sizes(many_html)
    assert len(sizes) == 2  # completion and flag grid (no fan chart: the scope has no total row)
    assert all(height <= TALLEST_PX for _, height in sizes), sizes


def test_the_report_says_which_counties_the_charts_show(many_html):
    assert "仅显示完成进度最落后的25个和最领先的25个县市区（共194个），其余见下表" in many_html
    assert "仅显示预警最严重的50个县市区（共194个），其余见下表" in many_html


def test_the_tables_still_list_every_county(many, many_html):
    tables = _tables(many_html)
    projection = next(t for t in tables if "全年预计(亿元)" in t[0])
    counties = next(t for t in tables if "最需关注的指标" in t[0])
    codes = set(many.projections["region_code"])
    for table in (projection, counties):
        column = table[0].index("地区编码")
        listed = [row[column] for row in table[1:]]
        assert len(listed) == len(codes) and set(listed) == codes


def test_the_workbook_lists_every_county_with_its_formatting(many, tmp_path):
    book = openpyxl.load_workbook(many.to_excel(tmp_path / "report.xlsx"))
    codes = set(many.projections["region_code"])
    for name in ("收入预测", "县市区汇总"):
        sheet = book[name]
        assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == codes
        assert sheet.max_row == len(codes) + 1 and sheet.freeze_panes == "C2"
    assert list(book["县市区汇总"].conditional_formatting)


def test_the_completion_chart_shows_the_25_furthest_behind_and_the_25_furthest_ahead(many):
    p = many.projections
    shown, note = plot.completion_counties(p)
    everyone, _ = plot.completion_counties(p, limit=None)
    gap = everyone.set_index("region_code")["gap"]
    behind, ahead = shown.iloc[:25], shown.iloc[25:]
    left_out = gap.drop(shown["region_code"])
    assert len(shown) == 50 and len(left_out) == len(p) - 50
    assert gap[behind["region_code"]].max() <= left_out.min() and left_out.max() <= gap[ahead["region_code"]].min()
    assert list(behind["region_code"]) == list(everyone["region_code"].iloc[:25])
    figure = plot.completion_vs_progress(p)
    try:
        ax = figure.axes[0]
        assert [t.get_text() for t in ax.get_yticklabels()][::-1] == list(shown["region"])
        assert note in ax.get_title() and "共194个" in note
        # a dotted line where the counties between the two halves are left out
        assert len([line for line in ax.get_lines() if line.get_linestyle() == ":"]) == 1
    finally:
        plt.close(figure)


def test_the_flag_grid_shows_the_50_most_severely_flagged(many):
    flags = many.assessment.flags
    shown, note = plot.flag_grid_counties(flags)
    everyone, _ = plot.flag_grid_counties(flags, limit=None)
    assert len(everyone) == 194 and list(shown.index) == list(everyone.index[:50])
    assert shown.min(axis=1).max() <= everyone.min(axis=1).iloc[50:].min()  # none left out is worse
    figure = plot.flag_grid(flags)
    try:
        ax = figure.axes[0]
        assert [t.get_text() for t in ax.get_yticklabels()] == list(shown.index)
        assert note in ax.get_title()
    finally:
        plt.close(figure)


@pytest.mark.parametrize("counties", [12, 50])
def test_up_to_50_counties_every_county_is_charted_as_before(many, counties):
    p = many.projections.head(counties)
    shown, note = plot.completion_counties(p)
    assert note == "" and len(shown) == counties and set(shown["region_code"]) == set(p["region_code"])
    assert list(shown["rank"]) == list(range(1, counties + 1))
    flags = many.assessment.flags
    flags = flags[flags["region_code"].isin(p["region_code"])]
    grid, note = plot.flag_grid_counties(flags)
    assert note == "" and set(grid.index) == set(p["region"])
    figure = plot.completion_vs_progress(p)
    try:
        ax = figure.axes[0]
        assert sorted(t.get_text() for t in ax.get_yticklabels()) == sorted(p["region"])
        assert "仅显示" not in ax.get_title() and not [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    finally:
        plt.close(figure)


def test_51_counties_are_charted_as_25_and_25(many):
    shown, note = plot.completion_counties(many.projections.head(51))
    assert len(shown) == 50 and "共51个" in note


def test_a_small_report_has_no_chart_caption(demo, tmp_path):
    report = monthly_report(*demo, "2023-06", prefecture="653100", run_time=RUN_TIME)
    html = report.to_html(tmp_path / "report.html").read_text(encoding="utf-8")
    assert "仅显示" not in html and len(_png_sizes(html)) == 3


def test_the_report_closes_its_figures_even_when_one_fails(many, tmp_path, monkeypatch):
    before = plt.get_fignums()
    many.to_html(tmp_path / "report.html")
    assert plt.get_fignums() == before

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        many.to_html(tmp_path / "again.html")
    assert plt.get_fignums() == before
