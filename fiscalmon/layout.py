"""Where a table sits in a grid and how it is laid out.

The header is found below any title, 填报单位 and ``单位：万元`` lines: one row, or two when a group
(an item, a month, 库款情况) spans the columns under it (merged cells). Note and signature lines
under the table (``注：…``, ``制表：… 审核：…``) are skipped. The long layout and the wide ones (a
column per month, per item or per year) become long raw cells under canonical column names, each with
its row number and its header as written; :mod:`fiscalmon.canonical` parses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dataclass_field, replace

import numpy as np
import pandas as pd

from . import parse
from .errors import Collector, FiscalDataError, Problem
from .grids import Grid

#: Header words that, after an item or month name, mark a growth column (一般公共预算收入同比).
_GROWTH_SUFFIXES = ("同比增长率", "同比增长", "同比增幅", "同比增减", "同比", "增幅", "增长率", "增长", "yoy")
_HEADER_SCAN_ROWS = 30
#: Columns that number a bureau table's rows: placed (they hold no figure), never warned about.
_ROW_NUMBERS = {"序号", "行次", "栏次", "no", "no.", "#"}
#: Canonical columns that identify a row; a group spanning them (库款情况) says nothing about them.
_ID_FIELDS = {"region_code", "region", "parent_code", "period", "item", "year", "level", "grade", "unit",
              "source_unit", "source", "note", "revision"}
#: Endings of a group header that are not part of the names under it (“三保”情况 over 预算 is 三保预算).
_GROUP_ENDINGS = ("有关情况", "执行情况", "完成情况", "情况", "指标", "监测")
_YEAR_HEADER = re.compile(r"^(\d{4})年度?(.*)$")
#: Comparable growth written as what it leaves out: 扣除留抵退税因素后增长, 剔除一次性因素增幅.
_COMPARABLE = re.compile(r"^(扣除|剔除|不含).+(增长|增幅)(率)?$")


@dataclass
class TableSpec:
    """What one kind of table looks like: its aliases, amounts, and the wide layouts it accepts."""

    name: str
    aliases: dict[str, tuple[str, ...]]
    amounts: tuple[str, ...]
    percents: tuple[str, ...]
    required_hint: str
    wide: tuple[str, ...] = ()        # keys a column may carry: 'item', 'month', 'year'
    measures: tuple[str, ...] = ()    # what a column under an item, month or year may hold
    default_measure: str | None = None  # what a bare item or month column holds (YTD, for monthly)
    distinctive: tuple[str, ...] = ()  # key columns that tell this table from the others (year, level)


@dataclass
class Column:
    """What one column of a table holds, read from its header (one or two rows)."""

    index: int
    header: str                     # as written ("一般公共预算收入/本年累计"), for messages
    field: str | None               # canonical column; for a wide column, the measure it holds
    unit: str | None = None         # unit stated in the header
    item: str | None = None         # the item a wide column holds
    month: tuple[int | None, int] | None = None  # the (year, month) a wide column holds
    year: int | None = None         # the year a wide column holds (2023年决算数)
    row_number: bool = False        # 序号: placed, holds nothing

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(k for k in ("item", "month", "year") if getattr(self, k) is not None)

    @property
    def placed(self) -> bool:
        return self.field is not None or bool(self.keys) or self.row_number


@dataclass
class Context:
    """What the lines around the table say about all of it: unit, period, year, figure, title."""

    unit: str | None = None
    period: tuple[int, int] | None = None
    period_line: str | None = None
    periods_seen: int = 0
    year: int | None = None
    measure: str | None = None
    lines: list[str] = dataclass_field(default_factory=list)  # the title lines, as written
    headers: list[str] = dataclass_field(default_factory=list)  # every column's header, as written

    def read(self, row: list[object]) -> None:
        for cell in row:
            text = parse.text_of(cell)
            if not text or isinstance(cell, (int, float)):
                continue
            self.lines.append(text)
            self.unit = parse.table_unit(text) or self.unit
            period = parse.table_period(text)
            if period is not None:
                self.period, self.period_line = period, text
                self.periods_seen += 1
            self.year = self.year or parse.table_year(text)
            self.measure = self.measure or parse.table_measure(text)


# ---- header cells ----------------------------------------------------------------------------------

def _item_of(bare: str, lookup: dict[str, str], measures) -> tuple[str, str | None] | None:
    """(item key, measure or None) for a header naming an item: 税收收入, 税收收入同比, 税收收入本年累计."""
    key = parse.item_key(bare)
    if key is not None:
        return key, None
    for suffix in _GROWTH_SUFFIXES:
        if bare.endswith(suffix) and (key := parse.item_key(bare[: -len(suffix)])):
            return key, "yoy_pct"
    for alias, name in lookup.items():
        if name in measures and len(alias) < len(bare) and bare.endswith(alias):
            if key := parse.item_key(bare[: -len(alias)]):
                return key, name
    return None


def _month_of(bare: str, lookup: dict[str, str], measures) -> tuple[tuple[int | None, int], str | None] | None:
    """((year, month), measure or None) for a header naming a YTD month: 1-3月, 2023年1-6月同比."""
    candidates = [(bare, None)] + [(bare[: -len(s)], "yoy_pct") for s in _GROWTH_SUFFIXES if bare.endswith(s)]
    candidates += [(bare[: -len(a)], n) for a, n in lookup.items() if n in measures and bare.endswith(a) and a != bare]
    candidates.append((bare.removesuffix("累计"), "ytd" if "ytd" in measures else None))
    for name, measure in candidates:
        if not name or not name[-1].isdigit() and not name.endswith("月") or re.fullmatch(r"\d{1,2}", name):
            continue  # (a bare 6 is a month number in a 月份 column, not a header naming a month)
        try:
            return parse.parse_month_spec(name), measure
        except parse.CellError:
            continue
    return None


def read_header_cell(index: int, cell: object, lookup: dict[str, str], spec: TableSpec) -> Column:
    """What a single header cell names: a canonical column, or an item, month or year with a measure."""
    text = parse.text_of(cell) or ""
    raw_bare, unit, _percent = parse.split_header(cell)
    bare = parse.bare_name(raw_bare)
    column = Column(index, text, lookup.get(bare) or lookup.get(raw_bare), unit)
    if _percent and column.field == "yoy_change":  # 增减% is the growth rate, 增减 the amount
        column = replace(column, field="yoy_pct")
    if column.field is None and "yoy_comparable_pct" in spec.aliases and _COMPARABLE.match(bare):
        column = replace(column, field="yoy_comparable_pct")  # 扣除留抵退税因素后增长, 剔除一次性收入后增幅
    if column.field is not None or not bare:
        return column
    if bare in _ROW_NUMBERS:
        return replace(column, row_number=True)
    if "item" in spec.wide and (named := _item_of(bare, lookup, spec.measures)):
        return replace(column, item=named[0], field=named[1])
    if "month" in spec.wide and (month := _month_of(raw_bare, lookup, spec.measures)):
        return replace(column, month=month[0], field=month[1])
    if "year" in spec.wide and (match := _YEAR_HEADER.match(raw_bare)):
        rest = match.group(2)
        measure = lookup.get(parse.bare_name(rest)) if rest else None
        if not rest or measure in spec.measures:
            return replace(column, year=int(match.group(1)), field=measure)
    return column


def _is_number(cell: object) -> bool:
    try:
        return parse.parse_number(cell) is not None
    except parse.CellError:
        return False


def _combine(upper: Column | None, here: Column | None, lower: Column, lookup, spec: TableSpec) -> Column:
    """One column of a two-row header: ``upper`` is the group spanning it (carried across merged cells),
    ``here`` the upper cell of this very column, ``lower`` the cell below."""
    if not lower.header:
        return here if here is not None else lower  # one cell spanning both rows (地区)
    if upper is None or lower.field in _ID_FIELDS:
        return lower
    header = f"{upper.header}/{lower.header}"
    unit = lower.unit or upper.unit
    if lower.keys:  # 一般公共预算收入 under 本年累计: the measure above, the item below
        measure = lower.field or (upper.field if upper.field in spec.measures else None)
        return replace(lower, header=header, unit=unit, field=measure, year=lower.year or upper.year)
    if lower.field is not None:
        if upper.keys and lower.field in spec.measures:  # 本年累计 under 一般公共预算收入
            return replace(lower, header=header, unit=unit, item=upper.item, month=upper.month, year=upper.year)
        return replace(lower, header=header, unit=unit)
    stem = parse.bare_name(parse.split_header(upper.header)[0])
    for ending in _GROUP_ENDINGS:
        stem = stem.removesuffix(ending)
    joined = read_header_cell(lower.index, stem + parse.bare_name(parse.split_header(lower.header)[0]), lookup, spec)
    if joined.placed and not joined.row_number:
        return replace(joined, header=header, unit=unit)
    return replace(lower, header=header)


def describe_columns(rows: list[list[object]], lookup: dict[str, str], spec: TableSpec) -> list[Column]:
    """What each column holds, from one header row or two (a group row above the measures)."""
    width = max(len(r) for r in rows)
    cells = [[row[j] if j < len(row) else None for j in range(width)] for row in rows]
    lower = [read_header_cell(j, cell, lookup, spec) for j, cell in enumerate(cells[-1])]
    if len(rows) == 1:
        return lower
    columns, carried = [], None
    for j, cell in enumerate(cells[0]):
        here = read_header_cell(j, cell, lookup, spec) if parse.text_of(cell) else None
        if here is not None:
            carried = None if here.field in _ID_FIELDS or here.row_number else here
        columns.append(_combine(carried if here is None else (None if here.field in _ID_FIELDS else here),
                                here, lower[j], lookup, spec))
    return columns


# ---- where the header is ---------------------------------------------------------------------------

def _recognised(column: Column) -> bool:
    return column.placed and not column.row_number


def _header_score(row: list[object], lookup, spec: TableSpec) -> int:
    return sum(_recognised(read_header_cell(j, cell, lookup, spec)) for j, cell in enumerate(row)
               if parse.text_of(cell))


def _continues(upper: list[object], lower: list[object], lookup, spec: TableSpec) -> bool:
    """Whether ``lower`` is the second row of a header whose first row is ``upper``: no figures in it,
    and at least one name the table knows under a column that is not an id column above."""
    if not any(parse.text_of(c) for c in lower) or any(_is_number(c) for c in lower):
        return False
    if _spanned(upper, lower, lookup, spec):
        return True
    for j, cell in enumerate(lower):
        above = read_header_cell(j, upper[j], lookup, spec) if j < len(upper) else None
        if above is not None and above.field in _ID_FIELDS:
            continue
        if parse.text_of(cell) and _recognised(read_header_cell(j, cell, lookup, spec)):
            return True
    return False


def _spanned(upper: list[object], lower: list[object], lookup, spec: TableSpec) -> bool:
    """Whether ``lower`` fills the columns a group of ``upper`` spans: text under an empty upper cell that
    follows a group's name (库款情况 merged over 期末数 | 可动用数), whatever the names below are."""
    group = None
    for j, cell in enumerate(lower):
        above = parse.text_of(upper[j]) if j < len(upper) else None
        if above:
            group = read_header_cell(j, upper[j], lookup, spec)
            group = None if group.field in _ID_FIELDS else group
        elif group is not None and parse.text_of(cell):
            return True
    return False


