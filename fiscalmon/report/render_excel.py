"""The report as an Excel workbook: one sheet per section, real numbers, units in the headers,
frozen header rows, and risk levels coloured by conditional formatting (so they stay coloured when
an analyst edits a level). Text, a region name included, is stored as text, never as a formula."""

from __future__ import annotations

from typing import TYPE_CHECKING

import math
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import plot
from ..writers import atomic_write, xml_safe_text, store_text_as_text
from . import sections

if TYPE_CHECKING:
    from .model import MonthlyReport
from .sections import projection_table

_HEADER_FILL = PatternFill("solid", fgColor="ECEFF1")


def _cell_value(value):
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, str):
        return xml_safe_text(value)
    return value


def _number_format(column: str) -> str | None:
    if "概率" in column:
        return "0%"
    if "(%)" in column or "百分点" in column:
        return "0.00"
    if "亿元" in column or "(月)" in column or "(倍)" in column:
        return "#,##0.00"
    return None


def _sheet(book: Workbook, title: str, table: pd.DataFrame, level_columns=()) -> None:
    sheet = book.create_sheet(title)
    sheet.append(list(table.columns))
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for record in table.itertuples(index=False):
        values = [_cell_value(v) for v in record]
        values = [plot.LEVEL_ZH.get(v, v) if c in level_columns else v for c, v in zip(table.columns, values)]
        sheet.append(values)
    for position, column in enumerate(table.columns, start=1):
        letter = get_column_letter(position)
        fmt = _number_format(column)
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                cell.number_format = fmt
        width = max([len(str(column))] + [len(str(v)) for v in table[column].head(200)]) if len(table) else len(column)
        sheet.column_dimensions[letter].width = min(40, max(8, width * 1.6))
        if column in level_columns and len(table):
            span = f"{letter}2:{letter}{len(table) + 1}"
            for level, colour in plot.LEVEL_COLOURS.items():
                sheet.conditional_formatting.add(span, CellIsRule(
                    operator="equal", formula=[f'"{plot.LEVEL_ZH[level]}"'],
                    fill=PatternFill("solid", fgColor=colour.lstrip("#"), bgColor=colour.lstrip("#"))))
    sheet.freeze_panes = "C2" if len(table.columns) > 2 else "A2"
    store_text_as_text(sheet)


def write_excel(report: MonthlyReport, path) -> Path:
    book = Workbook()
    summary = book.active
    summary.title = "摘要"
    lines = sections.summary_lines(report)
    for line in lines[:2]:                     # header and title, then the opening paragraph
        summary.append([_cell_value(v) for v in line])
    for text in sections.opening(report):
        summary.append([_cell_value(text)])
        summary.cell(row=summary.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    for line in lines[2:]:
        summary.append([_cell_value(v) for v in line])
    store_text_as_text(summary)
    summary.column_dimensions["A"].width = 90
    summary.column_dimensions["B"].width = 16
    summary.freeze_panes = "A2"
    _sheet(book, "收入预测", projection_table(report))
    quality, since = sections.quality_table(report), sections.since_table(report)
    if len(quality):
        _sheet(book, "收入质量", quality)
    if len(since):
        _sheet(book, "收入较上月变化", since)
    if report.assessment is not None:
        titles = {"counties": "县市区汇总", "watch": "关注名单", "flags": "预警指标明细", "changes": "较上月变化",
                  "outlook": "库款预测"}
        for name, table in sections.risk_tables(report, complete=True).items():
            _sheet(book, titles[name], table, level_columns=sections.LEVEL_COLUMNS)
    notes = book.create_sheet("说明")
    for line in sections.notes(report):
        notes.append([_cell_value(line)])
    notes.column_dimensions["A"].width = 120
    store_text_as_text(notes)
    return atomic_write(path, lambda tmp: book.save(tmp))
