"""Projections made in past years at the same as-of month, and their errors.

This is the common ground of intervals, combination weights and the backtest: for every past year
with a known outturn, each method projects the full year from the panel as it was known at the
as-of month of that year (:meth:`Panel.as_of`), and the error ``log(outturn ÷ projection)`` is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import nnls

from .panel import Panel
from .registry import PANEL_METHODS
#: Weights need this many past years with errors of every member, or, in a panel, MIN_WEIGHT_CASES
#: such errors (a hundred counties' errors in one year already say which member tends to be closer);
#: with less the combination is a plain average.
MIN_WEIGHT_YEARS = 3
MIN_WEIGHT_CASES = 30
#: Past errors (series × years) at which the stacking weights and the inverse-MSE weights count equally.
STACKING_SHRINK_CASES = 5


@dataclass
class PastProjections:
    """Points (n_series, n_years) per method at one as-of month; NaN where not made."""

    month: int
    points: dict[str, np.ndarray]
    actual: np.ndarray  # outturn, (n_series, n_years)

    def errors(self, name: str) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            e = np.log(self.actual / self.points[name])
        return np.where(np.isfinite(e), e, np.nan)


def past_projections(panel: Panel, month: int, methods, years_before: int, model_points=None) -> PastProjections:
    """Each bureau method's projection at ``month`` of every year before position ``years_before``.

    ``model_points`` may add ready-made past points of other methods (the statsmodels ones).
    """
    n, n_years = panel.n, len(panel.years)
    points = {name: np.full((n, n_years), np.nan) for name in methods if name in PANEL_METHODS}
    for t in range(1, years_before):
        if not np.isfinite(panel.outturn[:, t]).any():
            continue
        view = panel.as_of(int(panel.years[t]), month)
        for name in points:
            points[name][:, t] = PANEL_METHODS[name](view, t, month).point
    points.update(model_points or {})
    actual = np.where(np.arange(n_years)[None, :] < years_before, panel.outturn, np.nan)
    return PastProjections(month, points, actual)


def enough_for_weights(years: int, cases: int) -> bool:
    """Whether past errors (``years`` with every member's error, ``cases`` series × years) can weight."""
    return years >= MIN_WEIGHT_YEARS or (years >= 1 and cases >= MIN_WEIGHT_CASES)


def combination_weights(errors: dict[str, np.ndarray]) -> tuple[dict[str, float], int, int]:
    """Combination weights from past errors at one as-of month.

    Over the series-years where every member has an error: the non-negative weights summing to one
    that minimise the squared error of the combination (stacking; they take the members' correlation
    into account), shrunk towards inverse mean-squared-error weights (Bates & Granger) by
    ``cases ÷ (cases + 5)``, where ``cases`` counts the series × years behind them: one series with a
    short history leans on the simpler, steadier rule, while a county panel, with a hundred errors a
    year, trusts its stacking weights. Too few errors (:func:`enough_for_weights`): a plain average.

    Returns the weights, the number of past years and the number of errors behind them.
    """
    names = list(errors)
    stacked = np.stack([errors[name] for name in names])  # (members, n, years)
    common = np.isfinite(stacked).all(axis=0)
    years, cases = int(common.any(axis=0).sum()), int(common.sum())
    if not enough_for_weights(years, cases):
        return {name: 1 / len(names) for name in names}, years, cases
    sample = np.stack([stacked[k][common] for k in range(len(names))])  # (members, cases)
    inverse = 1 / np.maximum(np.mean(sample ** 2, axis=1), 1e-12)
    inverse /= inverse.sum()
    shrink = cases / (cases + STACKING_SHRINK_CASES)
    weights = shrink * _stacking_weights(sample) + (1 - shrink) * inverse
    return {name: float(w) for name, w in zip(names, weights / weights.sum())}, years, cases


def _stacking_weights(sample: np.ndarray) -> np.ndarray:
    """Non-negative weights summing to one minimising ||Σ w_k e_k||² (sum-to-one as a heavy extra row)."""
    members = sample.shape[0]
    heavy = 1e3 * max(1.0, float(np.abs(sample).max()))
    design = np.vstack([sample.T, np.full((1, members), heavy)])
    target = np.concatenate([np.zeros(sample.shape[1]), [heavy]])
    weights, _ = nnls(design, target)
    return weights / weights.sum() if weights.sum() > 0 else np.full(members, 1 / members)


def combine(points: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """Weighted average of members' points; a series missing some members uses the others,
    their weights rescaled to sum to one."""
    stacked = np.stack([points[name] for name in weights])
    w = np.array(list(weights.values()))[:, None] * np.isfinite(stacked)
    total = w.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        combined = np.nansum(np.where(np.isfinite(stacked), stacked, 0) * w, axis=0) / total
    return np.where(total > 0, combined, np.nan)


def past_combination(past: PastProjections, members) -> np.ndarray:
    """The combination's own past points, each year weighted only by the errors of earlier years."""
    n, n_years = past.actual.shape
    combined = np.full((n, n_years), np.nan)
    errors = {name: past.errors(name) for name in members}
    for t in range(n_years):
        if not np.isfinite(past.actual[:, t]).any():
            continue
        earlier = {name: e[:, :t] for name, e in errors.items()}
        weights, _, _ = combination_weights(earlier)
        combined[:, t] = combine({name: past.points[name][:, t] for name in members}, weights)
    return combined
