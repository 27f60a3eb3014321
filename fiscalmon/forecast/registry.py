"""The projection methods, registered in one table that the command line, the report and the backtest read.

Each :class:`Method` says what kind of method it is (a bureau rule over year-to-date ratios, a fitted
time-series model, or the combination), its Chinese name, what it needs, and where its intervals come
from. Adding a method is one entry here and its function (the bureau rules in
:mod:`fiscalmon.forecast.methods`, the models in :mod:`fiscalmon.forecast.models`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import methods as rules
from . import paths


@dataclass(frozen=True)
class Method:
    """One projection method.

    Attributes
    ----------
    name : str
        The key used by ``methods=``, ``--method`` and the ``method`` column.
    zh : str
        Its Chinese name, for tables and charts.
    kind : {'bureau', 'path', 'model', 'components', 'combination'}
        ``bureau``: a rule over YTD ratios, vectorised over a panel of any size; ``path``: an
        exponential-smoothing model of the seasonally adjusted single months, fitted by a grid
        search vectorised over the panel (:mod:`fiscalmon.forecast.paths`); ``model``: a
        statsmodels model fitted series by series (slow; a backtest refits it every year);
        ``combination``: a weighted average of the bureau and path methods.
    needs : str
        What it needs, in words.
    intervals : str
        Where its interval comes from before enough past errors are available: ``simulation``
        (a fitted model's paths; for bureau and path methods the Theta model's simulated spread
        around their own point, :func:`fiscalmon.forecast.paths.simulated_log_spread`), else the
        reference errors at the same month.
    function : callable, optional
        For a bureau rule or a path model: ``function(panel, t, m) -> Projection``.
    """

    name: str
    zh: str
    kind: str
    needs: str
    intervals: str
    function: Callable | None = None


_LIST = [
    Method("carry_forward", "增幅外推法", "bureau", "this year's and last year's YTD at the month, last year's outturn",
           "backtest", rules.carry_forward),
    Method("progress_ratio", "历年同期进度法", "bureau", "two past years' YTD at the month and their outturns",
           "backtest", rules.progress_ratio),
    Method("blended", "混合增幅法", "bureau", "this and last year's YTD, last year's outturn; a budget or past outturns",
           "backtest", rules.blended),
    Method("ets", "指数平滑(ETS)", "model", "24 months of single-month history", "simulation"),
    Method("sarima", "季节ARIMA", "model", "36 months of single-month history", "simulation"),
    Method("growth_path", "增幅路径法", "bureau", "the YTD growth path and one YTD amount", "backtest", rules.growth_path),
    Method("ses", "简单指数平滑(月度路径)", "path", "two years of single months (from the YTD), positive",
           "simulation", paths.ses),
    Method("theta", "Theta法(月度路径)", "path", "two years of single months (from the YTD), positive",
           "simulation", paths.theta),
    Method("damped", "阻尼趋势ETS(月度路径)", "path", "two years of single months (from the YTD), positive",
           "simulation", paths.damped),
    Method("components", "分项加总法", "components", "税收收入 and 非税收入 of the same regions (their projections added)",
           "backtest"),
    Method("combination", "组合预测", "combination", "what its members need (and the components' sum where it exists)",
           "backtest"),
]

#: Every method, by name, in the order the documentation lists them.
METHODS: dict[str, Method] = {method.name: method for method in _LIST}
#: The bureau rules, by name.
BUREAU_METHODS: dict[str, Callable] = {m.name: m.function for m in _LIST if m.kind == "bureau"}
#: The methods vectorised over a panel, by name: the bureau rules and the path models (the
#: combination's possible members; a backtest runs them at every past year).
PANEL_METHODS: dict[str, Callable] = {m.name: m.function for m in _LIST if m.kind in ("bureau", "path")}
#: The fitted models (refitted each year in a backtest).
MODEL_METHODS = tuple(m.name for m in _LIST if m.kind == "model")
#: Chinese names of the methods, for tables and charts.
METHOD_ZH = {m.name: m.zh for m in _LIST}
#: The default members of the combination, fast for any panel size; past errors at each as-of month
#: weight them. One member reads the past years' YTD shares (the historical progress ratio), two
#: the monthly path (Theta, SES). Few members, because the weights are learned from one error per
#: past year at that month: on the two Texas series (benchmarks/peer.py) adding the rules that carry
#: last year's outturn forward (carry_forward, blended, growth_path: close to one another, and worse
#: there) or the damped trend made the combination worse, not better. Any registered panel method
#: can be a member (``members=``); a series none of the members can project falls back to
#: :data:`FALLBACK_ORDER` (the rules that work from a growth path and one YTD amount).
COMBINATION_MEMBERS = ("progress_ratio", "ses", "theta")
#: The order in which a method that cannot run falls back to another.
FALLBACK_ORDER = ("progress_ratio", "carry_forward", "growth_path")
