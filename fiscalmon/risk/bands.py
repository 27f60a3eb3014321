"""Thresholds as data, OpenFisca-style: bands with their unit, effective date, source and confidence.

This module holds the bands and the rule for which bands apply; :mod:`fiscalmon.risk.thresholds`
reads them from the shipped ``thresholds.toml`` and a province's own file.

Which bands apply to a county in a month: the province's own entries first, then entries for every
province, then the shipped defaults; among entries of one scope, the latest in force at the end of the
month. The shipped defaults apply in every month (before their effective date too, as there is
nothing older); a user entry applies only from its date.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .indicators import INDICATORS

__all__ = ["Band", "BandSet", "Thresholds", "province_of", "LEVELS", "TAGS", "UNSOURCED_ZH"]

#: Levels a band may have, best first.
LEVELS = ("green", "yellow", "orange", "red")
#: Confidence tags. C only for a quoted primary public source; a U band has no source and no date.
TAGS = {
    "C": "confirmed in a quoted primary public source",
    "P": "one province only, or a secondary source",
    "U": "common practice, no source found: a configurable default",
}
#: What a band without a public source says, instead of a source (and it carries no effective date).
UNSOURCED_ZH = "fiscalmon默认值（无公开依据）"
#: The shipped defaults' file name, the origin of their bands.
SHIPPED = "thresholds.toml"


@dataclass(frozen=True)
class Band:
    """One band of an indicator: values in [lower, upper) (or (lower, upper]) get ``level``."""

    level: str
    lower: float
    upper: float
    label: str
    unit: str
    effective: _dt.date | None
    source: str
    tag: str
    note: str = ""

    def source_zh(self) -> str:
        """The source as a flag quotes it: ``'[C] 《…》（…）：“…”（生效2020-03-04）'``; a [U] band has no date.

        Examples
        --------
        >>> Band("red", 0, float("inf"), "x", "亿元", None, UNSOURCED_ZH, "U").source_zh()
        '[U] fiscalmon默认值（无公开依据）'
        """
        dated = f"（生效{self.effective.isoformat()}）" if self.effective is not None and self.tag != "U" else ""
        return f"[{self.tag}] {self.source}{dated}"

    def interval(self, closed: str = "left") -> str:
        """The band as text, e.g. ``'120% ≤ x < 200%'``, ``'x > 10%'``, ``'x < 0.4'``."""
        lo, hi = _number(self.lower, self.unit), _number(self.upper, self.unit)
        low_op, high_op = ("≤", "<") if closed == "left" else ("<", "≤")
        if np.isinf(self.lower) and np.isinf(self.upper):
            return "任意值"
        if np.isinf(self.lower):
            return f"x {high_op} {hi}"
        if np.isinf(self.upper):
            return f"x {'≥' if closed == 'left' else '>'} {lo}"
        return f"{lo} {low_op} x {high_op} {hi}"

    def relation_zh(self, closed: str = "left") -> str:
        """Where a value lies, in Chinese, for messages: ``'低于0.4的下限'``, ``'达到或超过300%'``."""
        lo, hi = _number(self.lower, self.unit), _number(self.upper, self.unit)
        flagged = self.level != "green"
        if np.isinf(self.lower) and np.isinf(self.upper):
            return "不分档"
        if np.isinf(self.lower):
            if closed == "left":
                return f"低于{hi}的下限" if flagged else f"低于{hi}"
            return f"不超过{hi}"
        if np.isinf(self.upper):
            if closed == "left":
                return f"达到或超过{lo}" if flagged else f"不低于{lo}"
            return f"超过{lo}"
        if closed == "left":
            return f"在{lo}（含）至{hi}之间"
        return f"在{lo}至{hi}（含）之间"


def _number(value: float, unit: str) -> str:
    text = f"{value:g}"
    return f"{text}%" if unit == "%" else text


@dataclass(frozen=True)
class BandSet:
    """All the bands of one indicator, for a scope (a province or all) and a period of force.

    ``start``/``end`` bound the dates the set is in force (``None``: open); ``origin`` is the file it
    came from and ``shipped`` whether it is one of fiscalmon's defaults.
    """

    indicator: str
    bands: tuple[Band, ...]
    closed: str = "left"
    province: str | None = None
    start: _dt.date | None = None
    end: _dt.date | None = None
    origin: str = SHIPPED
    shipped: bool = True

    @property
    def cuts(self) -> np.ndarray:
        """The inner boundaries, ascending (one fewer than the bands)."""
        return np.array([band.lower for band in self.bands[1:]], dtype=float)

    def classify(self, values) -> np.ndarray:
        """Index of the band each value falls in; -1 for NaN.

        Examples
        --------
        >>> from fiscalmon.risk import load_thresholds
        >>> t = load_thresholds()
        >>> grade = t.resolve("debt_grade", None, "2023-06")
        >>> [grade.bands[i].level for i in grade.classify([119.9, 120.0, 200.0, 300.0])]
        ['green', 'yellow', 'orange', 'red']
        """
        values = np.asarray(values, dtype=float)
        index = np.searchsorted(self.cuts, values, side="right" if self.closed == "left" else "left")
        return np.where(np.isnan(values), -1, index)

    def in_force(self, day: _dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    @property
    def scope(self) -> str:
        return self.province or "all"

    @property
    def period_text(self) -> str:
        if self.shipped and self.start is None:
            return "always (shipped default)"
        if self.end is not None and self.start is not None and self.start.year == self.end.year \
                and (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            return f"{self.start.year} only"
        if self.start is None:
            return "always"
        return f"from {self.start.isoformat()}"


@dataclass(frozen=True)
class Thresholds:
    """Every band set loaded: the shipped defaults and a user file's overrides.

    Use :func:`load_thresholds` to make one; :meth:`resolve` says which bands apply and
    :meth:`table` lists them with their sources.
    """

    sets: tuple[BandSet, ...]
    files: tuple[str, ...] = (SHIPPED,)

    @cached_property
    def _by_indicator(self) -> dict[str, tuple[BandSet, ...]]:
        return {key: tuple(s for s in self.sets if s.indicator == key) for key in {s.indicator for s in self.sets}}

    def resolve(self, indicator: str, province: str | None, month) -> BandSet | None:
        """The band set in force for an indicator, a province (``'650000'`` or None) and a month.

        ``month`` is 'YYYY-MM' or a Period (sets in force at the end of the month), or a date.

        Examples
        --------
        >>> from fiscalmon.risk import load_thresholds
        >>> load_thresholds().resolve("interest_burden_general", "650000", "2023-06").bands[-1].level
        'red'
        """
        day = month if isinstance(month, _dt.date) else pd.Period(month, freq="M").end_time.date()
        candidates = self._by_indicator.get(indicator, ())
        for scope in ((lambda s: not s.shipped and province is not None and s.province == province),
                      (lambda s: not s.shipped and s.province is None),
                      (lambda s: s.shipped and s.province in (None, province))):
            chosen = [s for s in candidates if scope(s) and s.in_force(day)]
            if chosen:
                return max(enumerate(chosen), key=lambda pair: (pair[1].start or _dt.date.min, pair[0]))[1]
        shipped = [s for s in candidates if s.shipped]
        if shipped:  # before the earliest shipped entry took effect: it still applies
            return min(shipped, key=lambda s: s.start or _dt.date.min)
        return None

    def table(self, month=None, province: str | None = None) -> pd.DataFrame:
        """Every band with its unit, effective date, source and tag, one row per band.

        With ``month`` (and optionally ``province``), only the bands in force for that province in that
        month, else every band loaded (``in_force`` says when each set applies).

        Examples
        --------
        >>> from fiscalmon.risk import load_thresholds
        >>> t = load_thresholds().table()
        >>> t.loc[t["indicator"] == "debt_grade", ["level", "band"]].values.tolist()[-1]
        ['red', 'x ≥ 300%']
        """
        if month is not None:
            sets = [s for s in (self.resolve(key, province, month) for key in INDICATORS) if s is not None]
        else:
            order = {key: i for i, key in enumerate(INDICATORS)}
            sets = sorted(self.sets, key=lambda s: (order.get(s.indicator, len(order)), not s.shipped))
        rows = [{
            "indicator": s.indicator, "indicator_zh": INDICATORS[s.indicator].zh, "scope": s.scope,
            "in_force": s.period_text, "level": band.level, "band": band.interval(s.closed), "label": band.label,
            "unit": band.unit, "effective": band.effective.isoformat() if band.effective and band.tag != "U" else "",
            "tag": band.tag, "source": band.source,
            "note": band.note, "origin": s.origin,
        } for s in sets for band in s.bands]
        return pd.DataFrame(rows, columns=["indicator", "indicator_zh", "scope", "in_force", "level", "band", "label",
                                           "unit", "effective", "tag", "source", "note", "origin"])


def province_of(region_code) -> str | None:
    """The GB/T 2260 province code of a region code (its first two digits + ``0000``), else None.

    Examples
    --------
    >>> province_of("653122"), province_of("652300-zd"), province_of("TX")
    ('650000', '650000', None)
    """
    text = str(region_code)
    return f"{text[:2]}0000" if re.match(r"^\d{6}", text) else None
