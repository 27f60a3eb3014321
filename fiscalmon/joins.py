"""Tables read from several files, and tables of different kinds, joined and checked against each other.

:func:`combine_tables` makes one table of one kind from several files (one file a month): a figure in
two files, a YTD that falls from one file to the next, a file whose amounts are orders of magnitude
off the others' (元 under 单位：万元), and a region seen in one file only are errors; last year's own
rows win over the 上年同期 figures this year's files give for them.

:func:`join_tables` checks the monthly table against the annual one: names on one side and codes on
the other are matched, units that disagree are an error, and a budget that contradicts the monthly
table's own 年初预算 or 完成预算(%), or equals last year's, is a note quoting both figures.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from . import magnitudes
from .args import one_of
from .canonical import TEXT_COLUMNS, ordered
from .errors import FiscalDataError, FiscalDataWarning, Problem, note_warnings
from .regions import normalise
from .schema import ITEMS
from .validate import as_written, unit_advice

__all__ = ["combine_tables", "join_tables", "PRIOR_YEAR_NOTE"]


#: The note of a row made from a 上年同期 figure (followed by the month of the row it came from).
PRIOR_YEAR_NOTE = "上年同期 of"




def own_rows(derived: pd.DataFrame, rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """For each row made from a 上年同期 figure: last year's own row among ``rows`` (its columns with
    ``_own`` appended, NaN where there is none) and whether its YTD differs from the 上年同期 figure."""
    own = rows.dropna(subset=["ytd"]).drop_duplicates(keys).set_index(keys)
    own = own[[c for c in ("ytd", "_file") if c in own]].add_suffix("_own")
    found = derived[keys + ["ytd"]].join(own, on=keys)
    found["differs"] = found["ytd_own"].notna() & (
        (found["ytd_own"] - found["ytd"]).abs() > 1e-9 * found["ytd_own"].abs().clip(lower=1))
    return found




_KEYS = {"monthly": ["region_code", "period", "item"], "annual": ["region_code", "year", "item"],
         "special": ["region_code", "period", "item", "label"], "cash_plan": ["region_code", "period", "flow"],
         "regions": ["region_code"], "risk": ["region_code", "period"]}


def combine_tables(tables: list[pd.DataFrame], kind: str = "monthly", *, region_table=None) -> pd.DataFrame:
    """Canonical tables of one kind read from several files (one file a month, say) as one table.

    A figure present in two files (the same region × period × item) is an error naming both files,
    never a silent choice between them. So is a file whose amounts are orders of magnitude off the
    other files' for the same regions (a unit slip), and, among three files or more, a region code
    that appears in one file only and is not in the regions table (``region_table`` over the
    shipped directory): it is matched by its name to a region of the other files, or refused.

    Examples
    --------
    >>> monthly = combine_tables([read_monthly("2023年5月.xlsx"), read_monthly("2023年6月.xlsx")])  # doctest: +SKIP
    """
    if kind not in _KEYS:
        one_of(kind, "kind", _KEYS)
    keys = _KEYS[kind]
    labelled = [t.assign(_file=t.attrs.get("source_file", f"table {k + 1}"), _table=k) for k, t in enumerate(tables)]
    both = pd.concat(labelled, ignore_index=True)
    problems, notes = [], []
    if kind in ("monthly", "annual"):  # first: a file in another unit makes every later check misleading
        problems += _units_between_files({str(t["_file"].iloc[0]) if len(t) else f"table {k + 1}": t
                                          for k, t in enumerate(labelled)})
        if problems:
            raise FiscalDataError(problems)
    if kind == "monthly":
        both = _own_rows_over_prior_year_figures(both, keys, notes)
    repeated = both[both.duplicated(keys, keep=False)]
    for key, group in repeated.groupby(keys, sort=False):
        files = [group.loc[group["_table"] == k, "_file"].iloc[0] for k in group["_table"].unique()]
        if len(files) > 1:  # (duplicates within one file were reported by its reader)
            where = " and ".join(files) if len(set(files)) == len(files) else f"{files[0]}, given twice"
            problems.append(Problem(" + ".join(dict.fromkeys(files)), None, " × ".join(keys),
                                    " × ".join(map(str, key)), f"each figure in one file only (it is in {where})",
                                    "Remove it from all files but one."))
    if kind == "monthly":
        problems += _falls_between_files(both)
    if kind in ("monthly", "risk") and len(tables) >= 3:
        from .io import region_directory  # (the readers use this module)

        both = _regions_seen_once(both, region_directory(region_table), problems, notes)
    if problems:
        raise FiscalDataError(problems)
    for warning in note_warnings(notes, "the files together"):
        warnings.warn(warning, stacklevel=2)
    columns = [c for c in tables[0].columns if c not in TEXT_COLUMNS]
    combined = ordered(both.drop(columns=["_file", "_table"]), columns, keys)
    names = [str(t.attrs.get("source_file")) for t in tables]
    combined.attrs = {"source_file": f"{len(names)} files ({names[0]} … {names[-1]})", "files": names,
                      "encoding": ", ".join(sorted({str(t.attrs.get("encoding")) for t in tables})),
                      "layout": ", ".join(sorted({str(t.attrs.get("layout")) for t in tables}))}
    return combined


def _own_rows_over_prior_year_figures(both: pd.DataFrame, keys: list[str], notes: list[Problem]) -> pd.DataFrame:
    """Last year's own row (last year's file) wins over the row this year's 上年同期 column made of it;
    a figure that differs (a 可比口径 basis, often) is noted."""
    derived = both["note"].fillna("").str.startswith(PRIOR_YEAR_NOTE) if "note" in both else pd.Series(False, index=both.index)
    own = own_rows(both[derived], both[~derived], keys)
    matched = own[own["ytd_own"].notna()]
    differs = both.loc[matched.index[matched["differs"]]].join(matched[["ytd_own", "_file_own"]])
    for _, row in differs.iterrows():
        notes.append(Problem(row["_file"], None, "上年同期", f"{row['region']} {row['item']} {row['period']}: "
                             f"{as_written(row['ytd'], row['source_unit'])}",
                             f"last year's own figure ({as_written(row['ytd_own'], row['source_unit'])} in "
                             f"{row['_file_own']})",
                             "Kept last year's own figure; 上年同期 is often on a comparable basis (可比口径).",
                             "comparable"))
    return both.drop(index=matched.index)


def _falls_between_files(both: pd.DataFrame) -> list[Problem]:
    """A flow's YTD that falls from one file's month to a later month in another file (within a file,
    its reader has checked already)."""
    flows = both[both["ytd"].notna() & both["item"].map(lambda i: i not in ITEMS or ITEMS[i].kind == "flow")]
    flows = flows.sort_values(["region_code", "item", "period"])
    group = flows.groupby([flows["region_code"], flows["item"], flows["period"].dt.year])
    previous = group[["ytd", "period", "_file", "_table"]].shift()
    falls = flows[(flows["ytd"] < previous["ytd"] - 1e-9 * previous["ytd"].abs()) & (flows["_table"] != previous["_table"])]
    return [Problem(f"{previous.at[i, '_file']} + {row['_file']}", None, "ytd",
                    f"{row['region']} {row['item']}: {as_written(previous.at[i, 'ytd'], row['source_unit'])} at "
                    f"{previous.at[i, 'period']} ({previous.at[i, '_file']}) falls to "
                    f"{as_written(row['ytd'], row['source_unit'])} at {row['period']} ({row['_file']})",
                    "a YTD amount that does not fall within a year",
                    "Check both files: one of them may hold a single month (当月) instead of year to date, or a revision.")
            for i, row in falls.iterrows()]


def _stated_unit(table: pd.DataFrame) -> str | None:
    units = table["source_unit"].dropna() if "source_unit" in table else pd.Series(dtype=object)
    return units.mode().iloc[0] if len(units) else None


def _units_between_files(sources: dict[str, pd.DataFrame]) -> list[Problem]:
    """Files whose amounts are orders of magnitude off the other files' for the same regions."""
    off = magnitudes.disagreeing_sources(magnitudes.source_levels(sources))
    problems = []
    if len(off) == 2 and len(sources) == 2:
        (first, (offset, _)), (second, _) = off.items()
        return [Problem(f"{first} + {second}", None, "unit", f"{first}: {magnitudes.factor_text(offset)} {second}",
                        "the same size of amounts for the same regions in both files",
                        f"One of the two is in another unit than it states ({_stated_unit(sources[first])} / "
                        f"{_stated_unit(sources[second])}): check both, then correct its 单位 line or read it with "
                        "--unit 'FILE=元' (unit= on that file).")]
    for name, (offset, against) in off.items():
        stated = _stated_unit(sources[name])
        problems.append(Problem(name, None, "unit", f"{magnitudes.factor_text(offset)} the other files' amounts",
                                f"amounts of the size {len(against)} other file(s) give the same regions",
                                unit_advice(stated, offset, file=re.sub(r"\[[^\]]*\]$", "", name))))
    return problems


