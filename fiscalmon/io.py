"""Readers and writers for the canonical tables (see ``docs/data-format.md``).

The readers accept what analysts have: CSV in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16,
Excel ``.xlsx``, a title line and a ``单位：万元`` line above the header, Chinese headers, the long
layout and the wide layouts bureaus export. They return the canonical long table with every amount
in 亿元, or raise one :class:`~fiscalmon.errors.FiscalDataError` that lists every problem found.

A pandas DataFrame is accepted wherever a path is, and goes through the same checks.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from . import parse, validate
from .errors import FiscalDataError, FiscalDataWarning, Problem
from .layout import Collector, TableSpec, excel_sheets, grid_to_cells, load_grids, pick_sheet, present
from .schema import (
    ANNUAL_ALIASES,
    CANONICAL_UNIT,
    MONTHLY_ALIASES,
    REGION_ALIASES,
    RISK_ALIASES,
    RISK_AMOUNTS,
    UNITS_PER_100M_YUAN,
)

__all__ = [
    "read_monthly",
    "read_annual",
    "read_regions",
    "read_risk",
    "read_workbook",
    "Workbook",
    "write_table",
]


MONTHLY_COLUMNS = ["region_code", "region", "period", "item", "ytd", "yoy_pct", "yoy_change",
                   "completion_pct", "yoy_pct_min", "unit", "source_unit"]
ANNUAL_COLUMNS = ["region_code", "region", "year", "item", "budget", "adjusted_budget", "outturn",
                  "unit", "source_unit"]
REGION_COLUMNS = ["region_code", "region", "parent_code", "level", "grade"]
RISK_COLUMNS = ["region_code", "region", "parent_code", "period", "grade", *RISK_AMOUNTS, "unit",
                "source_unit"]
TEXT_COLUMNS = ["revision", "source", "note"]

# ---- cell parsing into canonical columns -------------------------------------------------------


def _parse_cells(raw: pd.Series, parser: Callable[[object], object], headers: pd.Series,
                 rows: pd.Series, out: Collector) -> pd.Series:
    """Parse every cell of a column, each distinct value once; failures become located problems.

    Empty cells are passed to the parser once, as ``None``.
    """
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=True)
    parsed = np.empty(len(uniques) + 1, dtype=object)  # the last slot is for empty cells (code -1)
    for position, value in enumerate([*uniques, None]):
        try:
            parsed[position] = parser(value)
        except parse.CellError as exc:
            chosen = codes == (position if position < len(uniques) else -1)
            for row, header in zip(rows[chosen], headers[chosen]):
                out.error(row, header, value, exc.expected, exc.action)
    return pd.Series(parsed[codes], index=raw.index, dtype=object)


def _number_column(raw: pd.Series, headers, rows, out, *, percent=False) -> pd.Series:
    """Numbers from a column: plain numbers in bulk, anything else (1,234 / 4.1% / —) cell by cell."""
    numbers = pd.to_numeric(raw, errors="coerce").astype(float)
    redo = numbers.isna() | np.isinf(numbers)
    if redo.any():
        parsed = _parse_cells(raw[redo], lambda v: parse.parse_number(v, percent=percent), headers[redo], rows[redo], out)
        numbers[redo] = parsed.astype(float)
    return numbers


# ---- the table reader --------------------------------------------------------------------------

_MONTHLY = TableSpec("monthly", MONTHLY_ALIASES, ("ytd", "yoy_change"), ("yoy_pct", "completion_pct", "yoy_pct_min"),
                     "region, period, item and an amount or growth (地区, 月份, 项目, 累计, 同比增长)", wide=True,
                     distinctive=("period", "item"))
_ANNUAL = TableSpec("annual", ANNUAL_ALIASES, ("budget", "adjusted_budget", "outturn"), (),
                     "region, year, item and budget or outturn (地区, 年度, 项目, 预算数, 决算数)",
                    distinctive=("year", "item"))
_REGIONS = TableSpec("regions", REGION_ALIASES, (), (), "region code, name and level (地区编码, 地区, 级次)",
                     distinctive=("level", "parent_code"))
_RISK = TableSpec("risk", RISK_ALIASES, tuple(RISK_AMOUNTS), (), "region, period and risk indicators (地区, 月份, 月末库款余额 …)",
                  distinctive=("period", "grade"))


def _resolve_units(cells: pd.DataFrame, spec: TableSpec, out: Collector, *, unit_above, unit_arg) -> pd.Series:
    """The unit of each row's amounts, from the unit column, the headers, a 单位 line, or unit=.

    Every source that states a unit must agree with the others; a row with an amount and no unit
    from any source is an error.
    """
    rows = cells["_row"]
    empty = pd.Series([None] * len(cells), index=cells.index, dtype=object)
    sources: list[tuple[pd.Series, pd.Series]] = []  # (unit per row, who states it per row)
    unreadable = pd.Series(False, index=cells.index)
    if "unit" in cells:
        units = _parse_cells(cells["unit"], parse.parse_unit, cells["_hdr_unit"], rows, out)
        unreadable = units.isna() & present(cells["unit"])  # already reported as a bad unit
        sources.append((units, "the unit column '" + cells["_hdr_unit"].astype(str) + "'"))
    for name in spec.amounts:
        if f"_hunit_{name}" in cells:
            units = cells[f"_hunit_{name}"].where(cells[f"_hunit_{name}"].notna(), None)
            sources.append((units, "the header '" + cells[f"_hdr_{name}"].astype(str) + "'"))
    if unit_above:
        sources.append((empty.fillna(unit_above), empty.fillna("the line '单位：…' above the header")))
    if unit_arg:
        sources.append((empty.fillna(parse.parse_unit(unit_arg)), empty.fillna("unit=")))
    resolved, stated_by = empty.copy(), empty.copy()
    for units, label in sources:
        clash = resolved.notna() & units.notna() & (resolved != units)
        for row, first, by, second, by_second in zip(rows[clash], resolved[clash], stated_by[clash],
                                                     units[clash], label[clash]):
            out.error(row, "unit", f"{first} / {second}", "one unit for the amounts of a row",
                      f"Make them agree: {by} says {first} but {by_second} says {second}.")
        take = resolved.isna() & units.notna()
        resolved[take] = units[take]
        stated_by[take] = label[take]
    has_amount = pd.Series(False, index=cells.index)
    amount_header = pd.Series("unit", index=cells.index, dtype=object)
    for name in spec.amounts:
        if name in cells:
            filled = present(cells[name])
            amount_header[filled & ~has_amount] = cells.loc[filled & ~has_amount, f"_hdr_{name}"]
            has_amount |= filled
    missing = has_amount & resolved.isna() & ~unreadable
    for row, header in zip(rows[missing], amount_header[missing]):
        out.error(row, header, None, "a unit (元, 万元 or 亿元) for this amount",
                  "Add a 单位 column, put the unit in the header as 累计(万元), add a line 单位：万元 above the "
                  "header, or pass unit=. fiscalmon never assumes a unit.")
    return resolved


def _read_table(source, spec: TableSpec, *, sheet=None, unit=None, year=None, encoding=None) -> pd.DataFrame:
    if unit is not None:
        try:
            parse.parse_unit(unit)
        except parse.CellError:
            raise ValueError(f"unit must be one of 元, 万元, 亿元 (the unit of the file's amounts); got {unit!r}") from None
    grids = load_grids(source, sheet=sheet, encoding=encoding)
    out = Collector(grids[0].label)
    grid = pick_sheet(grids, spec, out) if len(grids) > 1 else grids[0]
    cells, layout, unit_above = grid_to_cells(grid, spec, out, year=year)
    table = _canonical(cells, spec, out, unit_above=unit_above, unit_arg=unit, year=year)
    if "region_code" in table:
        checked = Collector(grid.label)
        table = validate.check(table, spec.name, checked)
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
    if out.warnings:
        lines = "\n".join(f"  - {w}" for w in out.warnings)
        warnings.warn(FiscalDataWarning(f"{len(out.warnings)} note(s) on {out.label}:\n{lines}"), stacklevel=4)


def _canonical(cells: pd.DataFrame, spec: TableSpec, out: Collector, *, unit_above, unit_arg, year) -> pd.DataFrame:
    rows = cells["_row"]

    def column(name: str, parser, *, fill=None) -> pd.Series:
        if name not in cells:
            return pd.Series([fill] * len(cells), index=cells.index, dtype=object)
        return _parse_cells(cells[name], parser, cells[f"_hdr_{name}"], rows, out)

    table = pd.DataFrame({"_row": rows})
    if "region_code" in cells or "region" in cells:
        table["region_code"] = column("region_code", parse.parse_code)
        table["region"] = column("region", parse.clean_text)
    else:
        out.error(None, None, None, "a region column (region_code/地区编码 or region/地区)",
                  "Add a column naming the region of each row.")
        return table

    if spec in (_MONTHLY, _RISK):
        years = column("year", parse.parse_year) if "year" in cells else None
        table["period"] = _periods(cells, years, out, year_arg=year)
    if spec is _ANNUAL:
        if "year" not in cells:
            out.error(None, None, None, "a year column (year/年度)", "Add the fiscal year of each row.")
        table["year"] = column("year", parse.parse_year).astype("Int64")
    if spec in (_MONTHLY, _ANNUAL):
        if "item" not in cells:
            out.error(None, None, None, "an item column (item/项目)", "Add the item of each row.")
            return table
        items = _parse_cells(cells["item"], parse.parse_item, cells["_hdr_item"], rows, out)
        table["item"] = items.map(lambda pair: pair[0] if pair else None)
        unknown = sorted({pair[0] for pair in items if pair and not pair[1]})
        if unknown:
            out.warn(None, cells["_hdr_item"].iloc[0], ", ".join(unknown), "item keys or names from fiscalmon.schema.ITEMS",
                     "These items are kept as written; rename them if they are one of the registry's items.")
    if spec is _REGIONS:
        table["parent_code"] = column("parent_code", parse.parse_code)
        table["level"] = column("level", parse.parse_level)
    if spec in (_REGIONS, _RISK):
        table["grade"] = column("grade", parse.parse_grade)
    if spec is _RISK:
        table["parent_code"] = column("parent_code", parse.parse_code)

    for name in spec.percents:
        if name in cells:
            table[name] = _number_column(cells[name], cells[f"_hdr_{name}"], rows, out, percent=True)
        else:
            table[name] = np.nan
    if spec.amounts:
        units = _resolve_units(cells, spec, out, unit_above=unit_above, unit_arg=unit_arg)
        divisor = units.map(lambda u: UNITS_PER_100M_YUAN.get(u, np.nan)).astype(float)
        for name in spec.amounts:
            if name in cells:
                table[name] = _number_column(cells[name], cells[f"_hdr_{name}"], rows, out) / divisor
            else:
                table[name] = np.nan
        table["unit"] = CANONICAL_UNIT
        # A table fiscalmon wrote earlier says where its amounts came from: keep that.
        table["source_unit"] = column("source_unit", parse.parse_unit).combine_first(units)
    for name in TEXT_COLUMNS:
        if name in cells:
            table[name] = column(name, parse.clean_text)
    return table


def _periods(cells: pd.DataFrame, years: pd.Series | None, out: Collector, *, year_arg) -> pd.Series:
    rows = cells["_row"]
    if "period" not in cells:
        out.error(None, None, None, "a period column (period/月份)", "Add the month each figure runs to.")
        return pd.Series(pd.NaT, index=cells.index)
    specs = _parse_cells(cells["period"], lambda v: v if isinstance(v, tuple) or v is None else parse.parse_month_spec(v),
                         cells["_hdr_period"], rows, out)
    parsed = specs.notna()
    spec_year = pd.Series([s[0] if s else None for s in specs], index=cells.index, dtype="Float64")
    month = pd.Series([s[1] if s else None for s in specs], index=cells.index, dtype="Float64")
    year = spec_year
    if years is not None:
        year = year.fillna(pd.Series(years, index=cells.index, dtype="Float64"))
    if year_arg is not None:
        year = year.fillna(float(year_arg))
    for position in np.flatnonzero(parsed & year.isna()):
        out.error(rows.iloc[position], cells["_hdr_period"].iloc[position], cells["period"].iloc[position],
                  "a period with its year", "Write the period as YYYY-MM, add a 年度 column, or pass year=.")
    known = (parsed & year.notna()).to_numpy()
    result = pd.Series(pd.PeriodIndex([pd.NaT] * len(cells), freq="M"), index=cells.index)
    if known.any():
        result[known] = pd.PeriodIndex.from_fields(year=year[known].astype(int).to_numpy(),
                                                   month=month[known].astype(int).to_numpy(), freq="M")
    return result


# ---- public readers ----------------------------------------------------------------------------

def read_monthly(source, *, sheet: str | int | None = None, unit: str | None = None,
                 year: int | None = None, encoding: str | None = None) -> pd.DataFrame:
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
    table = _read_table(source, _MONTHLY, sheet=sheet, unit=unit, year=year, encoding=encoding)
    return _ordered(table, MONTHLY_COLUMNS, ["region_code", "item", "period"])


def read_annual(source, *, sheet: str | int | None = None, unit: str | None = None,
                encoding: str | None = None) -> pd.DataFrame:
    """Read an annual table (budget 年初预算, adjusted_budget 调整预算, outturn 决算) in 亿元.

    Parameters are as for :func:`read_monthly`.

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
    table = _read_table(source, _ANNUAL, sheet=sheet, unit=unit, encoding=encoding)
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
              encoding: str | None = None) -> pd.DataFrame:
    """Read the county risk table (one row per county × month), amounts in 亿元.

    Every indicator column is optional; a missing one stays empty (NaN), never zero.

    Examples
    --------
    >>> import pandas as pd, fiscalmon
    >>> raw = pd.DataFrame({"地区": ["木垒哈萨克自治县"], "月份": ["2023-06"], "月末库款余额": [3200],
    ...                     "当月库款流出": [10000], "单位": ["万元"]})
    >>> fiscalmon.read_risk(raw)[["region", "period", "treasury_balance", "treasury_outflow"]]
           region   period  treasury_balance  treasury_outflow
    0  木垒哈萨克自治县  2023-06              0.32               1.0
    """
    table = _read_table(source, _RISK, sheet=sheet, unit=unit, encoding=encoding)
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


# ---- writers -----------------------------------------------------------------------------------

def write_table(table: pd.DataFrame, path, *, encoding: str = "utf-8") -> Path:
    """Write a table to CSV or ``.xlsx`` atomically: the file appears whole or not at all.

    Periods are written as ``YYYY-MM``. ``encoding='gbk'`` writes a CSV for older Excel versions.

    Examples
    --------
    >>> write_table(fiscalmon.datasets.changji_monthly(), "changji.csv")  # doctest: +SKIP
    """
    path = Path(path)
    out = table.copy()
    for name in out.columns:
        if isinstance(out[name].dtype, pd.PeriodDtype):
            out[name] = out[name].astype(str)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"path must end in .csv or .xlsx; got {path.name!r}")

    def write(target: Path) -> None:
        if suffix == ".csv":
            out.to_csv(target, index=False, encoding=encoding)
        else:
            out.to_excel(target, index=False, engine="openpyxl")

    return atomic_write(path, write)


def atomic_write(path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path`` and rename it into place on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; give it a normal file's permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
