"""fiscalmon: month-by-month monitoring of Chinese local government budgets.

Read bureau files into canonical tables (:func:`read_monthly`, :func:`read_annual`,
:func:`read_regions`, :func:`read_risk`, :func:`read_workbook`), derive progress and growth
(:mod:`fiscalmon.calendar`), project the full year (:func:`forecast_full_year`, :func:`backtest`),
and load the bundled data (:mod:`fiscalmon.datasets`).
"""

from . import calendar, datasets, risk, schema, summary
from .args import ArgumentError
from .errors import FiscalDataError, FiscalDataWarning, OutputError, Problem
from .forecast import Backtest, Projection, backtest, forecast_full_year
from .joins import join_tables
from .report import MonthlyReport, monthly_report
from .risk import assess, load_thresholds
from .io import combine_tables, read_annual, read_monthly, read_regions, read_cash_plan, read_risk, read_special, read_workbook
from .writers import write_table

__version__ = "0.1.0"

__all__ = [
    "ArgumentError",
    "Backtest",
    "OutputError",
    "Projection",
    "join_tables",
    "FiscalDataError",
    "MonthlyReport",
    "assess",
    "load_thresholds",
    "monthly_report",
    "risk",
    "summary",
    "FiscalDataWarning",
    "Problem",
    "backtest",
    "calendar",
    "datasets",
    "forecast_full_year",
    "read_annual",
    "read_monthly",
    "combine_tables",
    "read_regions",
    "read_risk",
    "read_special",
    "read_cash_plan",
    "read_workbook",
    "schema",
    "write_table",
]
