"""The monthly report: projections, odds of the budget and risk flags, in HTML and Excel.

:func:`monthly_report` builds a :class:`MonthlyReport`, which renders itself in Jupyter and writes
``.html`` (one self-contained file) or ``.xlsx``.
"""

from .build import MonthlyReport, monthly_report

__all__ = ["MonthlyReport", "monthly_report"]
