"""From a grid's raw cells to a canonical table: every cell parsed, every amount in 亿元.

:mod:`fiscalmon.layout` finds the header and lays the cells out long, one canonical column per field,
with each cell's row number and header as written; this module turns those cells into typed columns
(ids, periods, items, percentages, amounts divided by their unit) and reports each cell it cannot read
on the reader's :class:`~fiscalmon.layout.Collector`. Table-level checks follow in :mod:`fiscalmon.validate`.
"""

from __future__ import annotations

import re
from typing import Callable

import numpy as np
import pandas as pd

from . import parse
from .errors import Collector
from .layout import TableSpec
from .parse import present
from .schema import CANONICAL_UNIT, UNITS_PER_100M_YUAN

#: A number written plainly: ASCII digits, an optional sign and decimal point, nothing else.
_PLAIN_DECIMAL = r"[+-]?[0-9]+(?:\.[0-9]+)?"

#: Free-text columns kept as written.
TEXT_COLUMNS = ["revision", "source", "note"]


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
    raw = raw.astype(object)  # (pandas may have inferred dates from date cells: each cell is judged as written)
    plain = raw.map(lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)))
    numbers = pd.to_numeric(raw.where(plain), errors="coerce").astype(float)
    # A CSV's cells are text: those written as plain decimals (12, -3.5) are read in bulk too, exactly as
    # the cell parser reads them (float of the text).
    text = raw[raw.map(lambda v: type(v) is str)]
    decimal = text[text.str.fullmatch(_PLAIN_DECIMAL)]
    numbers[decimal.index] = pd.to_numeric(decimal).astype(float)
    # Text, TRUE/FALSE, dates and uncalculated formulas go through the cell parser, which explains them.
    redo = numbers.isna() | np.isinf(numbers)
    if redo.any():
        parsed = _parse_cells(raw[redo], lambda v: parse.parse_number(v, percent=percent), headers[redo], rows[redo], out)
        numbers[redo] = parsed.astype(float)
    return numbers


