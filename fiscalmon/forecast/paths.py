"""Members that read the monthly path: SES, Theta and damped-trend ETS on the seasonally adjusted months.

The bureau rules read year-to-date ratios; these read the single months. Each series' months are
taken in logs and seasonally adjusted: a year's seasonal profile is the average, over the
``SEASON_YEARS`` complete years before it, of each month's log deviation from its year's mean,
shrunk towards the panel's average profile by ``POOL_YEARS`` pseudo-years (the pooled, cross-region
part: a county with a short or noisy history borrows the shape of its neighbours; with one series
the pull is onto itself, i.e. none). Every year is adjusted by its own profile, so nothing later
than the as-of month enters.

On the adjusted log series ``z`` three exponential-smoothing models are fitted, vectorised over the
series of a panel and over a grid of smoothing parameters (each series takes the grid point with
the smallest one-step squared error):

- ``ses``: simple exponential smoothing, a flat level (ETS(A,N,N));
- ``theta``: the Theta method (Hyndman & Billah 2003): SES plus half the OLS slope of ``z``,
  ``ẑ(h) = ℓ + b/2 · (h − 1 + 1/α − (1 − α)^T / α)`` (statsmodels' ``ThetaModel`` with θ = 2);
- ``damped``: Holt's damped trend (ETS(A,Ad,N)).

The full year is the YTD plus the remaining months, each ``exp(ẑ(h) + profile)``.
:func:`simulated_log_spread` simulates the Theta model (bootstrapped one-step errors) for intervals
in years without enough past errors.
"""

from __future__ import annotations

import numpy as np

from .methods import Projection
from .panel import Panel

#: Complete past years a year's seasonal profile averages.
SEASON_YEARS = 5
#: Pseudo-years of the panel's average profile each series' own profile is shrunk with.
POOL_YEARS = 2.0
#: Years of adjusted months the models are fitted to (bounds the cost; old years say little).
FIT_YEARS = 10
#: One-step errors of the first months are not scored (the level is still settling).
BURN_IN = 12
#: The last one-step errors the simulation draws from (three years).
RECENT_MONTHS = 36
#: Adjusted months a model needs.
MIN_MONTHS = 24
SES_ALPHAS = np.array([0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.75, 0.9])
#: Damped trend grid (statsmodels' Holt parametrisation: level α, trend β, damping φ).
DAMPED_GRID = np.array([(a, b, p) for a in (0.05, 0.1, 0.2, 0.3, 0.5, 0.7) for b in (0.01, 0.05, 0.15)
                        for p in (0.9, 0.98)])


