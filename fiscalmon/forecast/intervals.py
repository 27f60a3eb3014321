"""Intervals and the odds of reaching a budget, from the errors projections made in past years.

An error is ``e = log(outturn ÷ projection)`` of one method at one as-of month in one past year.
For a panel, each series' errors are scaled by a per-series spread (its own errors shrunk towards
the panel's), the scaled errors of all series are pooled, and their empirical quantiles, scaled back,
give the interval: ``projection × exp(s_i · q)``. With one series this is plain split-conformal
prediction on that series' past years. The quantile levels get the finite-sample correction of
conformal prediction, so a short history gives a wider interval rather than a falsely narrow one.
Where the Theta path model applies, its simulated spread is averaged into the bounds (:func:`intervals`);
before there are ``MIN_ERRORS`` past errors, the simulated spread alone gives them (:func:`spread_intervals`).
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

#: How many pseudo-errors at the panel's spread a series' own spread is shrunk with.
SHRINK = 3.0
#: Fewer pooled errors than this and an error sample is not used.
MIN_ERRORS = 8
#: A pooled error sample larger than this is summarised by as many quantiles for the probabilities.
SUMMARY_POINTS = 1000
LEVELS = (80, 95)


def series_scales(errors: np.ndarray) -> tuple[np.ndarray, float]:
    """Per-series spread of log errors (shrunk towards the pooled spread), and the pooled spread.

    ``errors`` has shape (n_series, n_years) with NaN where a year has no error.
    """
    finite = np.isfinite(errors)
    squares = np.where(finite, errors, 0.0) ** 2
    count = finite.sum(axis=1)
    pooled = float(np.sqrt(squares.sum() / count.sum())) if count.sum() else np.nan
    scales = np.sqrt((squares.sum(axis=1) + SHRINK * pooled ** 2) / (count + SHRINK))
    return scales, pooled


def standardised(errors: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """The pooled sample of errors divided by their series' spread, NaNs dropped."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = errors / scales[:, None]
    return z[np.isfinite(z)]


def conformal_quantiles(z: np.ndarray, level: float) -> tuple[float, float]:
    """Lower and upper bounds of ``z`` for a central interval of ``level`` percent.

    Split-conformal order statistics: the upper bound is the ⌈(n + 1)(1 − α/2)⌉-th smallest error,
    the lower the ⌊(n + 1)·α/2⌋-th. When n is too small for that order statistic to exist, the
    bound is the sample's extreme pushed out to the normal quantile with the sample's spread,
    whichever is further, rather than the extreme alone (which would under-cover).

    >>> conformal_quantiles(np.arange(1.0, 20.0), 80)  # n = 19: the 2nd and the 18th values
    (2.0, 18.0)
    """
    ordered = np.sort(z)
    n = len(ordered)
    tail = (1 - level / 100) / 2
    # (rounded first: 20 × 0.1 is 1.9999999999999996 in floating point)
    k_low, k_high = int(np.floor(round((n + 1) * tail, 9))), int(np.ceil(round((n + 1) * (1 - tail), 9)))
    spread = ordered.std(ddof=1) if n > 1 else 1.0
    normal_low, normal_high = ordered.mean() + norm.ppf([tail, 1 - tail]) * spread
    low = ordered[k_low - 1] if k_low >= 1 else min(ordered[0], normal_low)
    high = ordered[k_high - 1] if k_high <= n else max(ordered[-1], normal_high)
    return float(low), float(high)