def _groups_above(upper: list[object], lower: list[object], lookup, spec: TableSpec) -> bool:
    """Whether ``upper`` is the first row of a two-row header found at ``lower``: several cells, no
    figures, no unit or note line, and a name the table knows over an empty cell (地区 spanning both)."""
    texts = [parse.text_of(c) for c in upper]
    if sum(bool(t) for t in texts) < 2 or any(_is_number(c) for c in upper):
        return False
    if any(t and (parse.table_unit(t) or parse.is_footnote(t)) for t in texts):
        return False
    return any(t and (j >= len(lower) or not parse.text_of(lower[j]))
               and _recognised(read_header_cell(j, upper[j], lookup, spec)) for j, t in enumerate(texts))


def locate_header(grid: Grid, lookup: dict[str, str], spec: TableSpec) -> tuple[list[int], Context]:
    """(indices of the header rows, what the lines above them say)."""
    context = Context()
    rows = grid.rows
    for index, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        if _header_score(row, lookup, spec) >= 2:
            below = rows[index + 1] if index + 1 < len(rows) else []
            if _continues(row, below, lookup, spec):
                return [index, index + 1], context
            if index > 0 and _groups_above(rows[index - 1], row, lookup, spec):
                return [index - 1, index], context
            return [index], context
        context.read(row)
    # Show the line that looks most like a header (the most cells of text), so the analyst sees what was found.
    likely = max(rows[:_HEADER_SCAN_ROWS], key=lambda r: sum(bool(parse.text_of(c)) and not _is_number(c) for c in r),
                 default=[])
    found = ", ".join(t for t in (parse.text_of(c) for c in likely) if t)[:300] or None
    raise FiscalDataError([Problem(
        grid.label, None, None, found,
        f"a header row (within the first {_HEADER_SCAN_ROWS} rows) naming {spec.required_hint}",
        "Check that this is the right file or sheet; headers may be English (docs/data-format.md) or Chinese.")])


