"""Thresholds as data, OpenFisca-style: bands with their unit, effective date, source and confidence.

The shipped defaults live in ``fiscalmon/risk/thresholds.toml`` (found with importlib.resources). A
province's own file has the same shape and replaces any indicator's bands, for one province
(``province = "650000"``) and from a date (``effective = 2023-01-01``) or for one year
(``year = 2023``); see ``docs/risk.md``. Loading is the only I/O here: everything else is pure.

Which bands apply to a county in a month: the province's own entries first, then entries for every
province, then the shipped defaults; among entries of one scope, the latest in force at the end of the
month. The shipped defaults apply in every month (before their effective date too, as there is
nothing older); a user entry applies only from its date.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import FiscalDataError, Problem
from .indicators import INDICATORS

__all__ = ["Band", "BandSet", "Thresholds", "load_thresholds", "province_of", "LEVELS", "TAGS"]

#: Levels a band may have, best first.
LEVELS = ("green", "yellow", "orange", "red")
#: Confidence tags (DOMAIN.md).
TAGS = {
    "C": "confirmed in a public source",
    "P": "one province only, or a secondary source",
    "U": "common practice, no source found: a configurable default",
}
SHIPPED = "thresholds.toml"
_ENTRY_KEYS = {"indicator", "province", "effective", "year", "closed", "unit", "source", "tag", "note", "bands"}
_BAND_KEYS = {"level", "label", "lower", "upper", "unit", "effective", "source", "tag", "note"}
_INHERITED = ("unit", "effective", "source", "tag", "note")


@dataclass(frozen=True)
class Band:
    """One band of an indicator: values in [lower, upper) (or (lower, upper]) get ``level``."""

    level: str
    lower: float
    upper: float
    label: str
    unit: str
    effective: _dt.date
    source: str
    tag: str
    note: str = ""

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
            "unit": band.unit, "effective": band.effective.isoformat(), "tag": band.tag, "source": band.source,
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


# ---- loading -----------------------------------------------------------------------------------

def shipped_file():
    """The shipped defaults file, as an importlib.resources traversable."""
    return resources.files("fiscalmon.risk").joinpath(SHIPPED)


def load_thresholds(path=None) -> Thresholds:
    """Load the shipped default thresholds, and a user file's overrides on top of them.

    Parameters
    ----------
    path : str or Path, optional
        A TOML file of ``[[threshold]]`` entries (same shape as the shipped file, plus ``province``
        and ``effective`` or ``year``; see ``docs/risk.md``).

    Returns
    -------
    Thresholds

    Raises
    ------
    FiscalDataError
        Listing every problem in the file: file, line, key, value, what was expected, what to do.
    FileNotFoundError
        When ``path`` does not exist.

    Examples
    --------
    >>> t = load_thresholds()
    >>> t.resolve("debt_grade", None, "2023-06").bands[1].interval()
    '120% ≤ x < 200%'
    >>> load_thresholds("my_province.toml")  # doctest: +SKIP
    """
    shipped = _parse(shipped_file().read_text(encoding="utf-8"), SHIPPED, shipped=True)
    if path is None:
        return Thresholds(tuple(shipped))
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such thresholds file")
    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a directory, not a thresholds file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FiscalDataError([Problem(path.name, None, None, None, "a TOML file in UTF-8",
                                       f"Save the file as UTF-8 ({exc}).")]) from None
    user = _parse(text, path.name, shipped=False)
    return Thresholds(tuple(shipped + user), (SHIPPED, path.name))


class _Locator:
    """Line numbers of ``[[threshold]]`` and ``[[threshold.bands]]`` headers and of keys, for messages."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.entries: list[int] = []
        self.bands: list[list[int]] = []
        for number, line in enumerate(self.lines, start=1):
            if re.match(r"^\s*\[\[\s*threshold\s*\]\]", line):
                self.entries.append(number)
                self.bands.append([])
            elif re.match(r"^\s*\[\[\s*threshold\s*\.\s*bands\s*\]\]", line) and self.bands:
                self.bands[-1].append(number)

    def line(self, entry: int, band: int | None = None, key: str | None = None) -> int | None:
        if entry >= len(self.entries):
            return None
        start = self.entries[entry] if band is None else (
            self.bands[entry][band] if band < len(self.bands[entry]) else self.entries[entry])
        if key is None:
            return start
        for number in range(start + 1, len(self.lines) + 1):
            text = self.lines[number - 1]
            if number > start and re.match(r"^\s*\[", text):
                break
            if re.match(rf"^\s*{re.escape(key)}\s*=", text):
                return number
        return start


