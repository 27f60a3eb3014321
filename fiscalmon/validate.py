"""Table-level checks on freshly read canonical tables.

Each check looks at the whole table (duplicates, a YTD amount that falls, region ids that disagree)
and records located problems (errors) or notes (warnings) on the reader's collector. Cell-level
parsing has already happened in :mod:`fiscalmon.parse`; rows whose cells failed to parse have empty
values and are skipped here rather than reported twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import magnitudes
from .schema import ITEMS, RISK_AMOUNTS, UNITS_PER_100M_YUAN

#: A YTD completion rate above this (percent) is more likely a unit or percent/fraction mix-up
#: than a real over-fulfilment (Changji's 州本级 reached 111.93% by June on a one-off receipt).
COMPLETION_MIXUP_PCT = 300.0
#: Reported YTD growth that differs from the growth computed from both years' amounts by more
#: than this many percentage points is noted (often 可比口径 versus 自然口径).
GROWTH_MISMATCH_PP = 1.0
#: Outturn or adjusted budget outside this ratio of the budget suggests mixed units.
BUDGET_RATIO_RANGE = (0.2, 5.0)


def check(table: pd.DataFrame, kind: str, out, *, unreadable_rows=frozenset(), levels=None) -> pd.DataFrame:
    """Run the checks for one table kind ('monthly', 'annual', 'regions', 'risk'); returns the table.

    ``unreadable_rows`` are rows with a cell already reported as unreadable: a figure missing there is
    not reported a second time. ``levels`` (region code → level) sets how large a region's amounts
    can plausibly be.
    """
    table = _region_ids(table, out, unreadable_rows)
    checks = {"monthly": _monthly, "annual": _annual, "regions": _regions, "risk": _risk, "special": _special,
              "cash_plan": _cash_plan}[kind]
    if kind in ("monthly", "annual"):
        checks(table, out, unreadable_rows, levels or {})
    else:
        checks(table, out, unreadable_rows)
    return table


def unit_advice(stated, offset: float, file: str | None = None) -> str:
    """What to do about amounts ``10**offset`` times the size they should be under the ``stated`` unit
    (for one ``file`` among several: the command line's --unit 'FILE=元')."""
    likely = magnitudes.likely_unit(stated, offset)
    if likely is None:
        return "Check the amounts and their unit: a decimal point or a unit may be off."
    option = f"--unit '{file}={likely}'" if file else f"--unit {likely}"
    return (f"The amounts are probably in {likely}, not {stated}: correct the 单位 line (or the unit column), "
            f"or read the file with {option} (unit='{likely}').")


_LEVEL_WORDS = {"county": "a county", "own": "a 本级 budget", "zone": "a zone", "prefecture": "a prefecture",
                "province": "a province", None: "any region"}


def _sizes(table: pd.DataFrame, kind: str, out, levels: dict) -> set:
    """Amounts of a size no region of that level can have, and rows orders of magnitude off their series.
    Returns the rows reported."""
    amounts = ["ytd", "budget", "adjusted_budget"] if kind == "monthly" else ["budget", "adjusted_budget", "outturn"]
    over = magnitudes.beyond_ceiling(table, amounts, levels)
    for _, row in over.iterrows():
        stated = row.get("source_unit")
        offset = magnitudes.offset_to_plausible(row["annual"], row["ceiling"], stated)
        out.error(row["_row"], row["column"], as_written(row[row["column"]], stated),
                  f"an amount {_LEVEL_WORDS[magnitudes.level_of(row['region_code'], levels)]} can have "
                  f"(at most about {row['ceiling']:,.0f}亿元 a year; this is {row['annual']:,.0f}亿元)",
                  unit_advice(stated, offset))
    reported = set(over["_row"])
    if kind == "monthly":
        odd = magnitudes.row_outliers(table)
        odd = odd[~odd["_row"].isin(reported)]
        for _, row in odd.iterrows():
            out.error(row["_row"], "ytd", as_written(row["ytd"], row.get("source_unit")),
                      f"an amount of the size of {row['region']}'s other months ({magnitudes.factor_text(row['offset'])} "
                      f"them here)", unit_advice(row.get("source_unit"), row["offset"]))
        reported |= set(odd["_row"])
    return reported





def _region_ids(table: pd.DataFrame, out, unreadable_rows=frozenset()) -> pd.DataFrame:
    """Every row needs a code or a name (names were matched to codes by :func:`fiscalmon.regions.resolve`);
    a row with a code only shows its code as its name."""
    if "region_code" not in table:
        return table
    unnamed = table["region_code"].isna() & table["region"].isna() & ~table["_row"].isin(unreadable_rows)
    for row in table.loc[unnamed, "_row"]:
        out.error(row, "region_code/region", None, "a region code or name", "Fill in the region of this row.")
    code_only = table["region_code"].notna() & table["region"].isna()
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
        unit = "亿元"
    number = value * UNITS_PER_100M_YUAN[unit]
    text = f"{number:,.6g}" if abs(number) < 1e6 else f"{number:,.0f}"
    return f"{text}{unit}"


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


def _monthly(table: pd.DataFrame, out, unreadable_rows, levels) -> None:
    located = table["period"].notna() & table["item"].notna() & ~table["_row"].isin(unreadable_rows)
    figures = [c for c in ("ytd", "yoy_pct", "yoy_pct_min", "budget", "adjusted_budget") if c in table]
    no_figure = located & table[figures].isna().all(axis=1)
    for row in table.loc[no_figure, "_row"]:
        out.error(row, "ytd/yoy_pct", None, "a YTD amount or a growth rate",
                  "Fill in the figure, or remove the row if nothing was reported.")
    for name in ("yoy_pct", "yoy_pct_min"):
        for row, value in table.loc[table[name] < -100, ["_row", name]].itertuples(index=False):
            out.error(row, name, value, "growth of -100% or more (a fall cannot exceed the whole amount)",
                      "Check the sign and the decimal point; growth is in percent (-9.37, not -937).")
    _duplicates(table, ["region_code", "period", "item"], out)
    _ytd_falls(table, out, skip=_sizes(table, "monthly", out, levels))
    _completion_mixups(table, out)
    _growth_mismatch(table, out)


def _is_flow(item: str) -> bool:
    known = ITEMS.get(item)
    return known is None or known.kind == "flow"


def _ytd_falls(table: pd.DataFrame, out, skip=frozenset()) -> None:
    """A flow's YTD that falls within a year (rows already reported for their size are left out)."""
    flows = table[table["ytd"].notna() & table["item"].map(_is_flow, na_action="ignore").fillna(False).astype(bool)]
    flows = flows.dropna(subset=["region_code", "period"]).sort_values(["region_code", "item", "period"])
    year = flows["period"].dt.year
    previous = flows.groupby([flows["region_code"], flows["item"], year])["ytd"].shift()
    prev_period = flows.groupby([flows["region_code"], flows["item"], year])["period"].shift()
    prev_row = flows.groupby([flows["region_code"], flows["item"], year])["_row"].shift()
    falls = flows[(flows["ytd"] < previous - 1e-9 * previous.abs()) & ~flows["_row"].isin(skip) & ~prev_row.isin(skip)]
    revision = falls["revision"] if "revision" in falls else pd.Series(None, index=falls.index, dtype=object)
    for index, row in falls.iterrows():
        unit = row.get("source_unit")
        said = (f"{row['region']} {row['item']}: YTD {as_written(previous[index], unit)} at {prev_period[index]} "
                f"falls to {as_written(row['ytd'], unit)} at {row['period']}")
        if isinstance(revision[index], str) and revision[index]:
            out.warn(row["_row"], "ytd", said, "a YTD amount that does not fall within a year",
                     f"Accepted as an explicit revision: {revision[index]}", kind="revisions")
        else:
            out.error(row["_row"], "ytd", said, "a YTD amount that does not fall within a year",
                      "If this is a refund (退库) or a revision, explain it in a 'revision' (修订) column on this "
                      "row; otherwise correct the figure.")
    negative = flows[flows["ytd"] < 0]
    for _, row in negative.iterrows():
        out.warn(row["_row"], "ytd", as_written(row["ytd"], row.get("source_unit")), "a YTD amount of zero or more",
                 "A negative year-to-date amount is unusual; check it.", kind="values")


def _completion_mixups(table: pd.DataFrame, out) -> None:
    rates = table[["_row", "completion_pct"]].dropna()
    for row, value in rates[rates["completion_pct"] > COMPLETION_MIXUP_PCT].itertuples(index=False):
        out.warn(row, "completion_pct", value, f"a completion rate in percent, at most about {COMPLETION_MIXUP_PCT:g}",
                 "This looks like a percent/fraction or unit mix-up (45.64% typed as 4564?); check it.", kind="values")
    if len(rates) >= 3 and (rates["completion_pct"] <= 1).all() and (rates["completion_pct"] > 0).any():
        out.warn(None, "completion_pct", f"{rates['completion_pct'].max():g} at most",
                 "completion rates in percent (45.64), not fractions (0.4564)",
                 "Every completion rate is at most 1: multiply by 100 if they are fractions.", kind="values")


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
                 "The reported growth may be on a comparable basis (可比口径); keep it if so, else check it.", kind="comparable")


