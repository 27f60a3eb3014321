"""Table-level checks on freshly read canonical tables.

Each check looks at the whole table (duplicates, a YTD amount that falls, region ids that disagree)
and records located problems (errors) or notes (warnings) on the reader's collector. Cell-level
parsing has already happened in :mod:`fiscalmon.parse`; rows whose cells failed to parse have empty
values and are skipped here rather than reported twice.
"""

from __future__ import annotations

import pandas as pd

from .schema import ITEMS, RISK_AMOUNTS, UNITS_PER_100M_YUAN

#: A YTD completion rate above this (percent) is more likely a unit or percent/fraction mix-up
#: than a real over-fulfilment (Changji's 州本级 reached 111.93% by June on a one-off receipt).
COMPLETION_MIXUP_PCT = 300.0
#: Reported YTD growth that differs from the growth computed from both years' amounts by more
#: than this many percentage points is noted (often 可比口径 versus 自然口径).
GROWTH_MISMATCH_PP = 1.0
#: Region names that mark a total row of a bureau table rather than a region.
TOTAL_ROW_NAMES = ("合计", "总计", "小计", "汇总", "全部")
#: Outturn or adjusted budget outside this ratio of the budget suggests mixed units.
BUDGET_RATIO_RANGE = (0.2, 5.0)


def check(table: pd.DataFrame, kind: str, out) -> pd.DataFrame:
    """Run the checks for one table kind ('monthly', 'annual', 'regions', 'risk'); returns the table."""
    table = _region_ids(table, out)
    checks = {"monthly": _monthly, "annual": _annual, "regions": _regions, "risk": _risk}[kind]
    checks(table, out)
    return table


def _region_ids(table: pd.DataFrame, out) -> pd.DataFrame:
    if "region_code" not in table:
        return table
    for row in table.loc[table["region_code"].isna() & table["region"].isna(), "_row"]:
        out.error(row, "region_code/region", None, "a region code or name", "Fill in the region of this row.")
    code_only = table["region_code"].notna() & table["region"].isna()
    name_only = table["region_code"].isna() & table["region"].notna()
    if name_only.all() and len(table):
        out.warn(None, "region_code", None, "region codes (GB/T 2260)",
                 "The file has region names only; the names are used as region ids.")
    totals = table["region"].isin(TOTAL_ROW_NAMES)
    for row, name in table.loc[totals, ["_row", "region"]].itertuples(index=False):
        out.warn(row, "region", name, "a region, not a total row",
                 f"'{name}' is read as a region of its own; remove the row, or give it the code of the area it totals.")
    table.loc[name_only, "region_code"] = table.loc[name_only, "region"]
    table.loc[code_only, "region"] = table.loc[code_only, "region_code"]
    _same_id_same_name(table, out)
    return table


def _same_id_same_name(table: pd.DataFrame, out) -> None:
    ids = table.dropna(subset=["region_code", "region"])
    for key, other in (("region_code", "region"), ("region", "region_code")):
        spread = ids.groupby(key)[other].nunique()
        for value in spread[spread > 1].index:
            rows = ids[ids[key] == value]
            first = rows.iloc[0]
            for _, row in rows[rows[other] != first[other]].iterrows():
                out.error(row["_row"], other, row[other], f"the same {other} as row {first['_row']} "
                          f"({first[other]!r}) for {key} {value!r}",
                          "One region must have one code and one name throughout the file.")


def as_written(value: float, unit) -> str:
    """An amount (亿元) as the file wrote it, in its own unit, so the analyst can find it there.

    >>> as_written(-0.0005, "万元")
    '-5万元'
    """
    if unit not in UNITS_PER_100M_YUAN:
        return f"{value:,.6g}亿元"
    return f"{value * UNITS_PER_100M_YUAN[unit]:,.6g}{unit}"


def _negative_amounts(table: pd.DataFrame, names, out) -> None:
    units = table["source_unit"] if "source_unit" in table else pd.Series("亿元", index=table.index)
    for name in names:
        if name in table:
            negative = table[table[name] < 0]
            for row, value, unit in zip(negative["_row"], negative[name], units[negative.index]):
                out.error(row, name, as_written(value, unit), "an amount of zero or more", "Check the sign.")


def _duplicates(table: pd.DataFrame, keys: list[str], out) -> None:
    complete = table.dropna(subset=keys)
    repeated = complete[complete.duplicated(keys, keep=False)]
    for _, group in repeated.groupby(keys, sort=False):
        first = group.iloc[0]["_row"]
        for row in group["_row"].iloc[1:]:
            label = " × ".join(str(group.iloc[0][k]) for k in keys)
            out.error(row, " × ".join(keys), label, f"one row per {' × '.join(keys)} (row {first} has the same)",
                      "Remove the duplicate, or sum the two rows if they are parts of one figure.")


def _monthly(table: pd.DataFrame, out) -> None:
    located = table["period"].notna() & table["item"].notna()
    no_figure = located & table[["ytd", "yoy_pct", "yoy_pct_min"]].isna().all(axis=1)
    for row in table.loc[no_figure, "_row"]:
        out.error(row, "ytd/yoy_pct", None, "a YTD amount or a growth rate",
                  "Fill in the figure, or remove the row if nothing was reported.")
    for name in ("yoy_pct", "yoy_pct_min"):
        for row, value in table.loc[table[name] < -100, ["_row", name]].itertuples(index=False):
            out.error(row, name, value, "growth of -100% or more (a fall cannot exceed the whole amount)",
                      "Check the sign and the decimal point; growth is in percent (-9.37, not -937).")
    _duplicates(table, ["region_code", "period", "item"], out)
    _ytd_falls(table, out)
    _completion_mixups(table, out)
    _growth_mismatch(table, out)