def log_months(ytd: np.ndarray) -> np.ndarray:
    """Log single-month amounts (n, years, 12) from YTD amounts; NaN where missing or not positive.

    A year reported from February (1-2月 together) has its February YTD split evenly between
    January and February.
    """
    block = ytd.copy()
    combined = np.isnan(block[:, :, 0]) & np.isfinite(block[:, :, 1])
    block[:, :, 0] = np.where(combined, block[:, :, 1] / 2, block[:, :, 0])
    months = np.concatenate([block[:, :, :1], np.diff(block, axis=2)], axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(months > 0, np.log(np.where(months > 0, months, 1.0)), np.nan)


def seasonal_profiles(logs: np.ndarray, window: int = SEASON_YEARS) -> np.ndarray:
    """Each year's seasonal profile (n, years, 12) from the complete years before it (each after a
    complete year); NaN before two.

    A complete year's profile is its months' log deviations from the year's mean, less the growth
    within the year (the change of the mean from the year before, spread linearly); a year's own
    profile is the mean of the last ``window`` before it, shrunk towards the panel's mean.
    """
    full = np.isfinite(logs).all(axis=2)
    mean = np.where(full, np.where(full[:, :, None], logs, 0).mean(axis=2), np.nan)
    # growth within the year (last year's mean to this one's) would tilt the profile: take it out, so
    # a year counts only when the year before it is complete too
    growth = np.diff(mean, axis=1, prepend=np.nan)
    complete = np.isfinite(growth)
    within = np.nan_to_num(growth)[:, :, None] * (np.arange(12) - 5.5) / 12
    deviation = np.where(complete[:, :, None], logs - mean[:, :, None] - within, 0.0)
    # cumulative sums over years, shifted by one: profile of year y uses years < y
    total = np.concatenate([np.zeros_like(deviation[:, :1]), np.cumsum(deviation, axis=1)], axis=1)
    count = np.concatenate([np.zeros_like(complete[:, :1], dtype=float), np.cumsum(complete, axis=1)], axis=1)
    lag = np.maximum(np.arange(logs.shape[1]) - window, 0)
    years = np.arange(logs.shape[1])
    summed = total[:, years] - total[:, lag]
    counted = (count[:, years] - count[:, lag])[:, :, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.where(counted >= 2, summed / counted, np.nan)
        has = np.isfinite(own[:, :, 0])
        pooled = np.nansum(np.where(has[:, :, None], own, 0), axis=0) / has.sum(axis=0)[:, None]
    return (counted * own + POOL_YEARS * pooled[None]) / (counted + POOL_YEARS)


def adjusted(view: Panel, t: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The adjusted log months up to month ``m`` of year ``t`` (n, months), and year ``t``'s profile (n, 12)."""
    logs = log_months(view.ytd[:, : t + 1])
    profiles = seasonal_profiles(logs)
    first = max(0, t + 1 - FIT_YEARS)
    z = (logs - profiles)[:, first:].reshape(view.n, -1)[:, : (t - first) * 12 + m]
    return z, profiles[:, t]


def _ses(z: np.ndarray, alphas: np.ndarray, keep_errors: int = 0):
    """SES over every series (rows of ``z``) and every alpha at once: final level (n, G), one-step
    squared-error sums (n, G), and the one-step errors of the last ``keep_errors`` months (n, those, G).

    NaN months are skipped (the level is carried); the level starts at a series' first figure
    (statsmodels' ``initialization_method='known'`` with ``initial_level = z[0]``).
    """
    n, steps = z.shape
    level = np.full((n, len(alphas)), np.nan)
    sse = np.zeros((n, len(alphas)))
    kept = min(keep_errors, steps)
    errors = np.full((n, kept, len(alphas)), np.nan)
    for k in range(steps):
        value = z[:, k: k + 1]
        error = value - level
        fine = np.isfinite(error)
        if k >= steps - kept:
            errors[:, k - steps + kept] = error
        if k >= BURN_IN:
            sse += np.where(fine, error * error, 0.0)
        level = np.where(fine, level + alphas * error, level)
        level = np.where(np.isnan(level), value, level)  # the first figure starts the level
    return level, sse, errors


def _best(sse: np.ndarray, *arrays) -> tuple[np.ndarray, list[np.ndarray]]:
    """Per series, the grid point of least squared error, and the values of ``arrays`` (series × grid) there."""
    pick = np.argmin(np.where(np.isfinite(sse), sse, np.inf), axis=1)
    rows = np.arange(len(pick))
    return pick, [a[rows, pick] for a in arrays]


def _slope(z: np.ndarray) -> np.ndarray:
    """OLS slope of each row of ``z`` on time 0, 1, … (NaN months left out)."""
    time = np.broadcast_to(np.arange(z.shape[1], dtype=float), z.shape)
    fine = np.isfinite(z)
    count = fine.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        tm = np.where(fine, time, 0).sum(axis=1) / count
        zm = np.where(fine, z, 0).sum(axis=1) / count
        dt = np.where(fine, time - tm[:, None], 0)
        return (dt * np.where(fine, z - zm[:, None], 0)).sum(axis=1) / (dt * dt).sum(axis=1)


def theta_path(z: np.ndarray, alpha: np.ndarray, level: np.ndarray, slope: np.ndarray, steps: int) -> np.ndarray:
    """Theta forecasts (n, steps): SES level plus half the slope, Hyndman & Billah's drift."""
    h = np.arange(1, steps + 1)[None, :]
    length = np.isfinite(z).sum(axis=1)[:, None]
    a = alpha[:, None]
    return level[:, None] + slope[:, None] / 2 * (h - 1 + 1 / a - (1 - a) ** length / a)


def _damped(z: np.ndarray, grid: np.ndarray):
    """Holt's damped trend over every series and grid point: final level and trend, error sums."""
    n, steps = z.shape
    alpha, beta, phi = grid[:, 0], grid[:, 1], grid[:, 2]
    level = np.full((n, len(grid)), np.nan)
    trend = np.zeros((n, len(grid)))
    sse = np.zeros((n, len(grid)))
    for k in range(steps):
        value = z[:, k: k + 1]
        forecast = level + phi * trend
        error = value - forecast
        fine = np.isfinite(error)
        if k >= BURN_IN:
            sse += np.where(fine, error * error, 0.0)
        new_level = forecast + alpha * error
        trend = np.where(fine, beta * (new_level - level) + (1 - beta) * phi * trend, trend)
        level = np.where(fine, new_level, level)
        level = np.where(np.isnan(level), value, level)
    return level, trend, sse


def damped_path(level: np.ndarray, trend: np.ndarray, phi: np.ndarray, steps: int) -> np.ndarray:
    """Damped-trend forecasts (n, steps): ℓ + (φ + φ² + … + φ^h) b."""
    powers = np.cumsum(phi[:, None] ** np.arange(1, steps + 1)[None, :], axis=1)
    return level[:, None] + powers * trend[:, None]


def _full_year(view: Panel, t: int, m: int, path: np.ndarray, profile: np.ndarray, z: np.ndarray,
               sse: np.ndarray) -> Projection:
    """YTD plus the expected remaining months, ``exp(path + profile + σ²/2)`` (σ² the one-step mean
    squared error: a log forecast is a median, and the full year is a sum of means); NaN where
    the series is not usable."""
    scored = np.isfinite(z[:, BURN_IN:]).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = sse / scored
    rest = np.exp(path + profile[:, m:] + variance[:, None] / 2).sum(axis=1) if m < 12 else np.zeros(view.n)
    point = view.ytd[:, t, m - 1] + rest
    usable = (np.isfinite(z).sum(axis=1) >= MIN_MONTHS) & np.isfinite(z[:, -1]) & np.isfinite(profile).all(axis=1)
    return Projection(np.where(usable & np.isfinite(point), point, np.nan), np.full(view.n, "", dtype=object))


def ses(view: Panel, t: int, m: int) -> Projection:
    """Simple exponential smoothing of the adjusted log months: the level carried to the year's end."""
    z, profile = adjusted(view, t, m)
    level, sse, _ = _ses(z, SES_ALPHAS)
    _, (best, error) = _best(sse, level, sse)
    return _full_year(view, t, m, np.repeat(best[:, None], 12 - m, axis=1), profile, z, error)


def theta(view: Panel, t: int, m: int) -> Projection:
    """The Theta method on the adjusted log months (SES with half the linear trend as drift)."""
    z, profile = adjusted(view, t, m)
    level, sse, _ = _ses(z, SES_ALPHAS)
    pick, (best, error) = _best(sse, level, sse)
    return _full_year(view, t, m, theta_path(z, SES_ALPHAS[pick], best, _slope(z), 12 - m), profile, z, error)


def damped(view: Panel, t: int, m: int) -> Projection:
    """Holt's damped trend (ETS(A,Ad,N)) on the adjusted log months."""
    z, profile = adjusted(view, t, m)
    level, trend, sse = _damped(z, DAMPED_GRID)
    pick, (best_level, best_trend, error) = _best(sse, level, trend, sse)
    path = damped_path(best_level, best_trend, DAMPED_GRID[pick, 2], 12 - m)
    return _full_year(view, t, m, path, profile, z, error)


def simulated_log_spread(view: Panel, t: int, m: int, n_paths: int = 200, seed: int = 0) -> np.ndarray:
    """Simulated full years of the Theta model as ``log(total ÷ median total)``, shape (n, n_paths).

    Each path draws the remaining months' one-step errors from the series' own last three years
    of one-step errors (a bootstrap: their spread and skew, not a normal's) and carries them
    through the SES level. NaN rows where the model does not apply.
    """
    z, profile = adjusted(view, t, m)
    level, sse, errors = _ses(z, SES_ALPHAS, keep_errors=RECENT_MONTHS)
    pick, (best,) = _best(sse, level)
    alpha = SES_ALPHAS[pick]
    recent = errors[np.arange(view.n), :, pick]
    usable = (np.isfinite(z).sum(axis=1) >= MIN_MONTHS) & np.isfinite(z[:, -1]) & np.isfinite(profile).all(axis=1) \
        & (np.isfinite(recent).sum(axis=1) >= 12)
    spread = np.full((view.n, n_paths), np.nan)
    steps = 12 - m
    if not usable.any():
        return spread
    if steps == 0:
        spread[usable] = 0.0
        return spread
    rng = np.random.default_rng(seed)
    picked = recent[usable]
    fine = np.isfinite(picked)
    # each series' finite errors moved to the front, then positions drawn among them
    pool = np.take_along_axis(picked, np.argsort(~fine, axis=1, kind="stable"), axis=1)
    counts = fine.sum(axis=1)
    draws = (rng.random((len(pool), n_paths * steps)) * counts[:, None]).astype(np.intp)
    shocks = np.take_along_axis(pool, draws, axis=1).reshape(len(pool), n_paths, steps)
    carried = np.cumsum(shocks, axis=2) - shocks  # errors of earlier months move the level
    drift = theta_path(z[usable], alpha[usable], best[usable], _slope(z[usable]), steps)
    paths = drift[:, None, :] + alpha[usable][:, None, None] * carried + shocks
    totals = view.ytd[usable, t, m - 1][:, None] + np.exp(paths + profile[usable, None, m:]).sum(axis=2)
    logs = np.log(totals)
    spread[usable] = logs - np.median(logs, axis=1, keepdims=True)
    return spread