def _resolve_units(cells: pd.DataFrame, spec: TableSpec, out: Collector, *, unit_above, unit_arg) -> pd.Series:
    """The unit of each row's amounts, from the unit column, the headers, a 单位 line, or unit=.

    Every source in the file that states a unit must agree with the others; a row with an amount
    and no unit from any source is an error. ``unit=`` is the analyst's word on a file whose own
    statement is wrong (amounts in 元 under 单位：万元): it wins, with a note quoting what the file
    says, unless the file states several units (then it is an error: which rows would it mean?).
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
    if unit_arg:
        resolved = _unit_argument_over(resolved, stated_by, parse.parse_unit(unit_arg), out)
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


def _unit_argument_over(resolved: pd.Series, stated_by: pd.Series, unit: str, out: Collector) -> pd.Series:
    stated = sorted(set(resolved.dropna()))
    if len(stated) > 1:
        out.error(None, "unit", " / ".join(stated), "one unit in the file when unit= (--unit) is given",
                  f"The file states {' and '.join(stated)} for different rows; unit={unit} would replace all of them. "
                  "Correct the rows that are wrong in the file instead.")
    elif stated and stated[0] != unit:
        out.warn(None, "unit", stated[0], f"the unit unit= gives ({unit})",
                 f"{stated_by.dropna().iloc[0]} says {stated[0]}; every amount was read in {unit}, as unit= "
                 "(--unit) says.", kind="units")
    return pd.Series(unit, index=resolved.index, dtype=object)


def canonical_table(cells: pd.DataFrame, spec: TableSpec, out: Collector, *, unit_above, unit_arg, year) -> pd.DataFrame:
    """The canonical table of one kind from a grid's raw cells (:func:`fiscalmon.layout.grid_to_cells`):
    ids, periods or years, items, percentages, and amounts converted to 亿元 by each row's unit.

    Cells that cannot be read are left empty and reported on ``out`` with their row and header.
    """
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
                  "Add a column naming the region of each row, or, for a one-region table, say which region "
                  "it is: region='652300 昌吉州' (command line: --file-region '652300 昌吉州').")
        return table

    if spec.name == "risk" and "period" in cells:  # treasury cash is monitored by 旬: 2024年6月中旬
        split = cells["period"].map(parse.split_ten_day)
        cells = cells.assign(period=split.map(lambda pair: pair[0]))
        table["ten_day"] = pd.array([pair[1] for pair in split], dtype="Int64")
    if spec.name in ("monthly", "risk", "special", "cash_plan"):
        years = column("year", parse.parse_year) if "year" in cells else None
        table["period"] = _periods(cells, years, out, year_arg=year)
    if spec.name == "cash_plan":
        table["flow"] = column("flow", parse.parse_flow)
    if spec.name == "annual":
        if "year" not in cells:
            out.error(None, None, None, "a year column (year/年度)", "Add the fiscal year of each row.")
        table["year"] = column("year", parse.parse_year).astype("Int64")
        table["adjusted_budget_date"] = _months_of(column("adjusted_budget_date", _approval_month))
    if spec.name in ("monthly", "annual", "special"):
        if "item" not in cells:
            out.error(None, None, None, "an item column (item/项目)", "Add the item of each row.")
            return table
        items = _parse_cells(cells["item"], parse.parse_item, cells["_hdr_item"], rows, out)
        table["item"] = items.map(lambda pair: pair[0] if pair else None)
        unknown = sorted({pair[0] for pair in items if pair and not pair[1]})
        if unknown:
            out.warn(None, cells["_hdr_item"].iloc[0], ", ".join(unknown), "item keys or names from fiscalmon.schema.ITEMS",
                     "These items are kept as written; rename them if they are one of the registry's items.", kind="items")
    if spec.name == "regions":
        table["parent_code"] = column("parent_code", parse.parse_code)
        table["level"] = column("level", parse.parse_level)
        if "aliases" in cells:  # other names of the region (木垒县), separated by 、 or ,
            table["aliases"] = column("aliases", parse.clean_text)
    if spec.name in ("regions", "risk"):
        table["grade"] = column("grade", parse.parse_grade)
    if spec.name == "risk":
        table["parent_code"] = column("parent_code", parse.parse_code)
    if spec.name == "special":
        table["label"] = column("label", parse.clean_text)

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


def _approval_month(value: object):
    """The month a date (2023-07-28, 2023年7月28日) falls in; ``None`` for an empty cell."""
    if parse.clean_text(value) is None:
        return None
    if isinstance(value, str):
        value = re.sub(r"(\d{4})年(\d{1,2})月(\d{1,2})日?", r"\1-\2-\3", parse.clean_text(value))
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        year, month = parse.parse_month_spec(value)
        if year is None:
            raise parse.CellError("a date such as 2023-07-28", "Write the day the adjusted budget was approved.") from None
        return year, month
    if pd.isna(stamp):
        return None
    return stamp.year, stamp.month


def _months_of(pairs: pd.Series) -> pd.Series:
    known = pairs.notna()
    result = pd.Series(pd.PeriodIndex([pd.NaT] * len(pairs), freq="M"), index=pairs.index)
    if known.any():
        result[known] = pd.PeriodIndex.from_fields(year=[p[0] for p in pairs[known]], month=[p[1] for p in pairs[known]],
                                                   freq="M")
    return result


def _periods(cells: pd.DataFrame, years: pd.Series | None, out: Collector, *, year_arg) -> pd.Series:
    rows = cells["_row"]
    if "period" not in cells:
        out.error(None, None, None, "a period column (period/月份)", "Add the month each figure runs to.")
        return pd.Series(pd.PeriodIndex([pd.NaT] * len(cells), freq="M"), index=cells.index)
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


def ordered(table: pd.DataFrame, columns: list[str], sort: list[str]) -> pd.DataFrame:
    """The table with ``columns`` (those present) then the text columns, sorted by ``sort``; attrs kept."""
    extra = [c for c in TEXT_COLUMNS if c in table.columns]
    present = [c for c in columns if c in table.columns]
    attrs = dict(table.attrs)
    result = table[present + extra].sort_values(sort, kind="stable").reset_index(drop=True)
    result.attrs.update(attrs)
    return result
