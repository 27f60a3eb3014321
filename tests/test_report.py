"""The monthly report: HTML opened in a real headless Chromium, Excel read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import openpyxl
import pytest

import fiscalmon
from fiscalmon.args import ArgumentError
from fiscalmon.report import monthly_report

RUN_TIME = dt.datetime(2023, 7, 10, 9, 30)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def demo():
    return fiscalmon.datasets.demo_monthly(), fiscalmon.datasets.demo_annual(), fiscalmon.datasets.demo_risk()


@pytest.fixture(scope="module")
def kashgar(demo):
    """喀什地区 (653100), June 2023: three counties graded red officially in the demo panel."""
    return monthly_report(*demo, "2023-06", prefecture="653100", run_time=RUN_TIME)


def _chromium(*args, tmp_path) -> subprocess.CompletedProcess:
    assert CHROMIUM, "Chromium is needed for this test: .ci/run installs it (apt-get install chromium)"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=120)


def test_html_renders_in_headless_chromium_with_the_red_counties(kashgar, tmp_path):
    path = kashgar.to_html(tmp_path / "report.html")
    shot = tmp_path / "shot.png"
    result = _chromium("--window-size=1200,1600", f"--screenshot={shot}", path.as_uri(), tmp_path=tmp_path)
    assert shot.exists() and shot.stat().st_size > 50_000, result.stderr[-2000:]
    dom = _chromium("--dump-dom", path.as_uri(), tmp_path=tmp_path).stdout
    red = kashgar.assessment.counties.query("grade == 'red' or computed_grade == 'red'")["region"]
    assert len(red) >= 3
    for name in red:
        assert name in dom
    assert "财政运行月度监测报告" in dom and "<img" in dom


def test_html_is_self_contained(kashgar, tmp_path):
    html = kashgar.to_html(tmp_path / "report.html").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html  # no network needed
    assert html.count("data:image/png;base64,") >= 3  # completion, fan chart, flag grid
    assert "data:font/woff;base64," in html  # Chinese text shows without system fonts


def test_red_level_counties_come_first(kashgar):
    counties = kashgar.assessment.counties
    red = (counties["grade"] == "red") | (counties["computed_grade"] == "red")
    assert red.iloc[: red.sum()].all()
    first = kashgar.projections["region_code"].iloc[: red.sum()]
    assert set(first) == set(counties.loc[red, "region_code"])


def test_summary_counts_match_the_tables(kashgar):
    p = kashgar.projections
    s = kashgar.summary
    assert s.counties == len(p) == 12
    behind = (p["completion_pct"] < p["time_progress_pct"]) & (p["completion_pct"] < p["hist_progress_pct"])
    assert s.behind_both == behind.sum()
    assert s.unlikely == (p["p_attain"] < 0.5).sum()
    assert s.red_official == (kashgar.assessment.counties["grade"] == "red").sum()


def test_names_are_escaped(demo, tmp_path):
    monthly, annual, risk = demo
    evil = "<script>alert(1)</script>"
    code = risk["region_code"].iloc[0]
    risk = risk.assign(region=risk["region"].where(risk["region_code"] != code, evil))
    monthly = monthly.assign(region=monthly["region"].where(monthly["region_code"] != code, evil))
    report = monthly_report(monthly, annual, risk, "2023-06", prefecture=risk["parent_code"].iloc[0], run_time=RUN_TIME)
    html = report.to_html(tmp_path / "r.html").read_text(encoding="utf-8")
    assert evil not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_same_inputs_same_report(demo, tmp_path):
    first = monthly_report(*demo, "2023-06", prefecture="652300", run_time=RUN_TIME).to_html(tmp_path / "a.html")
    second = monthly_report(*demo, "2023-06", prefecture="652300", run_time=RUN_TIME).to_html(tmp_path / "b.html")
    assert first.read_bytes() == second.read_bytes()


def test_excel_holds_numbers_units_frozen_headers_and_coloured_levels(kashgar, tmp_path):
    path = kashgar.to_excel(tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["摘要", "收入预测", "收入质量", "收入较上月变化", "县市区汇总", "关注名单",
                               "预警指标明细", "较上月变化", "说明"]
    assert book["摘要"]["A3"].value == fiscalmon.report.sections.opening(kashgar)[0]
    projections = book["收入预测"]
    header = [c.value for c in projections[1]]
    assert "全年预计(亿元)" in header and "预算完成率(%)" in header
    column = header.index("全年预计(亿元)") + 1
    values = [projections.cell(row=r, column=column).value for r in range(2, projections.max_row + 1)]
    assert all(isinstance(v, float) for v in values)
    assert values == pytest.approx([*kashgar.area_rows["point"], *kashgar.projections["point"]])
    assert projections.freeze_panes == "C2"
    flags = book["预警指标明细"]
    rules = flags.conditional_formatting
    assert len(list(rules)) >= 1
    formulas = {rule.formula[0] for entry in rules for rule in entry.rules}
    assert {'"红色"', '"橙色"', '"黄色"', '"绿色"'} <= formulas
    numbers = [c.value for c in flags["C"][1:] if c.value is not None]
    assert numbers and all(isinstance(v, (int, float)) for v in numbers)


def test_cli_writes_the_report_and_prints_its_path(cli, tmp_path):
    data = fiscalmon.datasets.data_path("demo")
    output = tmp_path / "out" / "report.html"
    result = cli("report", "--monthly", str(data / "xinjiang_monthly_synthetic.csv"),
                 "--annual", str(data / "xinjiang_annual_synthetic.csv"),
                 "--risk", str(data / "xinjiang_risk_synthetic.csv"), "--month", "2023-06",
                 "--prefecture", "653200", "-o", str(output), "--quiet")
    assert result.returncode == 0, result.stderr
    assert str(output.resolve()) in result.stdout and output.exists()
    assert result.stderr == ""  # --quiet: no progress bar


def test_cli_refuses_an_unknown_output_format(cli, tmp_path):
    result = cli("report", "--monthly", "x.csv", "--month", "2023-06", "-o", str(tmp_path / "r.pptx"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert ".html, .xlsx, .pdf, .docx" in result.stderr and not (tmp_path / "r.pptx").exists()


def test_a_report_without_budgets_says_so_instead_of_failing(demo, tmp_path):
    """No annual table and no completion rates: no completion chart, no odds, and a note that says why."""
    monthly = demo[0].assign(completion_pct=float("nan"))
    report = monthly_report(monthly, None, None, "2023-06", prefecture="653100", run_time=RUN_TIME)
    assert report.projections["p_attain"].isna().all()
    html = report.to_html(tmp_path / "report.html").read_text(encoding="utf-8")
    assert "未提供预算" in html and "预算完成进度与序时进度" not in html
    with pytest.raises(ArgumentError, match="projections with budgets to plot"):
        fiscalmon.plot.completion_vs_progress(report.projections)


def test_without_a_risk_table_the_prefecture_counties_come_from_the_division_code(demo):
    report = monthly_report(demo[0], demo[1], None, "2023-06", prefecture="653100", run_time=RUN_TIME)
    codes = set(report.projections["region_code"])
    assert codes and all(code.startswith("6531") and code != "653100" for code in codes)
    own_level = {c for c in demo[0]["region_code"].unique() if c.startswith("653100-")}   # 州本级
    assert codes == {c for c in demo[0]["region_code"].unique() if c.startswith("6531") and c != "653100"} - own_level
    assert own_level and own_level <= set(report.area_rows["region_code"])
    assert any("行政区划代码前四位（6531）" in line for line in fiscalmon.report.sections.notes(report))
    with pytest.raises(ArgumentError, match="prefecture must be the code of a prefecture whose counties the monthly table holds"):
        monthly_report(demo[0], demo[1], None, "2023-06", prefecture="999900")


def test_the_report_says_how_far_the_method_missed_at_this_month_before(kashgar, demo):
    """The track record in the notes is the backtest of the same method and month, pooled over the table
    as the projections are, scored on the report's counties."""
    from fiscalmon.forecast.backtest import summarise

    counties = list(kashgar.projections["region_code"])
    detail = fiscalmon.backtest(demo[0], demo[1], methods=["combination"], months=[6], items="gpb_revenue",
                                min_train_years=3).detail
    expected = summarise(detail[detail["region_code"].isin(counties)]).iloc[0]
    track = kashgar.summary.track_record
    assert track.n == expected["n"] and track.mape == pytest.approx(expected["mape"])
    line = next(line for line in fiscalmon.report.sections.notes(kashgar) if line.startswith("历史检验"))
    assert f"平均绝对百分比误差{expected['mape']:.1f}%" in line and f"{int(expected['n'])}个县年" in line