def _is_flow(item: str) -> bool:
    known = ITEMS.get(item)
    return known is None or known.kind == "flow"


def _ytd_falls(table: pd.DataFrame, out) -> None:
    flows = table[table["ytd"].notna() & table["item"].map(_is_flow, na_action="ignore").fillna(False).astype(bool)]
    flows = flows.dropna(subset=["region_code", "period"]).sort_values(["region_code", "item", "period"])
    year = flows["period"].dt.year
    previous = flows.groupby([flows["region_code"], flows["item"], year])["ytd"].shift()
    prev_period = flows.groupby([flows["region_code"], flows["item"], year])["period"].shift()
    falls = flows[flows["ytd"] < previous - 1e-9 * previous.abs()]
    revision = falls["revision"] if "revision" in falls else pd.Series(None, index=falls.index, dtype=object)
    for index, row in falls.iterrows():
        unit = row.get("source_unit")
        said = (f"{row['region']} {row['item']}: YTD {as_written(previous[index], unit)} at {prev_period[index]} "
                f"falls to {as_written(row['ytd'], unit)} at {row['period']}")
        if isinstance(revision[index], str) and revision[index]:
            out.warn(row["_row"], "ytd", said, "a YTD amount that does not fall within a year",
                     f"Accepted as an explicit revision: {revision[index]}")
        else:
            out.error(row["_row"], "ytd", said, "a YTD amount that does not fall within a year",
                      "If this is a refund (退库) or a revision, explain it in a 'revision' (修订) column on this "
                      "row; otherwise correct the figure.")
    negative = flows[flows["ytd"] < 0]
    for _, row in negative.iterrows():
        out.warn(row["_row"], "ytd", as_written(row["ytd"], row.get("source_unit")), "a YTD amount of zero or more",
                 "A negative year-to-date amount is unusual; check it.")


def _completion_mixups(table: pd.DataFrame, out) -> None:
    rates = table[["_row", "completion_pct"]].dropna()
    for row, value in rates[rates["completion_pct"] > COMPLETION_MIXUP_PCT].itertuples(index=False):
        out.warn(row, "completion_pct", value, f"a completion rate in percent, at most about {COMPLETION_MIXUP_PCT:g}",
                 "This looks like a percent/fraction or unit mix-up (45.64% typed as 4564?); check it.")
    if len(rates) >= 3 and (rates["completion_pct"] <= 1).all() and (rates["completion_pct"] > 0).any():
        out.warn(None, "completion_pct", f"{rates['completion_pct'].max():g} at most",
                 "completion rates in percent (45.64), not fractions (0.4564)",
                 "Every completion rate is at most 1: multiply by 100 if they are fractions.")


def _growth_mismatch(table: pd.DataFrame, out) -> None:
    both = table.dropna(subset=["ytd", "period", "region_code", "item"])
    if both.empty:
        return
    prior = both[["region_code", "item", "period", "ytd"]].copy()
    prior["period"] = prior["period"] + 12
    joined = both.merge(prior, on=["region_code", "item", "period"], suffixes=("", "_prior"))
    joined = joined[joined["yoy_pct"].notna() & (joined["ytd_prior"] > 0)]
    computed = (joined["ytd"] / joined["ytd_prior"] - 1) * 100
    off = joined[(computed - joined["yoy_pct"]).abs() > GROWTH_MISMATCH_PP]
    for (_, row), value in zip(off.iterrows(), computed[off.index]):
        out.warn(row["_row"], "yoy_pct", row["yoy_pct"],
                 f"growth close to {value:.2f}%, computed from this year's and last year's YTD",
                 "The reported growth may be on a comparable basis (可比口径); keep it if so, else check it.")


def _annual(table: pd.DataFrame, out) -> None:
    amounts = ["budget", "adjusted_budget", "outturn"]
    located = table["year"].notna() & table["item"].notna()
    for row in table.loc[located & table[amounts].isna().all(axis=1), "_row"]:
        out.error(row, "budget/adjusted_budget/outturn", None, "a budget, adjusted budget or outturn",
                  "Fill in the figure, or remove the row.")
    _negative_amounts(table, amounts, out)
    low, high = BUDGET_RATIO_RANGE
    for name in ("adjusted_budget", "outturn"):
        ratio = table[name] / table["budget"].where(table["budget"] > 0)
        for _, row in table[(ratio < low) | (ratio > high)].iterrows():
            out.warn(row["_row"], name, as_written(row[name], row.get("source_unit")),
                     f"{name} within {low:g}–{high:g}× the budget",
                     "So large a gap usually means the two were entered in different units; check it.")
    _duplicates(table, ["region_code", "year", "item"], out)


def _regions(table: pd.DataFrame, out) -> None:
    for name, what in (("region_code", "a region code"), ("region", "a region name"), ("level", "a level")):
        for row in table.loc[table[name].isna(), "_row"]:
            out.error(row, name, None, what, "Fill it in.")
    _duplicates(table, ["region_code"], out)
    known = set(table["region_code"].dropna())
    orphan = table["parent_code"].notna() & ~table["parent_code"].isin(known)
    for row, value in table.loc[orphan, ["_row", "parent_code"]].itertuples(index=False):
        out.warn(row, "parent_code", value, "a parent listed in the same table",
                 "Totals by parent will not include this region's parent; add the parent row if you need them.")


def _risk(table: pd.DataFrame, out) -> None:
    _negative_amounts(table, RISK_AMOUNTS, out)
    _duplicates(table, ["region_code", "period"], out)

