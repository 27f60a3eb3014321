"""Full-year projection methods the bureaus use, vectorised over every series of a panel.

Notation (DOMAIN.md): m = as-of month; Y_m = YTD this year; Y'_m = YTD at month m last year;
A' = last year's full-year outturn; B = this year's budget. Every method takes a panel already
cut at the as-of month (:meth:`Panel.as_of`), the year's position ``t`` and the month ``m``, and
returns a :class:`Projection`: a point per series (NaN where its inputs are missing) and, where
the method had to assume something, what it assumed.

The statsmodels time-series methods live in :mod:`fiscalmon.forecast.models`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..calendar import robust_mean, row_nanmean
from .panel import Panel

#: Past years averaged by the historical progress ratio (历年同期进度).
PROGRESS_YEARS = 5
#: Past years of monthly shares averaged by the blended method (the STA practice: three).
BLENDED_YEARS = 3
#: Months over which the growth-path method measures the recent growth it carries forward.
RECENT_MONTHS = 3

ASSUME_EVEN = "last year's months assumed equal (月均, no monthly history)"
ASSUME_HISTORY = "last year's monthly profile assumed equal to the average of earlier years"
ASSUME_NO_OUTTURN = "last year's full year estimated from its YTD and the assumed monthly profile"


@dataclass
class Projection:
    """Point projections of the full year (亿元) and, per series, what the method assumed."""

    point: np.ndarray
    assumptions: np.ndarray  # object array of str ('' when nothing was assumed)


def _nothing_assumed(n: int) -> np.ndarray:
    return np.full(n, "", dtype=object)


def prior_ytd(panel: Panel, t: int, m: int) -> np.ndarray:
    """Y'_m: last year's YTD at month m from the table, else implied by the reported growth."""
    this = panel.ytd[:, t, m - 1]
    table = panel.ytd[:, t - 1, m - 1] if t > 0 else np.full(panel.n, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        implied = np.where(panel.yoy[:, t, m - 1] > -100, this / (1 + panel.yoy[:, t, m - 1] / 100), np.nan)
    return np.where(np.isfinite(table), table, implied)


def last_outturn(panel: Panel, t: int) -> np.ndarray:
    """A': last year's full-year amount."""
    return panel.outturn[:, t - 1] if t > 0 else np.full(panel.n, np.nan)


def past_progress(panel: Panel, t: int, m: int, years: int) -> np.ndarray:
    """Shares YTD_m ÷ full year of the ``years`` most recent past years, shape (n, years), NaN-padded."""
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = panel.ytd[:, :t, m - 1] / np.where(panel.outturn[:, :t] > 0, panel.outturn[:, :t], np.nan)
    return _last_finite(shares, years)


def _last_finite(values: np.ndarray, count: int) -> np.ndarray:
    """For each row, its last ``count`` finite values (right-aligned), NaN-padded on the left."""
    n, width = values.shape
    out = np.full((n, count), np.nan)
    finite = np.isfinite(values)
    # rank of each finite value counted from the right
    rank_from_right = np.cumsum(finite[:, ::-1], axis=1)[:, ::-1]
    for k in range(1, count + 1):
        pick = finite & (rank_from_right == k)
        rows, cols = np.nonzero(pick)
        out[rows, count - k] = values[rows, cols]
    return out


def row_nanmedian(values: np.ndarray) -> np.ndarray:
    """Median of each row's finite values; NaN (without a warning) for a row with none."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(values, axis=-1) if values.shape[-1] else np.full(values.shape[:-1], np.nan)


def carry_forward(panel: Panel, t: int, m: int) -> Projection:
    """Carry YTD growth forward to the full year: A' × Y_m ÷ Y'_m."""
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = panel.ytd[:, t, m - 1] / prior_ytd(panel, t, m)
    return Projection(last_outturn(panel, t) * np.where(np.isfinite(ratio), ratio, np.nan), _nothing_assumed(panel.n))


