"""可比口径: projecting what is really happening, not the base effect.

Special factors (a refund programme, a one-off receipt, a boundary change) move revenue away from its
underlying course. On the comparable basis every method works on the figures with the factors taken
out (this year's and every past year's YTD and outturns), projects the underlying full year, and this
year's factors are added back: those booked to date, and those the special-factors table declares for
the rest of the year. For carry-forward this is

    point = A′ᵤ × (1 + c) + S,   c = (Y − Sₘ) ÷ (Y′ − S′ₘ) − 1,   A′ᵤ = A′ − S′₁₂,

with S the year's factors in full, Sₘ those to month m, and S′ last year's.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .panel import Panel


def restated(panel: Panel) -> Panel:
    """The panel with every known special factor taken out (YTD, outturns) and the comparable growth
    as its growth: reported where given, else computed from both years' restated YTD."""
    if not panel.special.any():
        return panel
    ytd = panel.ytd - panel.special
    outturn = panel.outturn - panel.special[:, :, 11]
    # Last year's YTD, restated: its own row where the panel has one, else implied by this year's
    # reported growth (a table of one year, a 上年同期 the bureau prints only as a growth rate).
    def last_year(values, fill):
        return np.concatenate([np.full(values[:, :1].shape, fill), values[:, :-1]], axis=1)

    with np.errstate(invalid="ignore", divide="ignore"):
        implied = panel.ytd / (1 + panel.yoy / 100)
    natural_before = last_year(panel.ytd, np.nan)
    before = np.where(np.isfinite(natural_before), natural_before, implied) - last_year(panel.special, 0.0)
    computed = growth_pct(ytd, before)
    touched = (panel.special != 0) | np.concatenate([np.zeros_like(panel.special[:, :1], dtype=bool),
                                                      panel.special[:, :-1] != 0], axis=1)
    yoy = np.where(np.isfinite(panel.comparable), panel.comparable,
                   np.where(touched & np.isfinite(computed), computed, panel.yoy))
    return replace(panel, ytd=ytd, outturn=outturn, yoy=yoy)


def added_back(view: Panel, t: int, m: int, *, declared: bool) -> np.ndarray:
    """This year's special factors to add to an underlying full-year projection at month ``m``: the
    full-year effect the table declares (``declared``: a live projection), else those booked to date,
    assumed to stay (a backtest knows no more than the rows up to its month)."""
    to_date = np.nan_to_num(view.special[:, t, m - 1])
    if not declared:
        return to_date
    return np.where(np.isfinite(view.special_declared[:, t]), view.special_declared[:, t], to_date)


def growth_pct(ytd: np.ndarray, prior: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(prior > 0, (ytd / prior - 1) * 100, np.nan)
