"""Files as grids of cells: CSV in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16, and Excel sheets.

A :class:`Grid` is the cells of one CSV file or one worksheet as written, with where they came from.
Nothing is interpreted here: :mod:`fiscalmon.layout` finds the table in a grid.
"""

from __future__ import annotations

import codecs
import csv
import io as _io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import FiscalDataError, Problem


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
    western = " It reads as Western European text (Latin-1): pass encoding='latin-1' if that is right." \
        if _plausibly_western(data) else ""
    raise FiscalDataError([Problem(
        label, None, None, None,
        "text in UTF-8, GBK/GB18030 or UTF-16",
        "The bytes are neither valid UTF-8 nor readable Chinese in GBK. Open the file in Excel or a "
        f"text editor and save it as 'CSV UTF-8', or pass encoding= if you know it.{western}")])


def _plausibly_western(data: bytes) -> bool:
    """Whether bytes read as Windows-1252 give letters (é, ü, ñ …) rather than symbols."""
    text = data.decode("cp1252", errors="replace")
    high = [ch for ch in text if ord(ch) > 127]
    return bool(high) and sum(ch.isalpha() for ch in high) / len(high) >= 0.9


def _plausibly_chinese(text: str) -> bool:
    """Whether text decoded as GB18030 reads as Chinese rather than as mojibake of another encoding.

    Bureau text is written in the characters of GB2312 (the 6,763 common ones) and full-width
    punctuation; a Latin-1 or Windows-1252 file decoded as GBK turns each accented letter and the
    letter after it into a rare character outside GB2312 (``Zürich`` → ``Z黵ich``).
    """
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return True
    usual = 0
    for ch in non_ascii:
        try:
            ch.encode("gb2312")
            usual += 1
        except UnicodeEncodeError:
            usual += "\u2010" <= ch <= "\u206f" or "\uff00" <= ch <= "\uffef"
    return usual / len(non_ascii) >= 0.9


#: What one file may expand to: bureau tables are thousands of rows, not millions of cells.
MAX_CELLS = 5_000_000
MAX_COLUMNS = 2_000
MAX_FIELD_CHARS = 100_000
MAX_FILE_BYTES = 400_000_000


def _too_big(label: str, row: int | None, found: str, limit: str) -> FiscalDataError:
    return FiscalDataError([Problem(label, row, None, found, f"a table of at most {limit}",
                                    "Check the file (a stray quote, a runaway formula range, or the wrong file); "
                                    "split a very large table into one file per year.")])


def _read_csv_grid(path: Path, encoding: str | None) -> Grid:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise _too_big(path.name, None, f"{path.stat().st_size:,} bytes", f"{MAX_FILE_BYTES:,} bytes")
    text, used = _decode_csv(path, encoding)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    # Count before parsing: one line of millions of separators must fail at once, not exhaust memory.
    cells = 0
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.count(delimiter) + 1
        cells += fields
        if fields > MAX_COLUMNS:
            raise _too_big(path.name, number, f"{fields:,} fields on one line", f"{MAX_COLUMNS:,} columns")
        if cells > MAX_CELLS:
            raise _too_big(path.name, number, f"more than {MAX_CELLS:,} cells", f"{MAX_CELLS:,} cells")
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    previous_limit = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        rows = [list(record) for record in reader]
    except csv.Error as exc:
        raise FiscalDataError([Problem(path.name, _unclosed_quote_line(text) or reader.line_num, None, str(exc),
                                       f"CSV fields of at most {MAX_FIELD_CHARS:,} characters, each quote closed",
                                       "A quote (\") that opens a field and never closes swallows the rest of the "
                                       "file: remove the stray quote near this line, or save the table again from Excel.")]) from None
    finally:
        csv.field_size_limit(previous_limit)
    # A cell may hold a line break or two (Alt+Enter); one running over many lines is a stray quote
    # that swallowed the rows after it.
    for number, row in enumerate(rows, start=1):
        longest = max((cell.count("\n") for cell in row), default=0)
        if longest > 2:
            raise FiscalDataError([Problem(path.name, _unclosed_quote_line(text) or number, None,
                                           f"a quoted field running over {longest + 1} lines",
                                           "fields of one line (a quote closed in the cell it opens)",
                                           "A quote (\") that opens a field and never closes swallows the rows after "
                                           "it: remove the stray quote near this line.")])
    return Grid(path.name, rows, encoding=used)