def _parse(text: str, label: str, *, shipped: bool) -> list[BandSet]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise FiscalDataError([Problem(label, int(found.group(1)) if found else None, None, None, "valid TOML",
                                       f"Fix the syntax ({exc}); docs/risk.md shows the format.")]) from None
    where = _Locator(text)
    problems: list[Problem] = []

    def problem(entry, band, key, value, expected, action):
        name = f"threshold[{entry + 1}]" + (f".bands[{band + 1}]" if band is not None else "") + (f".{key}" if key else "")
        found = Problem(label, where.line(entry, band, key), name, value, expected, action)
        if found not in problems:  # a bad value an entry passes to each of its bands is reported once
            problems.append(found)

    unknown = sorted(set(data) - {"threshold", "title", "description"})
    if unknown:
        problems.append(Problem(label, None, ", ".join(unknown), None, "only [[threshold]] entries (and title, description)",
                                "Rename or remove these keys; each indicator's bands go in a [[threshold]] entry."))
    entries = data.get("threshold", [])
    if not isinstance(entries, list) or not entries:
        problems.append(Problem(label, None, "threshold", None, "one or more [[threshold]] entries",
                                "Add an entry per indicator you want to set; docs/risk.md shows one."))
        raise FiscalDataError(problems)
    sets = []
    for e, entry in enumerate(entries):
        parsed = _parse_entry(entry, e, label, shipped, problem)
        if parsed is not None:
            sets.append(parsed)
    seen: dict[tuple, int] = {}
    for e, s in enumerate(sets):
        key = (s.indicator, s.province, s.start, s.end)
        if key in seen:
            problem(e, None, "indicator", s.indicator, f"one entry for {s.indicator} per province and date "
                    f"(entry {seen[key] + 1} has the same)", "Remove one of the two entries.")
        seen.setdefault(key, e)
    if problems:
        raise FiscalDataError(problems)
    return sets


def _parse_entry(entry, e: int, label: str, shipped: bool, problem) -> BandSet | None:
    ok = True
    extra = sorted(set(entry) - _ENTRY_KEYS)
    for key in extra:
        problem(e, None, key, entry[key], f"a key among {sorted(_ENTRY_KEYS)}", "Fix the spelling or remove the key.")
        ok = False
    indicator = entry.get("indicator")
    if indicator not in INDICATORS:
        problem(e, None, "indicator", indicator, f"one of {', '.join(INDICATORS)}",
                "Name the indicator by its key (fiscalmon thresholds lists them).")
        return None
    unit = INDICATORS[indicator].unit
    closed = entry.get("closed", "left")
    if closed not in ("left", "right"):
        problem(e, None, "closed", closed, "'left' for [lower, upper) or 'right' for (lower, upper]",
                "Leave it out for [lower, upper), the usual convention.")
        ok = False
    province = entry.get("province")
    if province is not None:
        province = str(province)
        if not re.fullmatch(r"\d{2}0000", province):
            problem(e, None, "province", entry.get("province"), "a GB/T 2260 province code such as '650000'",
                    "Write the province's six-digit code, in quotes.")
            ok = False
    start = end = None
    if "effective" in entry and "year" in entry:
        problem(e, None, "year", entry["year"], "either effective (in force from a date) or year (that year only)",
                "Keep one of the two.")
        ok = False
    if "effective" in entry:
        start = _date(entry["effective"])
        if start is None:
            problem(e, None, "effective", entry["effective"], "a date YYYY-MM-DD", "Write it as effective = 2023-01-01.")
            ok = False
    if "year" in entry:
        year = entry["year"]
        if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
            problem(e, None, "year", year, "a year such as 2023", "Write it as year = 2023, without quotes.")
            ok = False
        else:
            start, end = _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    raw_bands = entry.get("bands")
    if not isinstance(raw_bands, list) or not raw_bands:
        problem(e, None, "bands", None, f"the bands of {indicator}, as [[threshold.bands]] tables",
                "Give every band of the indicator: an entry replaces all of them.")
        return None
    defaults = {key: entry[key] for key in _INHERITED if key in entry}
    if start is not None:
        defaults.setdefault("effective", start)
    bands, bounds = [], []
    for b, raw in enumerate(raw_bands):
        band, bound = _parse_band({**defaults, **raw} if isinstance(raw, dict) else {}, raw, e, b, unit, problem)
        ok = ok and band is not None
        bands.append(band)
        bounds.append(bound)
    # The bands must tile the line; checked whenever every bound could be read, so that all problems of a
    # file are reported in one pass.
    if all(bound is not None for bound in bounds):
        order = sorted(range(len(bounds)), key=lambda i: bounds[i][0])
        (first_lower, _), (_, last_upper) = bounds[order[0]], bounds[order[-1]]
        if not np.isinf(first_lower):
            problem(e, order[0], "lower", first_lower, "no lower bound on the lowest band",
                    "Remove 'lower' from the lowest band so that every value falls in a band.")
            ok = False
        if not np.isinf(last_upper):
            problem(e, order[-1], "upper", last_upper, "no upper bound on the highest band",
                    "Remove 'upper' from the highest band so that every value falls in a band.")
            ok = False
        for i, j in zip(order, order[1:]):
            if bounds[i][1] != bounds[j][0]:
                problem(e, i, "upper", None if np.isinf(bounds[i][1]) else bounds[i][1],
                        f"the next band's lower bound, {bounds[j][0]:g} (band {j + 1})",
                        "Make the bands meet: each band's upper bound is the next band's lower bound, with no "
                        "gap or overlap.")
                ok = False
    if not ok:
        return None
    ordered = sorted(bands, key=lambda band: band.lower)
    if start is None and not shipped:
        start = max(band.effective for band in ordered)
    return BandSet(indicator, tuple(ordered), closed, province, start, end, label, shipped)


