"""Risk flags: 三保, debt service, treasury cash and temporary advances for every county, red-level first.

Entry point :func:`assess` (one month of the canonical risk table → :class:`Assessment`); thresholds as
data with their sources (:func:`load_thresholds`, shipped defaults in ``thresholds.toml``); the
indicators registered in :data:`INDICATORS`. See ``docs/risk.md``.
"""

from .assess import Assessment, assess
from .indicators import CHANGE_ZH, INDICATORS, LEVEL_ZH, Indicator
from .thresholds import Band, BandSet, Thresholds, load_thresholds

__all__ = ["Assessment", "Band", "BandSet", "CHANGE_ZH", "INDICATORS", "Indicator", "LEVEL_ZH", "Thresholds",
           "assess", "load_thresholds"]
