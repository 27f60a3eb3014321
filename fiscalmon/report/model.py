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
    red_names: list[str] = field(default_factory=list)
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
    scope_total: pd.DataFrame = field(default_factory=pd.DataFrame)
    monthly: pd.DataFrame | None = field(default=None, repr=False)  # the scope's monthly figures, for charts
    scope_basis: str = ""  # how the counties of the scope were chosen, when the data did not say

    @property
    def title(self) -> str:
        return f"{self.scope}财政运行月度监测报告（{self.month.year}年1-{self.month.month}月）"

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