def _parse_band(band: dict, raw, e: int, b: int, unit: str, report):
    """(Band or None, (lower, upper) or None): the band if it is valid, its bounds if they could be read."""
    if not isinstance(raw, dict):
        report(e, b, None, raw, "a band table ([[threshold.bands]] with level, lower, upper, …)",
               "Write each band as a [[threshold.bands]] table.")
        return None, None

    def problem(e, b, key, value, expected, action):
        # A value the band inherits from its entry is reported where it is written: on the entry.
        report(e, b if key in raw or key not in band else None, key, value, expected, action)

    ok = True
    for key in sorted(set(raw) - _BAND_KEYS):
        problem(e, b, key, raw[key], f"a key among {sorted(_BAND_KEYS)}", "Fix the spelling or remove the key.")
        ok = False
    level = band.get("level")
    if level not in LEVELS:
        problem(e, b, "level", level, f"one of {', '.join(LEVELS)}", "Give the band's colour in English.")
        ok = False
    bounds = {}
    for key, missing in (("lower", -np.inf), ("upper", np.inf)):
        value = band.get(key)
        if value is None:
            bounds[key] = missing
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
            problem(e, b, key, value, f"a number in {unit}", "Write the bound as a plain number, e.g. 120 for 120%.")
            ok = False
        else:
            bounds[key] = float(value)
    readable = len(bounds) == 2
    if readable and bounds["lower"] >= bounds["upper"]:
        problem(e, b, "upper", bounds["upper"], f"a bound above lower ({bounds['lower']:g})", "Swap or fix the bounds.")
        ok = readable = False
    interval = (bounds["lower"], bounds["upper"]) if readable else None
    if band.get("unit", unit) != unit:
        problem(e, b, "unit", band.get("unit"), f"'{unit}', the unit of this indicator",
                "Convert the bounds to this unit (amounts in 亿元, percentages as numbers like 37.5).")
        ok = False
    effective = _date(band.get("effective"))
    if effective is None:
        problem(e, b, "effective", band.get("effective"), "the date the value took effect, YYYY-MM-DD",
                "Add effective = 2023-01-01 (or year = 2023) to the entry or to the band.")
        ok = False
    source = band.get("source")
    if not isinstance(source, str) or not source.strip():
        problem(e, b, "source", source, "where the value comes from (a document, a rule, or 'own choice')",
                "Add source = \"…\" to the entry or to the band: every threshold must say where it came from.")
        ok = False
    tag = band.get("tag")
    if tag not in TAGS:
        problem(e, b, "tag", tag, "C, P or U (" + "; ".join(f"{k}: {v}" for k, v in TAGS.items()) + ")",
                "Add tag = \"C\", \"P\" or \"U\" to the entry or to the band.")
        ok = False
    label = band.get("label", "")
    if not isinstance(label, str):
        problem(e, b, "label", label, "text", "Quote the label.")
        ok = False
    if not ok:
        return None, interval
    return Band(level, bounds["lower"], bounds["upper"], label or "", unit, effective, source.strip(), tag,
                str(band.get("note", "") or "")), interval


def _date(value) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
