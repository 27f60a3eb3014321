"""The report handed to leadership, made from a prefecture's own exports: Word and PDF copies that hold
the same Chinese text and tables as the HTML, a title that names the prefecture, 全州 and 州本级 rows,
同比 and the tax/non-tax split, and no English word in the Chinese tables."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest

import fiscalmon
from fiscalmon.cli import main
from fiscalmon.errors import OutputError
from fiscalmon.report import render_pdf, sections

from conftest import ROOT

BUREAU = ROOT / "tests" / "data" / "bureau"
TITLE = "昌吉回族自治州财政运行月度监测报告（2024年1-6月）"
#: Latin letters a Chinese table may hold: none, except inside a region code such as 652300.
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def _bureau_files(kind: str) -> list[str]:
    return sorted(str(p) for p in (BUREAU / kind).iterdir() if p.suffix in (".xlsx", ".csv"))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The bureau's 2021–2024 exports (monthly, annual, risk) made into a June 2024 report, as .docx and .xlsx."""
    folder = tmp_path_factory.mktemp("bureau-report")
    written = {}
    for suffix in (".docx", ".xlsx"):
        path = folder / f"report{suffix}"
        status = main(["report", "--monthly", *_bureau_files("monthly"), "--annual", *_bureau_files("annual"),
                       "--risk", *_bureau_files("risk"), "--month", "2024年6月", "-o", str(path), "--quiet"])
        assert status == 0
        written[suffix] = path
    return written


def _docx_tables(path: Path) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in docx.Document(path).tables]


def test_the_word_copy_is_titled_by_the_prefecture_and_opens_with_its_figures(outputs):
    document = docx.Document(outputs[".docx"])
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == TITLE
    assert document.core_properties.title == TITLE
    opening = next(p for p in paragraphs if p.startswith("2024年1-6月，"))
    # The 全州 row of the projection table says the same figures as the opening sentence.
    projection = next(t for t in _docx_tables(outputs[".docx"]) if t[0][:2] == ["地区编码", "地区"] and "全年预计(亿元)" in t[0])
    header, whole = projection[0], projection[1]
    assert whole[header.index("地区")] == "昌吉回族自治州" and whole[header.index("地区编码")] == "652300"
    ytd, growth = whole[header.index("累计完成(亿元)")], float(whole[header.index("同比增长(%)")])
    assert f"昌吉回族自治州一般公共预算收入完成{ytd}亿元，同比{'增长' if growth >= 0 else '下降'}{abs(growth):.2f}%" in opening
    own_level = projection[2]
    assert own_level[header.index("地区")] == "昌吉州本级" and own_level[header.index("地区编码")] == "652300（本级）"


def test_the_word_copy_shows_the_tax_and_nontax_split_and_what_moved(outputs):
    tables = _docx_tables(outputs[".docx"])
    quality = next(t for t in tables if "税收收入(亿元)" in t[0])
    assert {"非税收入(亿元)", "税收占比(%)", "税收同比增长(%)"} <= set(quality[0])
    names = [row[0] for row in quality[1:]]
    assert names[:2] == ["昌吉回族自治州", "昌吉州本级"]
    # 税收 + 非税 = the headline for the 全州 row, as the projection table gives it
    projection = next(t for t in tables if "全年预计(亿元)" in t[0] and "累计完成(亿元)" in t[0])
    total = float(projection[1][projection[0].index("累计完成(亿元)")])
    tax, nontax = (float(quality[1][quality[0].index(c)]) for c in ("税收收入(亿元)", "非税收入(亿元)"))
    assert tax + nontax == pytest.approx(total, abs=0.011)
    assert any("本月全年预计(亿元)" in t[0] for t in tables)


def test_no_english_word_in_the_chinese_tables_of_the_word_copy(outputs):
    english = {(table[0][column], word)
               for table in _docx_tables(outputs[".docx"]) for row in table[1:]
               for column, text in enumerate(row) if table[0][column] != "阈值来源"
               for word in ENGLISH_WORD.findall(text)}
    assert english == set()


def test_the_workbook_holds_the_same_sections(outputs):
    book = openpyxl.load_workbook(outputs[".xlsx"])
    assert {"摘要", "收入预测", "收入质量", "收入较上月变化", "说明"} <= set(book.sheetnames)
    assert book["摘要"]["A2"].value == TITLE
    assert book["摘要"]["A3"].value.startswith("2024年1-6月，昌吉回族自治州")


def test_the_pdf_printed_by_chromium_holds_the_chinese_text(tmp_path):
    if render_pdf.find_browser() is None:
        pytest.fail("Chromium is needed for this test: .ci/run installs it")
    d = fiscalmon.datasets
    report = fiscalmon.monthly_report(d.demo_monthly(), d.demo_annual(), d.demo_risk(), "2023-06", prefecture="652300")
    path = report.to_pdf(tmp_path / "报告.pdf")
    pdf = pypdf.PdfReader(path)
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pdf.pages))
    assert report.title in text
    assert sections.opening(report)[0].replace(" ", "") in text
    assert len(pdf.pages) >= 2 and pdf.pages[0].mediabox.width < pdf.pages[0].mediabox.height  # A4 portrait
    assert [p.name for p in tmp_path.iterdir()] == ["报告.pdf"]        # no scratch file left beside it


def test_without_a_browser_the_pdf_is_refused_before_any_work_and_says_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.setenv("FISCALMON_BROWSER", str(tmp_path / "no-such-browser"))
    assert render_pdf.find_browser() is None
    d = fiscalmon.datasets
    report = fiscalmon.monthly_report(d.demo_monthly(), d.demo_annual(), None, "2023-06", prefecture="652300")
    with pytest.raises(OutputError, match="Chromium") as raised:
        report.to_pdf(tmp_path / "report.pdf")
    assert "FISCALMON_BROWSER" in raised.value.reason and "打印" in raised.value.reason
    assert list(tmp_path.iterdir()) == []


