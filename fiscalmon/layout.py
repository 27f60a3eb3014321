"""Where a table sits in a file and how it is laid out.

A file (CSV in UTF-8, UTF-8 with BOM, GBK/GB18030 or UTF-16; or an Excel sheet) becomes a grid of
cells; the header row is found below any title and ``单位：万元`` lines (two header rows when an item's
name spans its 累计 and 同比 columns); the long layout, one column per month and one column per item
are turned into long raw cells under canonical column names. The readers in :mod:`fiscalmon.io`
parse and check those cells.
"""

from __future__ import annotations

import codecs
import csv
import io as _io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import parse
from .errors import FiscalDataError, Problem
from .schema import ITEM_BY_NAME, ITEMS

#: Header words that, after an item or month name, mark a growth column (一般公共预算收入同比).
_GROWTH_SUFFIXES = ("同比增长率", "同比增长", "同比增幅", "同比增减", "同比", "增幅", "增长率", "增长", "yoy")
_HEADER_SCAN_ROWS = 20
_MEASURES = ("ytd", "yoy_pct", "completion_pct", "yoy_change", "ytd_prior")


class Collector:
    """Problems and warnings found while reading one grid."""

    def __init__(self, label: str):
        self.label = label
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, row, column, value, expected, action):
        self.problems.append(Problem(self.label, row, column, value, expected, action))

    def warn(self, row, column, value, expected, action):
        self.warnings.append(Problem(self.label, row, column, value, expected, action))


def present(values: pd.Series) -> pd.Series:
    """Whether each cell holds something (not empty, not a 'not reported' mark such as —)."""
    text = values.astype("string").str.strip()
    return (values.notna() & ~text.isin(parse.MISSING_MARKS)).fillna(False).astype(bool)


# ---- raw grids ---------------------------------------------------------------------------------

@dataclass
class Grid:
    """The cells of one CSV file or one worksheet, as written, with where they came from."""

    label: str
    rows: list[list[object]]
    encoding: str | None = None
    sheet: str | None = None


def _decode_csv(path: Path, encoding: str | None) -> tuple[str, str]:
    data = path.read_bytes()
    label = path.name
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise FiscalDataError([Problem(label, None, None, None, f"text in {encoding}",
                                           f"The file is not {encoding} ({exc}); omit encoding= to detect it.")]) from None
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", "utf-8-sig")]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "utf-16")]
    else:
        candidates = [("utf-8", "utf-8"), ("gb18030", "gb18030")]
    for codec, name in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec == "gb18030" and not _plausibly_chinese(text):
            continue
        return text, name
    raise FiscalDataError([Problem(
        label, None, None, None,
        "text in UTF-8, GBK/GB18030 or UTF-16",
        "The bytes are neither valid UTF-8 nor readable Chinese in GBK. Open the file in Excel or a "
        "text editor and save it as 'CSV UTF-8', or pass encoding= if you know it.")])


def _plausibly_chinese(text: str) -> bool:
    """Whether text decoded as GB18030 reads as Chinese rather than as mojibake of another encoding."""
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return True
    usual = sum(
        1 for ch in non_ascii
        if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
        or "\u2010" <= ch <= "\u206f"
    )
    return usual / len(non_ascii) >= 0.95


def _read_csv_grid(path: Path, encoding: str | None) -> Grid:
    text, used = _decode_csv(path, encoding)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows = [list(record) for record in csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter)]
    return Grid(path.name, rows, encoding=used)