def header_of(grid: Grid, spec: TableSpec) -> tuple[list[int], list[Column], Context]:
    """The header rows of the table in ``grid``, what each column holds, and the title lines' context."""
    lookup = parse.header_lookup(spec.aliases)
    header_rows, context = locate_header(grid, lookup, spec)
    columns = describe_columns([grid.rows[i] for i in header_rows], lookup, spec)
    return header_rows, columns, context


def pick_sheet(grids: list[Grid], spec: TableSpec, out: Collector) -> Grid:
    """The first sheet, unless another one's header names more of this table's own columns (an annual
    table's budgets, a monthly table's YTD amounts): then that sheet, with a warning saying so."""
    own = {*spec.amounts, *spec.percents, *spec.distinctive}

    def score(grid: Grid) -> int:
        try:
            _, columns, _ = header_of(grid, spec)
        except FiscalDataError:
            return 0
        return len({c.field for c in columns if c.field} & own) + len({c.item for c in columns if c.item})

    scores = [score(grid) for grid in grids]
    best = max(range(len(grids)), key=lambda k: (scores[k], -k))
    if scores[best] == scores[0]:
        return grids[0]
    out.label = grids[best].label
    out.warn(None, None, grids[best].sheet, f"the {spec.name} table on the first sheet",
             f"The first sheet '{grids[0].sheet}' has no {spec.name} columns; read sheet '{grids[best].sheet}'. "
             "Pass sheet= to choose another.", kind="sheet")
    return grids[best]


