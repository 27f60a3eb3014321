"""What the monthly report holds: :class:`MonthlyReport` and its :class:`ReportSummary`.

Renderers read these objects; they import nothing of this module at run time, so the package's imports
run one way: build → model → (when asked to render) render_html / render_excel → sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class TrackRecord:
    """How far the same method missed at the same month in past years, for the report's counties."""

    n: int              # county-years scored
    mape: float         # mean absolute percentage error, percent
    coverage80: float   # share of outturns inside the 80% interval (NaN without intervals)


@dataclass
class ReportSummary:
    """The figures the report's opening cards and the summary sheet show, each from the report's tables."""

    counties: int
    item_zh: str
    time_progress_pct: float
    behind_both: int                      # behind both 序时进度 and 历年同期进度
    behind_time: int
    with_budget: int
    unlikely: int                         # odds of the budget below 50%
    unlikely_names: list[str]
    behind_names: list[str]
    red_computed: int = 0
    red_official: int = 0
    red_names: list[str] = field(default_factory=list)           # officially red (认定红色等级)
    red_computed_names: list[str] = field(default_factory=list)  # 指标测算最高预警等级 red, not officially red
    cash_short_names: list[str] = field(default_factory=list)    # 库款预测: short within three months (month)
    changes: dict[str, int] = field(default_factory=dict)   # flags by change since last month
    track_record: TrackRecord | None = None


@dataclass
class MonthlyReport:
    """The month's projections and risk flags for one scope, ready to render.

    Render it with :meth:`to_html` / :meth:`to_excel`, or show it in Jupyter (it has ``_repr_html_``).
    """

    month: pd.Period
    scope: str
    item: str
    projections: pd.DataFrame
    assessment: object | None
    summary: ReportSummary
    generated_at: str
    scope_total: pd.DataFrame = field(default_factory=pd.DataFrame)  # the area's own total row (全州)
    monthly: pd.DataFrame | None = field(default=None, repr=False)  # the scope's monthly figures, for charts
    scope_basis: str = ""  # how the counties of the scope were chosen, when the data did not say
    area_rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # 全州 and 州本级 projection rows
    quality: pd.DataFrame = field(default_factory=pd.DataFrame)    # 税收/非税 side by side (figures.revenue_quality)
    since_last_month: pd.DataFrame = field(default_factory=pd.DataFrame)  # figures.since_last_month
    data_notes: list = field(default_factory=list)  # the readers' notes (Problems with a kind), for the notes

    @property
    def period_words(self) -> str:
        """The span reported on as bureaus write it: 2024年1-6月 (2024年1月 in January)."""
        span = "1月" if self.month.month == 1 else f"1-{self.month.month}月"
        return f"{self.month.year}年{span}"

    @property
    def title(self) -> str:
        return f"{self.scope}财政运行月度监测报告（{self.period_words}）"

    def _repr_html_(self) -> str:
        from .render_html import render_fragment

        return render_fragment(self)

    def to_html(self, path) -> Path:
        """Write one self-contained HTML file (charts embedded, no network), whole or not at all."""
        from .render_html import write_html

        return write_html(self, path)

    def to_excel(self, path) -> Path:
        """Write an Excel workbook: one sheet per section, real numbers, units in headers, levels coloured."""
        from .render_excel import write_excel

        return write_excel(self, path)

    def to_pdf(self, path) -> Path:
        """Write a print-ready PDF of the HTML report (A4), made by headless Chromium, whole or not at all."""
        from .render_pdf import write_pdf

        return write_pdf(self, path)

    def to_docx(self, path) -> Path:
        """Write a Word (.docx) copy: the same sections, tables and charts, for circulating as a 报告."""
        from .render_docx import write_docx

        return write_docx(self, path)

    def write(self, path) -> Path:
        """Write the report in the format its suffix names: .html, .xlsx, .pdf or .docx."""
        from ..args import one_of

        suffix = one_of(Path(path).suffix.lower(), "path suffix", (".html", ".xlsx", ".pdf", ".docx"))
        return {".html": self.to_html, ".xlsx": self.to_excel, ".pdf": self.to_pdf, ".docx": self.to_docx}[suffix](path)