def _regions_seen_once(both: pd.DataFrame, directory, problems: list[Problem], notes: list[Problem]) -> pd.DataFrame:
    """A region code in one file only, among three or more: matched by name to a region of the other
    files (noted), noted if the regions table knows it, an error otherwise."""
    files = both.groupby("region_code")["_table"].nunique()
    once = files[files == 1].index
    if not len(once) or both["_table"].nunique() < 3:
        return both
    elsewhere = both[~both["region_code"].isin(once)]
    by_name = elsewhere.assign(_key=elsewhere["region"].map(normalise)).drop_duplicates("_key").set_index("_key")["region_code"]
    for code in once:
        rows = both[both["region_code"] == code]
        name, file, periods = rows["region"].iloc[0], rows["_file"].iloc[0], sorted(rows["period"].astype(str).unique())
        match = by_name.get(normalise(name))
        where = f"{code} {name} ({', '.join(periods[:3])})"
        if match is not None:
            both.loc[rows.index, "region_code"] = match
            both.loc[rows.index, "region"] = elsewhere.loc[elsewhere["region_code"] == match, "region"].iloc[0]
            notes.append(Problem(file, None, "region_code", where, f"a code the other files use for {name}",
                                 f"Read as {match}, the code of {name} in the other files; correct the code in {file}.",
                                 "joins"))
        elif code in directory:
            notes.append(Problem(file, None, "region_code", where, "a region in more than one file",
                                 f"{name} appears in this file only, of {both['_table'].nunique()}: check that it is "
                                 "not missing from the others.", "joins"))
        else:
            problems.append(Problem(file, None, "region_code", where,
                                    f"a region of the other files (it is in this file only, of {both['_table'].nunique()})",
                                    "A mistyped or missing code makes a new region with no history: correct the code "
                                    "and name, or add the region to a regions table (region_table=, --regions-file) "
                                    "if it is new."))
    return both