# ---- the body --------------------------------------------------------------------------------------

def _body(grid: Grid, first: int, columns: list[Column], out: Collector) -> pd.DataFrame:
    """The rows under the header as a frame (one column per grid column, and ``_row``), without blank
    lines and without the note and signature lines under the table (one note per file says so)."""
    body = grid.rows[first:]
    width = max([len(columns), *(len(r) for r in body)]) if body else len(columns)
    frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in body], dtype=object,
                         columns=range(width)) if body else pd.DataFrame(columns=range(width), dtype=object)
    frame["_row"] = range(first + 1, first + 1 + len(frame))
    cells = frame.drop(columns="_row")
    frame = frame[pd.concat([parse.present(cells[i]) for i in cells], axis=1).any(axis=1)] if len(cells.columns) else frame
    used = [c.index for c in columns if c.placed and not c.row_number]
    notes = _footnote_rows(frame, [c.index for c in columns if c.placed and (c.keys or c.field not in _ID_FIELDS)])
    if notes.any():
        skipped = frame[notes]
        first_text = next(parse.text_of(v) for v in skipped.iloc[0].drop("_row") if parse.text_of(v))
        rows = skipped["_row"].tolist()
        out.warn(rows[0], None, first_text[:40], "figures, not notes",
                 f"Skipped {len(rows)} note or signature line(s) under the table ({_rows_text(rows)}).",
                 kind="footnotes")
    frame = frame[~notes]
    # A line with something only in columns the table does not use cannot be placed: say so.
    placed = pd.concat([parse.present(frame[i]) for i in used], axis=1).any(axis=1) if used else \
        pd.Series(False, index=frame.index)
    if (~placed).any():
        rows = frame.loc[~placed, "_row"].tolist()
        out.warn(rows[0], None, None, "figures under the columns the table uses",
                 f"{len(rows)} line(s) with nothing under the columns read ({_rows_text(rows)}) were left out.",
                 kind="columns")
    return frame[placed]