def _unclosed_quote_line(text: str) -> int | None:
    """The line where a quoted field opens and is never closed (an odd number of quotes up to there)."""
    quotes, opened = 0, None
    for number, line in enumerate(text.splitlines(), start=1):
        before = quotes
        quotes += line.count('"')
        if before % 2 == 0 and quotes % 2 == 1:
            opened = number
    return opened if quotes % 2 == 1 else None


def excel_sheets(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet of a workbook as rows of cell values (cached results for formulas).

    Sheets are read by their cells, not by the size their ``<dimension>`` claims, and capped at
    :data:`MAX_CELLS`. A formula with no saved result becomes :class:`~fiscalmon.parse.UncalculatedFormula`,
    which every cell parser refuses with the cell's row and column.
    """
    import zipfile

    try:
        expanded = sum(info.file_size for info in zipfile.ZipFile(path).infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise FiscalDataError([Problem(path.name, None, None, None, "an Excel .xlsx workbook",
                                       f"It is not a readable .xlsx ({exc}). Re-save it from Excel as .xlsx.")]) from None
    if expanded > MAX_FILE_BYTES:
        raise _too_big(path.name, None, f"{expanded:,} bytes once unzipped", f"{MAX_FILE_BYTES:,} bytes unzipped")
    formulas = _sheet_values(path, data_only=False)
    if not any(_has_formula(rows) for rows in formulas.values()):
        return formulas
    values = _sheet_values(path, data_only=True)
    return {name: _cached(rows, values[name]) for name, rows in formulas.items()}


def _sheet_values(path: Path, *, data_only: bool) -> dict[str, list[list[object]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many types for a damaged or mislabelled file
        raise FiscalDataError([Problem(path.name, None, None, None, "an Excel .xlsx workbook",
                                       f"openpyxl could not open it ({exc}). Re-save it from Excel as .xlsx.")]) from None
    try:
        sheets = {}
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # ignore the claimed size (A1:XFD1048576 would pad every row)
            rows, cells = [], 0
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                row = list(row)
                while row and row[-1] is None:
                    row.pop()
                cells += len(row)
                if len(row) > MAX_COLUMNS:
                    raise _too_big(f"{path.name}[{sheet.title}]", number, f"{len(row):,} columns", f"{MAX_COLUMNS:,} columns")
                if cells > MAX_CELLS:
                    raise _too_big(f"{path.name}[{sheet.title}]", number, f"more than {MAX_CELLS:,} cells",
                                   f"{MAX_CELLS:,} cells")
                rows.append(row)
            while rows and not rows[-1]:
                rows.pop()
            sheets[sheet.title] = rows
        return sheets
    finally:
        book.close()


def _has_formula(rows: list[list[object]]) -> bool:
    return any(isinstance(v, str) and v.startswith("=") for row in rows for v in row)


def _cached(formulas: list[list[object]], values: list[list[object]]) -> list[list[object]]:
    """The saved result of each formula cell (a text cell that starts with = is the same in both reads)."""
    from .parse import UncalculatedFormula

    merged = []
    for k, row in enumerate(formulas):
        cached = values[k] if k < len(values) else []
        out = []
        for j, value in enumerate(row):
            if isinstance(value, str) and value.startswith("="):
                saved = cached[j] if j < len(cached) else None
                value = UncalculatedFormula(value) if saved is None else saved
            out.append(value)
        merged.append(out)
    return merged


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
