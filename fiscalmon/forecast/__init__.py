"""Full-year projection: bureau methods, statsmodels models, their combination, intervals, backtests.

Entry points: :func:`forecast_full_year` (a :class:`Projection`) and :func:`backtest` (a
:class:`Backtest`). The methods are registered in :data:`METHODS` (:mod:`fiscalmon.forecast.registry`):
the names used by ``methods=``, ``--method`` and the ``method`` column.
"""

from .backtest import BACKTEST_COLUMNS, backtest, summarise
from .core import EXTRA_COLUMNS, OUTPUT_COLUMNS, forecast_full_year
from .registry import COMBINATION_MEMBERS, METHOD_ZH, METHODS, Method
from .result import Backtest, CombinationWeights, Projection

__all__ = ["BACKTEST_COLUMNS", "COMBINATION_MEMBERS", "EXTRA_COLUMNS", "METHODS", "METHOD_ZH", "OUTPUT_COLUMNS",
           "Backtest", "CombinationWeights", "Method", "Projection", "backtest", "forecast_full_year", "summarise"]