def test_a_browser_that_prints_nothing_is_an_output_error_naming_the_users_path(tmp_path, monkeypatch):
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("FISCALMON_BROWSER", str(fake))
    d = fiscalmon.datasets
    report = fiscalmon.monthly_report(d.demo_monthly(), d.demo_annual(), None, "2023-06", prefecture="652300")
    target = tmp_path / "out" / "report.pdf"
    target.parent.mkdir()
    with pytest.raises(OutputError) as raised:
        report.to_pdf(target)
    assert raised.value.path == str(target) and "退出状态 3" in raised.value.reason
    assert "cannot open display" in raised.value.reason and not target.exists()


def test_the_cli_refuses_pdf_without_a_browser_with_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FISCALMON_BROWSER", str(tmp_path / "none"))
    status = main(["report", "--monthly", *_bureau_files("monthly")[:2], "--month", "2024-06",
                   "-o", str(tmp_path / "r.pdf"), "--quiet"])
    assert status == 2 and "FISCALMON_BROWSER" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()


#: The same exports as another prefecture's bureau would write them (喀什地区: 全地区合计, 地区本级).
AS_KASHGAR = [("昌吉回族自治州", "喀什地区"), ("昌吉州", "喀什地区"), ("全州合计", "全地区合计"), ("州本级", "地区本级"),
              ("昌吉市", "喀什市"), ("阜康市", "疏附县"), ("呼图壁县", "疏勒县"), ("玛纳斯县", "英吉沙县"),
              ("奇台县", "泽普县"), ("吉木萨尔县", "莎车县"), ("木垒县", "叶城县")]


def _renamed_copy(source: Path, target: Path) -> Path:
    def renamed(text: str) -> str:
        for old, new in AS_KASHGAR:
            text = text.replace(old, new)
        return text

    path = target / renamed(source.name)
    if source.suffix == ".xlsx":
        book = openpyxl.load_workbook(source)
        for sheet in book:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.value = renamed(cell.value)
        book.save(path)
    else:
        raw = source.read_bytes()
        encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "gbk"
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            encoding, text = "utf-8", raw.decode("utf-8")
        path.write_bytes(renamed(text).encode(encoding))
    return path


def test_another_prefectures_exports_give_a_report_titled_by_that_prefecture(tmp_path):
    """Nothing in the report is Changji's by construction: the same layouts written by 喀什地区's bureau
    (全地区合计, 地区本级, its counties by name) give 喀什地区's report, codes from GB/T 2260."""
    files = {kind: [str(_renamed_copy(Path(p), tmp_path)) for p in _bureau_files(kind)] for kind in ("monthly", "annual", "risk")}
    path = tmp_path / "report.docx"
    assert main(["report", "--monthly", *files["monthly"], "--annual", *files["annual"], "--risk", *files["risk"],
                 "--month", "2024-06", "-o", str(path), "--quiet"]) == 0
    document = docx.Document(path)
    assert document.paragraphs[0].text == "喀什地区财政运行月度监测报告（2024年1-6月）"
    projection = _docx_tables(path)[0]
    rows = {row[1]: row[0] for row in projection[1:]}
    assert rows["喀什地区"] == "653100" and rows["喀什地区本级"] == "653100（本级）" and rows["莎车县"] == "653125"


def test_a_long_list_of_names_stays_a_paragraph_and_says_how_many():
    names = [f"第{i}县" for i in range(1, 41)]
    assert sections.named(names[:3]) == "第1县、第2县、第3县"
    shown = sections.named(names)
    assert shown.startswith("第1县、第2县") and shown.endswith(f"第{sections.NAMES_SHOWN}县等40个（其余10个见下表）")
    assert shown.count("、") == sections.NAMES_SHOWN - 1


def test_the_report_keeps_the_official_grade_apart_and_names_the_cash_shortfalls(tmp_path):
    """喀什地区 with the demo cash plan (SYNTHETIC): the red-level list is the officially red counties
    only; counties red by computation are a list of their own; 麦盖提县 and 岳普湖县 run short in August."""
    d = fiscalmon.datasets
    report = fiscalmon.monthly_report(d.demo_monthly(), d.demo_annual(), d.demo_risk(), "2023-06",
                                      prefecture="653100", cash_plan=d.demo_cash_plan())
    counties = report.assessment.counties
    lists = dict(sections.name_lists(report))
    assert lists["认定红色等级县市区"].split("、") == counties.loc[counties["grade"] == "red", "region"].tolist()
    computed_only = counties.loc[(counties["computed_grade"] == "red") & (counties["grade"] != "red"), "region"]
    assert lists["指标测算最高预警等级为红色（非认定红色等级）"].split("、") == computed_only.tolist()
    assert lists["预计三个月内库款出现缺口（月份）"] == "麦盖提县（2023-08）、岳普湖县（2023-08）"
    assert "预计三个月内库款出现缺口的2个（麦盖提县（2023-08）、岳普湖县（2023-08））" in sections.opening(report)[-1]
    outlook = sections.risk_tables(report)["outlook"]
    august = outlook[(outlook["地区"] == "麦盖提县") & (outlook["月份"] == "2023-08")].iloc[0]
    assert august["月末库款(亿元)"] < 0
    assert august["月末库款(亿元)"] == pytest.approx(august["月初库款(亿元)"] + august["流入(亿元)"] - august["流出(亿元)"])
    book = openpyxl.load_workbook(report.to_excel(tmp_path / "r.xlsx"))
    assert "库款预测" in book.sheetnames and "关注名单" in book.sheetnames