def _rows_text(rows: list[int]) -> str:
    return f"row {rows[0]}" if len(rows) == 1 else f"rows {', '.join(map(str, rows[:5]))}{' …' if len(rows) > 5 else ''}"


def _footnote_rows(frame: pd.DataFrame, value_columns: list[int]) -> pd.Series:
    """Note and signature lines: a line opening with 注：, 说明：, 制表：… and the lines after it that hold
    no figure (the note's 2., 3. …); a line with figures after a note is data again."""
    cells = frame.drop(columns="_row")
    notes = np.zeros(len(frame), dtype=bool)
    # Only a line whose first text opens a note can start one: find the first such line column by column,
    # each distinct cell read once (a 400,000-line table has few distinct codes and names), and walk
    # line by line from there only.
    first = pd.Series(None, index=frame.index, dtype=object)
    for column in cells:
        missing = first.isna().to_numpy()
        if not missing.any():
            break
        first[missing] = _each_distinct(cells.loc[missing, column], parse.text_of)
    opening = np.flatnonzero(_each_distinct(first, lambda t: bool(t) and parse.is_footnote(t)).to_numpy(dtype=bool))
    if not len(opening):
        return pd.Series(notes, index=frame.index)
    in_note = False
    for k in range(opening[0], len(frame)):
        row = cells.iloc[k]
        texts = [t for t in (parse.text_of(v) for v in row) if t]
        figures = any(_is_number(row[j]) for j in value_columns if j in row.index)
        opens = bool(texts) and parse.is_footnote(texts[0])
        in_note = opens or (in_note and not figures)
        notes[k] = in_note
    return pd.Series(notes, index=frame.index)


def _each_distinct(values: pd.Series, function) -> pd.Series:
    """``function`` of each cell, called once per distinct cell (by type and value: 1, 1.0 and True differ)."""
    keys = pd.Series([(type(v), v) for v in values], index=values.index, dtype=object)
    codes, uniques = pd.factorize(keys, use_na_sentinel=False)
    results = np.array([function(v) for _, v in uniques] + [None], dtype=object)
    return pd.Series(results[codes], index=values.index, dtype=object)


# ---- from grid to cells ----------------------------------------------------------------------------