# ---- monthly against annual ----------------------------------------------------------------------

#: A printed completion rate and the one computed from the annual budget may differ by rounding only.
COMPLETION_TOLERANCE_PP = 0.5


def join_tables(monthly: pd.DataFrame, annual: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The monthly and annual tables made to join, and checked against each other.

    - Annual rows whose region code the monthly table lacks, but whose name it has, take its code.
    - Amounts orders of magnitude apart for the same regions are an error (a unit slip in one table).
    - A budget that contradicts the monthly table's 年初预算 column or its printed 完成预算(%), or that
      equals last year's budget, is a note quoting both figures; so are the regions of the latest
      month with no budget in the annual table.
    """
    if annual is None:
        return monthly, annual
    notes: list[Problem] = []
    annual = _annual_codes_from_names(monthly, annual, notes)
    off = magnitudes.disagreeing_sources(magnitudes.source_levels({"monthly": monthly, "annual": annual}))
    if off:
        offset = off["monthly"][0]
        label_m, label_a = monthly.attrs.get("source_file", "monthly"), annual.attrs.get("source_file", "annual")
        raise FiscalDataError([Problem(
            f"{label_m} + {label_a}", None, "unit", f"monthly {magnitudes.factor_text(offset)} annual",
            "monthly and annual amounts of the same size for the same regions",
            f"One of the tables is in another unit than it states (monthly: {_stated_unit(monthly)}, annual: "
            f"{_stated_unit(annual)}); the monthly YTD, annualised, is {magnitudes.factor_text(offset)} the annual "
            f"budgets and outturns. {unit_advice(_stated_unit(monthly), offset)}")])
    notes += _printed_rates_against_budgets(monthly, annual)
    notes += _monthly_budgets_against_annual(monthly, annual)
    notes += _budgets_equal_to_last_year(annual, "annual table")
    notes += _latest_without_budget(monthly, annual)
    for warning in note_warnings(notes, "the monthly and annual tables"):
        warnings.warn(warning, stacklevel=2)
    return monthly, annual


def _annual_codes_from_names(monthly: pd.DataFrame, annual: pd.DataFrame, notes: list[Problem]) -> pd.DataFrame:
    codes = set(monthly["region_code"])
    by_name = monthly.drop_duplicates("region_code").assign(_key=lambda t: t["region"].map(normalise))
    by_name = by_name.drop_duplicates("_key", keep=False).set_index("_key")["region_code"]
    lacking = ~annual["region_code"].isin(codes)
    matched = annual.loc[lacking, "region"].map(normalise).map(by_name)
    if matched.notna().any():
        annual = annual.copy()
        annual.loc[matched.dropna().index, "region_code"] = matched.dropna()
        pairs = annual.loc[matched.dropna().index].drop_duplicates("region_code")
        notes.append(Problem(annual.attrs.get("source_file", "annual table"), None, "region_code",
                             "; ".join(f"{r} → {c}" for r, c in zip(pairs["region"], pairs["region_code"]))[:200],
                             "the region codes of the monthly table",
                             f"{len(pairs)} region(s) of the annual table matched to the monthly table's codes by name.",
                             "joins"))
    return annual


def _budget_in_force(annual: pd.DataFrame) -> pd.DataFrame:
    return annual.assign(budget_used=annual["adjusted_budget"].combine_first(annual["budget"]))[
        ["region_code", "item", "year", "budget", "adjusted_budget", "budget_used"]].dropna(subset=["budget_used"])


def _printed_rates_against_budgets(monthly: pd.DataFrame, annual: pd.DataFrame) -> list[Problem]:
    """Printed 完成预算(%) that neither the annual budget nor the adjusted budget gives."""
    rated = monthly.dropna(subset=["completion_pct", "ytd"]).assign(year=lambda t: t["period"].dt.year)
    joined = rated.merge(_budget_in_force(annual), on=["region_code", "item", "year"], suffixes=("_m", ""))
    if joined.empty:
        return []
    agrees = pd.Series(False, index=joined.index)
    # The printed rate may be of the annual table's budget or adjusted budget, or of the monthly table's own.
    for column in ("budget", "adjusted_budget", "budget_m", "adjusted_budget_m"):
        if column in joined:
            with np.errstate(divide="ignore", invalid="ignore"):
                rate = joined["ytd"] / joined[column] * 100
            agrees |= ((rate - joined["completion_pct"]).abs() <= np.maximum(
                COMPLETION_TOLERANCE_PP, 0.01 * joined["completion_pct"].abs())).fillna(False)
    off = joined[~agrees]
    off = off.sort_values("period").drop_duplicates(["region_code", "item", "year"])
    return [Problem(monthly.attrs.get("source_file", "monthly table"), None, "completion_pct",
                    f"{r.region} {r.item} {r.period}: {r.completion_pct:g}%",
                    f"a completion rate the annual budget gives ({r.ytd / r.budget_used * 100:.2f}% of "
                    f"{r.budget_used:.6g}亿元)",
                    f"The printed rate implies a budget of {r.ytd / r.completion_pct * 100:.6g}亿元: the annual table "
                    "may hold another year's, or another kind of, budget. The annual budget is used.", "budgets")
            for r in off.itertuples(index=False)]


def _monthly_budgets_against_annual(monthly: pd.DataFrame, annual: pd.DataFrame) -> list[Problem]:
    """年初预算 / 调整预算 columns of the monthly table that differ from the annual table's."""
    notes = []
    for column in ("budget", "adjusted_budget"):
        if column not in monthly:
            continue
        given = monthly.dropna(subset=[column]).assign(year=lambda t: t["period"].dt.year)
        given = given.drop_duplicates(["region_code", "item", "year"])[["region_code", "region", "item", "year", column]]
        joined = given.merge(annual.dropna(subset=[column])[["region_code", "item", "year", column]],
                             on=["region_code", "item", "year"], suffixes=("", "_annual"))
        differ = joined[(joined[column] - joined[f"{column}_annual"]).abs() > 0.005 * joined[f"{column}_annual"].abs()]
        notes += [Problem(monthly.attrs.get("source_file", "monthly table"), None, column,
                          f"{r.region} {r.item} {r.year}: {getattr(r, column):.6g}亿元",
                          f"the annual table's {column} ({getattr(r, column + '_annual'):.6g}亿元)",
                          "The two tables give different budgets; the annual table's is used.", "budgets")
                  for r in differ.itertuples(index=False)]
    notes += _budgets_equal_to_last_year(monthly.assign(year=monthly["period"].dt.year), "monthly table")
    return notes


def _budgets_equal_to_last_year(table: pd.DataFrame, what: str) -> list[Problem]:
    """A budget exactly equal to the same region's budget a year before: a stale or wrong-year figure?"""
    if "budget" not in table:
        return []
    budgets = table.dropna(subset=["budget"]).drop_duplicates(["region_code", "item", "year"])
    budgets = budgets[budgets["budget"] > 0][["region_code", "region", "item", "year", "budget"]]
    before = budgets.assign(year=budgets["year"] + 1)
    joined = budgets.merge(before, on=["region_code", "item", "year"], suffixes=("", "_before"))
    same = joined[(joined["budget"] - joined["budget_before"]).abs() <= 1e-9 * joined["budget"]]
    return [Problem(table.attrs.get("source_file", what), None, "budget",
                    f"{r.region} {r.item} {int(r.year)}: {r.budget:.6g}亿元",
                    f"a budget for {int(r.year)} (it equals {int(r.year) - 1}'s, {r.budget_before:.6g}亿元)",
                    "Check that the budget is this year's and not last year's carried over.", "budgets")
            for r in same.itertuples(index=False)]


def _latest_without_budget(monthly: pd.DataFrame, annual: pd.DataFrame) -> list[Problem]:
    latest = monthly["period"].max()
    here = monthly[(monthly["period"] == latest) & monthly["ytd"].notna()].drop_duplicates(["region_code", "item"])
    budgets = _budget_in_force(annual)
    have = budgets[budgets["year"] == latest.year]
    missing = here.merge(have[["region_code", "item"]], on=["region_code", "item"], how="left", indicator=True)
    # (an item the annual table never budgets is not its gap: outturns-only tables are common)
    missing = missing[(missing["_merge"] == "left_only") & missing["item"].isin(set(budgets["item"]))]
    if missing.empty:
        return []
    names = ", ".join(missing["region"].drop_duplicates().head(6))
    return [Problem(annual.attrs.get("source_file", "annual table"), None, "budget",
                    f"{len(missing)} region × item: {names}",
                    f"a {latest.year} budget for every region of the monthly table",
                    "Their budget comes from the monthly table (年初预算 or the printed 完成预算%), if it gives one; "
                    "see budget_source in the projection.", "joins")]
