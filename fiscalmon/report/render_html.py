"""The report as one self-contained HTML file: Chinese first, charts embedded, every value escaped."""

from __future__ import annotations

from typing import TYPE_CHECKING

import base64
import io
import math
import re
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup, escape

from .. import plot
from ..schema import odds_text
from ..writers import atomic_write
from . import sections
from .charts import Chart, report_charts

if TYPE_CHECKING:
    from .model import MonthlyReport
from .sections import behind_mask, projection_table

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("fiscalmon.report", "templates"),
                          autoescape=True, keep_trailing_newline=True)


def cell_text(value, column: str) -> tuple[str, str]:
    """(text, css class) of one cell; numbers right-aligned, NaN as an empty cell."""
    if isinstance(value, (float, np.floating, int, np.integer)) and not isinstance(value, bool):
        if isinstance(value, (float, np.floating)) and math.isnan(value):
            return "", "num"
        if "概率" in column:
            return odds_text(value), "num"
        if "(%)" in column or "百分点" in column:
            return f"{value:.2f}", "num"
        if isinstance(value, (int, np.integer)):
            return str(value), "num"
        return f"{value:,.2f}", "num"
    return ("" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)), ""


def html_table(table: pd.DataFrame, level_columns=()) -> Markup:
    """An escaped HTML table; cells of ``level_columns`` hold a level key shown as a coloured badge."""
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    rows = []
    for record in table.itertuples(index=False):
        cells = []
        for column, value in zip(table.columns, record):
            if column in level_columns and isinstance(value, str):
                label = plot.LEVEL_ZH.get(value, value)
                cells.append(f'<td><span class="level {escape(value)}">{escape(label)}</span></td>')
            else:
                text, cls = cell_text(value, column)
                cells.append(f'<td class="{cls}">{escape(text)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return Markup(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _projection_rows(report: MonthlyReport):
    table = projection_table(report)
    behind = behind_mask(report)
    rows = []
    for position, record in enumerate(table.itertuples(index=False)):
        cells = []
        for column, value in zip(table.columns, record):
            text, cls = cell_text(value, column)
            cells.append({"text": text, "cls": cls})
        rows.append({"cells": cells, "behind": bool(behind[position])})
    return {"columns": list(table.columns), "rows": rows}


def _embedded(charts: dict[str, list[Chart]]) -> dict[str, list[dict]]:
    return {part: [{"alt": c.alt, "data": base64.b64encode(c.png).decode("ascii"), "caption": c.caption} for c in shown]
            for part, shown in charts.items()}


def render_body(report: MonthlyReport) -> str:
    tables = {}
    if report.assessment is not None:
        tables = {name: html_table(table, level_columns=sections.LEVEL_COLUMNS)
                  for name, table in sections.risk_tables(report).items()}
    quality, since = sections.quality_table(report), sections.since_table(report)
    return _ENV.get_template("body.html.j2").render(
        r=report, h=sections.HEADINGS, meta=sections.meta_line(report), opening=sections.opening(report),
        cards=sections.cards(report), name_lists=sections.name_lists(report), projection=_projection_rows(report),
        projection_note=sections.projection_note(report), charts=_embedded(report_charts(report)), tables=tables,
        notes=sections.notes(report), quality=html_table(quality) if len(quality) else None,
        since=html_table(since) if len(since) else None, since_note=sections.SINCE_NOTE)


def render_fragment(report: MonthlyReport) -> str:
    """The report body for Jupyter: styled, without the document wrapper."""
    css = _ENV.loader.get_source(_ENV, "report.css")[0]
    return f"<style>{css}</style>" + render_body(report)


def embedded_font(text: str) -> str:
    """A WOFF subset of the CJK font with just the characters of ``text``, as a base64 data URI, so
    the page shows its Chinese on any machine without fonts or network (a few tens of kB)."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    font = subset.load_font(str(plot.cjk_font_file()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text))))
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return "data:font/woff;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def write_html(report: MonthlyReport, path) -> Path:
    body = render_body(report)
    text = re.sub(r"<[^>]+>|data:[^\"]+", "", body) + report.title
    document = _ENV.get_template("report.html.j2").render(title=report.title, body=Markup(body),
                                                          font=embedded_font(text))
    return atomic_write(path, lambda tmp: Path(tmp).write_text(document, encoding="utf-8"))
