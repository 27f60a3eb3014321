"""The report's charts as PNG bytes, shared by the HTML report (embedded) and the Word copy."""

from __future__ import annotations

from typing import TYPE_CHECKING

import io
from dataclasses import dataclass

import matplotlib.pyplot as plt

from .. import plot

if TYPE_CHECKING:
    from .model import MonthlyReport


@dataclass(frozen=True)
class Chart:
    alt: str        # what it shows, in Chinese (the HTML alt text, the Word caption's lead)
    png: bytes
    caption: str    # which counties a bounded per-county chart shows; "" when it shows them all


def png_bytes(figure, dpi: int = 110) -> bytes:
    """The figure as PNG; the figure is closed whatever happens (pyplot would keep it alive)."""
    try:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    finally:
        plt.close(figure)
    return buffer.getvalue()


def report_charts(report: MonthlyReport) -> dict[str, list[Chart]]:
    """The projection charts (completion against 序时进度, the area's fan chart) and the risk chart
    (levels by county), each with its caption when a per-county chart leaves counties out
    (more than :data:`fiscalmon.plot.MAX_COUNTIES`)."""
    charts = {"projection": [], "risk": []}
    p = report.projections
    if p["completion_pct"].notna().any():
        charts["projection"].append(Chart("预算完成进度与序时进度", png_bytes(plot.completion_vs_progress(p)),
                                          plot.completion_counties(p)[1]))
    if report.monthly is not None and len(report.scope_total):
        total = report.scope_total.iloc[0]
        charts["projection"].append(Chart(f"{total['region']}全年预计", png_bytes(plot.fan_chart(total, report.monthly)), ""))
    if report.assessment is not None and len(report.assessment.flags):
        flags = report.assessment.flags
        charts["risk"].append(Chart("县市区预警指标等级", png_bytes(plot.flag_grid(flags)), plot.flag_grid_counties(flags)[1]))
    return charts