def _annual(table: pd.DataFrame, out, unreadable_rows, levels) -> None:
    amounts = ["budget", "adjusted_budget", "outturn"]
    located = table["year"].notna() & table["item"].notna() & ~table["_row"].isin(unreadable_rows)
    figures = amounts + [c for c in ("target_growth_pct",) if c in table]
    for row in table.loc[located & table[figures].isna().all(axis=1), "_row"]:
        out.error(row, "budget/adjusted_budget/outturn", None, "a budget, adjusted budget, outturn or growth target",
                  "Fill in the figure, or remove the row.")
    _negative_amounts(table, amounts, out)
    low, high = BUDGET_RATIO_RANGE
    for name in ("adjusted_budget", "outturn"):
        ratio = table[name] / table["budget"].where(table["budget"] > 0)
        for _, row in table[(ratio < low) | (ratio > high)].iterrows():
            out.warn(row["_row"], name, as_written(row[name], row.get("source_unit")),
                     f"{name} within {low:g}–{high:g}× the budget",
                     "So large a gap usually means the two were entered in different units; check it.", kind="units")
    _duplicates(table, ["region_code", "year", "item"], out)
    _sizes(table, "annual", out, levels)


def _regions(table: pd.DataFrame, out, unreadable_rows) -> None:
    for name, what in (("region_code", "a region code"), ("region", "a region name"), ("level", "a level")):
        for row in table.loc[table[name].isna(), "_row"]:
            out.error(row, name, None, what, "Fill it in.")
    _duplicates(table, ["region_code"], out)
    known = set(table["region_code"].dropna())
    orphan = table["parent_code"].notna() & ~table["parent_code"].isin(known)
    for row, value in table.loc[orphan, ["_row", "parent_code"]].itertuples(index=False):
        out.warn(row, "parent_code", value, "a parent listed in the same table",
                 "Totals by parent will not include this region's parent; add the parent row if you need them.", kind="regions")


