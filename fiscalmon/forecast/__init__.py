"""Full-year projection: bureau methods, statsmodels models, their combination, intervals, backtests.

Entry points: :func:`forecast_full_year` and :func:`backtest`. The methods are registered in
:data:`METHODS` (names used by ``--method`` and in the ``method`` column).
"""

from .backtest import BACKTEST_COLUMNS, backtest, summarise
from .core import EXTRA_COLUMNS, METHODS, OUTPUT_COLUMNS, forecast_full_year

#: Chinese names of the methods, for tables and charts.
METHOD_ZH = {
    "carry_forward": "增幅外推法",
    "progress_ratio": "历年同期进度法",
    "blended": "混合增幅法",
    "ets": "指数平滑(ETS)",
    "sarima": "季节ARIMA",
    "growth_path": "增幅路径法",
    "combination": "组合预测",
}

__all__ = ["BACKTEST_COLUMNS", "EXTRA_COLUMNS", "METHODS", "METHOD_ZH", "OUTPUT_COLUMNS", "backtest",
           "forecast_full_year", "summarise"]
