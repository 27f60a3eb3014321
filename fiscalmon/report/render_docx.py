"""The report as a Word document (.docx), the form in which bureaus circulate a 报告.

The same sections, sentences, tables and charts as the HTML report (all from :mod:`.sections` and
:mod:`.charts`), on A4 landscape so the wide tables fit; Chinese text in 宋体 (headings 黑体), the
fonts a 财政局 document uses. Every value is written as text into the document's XML, never as a
field or a hyperlink, so nothing from the input can execute when the file is opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import io
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .. import plot
from ..writers import atomic_write, xml_safe_text
from . import sections
from .charts import report_charts
from .render_html import cell_text

if TYPE_CHECKING:
    from .model import MonthlyReport

BODY_FONT, HEADING_FONT = "宋体", "黑体"
#: Table text size: the projection table has up to 17 columns on a landscape A4 page.
TABLE_POINTS = 7.5


def _set_east_asian_font(style_or_run, name: str) -> None:
    """Word takes a Chinese font from ``w:rFonts/@w:eastAsia``, which python-docx's ``font.name`` does not set."""
    properties = style_or_run.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)


def _new_document(report: MonthlyReport) -> Document:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.6))
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    _set_east_asian_font(normal, BODY_FONT)
    for name in ("Title", "Heading 1", "Heading 2"):
        _set_east_asian_font(document.styles[name], HEADING_FONT)
    document.core_properties.title = xml_safe_text(report.title)
    document.core_properties.author = "fiscalmon"
    return document


def _cell(text: str, *, numeric: bool, header: bool = False, fill: str | None = None):
    """One ``w:tc`` built directly (python-docx's cell API is slow for thousands of rows)."""
    cell = OxmlElement("w:tc")
    if fill:
        properties = OxmlElement("w:tcPr")
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), fill)
        properties.append(shading)
        cell.append(properties)
    paragraph = OxmlElement("w:p")
    if numeric:
        paragraph_properties = OxmlElement("w:pPr")
        alignment = OxmlElement("w:jc")
        alignment.set(qn("w:val"), "right")
        paragraph_properties.append(alignment)
        paragraph.append(paragraph_properties)
    run = OxmlElement("w:r")
    run_properties = OxmlElement("w:rPr")
    if header:
        run_properties.append(OxmlElement("w:b"))
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(int(TABLE_POINTS * 2)))
    run_properties.append(size)
    run.append(run_properties)
    content = OxmlElement("w:t")
    content.set(qn("xml:space"), "preserve")
    content.text = xml_safe_text(text)
    run.append(content)
    paragraph.append(run)
    cell.append(paragraph)
    return cell


def _table(document: Document, table: pd.DataFrame, level_columns=()) -> None:
    """A bordered table, header row repeated on every page, level cells shaded in their colour."""
    shown = document.add_table(rows=1, cols=len(table.columns))
    shown.style = "Table Grid"
    header_row = shown.rows[0]._tr
    for old in header_row.findall(qn("w:tc")):
        header_row.remove(old)
    for column in table.columns:
        header_row.append(_cell(str(column), numeric=False, header=True, fill="ECEFF1"))
    repeat = OxmlElement("w:tblHeader")
    header_row.get_or_add_trPr().append(repeat)
    body = shown._tbl
    for record in table.itertuples(index=False):
        row = OxmlElement("w:tr")
        for column, value in zip(table.columns, record):
            if column in level_columns and isinstance(value, str):
                colour = plot.LEVEL_COLOURS.get(value, "")
                row.append(_cell(plot.LEVEL_ZH.get(value, value), numeric=False, fill=colour.lstrip("#") or None))
            else:
                text, css = cell_text(value, column)
                row.append(_cell(text, numeric=css == "num"))
        body.append(row)


def _note(document: Document, text: str) -> None:
    paragraph = document.add_paragraph(xml_safe_text(text))
    for run in paragraph.runs:
        run.font.size = Pt(9)


def _charts(document: Document, charts) -> None:
    for chart in charts:
        document.add_picture(io.BytesIO(chart.png), width=Cm(24))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _note(document, chart.alt + (f"（{chart.caption}）" if chart.caption else ""))


def render_document(report: MonthlyReport) -> Document:
    """The report as a python-docx ``Document`` (not yet saved)."""
    h = sections.HEADINGS
    document = _new_document(report)
    document.add_heading(xml_safe_text(report.title), level=0)
    _note(document, sections.meta_line(report))
    charts = report_charts(report)

    document.add_heading(h["summary"], level=1)
    for line in sections.opening(report):
        document.add_paragraph(xml_safe_text(line)).paragraph_format.first_line_indent = Pt(21)
    for number, text, _ in sections.cards(report):
        document.add_paragraph(f"{number}{text}", style="List Bullet")
    for label, names in sections.name_lists(report):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}：").bold = True
        paragraph.add_run(xml_safe_text(names))

    document.add_heading(h["projection"], level=1)
    _charts(document, charts["projection"])
    _table(document, sections.projection_table(report))
    _note(document, sections.projection_note(report))
    quality, since = sections.quality_table(report), sections.since_table(report)
    if len(quality):
        document.add_heading(h["quality"], level=2)
        _table(document, quality)
    if len(since):
        document.add_heading(h["since"], level=2)
        _table(document, since)
        _note(document, sections.SINCE_NOTE)

    if report.assessment is not None:
        document.add_heading(h["risk"], level=1)
        _charts(document, charts["risk"])
        for name, table in sections.risk_tables(report).items():
            document.add_heading(h[name], level=2)
            _table(document, table, level_columns=sections.LEVEL_COLUMNS)

    document.add_heading(h["notes"], level=1)
    for line in sections.notes(report):
        document.add_paragraph(xml_safe_text(line), style="List Bullet")
    return document


def write_docx(report: MonthlyReport, path) -> Path:
    """Write the Word copy at ``path``, whole or not at all."""
    document = render_document(report)
    return atomic_write(path, lambda tmp: document.save(str(tmp)))
