"""Whether amounts are the size they claim: the unit checks of the readers, as pure functions.

A file exported in 元 but labelled ``单位：万元`` reads 10,000 times too large, and nothing in the file
itself says so. What does: the same region's figures in the other months, the other files and the
annual table, and what any region can plausibly collect. Sizes are compared on a log10 scale, each
YTD amount annualised (× 12 ÷ month) so that months compare with one another and with full years;
ordinary growth moves a series by well under one order of magnitude, a unit slip by four or eight.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .regions import parent_from_code
from .schema import ITEMS, UNITS_PER_100M_YUAN

#: Orders of magnitude (log10) at which two sources of the same figures disagree on their unit.
FILE_OFFSET = 1.5
#: Orders of magnitude at which one row stands apart from the rest of its series.
ROW_OFFSET = 3.0
#: Largest amount (亿元, a year's flow) a region of each level can plausibly have. China's whole
#: general budget revenue was 216,784亿元 in 2023 (MOF, 2023年财政收支情况); Guangdong, the largest
#: province, about 13,900亿元; no county-level budget reaches 3,000亿元.
CEILING_100M_YUAN = {"county": 3_000.0, "own": 20_000.0, "zone": 3_000.0, "prefecture": 20_000.0,
                     "province": 60_000.0, "nation": 400_000.0, None: 400_000.0}
#: The whole country's code in GB/T 2260 (中华人民共和国), for national totals.
NATIONAL_CODE = "100000"


def annualised_log(ytd: pd.Series, month: pd.Series) -> pd.Series:
    """log10 of a YTD amount scaled to a full year (× 12 ÷ month); NaN where it is not positive."""
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.log10(ytd.astype(float) * 12 / month.astype(float))
    return value.where(ytd > 0)


def _flows(table: pd.DataFrame) -> pd.DataFrame:
    items = table["item"].map(lambda i: ITEMS[i].kind == "flow" if i in ITEMS else True, na_action="ignore")
    return table[items.fillna(False).astype(bool) & (table["ytd"] > 0)]


def row_outliers(monthly: pd.DataFrame) -> pd.DataFrame:
    """Rows of a monthly table whose annualised YTD stands ``ROW_OFFSET`` orders of magnitude or more
    apart from the median of its series (region × item, three rows or more): ``offset`` in log10."""
    flows = _flows(monthly.dropna(subset=["region_code", "item", "period"]))
    level = annualised_log(flows["ytd"], flows["period"].dt.month)
    groups = level.groupby([flows["region_code"], flows["item"]])
    median, count = groups.transform("median"), groups.transform("count")
    offset = level - median
    flagged = (count >= 3) & (offset.abs() >= ROW_OFFSET)
    return flows[flagged].assign(offset=offset[flagged])


def level_of(code: str, levels: dict[str, str]) -> str | None:
    """A region's level: from the directory, else from the shape of a GB/T 2260 code."""
    if code in levels:
        return levels[code]
    base, _, suffix = str(code).partition("-")
    if suffix:
        return "own" if suffix == "bj" else "zone"
    if base == NATIONAL_CODE:
        return "nation"
    if parent_from_code(base) is None:
        return "province" if len(base) == 6 and base.isdigit() and base != "000000" else None
    return "county" if base[4:] != "00" else "prefecture"


def beyond_ceiling(table: pd.DataFrame, amounts: list[str], levels: dict[str, str]) -> pd.DataFrame:
    """Rows with a flow amount (annualised for a YTD) beyond what a region of its level can have:
    ``column``, ``annual`` (亿元) and ``ceiling``."""
    found = []
    for column in amounts:
        if column not in table:
            continue
        rows = table[table[column].notna() & (table[column] > 0)]
        if "item" in rows:
            rows = rows[rows["item"].map(lambda i: i not in ITEMS or ITEMS[i].kind == "flow").astype(bool)]
        annual = rows[column] * (12 / rows["period"].dt.month if column == "ytd" and "period" in rows else 1)
        codes = rows["region_code"].drop_duplicates()  # each region's level worked out once, not once a row
        ceiling = rows["region_code"].map(dict(zip(codes, (CEILING_100M_YUAN[level_of(c, levels)] for c in codes))))
        over = annual > ceiling
        found.append(rows[over].assign(column=column, annual=annual[over], ceiling=ceiling[over]))
    return pd.concat(found) if found else table.iloc[:0].assign(column=None, annual=np.nan, ceiling=np.nan)


def source_levels(sources: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Mean annualised log10 size of each series (region × item) in each source: sources × series."""
    columns = {}
    for name, table in sources.items():
        if "period" in table:
            flows = _flows(table.dropna(subset=["region_code", "item", "period"]))
            level = annualised_log(flows["ytd"], flows["period"].dt.month)
        else:  # an annual table: its full-year amounts as they are
            flows = table.assign(ytd=table["outturn"].combine_first(table["adjusted_budget"]).combine_first(table["budget"]))
            flows = _flows(flows.dropna(subset=["region_code", "item"]))
            level = np.log10(flows["ytd"].astype(float))
        columns[name] = level.groupby([flows["region_code"], flows["item"]]).mean()
    return pd.DataFrame(columns).T


def disagreeing_sources(levels: pd.DataFrame) -> dict[str, tuple[float, list[str]]]:
    """Sources whose sizes disagree with most of the others that share series with them.

    For each pair of sources the offset is the median difference of their series' levels; a source
    is out of line when it is ``FILE_OFFSET`` orders of magnitude or more from more than half of the
    sources it can be compared with. Returns {source: (its median offset, the sources it disagrees
    with)}. With two sources only, both come back: they disagree, and nothing says which is right.
    """
    names = list(levels.index)
    values = levels.to_numpy(dtype=float)
    out = {}
    for k, name in enumerate(names):
        offsets = {}
        for j, other in enumerate(names):
            if j == k:
                continue
            shared = np.isfinite(values[k]) & np.isfinite(values[j])
            if shared.any():
                offsets[other] = float(np.median(values[k, shared] - values[j, shared]))
        against = [o for o, value in offsets.items() if abs(value) >= FILE_OFFSET]
        if offsets and len(against) > len(offsets) / 2:
            out[name] = (float(np.median([offsets[o] for o in against])), against)
    return out


def offset_to_plausible(annual: float, ceiling: float, stated: str | None) -> float:
    """The orders of magnitude (a multiple of four: a unit step) that bring ``annual`` under ``ceiling``.

    >>> offset_to_plausible(24_000.0, 3_000.0, "万元"), offset_to_plausible(2e11, 3_000.0, "亿元")
    (4.0, 8.0)
    """
    for offset in (4.0, 8.0):
        if annual / 10 ** offset <= ceiling:
            return offset
    return float(np.ceil(np.log10(annual / ceiling)))


def likely_unit(stated: str | None, offset: float) -> str | None:
    """The unit that would explain amounts 10**offset times too large under the ``stated`` unit.

    >>> likely_unit("万元", 4.0), likely_unit("万元", -4.1), likely_unit("亿元", 8.0), likely_unit("万元", 2.0)
    ('元', '亿元', '元', None)
    """
    if stated not in UNITS_PER_100M_YUAN:
        return None
    wanted = UNITS_PER_100M_YUAN[stated] * 10 ** round(offset)
    return next((unit for unit, per in UNITS_PER_100M_YUAN.items() if np.isclose(per, wanted)), None)


def factor_text(offset: float) -> str:
    """×10,000 for an offset of 4, ÷10,000 for −4 (rounded to whole orders of magnitude)."""
    factor = 10 ** abs(round(offset))
    return f"{'×' if offset > 0 else '÷'}{factor:,}"