def excel_sheets(path: Path) -> dict[str, list[list[object]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or mislabelled file
        raise FiscalDataError([Problem(path.name, None, None, None, "an Excel .xlsx workbook",
                                       f"openpyxl could not open it ({exc}). Re-save it from Excel as .xlsx.")]) from None
    try:
        return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    finally:
        book.close()


def load_grids(source, *, sheet: str | int | None, encoding: str | None) -> list[Grid]:
    if isinstance(source, pd.DataFrame):
        header = [str(c) for c in source.columns]
        rows = [header, *source.astype(object).where(source.notna(), None).values.tolist()]
        return [Grid("<DataFrame>", rows)]
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return [_read_csv_grid(path, encoding)]
    if suffix in (".xlsx", ".xlsm"):
        sheets = excel_sheets(path)
        names = list(sheets)
        if sheet is None:
            chosen = names  # the reader picks the sheet that holds its table (see pick_sheet)
        elif isinstance(sheet, int):
            chosen = names[sheet:sheet + 1]
        else:
            chosen = [sheet] if sheet in sheets else []
        if not chosen:
            raise FiscalDataError([Problem(path.name, None, None, sheet, f"a sheet among {names}",
                                           "Pass sheet= with one of these names.")])
        return [Grid(f"{path.name}[{name}]", sheets[name], sheet=name) for name in chosen]
    if suffix == ".xls":
        raise FiscalDataError([Problem(path.name, None, None, None, "a .xlsx workbook or a .csv file",
                                       "Open the .xls file in Excel and save it as .xlsx.")])
    raise FiscalDataError([Problem(path.name, None, None, suffix, "a .csv, .txt or .xlsx file",
                                   "Save the table as CSV or .xlsx.")])


# ---- header location and layouts -----------------------------------------------------------------

@dataclass
class _Column:
    """What one column of a table holds, read from its header."""

    index: int
    header: str            # as written, for messages
    field: str | None      # canonical column, if the header is an alias
    unit: str | None       # unit stated in the header
    item: str | None = None          # wide-by-item: the item this column holds
    month: tuple[int | None, int] | None = None   # wide-by-month: (year, month)
    measure: str | None = None       # for wide columns: ytd, yoy_pct, completion_pct


def _item_header(bare: str) -> tuple[str, str] | None:
    """(item key, measure) for a header naming an item, such as 税收收入 or 税收收入同比."""
    for suffix in ("", *_GROWTH_SUFFIXES):
        if suffix and not bare.endswith(suffix):
            continue
        name = bare[: len(bare) - len(suffix)] if suffix else bare
        key = name if name in ITEMS else ITEM_BY_NAME.get(name)
        if key is not None:
            return key, ("yoy_pct" if suffix else "ytd")
    return None


def _month_header(bare: str) -> tuple[tuple[int | None, int], str] | None:
    """((year, month), measure) for a header naming a YTD month, such as 1-3月 or 2023年1-6月同比."""
    for suffix in ("", *_GROWTH_SUFFIXES, "累计"):
        if suffix and not bare.endswith(suffix):
            continue
        name = bare[: len(bare) - len(suffix)] if suffix else bare
        if not name or not name[-1].isdigit() and not name.endswith("月"):
            continue
        try:
            return parse.parse_month_spec(name), ("yoy_pct" if suffix in _GROWTH_SUFFIXES else "ytd")
        except parse.CellError:
            continue
    return None


def _describe_columns(header: list[object], lookup: dict[str, str], upper: list[object] | None) -> list[_Column]:
    """Read what each column holds from its header (and, for two header rows, the row above)."""
    columns = []
    carried = None
    for index, cell in enumerate(header):
        above = parse.clean_text(upper[index]) if upper is not None and index < len(upper) else None
        if upper is not None and parse.clean_text(cell) is None:
            cell, above, carried = above, None, None  # an id column spanning both header rows
        bare, unit, _percent = parse.split_header(cell)
        text = parse.clean_text(cell) or ""
        column = _Column(index, text, lookup.get(bare), unit)
        carried = above if above is not None else carried
        if upper is not None and carried is not None and column.field in _MEASURES:
            # Two header rows: the item or month above (merged across its columns), the measure below.
            up_bare, up_unit, _ = parse.split_header(carried)
            column.header = f"{carried}/{text}"
            column.unit = column.unit or up_unit
            named, month = _item_header(up_bare), _month_header(up_bare)
            if named:
                column.item, column.measure = named[0], column.field
            elif month:
                column.month, column.measure = month[0], column.field
        if column.field is None and column.item is None and column.month is None:
            named = _item_header(bare)
            month = _month_header(bare) if named is None else None
            if named:
                column.item, column.measure = named
            elif month:
                column.month, column.measure = month
        columns.append(column)
    return columns


def _header_score(row: list[object], lookup: dict[str, str]) -> int:
    score = 0
    for cell in row:
        bare = parse.split_header(cell)[0]
        if bare and (bare in lookup or _item_header(bare) or _month_header(bare)):
            score += 1
    return score


@dataclass
class _Above:
    """What the lines above the header say about the whole table."""

    unit: str | None = None
    period: tuple[int, int] | None = None
    period_line: str | None = None
    periods_seen: int = 0


def _locate_header(grid: Grid, lookup: dict[str, str], required_hint: str) -> tuple[int, bool, _Above]:
    """(header row index, whether a second header row follows, what the title lines say)."""
    above = _Above()
    for index, row in enumerate(grid.rows[:_HEADER_SCAN_ROWS]):
        if _header_score(row, lookup) >= 2:
            below = grid.rows[index + 1] if index + 1 < len(grid.rows) else []
            measures = [lookup.get(parse.split_header(c)[0]) for c in below]
            two_rows = sum(m in _MEASURES for m in measures) >= 2
            return index, two_rows, above
        for cell in row:
            above.unit = parse.table_unit(cell) or above.unit
            period = parse.table_period(cell)
            if period is not None:
                above.period, above.period_line = period, parse.clean_text(cell)
                above.periods_seen += 1
    raise FiscalDataError([Problem(
        grid.label, None, None, None,
        f"a header row (within the first {_HEADER_SCAN_ROWS} rows) naming {required_hint}",
        "Check that this is the right file or sheet; headers may be English (docs/data-format.md) or Chinese.")])



def pick_sheet(grids: list[Grid], spec: "TableSpec", out: Collector) -> Grid:
    """The first sheet, unless another one's header names more of this table's own columns (an annual
    table's budgets, a monthly table's YTD amounts): then that sheet, with a warning saying so."""
    lookup = parse.header_lookup(spec.aliases)
    own = {*spec.amounts, *spec.percents, *spec.distinctive}

    def score(grid: Grid) -> int:
        try:
            head, two_rows, _ = _locate_header(grid, lookup, spec.required_hint)
        except FiscalDataError:
            return 0
        header = grid.rows[head + 1] if two_rows else grid.rows[head]
        columns = _describe_columns(header, lookup, grid.rows[head] if two_rows else None)
        return len({c.field for c in columns if c.field} & own)

    scores = [score(grid) for grid in grids]
    best = max(range(len(grids)), key=lambda k: (scores[k], -k))
    if scores[best] == scores[0]:
        return grids[0]
    out.label = grids[best].label
    out.warn(None, None, grids[best].sheet, f"the {spec.name} table on the first sheet",
             f"The first sheet '{grids[0].sheet}' has no {spec.name} columns; read sheet '{grids[best].sheet}'. "
             "Pass sheet= to choose another.")
    return grids[best]


@dataclass
class TableSpec:
    name: str
    aliases: dict[str, tuple[str, ...]]
    amounts: tuple[str, ...]
    percents: tuple[str, ...]
    required_hint: str
    wide: bool = False  # whether the wide layouts (one column per month or item) are accepted
    distinctive: tuple[str, ...] = ()  # key columns that tell this table from the others (year, level)



def grid_to_cells(grid: Grid, spec: TableSpec, out: Collector, *, year: int | None,
                  region: tuple[str | None, str | None] | None = None) -> tuple[pd.DataFrame, str, str | None]:
    """Turn a grid into a long frame of raw cells in canonical columns, plus `_row` and `_hdr_<col>`.

    ``region`` (code, name) is the region of a one-region table without a region column. A table
    without a period column takes the period its title line names (昌吉州2023年1-6月…), with a warning.

    Returns (cells, layout, unit stated above the header).
    """
    lookup = parse.header_lookup(spec.aliases)
    head, two_rows, above = _locate_header(grid, lookup, spec.required_hint)
    unit_above = above.unit
    header = grid.rows[head + 1] if two_rows else grid.rows[head]
    columns = _describe_columns(header, lookup, grid.rows[head] if two_rows else None)
    first_data = head + (2 if two_rows else 1)
    body = [row for row in grid.rows[first_data:]]
    width = max([len(header), *(len(r) for r in body)]) if body else len(header)
    frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in body], dtype=object,
                         columns=range(width)) if body else pd.DataFrame(columns=range(width), dtype=object)
    frame["_row"] = range(first_data + 1, first_data + 1 + len(frame))
    used = [c.index for c in columns if c.field or c.item or c.month]
    # Blank lines, and lines with nothing in any recognised column, are not data.
    frame = frame[pd.concat([present(frame[i]) for i in used], axis=1).any(axis=1)] if used else frame.iloc[:0]

    fields = {}
    for column in columns:
        if column.field is None:
            continue
        if column.field in fields and column.item is None and column.month is None:
            out.error(None, column.header, None, f"one column for '{column.field}'",
                      f"Columns '{fields[column.field].header}' and '{column.header}' both mean "
                      f"'{column.field}'; remove or rename one.")
            continue
        if column.item is None and column.month is None:
            fields[column.field] = column
    for column in _constant_columns(frame, fields, spec, above, region, out):
        columns.append(column)
        fields[column.field] = column

    wide_items = [c for c in columns if c.item is not None]
    wide_months = [c for c in columns if c.month is not None]
    long = not spec.wide or ("item" in fields and "period" in fields)
    # An item or month header is data only in the wide layout that uses it; elsewhere it is unused.
    if long:
        ignored = wide_items + wide_months
    elif "item" in fields and wide_months:  # one column per month
        ignored = wide_items
    else:  # one column per item
        ignored = wide_months
    unused = [c.header for c in columns if c.field is None and c.item is None and c.month is None and c.header]
    unused += [c.header for c in ignored]
    if unused:
        out.warn(None, ", ".join(unused), None, f"columns of the {spec.name} table",
                 "These columns were not used; rename them to a canonical name if they hold data.")

    if long:
        layout = "long"
        value_columns = [(c.field, c) for c in fields.values()]
        cells = _long_cells(frame, value_columns)
    elif "item" in fields and wide_months:
        layout = "wide-by-month"
        single = [c.header for c in wide_months if re.match(r"^(\d{4}年)?\d{1,2}月", c.header) and c.month[1] > 1]
        if single:
            out.warn(None, ", ".join(single), None, "year-to-date columns (1-N月)",
                     "These headers name one month; they were read as year to date (3月 as 1-3月). If they hold "
                     "single-month (当月) amounts, cumulate them or rename the columns 1-N月.")
        cells = _wide_cells(frame, fields, wide_months, "period", out, year=year)
    elif "period" in fields and wide_items:
        layout = "wide-by-item"
        cells = _wide_cells(frame, fields, wide_items, "item", out, year=year)
    else:
        missing = [name for name in ("item", "period") if name not in fields]
        out.error(None, None, None,
                  f"columns {', '.join(missing)} (long layout), or one column per month or per item (wide layout)",
                  f"Add the column(s) {', '.join(missing)}; see docs/data-format.md for the accepted headers.")
        raise FiscalDataError(out.problems)
    for name, column in fields.items():  # units stated in headers
        if column.unit is not None:
            cells[f"_hunit_{name}"] = column.unit
    return cells, layout, unit_above


