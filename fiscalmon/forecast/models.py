"""Monthly time-series models from statsmodels: ETS (Holt-Winters) and seasonal ARIMA.

Each model is fitted to one series' single-month amounts (de-cumulated from the YTD figures; in
logs when every month is positive), then simulated forward over the remaining months. The
full-year distribution is YTD + the sum of each simulated path, never the sum of monthly bounds.

A series too short, broken or odd for a model returns ``None`` with the reason; the caller falls
back to a bureau method and says so.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

#: Months of history each model needs (two, three seasons).
MIN_MONTHS = {"ets": 24, "sarima": 36}


@dataclass
class ModelFit:
    """A fitted model of one series: the point, simulated full-year totals and past points."""

    point: float
    samples: np.ndarray
    past_points: dict[int, float]  # year position → projection made at the same month that year
    note: str


def single_months(ytd: np.ndarray) -> tuple[np.ndarray | None, int, str]:
    """Chronological single-month amounts from a (years, 12) YTD block, up to the last figure.

    Returns (values, position of the first value as year × 12 + month − 1, note); values is
    ``None`` (and the note the reason) when the history cannot be used.

    A year reported from February (1-2月 together) has its February YTD split evenly between
    January and February; any other gap makes the series unusable for a model.
    """
    block = ytd.copy()
    note = ""
    combined = np.isnan(block[:, 0]) & np.isfinite(block[:, 1])
    if combined.any():
        block[combined, 0] = block[combined, 1] / 2
        note = "1-2月 reported together: split evenly between January and February"
    flat = block.ravel()
    finite = np.flatnonzero(np.isfinite(flat))
    if not len(finite):
        return None, 0, "no YTD amounts"
    start = finite[0] + (-finite[0]) % 12  # the first January at or after the first figure
    segment = flat[start: finite[-1] + 1]
    if not len(segment):
        return None, 0, "no complete year of history"
    if np.isnan(segment).any():
        return None, 0, "months missing inside the history"
    january = np.arange(start, finite[-1] + 1) % 12 == 0
    values = np.where(january, segment, segment - np.concatenate([[np.nan], segment[:-1]]))
    return values, int(start), note


def _build(kind: str, y: np.ndarray):
    if kind == "ets":
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        return ETSModel(y, error="add", trend="add", damped_trend=True, seasonal="add", seasonal_periods=12)
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    return SARIMAX(y, order=(0, 1, 1), seasonal_order=(0, 1, 1, 12))  # the "airline" model


def fit_and_simulate(kind: str, values: np.ndarray, ytd_now: float, steps: int, n_paths: int,
                     seed: int, past_cuts: dict[int, tuple[int, float]]) -> ModelFit | None | str:
    """Fit ``kind`` ('ets' or 'sarima') to single-month ``values`` and simulate ``steps`` months.

    ``past_cuts`` maps a past year's position to (number of months known then, YTD then): the
    model, with the parameters just estimated, is re-run on the data known then and projects that
    year (parameters use all data to now; the data do not).

    Returns a :class:`ModelFit`, or the reason the model could not be used (a str).
    """
    if len(values) < MIN_MONTHS[kind]:
        return f"{len(values)} months of history; {kind} needs {MIN_MONTHS[kind]}"
    positive = bool((values > 0).all())
    y = np.log(values) if positive else values
    back = np.exp if positive else (lambda v: v)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter; a bad fit is caught below
        try:
            result = _build(kind, y).fit(disp=False)
            if steps:
                sims = np.asarray(result.simulate(nsimulations=steps, repetitions=n_paths, anchor="end",
                                                  rng=np.random.default_rng(seed))).reshape(steps, -1)
                point = ytd_now + back(np.asarray(result.forecast(steps))).sum()
                samples = ytd_now + back(sims).sum(axis=0)
            else:
                point, samples = ytd_now, np.full(n_paths, ytd_now)
            past = {}
            for position, (known, ytd_then) in past_cuts.items():
                if known < MIN_MONTHS[kind]:
                    continue
                rerun = _rerun(kind, y[:known], result.params)
                past[position] = ytd_then + back(np.asarray(rerun.forecast(steps))).sum() if steps else ytd_then
        except Exception as exc:  # noqa: BLE001 - statsmodels raises many kinds on degenerate series
            return f"{kind} could not be fitted ({type(exc).__name__}: {exc})"
    if not np.isfinite(point) or not np.isfinite(samples).all():
        return f"{kind} gave non-finite projections"
    scale_note = "fitted in logs" if positive else "fitted on amounts (some months ≤ 0)"
    return ModelFit(float(point), samples, past, scale_note)


def _rerun(kind: str, y: np.ndarray, params):
    model = _build(kind, y)
    return model.smooth(params) if kind == "ets" else model.filter(params)