def grid_to_cells(grid: Grid, spec: TableSpec, out: Collector, *, year: int | None,
                  region: tuple[str | None, str | None] | None = None) -> tuple[pd.DataFrame, str, Context]:
    """Turn a grid into a long frame of raw cells in canonical columns, plus ``_row`` and ``_hdr_<col>``.

    ``region`` (code, name) is the region of a one-region table without a region column. A table
    without a period (or year) column takes the one its title line names (昌吉州2023年1-6月…), with a
    note; an annual table whose columns are items takes the figure its title names (…预算表, …决算表).

    Returns (cells, layout, the context the title lines give).
    """
    header_rows, columns, context = header_of(grid, spec)
    context.headers = [c.header for c in columns if c.header]
    frame = _body(grid, header_rows[-1] + 1, columns, out)

    fields: dict[str, Column] = {}
    for column in columns:
        if column.field is None or column.keys:
            continue
        if column.field in fields:
            out.error(None, column.header, None, f"one column for '{column.field}'",
                      f"Columns '{fields[column.field].header}' and '{column.header}' both mean "
                      f"'{column.field}'; remove or rename one.")
            continue
        fields[column.field] = column
    for column in _constant_columns(frame, fields, columns, spec, context, region, year, out):
        columns.append(column)
        fields[column.field] = column

    on_columns = _keys_on_columns(spec, fields)
    wide = [c for c in columns if c.keys and c.keys <= on_columns and c.keys & on_columns]
    unused = [c.header for c in columns if c.header and not c.placed]
    unused += [c.header for c in columns if c.keys and c not in wide]
    if unused:
        out.warn(None, ", ".join(unused), None, f"columns of the {spec.name} table",
                 "These columns were not used; rename them to a canonical name if they hold data.", kind="columns")
    if wide:
        wide = _measures_of(wide, spec, context, out)
        if not wide:
            raise out.fail()
        cells = _wide_cells(frame, fields, wide, out)
        layout = "wide-by-" + "-and-".join(sorted(k if k != "month" else "month" for k in on_columns))
        if "month" in on_columns:
            _warn_single_months(wide, out)
    elif on_columns:
        missing = sorted(on_columns)
        out.error(None, None, None,
                  f"columns {', '.join(k if k != 'month' else 'period' for k in missing)} (long layout), "
                  f"or one column per {' or per '.join(missing)} (wide layout)",
                  "Add the missing column(s); see docs/data-format.md for the accepted headers and layouts.")
        raise out.fail()
    else:
        layout = "long"
        cells = _long_cells(frame, fields.values())
    for name, column in fields.items():  # units stated in headers
        if column.unit is not None:
            cells[f"_hunit_{name}"] = column.unit
    return cells, layout, context


def _keys_on_columns(spec: TableSpec, fields: dict[str, Column]) -> frozenset[str]:
    """Which keys the columns carry: none for the long layout; the item (per item), the month (per
    month) or the year (per year) that the table lacks as a column of its own."""
    if not spec.wide:
        return frozenset()
    time_key = "period" if "month" in spec.wide else "year"
    if "item" in fields:
        if time_key in fields:
            return frozenset()
        return frozenset({"month"} if time_key == "period" else {"year"})
    return frozenset({"item"} if time_key in fields else {"item", "month" if time_key == "period" else "year"})


def _measures_of(wide: list[Column], spec: TableSpec, context: Context, out: Collector) -> list[Column]:
    """Every wide column with its measure: as its header says, else the table's default (YTD), else the
    figure the title names (…预算表); a column whose figure nothing says is an error."""
    measure = spec.default_measure or context.measure
    resolved = []
    for column in wide:
        if column.field is None and measure is None:
            out.error(None, column.header, None, "a header or title saying which figure the column holds",
                      "Name the figure in the header (预算数, 调整预算数, 决算数) or in the title (…预算表, …决算表).")
            continue
        resolved.append(column if column.field is not None else replace(column, field=measure))
    if any(c.field is None for c in wide) and spec.default_measure is None and measure is not None:
        out.warn(None, None, next(line for line in context.lines if parse.table_measure(line)),
                 f"a header naming the figure ({measure})",
                 f"The item columns were read as {measure}, the figure the title names.", kind="period")
    return resolved


def _warn_single_months(wide: list[Column], out: Collector) -> None:
    single = [c.header for c in wide if re.match(r"^(\d{4}年)?\d{1,2}月", c.header) and c.month[1] > 1]
    if single:
        out.warn(None, ", ".join(single), None, "year-to-date columns (1-N月)",
                 "These headers name one month; they were read as year to date (3月 as 1-3月). If they hold "
                 "single-month (当月) amounts, cumulate them or rename the columns 1-N月.", kind="columns")


