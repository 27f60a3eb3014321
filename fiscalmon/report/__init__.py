"""The monthly report: projections, odds of the budget and risk flags, in HTML and Excel.

:func:`monthly_report` builds a :class:`MonthlyReport`, which renders itself in Jupyter and writes
``.html`` (one self-contained file) or ``.xlsx``.
"""

from .build import monthly_report
from .model import MonthlyReport, ReportSummary, TrackRecord

__all__ = ["MonthlyReport", "ReportSummary", "TrackRecord", "monthly_report"]
