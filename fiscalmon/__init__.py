"""fiscalmon: month-by-month monitoring of Chinese local government budgets.

Read bureau files into canonical tables (:func:`read_monthly`, :func:`read_annual`,
:func:`read_regions`, :func:`read_risk`, :func:`read_workbook`), derive progress and growth
(:mod:`fiscalmon.calendar`), project the full year (:func:`forecast_full_year`, :func:`backtest`),
and load the bundled data (:mod:`fiscalmon.datasets`).
"""

from importlib import import_module

__version__ = "0.1.0"

#: Where each public name lives. They are imported on first use (PEP 562), so that
#: ``fiscalmon --version`` and ``--help`` answer without loading pandas, scipy and statsmodels.
_PUBLIC = {
    "ArgumentError": "args", "FiscalDataError": "errors", "FiscalDataWarning": "errors", "OutputError": "errors",
    "Problem": "errors", "Backtest": "forecast", "Projection": "forecast", "backtest": "forecast",
    "forecast_full_year": "forecast", "join_tables": "joins", "MonthlyReport": "report", "monthly_report": "report",
    "assess": "risk", "load_thresholds": "risk", "combine_tables": "io", "read_annual": "io", "read_monthly": "io",
    "read_regions": "io", "read_cash_plan": "io", "read_risk": "io", "read_special": "io", "read_workbook": "io",
    "write_table": "writers",
}
_SUBMODULES = ("calendar", "datasets", "risk", "schema", "summary")


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'fiscalmon' has no attribute {name!r}")
    globals()[name] = value      # once loaded, a plain attribute
    return value


def __dir__():
    return sorted([*globals(), *_PUBLIC, *_SUBMODULES])


__all__ = sorted([*_PUBLIC, *_SUBMODULES])