def progress_ratio(panel: Panel, t: int, m: int) -> Projection:
    """Historical progress ratio (历年同期进度): Y_m ÷ p̄_m, p̄_m the share of the full year reached
    by month m, averaged over up to five past years (one odd year left out, see :func:`robust_mean`).
    Needs two past years."""
    shares = past_progress(panel, t, m, PROGRESS_YEARS)
    enough = np.isfinite(shares).sum(axis=1) >= 2
    p_bar = np.where(enough, robust_mean(shares), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        point = np.where(p_bar > 0, panel.ytd[:, t, m - 1] / p_bar, np.nan)
    return Projection(point, _nothing_assumed(panel.n))


def blended(panel: Panel, t: int, m: int) -> Projection:
    """Blended remaining months (the State Taxation Administration practice, DOMAIN.md).

    The remaining months' share of the year is the three-year average; realised growth Y_m ÷ Y'_m
    is blended with an outlook growth by weight α = m/12; the blend is applied to the remaining
    months of last year's total: Y_m + A' × (1 − p̄_m) × (α·Y_m/Y'_m + (1 − α)·outlook).
    The outlook is the budget's growth B ÷ A' when there is a budget, else the median full-year
    growth of the last three years. With no past shares, last year's own share Y'_m ÷ A' is used.
    """
    a_prev = last_outturn(panel, t)
    ytd, prior = panel.ytd[:, t, m - 1], prior_ytd(panel, t, m)
    with np.errstate(invalid="ignore", divide="ignore"):
        realised = ytd / prior
        reached = row_nanmean(past_progress(panel, t, m, BLENDED_YEARS))
        reached = np.where(np.isfinite(reached), reached, prior / a_prev)
        past = panel.outturn[:, :t]
        growth = past[:, 1:] / np.where(past[:, :-1] > 0, past[:, :-1], np.nan)
        trend = row_nanmedian(_last_finite(growth, BLENDED_YEARS)) if growth.shape[1] else np.full(panel.n, np.nan)
        outlook = np.where(np.isfinite(panel.budget[:, t]) & (a_prev > 0), panel.budget[:, t] / a_prev, trend)
    alpha = m / 12
    point = ytd + a_prev * (1 - reached) * (alpha * realised + (1 - alpha) * outlook)
    return Projection(np.where(np.isfinite(point), point, np.nan), _nothing_assumed(panel.n))


def growth_path(panel: Panel, t: int, m: int) -> Projection:
    """Growth path, for sparse inputs such as a report's YTD growth path and one YTD amount.

    1. Last year's YTD path Y'_k (k ≤ m) comes from the table; where it is missing it is rebuilt
       from Y'_m and a monthly profile: the average of earlier years if there are any, else equal
       months. The assumption is recorded.
    2. This year's path is Y_k = Y'_k × (1 + G_k), G_k the YTD growth at month k.
    3. The growth of the last three months, (Y_m − Y_{m−3}) ÷ (Y'_m − Y'_{m−3}) − 1, is the recent
       trend of single-month growth; it is applied to last year's remaining months, A' − Y'_m
       (estimated from the profile if A' is unknown, and said so).
    """
    n = panel.n
    prior_m = prior_ytd(panel, t, m)
    ytd_m = panel.ytd[:, t, m - 1]
    ytd_m = np.where(np.isfinite(ytd_m), ytd_m, prior_m * (1 + panel.yoy[:, t, m - 1] / 100))
    profile, profile_assumption = _cumulative_profile(panel, t, m)
    start = m - RECENT_MONTHS
    if start > 0:
        prior_start, this_start = _path_at(panel, t, start, prior_m, profile, m)
        rebuilt = ~_known_prior(panel, t, start)
    else:
        prior_start, this_start, rebuilt = np.zeros(n), np.zeros(n), np.zeros(n, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        recent = (ytd_m - this_start) / (prior_m - prior_start)
        growth = np.where(np.isfinite(recent) & (prior_m - prior_start > 0), recent, ytd_m / prior_m)
        estimated_rest = prior_m * (1 - profile[:, m - 1]) / profile[:, m - 1]
    a_prev = last_outturn(panel, t)
    no_outturn = ~np.isfinite(a_prev)
    point = ytd_m + np.where(no_outturn, estimated_rest, a_prev - prior_m) * growth
    notes = np.where(rebuilt | no_outturn, profile_assumption, "").astype(object)
    notes[no_outturn] = notes[no_outturn] + f"; {ASSUME_NO_OUTTURN}"
    return Projection(np.where(np.isfinite(point), point, np.nan), notes)


def _known_prior(panel: Panel, t: int, k: int) -> np.ndarray:
    return np.isfinite(panel.ytd[:, t - 1, k - 1]) if t > 0 else np.zeros(panel.n, dtype=bool)


def _cumulative_profile(panel: Panel, t: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Share of the full year reached by each month, per series, and which assumption gave it."""
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = panel.ytd[:, :t, :] / np.where(panel.outturn[:, :t] > 0, panel.outturn[:, :t], np.nan)[:, :, None]
    history = row_nanmean(np.moveaxis(shares, 1, 2)) if t > 0 else np.full((panel.n, 12), np.nan)
    has_history = np.isfinite(history).all(axis=1)
    even = np.tile(np.arange(1, 13) / 12, (panel.n, 1))
    profile = np.where(has_history[:, None], history, even)
    assumed = np.where(has_history, ASSUME_HISTORY, ASSUME_EVEN).astype(object)
    return profile, assumed


def _path_at(panel: Panel, t: int, k: int, prior_m, profile, m) -> tuple[np.ndarray, np.ndarray]:
    """(Y'_k, Y_k): last year's and this year's YTD at month k, from the table or rebuilt."""
    prior_k = panel.ytd[:, t - 1, k - 1] if t > 0 else np.full(panel.n, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        rebuilt = prior_m * profile[:, k - 1] / profile[:, m - 1]
        prior_k = np.where(np.isfinite(prior_k), prior_k, rebuilt)
        this_k = panel.ytd[:, t, k - 1]
        from_growth = prior_k * (1 + panel.yoy[:, t, k - 1] / 100)
    return prior_k, np.where(np.isfinite(this_k), this_k, from_growth)
