"""Readers and writers for the canonical tables (see ``docs/data-format.md``).

The readers accept what analysts have: CSV in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16,
Excel ``.xlsx``, a title line and a ``单位：万元`` line above the header, Chinese headers, the long
layout and the wide layouts bureaus export. They return the canonical long table with every amount
in 亿元, or raise one :class:`~fiscalmon.errors.FiscalDataError` that lists every problem found.

A pandas DataFrame is accepted wherever a path is, and goes through the same checks.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from . import parse, regions, validate
from .errors import FiscalDataError, FiscalDataWarning, Problem
from .canonical import TEXT_COLUMNS, canonical_table
from .errors import Collector, note_warnings
from .grids import excel_sheets, load_grids
from .layout import TableSpec, grid_to_cells, pick_sheet
from .writers import atomic_write, write_table  # noqa: F401 - re-exported
from .schema import (
    ANNUAL_ALIASES,
    ITEMS,
    MONTHLY_ALIASES,
    REGION_ALIASES,
    RISK_ALIASES,
    RISK_AMOUNTS,
)

__all__ = [
    "read_monthly",
    "read_annual",
    "read_regions",
    "read_risk",
    "read_workbook",
    "Workbook",
    "write_table",
    "combine_tables",
]


MONTHLY_COLUMNS = ["region_code", "region", "period", "item", "ytd", "yoy_pct", "yoy_change",
                   "completion_pct", "yoy_pct_min", "budget", "adjusted_budget", "unit", "source_unit"]
ANNUAL_COLUMNS = ["region_code", "region", "year", "item", "budget", "adjusted_budget", "outturn",
                  "unit", "source_unit"]
REGION_COLUMNS = ["region_code", "region", "parent_code", "level", "grade"]
RISK_COLUMNS = ["region_code", "region", "parent_code", "period", "grade", *RISK_AMOUNTS, "unit",
                "source_unit"]

# ---- the table reader --------------------------------------------------------------------------

_MONTHLY = TableSpec("monthly", MONTHLY_ALIASES, ("ytd", "yoy_change", "ytd_prior", "budget", "adjusted_budget"),
                     ("yoy_pct", "completion_pct", "yoy_pct_min"),
                     "region, period, item and an amount or growth (地区, 月份, 项目, 累计, 同比增长)",
                     wide=("item", "month"), default_measure="ytd",
                     measures=("ytd", "yoy_pct", "completion_pct", "yoy_change", "ytd_prior", "budget", "adjusted_budget"),
                     distinctive=("period", "item"))
_ANNUAL = TableSpec("annual", ANNUAL_ALIASES, ("budget", "adjusted_budget", "outturn"), (),
                    "region, year, item and budget or outturn (地区, 年度, 项目, 预算数, 决算数)",
                    wide=("item", "year"), measures=("budget", "adjusted_budget", "outturn"),
                    distinctive=("year", "item"))
_REGIONS = TableSpec("regions", REGION_ALIASES, (), (), "region code, name and level (地区编码, 地区, 级次)",
                     distinctive=("level", "parent_code"))
_RISK = TableSpec("risk", RISK_ALIASES, tuple(RISK_AMOUNTS), (), "region, period and risk indicators (地区, 月份, 月末库款余额 …)",
                  distinctive=("period", "grade"))


def _region_argument(region) -> tuple[str | None, str | None] | None:
    """region= as (code, name): '652300 昌吉州', '652300' or '昌吉州'."""
    if region is None:
        return None
    text = parse.clean_text(region)
    if text is None:
        raise ValueError("region must be a code, a name, or both ('652300 昌吉州'); got an empty value")
    first, _, rest = text.partition(" ")
    if any(ch.isdigit() for ch in first):
        return parse.parse_code(first), parse.clean_text(rest)
    return None, text


def _read_table(source, spec: TableSpec, *, sheet=None, unit=None, year=None, encoding=None,
                region=None, region_table=None, prefecture=None) -> pd.DataFrame:
    region = _region_argument(region)
    if unit is not None:
        try:
            parse.parse_unit(unit)
        except parse.CellError:
            raise ValueError(f"unit must be one of 元, 万元, 亿元 (the unit of the file's amounts); got {unit!r}") from None
    grids = load_grids(source, sheet=sheet, encoding=encoding)
    out = Collector(grids[0].label)
    grid = pick_sheet(grids, spec, out) if len(grids) > 1 else grids[0]
    cells, layout, context = grid_to_cells(grid, spec, out, year=year, region=region)
    table = canonical_table(cells, spec, out, unit_above=context.unit, unit_arg=unit, year=year)
    unreadable = {p.row for p in out.problems}
    directory = region_directory(region_table) if spec.name != "regions" else None
    if "region_code" in table and directory is not None:
        table = regions.resolve(table, directory, out, prefecture=prefecture, title_lines=context.lines)
    if "ytd_prior" in table:
        table = _prior_year_rows(table, cells, out)
    if "region_code" in table:
        checked = Collector(grid.label)
        table = validate.check(table, spec.name, checked, unreadable_rows=unreadable,
                               levels=directory.levels if directory else None)
        _name_columns_as_written(checked, cells, out)
    if table.empty and not out.problems:
        out.error(None, None, None, "at least one row of figures below the header",
                  "The file has a header and no figures: check that this is the right file, or the right "
                  "sheet of a workbook (pass sheet= to choose one).")
    if out.problems:
        raise FiscalDataError(out.problems)
    _emit_warnings(out)
    table = table.drop(columns="_row").reset_index(drop=True)
    table.attrs.update({"source_file": grid.label, "encoding": grid.encoding, "layout": layout})
    return table


def region_directory(region_table=None) -> regions.Directory:
    """The regions fiscalmon knows: the shipped Xinjiang directory, with a user's regions table over it
    (a canonical regions table, or a path read with :func:`read_regions`)."""
    if region_table is None:
        return _shipped_directory()
    if not isinstance(region_table, pd.DataFrame):
        region_table = read_regions(region_table)
    return regions.Directory.of(_shipped_directory().table, region_table)


@functools.lru_cache(maxsize=1)
def _shipped_directory() -> regions.Directory:
    from .datasets import xinjiang_regions  # (datasets reads through this module)

    return regions.Directory.of(xinjiang_regions())


#: The note of a row made from a 上年同期 figure (followed by the month of the row it came from).
PRIOR_YEAR_NOTE = "上年同期 of"


def _prior_year_rows(table: pd.DataFrame, cells: pd.DataFrame, out: Collector) -> pd.DataFrame:
    """Last year's YTD from a 上年同期 column, as rows of last year's same month.

    Where the table has last year's own row too, that row is kept; a 上年同期 figure that differs from
    it (often a comparable-basis 可比口径 figure) is noted.
    """
    given = table[table["ytd_prior"].notna() & table["period"].notna()]
    keys = ["region_code", "period", "item"]
    # Last year's rows carry last year's YTD only: this year's growth, rates and budgets are not theirs.
    derived = given.assign(period=given["period"] - 12, ytd=given["ytd_prior"], yoy_pct=np.nan, yoy_change=np.nan,
                           completion_pct=np.nan, yoy_pct_min=np.nan, budget=np.nan, adjusted_budget=np.nan)
    derived = derived.drop(columns=[c for c in ("revision",) if c in derived])
    derived["note"] = PRIOR_YEAR_NOTE + " " + given["period"].astype(str)
    own = _own_rows(derived, table, keys)
    reported = own["ytd_own"]
    header = cells["_hdr_ytd_prior"].iloc[0] if "_hdr_ytd_prior" in cells and len(cells) else "ytd_prior"
    for index in derived.index[own["differs"]]:
        out.warn(derived.at[index, "_row"], header, validate.as_written(derived.at[index, "ytd"], derived.at[index, "source_unit"]),
                 f"the same as last year's own row for {derived.at[index, 'period']} "
                 f"({validate.as_written(reported[index], derived.at[index, 'source_unit'])})",
                 "Kept last year's own row; 上年同期 is often on a comparable basis (可比口径).")
    return pd.concat([table, derived[reported.isna()]], ignore_index=True).drop(columns="ytd_prior")


def _own_rows(derived: pd.DataFrame, rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """For each row made from a 上年同期 figure: last year's own row among ``rows`` (its columns with
    ``_own`` appended, NaN where there is none) and whether its YTD differs from the 上年同期 figure."""
    own = rows.dropna(subset=["ytd"]).drop_duplicates(keys).set_index(keys)
    own = own[[c for c in ("ytd", "_file") if c in own]].add_suffix("_own")
    found = derived[keys + ["ytd"]].join(own, on=keys)
    found["differs"] = found["ytd_own"].notna() & (
        (found["ytd_own"] - found["ytd"]).abs() > 1e-9 * found["ytd_own"].abs().clip(lower=1))
    return found


def _name_columns_as_written(checked: Collector, cells: pd.DataFrame, out: Collector) -> None:
    """Move the table-level checks' problems to ``out``, naming each column by its header in the file
    (库款余额 rather than treasury_balance) where one header held that field."""
    written = {}
    for column in cells.columns:
        if column.startswith("_hdr_"):
            headers = cells[column].dropna().unique()
            if len(headers) == 1:
                written[column.removeprefix("_hdr_")] = str(headers[0])
    for problems, into in ((checked.problems, out.problems), (checked.warnings, out.warnings)):
        into.extend(replace(p, column=written.get(p.column, p.column)) for p in problems)


def _emit_warnings(out: Collector) -> None:
    for warning in note_warnings(out.warnings, out.label):
        warnings.warn(warning, stacklevel=4)


# ---- public readers ----------------------------------------------------------------------------

def read_monthly(source, *, sheet: str | int | None = None, unit: str | None = None,
                 year: int | None = None, encoding: str | None = None, region: str | None = None,
                 region_table=None, prefecture: str | None = None) -> pd.DataFrame:
    """Read a monthly year-to-date table into the canonical long form, amounts in 亿元.

    Parameters
    ----------
    source : path or DataFrame
        CSV (UTF-8, UTF-8 BOM, GBK/GB18030, UTF-16) or ``.xlsx``; long layout, one column per month,
        or one column per item; English or Chinese headers (docs/data-format.md).
    sheet : str or int, optional
        Worksheet of an Excel file (default: the first, unless another sheet's header names more of
        this table's columns: then that one, with a warning).
    unit : {'元', '万元', '亿元'}, optional
        Unit of the amounts when the file does not state it. A file that states a different unit is
        an error, not overridden.
    year : int, optional
        Year for periods written without one (``1-6月``).
    encoding : str, optional
        Force a text encoding instead of detecting it.
    region : str, optional
        The region of a one-region table without a region column, as ``'652300 昌吉州'``, a code or a
        name (a bureau's own 收支情况表). A table with no period column takes the period its title line
        names (``昌吉州2023年1-6月…``), with a warning.
    region_table : DataFrame or path, optional
        Regions (codes, names, parents, levels, aliases) over the shipped Xinjiang directory; names
        without codes are matched through them (木垒县 → 652328).
    prefecture : str, optional
        The code of the area a 合计/全州 row totals (its 州本级 row is ``<code>-bj``), when the title
        does not name it.

    Returns
    -------
    DataFrame
        Columns ``region_code, region, period (Period[M]), item, ytd, yoy_pct, yoy_change,
        completion_pct, yoy_pct_min, unit ('亿元'), source_unit`` and any of ``revision, source, note``.
        ``attrs`` holds ``source_file``, ``encoding`` and ``layout``.

    Raises
    ------
    FiscalDataError
        Listing every problem found (file, row, column, value, what was expected, what to do).

    Examples
    --------
    >>> import pandas as pd, fiscalmon
    >>> raw = pd.DataFrame({"地区": ["昌吉回族自治州"], "地区编码": ["652300"], "月份": ["2023年1-6月"],
    ...                     "项目": ["一般公共预算收入"], "累计(万元)": [1189100], "同比增长(%)": [0.45]})
    >>> fiscalmon.read_monthly(raw)[["region_code", "period", "item", "ytd", "yoy_pct"]]
      region_code   period         item    ytd  yoy_pct
    0      652300  2023-06  gpb_revenue  118.91     0.45
    """
    table = _read_table(source, _MONTHLY, sheet=sheet, unit=unit, year=year, encoding=encoding, region=region,
                        region_table=region_table, prefecture=prefecture)
    return _ordered(table, MONTHLY_COLUMNS, ["region_code", "item", "period"])


def read_annual(source, *, sheet: str | int | None = None, unit: str | None = None,
                encoding: str | None = None, region: str | None = None, region_table=None,
                prefecture: str | None = None) -> pd.DataFrame:
    """Read an annual table (budget 年初预算, adjusted_budget 调整预算, outturn 决算) in 亿元.

    Parameters are as for :func:`read_monthly`. A table whose columns are items
    (``地区 | 一般公共预算收入 | 税收收入``) takes the year and the figure from its title
    (``昌吉州2024年各县市一般公共预算收入预算表``), or from a header row above the items.

    Returns
    -------
    DataFrame
        ``region_code, region, year, item, budget, adjusted_budget, outturn, unit ('亿元'), source_unit``.

    Examples
    --------
    >>> import pandas as pd, fiscalmon
    >>> raw = pd.DataFrame({"地区": ["昌吉市"], "年度": [2023], "项目": ["一般公共预算收入"],
    ...                     "预算数": [251000], "单位": ["万元"]})
    >>> fiscalmon.read_annual(raw)[["region", "year", "item", "budget"]]
      region  year         item  budget
    0    昌吉市  2023  gpb_revenue    25.1
    """
    table = _read_table(source, _ANNUAL, sheet=sheet, unit=unit, encoding=encoding, region=region,
                        region_table=region_table, prefecture=prefecture)
    return _ordered(table, ANNUAL_COLUMNS, ["region_code", "item", "year"])


def read_regions(source, *, sheet: str | int | None = None, encoding: str | None = None) -> pd.DataFrame:
    """Read a region list: code, name, parent, level and the officially assigned risk grade.

    Examples
    --------
    >>> import pandas as pd, fiscalmon
    >>> raw = pd.DataFrame({"地区编码": ["652328"], "地区": ["木垒哈萨克自治县"], "上级编码": ["652300"],
    ...                     "级次": ["县"], "风险等级": ["橙"]})
    >>> fiscalmon.read_regions(raw).iloc[0].to_dict()
    {'region_code': '652328', 'region': '木垒哈萨克自治县', 'parent_code': '652300', 'level': 'county', 'grade': 'orange'}
    """
    table = _read_table(source, _REGIONS, sheet=sheet, encoding=encoding)
    return _ordered(table, REGION_COLUMNS, ["region_code"])


def read_risk(source, *, sheet: str | int | None = None, unit: str | None = None,
              encoding: str | None = None, region: str | None = None, region_table=None,
              prefecture: str | None = None) -> pd.DataFrame:
    """Read the county risk table (one row per county × month), amounts in 亿元.

    Every indicator column is optional; a missing one stays empty (NaN), never zero. Parameters are
    as for :func:`read_monthly`.

    Examples
    --------
    >>> import pandas as pd, fiscalmon
    >>> raw = pd.DataFrame({"地区": ["木垒哈萨克自治县"], "月份": ["2023-06"], "月末库款余额": [3200],
    ...                     "当月库款流出": [10000], "单位": ["万元"]})
    >>> fiscalmon.read_risk(raw)[["region", "period", "treasury_balance", "treasury_outflow"]]
           region   period  treasury_balance  treasury_outflow
    0  木垒哈萨克自治县  2023-06              0.32               1.0
    """
    table = _read_table(source, _RISK, sheet=sheet, unit=unit, encoding=encoding, region=region,
                        region_table=region_table, prefecture=prefecture)
    return _ordered(table, RISK_COLUMNS, ["region_code", "period"])


def _ordered(table: pd.DataFrame, columns: list[str], sort: list[str]) -> pd.DataFrame:
    extra = [c for c in TEXT_COLUMNS if c in table.columns]
    present = [c for c in columns if c in table.columns]
    attrs = dict(table.attrs)
    result = table[present + extra].sort_values(sort, kind="stable").reset_index(drop=True)
    result.attrs.update(attrs)
    return result


@dataclass
class Workbook:
    """The tables of one workbook; a table the workbook lacks is ``None``."""

    monthly: pd.DataFrame | None = None
    annual: pd.DataFrame | None = None
    regions: pd.DataFrame | None = None
    risk: pd.DataFrame | None = None


#: Sheet names recognised by :func:`read_workbook`, per table.
SHEET_NAMES = {
    "monthly": ("monthly", "月度", "月报", "月度数据", "收支月报"),
    "annual": ("annual", "年度", "年报", "预算", "年度数据", "预决算"),
    "regions": ("regions", "地区", "区划", "地区列表"),
    "risk": ("risk", "风险", "运行监测", "风险监测"),
}
_READERS = {"monthly": read_monthly, "annual": read_annual, "regions": read_regions, "risk": read_risk}


def read_workbook(path, *, unit: str | None = None) -> Workbook:
    """Read every recognised sheet of a workbook (monthly/月度, annual/年度, regions/地区, risk/风险).

    Problems in all sheets are reported together in one :class:`FiscalDataError`.

    Examples
    --------
    >>> book = read_workbook("bureau.xlsx")  # doctest: +SKIP
    >>> book.monthly.head()                  # doctest: +SKIP
    """
    path = Path(path)
    sheets = excel_sheets(path)
    found: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for table, names in SHEET_NAMES.items():
        name = next((s for s in sheets if s.strip().lower() in names), None)
        if name is None:
            continue
        kwargs = {"sheet": name} if table == "regions" else {"sheet": name, "unit": unit}
        try:
            found[table] = _READERS[table](path, **kwargs)
        except FiscalDataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise FiscalDataError(problems)
    if not found:
        raise FiscalDataError([Problem(path.name, None, None, list(sheets),
                                       "a sheet named monthly/月度, annual/年度, regions/地区 or risk/风险",
                                       "Rename the sheets, or read one sheet with read_monthly(path, sheet=…).")])
    return Workbook(**found)


_KEYS = {"monthly": ["region_code", "period", "item"], "annual": ["region_code", "year", "item"],
         "regions": ["region_code"], "risk": ["region_code", "period"]}


def combine_tables(tables: list[pd.DataFrame], kind: str = "monthly") -> pd.DataFrame:
    """Canonical tables of one kind read from several files (one file a month, say) as one table.

    A figure present in two files (the same region × period × item) is an error naming both files,
    never a silent choice between them.

    Examples
    --------
    >>> monthly = combine_tables([read_monthly("2023年5月.xlsx"), read_monthly("2023年6月.xlsx")])  # doctest: +SKIP
    """
    if kind not in _KEYS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, _KEYS))}; got {kind!r}")
    keys = _KEYS[kind]
    labelled = [t.assign(_file=t.attrs.get("source_file", f"table {k + 1}"), _table=k) for k, t in enumerate(tables)]
    both = pd.concat(labelled, ignore_index=True)
    if kind == "monthly":
        both = _own_rows_over_prior_year_figures(both, keys)
    repeated = both[both.duplicated(keys, keep=False)]
    problems = []
    for key, group in repeated.groupby(keys, sort=False):
        files = [group.loc[group["_table"] == k, "_file"].iloc[0] for k in group["_table"].unique()]
        if len(files) > 1:  # (duplicates within one file were reported by its reader)
            where = " and ".join(files) if len(set(files)) == len(files) else f"{files[0]}, given twice"
            problems.append(Problem(" + ".join(dict.fromkeys(files)), None, " × ".join(keys),
                                    " × ".join(map(str, key)), f"each figure in one file only (it is in {where})",
                                    "Remove it from all files but one."))
    if kind == "monthly":
        problems += _falls_between_files(both)
    if problems:
        raise FiscalDataError(problems)
    columns = [c for c in tables[0].columns if c not in TEXT_COLUMNS]
    combined = _ordered(both.drop(columns=["_file", "_table"]), columns, keys)
    combined.attrs = {"source_file": ", ".join(str(t.attrs.get("source_file")) for t in tables),
                      "encoding": ", ".join(sorted({str(t.attrs.get("encoding")) for t in tables})),
                      "layout": ", ".join(sorted({str(t.attrs.get("layout")) for t in tables}))}
    return combined


def _own_rows_over_prior_year_figures(both: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Last year's own row (last year's file) wins over the row this year's 上年同期 column made of it;
    a figure that differs (a 可比口径 basis, often) is noted."""
    derived = both["note"].fillna("").str.startswith(PRIOR_YEAR_NOTE) if "note" in both else pd.Series(False, index=both.index)
    own = _own_rows(both[derived], both[~derived], keys)
    matched = own[own["ytd_own"].notna()]
    differs = both.loc[matched.index[matched["differs"]]].join(matched[["ytd_own", "_file_own"]])
    if len(differs):
        lines = "\n".join(f"  - {row['region']} {row['item']} {row['period']}: {row['ytd']:.6g}亿元 as 上年同期 in "
                          f"{row['_file']}, {row['ytd_own']:.6g}亿元 in {row['_file_own']} (kept)"
                          for _, row in differs.iterrows())
        warnings.warn(FiscalDataWarning(f"上年同期 figures that differ from last year's own rows (可比口径?):\n{lines}"),
                      stacklevel=3)
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
                    f"{row['region']} {row['item']}: {validate.as_written(previous.at[i, 'ytd'], row['source_unit'])} at "
                    f"{previous.at[i, 'period']} ({previous.at[i, '_file']}) falls to "
                    f"{validate.as_written(row['ytd'], row['source_unit'])} at {row['period']} ({row['_file']})",
                    "a YTD amount that does not fall within a year",
                    "Check both files: one of them may hold a single month (当月) instead of year to date, or a revision.")
            for i, row in falls.iterrows()]