def _risk(table: pd.DataFrame, out, unreadable_rows) -> None:
    _negative_amounts(table, RISK_AMOUNTS, out)
    keys = ["region_code", "period"] + (["ten_day"] if "ten_day" in table and table["ten_day"].notna().any() else [])
    _duplicates(table.assign(ten_day=table["ten_day"].fillna(0)) if "ten_day" in keys else table, keys, out)



def _special(table: pd.DataFrame, out, unreadable_rows) -> None:
    """Every factor row has an effect; the same factor twice for one region × period × item is a duplicate."""
    located = table["period"].notna() & table["item"].notna() & ~table["_row"].isin(unreadable_rows)
    figures = [c for c in ("ytd_effect", "ytd_reduction") if c in table]
    for row in table.loc[located & table[figures].isna().all(axis=1), "_row"]:
        out.error(row, "ytd_effect", None, "the factor's cumulative effect on revenue (累计影响)",
                  "Fill in the effect (negative for a factor that lowered revenue), or remove the row.")
    _duplicates(table.assign(label=table["label"].fillna("")), ["region_code", "period", "item", "label"], out)


def _cash_plan(table: pd.DataFrame, out, unreadable_rows) -> None:
    """Amounts are positive (the flow says the direction); one row per region × month × flow."""
    _negative_amounts(table, ["amount"], out)
    located = table["period"].notna() & table["flow"].notna() & ~table["_row"].isin(unreadable_rows)
    for row in table.loc[located & table["amount"].isna(), "_row"]:
        out.error(row, "amount", None, "an amount for the flow", "Fill in the amount, or remove the row.")
    _duplicates(table, ["region_code", "period", "flow"], out)