def _constant_columns(frame: pd.DataFrame, fields: dict, columns: list[Column], spec: TableSpec,
                      context: Context, region, year_arg, out: Collector) -> list[Column]:
    """Columns a one-region, one-month or one-year table leaves out, filled from region= or the title."""
    added = []

    def constant(field: str, value, header: str) -> None:
        index = max([c for c in frame.columns if isinstance(c, int)], default=-1) + 1
        frame[index] = value
        added.append(Column(index, header, field))

    if region is not None and ("region_code" in fields or "region" in fields):
        named = fields.get("region_code", fields.get("region"))
        out.error(None, named.header, None, "region= only for a table without a region column",
                  f"This table names the region of each row in column '{named.header}'; "
                  "leave region= (--file-region) out.")
    elif region is not None:
        code, name = region
        if code:
            constant("region_code", code, "region=")
        if name:
            constant("region", name, "region=")
    months_on_columns = any(c.month is not None for c in columns)
    if "period" in spec.aliases and "period" not in fields and "year" not in fields and not months_on_columns:
        if context.period is not None and context.periods_seen == 1:
            period = f"{context.period[0]}-{context.period[1]:02d}"
            constant("period", period, context.period_line)
            out.warn(None, None, context.period_line, "a period column (月份)",
                     f"The table has none: every row is read as {period}, the period its title line names. "
                     "Add a 月份 column if that is wrong.", kind="period")
    elif spec.name == "monthly" and months_on_columns and "year" not in fields and year_arg is None \
            and context.year is not None and any(c.month[0] is None for c in columns if c.month):
        for k, column in enumerate(columns):
            if column.month is not None and column.month[0] is None:
                columns[k] = replace(column, month=(context.year, column.month[1]))
        out.warn(None, None, context.lines[0] if context.lines else None, "a year in the month headers (2023年1-3月)",
                 f"The month columns name no year: read as {context.year}, the year the title names. "
                 "Pass year= (--year) if that is wrong.", kind="period")
    if "year" in spec.distinctive and "year" not in fields and not any(c.year for c in columns):
        line = next((t for t in context.lines if parse.table_year(t)), None)
        if context.year is not None and line is not None:
            constant("year", str(context.year), line)
            out.warn(None, None, line, "a year column (年度)",
                     f"The table has none: every row is read as {context.year}, the year its title line names. "
                     "Add a 年度 column if that is wrong.", kind="period")
    return added


def _long_cells(frame: pd.DataFrame, value_columns) -> pd.DataFrame:
    cells = pd.DataFrame({"_row": frame["_row"].to_numpy()})
    for column in value_columns:
        cells[column.field] = pd.Series(frame[column.index].to_numpy(), dtype=object)
        cells[f"_hdr_{column.field}"] = column.header
    return cells


def _wide_cells(frame: pd.DataFrame, fields: dict[str, Column], wide: list[Column], out: Collector) -> pd.DataFrame:
    """Melt the wide columns into long cells: one row per source row × (item, month, year) of a column."""
    groups: dict[tuple, list[Column]] = {}
    for column in wide:
        groups.setdefault((column.item, column.month, column.year), []).append(column)
    parts = []
    for (item, month, year), group in groups.items():
        part = pd.DataFrame({"_row": frame["_row"].to_numpy()})
        for name, id_column in fields.items():
            part[name] = pd.Series(frame[id_column.index].to_numpy(), dtype=object)
            part[f"_hdr_{name}"] = id_column.header
        for key, value in (("item", item), ("period", month), ("year", year)):
            if value is not None:
                part[key] = [value] * len(part)
                part[f"_hdr_{key}"] = group[0].header
        for column in group:
            if column.field in part and column.field not in ("item", "period", "year"):
                out.error(None, column.header, None, f"one {column.field} column per item, month or year",
                          "Two columns hold the same figure for one item or month; remove one.")
                continue
            part[column.field] = pd.Series(frame[column.index].to_numpy(), dtype=object)
            part[f"_hdr_{column.field}"] = column.header
            if column.unit is not None:
                part[f"_hunit_{column.field}"] = column.unit
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