def _constant_columns(frame: pd.DataFrame, fields: dict, spec: TableSpec, above: _Above, region, out: Collector):
    """Columns a one-region or one-month table leaves out, filled from region= or the title line."""
    added = []

    def constant(field: str, value: str, header: str) -> None:
        index = max([c for c in frame.columns if isinstance(c, int)], default=-1) + 1
        frame[index] = value
        added.append(_Column(index, header, field, None))

    has_region = "region_code" in fields or "region" in fields
    if region is not None and has_region:
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
    if "period" not in fields and "period" in spec.aliases and "year" not in fields:
        if above.period is not None and above.periods_seen == 1:
            period = f"{above.period[0]}-{above.period[1]:02d}"
            constant("period", period, above.period_line)
            out.warn(None, None, above.period_line, "a period column (月份)",
                     f"The table has none: every row is read as {period}, the period its title line names. "
                     "Add a 月份 column if that is wrong.")
    return added


def _long_cells(frame: pd.DataFrame, value_columns) -> pd.DataFrame:
    cells = pd.DataFrame({"_row": frame["_row"].to_numpy()})
    for name, column in value_columns:
        cells[name] = frame[column.index].to_numpy()
        cells[f"_hdr_{name}"] = column.header
    return cells


def _wide_cells(frame, fields, wide, key, out: Collector, *, year) -> pd.DataFrame:
    """Melt one-column-per-month or one-column-per-item into long cells: one row per source row × key."""
    groups: dict[object, list[_Column]] = {}
    for column in wide:
        groups.setdefault(column.item if key == "item" else column.month, []).append(column)
    parts = []
    for value, group in groups.items():
        part = pd.DataFrame({"_row": frame["_row"].to_numpy()})
        for name, id_column in fields.items():
            part[name] = frame[id_column.index].to_numpy()
            part[f"_hdr_{name}"] = id_column.header
        part[key] = [value] * len(part)
        part[f"_hdr_{key}"] = group[0].header
        for column in group:
            if column.measure in part and column.measure not in fields:
                out.error(None, column.header, None, f"one {column.measure} column per {key}",
                          "Two columns hold the same figure for one item or month; remove one.")
                continue
            part[column.measure] = frame[column.index].to_numpy()
            part[f"_hdr_{column.measure}"] = column.header
            if column.unit is not None:
                part[f"_hunit_{column.measure}"] = column.unit
        parts.append(part)
    return pd.concat(parts, ignore_index=True)