def intervals(point: np.ndarray, scales: np.ndarray, z: np.ndarray, levels=LEVELS,
              spread: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """``lo80, hi80, lo95, hi95`` (same unit as ``point``) from a standardised error sample.

    With a simulated log ``spread`` (n, paths; :func:`fiscalmon.forecast.paths.simulated_log_spread`),
    each bound is the mean, in logs, of the conformal bound and the simulated one (quantile
    averaging, where the spread is finite): the past errors know the method's real misses but are
    few, the model's paths are many and follow this year's volatility.
    """
    result = {}
    for level in levels:
        low, high = conformal_quantiles(z, level)
        low, high = scales * low, scales * high
        if spread is not None:
            tail = (1 - level / 100) / 2
            simulated = _row_quantiles(spread, (tail, 1 - tail))
            low = np.where(np.isfinite(simulated[0]), (low + simulated[0]) / 2, low)
            high = np.where(np.isfinite(simulated[1]), (high + simulated[1]) / 2, high)
        result[f"lo{level}"] = point * np.exp(low)
        result[f"hi{level}"] = point * np.exp(high)
    return result


def _row_quantiles(values: np.ndarray, levels) -> np.ndarray:
    """Quantiles of each row (NaN for a row with a NaN), shape (len(levels), rows)."""
    out = np.full((len(levels), len(values)), np.nan)
    rows = np.isfinite(values).all(axis=1)
    if rows.any():
        out[:, rows] = np.quantile(values[rows], levels, axis=1)
    return out


def attain_probability(point: np.ndarray, budget: np.ndarray, scales: np.ndarray, z: np.ndarray) -> np.ndarray:
    """P(full year ≥ budget): the share of the error distribution above log(budget ÷ point).

    The empirical distribution of ``z`` is smoothed with a normal kernel (Silverman's bandwidth),
    so the probability moves smoothly with the budget and is not stuck at exactly 0 or 1 by a
    short history. NaN where there is no budget.
    """
    spread = min(np.std(z), (np.quantile(z, 0.75) - np.quantile(z, 0.25)) / 1.34) if len(z) > 1 else 1.0
    bandwidth = 0.9 * (spread if spread > 0 else 1.0) * len(z) ** (-0.2)
    with np.errstate(invalid="ignore", divide="ignore"):
        needed = np.log(budget / point) / scales
    if len(z) > SUMMARY_POINTS:  # a large pooled sample is summarised by its quantiles, to bound memory
        z = np.quantile(z, (np.arange(SUMMARY_POINTS) + 0.5) / SUMMARY_POINTS)
    prob = np.full(len(needed), np.nan)
    for start in range(0, len(needed), 4096):
        chunk = needed[start: start + 4096]
        prob[start: start + len(chunk)] = norm.sf((chunk[:, None] - z[None, :]) / bandwidth).mean(axis=1)
    return np.where(np.isfinite(needed), prob, np.nan)


def sample_intervals(point_samples: np.ndarray, budget: np.ndarray, levels=LEVELS) -> dict[str, np.ndarray]:
    """Intervals and P(≥ budget) from simulated full-year totals, shape (n_series, n_paths)."""
    result = {}
    for level in levels:
        tail = (1 - level / 100) / 2 * 100
        result[f"lo{level}"] = np.nanpercentile(point_samples, tail, axis=1)
        result[f"hi{level}"] = np.nanpercentile(point_samples, 100 - tail, axis=1)
    with np.errstate(invalid="ignore"):
        above = (point_samples >= budget[:, None]).mean(axis=1)
    result["p_attain"] = np.where(np.isfinite(budget), above, np.nan)
    return result


def spread_intervals(point: np.ndarray, spread: np.ndarray, budget: np.ndarray, levels=LEVELS) -> dict[str, np.ndarray]:
    """Intervals and P(≥ budget) of ``point`` with a simulated log spread around it, shape (n, paths):
    the full years ``point × exp(spread)`` (NaN rows stay NaN)."""
    rows = np.isfinite(point) & np.isfinite(spread).all(axis=1)
    result = {key: np.full(len(point), np.nan) for key in [f"{s}{v}" for v in levels for s in ("lo", "hi")] + ["p_attain"]}
    if rows.any():
        drawn = sample_intervals(point[rows, None] * np.exp(spread[rows]), budget[rows], levels)
        for key, values in drawn.items():
            result[key][rows] = values
    return result
