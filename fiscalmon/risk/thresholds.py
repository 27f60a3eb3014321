"""Reading thresholds: the shipped defaults and a province's own TOML file, checked entry by entry.

The shipped defaults live in ``fiscalmon/risk/thresholds.toml`` (found with importlib.resources). A
province's own file has the same shape and replaces any indicator's bands, for one province
(``province = "650000"``) and from a date (``effective = 2023-01-01``) or for one year
(``year = 2023``); see ``docs/risk.md``. Loading is the only I/O of the risk package. The bands
themselves, and which apply when, are in :mod:`fiscalmon.risk.bands`.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import FiscalDataError, Problem
from .bands import LEVELS, SHIPPED, TAGS, Band, BandSet, Thresholds, province_of
from .indicators import INDICATORS

__all__ = ["Band", "BandSet", "Thresholds", "load_thresholds", "province_of", "LEVELS", "TAGS"]

_ENTRY_KEYS = {"indicator", "province", "effective", "year", "closed", "unit", "source", "tag", "note", "bands"}
_BAND_KEYS = {"level", "label", "lower", "upper", "unit", "effective", "source", "tag", "note"}
_INHERITED = ("unit", "effective", "source", "tag", "note")


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
        dates = [band.effective for band in ordered if band.effective is not None]
        start = max(dates) if dates else None
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
    if (band.get("effective") is not None or band.get("tag") == "C") and effective is None:
        # A [C] value is dated by its document; a [P] or [U] one may have no known date.
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
