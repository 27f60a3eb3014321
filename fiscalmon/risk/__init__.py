"""Risk flags: 三保, debt service, treasury cash and temporary advances for every county, red-level first.

Entry point :func:`assess` (one month of the canonical risk table → :class:`Assessment`, with the cash
outlook of a cash plan, :mod:`.outlook`); thresholds as
data with their sources (:func:`load_thresholds`, shipped defaults in ``thresholds.toml``); the
indicators registered in :data:`INDICATORS`. See ``docs/risk.md``.
"""

from .assess import Assessment, assess
from .indicators import CHANGE_ZH, INDICATORS, LEVEL_ZH, OPERATIONS, Indicator
from .outlook import project_cash, summarise_outlook
from .thresholds import Band, BandSet, Thresholds, load_thresholds

__all__ = ["Assessment", "Band", "BandSet", "CHANGE_ZH", "INDICATORS", "Indicator", "LEVEL_ZH", "OPERATIONS",
           "Thresholds", "assess", "load_thresholds", "project_cash", "summarise_outlook"]
